"""Compare A vs B: two filter sets over the same corpus, side by side, with the difference computed.

A `Comparison` names two `Filters` values; `sides` filters the corpus once for each, and the
`compare_*` functions work on those two `Side`s only. Each output frame holds A's numbers, B's
numbers and `difference` = A − B, so nobody has to subtract by eye.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.measure import metrics as m
from analytics.measure.filters import (
    Filters,
    filter_articles,
    outlet_names,
    previous_period,
    topics_of,
)
from analytics.measure.periods import period_of

STEP = "step"
PERIOD_A = "period_a"
PERIOD_B = "period_b"
COUNT_A = "count_a"
COUNT_B = "count_b"
SHARE_A = "share_a"
SHARE_B = "share_b"
VALUE_A = "value_a"
VALUE_B = "value_b"
DIFFERENCE = "difference"


@dataclass(frozen=True)
class Comparison:
    """Two filter sets to compare, with the labels a reader sees."""

    a: Filters
    b: Filters
    label_a: str = "A"
    label_b: str = "B"


@dataclass(frozen=True, eq=False)
class Side:
    """One side of a comparison, already filtered: its label, articles, their topic rows and the days it spans.

    `start`/`end` bound the periods `compare_volume` lists (None when nothing is dated).
    """

    label: str
    articles: pd.DataFrame
    topics: pd.DataFrame
    start: date | None
    end: date | None


def sides(
    articles: pd.DataFrame, topics: pd.DataFrame, comparison: Comparison, span: tuple[date | None, date | None]
) -> tuple[Side, Side]:
    """A and B of a comparison, each filtered from the corpus once; a side without dates spans `span` (the data's)."""
    a = _side(comparison.label_a, articles, topics, comparison.a, span)
    b = _side(comparison.label_b, articles, topics, comparison.b, span)
    return a, b


def _side(label: str, articles: pd.DataFrame, topics: pd.DataFrame, filters: Filters, span: tuple[date | None, date | None]) -> Side:
    rows = filter_articles(articles, topics, filters)
    return Side(label, rows, topics_of(topics, rows), filters.start or span[0], filters.end or span[1])


def outlets_vs_rest(articles: pd.DataFrame, base: Filters, outlets: Sequence[str], *, label: str | None = None) -> Comparison:
    """The chosen outlets (domains) against every other outlet, both within the base filters."""
    within = base.providers or tuple(articles[s.PROVIDER_DOMAIN].dropna().astype(str).unique())
    rest = tuple(sorted(d for d in within if d not in set(outlets)))
    names = outlet_names(articles)
    label = label or ", ".join(names.get(d, d) for d in outlets)
    # An empty providers tuple means "every outlet", so "nobody else" needs an impossible domain.
    return Comparison(replace(base, providers=tuple(outlets)), replace(base, providers=rest or ("",)), label, "All other outlets")


def period_vs_previous(base: Filters, data_start: date, data_end: date) -> Comparison | None:
    """The selected dates (or all data) against the calendar period before (previous month for a month).

    None when that period would fall before year 1.
    """
    start, end = base.start or data_start, base.end or data_end
    current = replace(base, start=start, end=end)
    before = previous_period(current, data_start, data_end)
    if before is None:
        return None
    return Comparison(current, before, period_of(start, end).label(), period_of(before.start, before.end).label())


def compare_volume(a: Side, b: Side, *, granularity: str = "week") -> pd.DataFrame:
    """Articles per period for A and B, aligned period by period from each side's start.

    Columns: `step, period_a, period_b, count_a, count_b, difference`. When both sides cover
    the same dates `period_a == period_b`; for "this period vs the one before" step 0 is each
    side's first day (or week, or month). A side shorter than the other has NA past its own end.
    """
    both = [_period_counts(side, granularity) for side in (a, b)]
    steps = max(len(counts) for counts in both)
    frame = pd.DataFrame({STEP: np.arange(steps, dtype="int64")})
    for (period, count), counts in zip(((PERIOD_A, COUNT_A), (PERIOD_B, COUNT_B)), both):
        frame[period] = pd.Series(counts.index, dtype="datetime64[us]").reindex(frame.index)
        frame[count] = pd.Series(counts.to_numpy(), dtype="Int64").reindex(frame.index)
    frame[DIFFERENCE] = frame[COUNT_A] - frame[COUNT_B]
    return frame[[STEP, PERIOD_A, PERIOD_B, COUNT_A, COUNT_B, DIFFERENCE]]


def compare_topics(a: Side, b: Side, *, top_n: int | None = None) -> pd.DataFrame:
    """Each topic's share of topic mentions in A and in B, biggest difference first.

    Columns: `topic, count_a, count_b, share_a, share_b, difference`; `difference` is in
    share points (0.05 = 5 points more of A's coverage than of B's). An article with several
    topics counts once for each, as in the topic mix.
    """
    counts = [side.topics[s.TOPIC].astype(str).value_counts() for side in (a, b)]
    frame = pd.concat(counts, axis=1, keys=[COUNT_A, COUNT_B]).fillna(0).astype("int64")
    frame.index.name = s.TOPIC
    frame = frame.reset_index()
    for count, share in ((COUNT_A, SHARE_A), (COUNT_B, SHARE_B)):
        total = frame[count].sum()
        frame[share] = frame[count] / total if total else 0.0
    frame[DIFFERENCE] = frame[SHARE_A] - frame[SHARE_B]
    frame = frame.assign(_size=frame[DIFFERENCE].abs()).sort_values(["_size", s.TOPIC], ascending=[False, True])
    frame = frame.drop(columns="_size").reset_index(drop=True)
    frame[s.TOPIC] = frame[s.TOPIC].astype(str)
    return frame.head(top_n) if top_n is not None else frame


def compare_quality(a: Side, b: Side) -> pd.DataFrame:
    """The quality-vs-heat summary for A and for B: `metric, value_a, value_b, difference`.

    Rows as in `metrics.quality_heat_summary` (counts with and without scores, medians,
    Spearman correlation, articles per quadrant), each side's quadrants split at its own medians.
    """
    summary_a, summary_b = (m.quality_heat_summary(side.articles) for side in (a, b))
    frame = pd.DataFrame({m.METRIC: summary_a[m.METRIC], VALUE_A: summary_a[m.VALUE], VALUE_B: summary_b[m.VALUE].to_numpy()})
    frame[DIFFERENCE] = frame[VALUE_A] - frame[VALUE_B]
    return frame


def _period_counts(side: Side, granularity: str) -> pd.Series:
    """The side's articles per period from its start to its end, zeros kept (empty when it spans nothing)."""
    if side.start is None or side.end is None:
        return pd.Series(dtype="int64")
    starts = m.periods(side.articles[s.PUBLISHED_AT].dropna(), granularity)
    grid = m.period_grid(side.start, side.end, granularity, starts)
    counts = starts.value_counts()
    return counts.reindex(grid, fill_value=0).astype("int64")
