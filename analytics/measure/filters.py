"""Filter stage: one frozen `Filters` value narrows the articles every view works on."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.frames.keys import belongs, key_bound, key_mask, member_of, shared_keys
from analytics.measure import periods
from analytics.read.urls import normalize_domain

ANY = "any"
ALL = "all"
# Document types that are events (a conference, a webinar), not articles: the front doors leave
# them out of article counts unless asked, and list them on their own.
EVENT_TYPES = frozenset({"conference", "event", "meetup", "summit", "webinar", "workshop"})


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
    exclude_types: tuple[str, ...] = ()  # document types left out (events, by default in the front doors)

    def describe(self, outlet_names: Mapping[str, str] | None = None) -> list[str]:
        """The active filters as short human phrases (empty when nothing is filtered).

        Outlets are named by `outlet_names` (domain -> display name) where given, else by domain.
        """
        parts = []
        if self.start or self.end:
            parts.append(f"dates {self.start or '…'} to {self.end or '…'}")
        outlets = tuple((outlet_names or {}).get(domain, domain) for domain in self.providers)
        for label, values in (("outlets", outlets), ("categories", self.categories), ("types", self.types)):
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
        if self.exclude_types:
            parts.append(f"events left out ({', '.join(self.exclude_types)})")
        return parts


def names_by_count(column: pd.Series) -> list[str]:
    """The values found in a text or category column, as text, most frequent first; missing values left out.

    A category column is counted by its codes: a million rows are never turned into text.
    """
    counts = column.value_counts()
    return counts[counts > 0].index.astype(str).tolist()


def event_types(articles: pd.DataFrame) -> tuple[str, ...]:
    """The event types (conference, webinar…) found among the documents, sorted."""
    return tuple(sorted(kind for kind in names_by_count(articles[s.TYPE]) if kind.casefold() in EVENT_TYPES))


def without_events(filters: Filters, articles: pd.DataFrame) -> Filters:
    """The filters leaving out the events in `articles`, except event types chosen explicitly."""
    left_out = tuple(kind for kind in event_types(articles) if kind not in filters.types)
    return replace(filters, exclude_types=left_out)


def outlet_names(articles: pd.DataFrame) -> dict[str, str]:
    """Each outlet domain's display name."""
    names = articles.groupby(s.PROVIDER_DOMAIN, observed=True)[s.PROVIDER_NAME].first()
    return {str(domain): str(name) for domain, name in names.items()}


def outlet_labels(articles: pd.DataFrame) -> dict[str, str]:
    """Each outlet domain's label for pickers: its name, plus the domain when two outlets share the name."""
    names = pd.Series(outlet_names(articles), dtype=object)
    shared = names.duplicated(keep=False)
    return {domain: f"{name} ({domain})" if shared[domain] else name for domain, name in names.items()}


def filter_articles(articles: pd.DataFrame, topics: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The articles that pass every filter, in their original order (never more rows)."""
    return articles.take(np.flatnonzero(article_mask(articles, topics, filters)))  # faster than a boolean mask on wide frames


def article_mask(articles: pd.DataFrame, topics: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Which articles pass every filter, one bool per article in their order: to count them without copying any."""
    keep = pd.Series(True, index=articles.index)
    published_at = articles[s.PUBLISHED_AT]
    if filters.start is not None:
        keep &= published_at >= pd.Timestamp(filters.start, tz="UTC")
    if filters.end is not None:
        keep &= published_at < pd.Timestamp(filters.end, tz="UTC") + pd.Timedelta(days=1)
    for column, values in ((s.PROVIDER_DOMAIN, filters.providers), (s.CATEGORY, filters.categories), (s.TYPE, filters.types)):
        if values:
            keep &= articles[column].isin(values)
    if filters.exclude_types:
        keep &= ~articles[s.TYPE].isin(filters.exclude_types).fillna(False)
    if filters.topics:
        keep &= _with_topics(articles, topics, filters.topics, filters.topic_mode)
    if filters.published is not None:
        keep &= articles[s.PUBLISHED].eq(filters.published).fillna(False)
    for column, bounds in ((s.QUALITY, filters.quality), (s.HEAT, filters.heat)):
        if bounds is not None:
            keep &= articles[column].between(*bounds).fillna(False)
    if filters.search.strip():
        keep &= _matches(articles, filters.search.strip())
    return keep.to_numpy(dtype=bool)


def topics_of(topics: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The topic rows of the given articles."""
    return topics[belongs(topics, articles)]


def previous_period(filters: Filters, data_start: date, data_end: date) -> Filters | None:
    """The same filters over the calendar period before the selected one (see `periods.previous`).

    A month is compared with the previous month, a week with the previous week, a quarter with
    the previous quarter; any other range with the days of equal length just before it. Without
    dates the data's span is the range. None when that period would fall before year 1.
    """
    before = periods.previous(periods.period_of(filters.start or data_start, filters.end or data_end))
    return None if before is None else replace(filters, start=before.start, end=before.end)


def _with_topics(articles: pd.DataFrame, topics: pd.DataFrame, wanted: tuple[str, ...], mode: str) -> np.ndarray:
    """Which articles have the wanted topics (any or all of them), as a boolean array."""
    keys = shared_keys(articles, topics)
    if keys is None:
        return member_of(articles[s.DOC_ID], _docs_with_topics(topics, wanted, mode)).to_numpy()
    mine, theirs = keys
    size = key_bound(mine, theirs)
    names = topics[s.TOPIC]
    if mode != ALL:
        return key_mask(theirs[_is_one_of(names, wanted)], size)[mine]
    distinct = set(wanted)
    found = np.zeros(size, dtype=np.int64)  # how many of the wanted topics each article has
    for topic in distinct:
        found += key_mask(theirs[_is_one_of(names, (topic,))], size)
    return (found >= len(distinct))[mine]


def _is_one_of(values: pd.Series, wanted: tuple[str, ...]) -> np.ndarray:
    """`values.isin(wanted)` as a boolean array, on the category codes when the column has them."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.append(values.cat.categories.isin(wanted), False)[values.cat.codes.to_numpy()]
    return values.isin(wanted).to_numpy()


def _docs_with_topics(topics: pd.DataFrame, wanted: tuple[str, ...], mode: str) -> pd.Series:
    """The ids of articles with the wanted topics (any or all of them); an id may repeat."""
    chosen = topics[s.TOPIC].isin(wanted)
    if mode == ALL:
        counts = topics[chosen].groupby(s.DOC_ID, observed=True)[s.TOPIC].nunique()
        return pd.Series(counts.index[counts >= len(set(wanted))])
    return topics[s.DOC_ID][chosen]


def _matches(articles: pd.DataFrame, text: str) -> pd.Series:
    in_title = articles[s.TITLE].str.contains(text, case=False, regex=False, na=False)
    in_excerpt = articles[s.EXCERPT].str.contains(text, case=False, regex=False, na=False)
    return in_title | in_excerpt


def selected_period(
    filters: Filters, articles: pd.DataFrame, span: tuple[date | None, date | None] | None = None
) -> tuple[date | None, date | None]:
    """The period the filters select: their own dates, else the first and last publication dates (`span`, when the
    articles are not all of the data)."""
    if span is None:
        dates = articles[s.PUBLISHED_AT].dropna()
        span = (dates.min().date(), dates.max().date()) if len(dates) else (None, None)
    return filters.start or span[0], filters.end or span[1]


def resolve_providers(articles: pd.DataFrame, wanted: Sequence[str]) -> tuple[str, ...]:
    """The outlet domains meant by each wanted domain or outlet name (case-insensitive).

    Raises ValueError naming the first value that matches no outlet, with close suggestions.
    """
    outlets = articles[[s.PROVIDER_DOMAIN, s.PROVIDER_NAME]].dropna().astype(str).drop_duplicates()
    domains: list[str] = []
    for value in wanted:
        key = value.strip().casefold()
        hits = outlets[(outlets[s.PROVIDER_DOMAIN] == normalize_domain(value)) | (outlets[s.PROVIDER_NAME].str.casefold() == key)]
        if hits.empty:
            choices = outlets[s.PROVIDER_DOMAIN].tolist() + outlets[s.PROVIDER_NAME].tolist()
            raise ValueError(f"no outlet named or at {value!r}{_suggest(value, choices)}")
        domains.extend(hits[s.PROVIDER_DOMAIN])
    return tuple(dict.fromkeys(domains))


def resolve_topics(topics: pd.DataFrame, wanted: Sequence[str]) -> tuple[str, ...]:
    """The topics as written in the corpus for each wanted topic (case-insensitive).

    Raises ValueError naming the first value that matches no topic, with close suggestions.
    """
    known = {name.casefold(): name for name in topics[s.TOPIC].dropna().astype(str).unique()}
    for value in wanted:
        if value.strip().casefold() not in known:
            raise ValueError(f"no topic {value!r}{_suggest(value, list(known.values()))}")
    return tuple(dict.fromkeys(known[value.strip().casefold()] for value in wanted))


def _suggest(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
    return f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
