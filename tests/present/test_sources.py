"""What the dashboard has open answers each question of one page run once: the filters are applied once."""

from datetime import date
from pathlib import Path

from analytics.frames.workspace import open_workspace
from analytics.measure import metrics as m
from analytics.measure import selection
from analytics.measure import terms as tm
from analytics.measure.filters import Filters
from analytics.present import controls as ct
from analytics.present.sources import Loaded

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def test_one_run_counts_captions_and_draws_from_one_filtering(monkeypatch):
    ws = open_workspace(SAMPLE, cache=False)
    passes, filter_articles = [], selection.filter_articles

    def counted(articles, topics, filters):
        passes.append(filters)
        return filter_articles(articles, topics, filters)

    monkeypatch.setattr(selection, "filter_articles", counted)
    data, filters = Loaded(ws), Filters(start=date(2025, 1, 1), end=date(2025, 3, 31))
    assert data.matches(filters, False) == len(data.selection(filters).a) > 0
    assert data.caption(filters, False, "here").startswith(f"{data.matches(filters, False):,} of {ws.corpus.loaded:,} articles")
    assert passes == [filters]
    assert Loaded(ws).matches(filters, False) and len(passes) == 2  # the next run works it out again (the page's cache keeps it)


def test_the_report_of_a_loaded_folder_is_made_from_the_page_selection():
    data = Loaded(open_workspace(SAMPLE, cache=False))
    asked = []
    html = data.report(Filters(), False, m.MetricOptions(), lambda sel: asked.append(sel) or tm.term_matrix(sel.ws.corpus.articles))
    assert html.startswith(b"<!") and b"News Coverage" in html
    assert asked == [data.selection(Filters(), False)]  # the page's own selection, made once
    assert data.report_refusal(Filters(), False) is None


def test_the_header_says_what_is_shown_and_how_it_is_drawn():
    data = Loaded(open_workspace(SAMPLE, cache=False))
    view = ct.view_choices(None, "month", 8, 0, "none")
    september = Filters(start=date(2026, 9, 1), end=date(2026, 9, 30))
    head = data.header(september, view, "here")
    assert head.caption == data.caption(september, False, "here") and head.report_refusal is None
    assert head.options.granularity == "week" and head.finer == "Sep 2026 is a single month, so it is shown by week."
    assert data.header(Filters(), view, "here").finer is None
