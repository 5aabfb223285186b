"""One selection for every front door: the same view gives the same spikes and comparisons in the
dashboard's view models, the meeting report and the command line."""

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import REAL_CORPUS

from analytics.cli import main
from analytics.frames.workspace import open_workspace
from analytics.measure import metrics as m
from analytics.measure.filters import Filters
from analytics.measure.selection import PREVIOUS, YEAR_BEFORE, Selection
from analytics.present import report_insights as ri
from analytics.present import views as vw
from analytics.present.report_format import period_start_text

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
MARCH_AI = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31), topics=("AI",))
OCTOBER = Filters(start=date(2026, 10, 1), end=date(2026, 10, 31))


@pytest.fixture(scope="module")
def ws():
    return open_workspace(SAMPLE)


def _dashboard_spikes(sel: Selection, granularity: str) -> list[str]:
    view = vw.overview_view(sel, m.MetricOptions(granularity=granularity), None, {})
    return [period_start_text(period, view.granularity) for period in view.spikes[m.PERIOD]]


def _report_spikes(sel: Selection, granularity: str) -> list[str]:
    options, _ = sel.drawn_options(m.MetricOptions(granularity=granularity))
    found = ri.find_spikes(sel, options).by_series[None]
    return [period_start_text(period, options.granularity) for period in found[m.PERIOD]]


def _cli_spikes(tmp_path: Path, data: Path, filters: Filters, granularity: str, *extra: str) -> list[str]:
    out = tmp_path / "report.html"
    args = ["report", str(data), "--since", str(filters.start), "--until", str(filters.end), "--granularity", granularity, "-o", str(out)]
    for topic in filters.topics:
        args += ["--topic", topic]
    assert main(args + list(extra)) == 0
    html = out.read_text(encoding="utf-8")
    section = html[html.index('<section id="spikes">'):html.index('<section id="stories">')]
    rows = re.findall(r'<td class="nowrap">([^<]+)</td>\s*<td><span class="kind">([^<]+)</span>', section)
    return [period for period, kind in rows if kind == ri.SPIKE_SERIES[None]]


def _months_with_spikes(ws, topics: tuple[str, ...] = (), most: int = 2) -> list[Filters]:
    """One-month selections of the sample data in which the dashboard finds weekly spikes (found, not written down)."""
    found = []
    for start in pd.date_range("2025-01-01", "2026-10-01", freq="MS").date:
        month = Filters(start=start, end=(pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date(), topics=topics)
        if _dashboard_spikes(Selection(ws, month), "week"):
            found.append(month)
        if len(found) == most:
            break
    return found


@pytest.mark.parametrize("topics", [(), ("AI",)])
def test_dashboard_report_and_cli_give_the_same_spikes(ws, tmp_path, topics):
    months = _months_with_spikes(ws, topics)
    assert months, "the sample data has months with weekly spikes"
    # A one-month window holds no history of its own: each week is judged against the weeks before it in all the data.
    for month in months:
        sel = Selection(ws, month)
        expected = _dashboard_spikes(sel, "week")
        assert _report_spikes(sel, "week") == expected
        assert _cli_spikes(tmp_path, SAMPLE, month, "week") == expected


def test_counting_stories_gives_the_same_spikes_everywhere(ws, tmp_path):
    sel = Selection(ws, MARCH_AI, count_stories=True)
    found = _dashboard_spikes(sel, "week")
    assert found == _report_spikes(sel, "week") == _cli_spikes(tmp_path, SAMPLE, MARCH_AI, "week", "--count", "stories")


def test_the_history_counts_what_the_selection_counts_from_its_start(ws):
    for stories in (False, True):
        sel = Selection(ws, MARCH_AI, count_stories=stories)
        history, _ = sel.history
        inside = history[history[m.s.PUBLISHED_AT] >= pd.Timestamp("2026-03-01", tz="UTC")]
        assert sorted(inside[m.s.DOC_ID]) == sorted(sel.counted[0][m.s.DOC_ID].dropna())
        assert history[m.s.PUBLISHED_AT].min() < pd.Timestamp("2025-01-01", tz="UTC")  # months of history before the window


def test_comparisons_are_calendar_periods_named_with_their_dates(ws):
    sel = Selection(ws, MARCH_AI)
    before, last_year = sel.baseline(PREVIOUS), sel.baseline(YEAR_BEFORE)
    assert (before.period.start, before.period.end, before.name) == (date(2026, 2, 1), date(2026, 2, 28), "previous month")
    assert (last_year.period.start, last_year.period.end) == (date(2025, 3, 1), date(2025, 3, 31))
    assert before.phrase() == "previous month, Feb 2026 (1 Feb 2026 – 28 Feb 2026)"
    notes = vw.comparison_notes(sel)
    assert notes[0].startswith("Compared with the previous month, Feb 2026 (1 Feb 2026 – 28 Feb 2026): ")
    cards = vw.kpi_cards(vw.overview_view(sel, m.MetricOptions(granularity="week"), None, {}).kpis, sel)
    assert cards[0][0] == "Articles" and cards[0][2].endswith(" vs Feb 2026")


def test_a_comparison_period_without_articles_says_so_in_place_of_the_figure(ws):
    sel = Selection(ws, Filters(start=date(2023, 11, 1), end=date(2023, 11, 30)))  # the data's first month
    assert vw.comparison_notes(sel)[0] == "Compared with the previous month, Oct 2023 (1 Oct 2023 – 31 Oct 2023): no articles in that period, so no change figures."
    cards = vw.kpi_cards(m.kpis(*sel.counted, *sel.before), sel)
    assert all(change is None for _, _, change in cards)


def test_counting_stories_names_stories(ws):
    sel = Selection(ws, OCTOBER, count_stories=True)
    view = vw.overview_view(sel, m.MetricOptions(granularity="week"), None, {})
    assert view.figure.layout.yaxis.title.text == "Stories per period" and view.figure.layout.title.text == "Stories per week"
    cards = vw.kpi_cards(view.kpis, sel)
    assert cards[0][:2] == ("Stories", f"{view.volume[m.COUNT].sum():,}")  # the card counts what the bars count
    assert "stories then" in vw.comparison_notes(sel)[0]
    assert vw.header_caption(sel, "here").startswith(f"{len(sel.counted[0])} stories in ")


def test_the_periods_at_the_ends_of_the_calendar_compare_with_nothing(ws):
    sel = Selection(ws, Filters(start=date(1, 1, 1), end=date(1, 1, 31)))
    assert [b.key for b in sel.baselines] == [] and vw.comparison_notes(sel) == []


@pytest.mark.skipif(not REAL_CORPUS.exists(), reason="the real documents are not present")
def test_december_2019_on_the_real_documents(tmp_path):
    real = open_workspace(REAL_CORPUS)
    december = Filters(start=date(2019, 12, 1), end=date(2019, 12, 31))
    sel = Selection(real, december)
    dashboard = _dashboard_spikes(sel, "month")  # one month is drawn (and judged) by week
    assert dashboard and dashboard == _report_spikes(sel, "month") == _cli_spikes(tmp_path, REAL_CORPUS, december, "month")


@pytest.mark.parametrize("start", [date(1, 1, 1), date(1677, 9, 1)])
def test_the_history_before_a_start_outside_pandas_range_is_empty_not_an_error(ws, start):
    sel = Selection(ws, Filters(start=start, topics=("AI",)))
    history, _ = sel.history
    assert len(history) == len(sel.counted[0])


@pytest.mark.parametrize("stories", [False, True])
def test_a_comparison_period_is_counted_without_copying_its_articles(ws, stories):
    sel = Selection(ws, MARCH_AI, count_stories=stories)
    notes = vw.comparison_notes(sel)
    assert len(notes) == 2
    if not stories:  # "same month last year" can hold most of a corpus: its rows are only taken when a view needs them
        assert all("a" not in baseline.within.__dict__ for baseline in sel.baselines)
    assert [baseline.count for baseline in sel.baselines] == [len(baseline.articles) for baseline in sel.baselines]
    assert all(f" {baseline.count:,} " in f" {note}" or baseline.empty for baseline, note in zip(sel.baselines, notes))
