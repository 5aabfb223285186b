from datetime import date

import numpy as np
import pandas as pd
from inline_frames import articles_frame, topics_frame
from pandas.testing import assert_frame_equal

from analytics import schema as s
from analytics.measure import compare as cmp
from analytics.measure import metrics as m
from analytics.measure.filters import Filters

A = articles_frame([
    {s.PUBLISHED_AT: "2026-02-03T10:00", s.PROVIDER_NAME: "Alpha", s.QUALITY: 80.0, s.HEAT: 10.0},  # d0
    {s.PUBLISHED_AT: "2026-02-20T10:00", s.PROVIDER_NAME: "Beta", s.QUALITY: 40.0, s.HEAT: 30.0},  # d1
    {s.PUBLISHED_AT: "2026-03-02T10:00", s.PROVIDER_NAME: "Alpha", s.QUALITY: 60.0, s.HEAT: 20.0},  # d2
    {s.PUBLISHED_AT: "2026-03-03T10:00", s.PROVIDER_NAME: "Alpha"},  # d3
    {s.PUBLISHED_AT: "2026-03-30T10:00", s.PROVIDER_NAME: "Gamma", s.QUALITY: 20.0, s.HEAT: 90.0},  # d4
])
T = topics_frame([("d0", "AI"), ("d1", "AI"), ("d1", "Chips"), ("d2", "AI"), ("d3", "Chips"), ("d4", "Policy")])
SPAN = (date(2026, 2, 3), date(2026, 3, 30))  # the first and last days of A


def sides(pair: cmp.Comparison) -> tuple[cmp.Side, cmp.Side]:
    return cmp.sides(A, T, pair, SPAN)


def test_sides_are_filtered_once_each_and_span_the_data_unless_dated():
    a, b = sides(cmp.outlets_vs_rest(A, Filters(), ["alpha.test"]))
    assert (a.label, b.label) == ("Alpha", "All other outlets")
    assert a.articles[s.DOC_ID].tolist() == ["d0", "d2", "d3"] and b.articles[s.DOC_ID].tolist() == ["d1", "d4"]
    assert a.topics[s.DOC_ID].tolist() == ["d0", "d2", "d3"] and b.topics[s.TOPIC].astype(str).tolist() == ["AI", "Chips", "Policy"]
    assert (a.start, a.end) == (b.start, b.end) == SPAN
    now, before = sides(cmp.period_vs_previous(Filters(start=date(2026, 3, 1), end=date(2026, 3, 31)), *SPAN))
    assert (now.start, now.end, before.start, before.end) == (date(2026, 3, 1), date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28))
    assert now.articles[s.DOC_ID].tolist() == ["d2", "d3", "d4"] and before.articles[s.DOC_ID].tolist() == ["d0", "d1"]


def test_the_compare_functions_read_only_the_sides_they_are_given():
    alpha = A[A[s.PROVIDER_NAME] == "Alpha"]
    a = cmp.Side("Alpha", alpha, T[T[s.DOC_ID].isin(alpha[s.DOC_ID])], date(2026, 3, 1), date(2026, 3, 31))
    b = cmp.Side("Nobody", A.iloc[0:0], T.iloc[0:0], date(2026, 3, 1), date(2026, 3, 31))
    assert cmp.compare_volume(a, b, granularity="month")[[cmp.COUNT_A, cmp.COUNT_B]].values.tolist() == [[2, 0]]  # d0 is in February
    assert cmp.compare_topics(a, b)[cmp.COUNT_A].tolist() == [2, 1]
    assert cmp.compare_quality(a, b).set_index(m.METRIC).loc["Articles with both scores", cmp.VALUE_B] == 0
    undated = cmp.Side("Undated", alpha, T, None, None)
    assert cmp.compare_volume(undated, undated).empty


def test_outlets_vs_rest_splits_the_outlets():
    pair = cmp.outlets_vs_rest(A, Filters(), ["alpha.test"])
    assert pair.a.providers == ("alpha.test",) and pair.b.providers == ("beta.test", "gamma.test")
    assert (pair.label_a, pair.label_b) == ("Alpha", "All other outlets")
    within = cmp.outlets_vs_rest(A, Filters(providers=("alpha.test", "beta.test")), ["alpha.test"], label="Us")
    assert within.b.providers == ("beta.test",) and within.label_a == "Us"
    alone = cmp.outlets_vs_rest(A, Filters(providers=("alpha.test",)), ["alpha.test"])
    assert cmp.compare_volume(*sides(alone), granularity="month")[cmp.COUNT_B].sum() == 0  # nobody else, not everybody


def test_period_vs_previous_is_the_calendar_period_before():
    march = cmp.period_vs_previous(Filters(start=date(2026, 3, 1), end=date(2026, 3, 31)), date(2026, 1, 1), date(2026, 4, 30))
    assert (march.a.start, march.a.end, march.b.start, march.b.end) == (date(2026, 3, 1), date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28))
    assert (march.label_a, march.label_b) == ("Mar 2026", "Feb 2026")
    week = cmp.period_vs_previous(Filters(start=date(2026, 3, 2), end=date(2026, 3, 8)), date(2026, 1, 1), date(2026, 3, 31))
    assert (week.b.start, week.b.end) == (date(2026, 2, 23), date(2026, 3, 1))
    so_far = cmp.period_vs_previous(Filters(), date(2026, 3, 1), date(2026, 3, 26))  # a month so far: the same days of February
    assert (so_far.b.start, so_far.b.end) == (date(2026, 2, 1), date(2026, 2, 26))
    custom = cmp.period_vs_previous(Filters(), date(2026, 3, 3), date(2026, 3, 26))  # any other range: days of equal length
    assert (custom.b.start, custom.b.end) == (date(2026, 2, 7), date(2026, 3, 2))
    assert cmp.period_vs_previous(Filters(), date(1, 1, 1), date(1, 1, 31)) is None  # nothing before year 1


def test_compare_volume_same_dates():
    pair = cmp.outlets_vs_rest(A, Filters(), ["alpha.test"])
    months = pd.to_datetime(["2026-02-01", "2026-03-01"]).as_unit("us")
    expected = pd.DataFrame(
        {
            cmp.STEP: np.array([0, 1], dtype="int64"),
            cmp.PERIOD_A: months,
            cmp.PERIOD_B: months,
            cmp.COUNT_A: pd.array([1, 2], dtype="Int64"),
            cmp.COUNT_B: pd.array([1, 1], dtype="Int64"),
            cmp.DIFFERENCE: pd.array([0, 1], dtype="Int64"),
        }
    )
    assert_frame_equal(cmp.compare_volume(*sides(pair), granularity="month"), expected)


def test_compare_volume_aligns_a_period_with_the_one_before_step_by_step():
    pair = cmp.period_vs_previous(Filters(start=date(2026, 3, 1), end=date(2026, 3, 31)), date(2026, 2, 3), date(2026, 3, 30))
    days = cmp.compare_volume(*sides(pair), granularity="day")
    assert len(days) == 31  # 1 to 31 March against 1 to 28 February (NA past its end)
    assert days[cmp.PERIOD_A].iloc[0] == pd.Timestamp("2026-03-01") and days[cmp.PERIOD_B].iloc[0] == pd.Timestamp("2026-02-01")
    assert days[cmp.PERIOD_B].iloc[27] == pd.Timestamp("2026-02-28") and days[cmp.COUNT_B].iloc[28:].isna().all()
    assert days[cmp.COUNT_A].iloc[[1, 2, 29]].tolist() == [1, 1, 1]  # 2, 3 and 30 March
    assert days[cmp.COUNT_B].iloc[[2, 19]].tolist() == [1, 1]  # 3 and 20 February
    assert days[cmp.DIFFERENCE].iloc[1] == 1 and days[cmp.DIFFERENCE].iloc[2] == 0 and days[cmp.DIFFERENCE].iloc[0] == 0
    assert days[cmp.COUNT_A].sum() == 3 and days[cmp.COUNT_B].sum() == 2
