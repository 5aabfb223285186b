"""Aggregation stage: pure functions from filtered articles to tidy frames with named columns.

Every function takes the (already filtered) `articles` frame, and `topics` where topics
matter, and returns a new frame; nothing here reads files or keeps state.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import schema as s
from analytics.frames.keys import article_numbers, has_repeats, positions, with_key
from analytics.measure.filters import topics_of

# Output column names shared by several metrics.
PERIOD = "period"
GROUP = "group"
COUNT = "count"
SHARE = "share"
ROLLING = "rolling_mean"
ARTICLES = "articles"
HEAT_SUM = "heat_sum"
TOPIC_A = "topic_a"
TOPIC_B = "topic_b"
QUADRANT = "quadrant"
METRIC = "metric"
VALUE = "value"
PREVIOUS = "previous"
CHANGE = "change"
TOPICS_TEXT = "topics"

# The dtypes of each metric's columns, so an empty result has them too ("str" is pandas' text).
VOLUME_DTYPES = {PERIOD: "datetime64[us]", GROUP: "str", COUNT: "int64", SHARE: "float64", ROLLING: "float64"}
PROVIDER_SHARE_DTYPES = {GROUP: "str", s.PROVIDER_DOMAIN: "str", ARTICLES: "int64", HEAT_SUM: "float64", SHARE: "float64"}
COOCCURRENCE_DTYPES = {TOPIC_A: "str", TOPIC_B: "str", ARTICLES: "int64"}
_TEXT = pd.api.types.pandas_dtype("str")
_DAY = 86_400_000_000  # microseconds

OTHER = "Other"
NONE = "(none)"
ALL_ARTICLES = "All articles"
GRANULARITIES = {"day": "D", "week": "W-SUN", "month": "M"}
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 28}  # the fewest days a period can hold
# Empty periods are filled in (as zeros) up to this many periods: 27 years of days.
MAX_FILLED_PERIODS = 10_000
SPLITS = (None, "provider", "topic", "category")

UNDER_PROMOTED = "High quality, low heat: under-promoted"
DESERVED = "High quality, high heat: deserved attention"
OVER_EXPOSED = "Low quality, high heat: over-exposed"
LOW_PRIORITY = "Low quality, low heat: low priority"


@dataclass(frozen=True)
class MetricOptions:
    """Defaults for the views: how many groups to show, period length, smoothing."""

    top_n: int = 8
    granularity: str = "month"
    rolling: int | None = None


def periods(published_at: pd.Series, granularity: str) -> pd.Series:
    """The start of each timestamp's period (day, week starting Monday, or month), naive UTC."""
    freq = GRANULARITIES[granularity]
    if published_at.dtype != s.TIMESTAMP:  # another unit or zone: pandas' own period arithmetic
        return published_at.dt.tz_convert(None).dt.to_period(freq).dt.start_time
    moments = published_at.to_numpy(dtype="datetime64[us]")
    missing = np.isnat(moments)
    days = moments.view(np.int64) // _DAY  # whole UTC days since 1970-01-01
    known = days[~missing]
    first, last = (known.min(), known.max()) if len(known) else (0, 0)
    days[missing] = first
    if granularity == "week":  # back to Monday: 1970-01-01 was a Thursday, 3 days after one
        days -= (days + 3) % 7
    elif granularity == "month":  # the calendar consulted once per day of the range, not per row
        month_starts = np.arange(first, last + 1).astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]")
        days = month_starts.astype(np.int64)[days - first]
    starts = (days * _DAY).view("datetime64[us]")
    starts[missing] = np.datetime64("NaT")
    return pd.Series(starts, index=published_at.index, name=published_at.name)


def volume(
    articles: pd.DataFrame,
    topics: pd.DataFrame | None = None,
    *,
    granularity: str = "week",
    split: str | None = None,
    top_n: int = 8,
    rolling: int | None = None,
    top_groups: Collection[str] | None = None,
) -> pd.DataFrame:
    """Articles per period and group: `period, group, count, share, rolling_mean`.

    Every period between the first and last article appears, with 0 where nothing was
    published. `share` is the group's part of its period (0 for an empty period). With
    split="topic" an article counts once for each of its topics, so shares are of topic
    mentions. `rolling_mean` is the mean count over the last `rolling` periods (NA if off).
    `top_groups` (another chart's named groups) replaces `top_n`: every other name is Other.
    """
    dated = articles[articles[s.PUBLISHED_AT].notna()]
    if top_groups is None:
        positions, labels = group_rows(dated, topics, split, top_n=top_n)
    else:
        positions, labels = group_rows(dated, topics, split, top_groups=top_groups)
    return period_counts(periods(dated[s.PUBLISHED_AT].take(positions), granularity), labels, granularity=granularity, rolling=rolling)


def period_counts(
    starts: pd.Series, labels: pd.Categorical, *, granularity: str, rolling: int | None = None, weights: np.ndarray | None = None
) -> pd.DataFrame:
    """The `volume` frame of counted items given by their period start and group (each counting `weights`, else 1)."""
    if len(labels) == 0:
        return s.empty_frame(VOLUME_DTYPES)
    grid, groups = _period_range(starts, granularity), len(labels.categories)
    cell = np.searchsorted(grid.to_numpy(), starts.to_numpy()) * groups + labels.codes  # every period × group, in order
    frame = pd.DataFrame(
        {
            PERIOD: np.repeat(grid.to_numpy(), groups),
            GROUP: pd.Series(np.tile(labels.categories.to_numpy(dtype=object), len(grid)), dtype=str),
            COUNT: np.bincount(cell, weights=weights, minlength=len(grid) * groups).astype("int64"),
        }
    )
    totals = frame.groupby(PERIOD)[COUNT].transform("sum")
    frame[SHARE] = (frame[COUNT] / totals.where(totals > 0)).fillna(0.0)
    if rolling:
        frame[ROLLING] = frame.groupby(GROUP, sort=False)[COUNT].transform(lambda c: c.rolling(rolling, min_periods=1).mean())
    else:
        frame[ROLLING] = np.nan
    return frame


def provider_share(articles: pd.DataFrame, *, top_n: int = 8, weight: str | None = None) -> pd.DataFrame:
    """Articles per outlet, largest first: `group, provider_domain, articles, heat_sum, share`.

    Outlets beyond the top N (by articles, or by summed heat with weight="heat") are one
    "Other" row. `share` is of articles, or of summed heat when weighted.
    """
    if articles.empty:
        return s.empty_frame(PROVIDER_SHARE_DTYPES)
    by = articles.groupby(s.PROVIDER_DOMAIN, observed=True).agg(
        **{ARTICLES: (s.DOC_ID, "size"), HEAT_SUM: (s.HEAT, "sum"), GROUP: (s.PROVIDER_NAME, "first")}
    )
    return outlet_shares(by, top_n=top_n, weight=weight)


def outlet_shares(by: pd.DataFrame, *, top_n: int = 8, weight: str | None = None) -> pd.DataFrame:
    """The `provider_share` frame of per-outlet totals (`articles, heat_sum, group`, indexed by domain in domain order)."""
    by = by.copy()
    by[HEAT_SUM] = by[HEAT_SUM].astype("float64")
    by[ARTICLES] = by[ARTICLES].astype("int64")
    measure = HEAT_SUM if weight == "heat" else ARTICLES
    by = by.sort_values([measure, ARTICLES], ascending=False).reset_index()
    by[s.PROVIDER_DOMAIN] = by[s.PROVIDER_DOMAIN].astype(str)
    by[GROUP] = by[GROUP].astype(str)
    if len(by) > top_n:
        rest = by.iloc[top_n:]
        other = pd.DataFrame({GROUP: [OTHER], s.PROVIDER_DOMAIN: [""], ARTICLES: [rest[ARTICLES].sum()], HEAT_SUM: [rest[HEAT_SUM].sum()]})
        by = pd.concat([by.iloc[:top_n], other], ignore_index=True)
    total = by[measure].sum()
    by[SHARE] = by[measure] / total if total > 0 else 0.0
    return by[[GROUP, s.PROVIDER_DOMAIN, ARTICLES, HEAT_SUM, SHARE]]


def topic_mix(
    articles: pd.DataFrame, topics: pd.DataFrame, *, granularity: str = "month", top_n: int = 10
) -> pd.DataFrame:
    """Each topic's share of topic mentions per period: `period, group, count, share`.

    An article with three topics counts once for each of them.
    """
    frame = volume(articles, topics, granularity=granularity, split="topic", top_n=top_n)
    return frame[[PERIOD, GROUP, COUNT, SHARE]]


def topic_cooccurrence(articles: pd.DataFrame, topics: pd.DataFrame, *, top_n: int = 12) -> pd.DataFrame:
    """How many articles carry each pair of the top topics: `topic_a, topic_b, articles`.

    Symmetric, and the diagonal holds each topic's own article count.
    """
    rows = topics_of(topics, articles)
    labels = top_labels(rows[s.TOPIC], top_n)
    top = list(labels.categories[: min(top_n, len(labels.categories))])
    if not top:
        return s.empty_frame(COOCCURRENCE_DTYPES)
    keep = labels.codes < len(top)
    docs = article_numbers(rows[keep])
    # float64, not int: BLAS multiplies it several times as fast, and counts stay exact below 2**53
    onehot = np.zeros((int(docs.max()) + 1 if len(docs) else 0, len(top)), dtype=np.float64)
    onehot[docs, labels.codes[keep]] = 1
    pairs = (onehot.T @ onehot).astype("int64")
    return pd.DataFrame(
        {
            TOPIC_A: pd.Series(np.repeat(top, len(top)), dtype=str),
            TOPIC_B: pd.Series(np.tile(top, len(top)), dtype=str),
            ARTICLES: pairs.ravel(),
        }
    )


def quality_heat(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article with both scores, with its quadrant split at the medians.

    Columns: `doc_id, title, provider_name, published_at, quality, heat, quadrant`.
    Articles exactly at a median count as high.
    """
    scored = _scores(articles)
    columns = [s.DOC_ID, s.TITLE, s.PROVIDER_NAME, s.PUBLISHED_AT]
    points = articles[columns].take(scored.index.to_numpy()).reset_index(drop=True)
    points[s.PROVIDER_NAME] = _text(points[s.PROVIDER_NAME])
    points[s.QUALITY] = scored[s.QUALITY].to_numpy()
    points[s.HEAT] = scored[s.HEAT].to_numpy()
    points[QUADRANT] = _text(pd.Series(pd.Categorical.from_codes(_quadrant_codes(scored), categories=_QUADRANTS)))
    return points


_QUADRANTS = (UNDER_PROMOTED, DESERVED, OVER_EXPOSED, LOW_PRIORITY)


def _scores(articles: pd.DataFrame) -> pd.DataFrame:
    """Quality and heat (float64) of the articles with both, indexed by position in `articles`."""
    both = np.flatnonzero((articles[s.QUALITY].notna() & articles[s.HEAT].notna()).to_numpy())
    return pd.DataFrame(
        {name: articles[name].to_numpy(dtype="float64", na_value=np.nan)[both] for name in (s.QUALITY, s.HEAT)}, index=both
    )


def _quadrant_codes(scored: pd.DataFrame) -> np.ndarray:
    """Each scored article's position in `_QUADRANTS` (split at the medians; a median counts as high)."""
    high_q = (scored[s.QUALITY] >= scored[s.QUALITY].median()).to_numpy()
    high_h = (scored[s.HEAT] >= scored[s.HEAT].median()).to_numpy()
    return np.select([high_q & ~high_h, high_q & high_h, ~high_q & high_h], [0, 1, 2], 3)


def quality_heat_summary(articles: pd.DataFrame) -> pd.DataFrame:
    """The quality-vs-heat numbers an editor reads first, as `metric, value` rows.

    Spearman rank correlation, medians, and how many articles have both scores or not.
    """
    points = _scores(articles)
    spearman = np.nan
    if len(points) >= 3 and points[s.QUALITY].nunique() > 1 and points[s.HEAT].nunique() > 1:
        spearman = points[s.QUALITY].rank().corr(points[s.HEAT].rank())
    rows = {
        "Articles with both scores": len(points),
        "Articles without both scores": len(articles) - len(points),
        "Median quality": points[s.QUALITY].median() if len(points) else np.nan,
        "Median heat": points[s.HEAT].median() if len(points) else np.nan,
        "Spearman correlation": spearman,
    }
    counts = np.bincount(_quadrant_codes(points), minlength=len(_QUADRANTS))
    rows.update({label: int(count) for label, count in zip(_QUADRANTS, counts)})
    return pd.DataFrame({METRIC: list(rows), VALUE: pd.Series(list(rows.values()), dtype="float64")})


def kpis(
    articles: pd.DataFrame, topics: pd.DataFrame, previous: pd.DataFrame, previous_topics: pd.DataFrame
) -> pd.DataFrame:
    """Headline numbers now and in the previous period: `metric, value, previous, change`.

    `change` is relative (0.25 = +25 %), NA when the previous value is 0 or missing.
    """
    return kpi_frame(_headline(articles, topics), _headline(previous, previous_topics))


def kpi_frame(now: dict[str, float], before: dict[str, float]) -> pd.DataFrame:
    """The `kpis` frame of two sets of headline numbers (Articles, Outlets, Topics, Median quality, Median heat)."""
    frame = pd.DataFrame({METRIC: list(now), VALUE: list(now.values()), PREVIOUS: list(before.values())})
    frame[VALUE] = frame[VALUE].astype("float64")
    frame[PREVIOUS] = frame[PREVIOUS].astype("float64")
    frame[CHANGE] = (frame[VALUE] - frame[PREVIOUS]) / frame[PREVIOUS].where(frame[PREVIOUS] != 0)
    return frame


def top_stories(articles: pd.DataFrame, topics: pd.DataFrame, *, limit: int | None = 50) -> pd.DataFrame:
    """Articles by heat, then quality (missing scores last), with their topics joined by "; "."""
    order = _first_rows([_descending(articles[column]) for column in (s.PUBLISHED_AT, s.QUALITY, s.HEAT)], limit)
    columns = [s.DOC_ID, s.TITLE, s.PROVIDER_NAME, s.PUBLISHED_AT, s.QUALITY, s.HEAT, s.WEB_URL]
    stories = articles[with_key(columns, articles)].take(order).reset_index(drop=True)
    stories.insert(4, TOPICS_TEXT, _topics_text(stories, topics))
    stories[s.PROVIDER_NAME] = _text(stories[s.PROVIDER_NAME])
    return stories.drop(columns=s.ARTICLE_KEY, errors="ignore")


def _topics_text(articles: pd.DataFrame, topics: pd.DataFrame) -> pd.Series:
    """For each article, its topics joined by "; " in their written order ("" for none), as `joined_topics`.

    Works in Arrow: one lookup per topic row, then one join per article.
    """
    ids = articles[s.DOC_ID]
    if topics.empty or ids.hasnans:  # rare: the general path
        joined = joined_topics(topics_of(topics, articles))
        return ids.map(joined).astype(object).fillna("").astype(s.STRING).set_axis(ids.index)
    slot = positions(topics, articles)
    mine = np.flatnonzero(slot >= 0)
    stable = np.argsort(slot[mine], kind="stable")  # grouped by article, written order kept within each
    names = _arrow_text(topics[s.TOPIC].take(mine[stable]))
    counts = np.bincount(slot[mine], minlength=len(articles))
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), pa.int64())
    text = pc.binary_join(pa.LargeListArray.from_arrays(offsets, names), pa.scalar("; ", pa.large_string())).fill_null("")
    first = pa.array(positions(articles, articles))  # an article listed twice has its topics each time
    return pd.Series(text.take(first).to_pandas(types_mapper=lambda _: s.STRING), index=ids.index, dtype=s.STRING)


def _arrow_text(values: pd.Series, kind: pa.DataType = pa.large_string()) -> pa.Array:
    """The column as Arrow text, missing values null (as `astype(str)` leaves them)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # each category converted once, then taken by code
        codes = values.cat.codes.to_numpy()
        categories = pa.array(values.cat.categories.astype(str), kind)
        return categories.take(pa.array(codes, mask=codes < 0))
    return pa.array(values.astype(str), kind)


def _text(values: pd.Series) -> pd.Series:
    """`values.astype(str)`; for categories built in Arrow, much faster than text made value by value."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype(str)
    return pd.Series(_arrow_text(values, pa.string()).to_pandas(types_mapper=lambda _: _TEXT), index=values.index, dtype=_TEXT)


def _first_rows(keys: list[np.ndarray], limit: int | None) -> np.ndarray:
    """The positions `np.lexsort(keys)` puts first, `limit` of them (every one when None).

    For a short list out of many rows, only the rows that can make it are sorted: those whose
    primary (last) key is within the `limit` best.
    """
    if limit is None:
        return np.lexsort(keys)
    if limit <= 0:
        return np.empty(0, dtype=np.intp)
    primary = keys[-1]
    if len(primary) <= 4 * limit:
        return np.lexsort(keys)[:limit]
    cut = np.partition(primary, limit - 1)[limit - 1]
    candidates = np.flatnonzero(primary <= cut)
    return candidates[np.lexsort([key[candidates] for key in keys])][:limit]


def _descending(column: pd.Series) -> np.ndarray:
    """A sort key that puts the largest values first and missing values last (for np.lexsort)."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        values = column.to_numpy(dtype="datetime64[us]").astype("int64").astype("float64")
    else:
        values = column.to_numpy(dtype="float64", na_value=np.nan)
    return -np.where(column.isna().to_numpy(), -np.inf, values)


def joined_topics(topics: pd.DataFrame) -> pd.Series:
    """Each article's topics joined by "; " in their written order, indexed by doc_id."""
    if topics.empty:
        return pd.Series(dtype=object)
    names = pa.array(topics[s.TOPIC].astype(str)).cast(pa.string())
    table = pa.table({s.DOC_ID: pa.array(topics[s.DOC_ID]), s.TOPIC: names})
    grouped = table.group_by(s.DOC_ID, use_threads=False).aggregate([(s.TOPIC, "list")])
    text = pc.binary_join(grouped[f"{s.TOPIC}_list"], "; ")
    index = grouped[s.DOC_ID].to_numpy(zero_copy_only=False)
    return pd.Series(text.to_numpy(zero_copy_only=False), index=index, dtype=object)


def articles_behind(
    articles: pd.DataFrame,
    topics: pd.DataFrame,
    *,
    period: pd.Timestamp | None = None,
    granularity: str = "week",
    split: str | None = None,
    group: str | None = None,
    top_groups: list[str] | None = None,
) -> pd.DataFrame:
    """The articles behind one bar or point of a chart (a period and/or a group) for drill-down.

    `top_groups` are the chart's named groups (as `group_rows` takes them), so "Other" finds the rest.
    """
    rows = articles
    if period is not None:
        rows = rows[rows[s.PUBLISHED_AT].notna()]
        rows = rows[periods(rows[s.PUBLISHED_AT], granularity) == pd.Timestamp(period)]
    if split is not None and group is not None and group != ALL_ARTICLES:
        positions, groups = group_rows(rows, topics, split, top_groups=top_groups)
        rows = rows.take(np.unique(positions[np.asarray(groups == group)]))
    return rows


def _headline(articles: pd.DataFrame, topics: pd.DataFrame) -> dict[str, float]:
    topic_count = topics_of(topics, articles)[s.TOPIC].nunique()
    return {
        "Articles": len(articles),
        "Outlets": articles[s.PROVIDER_DOMAIN].nunique(),
        "Topics": topic_count,
        "Median quality": articles[s.QUALITY].median() if articles[s.QUALITY].notna().any() else np.nan,
        "Median heat": articles[s.HEAT].median() if articles[s.HEAT].notna().any() else np.nan,
    }


def _split_column(split: str) -> str:
    return {"provider": s.PROVIDER_NAME, "topic": s.TOPIC, "category": s.CATEGORY}[split]


def group_rows(
    articles: pd.DataFrame,
    topics: pd.DataFrame | None,
    split: str | None,
    *,
    top_n: int | None = None,
    top_groups: Collection[str] | None = None,
) -> tuple[np.ndarray, pd.Categorical]:
    """Which chart group each counted item falls in: its article's position in `articles`, and its group.

    An item is an article, or with split="topic" each topic of an article (an article listed
    twice counts twice, as a join would). Groups are named as the charts name them: "All
    articles" without a split and "(none)" for a missing value; with `top_n`, the N most
    frequent and the rest Other (categories in rank order, as `top_labels`); with `top_groups`
    (a chart's named groups), every other name is Other.
    """
    positions, values = _split_values(articles, topics, split)
    if top_n is not None:
        return positions, top_labels(values, top_n)
    return positions, named_groups(values, top_groups)


def named_groups(values: pd.Series, top_groups: Collection[str] | None = None) -> pd.Categorical:
    """Values as chart groups: "(none)" for a missing value and, given `top_groups`, Other for every name not among them."""
    names = values.astype(str).where(values.notna(), NONE)
    if top_groups is not None:
        names = names.where(names.isin(list(top_groups)), OTHER)
    return pd.Categorical(names)


def _split_values(articles: pd.DataFrame, topics: pd.DataFrame | None, split: str | None) -> tuple[np.ndarray, pd.Series]:
    """Each counted item's position in `articles` and the value it is grouped by (missing values kept)."""
    every = np.arange(len(articles))
    if split is None:
        return every, pd.Series(pd.Categorical.from_codes(np.zeros(len(articles), dtype=np.int64), categories=[ALL_ARTICLES]))
    if split == "topic":
        if topics is None:
            raise ValueError("split='topic' needs the topics frame")
        if has_repeats(articles):  # an article twice: each copy counts, as a join does
            rows = topics[[s.DOC_ID, s.TOPIC]].merge(articles[[s.DOC_ID]].assign(_position=every), on=s.DOC_ID)
            return rows["_position"].to_numpy(), rows[s.TOPIC]
        slot = positions(topics, articles)  # each topic row's article
        mine = slot >= 0
        return slot[mine], topics[s.TOPIC][mine]
    if split in ("provider", "category"):
        return every, articles[_split_column(split)]
    raise ValueError(f"unknown split {split!r}; choose one of {SPLITS}")


def top_labels(values: pd.Series, top_n: int, weights: np.ndarray | None = None) -> pd.Categorical:
    """Values as categories: the `top_n` most frequent (largest first, ties by name), the rest Other.

    Missing values count as "(none)"; each value counts `weights` (else once). Works on category
    codes, so it stays fast on millions of rows.
    """
    cat = values if isinstance(values.dtype, pd.CategoricalDtype) else values.astype("category")
    if cat.isna().any():
        cat = (cat.cat.add_categories([NONE]) if NONE not in cat.cat.categories else cat).fillna(NONE)
    if weights is None:
        counts = cat.value_counts(sort=False)
    else:
        counts = pd.Series(np.bincount(cat.cat.codes.to_numpy(), weights=weights, minlength=len(cat.cat.categories)), index=cat.cat.categories)
    ranked = sorted(((int(n), str(name)) for name, n in counts.items() if n > 0), key=lambda item: (-item[0], item[1]))
    top = [name for _, name in ranked[:top_n]]
    names = top + ([_other_label(top)] if len(ranked) > top_n else [])
    position = {name: index for index, name in enumerate(top)}
    lookup = np.array([position.get(name, len(top)) for name in cat.cat.categories.astype(str)], dtype=np.int64)
    return pd.Categorical.from_codes(lookup[cat.cat.codes.to_numpy()], categories=names)


def _other_label(top: list[str]) -> str:
    return OTHER if OTHER not in top else f"{OTHER} (rest)"


def _period_range(values: pd.Series, granularity: str) -> pd.DatetimeIndex:
    return period_grid(values.min(), values.max(), granularity, values)


def period_grid(first: object, last: object, granularity: str, starts: pd.Series) -> pd.DatetimeIndex:
    """The period starts from `first` to `last`, empty periods included, in order.

    One far-out date (a year 9999 typo) would fill millions of empty days; past
    `MAX_FILLED_PERIODS` only the periods that hold articles (`starts`) are listed.
    """
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    span = (last.to_numpy().astype("datetime64[D]") - first.to_numpy().astype("datetime64[D]")).astype(np.int64)
    if span // _PERIOD_DAYS[granularity] + 1 <= MAX_FILLED_PERIODS:
        return pd.period_range(first, last, freq=GRANULARITIES[granularity]).start_time
    return pd.DatetimeIndex(np.unique(starts.dropna().to_numpy().astype("datetime64[us]")))
