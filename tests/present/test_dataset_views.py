"""A dataset opened for the dashboard shows what the loaded folder shows: choices, header, Overview, every view's rows."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics.frames.workspace import open_workspace
from analytics.measure import dataset_source
from analytics.measure import metrics as m
from analytics.measure.dataset_rows import SelectionTooLarge, answerable_by_rollups, select
from analytics.measure.dataset_source import DatasetSource
from analytics.measure.filters import Filters, without_events
from analytics.measure.selection import Selection
from analytics.present import controls as ct
from analytics.present import dataset_views as dv
from analytics.present import layout as ly
from analytics.present import views as vw
from analytics.present.export import articles_table
from analytics.present.sources import Loaded, OpenDataset

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
TODAY = date(2026, 12, 5)


@pytest.fixture(scope="module")
def both(sample_dataset):
    """The sample data loaded in memory, and as a dataset built from it."""
    return Loaded(open_workspace(SAMPLE, cache=False)), OpenDataset(DatasetSource(sample_dataset))


def filter_cases(loaded: Loaded) -> list[Filters]:
    """Filters an editor uses: everything, a month, a quarter with two outlets, a category, events counted."""
    plain = without_events(Filters(), loaded.ws.corpus.articles)
    busiest = loaded.ws.corpus.articles[m.s.PROVIDER_DOMAIN].value_counts().index[:2].tolist()
    return [
        plain,
        replace(plain, start=date(2025, 10, 1), end=date(2025, 10, 31)),
        replace(plain, start=date(2025, 4, 1), end=date(2025, 6, 30), providers=tuple(busiest)),
        replace(plain, categories=("news",), published=True),
        Filters(start=date(2026, 5, 1), end=date(2026, 5, 31)),  # events counted as articles
        replace(plain, start=date(2025, 1, 1), end=date(2025, 12, 31), topics=("AI", "Policy"), heat=(10.0, 90.0)),  # read as rows
    ]


def test_the_sidebar_offers_the_same_choices(both):
    loaded, opened = both
    expected, found = ct.choices(loaded.ws.corpus, TODAY), dv.choices(opened.src, TODAY)
    assert found == expected
    assert found.events  # the sample data has an event, left out by default


def test_the_header_and_the_counts_agree(both):
    loaded, opened = both
    for filters in filter_cases(loaded):
        assert opened.matches(filters, False) == loaded.matches(filters, False)
        assert opened.caption(filters, False, "here") == loaded.caption(filters, False, "here")
    assert opened.span == loaded.span and opened.articles == loaded.articles


@pytest.mark.parametrize("split", [None, "provider", "topic"])
@pytest.mark.parametrize("granularity", ["week", "month"])
def test_the_overview_from_rollups_is_the_overview_of_the_rows(both, split, granularity):
    loaded, opened = both
    colors = loaded.colors()
    options = m.MetricOptions(top_n=4, granularity=granularity, rolling=2)
    for filters in filter_cases(loaded):
        sel = Selection(loaded.ws, filters)
        drawn, _ = sel.drawn_options(options)
        expected = vw.overview_view(sel, drawn, split, colors)
        rolled = opened.overview(filters, False, drawn, split, colors)
        assert rolled is not None
        assert_frame_equal(rolled.view.kpis, expected.kpis)
        assert_frame_equal(rolled.view.volume, expected.volume)
        assert_frame_equal(rolled.view.spikes, expected.spikes)
        assert rolled.view.undated == expected.undated and rolled.view.granularity == expected.granularity
        assert rolled.cards == vw.kpi_cards(expected.kpis, sel)
        assert rolled.notes == vw.comparison_notes(sel)
        assert_frame_equal(rolled.events.reset_index(drop=True), vw.events_in_period(sel).reset_index(drop=True), check_index_type=False)
        if len(expected.spike_stories):  # stories grouped within each spiking period's rows: the same spikes listed
            pairs = [m.PERIOD, m.GROUP]
            assert_frame_equal(rolled.view.spike_stories[pairs].drop_duplicates(ignore_index=True), expected.spike_stories[pairs].drop_duplicates(ignore_index=True))


def test_the_overview_of_spikes_is_not_empty_somewhere(both):
    """The equality above is not vacuous: some case has spikes, events and comparisons with counts."""
    loaded, opened = both
    options = m.MetricOptions(granularity="week")
    found = [opened.overview(f, False, options, None, {}) for f in filter_cases(loaded)]
    assert any(len(o.view.spikes) for o in found) and any(len(o.events) for o in found)
    assert any("then," in line for o in found for line in o.notes)


def test_counting_stories_needs_the_windows_rows(both):
    """The rollups count articles: counted as stories, the Overview is the view model of a window's rows.

    Stories are grouped within the window's rows, so only a window of every row groups them as the
    whole data does: with an end date or a category filter, a few stories split (a known difference).
    """
    loaded, opened = both
    assert not dv.rollups_answer(Filters(), True) and dv.rollups_answer(Filters(topics=("AI",)), False)  # topics: rolled up from rows
    options = m.MetricOptions(granularity="week")
    for filters in [without_events(Filters(), loaded.ws.corpus.articles), Filters()]:
        shown, expected = opened.overview(filters, True, options, None, {}), loaded.overview(filters, True, options, None, {})
        assert_frame_equal(shown.view.kpis, expected.view.kpis)
        assert_frame_equal(shown.view.volume, expected.view.volume)
        assert_frame_equal(shown.view.spikes, expected.view.spikes)
        assert (shown.cards, shown.notes) == (expected.cards, expected.notes)


def test_a_window_gives_each_view_the_rows_of_the_whole_data(both):
    loaded, opened = both
    colors = loaded.colors()
    options = m.MetricOptions(top_n=5, granularity="week")
    for filters in filter_cases(loaded) + [replace(filter_cases(loaded)[1], topics=("AI",), search="model", topic_mode="all")]:
        here, there = loaded.selection(filters), opened.selection(filters)
        for mine, theirs in ((there.a, here.a), (there.t, here.t), (there.events, here.events)):
            assert_frame_equal(mine.drop(columns=m.s.ARTICLE_KEY).reset_index(drop=True), theirs.drop(columns=m.s.ARTICLE_KEY).reset_index(drop=True))
        assert [(b.key, b.phrase(), len(b.articles)) for b in there.baselines] == [(b.key, b.phrase(), len(b.articles)) for b in here.baselines]
        for name in ("outlet-share", "outlets-by-period"):
            assert_frame_equal(vw.outlet_view(there, options, colors, weighted=False)[name][0], vw.outlet_view(here, options, colors, weighted=False)[name][0])
        assert_frame_equal(vw.quality_view(there.a).summary, vw.quality_view(here.a).summary)
        assert_frame_equal(m.top_stories(there.a, there.t, limit=50), m.top_stories(here.a, here.t, limit=50))
        for mine, theirs in zip(vw.change_view(there, min_count=2).sections(), vw.change_view(here, min_count=2).sections()):
            assert mine[:2] == theirs[:2]
            assert_frame_equal(mine[2], theirs[2])


def test_the_articles_view_reads_the_same_rows_without_a_window(both, sample_dataset):
    loaded, _ = both
    opened = OpenDataset(DatasetSource(sample_dataset))
    for filters in filter_cases(loaded):
        there, here = opened.rows(filters), loaded.rows(filters)
        assert_frame_equal(m.top_stories(*there, limit=50), m.top_stories(*here, limit=50))
        assert_frame_equal(articles_table(*there).reset_index(drop=True), articles_table(*here).reset_index(drop=True))
    assert all(key[0] == "rows" for key in opened.src._windows)  # no window: nor the periods they are compared with
    assert opened.src.rows(filter_cases(loaded)[-1]) is opened.src.rows(filter_cases(loaded)[-1])  # kept for the next run


def test_the_quality_view_reads_only_the_columns_it_shows(both, sample_dataset):
    loaded, _ = both
    opened = OpenDataset(DatasetSource(sample_dataset))
    for filters in filter_cases(loaded):
        (there, topics), (here, _) = opened.rows(filters, vw.QUALITY_COLUMNS), loaded.rows(filters, vw.QUALITY_COLUMNS)
        assert set(there.columns) == {*vw.QUALITY_COLUMNS, m.s.DOC_ID, m.s.ARTICLE_KEY}
        shown, expected = vw.quality_view(there), vw.quality_view(here)
        assert_frame_equal(shown.points, expected.points)
        assert_frame_equal(shown.summary, expected.summary)
        behind = vw.rows_of_points(there, [{"customdata": [doc]} for doc in shown.points[m.s.DOC_ID].head(3)])
        assert len(ly.rows_blocks(behind, topics, "the selected points")[1].frame) == min(3, len(shown.points))


def test_a_window_keeps_the_dataset_dates_and_its_own_keys(both):
    loaded, opened = both
    filters = filter_cases(loaded)[1]
    ws = opened.src.window(filters)
    assert ws.span == loaded.span
    articles = ws.corpus.articles
    assert articles[m.s.ARTICLE_KEY].tolist() == list(range(len(articles))) and articles.index.equals(pd.RangeIndex(len(articles)))
    assert ws.corpus.topics[m.s.ARTICLE_KEY].between(0, len(articles) - 1).all()
    assert opened.src.window(filters) is ws  # kept for the next view and session
    assert ws.corpus.version != opened.version  # caches keyed by the corpus's version tell windows apart


def test_a_window_too_large_is_refused_with_its_size(both):
    loaded, opened = both
    with pytest.raises(SelectionTooLarge, match=r"these filters select [\d,]+ articles, more than the 10 a view can hold"):
        opened.src.window(Filters(), max_rows=10)
    assert opened.src.window_size(Filters(), history=True) == loaded.articles  # every article, events included


def test_a_window_size_is_at_least_what_the_window_reads_and_exact_for_what_the_rollups_hold(both):
    loaded, opened = both
    for filters in filter_cases(loaded):
        for history in (False, True):
            read = sum(len(select(opened.src.reader, part, columns=[], topics=False).articles) for part in opened.src.window_parts(filters, history=history))
            size = opened.src.window_size(filters, history=history)
            assert size >= read
            if answerable_by_rollups(filters) or not filters.exclude_types:  # the events left out are counted exactly
                assert size == read


def test_a_topic_filter_sums_its_rows_once_for_the_overview_the_header_and_the_report_button(both, sample_dataset, monkeypatch):
    loaded, _ = both
    sums = []
    real = dataset_source.dr.selected_rollups
    monkeypatch.setattr(dataset_source.dr, "selected_rollups", lambda *args: sums.append(args[1]) or real(*args))
    opened = OpenDataset(DatasetSource(sample_dataset))
    filters = replace(without_events(Filters(), loaded.ws.corpus.articles), topics=("AI",))
    assert filters.exclude_types  # the sample data's events are left out, as the page leaves them
    options = m.MetricOptions(granularity="week")
    opened.overview(filters, False, options, None, dv.colors(opened.src))
    opened.caption(filters, False, "here")
    assert opened.report_refusal(filters, False) is None
    assert len(sums) == 1
