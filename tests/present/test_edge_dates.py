"""Documents dated at the edges of the supported years (1 to 9999): kept, and every view still computes."""

from datetime import date

import pytest
from conftest import article, document_text

from analytics import load_corpus
from analytics.measure import metrics as m
from analytics.measure.filters import Filters, previous_period
from analytics.present.export import TABLES, export_table
from analytics.present.report import report_html

EDGES = ["0001-01-01T00:00:00Z", "1000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]


@pytest.fixture(scope="module", params=EDGES + ["both"])
def edge_corpus(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("edge")
    for n in range(1, 4):
        (folder / f"n{n}.md").write_text(document_text(article(n)))
    for index, when in enumerate(EDGES if request.param == "both" else [request.param]):
        (folder / f"edge{index}.md").write_text(document_text(article(9 + index, publishedDateTime=when)))
    return load_corpus(folder, cache=False)


@pytest.mark.parametrize(
    ("selected", "data", "before"),
    [
        ((None, None), (date(1, 1, 1), date(2026, 3, 3)), None),  # nothing before day one: no previous period
        ((None, None), (date(2026, 3, 1), date(9999, 12, 31)), None),  # an equal span before would start before year 1
        ((date(1000, 1, 1), None), (date(1, 1, 1), date(2026, 3, 3)), None),
        ((date(2026, 3, 8), date(2026, 3, 14)), (date(1, 1, 1), date(9999, 12, 31)), (date(2026, 3, 1), date(2026, 3, 7))),
        ((date(9999, 12, 1), None), (date(1, 1, 1), date(9999, 12, 31)), (date(9999, 11, 1), date(9999, 11, 30))),  # the last month
    ],
)
def test_the_previous_period_stays_inside_the_calendar(selected, data, before):
    period = previous_period(Filters(start=selected[0], end=selected[1]), *data)
    assert (period and (period.start, period.end)) == before


def test_the_report_is_written(edge_corpus):
    html = report_html(edge_corpus, Filters())
    assert "</html>" in html


@pytest.mark.parametrize("granularity", list(m.GRANULARITIES))
@pytest.mark.parametrize("table", TABLES)
def test_every_export_is_computed_and_stays_small(edge_corpus, table, granularity):
    frame = export_table(edge_corpus, Filters(), table, m.MetricOptions(granularity=granularity))
    assert len(frame) <= m.MAX_FILLED_PERIODS * 20


def test_empty_periods_are_filled_only_while_the_span_is_modest(edge_corpus):
    frame = m.volume(edge_corpus.articles, granularity="day")
    days = frame[m.PERIOD].dt.date
    assert frame[m.COUNT].sum() == edge_corpus.articles[m.s.PUBLISHED_AT].notna().sum()
    assert len(frame) == len(set(edge_corpus.articles[m.s.PUBLISHED_AT].dt.date))  # one row per day with articles
    assert date(2026, 3, 2) in set(days)


def test_a_modest_span_still_gets_every_empty_period(tmp_path):
    for n in (1, 20):
        (tmp_path / f"n{n}.md").write_text(document_text(article(n)))
    frame = m.volume(load_corpus(tmp_path, cache=False).articles, granularity="day")
    assert len(frame) == 20 and frame[m.COUNT].tolist() == [1] + [0] * 18 + [1]
