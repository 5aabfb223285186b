"""View models on the sample data: what each dashboard view shows, without a browser."""

from datetime import date
from pathlib import Path

import pytest

from analytics import schema as s
from analytics.frames.workspace import open_workspace
from analytics.measure import metrics as m
from analytics.measure.filters import Filters
from analytics.present import charts
from analytics.present import views as vw

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def ws():
    return open_workspace(SAMPLE)


@pytest.fixture(scope="module")
def colors(ws):
    return charts.corpus_colors(ws.corpus.articles, ws.corpus.topics)


def test_overview_counts_articles_or_stories(ws, colors):
    articles = vw.overview_view(vw.Selection(ws, Filters()), m.MetricOptions(), None, colors)
    assert articles.volume[m.COUNT].sum() == ws.corpus.articles[s.PUBLISHED_AT].notna().sum()
    assert articles.undated == 1
    counted = vw.overview_view(vw.Selection(ws, Filters(), count_stories=True), m.MetricOptions(), None, colors)
    assert counted.volume[m.COUNT].sum() < articles.volume[m.COUNT].sum()
    assert counted.figure.layout.title.text == "Stories per month"


def test_every_panel_draws_its_own_frame(ws, colors):
    sel = vw.Selection(ws, Filters(topics=("AI",)))
    for panels in (vw.outlet_view(sel, m.MetricOptions(), colors, weighted=False), vw.topic_view(sel, m.MetricOptions(), colors)):
        for name, (frame, figure) in panels.items():
            assert len(frame) and figure.data, name


def test_changes_without_dates_use_the_last_30_days(ws):
    view = vw.change_view(vw.Selection(ws, Filters()), min_count=3)
    assert "last 30 days" in view.label and view.now > 0 and view.before > 0
    chosen = vw.change_view(vw.Selection(ws, Filters(start=date(2026, 1, 1), end=date(2026, 3, 31))), min_count=3)
    assert chosen.label == "the selected dates"


def test_comparisons(ws):
    sel = vw.Selection(ws, Filters())
    assert vw.comparison_for(sel, vw.OUTLETS_VS_REST, []) is None
    pair = vw.comparison_for(sel, vw.OUTLETS_VS_REST, ["dailyledger.example"])
    panels = vw.compare_view(sel, pair, m.MetricOptions())
    assert list(panels) == ["compare-volume", "compare-topics", "compare-quality"]
    assert "The Daily Ledger" in panels["compare-quality"][0].columns


def test_health_tables_put_errors_first(ws):
    tables = vw.health_tables(ws.corpus)
    assert tables["by-severity"][s.SEVERITY].tolist() == [s.ERROR, s.WARNING, s.DUPLICATE]
    assert tables["problems"][s.SEVERITY].iloc[0] == s.ERROR


def test_the_dashboards_texts_come_from_the_view_models(ws, colors):
    sel = vw.Selection(ws, Filters(topics=("AI",)))
    assert vw.header_caption(sel, "here").startswith(f"{len(sel.a):,} of {ws.corpus.loaded:,} articles from here · ")
    view = vw.overview_view(sel, m.MetricOptions(), None, colors)
    cards = vw.kpi_cards(view.kpis)
    assert [card[0] for card in cards] == view.kpis[m.METRIC].tolist() and cards[0][1] == f"{len(sel.a):,}"
    changes = vw.change_view(sel, min_count=3)
    assert [section[0] for section in changes.sections()] == list(changes.movers)
    assert vw.articles_caption(5, 5).startswith("Showing 5 articles") and "the first 2 of 5" in vw.articles_caption(5, 2)


def test_clicked_points_and_bars_give_their_articles(ws, colors):
    sel = vw.Selection(ws, Filters())
    ids = sel.a[s.DOC_ID].head(3).tolist()
    assert vw.rows_of_points(sel.a, [{"customdata": [i]} for i in ids] + [{}])[s.DOC_ID].tolist() == ids
    share = vw.outlet_view(sel, m.MetricOptions(), colors, weighted=False)["outlet-share"][0]
    group = share[m.GROUP].iloc[0]
    rows, name = vw.outlet_rows(sel, share, {"customdata": [group]})
    assert name == group and len(rows) == int(share["articles"].iloc[0])


def test_every_column_the_article_and_story_tables_show_has_a_setting(ws, colors):
    sel = vw.Selection(ws, Filters())
    assert set(m.top_stories(sel.a, sel.t).columns) == set(vw.ARTICLE_TABLE)
    assert set(vw.story_view(sel, colors).stories.columns) <= set(vw.STORY_TABLE)
    kinds = {how[0] for spec in (vw.ARTICLE_TABLE, vw.STORY_TABLE, vw.SPIKE_TABLE, vw.MOVER_TABLE) for how in spec.values() if isinstance(how, tuple)}
    assert kinds <= {"wide", "when", "day", "score", "percent", "points", "link"}


def test_events_are_listed_on_their_own_not_counted_as_articles(ws):
    offer_filters = Filters(start=date(2026, 5, 1), end=date(2026, 5, 31), exclude_types=("conference",))
    sel = vw.Selection(ws, offer_filters)
    assert "Applied AI Summit 2026" not in set(sel.a[s.TITLE])
    events = vw.events_in_period(sel)
    assert events[s.TITLE].tolist() == ["Applied AI Summit 2026"]
    counted = vw.Selection(ws, Filters(start=date(2026, 5, 1), end=date(2026, 5, 31)))
    assert len(counted.a) == len(sel.a) + 1 and vw.events_in_period(counted).empty
    assert "events left out (conference)" in vw.header_caption(sel, "here")


def test_downloads_that_count_stories_say_so_in_their_names():
    assert vw.download_name("volume", True) == "volume-stories" and vw.download_name("volume", False) == "volume"
    assert vw.download_name("articles", True) == "articles"
