"""Rollups: the articles counted per day and group, small enough to answer overview questions at any corpus size.

Three tidy frames, each additive (rollups of two sets of articles are the two frames stacked,
regrouped and summed), so a dataset keeps one per month:

- `articles`: per day × outlet × category × type × published, the number of articles and the
  count and sum of their quality and heat scores;
- `topics`: the same groups × topic, the number of topic mentions;
- `scores`: the same groups, a histogram of quality and heat (`score`, `bin`, `articles`) whose
  bins are the scores rounded to two decimals: medians are exact for scores written with at
  most two decimals (as news scores are), and within 0.005 otherwise.

Undated articles have no day (NaT); a missing group value stays missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.frames.keys import positions

DAY = "day"
ARTICLES = "articles"
SCORE = "score"
BIN = "bin"
MENTIONS = "mentions"
GROUPS = [DAY, s.PROVIDER_DOMAIN, s.PROVIDER_NAME, s.CATEGORY, s.TYPE, s.PUBLISHED]
SCORES = (s.QUALITY, s.HEAT)
ROLLUPS = ("articles", "topics", "scores")


def rollups(articles: pd.DataFrame, topics: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The `articles`, `topics` and `scores` rollups of a set of articles and their topic rows."""
    dims = _dims(articles)
    counted = dims.assign(**{ARTICLES: 1})
    for score in SCORES:
        values = articles[score].astype("float64").to_numpy(na_value=np.nan)
        counted[f"{score}_n"] = (~np.isnan(values)).astype("int64")
        counted[f"{score}_sum"] = np.nan_to_num(values)
    by_article = _sum(counted, GROUPS)
    slot = positions(topics, articles)
    mine = slot >= 0
    mentions = dims.iloc[slot[mine]].reset_index(drop=True).assign(
        **{s.TOPIC: topics[s.TOPIC][mine].astype(s.STRING).to_numpy(), MENTIONS: 1}
    )
    by_topic = _sum(mentions, GROUPS + [s.TOPIC])
    scored = []
    for score in SCORES:
        values = articles[score].astype("float64").to_numpy(na_value=np.nan)
        known = ~np.isnan(values)
        scored.append(dims[known].assign(**{SCORE: score, BIN: np.round(values[known], 2), ARTICLES: 1}))
    by_score = _sum(pd.concat(scored, ignore_index=True), GROUPS + [SCORE, BIN])
    return {"articles": by_article, "topics": by_topic, "scores": by_score}


def _dims(articles: pd.DataFrame) -> pd.DataFrame:
    """Each article's day (UTC midnight) and text groups, as plain columns."""
    frame = pd.DataFrame({DAY: articles[s.PUBLISHED_AT].dt.floor("D").array}, index=range(len(articles)))
    for column in GROUPS[1:-1]:
        frame[column] = articles[column].astype(s.STRING).array  # arrays, not NumPy objects: no Python object per row
    frame[s.PUBLISHED] = articles[s.PUBLISHED].array
    return frame


def _sum(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows summed per distinct key (missing keys are a key too), in key order."""
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.groupby(keys, dropna=False, sort=True, observed=True)[[c for c in frame.columns if c not in keys]].sum().reset_index()
