"""Filter stage: one frozen `Filters` value narrows the articles every view works on."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd

from analytics import schema as s

ANY = "any"
ALL = "all"


@dataclass(frozen=True)
class Filters:
    """Every choice a user can make in the sidebar; the default keeps everything.

    Ranges are inclusive. `quality`/`heat` of None mean "no limit", and then articles
    without a score are kept; a set range keeps only scored articles inside it.
    """

    start: date | None = None
    end: date | None = None
    providers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topic_mode: str = ANY
    categories: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    published: bool | None = None
    quality: tuple[float, float] | None = None
    heat: tuple[float, float] | None = None
    search: str = ""

    def describe(self) -> list[str]:
        """The active filters as short human phrases (empty when nothing is filtered)."""
        parts = []
        if self.start or self.end:
            parts.append(f"dates {self.start or '…'} to {self.end or '…'}")
        for label, values in (("outlets", self.providers), ("categories", self.categories), ("types", self.types)):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        if self.topics:
            joiner = " and " if self.topic_mode == ALL else " or "
            parts.append(f"topics: {joiner.join(self.topics)}")
        if self.published is not None:
            parts.append("published only" if self.published else "unpublished only")
        for label, bounds in (("quality", self.quality), ("heat", self.heat)):
            if bounds is not None:
                parts.append(f"{label} {bounds[0]:g}–{bounds[1]:g}")
        if self.search:
            parts.append(f"search: “{self.search}”")
        return parts


def filter_articles(articles: pd.DataFrame, topics: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The articles that pass every filter, in their original order (never more rows)."""
    keep = pd.Series(True, index=articles.index)
    published_at = articles[s.PUBLISHED_AT]
    if filters.start is not None:
        keep &= published_at >= pd.Timestamp(filters.start, tz="UTC")
    if filters.end is not None:
        keep &= published_at < pd.Timestamp(filters.end, tz="UTC") + pd.Timedelta(days=1)
    for column, values in ((s.PROVIDER_DOMAIN, filters.providers), (s.CATEGORY, filters.categories), (s.TYPE, filters.types)):
        if values:
            keep &= articles[column].isin(values)
    if filters.topics:
        keep &= articles[s.DOC_ID].isin(_docs_with_topics(topics, filters.topics, filters.topic_mode))
    if filters.published is not None:
        keep &= articles[s.PUBLISHED].eq(filters.published).fillna(False)
    for column, bounds in ((s.QUALITY, filters.quality), (s.HEAT, filters.heat)):
        if bounds is not None:
            keep &= articles[column].between(*bounds).fillna(False)
    if filters.search.strip():
        keep &= _matches(articles, filters.search.strip())
    return articles[keep.astype(bool)]


def topics_of(topics: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The topic rows of the given articles."""
    return topics[topics[s.DOC_ID].isin(articles[s.DOC_ID])]


def previous_period(filters: Filters, data_start: date, data_end: date) -> Filters:
    """The same filters over the period of equal length just before the selected one."""
    start = filters.start or data_start
    end = filters.end or data_end
    length = (end - start).days + 1
    return replace(filters, start=start - timedelta(days=length), end=start - timedelta(days=1))


def _docs_with_topics(topics: pd.DataFrame, wanted: tuple[str, ...], mode: str) -> pd.Series:
    hits = topics[topics[s.TOPIC].isin(wanted)]
    if mode == ALL:
        counts = hits.groupby(s.DOC_ID, observed=True)[s.TOPIC].nunique()
        return pd.Series(counts.index[counts >= len(set(wanted))])
    return hits[s.DOC_ID].drop_duplicates()


def _matches(articles: pd.DataFrame, text: str) -> pd.Series:
    in_title = articles[s.TITLE].str.contains(text, case=False, regex=False, na=False)
    in_excerpt = articles[s.EXCERPT].str.contains(text, case=False, regex=False, na=False)
    return in_title | in_excerpt
