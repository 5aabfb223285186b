"""Overview metrics from rollups: the same frames `volume`, `provider_share`, `topic_mix` and `kpis` give, at any corpus size.

Each function takes the rollup rows a filter selected (`analytics.measure.dataset_rows.read_rollups`)
and computes with the metrics' own steps, counting each rollup row as its number of articles.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.frames import rollups as r
from analytics.measure import metrics as m
from analytics.measure.dataset_rows import RollupRows

_SPLIT_COLUMNS = {None: None, "provider": s.PROVIDER_NAME, "category": s.CATEGORY, "topic": s.TOPIC}


def volume(
    rows: RollupRows, *, granularity: str = "week", split: str | None = None, top_n: int = 8, rolling: int | None = None,
    top_groups: Collection[str] | None = None,
) -> pd.DataFrame:
    """What `metrics.volume` gives for the selected articles (`split`: None, "provider", "category" or "topic")."""
    if split not in _SPLIT_COLUMNS:
        raise ValueError(f"unknown split {split!r}; choose one of {tuple(_SPLIT_COLUMNS)}")
    frame, weight = (rows.topics, r.MENTIONS) if split == "topic" else (rows.articles, r.ARTICLES)
    if frame.empty:
        return s.empty_frame(m.VOLUME_DTYPES)
    dated = frame[frame[r.DAY].notna()]
    column = _SPLIT_COLUMNS[split]
    values = dated[column] if column else pd.Series(pd.Categorical([m.ALL_ARTICLES] * len(dated)))
    weights = dated[weight].to_numpy(dtype="float64")
    values = values.reset_index(drop=True)
    labels = m.top_labels(values, top_n, weights) if top_groups is None else m.named_groups(values, top_groups)
    return m.period_counts(m.periods(dated[r.DAY], granularity).reset_index(drop=True), labels, granularity=granularity, rolling=rolling, weights=weights)


def topic_mix(rows: RollupRows, *, granularity: str = "month", top_n: int = 10) -> pd.DataFrame:
    """What `metrics.topic_mix` gives for the selected articles."""
    return volume(rows, granularity=granularity, split="topic", top_n=top_n)[[m.PERIOD, m.GROUP, m.COUNT, m.SHARE]]


def provider_share(rows: RollupRows, *, top_n: int = 8, weight: str | None = None) -> pd.DataFrame:
    """What `metrics.provider_share` gives for the selected articles."""
    frame = rows.articles
    if frame.empty:
        return s.empty_frame(m.PROVIDER_SHARE_DTYPES)
    by = frame.groupby(s.PROVIDER_DOMAIN, sort=True).agg(
        **{m.ARTICLES: (r.ARTICLES, "sum"), m.HEAT_SUM: (f"{s.HEAT}_sum", "sum"), m.GROUP: (s.PROVIDER_NAME, "first")}
    )
    return m.outlet_shares(by, top_n=top_n, weight=weight)


def kpis(rows: RollupRows, previous: RollupRows) -> pd.DataFrame:
    """What `metrics.kpis` gives for the selected articles and those of the previous period."""
    return m.kpi_frame(headline(rows), headline(previous))


def headline(rows: RollupRows) -> dict[str, float]:
    """Articles, outlets, topics and the median scores of the selected articles."""
    articles, topics, scores = rows.articles, rows.topics, rows.scores
    return {
        "Articles": int(articles[r.ARTICLES].sum()) if len(articles) else 0,
        "Outlets": articles[s.PROVIDER_DOMAIN].nunique() if len(articles) else 0,
        "Topics": topics[s.TOPIC].nunique() if len(topics) else 0,
        "Median quality": _median(scores, s.QUALITY),
        "Median heat": _median(scores, s.HEAT),
    }


def _median(scores: pd.DataFrame, score: str) -> float:
    """The median of one score from its histogram (the mean of the two middle values for an even count), NaN for none."""
    if scores.empty:
        return np.nan
    mine = scores[scores[r.SCORE] == score].groupby(r.BIN)[r.ARTICLES].sum().sort_index()
    total = int(mine.sum())
    if total == 0:
        return np.nan
    ends = mine.cumsum().to_numpy()
    values = mine.index.to_numpy(dtype="float64")
    low, high = values[np.searchsorted(ends, (total - 1) // 2, side="right")], values[np.searchsorted(ends, total // 2, side="right")]
    return float((low + high) / 2)
