"""A workspace: a loaded corpus with what the insight views need beside it (stories, notes)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.frames.corpus import (
    Corpus,
    ProgressCallback,
    last_load,
    load_corpus,
    problems_frame,
)
from analytics.frames.stories import story_ids
from analytics.read.annotations import ANNOTATION_DTYPES, read_annotations
from analytics.read.uploads import extract_uploads
from analytics.schema import empty_frame


@dataclass
class Workspace:
    """The corpus, each article's story, and the editors' dated notes found beside the data."""

    corpus: Corpus
    story_map: pd.DataFrame
    notes: pd.DataFrame
    note_problems: pd.DataFrame
    # The whole data's first and last publication dates when `corpus` holds only part of it (a
    # dataset's rows for some dates); None when the corpus is the whole data.
    span: tuple[date | None, date | None] | None = None


def open_workspace(*paths: str | os.PathLike[str], progress: ProgressCallback | None = None, cache: bool | str | os.PathLike[str] = True) -> Workspace:
    """Load the documents under the paths, group them into stories and read any annotations."""
    corpus = load_corpus(*paths, progress=progress, cache=cache)
    return with_insights(corpus, corpus.sources)  # a dataset's notes are beside the documents it was built from


def last_workspace(path: str | os.PathLike[str]) -> Workspace | None:
    """The workspace of the last cached load of `path`, read back without looking at the files (see `last_load`); None when none was kept."""
    corpus = last_load(path)
    return None if corpus is None else with_insights(corpus, corpus.sources)


def open_uploads(uploads: Iterable[tuple[str, bytes]]) -> Workspace:
    """A workspace of uploaded documents and `.zip` archives, unpacked safely into a private folder.

    Archive entries refused while unpacking count as files seen and skipped, each with its error.
    """
    extraction = extract_uploads(uploads)
    corpus = load_corpus(extraction.folder, cache=False)
    if extraction.problems:
        corpus.problems = pd.concat([problems_frame(extraction.problems), corpus.problems], ignore_index=True)
        corpus.files_seen += len({problem.path for problem in extraction.problems})
    return with_insights(corpus, [extraction.folder])


def with_insights(corpus: Corpus, paths: tuple[str | os.PathLike[str], ...] | list[str | os.PathLike[str]]) -> Workspace:
    """A workspace around an already loaded corpus; notes are read from the folders among `paths`."""
    frames, problems = [], []
    for path in paths:
        if Path(path).is_dir():
            notes, found = read_annotations(path)
            frames.append(notes)
            problems.extend(found)
    notes = pd.concat(frames, ignore_index=True) if frames else empty_frame(ANNOTATION_DTYPES)
    story_map = corpus.story_map if corpus.story_map is not None else story_ids(corpus.articles, corpus.related)
    return Workspace(corpus, story_map, notes, problems_frame(problems))

