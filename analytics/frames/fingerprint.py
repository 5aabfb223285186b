"""Fingerprints of input folders: cheap to compute, different whenever a document changes."""

from __future__ import annotations

import os

from analytics.frames.corpus import current_files
from analytics.store.dataset import dataset_version, is_dataset
from analytics.store.file_stats import file_fingerprints, files_digest


def fingerprint(*paths: str | os.PathLike[str], cache: bool | str | os.PathLike[str] = True) -> str:
    """A digest of the path, size, modification and change time of every file under the paths (of a dataset folder: its manifest).

    Ignored files count too, so editing `annotations.csv` beside the documents changes it; the
    change time catches a rewrite that keeps size and modification time (as the parse cache
    does). While no folder changed, the parse cache's listing of the files is used instead of
    walking the folders again, so the cost is one `stat` per file. A load records the same
    digest of what it read as `Corpus.version`: equal while nothing changed since.
    """
    if len(paths) == 1 and is_dataset(paths[0]):  # a dataset changes exactly when a build rewrites its manifest
        return dataset_version(paths[0])
    listing, documents = current_files(*paths, cache=cache)
    return files_digest(listing.documents, listing.ignored, documents, file_fingerprints(listing.ignored))
