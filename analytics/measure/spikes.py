"""Spikes: periods whose volume rises well above its own recent normal, and the stories behind them.

The normal level of each series (overall, one topic, one outlet) is the median of its previous
`window` periods; the usual spread is the median absolute deviation (MAD) around that median.
Both ignore a single odd period, so one past burst does not hide the next. A period is a spike
when its robust score `(count - median) / (1.4826 × MAD)` reaches `threshold` and it has at
least `min_count` articles.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from analytics import schema as s
from analytics.frames import stories as st
from analytics.measure import metrics as m

BASELINE = "baseline"
THRESHOLD = "threshold"
SCORE = "score"
IS_SPIKE = "is_spike"
ARTICLES = "articles"
RANK = "rank"

SCORE_DTYPES = {
    m.PERIOD: "datetime64[us]", m.GROUP: "str", m.COUNT: "int64",
    BASELINE: "float64", THRESHOLD: "float64", SCORE: "float64", IS_SPIKE: "bool",
}
SPIKE_DTYPES = {name: dtype for name, dtype in SCORE_DTYPES.items() if name != IS_SPIKE}

# Scales a MAD to a standard deviation for normally distributed data.
MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class SpikeOptions:
    """How a spike is called; the defaults flag roughly one period in a thousand of steady noise."""

    # How many previous periods make the baseline; the first `window` periods are never flagged.
    window: int = 8
    # How many (robust) standard deviations above the baseline a spike must be.
    threshold: float = 3.5
    # Fewer articles than this in a period is never a spike, however quiet the series was.
    min_count: int = 5
    # The smallest spread assumed, in articles, so a perfectly flat series does not divide by zero.
    min_mad: float = 1.0


def spike_scores(volume: pd.DataFrame, *, options: SpikeOptions = SpikeOptions()) -> pd.DataFrame:
    """Every period of every series scored against its trailing baseline.

    Takes the frame of `metrics.volume` and returns `period, group, count, baseline, threshold,
    score, is_spike`. `threshold` is the count that would have been a spike; baseline,
    threshold and score are NA for the first `window` periods of a series.
    """
    if volume.empty:
        return s.empty_frame(SCORE_DTYPES)
    table = volume.pivot_table(index=m.PERIOD, columns=m.GROUP, values=m.COUNT, aggfunc="sum", fill_value=0, sort=False)
    table = table.sort_index()
    counts = table.to_numpy(dtype="float64")
    baseline, spread = _trailing_median_mad(counts, options.window)
    scale = MAD_TO_SD * np.maximum(spread, options.min_mad)
    score = (counts - baseline) / scale
    threshold = np.maximum(baseline + options.threshold * scale, options.min_count)
    frame = pd.DataFrame(
        {
            m.PERIOD: np.repeat(table.index.to_numpy(), counts.shape[1]),
            m.GROUP: np.tile(table.columns.astype(str).to_numpy(), counts.shape[0]),
            m.COUNT: counts.ravel().astype("int64"),
            BASELINE: baseline.ravel(),
            THRESHOLD: threshold.ravel(),
            SCORE: score.ravel(),
        }
    )
    frame[IS_SPIKE] = (frame[m.COUNT] >= frame[THRESHOLD]).fillna(False).astype(bool)
    order = {group: index for index, group in enumerate(dict.fromkeys(volume[m.GROUP].astype(str)))}
    frame = frame.sort_values([m.PERIOD, m.GROUP], key=lambda c: c.map(order) if c.name == m.GROUP else c, kind="stable")
    return frame.reset_index(drop=True)


def spikes(volume: pd.DataFrame, *, options: SpikeOptions = SpikeOptions()) -> pd.DataFrame:
    """Only the spikes, in time order: `period, group, count, baseline, threshold, score`."""
    scored = spike_scores(volume, options=options)
    return scored[scored[IS_SPIKE]].drop(columns=IS_SPIKE).reset_index(drop=True)


def spikes_between(
    history: pd.DataFrame,
    history_topics: pd.DataFrame | None,
    *,
    start: date | None,
    end: date | None,
    granularity: str,
    split: str | None = None,
    top_groups: Collection[str] | None = None,
    top_n: int = 8,
    options: SpikeOptions = SpikeOptions(),
) -> pd.DataFrame:
    """The spikes whose period starts within [start, end], each judged against the periods before it.

    The one definition of a spike that the dashboard, the report and the command line share:
    `history` is every article the view's filters keep except the start date (so a one-month
    window still has months of baseline); its end should be the view's end, so the last period
    counts what the view counts. `top_groups` (the chart's named groups) picks the series
    when split, else the `top_n` largest over the history; Other is never reported.
    """
    groups = None if split is None else top_groups
    volume = m.volume(history, history_topics, granularity=granularity, split=split, top_n=top_n, top_groups=groups)
    return spikes_within(volume, start=start, end=end, options=options)


def spikes_within(volume: pd.DataFrame, *, start: date | None, end: date | None, options: SpikeOptions = SpikeOptions()) -> pd.DataFrame:
    """The spikes of a history's `volume` whose period starts within [start, end] (Other never reported)."""
    found = spikes(volume, options=options)
    keep = found[m.GROUP] != m.OTHER
    if start is not None:
        keep &= found[m.PERIOD] >= pd.Timestamp(start)
    if end is not None:
        keep &= found[m.PERIOD] <= pd.Timestamp(end)
    return found[keep].reset_index(drop=True)


def spike_stories(
    spikes: pd.DataFrame,
    articles: pd.DataFrame,
    story_map: pd.DataFrame,
    topics: pd.DataFrame | None = None,
    *,
    granularity: str = "week",
    split: str | None = None,
    top_groups: list[str] | None = None,
    per_spike: int = 5,
) -> pd.DataFrame:
    """The stories behind each spike, most articles first: what drove the jump.

    Columns: `period, group, rank, story_id, title, articles, n_outlets, first_published_at`,
    where `articles` and `n_outlets` count within that spike's period and group. Pass the
    `granularity`, `split` and (for an "Other" group) `top_groups` the volume was made with.
    """
    # Only the spiking periods' articles are grouped and looked up (a few weeks of a million articles)
    spiking = m.periods(articles[s.PUBLISHED_AT], granularity).isin(spikes[m.PERIOD].unique()).to_numpy()
    cells = _cell_rows(articles[spiking], topics, granularity, split, top_groups)
    cells = cells.merge(spikes[[m.PERIOD, m.GROUP]].drop_duplicates(), on=[m.PERIOD, m.GROUP])
    cells = cells.assign(**{st.STORY_ID: st.story_of(cells, story_map).to_numpy()})
    cells = cells.sort_values(s.PUBLISHED_AT, kind="stable")
    keys = [m.PERIOD, m.GROUP, st.STORY_ID]
    frame = cells.groupby(keys, sort=False).agg(
        **{
            s.TITLE: (s.TITLE, "first"),
            ARTICLES: (s.DOC_ID, "size"),
            st.N_OUTLETS: (s.PROVIDER_DOMAIN, "nunique"),
            st.FIRST_PUBLISHED_AT: (s.PUBLISHED_AT, "min"),
        }
    ).reset_index()
    frame = frame.sort_values([m.PERIOD, m.GROUP, ARTICLES, st.FIRST_PUBLISHED_AT], ascending=[True, True, False, True])
    frame.insert(2, RANK, frame.groupby([m.PERIOD, m.GROUP]).cumcount() + 1)
    frame = frame[frame[RANK] <= per_spike].reset_index(drop=True)
    return frame.astype({RANK: "int64", ARTICLES: "int64", st.N_OUTLETS: "int64", s.TITLE: s.STRING, st.STORY_ID: s.STRING})


def _trailing_median_mad(counts: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Median and MAD of the `window` periods before each row, per column (NaN without a full window)."""
    baseline = np.full(counts.shape, np.nan)
    spread = np.full(counts.shape, np.nan)
    if window < 1 or counts.shape[0] <= window:
        return baseline, spread
    history = sliding_window_view(counts[:-1], window, axis=0)  # (periods - window, groups, window)
    median = np.median(history, axis=2)
    baseline[window:] = median
    spread[window:] = np.median(np.abs(history - median[..., None]), axis=2)
    return baseline, spread


def _cell_rows(
    articles: pd.DataFrame, topics: pd.DataFrame | None, granularity: str, split: str | None, top_groups: list[str] | None
) -> pd.DataFrame:
    """One row per article and chart group it counts in, with its period, as `metrics.volume` counts."""
    dated = articles[articles[s.PUBLISHED_AT].notna()]
    positions, groups = m.group_rows(dated, topics, split, top_groups=top_groups)
    rows = dated[[s.DOC_ID, s.TITLE, s.PUBLISHED_AT, s.PROVIDER_DOMAIN]].take(positions)
    rows[m.GROUP] = pd.Series(groups, index=rows.index).astype(str)
    rows[m.PERIOD] = m.periods(rows[s.PUBLISHED_AT], granularity)
    return rows
