import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inline_frames import articles_frame, topics_frame
from pandas.testing import assert_frame_equal

from analytics import schema as s
from analytics.frames import stories as sto
from analytics.measure import metrics as m
from analytics.measure import spikes as sp

WEEKS = pd.date_range("2026-01-05", periods=14, freq="7D").as_unit("us")


def volume_frame(series: dict[str, list[int]]) -> pd.DataFrame:
    """A `metrics.volume`-shaped frame: one count per week and group."""
    periods = WEEKS[: len(next(iter(series.values())))]
    rows = [(p, g, c) for i, p in enumerate(periods) for g, counts in series.items() for c in [counts[i]]]
    frame = pd.DataFrame(rows, columns=[m.PERIOD, m.GROUP, m.COUNT])
    return frame.assign(**{m.SHARE: 0.0, m.ROLLING: np.nan})


def test_a_planted_spike_is_found_with_its_baseline():
    counts = [10, 11, 9, 10, 12, 10, 9, 11, 10, 30, 10, 11]
    found = sp.spikes(volume_frame({m.ALL_ARTICLES: counts}))
    # Baseline of week 9: median of the 8 weeks before (10); MAD 0.5, floored to 1.
    expected = pd.DataFrame(
        {
            m.PERIOD: [WEEKS[9]],
            m.GROUP: [m.ALL_ARTICLES],
            m.COUNT: [30],
            sp.BASELINE: [10.0],
            sp.THRESHOLD: [10 + 3.5 * 1.4826],
            sp.SCORE: [20 / 1.4826],
        }
    )
    assert_frame_equal(found, expected, check_dtype=False)


def test_a_flat_series_has_no_spikes():
    assert sp.spikes(volume_frame({m.ALL_ARTICLES: [25] * 14})).empty


def test_a_noisy_series_without_a_spike_has_none():
    counts = [20, 26, 17, 23, 29, 18, 24, 21, 27, 16, 25, 22, 19, 28]
    scored = sp.spike_scores(volume_frame({m.ALL_ARTICLES: counts}))
    assert not scored[sp.IS_SPIKE].any()
    assert scored[sp.SCORE].dropna().max() < 3.5


def test_the_first_window_periods_are_never_flagged():
    counts = [1, 1, 500, 1, 1, 1, 1, 1, 1, 1, 1]
    scored = sp.spike_scores(volume_frame({m.ALL_ARTICLES: counts}), options=sp.SpikeOptions(window=4))
    assert scored[sp.BASELINE].isna().tolist() == [True] * 4 + [False] * 7
    assert not scored[sp.IS_SPIKE].any()


@pytest.mark.parametrize(("count", "spike"), [(7, False), (8, True)])
def test_a_quiet_series_needs_the_minimum_count(count, spike):
    options = sp.SpikeOptions(min_count=8)
    scored = sp.spike_scores(volume_frame({m.ALL_ARTICLES: [0] * 9 + [count]}), options=options)
    assert scored[sp.IS_SPIKE].tolist() == [False] * 9 + [spike]
    assert scored[sp.THRESHOLD].iloc[-1] == 8  # 0 + 3.5 × 1.4826 is below the minimum


def test_each_group_is_judged_against_its_own_baseline():
    volume = volume_frame({"AI": [50, 52, 48, 51, 49, 50, 53, 47, 50, 56], "Chips": [2, 3, 2, 2, 3, 2, 2, 3, 2, 12]})
    found = sp.spikes(volume)
    assert found[m.GROUP].tolist() == ["Chips"]
    assert found[m.PERIOD].tolist() == [WEEKS[9]]


def test_empty_volume():
    empty = sp.spike_scores(volume_frame({"AI": []}).iloc[:0])
    assert empty.columns.tolist() == [m.PERIOD, m.GROUP, m.COUNT, sp.BASELINE, sp.THRESHOLD, sp.SCORE, sp.IS_SPIKE]
    full = sp.spike_scores(m.volume(articles_frame([{s.PUBLISHED_AT: "2026-03-02T10:00"}]), granularity="week"))
    assert empty.dtypes.to_dict() == full.dtypes.to_dict() == sp.SCORE_DTYPES
    assert sp.spikes(volume_frame({"AI": []}).iloc[:0]).dtypes.to_dict() == sp.SPIKE_DTYPES


@given(st.integers(2, 1000), st.lists(st.integers(-2, 2), min_size=9, max_size=40))
@settings(max_examples=100, deadline=None)
def test_a_series_that_never_strays_two_articles_from_its_level_has_no_spikes(level, noise):
    # Within ±2 of a level the score is at most 4 / 1.4826 ≈ 2.7 (MAD is at least 1): below 3.5.
    counts = [level + n for n in noise]
    periods = pd.date_range("2024-01-01", periods=len(counts), freq="D").as_unit("us")
    volume = pd.DataFrame({m.PERIOD: periods, m.GROUP: "AI", m.COUNT: counts, m.SHARE: 1.0, m.ROLLING: np.nan})
    assert sp.spikes(volume).empty


@given(st.lists(st.integers(0, 40), min_size=9, max_size=30), st.integers(0, 29), st.integers(200, 400))
@settings(max_examples=100, deadline=None)
def test_a_large_jump_after_the_window_is_always_found(counts, where, jump):
    where = 8 + where % (len(counts) - 8)
    counts = counts[:where] + [jump] + counts[where + 1 :]
    periods = pd.date_range("2024-01-01", periods=len(counts), freq="D").as_unit("us")
    volume = pd.DataFrame({m.PERIOD: periods, m.GROUP: "AI", m.COUNT: counts, m.SHARE: 1.0, m.ROLLING: np.nan})
    assert periods[where] in set(sp.spikes(volume)[m.PERIOD])


def test_spike_stories_lists_the_stories_behind_a_spike():
    spike_day = pd.Timestamp("2026-03-10T09:00:00Z")
    title = "Regulators push back on facial recognition"
    rows = [{s.DOC_ID: f"s{i}", s.TITLE: title, s.PROVIDER_NAME: f"Outlet {i}", s.PUBLISHED_AT: spike_day + pd.Timedelta(hours=i)} for i in range(3)]
    rows += [
        {s.DOC_ID: "lone", s.TITLE: "Banks fund energy use", s.PROVIDER_NAME: "Outlet 0", s.PUBLISHED_AT: spike_day},
        {s.DOC_ID: "other-week", s.TITLE: title, s.PROVIDER_NAME: "Outlet 0", s.PUBLISHED_AT: spike_day + pd.Timedelta(days=14)},
        {s.DOC_ID: "other-topic", s.TITLE: "Chipmakers bet on edge devices", s.PROVIDER_NAME: "Outlet 1", s.PUBLISHED_AT: spike_day},
    ]
    articles = articles_frame(rows)
    topics = topics_frame([("s0", "AI"), ("s1", "AI"), ("s2", "AI"), ("lone", "AI"), ("other-week", "AI"), ("other-topic", "Chips")])
    story_map = sto.story_ids(articles, sto_related_none())
    spikes = pd.DataFrame({m.PERIOD: [pd.Timestamp("2026-03-09")], m.GROUP: ["AI"]})
    found = sp.spike_stories(spikes, articles, story_map, topics, granularity="week", split="topic")
    assert found[sto.STORY_ID].tolist() == ["s0", "lone"]
    assert found[sp.RANK].tolist() == [1, 2]
    assert found[sp.ARTICLES].tolist() == [3, 1]
    assert found[sto.N_OUTLETS].tolist() == [3, 1]
    assert found[s.TITLE].tolist() == [title, "Banks fund energy use"]
    assert sp.spike_stories(spikes, articles, story_map, topics, granularity="week", split="topic", per_spike=1)[sto.STORY_ID].tolist() == ["s0"]
    overall = pd.DataFrame({m.PERIOD: [pd.Timestamp("2026-03-09")], m.GROUP: [m.ALL_ARTICLES]})
    assert sp.spike_stories(overall, articles, story_map, granularity="week")[sp.ARTICLES].tolist() == [3, 1, 1]
    outlets = pd.DataFrame({m.PERIOD: [pd.Timestamp("2026-03-09")], m.GROUP: [m.OTHER]})
    others = sp.spike_stories(outlets, articles, story_map, granularity="week", split="provider", top_groups=["Outlet 0"])
    assert others[sto.STORY_ID].tolist() == ["s0", "other-topic"]


def test_spike_scores_read_a_real_volume_frame():
    when = pd.Timestamp("2026-01-05T10:00:00Z")
    rows = [{s.DOC_ID: f"w{w}-{i}", s.PUBLISHED_AT: when + pd.Timedelta(weeks=w)} for w in range(10) for i in range(3)]
    rows += [{s.DOC_ID: f"burst{i}", s.PUBLISHED_AT: when + pd.Timedelta(weeks=9)} for i in range(20)]
    volume = m.volume(articles_frame(rows), granularity="week")
    found = sp.spikes(volume)
    assert found[m.COUNT].tolist() == [23]
    assert found[m.PERIOD].tolist() == [pd.Timestamp("2026-03-09")]


def sto_related_none() -> pd.DataFrame:
    return s.empty_frame(s.RELATED_DTYPES)


def test_the_baseline_is_the_median_of_the_previous_periods_only():
    scored = sp.spike_scores(volume_frame({m.ALL_ARTICLES: [0, 1, 2, 3, 10, 20, 4]}), options=sp.SpikeOptions(window=4))
    assert scored[sp.BASELINE].tolist()[4:] == [1.5, 2.5, 6.5]
    # MAD of (1, 2, 3, 10) around 2.5 is median(1.5, 0.5, 0.5, 7.5) = 1.0
    assert scored[sp.SCORE].iloc[5] == pytest.approx((20 - 2.5) / 1.4826)


def test_spike_stories_name_missing_values_as_the_volume_does():
    when = pd.Timestamp("2026-03-10T09:00:00Z")
    articles = articles_frame([
        {s.DOC_ID: "kept", s.PUBLISHED_AT: when, s.CATEGORY: None},
        {s.DOC_ID: "news", s.PUBLISHED_AT: when, s.CATEGORY: "news"},
    ])
    volume = m.volume(articles, granularity="week", split="category")
    assert set(volume[m.GROUP]) == {"news", m.NONE}
    spikes = volume[[m.PERIOD, m.GROUP]][volume[m.GROUP] == m.NONE]
    found = sp.spike_stories(spikes, articles, sto.story_ids(articles, sto_related_none()), granularity="week", split="category")
    assert found[sto.STORY_ID].tolist() == ["kept"] and found[m.GROUP].tolist() == [m.NONE]
