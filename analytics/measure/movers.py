"""Movers and gaps: which outlets and topics gained or lost share against a baseline period."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pandas as pd

from analytics import schema as s
from analytics.measure.filters import Filters, topics_of
from analytics.measure.metrics import CHANGE, COUNT, GROUP, SHARE

PREVIOUS_COUNT = "previous_count"
PREVIOUS_SHARE = "previous_share"
STATUS = "status"

NEW = "new"
QUIET = "went quiet"
UP = "up"
DOWN = "down"
STEADY = "steady"
TOO_FEW = "too few articles to call"


def movers(
    articles: pd.DataFrame,
    topics: pd.DataFrame,
    previous: pd.DataFrame,
    previous_topics: pd.DataFrame,
    *,
    by: str = "topic",
    min_count: int = 3,
) -> pd.DataFrame:
    """Share of each outlet or topic now and in the baseline, biggest change first.

    Columns: `group, count, previous_count, share, previous_share, change, status`, where
    `change` is in percentage points of share (0.05 = +5 points). Groups with fewer than
    `min_count` articles in both periods are marked "too few articles to call" and sorted
    last, so a jump from 1 to 3 articles does not read as a trend. A topic present in the
    baseline and absent now "went quiet".
    """
    now = _counts(articles, topics, by)
    before = _counts(previous, previous_topics, by)
    frame = pd.concat([now.rename(COUNT), before.rename(PREVIOUS_COUNT)], axis=1).fillna(0).astype("int64")
    frame.index.name = GROUP
    frame = frame.reset_index()
    frame[GROUP] = frame[GROUP].astype(str)
    frame[SHARE] = _share(frame[COUNT])
    frame[PREVIOUS_SHARE] = _share(frame[PREVIOUS_COUNT])
    frame[CHANGE] = frame[SHARE] - frame[PREVIOUS_SHARE]
    frame[STATUS] = [_status(row, min_count) for row in frame.itertuples(index=False)]
    callable_ = frame[STATUS] != TOO_FEW
    frame["_order"] = frame[CHANGE].abs()
    ordered = pd.concat(
        [frame[callable_].sort_values(["_order", GROUP], ascending=[False, True]), frame[~callable_].sort_values(GROUP)]
    )
    return ordered.drop(columns="_order").reset_index(drop=True)


def movers_window(filters: Filters, articles: pd.DataFrame, *, days: int = 30) -> tuple[Filters, str]:
    """The filters whose period movers are measured for, and a label for it.

    The selected dates when there are any; otherwise the last `days` days of data, since
    "everything against the period before everything" compares against nothing.
    """
    if filters.start or filters.end or articles[s.PUBLISHED_AT].isna().all():
        return filters, "the selected dates"
    last = articles[s.PUBLISHED_AT].max().date()
    window = replace(filters, start=last - timedelta(days=days - 1), end=last)
    return window, f"the last {days} days of data ({window.start} to {last})"


def _counts(articles: pd.DataFrame, topics: pd.DataFrame, by: str) -> pd.Series:
    if by == "topic":
        rows = topics_of(topics, articles)
        return rows[s.TOPIC].astype(str).value_counts()
    if by == "provider":
        return articles[s.PROVIDER_NAME].astype(str).value_counts()
    raise ValueError(f"unknown grouping {by!r}: choose 'topic' or 'provider'")


def _share(counts: pd.Series) -> pd.Series:
    total = counts.sum()
    return counts / total if total else counts * 0.0


def _status(row: tuple, min_count: int) -> str:
    count, previous = getattr(row, COUNT), getattr(row, PREVIOUS_COUNT)
    if max(count, previous) < min_count:
        return TOO_FEW
    if count == 0:
        return QUIET
    if previous == 0:
        return NEW
    change = getattr(row, CHANGE)
    if abs(change) < 0.005:
        return STEADY
    return UP if change > 0 else DOWN
