"""Overview metrics from a dataset's rollups equal the metrics of the articles the filters select."""

from dataclasses import replace
from datetime import date

import pytest
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics.frames import rollups as rollup_columns
from analytics.frames.dataset import build_dataset
from analytics.generate import generate_corpus
from analytics.measure import metrics as m
from analytics.measure import overview
from analytics.measure.dataset_rows import (
    answerable_by_rollups,
    read_rollups,
    selected_rollups,
    within_days,
)
from analytics.measure.filters import (
    Filters,
    filter_articles,
    previous_period,
    topics_of,
)

FILTERS = [
    Filters(),
    Filters(start=date(2024, 2, 10), end=date(2025, 6, 3)),
    Filters(providers=("dailyledger.example", "metrotribune.example"), types=("article",)),
    Filters(categories=("news",), published=True),
    Filters(start=date(2030, 1, 1)),  # nothing
]
# Filters only the rows can answer: topics, scores, text.
ROW_FILTERS = [
    Filters(topics=("AI",)),
    Filters(topics=("AI", "Policy"), topic_mode="all", start=date(2024, 6, 1), end=date(2025, 12, 31)),
    Filters(quality=(40.0, 70.0), heat=(10.0, 90.0), categories=("news",)),
    Filters(search="the", providers=("dailyledger.example", "metrotribune.example")),
]


@pytest.fixture(scope="module", params=["one build", "a second build adding documents"])
def built(request, tmp_path_factory, dask_scheduler):
    root = tmp_path_factory.mktemp("overview")
    generate_corpus(root / "docs", 600, seed=3, body_paragraphs=(1, 1))
    (root / "more").mkdir()
    build_dataset(root / "docs", root / "more", out=root / "ds", scheduler=dask_scheduler)
    if request.param != "one build":  # each month's rollups in two parts, whose groups overlap
        generate_corpus(root / "more", 150, seed=4, body_paragraphs=(1, 1))
        build_dataset(root / "docs", root / "more", out=root / "ds", scheduler=dask_scheduler)
    return load_corpus(root / "docs", root / "more", cache=False), root / "ds"


def _selected(corpus, filters):
    articles = filter_articles(corpus.articles, corpus.topics, filters)
    return articles, topics_of(corpus.topics, articles)


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("granularity", ["day", "week", "month"])
@pytest.mark.parametrize("split", [None, "provider", "category", "topic"])
def test_volume_from_rollups_equals_volume_of_the_rows(built, filters, granularity, split):
    corpus, folder = built
    a, t = _selected(corpus, filters)
    expected = m.volume(a, t, granularity=granularity, split=split, top_n=4, rolling=3)
    assert_frame_equal(overview.volume(read_rollups(folder, filters), granularity=granularity, split=split, top_n=4, rolling=3), expected)


@pytest.mark.parametrize("filters", FILTERS)
def test_shares_mix_and_kpis_from_rollups_equal_those_of_the_rows(built, filters):
    corpus, folder = built
    a, t = _selected(corpus, filters)
    rows = read_rollups(folder, filters)
    for weight in (None, "heat"):
        assert_frame_equal(overview.provider_share(rows, top_n=5, weight=weight), m.provider_share(a, top_n=5, weight=weight))
    assert_frame_equal(overview.topic_mix(rows, granularity="week", top_n=6), m.topic_mix(a, t, granularity="week", top_n=6))
    before = previous_period(filters, date(2023, 11, 1), date(2026, 10, 31))
    pa, pt = _selected(corpus, before)
    assert_frame_equal(overview.kpis(rows, read_rollups(folder, before)), m.kpis(a, t, pa, pt))
    if len(a):
        assert overview.headline(rows)["Articles"] == len(a) > 0


def test_filters_the_rollups_cannot_answer_are_refused(built):
    _, folder = built
    for filters in (Filters(topics=("AI",)), Filters(quality=(1, 2)), Filters(search="x")):
        assert not answerable_by_rollups(filters)
        with pytest.raises(ValueError, match="rows"):
            read_rollups(folder, filters)


@pytest.mark.parametrize("filters", FILTERS)
def test_rollups_summed_from_the_rows_equal_the_stored_ones(built, filters):
    _, folder = built
    found, stored = selected_rollups(folder, filters), read_rollups(folder, filters)
    assert_frame_equal(found.topics, stored.topics)
    r = rollup_columns  # scores are kept per day too, so that they can be narrowed to dates
    by_score = found.scores.groupby([r.SCORE, r.BIN], sort=True)[r.ARTICLES].sum().reset_index() if len(found.scores) else found.scores.drop(columns=r.DAY)
    assert_frame_equal(by_score, stored.scores, check_index_type=False)
    # A month built in two parts has a stored row per group in each part: summed, they are one
    summed = stored.articles.groupby(rollup_columns.GROUPS, dropna=False, sort=True).sum().reset_index() if len(stored.articles) else stored.articles
    assert_frame_equal(found.articles, summed)


@pytest.mark.parametrize("filters", ROW_FILTERS)
@pytest.mark.parametrize("split", [None, "provider", "topic"])
def test_the_overview_of_filters_only_rows_answer_equals_that_of_the_rows(built, filters, split):
    corpus, folder = built
    a, t = _selected(corpus, filters)
    assert len(a)  # not vacuous
    rows = selected_rollups(folder, filters)
    expected = m.volume(a, t, granularity="week", split=split, top_n=4, rolling=3)
    assert_frame_equal(overview.volume(rows, granularity="week", split=split, top_n=4, rolling=3), expected)
    before = previous_period(filters, date(2023, 11, 1), date(2026, 10, 31))
    pa, pt = _selected(corpus, before)
    assert_frame_equal(overview.kpis(rows, selected_rollups(folder, before)), m.kpis(a, t, pa, pt))


@pytest.mark.parametrize("filters", FILTERS[:4] + ROW_FILTERS)
def test_rollups_of_every_day_narrowed_to_dates_are_those_of_the_dates(built, filters):
    _, folder = built
    dated = replace(filters, start=date(2024, 2, 10), end=date(2025, 6, 3))
    every_day = selected_rollups(folder, replace(filters, start=None, end=None))
    narrowed, expected = within_days(every_day, dated.start, dated.end), selected_rollups(folder, dated)
    assert len(expected.articles)  # not vacuous
    for name in ("articles", "topics", "scores"):
        assert_frame_equal(getattr(narrowed, name), getattr(expected, name))
