"""Article keys: which rows of a child table (topics, related, images) belong to which articles.

Every frame of one load carries `article_key`, the article's number in that load (see
`schema.ARTICLE_KEY`). Matching rows by key is indexing one NumPy array; matching by `doc_id`
hashes text, which at a million articles was most of the time a filter change took. Frames
without complete keys (built by hand, or whose keys are missing) are matched by `doc_id`, with
the same result: keys are only a faster way of asking the same question.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import schema as s


def article_keys(frame: pd.DataFrame) -> np.ndarray | None:
    """The frame's article keys as int64, or None when it has none or some are missing."""
    column = frame.get(s.ARTICLE_KEY)
    if column is None or not pd.api.types.is_integer_dtype(column.dtype) or column.hasnans:
        return None
    keys = column.to_numpy(dtype=np.int64)
    return keys if len(keys) == 0 or keys.min() >= 0 else None


def shared_keys(*frames: pd.DataFrame) -> list[np.ndarray] | None:
    """The article keys of every frame, or None unless all of them have complete keys."""
    keys = [article_keys(frame) for frame in frames]
    return None if any(k is None for k in keys) else keys


def key_mask(keys: np.ndarray, size: int) -> np.ndarray:
    """A boolean array of `size` entries, True at each of `keys`."""
    mask = np.zeros(size, dtype=bool)
    mask[keys] = True
    return mask


def key_bound(*keys: np.ndarray) -> int:
    """One more than the largest key (0 when there is none): the size of an array indexed by key."""
    return max((int(k.max()) + 1 for k in keys if len(k)), default=0)


def belongs(children: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """Which rows of `children` belong to one of `articles` (a boolean array, as `Series.isin` by id)."""
    keys = shared_keys(children, articles)
    if keys is None:
        return member_of(children[s.DOC_ID], articles[s.DOC_ID]).to_numpy()
    child, mine = keys
    return key_mask(mine, key_bound(child, mine))[child]


def positions(children: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """Each child row's article as a position in `articles` (the first, if listed twice); -1 for none."""
    keys = shared_keys(children, articles)
    if keys is None:
        found = pc.index_in(pa.array(children[s.DOC_ID], pa.large_string()), value_set=pa.array(articles[s.DOC_ID], pa.large_string()))
        return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    child, mine = keys
    slot = np.full(key_bound(child, mine), -1, dtype=np.int64)
    order = np.arange(len(mine))
    slot[mine] = order
    if not (slot[mine] == order).all():  # an article listed twice: its first position
        np.minimum.at(slot, mine, order)
    return slot[child]


def article_numbers(children: pd.DataFrame) -> np.ndarray:
    """Each child row's article numbered 0, 1, … over the distinct articles of `children`."""
    keys = article_keys(children)
    if keys is None:
        ids = pa.array(children[s.DOC_ID], pa.large_string())
        return pc.dictionary_encode(ids).indices.fill_null(-1).to_numpy()  # as pd.factorize numbers them
    present = key_mask(keys, key_bound(keys))
    numbers = np.cumsum(present) - 1
    return numbers[keys]


def with_key(columns: list[str], frame: pd.DataFrame) -> list[str]:
    """`columns`, plus the article key when the frame has one (to select rows that stay matchable)."""
    return [*columns, s.ARTICLE_KEY] if s.ARTICLE_KEY in frame.columns else list(columns)


def has_repeats(articles: pd.DataFrame) -> bool:
    """Whether some article is listed twice (the same key, or without keys the same `doc_id`)."""
    keys = article_keys(articles)
    if keys is None:
        ids = pa.array(articles[s.DOC_ID], pa.large_string())
        return pc.count_distinct(ids, mode="all").as_py() < len(ids)
    return int(key_mask(keys, key_bound(keys)).sum()) < len(keys)


def member_of(column: pd.Series, values: pd.Series) -> pd.Series:
    """Which entries of a text column appear in `values` (a fast `Series.isin` for ids)."""
    try:
        array = pa.array(column)
        value_set = pa.array(values)
        if value_set.type != array.type:
            value_set = value_set.cast(array.type)
        hits = pc.is_in(array, value_set=value_set)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return column.isin(values)
    return pd.Series(hits.to_numpy(zero_copy_only=False), index=column.index, dtype=bool)
