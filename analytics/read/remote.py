"""Documents kept anywhere fsspec reaches (`s3://bucket/news`, `gs://…`, `file:///…`): listed, fingerprinted and parsed.

A path with a protocol (`scheme://`) is read through fsspec; a plain path is a local folder and
goes through `analytics.read.ingest`. A remote file is copied to a private temporary folder and
parsed there by the same code as a local one; its row then names the file by its URL and
carries the fingerprint the store reported (size, modification time, version tag).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analytics import schema as s
from analytics.read.parse import parse_chunk


def is_url(path: str | os.PathLike[str]) -> bool:
    """Whether `path` names a location through a protocol (read with fsspec) rather than a local path."""
    return "://" in os.fspath(path)


def list_remote(url: str) -> tuple[list[str], list[str], np.ndarray]:
    """The document files under a URL (a folder, searched recursively, or one file), the other files, as sorted URLs,
    and the documents' fingerprints (see `remote_fingerprints`), from one listing.

    Raises FileNotFoundError when nothing is there.
    """
    import fsspec  # imported here: local loads never need it

    fs, root = fsspec.core.url_to_fs(url)
    if not fs.exists(root):
        raise FileNotFoundError(f"no such file or folder: {url}")
    found = {root: fs.info(root)} if fs.isfile(root) else fs.find(root, detail=True)
    documents, ignored, rows = [], [], []
    for path in sorted(found):
        info, name = found[path], fs.unstrip_protocol(path)
        if os.path.splitext(path)[1].lower() in s.DOCUMENT_SUFFIXES:
            documents.append(name)
            rows.append((int(info.get("size") or 0), _nanoseconds(info), _tag(info)))
        else:
            ignored.append(name)
    return documents, ignored, np.array(rows, dtype=np.int64).reshape(-1, 3)


def remote_fingerprints(urls: list[str]) -> np.ndarray:
    """Each file's (size, modification time in ns, digest of its version tag) as the store reports them; -1 for a file gone."""
    import fsspec

    rows = np.full((len(urls), 3), -1, dtype=np.int64)
    for index, url in enumerate(urls):
        fs, path = fsspec.core.url_to_fs(url)
        try:
            info = fs.info(path)
        except FileNotFoundError:
            continue
        rows[index] = (int(info.get("size") or 0), _nanoseconds(info), _tag(info))
    return rows


def parse_remote(urls: list[str], options: s.LoadOptions, now: datetime, racy_since_ns: int) -> pa.Table:
    """The parsed-files table of remote files (as `parse_chunk` makes it), each row naming its URL and remote fingerprint."""
    import fsspec

    fingerprints = remote_fingerprints(urls)
    with tempfile.TemporaryDirectory(prefix="news-analytics-") as folder:
        local = []
        for index, url in enumerate(urls):
            target = os.path.join(folder, f"{index}{os.path.splitext(url)[1]}")
            try:
                with fsspec.open(url, "rb") as source, open(target, "wb") as out:
                    out.write(source.read(options.max_file_bytes + 1))  # past the limit is reported by the parse, not read whole
            except OSError:
                pass  # the parse reports the file as unreadable
            local.append(target)
        table = parse_chunk(local, options, now, racy_since_ns)
    return _named(table, urls, local, fingerprints)


def _named(table: pa.Table, urls: list[str], local: list[str], fingerprints: np.ndarray) -> pa.Table:
    """The table with each temporary path replaced by its URL (in problems too) and the remote fingerprints."""
    by_local = dict(zip(local, urls))
    problems = table[s.PROBLEMS].to_pylist()
    for items in problems:
        for item in items:
            url = by_local.get(item[s.PATH], item[s.PATH])
            item[s.MESSAGE] = item[s.MESSAGE].replace(item[s.PATH], url) if item[s.MESSAGE] else item[s.MESSAGE]
            item[s.PATH] = url
    gone = fingerprints[:, 0] < 0
    columns = {
        s.PATH: pa.array([by_local[path] for path in table[s.PATH].to_pylist()], pa.string()),
        s.SIZE: pa.array(np.where(gone, None, fingerprints[:, 0]).tolist(), pa.int64()),
        s.MTIME_NS: pa.array(np.where(gone, None, fingerprints[:, 1]).tolist(), pa.int64()),
        s.CTIME_NS: pa.array(np.where(gone, None, fingerprints[:, 2]).tolist(), pa.int64()),
        s.VALID_UNTIL_NS: pc.if_else(pc.equal(table[s.VALID_UNTIL_NS], 0), None, table[s.VALID_UNTIL_NS]),  # a fresh copy is not "racy"
        s.PROBLEMS: pa.array(problems, table.schema.field(s.PROBLEMS).type),
    }
    for name, values in columns.items():
        table = table.set_column(table.schema.get_field_index(name), table.schema.field(name), values)
    return table


def _nanoseconds(info: dict) -> int:
    """The modification time a store reports (seconds or a datetime, under one of several names), in ns; 0 when none."""
    for key in ("mtime", "LastModified", "last_modified", "updated", "created"):
        value = info.get(key)
        if isinstance(value, datetime):
            return int(value.timestamp() * 1e9)
        if isinstance(value, (int, float)):
            return int(value * 1e9)
    return 0


def _tag(info: dict) -> int:
    """A number from the version tag a store reports (ETag, generation), 0 when none."""
    tag = next((str(info[key]) for key in ("ETag", "etag", "generation", "version_id", "md5Hash") if info.get(key)), "")
    return int.from_bytes(hashlib.blake2b(tag.encode(), digest_size=7).digest(), "big") if tag else 0
