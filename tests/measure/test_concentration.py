import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inline_frames import articles_frame, topics_frame
from pandas.testing import assert_frame_equal

from analytics import schema as s
from analytics.measure import concentration as cc

A = articles_frame([
    {s.PROVIDER_NAME: "Alpha"},  # d0
    {s.PROVIDER_NAME: "Alpha"},  # d1
    {s.PROVIDER_NAME: "Beta"},  # d2
    {s.PROVIDER_NAME: "Gamma"},  # d3
    {s.PROVIDER_NAME: "Beta"},  # d4
])
T = topics_frame([("d0", "AI"), ("d1", "AI"), ("d2", "AI"), ("d3", "AI"), ("d0", "Chips"), ("d1", "Chips"), ("d4", "Policy"), ("d2", "Policy")])


def test_concentration_per_topic_exact_values():
    expected = pd.DataFrame(
        {
            s.TOPIC: ["AI", "Chips", "Policy"],
            cc.ARTICLES: [4, 2, 2],
            cc.OUTLETS: [3, 1, 1],
            # AI: shares 1/2, 1/4, 1/4 -> 1/4 + 1/16 + 1/16 = 0.375
            cc.HHI: [0.375, 1.0, 1.0],
            cc.EFFECTIVE_OUTLETS: [1 / 0.375, 1.0, 1.0],
            cc.TOP_OUTLET: ["Alpha", "Alpha", "Beta"],
            cc.TOP_SHARE: [0.5, 1.0, 1.0],
        }
    ).astype({s.TOPIC: "str", cc.TOP_OUTLET: "str"})
    assert_frame_equal(cc.outlet_concentration(A, T), expected)


def test_ties_for_the_top_outlet_go_to_the_first_name_alphabetically():
    a = articles_frame([{s.PROVIDER_NAME: "Zeta"}, {s.PROVIDER_NAME: "Beta"}])
    t = topics_frame([("d0", "AI"), ("d1", "AI")])
    frame = cc.outlet_concentration(a, t)
    assert frame[cc.TOP_OUTLET].tolist() == ["Beta"]
    assert frame[cc.HHI].tolist() == [0.5] and frame[cc.EFFECTIVE_OUTLETS].tolist() == [2.0]


def test_minimum_and_top_n_and_only_the_given_articles():
    assert cc.outlet_concentration(A, T, min_articles=3)[s.TOPIC].tolist() == ["AI"]
    assert cc.outlet_concentration(A, T, top_n=2)[s.TOPIC].tolist() == ["AI", "Chips"]
    only_beta = A[A[s.PROVIDER_NAME] == "Beta"]
    assert cc.outlet_concentration(only_beta, T)[s.TOPIC].tolist() == ["Policy", "AI"]  # 2 articles, then 1


def test_no_topics():
    frame = cc.outlet_concentration(A, topics_frame([]))
    assert frame.empty and frame.columns.tolist() == cc.COLUMNS
    assert frame.dtypes.to_dict() == cc.outlet_concentration(A, T).dtypes.to_dict() == cc.DTYPES


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["AI", "Chips", "Policy"])), min_size=1, max_size=40))
@settings(max_examples=100, deadline=None)
def test_effective_outlets_lies_between_one_and_the_number_of_outlets(rows):
    a = articles_frame([{s.PROVIDER_NAME: f"Outlet {outlet}"} for outlet, _ in rows])
    t = topics_frame([(f"d{i}", topic) for i, (_, topic) in enumerate(rows)])
    frame = cc.outlet_concentration(a, t)
    assert frame[cc.ARTICLES].sum() == len(rows)
    assert (frame[cc.EFFECTIVE_OUTLETS] >= 1 - 1e-9).all()
    assert (frame[cc.EFFECTIVE_OUTLETS] <= frame[cc.OUTLETS] + 1e-9).all()
    assert (frame[cc.TOP_SHARE] >= 1 / frame[cc.OUTLETS] - 1e-9).all()
    assert frame[cc.HHI].to_numpy() == pytest.approx(1 / frame[cc.EFFECTIVE_OUTLETS].to_numpy())
