"""The `Corpus`: every table read from a set of folders, and the accounting for every file."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import schema as s
from analytics.frames.flatten import RelativeKeys as _RelativeKeys
from analytics.frames.flatten import flatten_parsed
from analytics.frames.stories import story_ids
from analytics.read.ingest import Problem
from analytics.read.names import shown_name
from analytics.read.parse import ProgressCallback, parse_file, parse_files
from analytics.store.cache import (
    Cached,
    Listing,
    ParseCache,
    combine_rows,
    default_cache_dir,
    list_files,
    reusable_rows,
)
from analytics.store.dataset import (
    FRAMES,
    dataset_version,
    is_dataset,
    read_frame,
    read_manifest,
)
from analytics.store.file_stats import (
    file_fingerprints,
    files_digest,
    fingerprints_later,
)

__all__ = ["Corpus", "ProgressCallback", "last_load", "load_corpus", "open_dataset", "parse_file", "parse_files", "problems_frame"]


@dataclass
class Corpus:
    """Tidy frames of the loaded documents plus a `problems` row for everything not loaded cleanly.

    `files_seen == loaded + skipped + duplicates + ignored` always holds: every file under the
    given paths is either an article, an error (skipped), a duplicate copy or ignored by name.
    """

    articles: pd.DataFrame
    topics: pd.DataFrame
    related: pd.DataFrame
    images: pd.DataFrame
    problems: pd.DataFrame
    sources: tuple[str, ...] = ()
    files_seen: int = 0
    ignored: int = 0
    ignored_paths: list[str] = field(default_factory=list)
    version: str = ""  # `fingerprint()` of the files as this load found them ("" for frames built by hand)
    # Each article's story (`story_ids`), grouped with the frames and kept with them in the parse
    # cache; None where nobody grouped them yet (a dataset, frames built by hand).
    story_map: pd.DataFrame | None = None

    @property
    def loaded(self) -> int:
        """Number of documents loaded as articles."""
        return len(self.articles)

    @property
    def skipped(self) -> int:
        """Number of document files not loaded because of an error."""
        errors = self.problems[self.problems[s.SEVERITY] == s.ERROR]
        return int(errors[s.PATH].nunique())

    @property
    def duplicates(self) -> int:
        """Number of files not loaded because an earlier file holds the same article."""
        return int((self.problems[s.SEVERITY] == s.DUPLICATE).sum())

    def summary(self) -> dict:
        """The accounting of this load as plain JSON-ready values."""
        problems = self.problems.astype(object).where(self.problems.notna(), None)
        return {
            "files_seen": self.files_seen,
            "loaded": self.loaded,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "ignored": self.ignored,
            "problems": problems[[s.PATH, s.SEVERITY, s.FIELD, s.MESSAGE, s.LINE]].to_dict("records"),
        }


def load_corpus(
    *paths: str | os.PathLike[str],
    options: s.LoadOptions = s.LoadOptions(),
    progress: ProgressCallback | None = None,
    cache: bool | str | os.PathLike[str] = True,
    workers: int | None = None,
) -> Corpus:
    """Read every document under the given folders and files into a `Corpus`; a dataset folder is opened instead.

    Folders are searched recursively for `.md`, `.markdown` and `.txt` files; other files
    are counted as ignored. Raises FileNotFoundError when a path does not exist.

    `cache=True` keeps what each file parsed to in the per-user cache folder (or
    $NEWS_ANALYTICS_CACHE_DIR), a folder path puts it there, `False` parses every file. The
    frames are the same either way. `workers` is the number of processes that parse (default:
    every core for large folders, one for small ones). `progress(done, total)` counts files.
    """
    if not paths:
        raise ValueError("load_corpus needs at least one folder or file")
    if len(paths) == 1 and is_dataset(paths[0]):
        return open_dataset(paths[0])
    sources = tuple(os.fspath(p) for p in paths)
    now = datetime.now(timezone.utc)
    now_ns = time.time_ns()
    store = ParseCache(default_cache_dir() if cache is True else cache, sources, options) if cache is not False else None
    previous, notes = store.read() if store is not None else (None, [])
    listing, fingerprints, rows = _listing(sources, previous, now_ns, watch=store is not None)
    if fingerprints is None:
        fingerprints = file_fingerprints(listing.documents)  # taken before parsing: a later edit changes the version
    if previous is not None:
        reuse = reusable_rows(previous.keys, listing.documents, fingerprints, now_ns, rows=rows)
    else:
        reuse = [None] * len(listing.documents)
    frames = store.read_frames(previous.token) if previous is not None and previous.unchanged(listing, reuse) else None
    if frames is None:

        def parse(todo: list[str]) -> pa.Table:
            done = len(listing.documents) - len(todo)
            return parse_files(todo, options, progress, now=now, workers=workers, done=done, total=len(listing.documents))

        frames, more = _fresh_frames(store, previous, listing, reuse, parse, sources)
        notes = notes + more
    return _corpus(frames, listing, fingerprints, sources, notes)


def last_load(
    *paths: str | os.PathLike[str], options: s.LoadOptions = s.LoadOptions(), cache: bool | str | os.PathLike[str] = True
) -> Corpus | None:
    """The corpus the last cached load of `paths` gave, read back without looking at the files; None when none was kept.

    Its `version` is the files as that load found them: while `fingerprint(*paths)` (one `stat`
    per file, seconds at a million files) gives the same, it is what `load_corpus` would give.
    None too when some cached row is due to be parsed again, and for a dataset folder.
    """
    if cache is False or (len(paths) == 1 and is_dataset(paths[0])):
        return None
    sources = tuple(os.fspath(p) for p in paths)
    store = ParseCache(default_cache_dir() if cache is True else cache, sources, options)
    previous, _ = store.read()
    if previous is None or previous.expired(time.time_ns()):
        return None
    frames = store.read_frames(previous.token)
    return None if frames is None else _corpus(frames, previous.listing, previous.fingerprints(), sources, [])


def _corpus(frames: dict[str, pd.DataFrame], listing: Listing, fingerprints: np.ndarray, sources: tuple[str, ...], notes: list[Problem]) -> Corpus:
    """The `Corpus` of a load's frames, with the accounting for every file of its listing."""
    problems = frames["problems"]
    notes = [_unnamed(path) for path in listing.refused] + notes
    return Corpus(
        articles=frames["articles"],
        topics=frames["topics"],
        related=frames["related"],
        images=frames["images"],
        problems=pd.concat([problems, problems_frame(notes)], ignore_index=True) if notes else problems,
        sources=sources,
        files_seen=len(listing.documents) + len(listing.ignored) + len(listing.refused),
        ignored=len(listing.ignored),
        ignored_paths=listing.ignored,
        version=files_digest(listing.documents, listing.ignored, fingerprints, file_fingerprints(listing.ignored)),
        story_map=frames["stories"],
    )


def _unnamed(path: str) -> Problem:
    """The error for a file whose name is not valid UTF-8: reported under its name as shown, not read."""
    return Problem(shown_name(path), s.ERROR, "file name is not valid UTF-8 (each bad byte is shown as \\xNN); rename the file to load it")
def open_dataset(folder: str | os.PathLike[str]) -> Corpus:
    """The `Corpus` of a dataset folder (see `analytics.store.dataset`), as `load_corpus` gives it for the documents it was built from."""
    manifest = read_manifest(folder)
    frames = {name: read_frame(folder, name, manifest) for name in FRAMES}
    return Corpus(
        **frames,
        sources=tuple(manifest.sources),
        files_seen=manifest.files_seen,
        ignored=len(manifest.ignored),
        ignored_paths=list(manifest.ignored),
        version=dataset_version(folder),
    )


def _fresh_frames(
    store: ParseCache | None,
    previous: Cached | None,
    listing: Listing,
    reuse: list[int | None],
    parse: Callable[[list[str]], pa.Table],
    sources: tuple[str, ...],
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Parse what the cache cannot vouch for, run the whole-corpus step, and keep both for next time."""
    table, notes = store.read_table(previous) if store is not None and previous is not None else (None, [])
    if table is None:  # nothing cached, or the rest of the file failed its checks: parse every file
        previous, reuse = None, [None] * len(listing.documents)
    combined, rows = combine_rows(table, reuse, parse([path for path, row in zip(listing.documents, reuse) if row is None]))
    flat = flatten_parsed(combined, _RelativeKeys(sources), rows)
    frames = {
        "articles": flat.articles,
        "topics": flat.topics,
        "related": flat.related,
        "images": flat.images,
        "problems": pd.concat([flat.problems, problems_frame(flat.duplicates)], ignore_index=True),
        "stories": story_ids(flat.articles, flat.related),  # on the whole corpus, once per change: saved with the frames
    }
    if store is not None:
        still_held = previous is not None and previous.unchanged(listing, reuse)  # the cache file still matches the folder
        notes = notes + store.save(frames, None if still_held else flat.parsed, listing, previous.token if still_held else None)
    return frames, notes


def _listing(
    sources: tuple[str, ...], previous: Cached | None, now_ns: int, *, watch: bool
) -> tuple[Listing, np.ndarray | None, np.ndarray | None]:
    """The files to load, from the cache while no folder changed; their fingerprints (see
    `file_fingerprints`) and each one's row in the cached table (-1: new), when there is a cache."""
    if previous is None:
        return list_files(sources, now_ns, watch=watch), None, None
    cached = previous.listing.documents  # the cached table's paths, in its order
    if previous.listing.still_current(sources):
        fingerprints = file_fingerprints(cached)
        if (fingerprints[:, 0] >= 0).all():
            return previous.listing, fingerprints, np.arange(len(cached))
        known = lambda: fingerprints  # noqa: E731 - a file gone or replaced by a folder: list again, stats in hand
    else:
        known = fingerprints_later(cached)  # most files are still there: stat them while the folders are listed
    try:
        listing = list_files(sources, now_ns, watch=watch)
    finally:
        taken = known()  # also when listing failed: no child is left behind
    rows = pc.index_in(pa.array(listing.documents, pa.string()), value_set=previous.keys[s.PATH].combine_chunks()).fill_null(-1).to_numpy()
    return listing, _fingerprints_of(listing.documents, rows, taken), rows


def _fingerprints_of(documents: list[str], rows: np.ndarray, known: np.ndarray) -> np.ndarray:
    """The fingerprints of `documents`: row `rows[i]` of `known` where that is not -1, else taken now."""
    found = rows >= 0
    fingerprints = np.full((len(documents), 3), -1, dtype=np.int64)
    fingerprints[found] = known[rows[found]]
    new = np.flatnonzero(~found)
    if len(new):
        fingerprints[new] = file_fingerprints([documents[row] for row in new])
    return fingerprints


def current_files(
    *paths: str | os.PathLike[str], options: s.LoadOptions = s.LoadOptions(), cache: bool | str | os.PathLike[str] = True
) -> tuple[Listing, np.ndarray]:
    """The files `load_corpus` would find now, and their fingerprints, without parsing any.

    While no folder changed, the listing comes from the parse cache instead of walking the
    folders again; the fingerprints are one `stat` per file either way.
    """
    sources = tuple(os.fspath(p) for p in paths)
    store = ParseCache(default_cache_dir() if cache is True else cache, sources, options) if cache is not False else None
    previous = store.read()[0] if store is not None else None
    listing, fingerprints, _ = _listing(sources, previous, time.time_ns(), watch=False)
    return listing, fingerprints if fingerprints is not None else file_fingerprints(listing.documents)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The `problems` table: one row per problem, in the order found."""
    columns = {
        s.PATH: [p.path for p in problems],
        s.SEVERITY: [p.severity for p in problems],
        s.FIELD: [p.field for p in problems],
        s.MESSAGE: [p.message for p in problems],
        s.LINE: [p.line for p in problems],
    }
    return s.typed_frame(columns, s.PROBLEM_DTYPES)
