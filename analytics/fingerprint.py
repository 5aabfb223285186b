"""Fingerprints of input folders: cheap to compute, different whenever a document changes."""

from __future__ import annotations

import hashlib
import os

from analytics.ingest import discover_files


def fingerprint(*paths: str | os.PathLike[str]) -> str:
    """A digest of the path, size, modification and change time of every file under the paths.

    Ignored files count too, so editing `annotations.csv` beside the documents changes it; the
    change time catches a rewrite that keeps size and modification time (as the parse cache does).
    """
    digest = hashlib.blake2b(digest_size=16)
    found = discover_files(*paths)
    for path in found.documents + found.ignored:
        try:
            stat = os.stat(path)
            line = f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\n"
        except OSError:
            line = f"{path}\0missing\n"
        digest.update(line.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()
