"""Fingerprints of input folders: cheap to compute, different whenever a document changes."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from analytics.frames.corpus import current_files
from analytics.store.dataset import MANIFEST, is_dataset
from analytics.store.file_stats import file_fingerprints


def fingerprint(*paths: str | os.PathLike[str], cache: bool | str | os.PathLike[str] = True) -> str:
    """A digest of the path, size, modification and change time of every file under the paths (of a dataset folder: its manifest).

    Ignored files count too, so editing `annotations.csv` beside the documents changes it; the
    change time catches a rewrite that keeps size and modification time (as the parse cache
    does). While no folder changed, the parse cache's listing of the files is used instead of
    walking the folders again, so the cost is one `stat` per file.
    """
    if len(paths) == 1 and is_dataset(paths[0]):  # a dataset changes exactly when a build rewrites its manifest
        return hashlib.blake2b(Path(paths[0], MANIFEST).read_bytes(), digest_size=16).hexdigest()
    listing, documents = current_files(*paths, cache=cache)
    ignored = file_fingerprints(listing.ignored)
    digest = hashlib.blake2b(pickle.dumps((listing.documents, listing.ignored), protocol=5), digest_size=16)
    digest.update(documents.tobytes())
    digest.update(ignored.tobytes())
    return digest.hexdigest()
