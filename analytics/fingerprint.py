"""Fingerprints of input folders: cheap to compute, different whenever a document changes."""

from __future__ import annotations

import hashlib
import os

from analytics.ingest import discover_files


def fingerprint(*paths: str | os.PathLike[str]) -> str:
    """A digest of every document's path, size and modification time under the paths."""
    digest = hashlib.blake2b(digest_size=16)
    found = discover_files(*paths)
    for path in found.documents:
        try:
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            digest.update(f"{path}\0missing\n".encode("utf-8", "surrogateescape"))
    digest.update(f"ignored:{len(found.ignored)}".encode())
    return digest.hexdigest()
