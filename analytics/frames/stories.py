"""Stories: articles that are the same story (same address, linked as related, near-identical title).

Articles are joined into a story when any rule links them, and links chain: if A links to B and
B to C, all three are one story (union-find over the links, done in array form for speed).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import schema as s
from analytics.frames.titles import matching_titles, pairs_with_first

STORY_ID = s.STORY_ID
SIZE = "size"
OUTLETS = "outlets"
N_OUTLETS = "n_outlets"
FIRST_OUTLET = "first_outlet"
FIRST_PUBLISHED_AT = "first_published_at"
LAST_PUBLISHED_AT = "last_published_at"
LAG_HOURS = "lag_hours"
IS_FIRST = "is_first"
MENTIONS = "mentions"
ARTICLES_CITING = "articles_citing"


@dataclass(frozen=True)
class StoryOptions:
    """Which rules join articles into one story; the defaults suit daily news."""

    # Near-identical titles join articles published within this many days of the first of them.
    title_window_days: float = 3.0
    # Titles match when their word sets overlap this much (shared words / all words).
    min_title_similarity: float = 0.8
    # Shorter titles never match by title alone ("Live updates", "Briefing").
    min_title_words: int = 3
    # A title's part before a colon or dash ("X: what we know", "X - Outlet") matches title X
    # when it has at least this many words...
    min_headline_words: int = 4
    # ...and leads no more than this many different titles (else it is a label like "Live blog").
    max_titles_per_headline: int = 50
    # Related links join articles published within this many days of each other (None: any time),
    # so a link to an old background piece does not pull it into today's story.
    related_window_days: float | None = 7.0
    # A related address listed by more articles than this is a hub (a home page), not a story.
    max_citing_articles: int = 25
    link_related: bool = True
    link_titles: bool = True


def story_ids(articles: pd.DataFrame, related: pd.DataFrame, *, options: StoryOptions = StoryOptions()) -> pd.DataFrame:
    """Every article's story: `doc_id, story_id`, in the articles' order.

    `story_id` is the `doc_id` of the story's first article (earliest published; undated last).
    Compute it once on the whole corpus, then filter: ids stay stable across views.
    """
    n = len(articles)
    docs = articles[s.DOC_ID].astype(str).to_numpy()
    when = _microseconds(articles[s.PUBLISHED_AT])
    edges = [pairs_with_first(pd.factorize(articles[s.CANONICAL_URL], use_na_sentinel=True)[0])]
    if options.link_related:
        edges.append(_related_edges(articles, related, when, options))
    if options.link_titles:
        edges.append(_title_edges(articles, when, options))
    left = np.concatenate([e[0] for e in edges]).astype(np.int64)
    right = np.concatenate([e[1] for e in edges]).astype(np.int64)
    roots = _components(n, left, right)
    order = _chronological(articles)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    earliest = np.full(n, n, dtype=np.int64)
    np.minimum.at(earliest, roots, rank)
    frame = pd.DataFrame({s.DOC_ID: docs, STORY_ID: docs[order[earliest[roots]]] if n else docs})
    return frame.astype(s.STORY_MAP_DTYPES)


def one_per_story(articles: pd.DataFrame, story_map: pd.DataFrame) -> pd.DataFrame:
    """The first article of each story among `articles`, in their order: count these to count stories.

    Articles missing from `story_map` count as stories of their own.
    """
    story = _story_codes(articles, story_map)
    order = _chronological(articles)
    first = ~pd.Series(story[order]).duplicated().to_numpy()
    keep = np.zeros(len(articles), dtype=bool)
    keep[order[first]] = True
    return articles[keep]


def story_of(articles: pd.DataFrame, story_map: pd.DataFrame) -> pd.Series:
    """Each article's `story_id`, aligned with `articles` (its own doc_id when the map lacks it)."""
    return pd.Series(_story_ids_of(articles, story_map), index=articles.index, dtype=s.STRING, name=STORY_ID)


def stories(articles: pd.DataFrame, story_map: pd.DataFrame) -> pd.DataFrame:
    """One row per story among `articles`, largest first.

    Columns: `story_id, title, size, outlets, n_outlets, first_outlet, first_published_at,
    last_published_at`; `title` and `first_outlet` are the first article's, `outlets` lists the
    outlets' names in the order they joined the story, joined by "; ".
    """
    order = _chronological(articles)
    rows = articles.iloc[order]
    ids = _story_ids_of(articles, story_map)[order]
    story = pd.factorize(ids)[0]  # numbered in the order the stories broke
    firsts = ~pd.Series(story).duplicated().to_numpy()
    names = rows[s.PROVIDER_NAME].astype(str).to_numpy()
    domains = pd.factorize(rows[s.PROVIDER_DOMAIN].astype(object).to_numpy())[0]
    frame = pd.DataFrame(
        {
            STORY_ID: ids[firsts],
            s.TITLE: rows[s.TITLE].to_numpy()[firsts],
            SIZE: np.bincount(story, minlength=int(firsts.sum())),
            OUTLETS: _joined_names(story, names, int(firsts.sum())),
            N_OUTLETS: pd.Series(domains).where(domains >= 0).groupby(story).nunique().to_numpy(),
            FIRST_OUTLET: names[firsts],
            FIRST_PUBLISHED_AT: rows[s.PUBLISHED_AT].iloc[np.flatnonzero(firsts)].reset_index(drop=True),
            LAST_PUBLISHED_AT: rows[s.PUBLISHED_AT].groupby(story).max().reset_index(drop=True),
        }
    )
    frame = frame.sort_values([SIZE, FIRST_PUBLISHED_AT, STORY_ID], ascending=[False, True, True], na_position="last")
    return frame.reset_index(drop=True).astype(
        {
            STORY_ID: s.STRING, s.TITLE: s.STRING, SIZE: "int64", OUTLETS: s.STRING, N_OUTLETS: "int64",
            FIRST_OUTLET: s.STRING, FIRST_PUBLISHED_AT: s.TIMESTAMP, LAST_PUBLISHED_AT: s.TIMESTAMP,
        }
    )


def story_followers(
    articles: pd.DataFrame, story_map: pd.DataFrame, *, min_size: int = 2, story_ids: Collection[str] | None = None
) -> pd.DataFrame:
    """Each story's timeline: who ran it first and who followed how many hours later.

    Columns: `story_id, doc_id, title, provider_name, published_at, lag_hours, is_first`, one row
    per article of the stories with at least `min_size` articles among `articles` (or only the
    given stories), stories in the order they broke, each in publication order.
    `lag_hours` is NA for undated articles.
    """
    order = _chronological(articles)
    rows = articles.iloc[order]
    ids = _story_ids_of(articles, story_map)[order]
    keep = pd.Series(ids).groupby(ids).transform("size").to_numpy() >= min_size
    if story_ids is not None:
        keep &= pd.Index(list(story_ids)).get_indexer(ids) >= 0
    rows, ids = rows[keep], ids[keep]
    when = rows[s.PUBLISHED_AT]
    first = when.groupby(ids).transform("min")
    frame = pd.DataFrame(
        {
            STORY_ID: ids,
            s.DOC_ID: rows[s.DOC_ID].to_numpy(),
            s.TITLE: rows[s.TITLE].to_numpy(),
            s.PROVIDER_NAME: rows[s.PROVIDER_NAME].astype(str).to_numpy(),
            s.PUBLISHED_AT: when.reset_index(drop=True),
            LAG_HOURS: ((when - first).dt.total_seconds() / 3600).to_numpy(),
            IS_FIRST: ~pd.Series(ids).duplicated().to_numpy(),
        }
    )
    # Stories in the order they broke, each story's articles in publication order.
    frame = frame.iloc[np.argsort(pd.factorize(frame[STORY_ID])[0], kind="stable")].reset_index(drop=True)
    return frame.astype(
        {STORY_ID: s.STRING, s.DOC_ID: s.STRING, s.TITLE: s.STRING, s.PROVIDER_NAME: s.STRING,
         s.PUBLISHED_AT: s.TIMESTAMP, LAG_HOURS: "Float64"}
    )


def outside_outlets(
    articles: pd.DataFrame, related: pd.DataFrame, *, known_domains: Collection[str] | None = None
) -> pd.DataFrame:
    """Outlets named in the articles' related items but absent from the corpus, most cited first.

    Columns: `provider_domain, provider_name, mentions, articles_citing`; `mentions` counts
    related items, `articles_citing` the distinct articles listing them. `known_domains` are the
    outlets counted as "in the corpus" (default: those of `articles`).
    """
    known = articles[s.PROVIDER_DOMAIN].dropna().astype(str).unique() if known_domains is None else list(known_domains)
    cited = pd.Index(articles[s.DOC_ID].to_numpy()).get_indexer(related[s.DOC_ID].to_numpy()) >= 0
    rows = related[cited & related[s.PROVIDER_DOMAIN].notna().to_numpy()]
    rows = rows[pd.Index(known, dtype=object).get_indexer(rows[s.PROVIDER_DOMAIN].astype(object).to_numpy()) < 0]
    domains = rows[s.PROVIDER_DOMAIN].astype(object).to_numpy()
    names = rows[s.PROVIDER_NAME].astype(object).fillna(rows[s.PROVIDER_DOMAIN].astype(object)).to_numpy()
    counted = pd.DataFrame({s.PROVIDER_DOMAIN: domains, s.PROVIDER_NAME: names, s.DOC_ID: rows[s.DOC_ID].to_numpy()})
    # The display name is the most frequent one written for the domain (ties: alphabetical).
    spelled = counted.groupby([s.PROVIDER_DOMAIN, s.PROVIDER_NAME]).size().rename(MENTIONS).reset_index()
    spelled = spelled.sort_values([MENTIONS, s.PROVIDER_NAME], ascending=[False, True]).drop_duplicates(s.PROVIDER_DOMAIN)
    totals = counted.groupby(s.PROVIDER_DOMAIN).agg(**{MENTIONS: (s.DOC_ID, "size"), ARTICLES_CITING: (s.DOC_ID, "nunique")})
    frame = spelled[[s.PROVIDER_DOMAIN, s.PROVIDER_NAME]].merge(totals.reset_index(), on=s.PROVIDER_DOMAIN)
    frame = frame.sort_values([ARTICLES_CITING, MENTIONS, s.PROVIDER_DOMAIN], ascending=[False, False, True])
    return frame.reset_index(drop=True).astype(
        {s.PROVIDER_DOMAIN: s.STRING, s.PROVIDER_NAME: s.STRING, MENTIONS: "int64", ARTICLES_CITING: "int64"}
    )


# --- links ----------------------------------------------------------------------------------


def _windowed_edges(key: np.ndarray, when: np.ndarray, window: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Edges between positions with the same key published within `window` µs of the first of them.

    Sorted by key and time, a new group starts when an article comes more than the window after
    the group's first one, so a recurring title never chains into one endless story.
    """
    rows = np.flatnonzero((key >= 0) & ((when != _NAT) | (window is None)))
    if rows.size < 2:
        return _no_edges()
    order = np.lexsort((when[rows], key[rows]))
    rows, key, when = rows[order], key[rows][order], when[rows][order]
    same = np.concatenate([[False], key[1:] == key[:-1]])
    if window is not None:
        same = _anchored(same, when, window)
    return rows[:-1][same[1:]], rows[1:][same[1:]]


def _anchored(same: np.ndarray, when: np.ndarray, window: int) -> np.ndarray:
    """`same` with a break wherever an article is more than `window` after its group's first."""
    result = same.tolist()
    anchor = 0
    for index, (joined, stamp) in enumerate(zip(result, when.tolist())):
        if not joined:
            anchor = stamp
        elif stamp - anchor > window:
            result[index] = False
            anchor = stamp
    return np.array(result, dtype=bool)


def _related_edges(
    articles: pd.DataFrame, related: pd.DataFrame, when: np.ndarray, options: StoryOptions
) -> tuple[np.ndarray, np.ndarray]:
    """Articles joined to the loaded articles a related item points at, and to others citing the same address."""
    n = len(articles)
    citer = _lookup(articles[s.DOC_ID], related[s.DOC_ID])
    addresses = pd.concat([articles[s.CANONICAL_URL], related[s.CANONICAL_URL]], ignore_index=True)
    codes = pd.factorize(addresses, use_na_sentinel=True)[0]
    keep = (citer >= 0) & (codes[n:] >= 0)
    links = pd.DataFrame({"citer": citer[keep], "url": codes[n:][keep]}).drop_duplicates()
    links = links[np.bincount(links["url"].to_numpy())[links["url"].to_numpy()] <= options.max_citing_articles]
    window = None if options.related_window_days is None else int(options.related_window_days * _DAY)
    # Each citing article joins the loaded articles at that address...
    loaded = pd.DataFrame({"target": np.arange(n), "url": codes[:n]})
    pairs = links.merge(loaded[loaded["url"] >= 0], on="url")
    source, target = pairs["citer"].to_numpy(), pairs["target"].to_numpy()
    if window is not None:
        close = (when[source] != _NAT) & (when[target] != _NAT) & (np.abs(when[source] - when[target]) <= window)
        source, target = source[close], target[close]
    # ...and the other articles citing the same address around the same time.
    citers = links["citer"].to_numpy()
    shared_left, shared_right = _windowed_edges(links["url"].to_numpy(), when[citers], window)
    return np.concatenate([source, citers[shared_left]]), np.concatenate([target, citers[shared_right]])


def _title_edges(articles: pd.DataFrame, when: np.ndarray, options: StoryOptions) -> tuple[np.ndarray, np.ndarray]:
    """Articles with near-identical titles published within the window of the first of them."""
    codes, distinct = pd.factorize(articles[s.TITLE].astype(s.STRING), use_na_sentinel=True)
    if len(distinct) == 0:
        return _no_edges()
    eligible, left, right = matching_titles(
        pa.array(distinct, type=pa.large_string()),
        min_words=options.min_title_words,
        min_similarity=options.min_title_similarity,
        min_headline_words=options.min_headline_words,
        max_titles_per_headline=options.max_titles_per_headline,
    )
    keys = np.where(eligible, _components(len(distinct), left, right), -1)
    title_key = np.where(codes >= 0, keys[np.maximum(codes, 0)], -1)
    return _windowed_edges(title_key, when, int(options.title_window_days * _DAY))


# --- components -----------------------------------------------------------------------------


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The smallest member of each position's connected component (union-find in array form).

    Each round hooks the larger root of every edge under the smaller one, then compresses
    paths until every position points straight at its root.
    """
    parent = np.arange(n, dtype=np.int64)
    left, right = np.asarray(left, np.int64), np.asarray(right, np.int64)
    while left.size:
        a, b = parent[left], parent[right]
        differ = a != b
        if not differ.any():
            break
        np.minimum.at(parent, np.maximum(a, b)[differ], np.minimum(a, b)[differ])
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
        left, right = left[differ], right[differ]
    return parent


# --- helpers --------------------------------------------------------------------------------

_DAY = 86_400 * 1_000_000
_NAT = np.iinfo(np.int64).min


def _no_edges() -> tuple[np.ndarray, np.ndarray]:
    return np.empty(0, np.int64), np.empty(0, np.int64)


def _microseconds(published_at: pd.Series) -> np.ndarray:
    """UTC timestamps as integer microseconds (NaT as the smallest integer)."""
    naive = published_at.dt.tz_convert(None) if published_at.dt.tz is not None else published_at
    return naive.to_numpy(dtype="datetime64[us]").view(np.int64)


def _chronological(frame: pd.DataFrame) -> np.ndarray:
    """Row positions by publication time (undated last), ties in frame order."""
    missing = frame[s.PUBLISHED_AT].isna().to_numpy()
    return np.lexsort((np.arange(len(frame)), _microseconds(frame[s.PUBLISHED_AT]), missing))


def _lookup(keys: pd.Series, values: pd.Series) -> np.ndarray:
    """Each value's position in `keys` (the first when repeated; -1 when absent or missing)."""
    codes, uniques = pd.factorize(pd.concat([keys, values], ignore_index=True), use_na_sentinel=True)
    key_codes, value_codes = codes[: len(keys)], codes[len(keys) :]
    first = np.full(len(uniques) + 1, len(keys), dtype=np.int64)
    np.minimum.at(first, np.where(key_codes >= 0, key_codes, len(uniques)), np.arange(len(keys)))
    first[first == len(keys)] = -1
    return np.where(value_codes >= 0, first[value_codes], -1)


def _story_ids_of(articles: pd.DataFrame, story_map: pd.DataFrame) -> np.ndarray:
    """Each article's story id (its own doc_id when the map lacks it), as an object array."""
    docs = articles[s.DOC_ID].astype(object).to_numpy()
    position = _lookup(story_map[s.DOC_ID], articles[s.DOC_ID])
    ids = story_map[STORY_ID].astype(object).to_numpy()
    return np.where(position >= 0, ids[np.maximum(position, 0)] if len(ids) else docs, docs)


def _story_codes(articles: pd.DataFrame, story_map: pd.DataFrame) -> np.ndarray:
    """Each article's story as a small integer."""
    return pd.factorize(_story_ids_of(articles, story_map))[0]


def _joined_names(story: np.ndarray, names: np.ndarray, count: int) -> list[str]:
    """Per story code, its distinct names in the order given, joined by "; "."""
    joined: list[dict[str, None]] = [{} for _ in range(count)]
    for code, name in zip(story.tolist(), names.tolist()):
        if isinstance(name, str):  # an outlet without a name (NA) adds nothing to the list
            joined[code][name] = None
    return ["; ".join(parts) for parts in joined]
