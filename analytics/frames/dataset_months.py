"""A dataset's months: built whole from their parsed rows, or given a further part for new documents.

Both take the whole-corpus decisions (`Decisions`: later copies, outlet name counts, ids that
collided) from the caller, who works them out from every row (`analytics.frames.dataset`) or
from the stored decisions and the new rows only (`analytics.frames.dataset_additions`). Each
function here is a Dask task: it reads and writes the month's files itself and sends back the
month's manifest entry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import schema as s
from analytics.frames.corpus import problems_frame
from analytics.frames.flatten import (
    RelativeKeys,
    best_names,
    first_copy_order,
    frames_of,
)
from analytics.frames.rollups import rollups
from analytics.read.ingest import Problem
from analytics.read.parse import PARSED_SCHEMA
from analytics.store import dataset as ds

DUPLICATE_DTYPES = {s.PATH: s.STRING, s.PUBLISHED_AT: s.TIMESTAMP, ds.MONTH: s.STRING, s.MESSAGE: s.STRING, s.CANONICAL_URL: s.STRING}
ID_DTYPES = {s.DOC_ID: s.STRING, s.PATH: s.STRING, s.PUBLISHED_AT: s.TIMESTAMP, ds.MONTH: s.STRING}
_COUNTS_SCHEMA = pa.schema([("domain", pa.string()), ("name", pa.string()), ("count", pa.int64())])


@dataclass(frozen=True)
class Build:
    """One build: the cluster it runs on, the dataset folder, its sources and options, and the name its new files get."""

    client: object
    folder: Path
    sources: tuple[str, ...]
    options: s.LoadOptions
    name: str


@dataclass
class Decisions:
    """What the whole corpus decides for each month: later copies, outlet names, ids that collided."""

    duplicates: pd.DataFrame  # DUPLICATE_DTYPES: every later copy, in first-copy order
    counts: pa.Table  # domain, name, count: how often each outlet name is written (display names are the most frequent)
    ids: pd.DataFrame  # ID_DTYPES: articles whose id another article had first, and the id they get

    @property
    def names(self) -> pa.Table:
        """Each outlet's display name: `domain, name`."""
        return best_names(self.counts)

    def of_month(self, month: str) -> tuple[pd.DataFrame, dict[str, str]]:
        """The month's later copies and its articles' settled ids (path -> id)."""
        settled = self.ids[self.ids[ds.MONTH] == month]
        return self.duplicates[self.duplicates[ds.MONTH] == month], dict(zip(settled[s.PATH].astype(str), settled[s.DOC_ID].astype(str)))


def empty_counts() -> pa.Table:
    return _COUNTS_SCHEMA.empty_table()


def save_decisions(folder: str | Path, decisions: Decisions, build: str) -> None:
    """Write the decisions as the build's tables (the manifest that names the build is written after them)."""
    for name, frame in (("duplicates", decisions.duplicates), ("ids", decisions.ids)):
        ds.write_table(pa.Table.from_pandas(frame, preserve_index=False), ds.decisions_path(folder, name, build))
    ds.write_table(decisions.counts.cast(_COUNTS_SCHEMA), ds.decisions_path(folder, "names", build))


def load_decisions(folder: str | Path, build: str) -> Decisions | None:
    """The decisions a build wrote; None when they are not all there."""
    paths = {name: ds.decisions_path(folder, name, build) for name in ("duplicates", "names", "ids")}
    if not all(path.exists() for path in paths.values()):
        return None
    frames = {name: pq.read_table(paths[name]) for name in ("duplicates", "ids")}
    return Decisions(
        duplicates=s.arrow_frame({c: frames["duplicates"][c] for c in DUPLICATE_DTYPES}, DUPLICATE_DTYPES),
        counts=pq.read_table(paths["names"]).cast(_COUNTS_SCHEMA),
        ids=s.arrow_frame({c: frames["ids"][c] for c in ID_DTYPES}, ID_DTYPES),
    )


def duplicates_frame(keys: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """The later copies among `keys` (`path, published_at, canonical_url`) that `problems` name, in their order, with their messages."""
    rows = pd.Index(keys[s.PATH]).get_indexer([p.path for p in problems])
    chosen = keys.iloc[rows]
    columns = {
        s.PATH: chosen[s.PATH].to_numpy(),
        s.PUBLISHED_AT: chosen[s.PUBLISHED_AT].to_numpy(),
        ds.MONTH: months_of(chosen[s.PUBLISHED_AT]),
        s.MESSAGE: [p.message for p in problems],
        s.CANONICAL_URL: chosen[s.CANONICAL_URL].to_numpy(),
    }
    return pd.DataFrame({name: pd.Series(values, dtype=DUPLICATE_DTYPES[name]) for name, values in columns.items()})


def manifest_of(build: Build, months: dict[str, dict]) -> ds.Manifest:
    """The manifest of a dataset of these months, whose decisions are the build's."""
    counts = {name: sum(int(m.get(name, 0)) for m in months.values()) for name in ds.FRAMES + ("skipped", "duplicates")}
    return ds.Manifest(sources=list(build.sources), options=build.options.parse_settings(), counts=counts, months=months, decisions=build.name)


def in_first_copy_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows (with `published_at` and `path`) in the order articles are numbered in."""
    table = pa.Table.from_pandas(frame[[s.PUBLISHED_AT, s.PATH]], preserve_index=False)
    return frame.iloc[first_copy_order(table).to_numpy()].reset_index(drop=True)


def months_of(stamps: pd.Series) -> list[str]:
    """Each publication time's month folder."""
    return ds.month_of(pa.array(stamps, pa.timestamp("us", tz="UTC"))).to_pylist()


def names_digest(names: pa.Table) -> str:
    return hashlib.blake2b(repr(names.to_pydict()).encode(), digest_size=16).hexdigest()


def month_digest(files: list[str], duplicates: pd.DataFrame, names: str, ids: dict[str, str]) -> str:
    """What a month's frames are made of: its parsed part files (immutable), its duplicates, the outlet names and ids."""
    digest = hashlib.blake2b(digest_size=16)
    for item in ([Path(f).name for f in files], duplicates[s.PATH].tolist(), duplicates[s.MESSAGE].tolist(), names, sorted(ids.items())):
        digest.update(repr(item).encode())
    return digest.hexdigest()


def _copies(duplicates: pd.DataFrame) -> list[Problem]:
    return [Problem(path, s.DUPLICATE, message, field="webUrl") for path, message in zip(duplicates[s.PATH], duplicates[s.MESSAGE])]


def _read_parsed(files: list[str]) -> pa.Table:
    return pa.concat_tables([pq.ParquetFile(f).read() for f in files]) if files else PARSED_SCHEMA.empty_table()


def _articles_of(table: pa.Table, later: list[str]) -> np.ndarray:
    """The rows of `table` that are articles (loaded, not a later copy), in article order."""
    copies = pc.is_in(table[s.PATH], value_set=pa.array(later, pa.string()))
    loaded = np.flatnonzero(pc.and_(pc.is_valid(table[s.TITLE]), pc.invert(copies)).to_numpy(zero_copy_only=False))
    return loaded[first_copy_order(table.select([s.PUBLISHED_AT, s.PATH]).take(pa.array(loaded, pa.int64()))).to_numpy()]


def _write_part(folder: str, month: str, part: str, frames: dict[str, pd.DataFrame], flat_articles: pd.DataFrame, flat_topics: pd.DataFrame) -> None:
    for name, frame in frames.items():
        ds.write_frame(folder, name, month, frame, part)
    for name, frame in rollups(flat_articles, flat_topics).items():
        ds.write_table(pa.Table.from_pandas(frame, preserve_index=False), ds.frame_path(folder, f"{ds.ROLLUPS}/{name}", month, part))


def _skipped(problems: pd.DataFrame) -> int:
    """How many files did not load: those with an error."""
    return int(problems[problems[s.SEVERITY] == s.ERROR][s.PATH].nunique())


def month_task(
    folder: str,
    month: str,
    files: list[str],
    duplicates: pd.DataFrame,
    names: pa.Table,
    ids: dict[str, str],
    sources: tuple[str, ...],
    digest: str,
    part: str,
) -> dict:
    """(A task) One month's five frames and rollups built from all its parsed rows, written as one part; its manifest entry."""
    table = _read_parsed(files)
    copies = _copies(duplicates)

    def settled(made: pa.Array, paths: pa.Array) -> pa.Array:
        if not ids:
            return made
        values = made.to_pylist()
        return pa.array([ids.get(path, value) for path, value in zip(paths.to_pylist(), values)], pa.string())

    first = _articles_of(table, duplicates[s.PATH].tolist())
    flat = frames_of(table, first, np.arange(table.num_rows), names, RelativeKeys(sources), copies, settled)
    frames = {
        "articles": flat.articles,
        "topics": flat.topics,
        "related": flat.related,
        "images": flat.images,
        "problems": pd.concat([flat.problems, problems_frame(copies)], ignore_index=True),
    }
    _write_part(folder, month, part, frames, flat.articles, flat.topics)
    counts = {name: len(frame) for name, frame in frames.items()}
    return {"digest": digest, **counts, "skipped": _skipped(flat.problems), "duplicates": len(copies), "parts": [part], "problems_part": part}


def addition_task(
    folder: str,
    month: str,
    files: list[str],
    again: pa.Array,
    duplicates: pd.DataFrame,
    names: pa.Table,
    sources: tuple[str, ...],
    before: dict | None,
    digest: str,
    part: str,
) -> dict:
    """(A task) New documents of a month (in parsed part files, but those parsed `again`) written as a further part; the month's manifest entry.

    `duplicates` are all the month's later copies, old and new: the month's problems are
    written again (they are small), the other frames and rollups get a part of the new
    articles only. The new articles' ids collide with no other (the caller checked).
    """
    table = _read_parsed(files)
    table = table.filter(pc.invert(pc.is_in(table[s.PATH], value_set=again)))
    first = _articles_of(table, duplicates[s.PATH].tolist())
    copies = _copies(duplicates)
    flat = frames_of(table, first, np.arange(table.num_rows), names, RelativeKeys(sources), [])
    old = ds.frame_path(folder, "problems", month, ds.problems_part(before)) if before is not None else None
    kept = ds.read_part(old, "problems") if old is not None and old.exists() else s.empty_frame(s.PROBLEM_DTYPES)
    kept = kept[kept[s.SEVERITY] != s.DUPLICATE]
    problems = pd.concat([kept, flat.problems, problems_frame(copies)], ignore_index=True)
    frames = {"articles": flat.articles, "topics": flat.topics, "related": flat.related, "images": flat.images}
    _write_part(folder, month, part, frames, flat.articles, flat.topics)
    ds.write_frame(folder, "problems", month, problems, part)
    parts = (ds.month_parts(before) if before is not None else []) + [part]
    if len(parts) > 1:
        ds.write_keys(folder, month, parts, part)
    entry = dict(before or {})
    entry.update({name: int(entry.get(name, 0)) + len(frame) for name, frame in frames.items()})
    entry.update(
        digest=digest,
        problems=len(problems),
        skipped=int(entry.get("skipped", 0)) + _skipped(flat.problems),
        duplicates=len(copies),
        parts=parts,
        problems_part=part,
    )
    if len(parts) > 1:
        entry[ds.KEYS_PART] = part
    return entry
