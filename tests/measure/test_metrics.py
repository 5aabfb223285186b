from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inline_frames import articles_frame, topics_frame, with_keys
from pandas.testing import assert_frame_equal, assert_series_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.measure import metrics as m
from analytics.measure.filters import (
    ALL,
    Filters,
    filter_articles,
    previous_period,
    topics_of,
)

A = articles_frame([
    {s.PUBLISHED_AT: "2026-03-02T10:00", s.PROVIDER_NAME: "Alpha", s.QUALITY: 10.0, s.HEAT: 1.0},
    {s.PUBLISHED_AT: "2026-03-03T10:00", s.PROVIDER_NAME: "Alpha", s.QUALITY: 20.0, s.HEAT: 50.0},
    {s.PUBLISHED_AT: "2026-03-04T10:00", s.PROVIDER_NAME: "Beta", s.QUALITY: 30.0, s.HEAT: 5.0},
    {s.PUBLISHED_AT: "2026-03-18T10:00", s.PROVIDER_NAME: "Gamma", s.QUALITY: 40.0, s.HEAT: 60.0},
    {s.PUBLISHED_AT: None, s.PROVIDER_NAME: "Beta"},
])
T = topics_frame([("d0", "AI"), ("d0", "Policy"), ("d1", "AI"), ("d2", "Chips"), ("d3", "AI"), ("d4", "AI")])
WEEKS = pd.to_datetime(["2026-03-02", "2026-03-09", "2026-03-16"])


def test_volume_fills_empty_periods_with_zero():
    expected = pd.DataFrame({
        m.PERIOD: WEEKS.as_unit("us"), m.GROUP: m.ALL_ARTICLES, m.COUNT: [3, 0, 1],
        m.SHARE: [1.0, 0.0, 1.0], m.ROLLING: np.nan,
    })
    got = m.volume(A, T, granularity="week")
    assert_frame_equal(got, expected, check_dtype=False)
    assert got[m.PERIOD].dt.day_name().eq("Monday").all()


def test_volume_split_by_provider_with_top_n_and_other():
    got = m.volume(A, T, granularity="week", split="provider", top_n=1)
    assert got[m.GROUP].unique().tolist() == ["Alpha", "Other"]
    week1 = got[got[m.PERIOD] == WEEKS[0]]
    assert week1[m.COUNT].tolist() == [2, 1]
    assert week1[m.SHARE].tolist() == pytest.approx([2 / 3, 1 / 3])


def test_volume_split_by_topic_counts_each_topic_of_an_article():
    got = m.volume(A, T, granularity="month", split="topic", top_n=10)
    assert dict(zip(got[m.GROUP], got[m.COUNT])) == {"AI": 3, "Policy": 1, "Chips": 1}


def test_volume_rolling_mean():
    got = m.volume(A, T, granularity="week", rolling=2)
    assert got[m.ROLLING].tolist() == [3.0, 1.5, 0.5]


def test_volume_of_nothing_is_an_empty_frame():
    got = m.volume(A.iloc[0:0], T)
    assert got.empty and list(got.columns) == [m.PERIOD, m.GROUP, m.COUNT, m.SHARE, m.ROLLING]


@pytest.mark.parametrize(
    "metric",
    [
        lambda a, t: m.volume(a, t, split="provider", rolling=2),
        lambda a, t: m.provider_share(a),
        lambda a, t: m.topic_cooccurrence(a, t),
    ],
    ids=["volume", "provider_share", "topic_cooccurrence"],
)
def test_an_empty_result_has_the_columns_and_dtypes_of_a_full_one(metric):
    full, empty = metric(A, T), metric(A.iloc[0:0], T.iloc[0:0])
    assert len(full) and empty.empty
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()


def test_provider_share():
    expected = pd.DataFrame({
        m.GROUP: ["Alpha", "Beta", "Other"],
        s.PROVIDER_DOMAIN: ["alpha.test", "beta.test", ""],
        m.ARTICLES: [2, 2, 1],
        m.HEAT_SUM: [51.0, 5.0, 60.0],
        m.SHARE: [0.4, 0.4, 0.2],
    })
    got = m.provider_share(A, top_n=2)
    assert_frame_equal(got, expected, check_dtype=False)


def test_provider_share_weighted_by_heat():
    got = m.provider_share(A, top_n=5, weight="heat")
    assert got[m.GROUP].tolist() == ["Gamma", "Alpha", "Beta"]
    assert got[m.SHARE].tolist() == pytest.approx([60 / 116, 51 / 116, 5 / 116])


def test_topic_mix_shares_are_of_topic_mentions():
    got = m.topic_mix(A, T, granularity="month")
    assert got[m.SHARE].sum() == pytest.approx(1.0)
    assert dict(zip(got[m.GROUP], got[m.COUNT])) == {"AI": 3, "Policy": 1, "Chips": 1}


def test_topic_cooccurrence():
    got = m.topic_cooccurrence(A, T)
    pairs = {(a, b): n for a, b, n in got.itertuples(index=False)}
    assert pairs[("AI", "AI")] == 4 and pairs[("AI", "Policy")] == 1 and pairs[("Policy", "AI")] == 1
    assert pairs[("AI", "Chips")] == 0


def test_quality_heat_quadrants_and_summary():
    points = m.quality_heat(A)
    assert len(points) == 4  # the undated article has no scores
    assert dict(zip(points[s.QUALITY], points[m.QUADRANT])) == {
        10.0: m.LOW_PRIORITY, 20.0: m.OVER_EXPOSED, 30.0: m.UNDER_PROMOTED, 40.0: m.DESERVED,
    }
    summary = dict(m.quality_heat_summary(A).itertuples(index=False))
    assert summary["Articles with both scores"] == 4 and summary["Articles without both scores"] == 1
    assert summary["Spearman correlation"] == pytest.approx(0.8)  # 1 - 6·2 / (4·15)
    assert summary[m.UNDER_PROMOTED] == 1


def test_kpis_change_against_previous():
    got = m.kpis(A.iloc[:4], T, A.iloc[:2], T)
    row = got.set_index(m.METRIC).loc["Articles"]
    assert (row[m.VALUE], row[m.PREVIOUS], row[m.CHANGE]) == (4.0, 2.0, 1.0)
    assert got.set_index(m.METRIC).loc["Outlets", m.VALUE] == 3


def test_kpis_without_a_previous_period_have_no_change():
    got = m.kpis(A, T, A.iloc[0:0], T)
    assert got[m.CHANGE].isna().all()


def test_top_stories_are_hottest_first_with_missing_last():
    got = m.top_stories(A, T, limit=None)
    assert got[s.DOC_ID].tolist() == ["d3", "d1", "d2", "d0", "d4"]
    assert got.set_index(s.DOC_ID).loc["d0", m.TOPICS_TEXT] == "AI; Policy"


def test_articles_behind_a_bar():
    rows = m.articles_behind(A, T, period=WEEKS[0], granularity="week", split="provider", group="Alpha")
    assert rows[s.DOC_ID].tolist() == ["d0", "d1"]
    rows = m.articles_behind(A, T, period=WEEKS[0], granularity="week", split="provider", group=m.OTHER, top_groups=["Alpha"])
    assert rows[s.DOC_ID].tolist() == ["d2"]
    rows = m.articles_behind(A, T, split="topic", group="AI")
    assert rows[s.DOC_ID].tolist() == ["d0", "d1", "d3", "d4"]
    rows = m.articles_behind(A.assign(**{s.CATEGORY: pd.Series(["news", None, "news", None, "opinion"], dtype="category")}), T, split="category", group=m.NONE)
    assert rows[s.DOC_ID].tolist() == ["d1", "d3"]  # the "(none)" bar of a volume chart has articles behind it


@pytest.mark.parametrize(
    ("split", "options", "positions", "groups"),
    [
        (None, {}, [0, 1, 2, 3, 4], [m.ALL_ARTICLES] * 5),
        ("provider", {}, [0, 1, 2, 3, 4], ["Alpha", "Alpha", "Beta", "Gamma", "Beta"]),
        ("provider", {"top_n": 1}, [0, 1, 2, 3, 4], ["Alpha", "Alpha", m.OTHER, m.OTHER, m.OTHER]),
        ("provider", {"top_groups": ["Beta"]}, [0, 1, 2, 3, 4], [m.OTHER, m.OTHER, "Beta", m.OTHER, "Beta"]),
        ("category", {}, [0, 1, 2, 3, 4], ["news", m.NONE, "news", m.NONE, "opinion"]),
        ("topic", {}, [0, 0, 1, 2, 3, 4], ["AI", "Policy", "AI", "Chips", "AI", "AI"]),
        ("topic", {"top_n": 1}, [0, 0, 1, 2, 3, 4], ["AI", m.OTHER, "AI", m.OTHER, "AI", "AI"]),
        ("topic", {"top_groups": ["Chips"]}, [0, 0, 1, 2, 3, 4], [m.OTHER, m.OTHER, m.OTHER, "Chips", m.OTHER, m.OTHER]),
    ],
)
def test_group_rows_names_the_chart_group_of_every_counted_item(split, options, positions, groups):
    articles = A.assign(**{s.CATEGORY: pd.Series(["news", None, "news", None, "opinion"], dtype="category")})
    got_positions, got_groups = m.group_rows(articles, T, split, **options)
    assert got_positions.tolist() == positions
    assert [str(g) for g in got_groups] == groups


def test_group_rows_ranks_the_top_groups_and_counts_each_copy_of_an_article():
    _, ranked = m.group_rows(A, T, "topic", top_n=2)
    assert list(ranked.categories) == ["AI", "Chips", m.OTHER]  # most frequent first, ties by name
    twice = pd.concat([A, A.iloc[[0]]], ignore_index=True)  # d0 again, at position 5
    positions, groups = m.group_rows(twice, T, "topic")
    assert sorted(zip(positions.tolist(), map(str, groups))) == [
        (0, "AI"), (0, "Policy"), (1, "AI"), (2, "Chips"), (3, "AI"), (4, "AI"), (5, "AI"), (5, "Policy"),
    ]


@pytest.mark.parametrize("split", ["topic", "galaxy"])
def test_group_rows_needs_topics_and_a_known_split(split):
    with pytest.raises(ValueError):
        m.group_rows(A, None, split)


# --- properties -----------------------------------------------------------------------------

_row = st.fixed_dictionaries({
    s.PUBLISHED_AT: st.one_of(st.none(), st.datetimes(min_value=pd.Timestamp("2024-01-01").to_pydatetime(), max_value=pd.Timestamp("2026-12-31").to_pydatetime()).map(lambda d: pd.Timestamp(d, tz="UTC"))),
    s.PROVIDER_NAME: st.sampled_from(["Alpha", "Beta", "Gamma", "Delta"]),
    s.CATEGORY: st.sampled_from(["news", "opinion", None]),
})


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=40), granularity=st.sampled_from(list(m.GRANULARITIES)), split=st.sampled_from([None, "provider", "category"]), top_n=st.integers(1, 5))
def test_property_volume_totals_and_shares(rows, granularity, split, top_n):
    articles = articles_frame(rows)
    got = m.volume(articles, None, granularity=granularity, split=split, top_n=top_n)
    assert got[m.COUNT].sum() == articles[s.PUBLISHED_AT].notna().sum()
    if not got.empty:
        sums = got.groupby(m.PERIOD)[m.SHARE].sum()
        counts = got.groupby(m.PERIOD)[m.COUNT].sum()
        assert np.allclose(sums[counts > 0], 1.0) and (sums[counts == 0] == 0).all()


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=30), top_n=st.integers(1, 5))
def test_property_provider_shares_sum_to_one(rows, top_n):
    got = m.provider_share(articles_frame(rows), top_n=top_n)
    assert got[m.SHARE].sum() == pytest.approx(1.0)
    assert got[m.ARTICLES].sum() == len(rows)
    assert len(got) <= top_n + 1


def test_metrics_cope_with_a_corpus_without_topics():
    empty = topics_frame([])
    assert m.top_stories(A, empty)[m.TOPICS_TEXT].eq("").all()
    assert m.topic_cooccurrence(A, empty).empty
    assert m.topic_mix(A, empty).empty
    assert m.kpis(A, empty, A, empty).set_index(m.METRIC).loc["Topics", m.VALUE] == 0


def test_an_article_listed_twice_counts_twice_in_topic_splits_and_keeps_its_topics():
    twice = pd.concat([A, A.iloc[[0]]], ignore_index=True)  # d0 again
    for articles, topics in ((twice, T), with_keys(twice, T)):
        got = m.volume(articles, topics, granularity="month", split="topic", top_n=10)
        assert dict(zip(got[m.GROUP], got[m.COUNT])) == {"AI": 4, "Policy": 2, "Chips": 1}
        stories = m.top_stories(articles, topics, limit=None)
        assert stories.loc[stories[s.DOC_ID] == "d0", m.TOPICS_TEXT].tolist() == ["AI; Policy", "AI; Policy"]
        assert s.ARTICLE_KEY not in stories.columns


@settings(max_examples=40, deadline=None)
@given(
    ids=st.lists(st.sampled_from(["d0", "d1", "d2", "d3", "d4"]), min_size=5, max_size=5),
    pairs=st.lists(st.tuples(st.sampled_from(["d0", "d1", "d2", "d3", "d4", "elsewhere"]), st.sampled_from(["AI", "Chips", "Policy"])), max_size=12),
    limit=st.sampled_from([None, 1, 3]),
)
def test_property_top_stories_topics_are_each_articles_topics_in_written_order(ids, pairs, limit):
    articles = A.assign(**{s.DOC_ID: pd.Series(ids, dtype=s.STRING)})
    topics = topics_frame(pairs)
    got = m.top_stories(articles, topics, limit=limit)
    written = {doc: "; ".join(topic for owner, topic in pairs if owner == doc) for doc in set(ids)}
    assert got[m.TOPICS_TEXT].tolist() == [written[doc] for doc in got[s.DOC_ID]]
    assert got[m.TOPICS_TEXT].dtype == s.STRING
    assert_frame_equal(m.top_stories(*with_keys(articles, topics), limit=limit), got)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(*[st.sampled_from([0.0, 1.0, 2.0, 3.0, np.inf])] * 3), max_size=120),
    limit=st.one_of(st.none(), st.integers(0, 40)),
)
def test_the_first_rows_are_those_a_full_sort_puts_first(rows, limit):
    """Sorting only the rows that can make the top is the same as sorting all (ties included)."""
    keys = [np.array([row[k] for row in rows], dtype=float) for k in range(3)]
    full = np.lexsort(keys) if rows else np.empty(0, dtype=np.intp)
    assert m._first_rows(keys, limit).tolist() == (full if limit is None else full[:limit]).tolist()


SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
METRICS = {
    "kpis": lambda a, t, before, bt: m.kpis(a, t, before, bt),
    "volume": lambda a, t, before, bt: m.volume(a, t, granularity="week", rolling=3),
    "volume by outlet": lambda a, t, before, bt: m.volume(a, t, granularity="day", split="provider", top_n=3),
    "volume by topic": lambda a, t, before, bt: m.volume(a, t, granularity="month", split="topic", top_n=4),
    "provider_share": lambda a, t, before, bt: m.provider_share(a, top_n=3, weight="heat"),
    "topic_mix": lambda a, t, before, bt: m.topic_mix(a, t, granularity="week", top_n=5),
    "topic_cooccurrence": lambda a, t, before, bt: m.topic_cooccurrence(a, t, top_n=6),
    "quality_heat": lambda a, t, before, bt: m.quality_heat(a),
    "quality_heat_summary": lambda a, t, before, bt: m.quality_heat_summary(a),
    "top_stories": lambda a, t, before, bt: m.top_stories(a, t, limit=None),
}


@pytest.fixture(scope="module")
def sample():
    return load_corpus(SAMPLE)


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(start=date(2026, 6, 1), topics=("Policy",)), Filters(topics=("AI", "Policy"), topic_mode=ALL), Filters(search="the")],
    ids=["everything", "dates and a topic", "all of two topics", "search"],
)
@pytest.mark.parametrize("metric", list(METRICS))
def test_metrics_of_a_load_are_the_same_whether_matched_by_article_key_or_by_id(sample, filters, metric):
    """The load's article keys only make the lookups faster: dropping them changes no number."""
    span = sample.articles[s.PUBLISHED_AT].min().date(), sample.articles[s.PUBLISHED_AT].max().date()
    plain = {name: frame.drop(columns=s.ARTICLE_KEY) for name, frame in (("articles", sample.articles), ("topics", sample.topics))}

    def run(articles, topics):
        a = filter_articles(articles, topics, filters)
        before = filter_articles(articles, topics, previous_period(filters, *span))
        twice = pd.concat([a, a.iloc[::5]])  # some articles listed twice, as a careless join would give
        return [METRICS[metric](rows, topics_of(topics, rows), before, topics_of(topics, before)) for rows in (a, twice)]

    for keyed, by_id in zip(run(sample.articles, sample.topics), run(plain["articles"], plain["topics"])):
        assert_frame_equal(keyed, by_id)


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
def test_periods_agree_with_pandas_period_arithmetic(granularity):
    stamps = ["1969-12-28T23:59:59Z", "1970-01-01T00:00:00Z", "2026-03-01T23:59:59Z", "2026-03-02T00:00:00Z", None, "2024-02-29T12:00:00Z"]
    at = pd.Series(pd.to_datetime(stamps, utc=True), name="when").astype(s.TIMESTAMP)
    for stamps in (at, at.iloc[:0], at.iloc[[4]], at.iloc[::-1]):  # also nothing, and only a missing time
        by_pandas = m.periods(stamps.astype("datetime64[ns, UTC]"), granularity)  # another unit: pandas' own arithmetic
        assert_series_equal(m.periods(stamps, granularity), by_pandas.astype("datetime64[us]"))
