from datetime import date

import pandas as pd
import pytest
from inline_frames import articles_frame, topics_frame
from pandas.testing import assert_frame_equal

from analytics import schema as s
from analytics.measure import movers as mv
from analytics.measure.filters import Filters


def frames(topic_lists: list[list[str]], outlet: str = "Alpha"):
    articles = articles_frame([{s.PROVIDER_NAME: outlet, s.PUBLISHED_AT: "2026-03-01"} for _ in topic_lists])
    pairs = [(f"d{i}", topic) for i, topics in enumerate(topic_lists) for topic in topics]
    return articles, topics_frame(pairs)


def test_movers_compare_shares_with_the_counts_behind_them():
    now, now_t = frames([["AI"]] * 6 + [["Chips"]] * 4)
    before, before_t = frames([["AI"]] * 9 + [["Chips"]] * 1 + [["Policy"]] * 10)
    got = mv.movers(now, now_t, before, before_t, by="topic", min_count=3)
    expected = pd.DataFrame({
        mv.GROUP: ["Policy", "Chips", "AI"],
        mv.COUNT: [0, 4, 6],
        mv.PREVIOUS_COUNT: [10, 1, 9],
        mv.SHARE: [0.0, 0.4, 0.6],
        mv.PREVIOUS_SHARE: [0.5, 0.05, 0.45],
        mv.CHANGE: [-0.5, 0.35, 0.15],
        mv.STATUS: [mv.QUIET, mv.UP, mv.UP],
    })
    assert_frame_equal(got, expected, check_dtype=False, atol=1e-12)


def test_small_counts_are_not_called_a_trend():
    now, now_t = frames([["AI"]] * 10 + [["Rare"]] * 2)
    before, before_t = frames([["AI"]] * 10)
    got = mv.movers(now, now_t, before, before_t, min_count=3).set_index(mv.GROUP)
    assert got.loc["Rare", mv.STATUS] == mv.TOO_FEW
    assert got.index[-1] == "Rare"  # sorted after every group worth calling


def test_movers_by_outlet_and_new_outlets():
    now, _ = frames([[]] * 5, outlet="Beta")
    before, _ = frames([[]] * 5, outlet="Alpha")
    got = mv.movers(now, topics_frame([]), before, topics_frame([]), by="provider").set_index(mv.GROUP)
    assert got.loc["Beta", mv.STATUS] == mv.NEW and got.loc["Alpha", mv.STATUS] == mv.QUIET


def test_unknown_grouping_is_refused():
    a, t = frames([["AI"]])
    with pytest.raises(ValueError, match="unknown grouping"):
        mv.movers(a, t, a, t, by="weather")


def test_movers_window_defaults_to_the_last_30_days_of_data():
    articles = articles_frame([{s.PUBLISHED_AT: "2026-01-01"}, {s.PUBLISHED_AT: "2026-03-31T18:00"}])
    window, label = mv.movers_window(Filters(topics=("AI",)), articles)
    assert (window.start, window.end, window.topics) == (date(2026, 3, 2), date(2026, 3, 31), ("AI",))
    assert "last 30 days" in label
    chosen = Filters(start=date(2026, 1, 1))
    assert mv.movers_window(chosen, articles) == (chosen, "the selected dates")
