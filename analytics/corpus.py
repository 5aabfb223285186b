"""The `Corpus`: every table read from a set of folders, and the accounting for every file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import schema as s
from analytics.flatten import flatten_records
from analytics.ingest import Problem, RawDocument, discover_files, read_document
from analytics.validate import Record, validate_document

ProgressCallback = Callable[[int, int], None]


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
) -> Corpus:
    """Read every document under the given folders and files into a `Corpus`.

    Folders are searched recursively for `.md`, `.markdown` and `.txt` files; other files
    are counted as ignored. Raises FileNotFoundError when a path does not exist.
    """
    if not paths:
        raise ValueError("load_corpus needs at least one folder or file")
    found = discover_files(*paths)
    records, problems = parse_files(found.documents, options, progress)
    frames = flatten_records(records, _relative_keys(found.documents, paths))
    problems = found.problems + problems + frames.duplicates
    return Corpus(
        articles=frames.articles,
        topics=frames.topics,
        related=frames.related,
        images=frames.images,
        problems=problems_frame(problems),
        sources=tuple(str(p) for p in paths),
        files_seen=len(found.documents) + len(found.ignored),
        ignored=len(found.ignored),
        ignored_paths=[str(p) for p in found.ignored],
    )


def parse_files(
    files: list[Path], options: s.LoadOptions = s.LoadOptions(), progress: ProgressCallback | None = None
) -> tuple[list[Record], list[Problem]]:
    """Validated records for the files that load, and every problem found on the way."""
    records: list[Record] = []
    problems: list[Problem] = []
    total = len(files)
    for done, path in enumerate(files, start=1):
        record, found = parse_file(path, options)
        problems.extend(found)
        if record is not None:
            records.append(record)
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    return records, problems


def parse_file(path: Path, options: s.LoadOptions = s.LoadOptions()) -> tuple[Record | None, list[Problem]]:
    """One file read, parsed and validated: its record (None when skipped) and its problems."""
    raw = read_document(path, options)
    if not isinstance(raw, RawDocument):
        return None, raw
    try:
        return validate_document(raw, options)
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError) as error:
        # A defensive net: validation repairs values, so reaching here is a bug to report.
        return None, [Problem(str(path), s.ERROR, f"document could not be checked: {type(error).__name__}: {error}")]


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


def _relative_keys(files: list[Path], roots: tuple[str | os.PathLike[str], ...]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for root in map(Path, roots):
        base = root if root.is_dir() else root.parent
        for path in files:
            if str(path) not in keys and path.is_relative_to(base):
                keys[str(path)] = path.relative_to(base).as_posix()
    return keys
