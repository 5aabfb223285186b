"""Flattening stage: the parsed-files table becomes the tidy frames, with duplicates set aside.

Everything that depends on the whole corpus happens here, on every load, cached or not:
which copy of an article is kept, each outlet's display name and the articles' ids.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import schema as s
from analytics.read.ingest import Problem
from analytics.read.parse import text_id


@dataclass
class Frames:
    """The tidy tables built from one set of parsed files."""

    articles: pd.DataFrame
    topics: pd.DataFrame
    related: pd.DataFrame
    images: pd.DataFrame
    duplicates: list[Problem]
    problems: pd.DataFrame  # what reading and validating each file found, by path
    parsed: pa.Table  # the parsed files they were built from: the kept articles first, in article order


class IdKeys(Protocol):
    """Where URL-less ids come from: a file's path gives the text its id is made of (a dict will do)."""

    def get(self, path: str, default: str, /) -> str: ...


def flatten_parsed(table: pa.Table, id_keys: IdKeys | None = None, rows: np.ndarray | None = None) -> Frames:
    """Articles, topics, related and images frames of a parsed-files table (see `analytics.read.parse`).

    Later copies of one URL become problems. The kept articles are numbered 0..n-1 in
    `article_key`, which their topic, related and image rows repeat. `id_keys` maps a file's
    path to the text its `doc_id` is derived from when it has no URL (by default the path
    itself); pass paths relative to the loaded folder for ids that survive moving the folder.
    `rows` are the rows of `table` that hold the files (by default every row), one per file;
    the frames do not depend on their order. The wide columns are copied once, into
    `Frames.parsed`.
    """
    every = pa.array(np.arange(table.num_rows) if rows is None else rows, pa.int64())
    loaded = every.filter(pc.is_valid(table[s.TITLE].take(every)))
    ranked = loaded.take(_first_copy_order(table.select([s.PUBLISHED_AT, s.PATH]).take(loaded)))
    keys = table.select([s.CANONICAL_URL, s.PATH]).take(ranked)
    keep, duplicates = _drop_duplicates(keys[s.CANONICAL_URL], keys[s.PATH])
    names = best_names(name_counts(*(table[name].take(loaded) for name in (s.PROVIDER_DOMAIN, s.PROVIDER_NAME))))
    return frames_of(table, ranked.filter(keep).to_numpy(), every.to_numpy(), names, id_keys or {}, duplicates)


def frames_of(
    table: pa.Table,
    first: np.ndarray,
    every: np.ndarray,
    names: pa.Table,
    id_keys: IdKeys,
    duplicates: list[Problem],
    ids: Callable[[pa.Array, pa.Array], pa.Array] | None = None,
) -> Frames:
    """The frames of the articles at rows `first` of `table` (in that order), with the problems of all `every` rows.

    The whole-corpus decisions come from the caller: which copies are kept (`first`), each
    outlet's display name (`names`: `domain, name`) and the duplicates found. `ids`, when given,
    turns the articles' ids (as `doc_ids` makes them) and paths into the final ids.
    """
    chosen = np.zeros(table.num_rows, dtype=bool)
    chosen[first] = True
    parsed = table.take(pa.array(np.concatenate([first, every[~chosen[every]]]), pa.int64()))
    kept = parsed.slice(0, len(first)).select(_ARTICLE_INPUTS)
    made = doc_ids(kept[s.URL_ID], kept[s.PATH], id_keys)
    made = made if ids is None else ids(made, kept[s.PATH].combine_chunks())
    return Frames(
        articles=_articles(kept, made, names),
        topics=_children(kept[s.TOPICS], made, s.TOPIC_DTYPES),
        related=_children(kept[s.RELATED], made, s.RELATED_DTYPES),
        images=_children(kept[s.IMAGES], made, s.IMAGE_DTYPES),
        duplicates=duplicates,
        problems=_problems(parsed[s.PROBLEMS]),
        parsed=parsed,
    )


def later_copies(keys: pa.Table) -> tuple[np.ndarray, list[Problem]]:
    """Which rows of `keys` (`published_at, path, canonical_url`, loaded files only) are later copies, and their problems.

    The problems come in first-copy order, as `flatten_parsed` reports them.
    """
    order = _first_copy_order(keys.select([s.PUBLISHED_AT, s.PATH]))
    keep, duplicates = _drop_duplicates(keys[s.CANONICAL_URL].take(order), keys[s.PATH].take(order))
    later = np.zeros(keys.num_rows, dtype=bool)
    later[order.filter(pc.invert(keep)).to_numpy()] = True
    return later, duplicates


def first_copy_order(keys: pa.Table) -> pa.Array:
    """The order articles are numbered in: dated before undated, earlier before later, then by path."""
    return _first_copy_order(keys)


class RelativeKeys:
    """Each file's path relative to the first root that holds it (what URL-less ids derive from).

    Worked out on demand, one lexical comparison per folder: only files without an address
    need it, and they are few.
    """

    def __init__(self, roots: tuple[str, ...]) -> None:
        self._bases = [root if root.is_dir() else root.parent for root in map(Path, roots)]
        self._folders: dict[str, str | None] = {}

    def get(self, path: str, default: str) -> str:
        folder, _, name = path.rpartition(os.sep)
        if folder not in self._folders:
            self._folders[folder] = self._relative(Path(folder) if folder or not path.startswith(os.sep) else Path(os.sep))
        relative = self._folders[folder]
        return default if relative is None else name if relative == "." else f"{relative}/{name}"

    def _relative(self, where: Path) -> str | None:
        return next((where.relative_to(base).as_posix() for base in self._bases if where.is_relative_to(base)), None)


_ARTICLE_INPUTS = [name for name in s.ARTICLE_COLUMNS if name not in (s.DOC_ID, s.N_TOPICS, s.N_IMAGES, s.N_RELATED, s.ARTICLE_KEY)]
_ARTICLE_INPUTS += [s.URL_ID, s.TOPICS, s.IMAGES, s.RELATED]


def _first_copy_order(keys: pa.Table) -> pa.Array:
    """Dated before undated, earlier before later, then by path: the first copy wins."""
    stamps = keys[s.PUBLISHED_AT]
    keys = pa.table({"undated": pc.is_null(stamps), "at": stamps, "path": keys[s.PATH]})
    return pc.sort_indices(keys, sort_keys=[("undated", "ascending"), ("at", "ascending"), ("path", "ascending")])


def _drop_duplicates(urls: pa.ChunkedArray, paths: pa.ChunkedArray) -> tuple[pa.Array, list[Problem]]:
    """Which rows (in first-copy order) are kept, and a `duplicate` problem for every later copy."""
    codes = pc.dictionary_encode(urls.combine_chunks()).indices.fill_null(-1).to_numpy()  # no URL: -1
    later = pd.Series(codes).duplicated().to_numpy() & (codes >= 0)
    duplicates: list[Problem] = []
    if later.any():
        found, first_rows = np.unique(codes, return_index=True)
        first_of = first_rows[found >= 0]  # indexed by code: the row of its first copy
        for row in np.flatnonzero(later):
            original, url, name = paths[int(first_of[codes[row]])].as_py(), urls[int(row)].as_py(), paths[int(row)].as_py()
            message = f"same article as {original} (both point to {url}); this copy was not loaded"
            duplicates.append(Problem(name, s.DUPLICATE, message, field="webUrl"))
    return pa.array(~later), duplicates


def name_counts(domains: pa.ChunkedArray | pa.Array, names: pa.ChunkedArray | pa.Array) -> pa.Table:
    """How often each outlet name is written for each domain: `domain, name, count` (counts add up across parts)."""
    pairs = pa.table({"domain": domains, "name": names})
    written = pc.and_(pc.greater(pc.utf8_length(pairs["domain"]), 0), pc.greater(pc.utf8_length(pairs["name"]), 0))
    pairs = pairs.filter(pc.fill_null(written, False))
    domain, name = (pc.dictionary_encode(pairs[column].combine_chunks()) for column in ("domain", "name"))
    width = max(1, len(name.dictionary))
    distinct, counts = np.unique(domain.indices.to_numpy().astype(np.int64) * width + name.indices.to_numpy(), return_counts=True)
    return pa.table(  # counted in NumPy: Arrow's group_by would first import its query engine (~0.06 s)
        {
            "domain": domain.dictionary.take(pa.array(distinct // width)),
            "name": name.dictionary.take(pa.array(distinct % width)),
            "count": pa.array(counts, pa.int64()),
        }
    )


def best_names(counted: pa.Table) -> pa.Table:
    """The most frequent outlet name for each domain (ties broken alphabetically): `domain, name`."""
    ranked = counted.sort_by([("domain", "ascending"), ("count", "descending"), ("name", "ascending")])
    domain_names = ranked["domain"].to_numpy(zero_copy_only=False)
    first = np.flatnonzero(np.r_[True, domain_names[1:] != domain_names[:-1]]) if len(domain_names) else []  # each domain's best name
    return ranked.select(["domain", "name"]).take(pa.array(first, pa.int64()))


def doc_ids(url_ids: pa.ChunkedArray, paths: pa.ChunkedArray, id_keys: IdKeys) -> pa.Array:
    """Each kept article's id: its URL's digest (made while parsing), else its relative path's."""
    ids = url_ids.combine_chunks().cast(pa.string())  # one chunk, for `replace_with_mask`
    missing = ids.is_null()
    if missing.true_count:
        names = paths.filter(missing).to_pylist()
        ids = pc.replace_with_mask(ids, missing, pa.array([text_id("path:" + id_keys.get(name, name)) for name in names], pa.string()))
    if pc.count_distinct(ids).as_py() < len(ids):  # two URL-less files with the same relative path in different folders
        values, names = ids.to_numpy(zero_copy_only=False), paths.to_pylist()
        for row in np.flatnonzero(pd.Series(values).duplicated().to_numpy()):
            values[row] = text_id("path:" + names[row])
        ids = pa.array(values, pa.string())
    return ids


def _articles(kept: pa.Table, ids: pa.Array, names: pa.Table) -> pd.DataFrame:
    known = pc.index_in(kept[s.PROVIDER_DOMAIN], value_set=names["domain"])
    display = pc.if_else(pc.is_valid(known), names["name"].take(known.fill_null(0)) if names.num_rows else kept[s.PROVIDER_NAME], kept[s.PROVIDER_NAME])
    columns = {name: kept[name] for name in s.ARTICLE_COLUMNS if name in kept.column_names}
    columns.update(
        {
            s.DOC_ID: ids,
            s.PROVIDER_NAME: display,
            s.N_TOPICS: pc.list_value_length(kept[s.TOPICS]),
            s.N_IMAGES: pc.list_value_length(kept[s.IMAGES]),
            s.N_RELATED: pc.list_value_length(kept[s.RELATED]),
            s.ARTICLE_KEY: pa.array(np.arange(kept.num_rows, dtype=np.int64)),
        }
    )
    return s.arrow_frame(columns, s.ARTICLE_DTYPES)


def _items(lists: pa.ChunkedArray) -> tuple[dict[str, pa.Array], pa.Array]:
    """The items of a list column, one array per struct field, and each item's row number."""
    column = lists.combine_chunks() if lists.num_chunks != 1 else lists.chunk(0)
    items = pc.list_flatten(column)
    fields = {field.name: items.field(field.name) for field in items.type} if pa.types.is_struct(items.type) else {s.TOPIC: items}
    return fields, pc.list_parent_indices(column)


def _problems(lists: pa.ChunkedArray) -> pd.DataFrame:
    """The problems of every file, by path (a file's own in the order found), whatever the files' order."""
    fields, _ = _items(lists)
    order = pc.sort_indices(fields[s.PATH])  # a stable sort
    return s.arrow_frame({name: values.take(order) for name, values in fields.items()}, s.PROBLEM_DTYPES)


def _children(lists: pa.ChunkedArray, ids: pa.Array, dtypes: dict[str, object]) -> pd.DataFrame:
    """One row per list item, in article order, led by its article's `doc_id` (its key last)."""
    fields, parents = _items(lists)
    return s.arrow_frame({s.DOC_ID: ids.take(parents), **fields, s.ARTICLE_KEY: parents}, dtypes)
