"""The parse cache: the parsed-files table of a corpus kept on disk, so a file is parsed once.

One file per set of loaded paths (and load options) in a per-user cache folder. Each row
carries its file's fingerprint (size, mtime_ns, ctime_ns); a later load re-parses only files
whose fingerprint changed, parses new files and drops deleted ones, then flattens the whole
table again, so a warm load gives exactly the frames of a cold one. The listing of files is
kept too, with the fingerprints of every folder: while no folder changed, the folders need not
be walked again. The file is Arrow IPC (LZ4, a CRC-32 of the whole file at its end): it is
written and read several times as fast as Parquet, which matters when 1% of a large folder
changed and the whole table is written again. Writes go to a temporary file that replaces the
old one in one step; a file that cannot be read, fails its checksum or was written by other
code is reported and rebuilt.

In its `frames` subfolder: the finished frames of the last load (articles, topics, related,
images, problems, and each article's story), one file each in the same format, carrying the token of the
parse-cache version they were built from. While no file changed they are read back instead of
running the whole-corpus step again; a frames file with another token, stamp or shape, or
failing its checksum, is built afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import mmap
import os
import re
import secrets
import stat as st
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

import ftfy
import numpy as np
import pandas as pd
import platformdirs
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from analytics import schema
from analytics.read.ingest import Problem, discover_files
from analytics.read.parse import PARSED_SCHEMA, RACY_WINDOW_NS

FORMAT = 3
ENV_VAR = "NEWS_ANALYTICS_CACHE_DIR"
_META_KEY = b"news_analytics"
_STALE_TEMP_SECONDS = 3600
_FRAMES_FOLDER = "frames"
_KEYS = [schema.PATH, schema.SIZE, schema.MTIME_NS, schema.CTIME_NS, schema.VALID_UNTIL_NS]
_KEY_FIELDS = [PARSED_SCHEMA.get_field_index(name) for name in _KEYS]
_KEYS_SCHEMA = pa.schema([PARSED_SCHEMA.field(name) for name in _KEYS])
FRAME_DTYPES: dict[str, dict[str, object]] = {
    "articles": schema.ARTICLE_DTYPES,
    "topics": schema.TOPIC_DTYPES,
    "related": schema.RELATED_DTYPES,
    "images": schema.IMAGE_DTYPES,
    "problems": schema.PROBLEM_DTYPES,
}
# Saved beside them: each article's story, grouped from those frames (seconds at a million articles).
_SAVED_DTYPES = FRAME_DTYPES | {"stories": schema.STORY_MAP_DTYPES}
_ARROW_TYPES: dict[object, pa.DataType] = {
    schema.STRING: pa.string(),
    schema.CATEGORY_DTYPE: pa.dictionary(pa.int32(), pa.string()),  # read back as categories, not hashed again
    schema.TIMESTAMP: pa.timestamp("us", tz="UTC"),
    schema.FLOAT: pa.float64(),
    schema.INT: pa.int64(),
    schema.BOOL: pa.bool_(),
}


def default_cache_dir() -> Path:
    """Where caches go: $NEWS_ANALYTICS_CACHE_DIR, else the per-user cache folder."""
    return Path(os.environ.get(ENV_VAR) or Path(platformdirs.user_cache_dir("news-analytics"), "parse"))


def clear_cache(directory: str | os.PathLike[str] | None = None) -> int:
    """Delete the parse cache files in the folder (default: `default_cache_dir()`) and their saved frames; how many parse caches went."""
    folder = Path(directory) if directory is not None else default_cache_dir()
    removed = 0
    for path in [*_cache_files(folder), *folder.glob("*.tmp")]:
        path.unlink(missing_ok=True)
        removed += 1
    saved = folder / _FRAMES_FOLDER
    for path in [*_cache_files(saved), *saved.glob("*.tmp")]:
        path.unlink(missing_ok=True)
    if saved.is_dir() and not any(saved.iterdir()):
        saved.rmdir()
    return removed


def cache_usage(directory: str | os.PathLike[str] | None = None) -> tuple[int, int]:
    """How many parse caches the folder (default: `default_cache_dir()`) holds, and their bytes with the saved frames."""
    folder = Path(directory) if directory is not None else default_cache_dir()
    caches, saved = _cache_files(folder), _cache_files(folder / _FRAMES_FOLDER)
    return len(caches), sum(path.stat().st_size for path in caches + saved)


def _cache_files(folder: Path) -> list[Path]:
    """The cache files directly in `folder` (`.parquet`: written by older versions); none when it is no folder."""
    return [*folder.glob("*.arrow"), *folder.glob("*.parquet")] if folder.is_dir() else []


@dataclass
class Listing:
    """What discovery found, and the folder fingerprints that tell whether it still holds."""

    documents: list[str]
    ignored: list[str]
    folders: dict[str, list[int]]
    roots: list[list[int]]
    trusted: bool  # False when the folders cannot vouch for the listing (symlinks, racy times)
    refused: list[str] = field(default_factory=list)  # paths that are not valid UTF-8, reported unread

    def still_current(self, paths: tuple[str, ...]) -> bool:
        """Whether listing the folders again would give the same files (no folder changed).

        This holds while discovery decides by names and entry types only: adding, removing or
        renaming an entry changes its folder's mtime, and links (whose targets can change
        unseen) make a listing untrusted from the start.
        """
        if not self.trusted or self.roots != [_root_identity(p) for p in paths]:
            return False
        return all(_folder_fingerprint(folder) == known for folder, known in self.folders.items())


def list_files(paths: tuple[str, ...], now_ns: int, *, watch: bool = True) -> Listing:
    """Discover the documents under `paths`; with `watch`, keep the folder fingerprints taken on the way."""
    found = discover_files(*paths)
    racy_since = now_ns - RACY_WINDOW_NS
    trusted = watch and found.vouch and all(fingerprint[2] < racy_since for fingerprint in found.folders.values())  # mtime
    return Listing(
        documents=found.documents,
        ignored=found.ignored,
        folders=found.folders if trusted else {},
        roots=[_root_identity(p) for p in paths] if watch else [],
        trusted=trusted,
        refused=found.refused,
    )


def _folder_fingerprint(folder: str) -> list[int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns]


def _root_identity(path: str) -> list[int]:
    try:
        info = os.stat(path)
    except OSError:
        return []
    return [info.st_dev, info.st_ino, st.S_IFMT(info.st_mode)]


def reusable_rows(
    table: pa.Table, documents: list[str], fingerprints: np.ndarray, now_ns: int, *, rows: np.ndarray | None = None
) -> list[int | None]:
    """For each document, the row of `table` that still holds for it, or None when it must be parsed.

    `rows`: each document's row in `table` (-1: not there) when the caller knows them already
    (`np.arange` for the cached listing, whose documents are the table's paths); else they are
    found by path.
    """
    if rows is None:
        rows = pc.index_in(pa.array(documents, pa.string()), value_set=table[schema.PATH]).fill_null(-1).to_numpy()
    found = rows >= 0
    at = np.where(found, rows, 0)
    fresh = found & (fingerprints[:, 0] >= 0)
    for position, name in enumerate((schema.SIZE, schema.MTIME_NS, schema.CTIME_NS)):
        fresh &= table[name].fill_null(-2).to_numpy()[at] == fingerprints[:, position]
    until = table[schema.VALID_UNTIL_NS].fill_null(np.iinfo(np.int64).max).to_numpy()[at]
    fresh &= now_ns < until
    return [row if row >= 0 else None for row in np.where(fresh, rows, -1).tolist()]


def combine_rows(table: pa.Table | None, reuse: list[int | None], parsed: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """`table` and `parsed` end to end, and each document's row there, in order.

    A document's row is its reused row of `table`, else the next row of `parsed`. Nothing is
    copied: the whole-corpus step takes the rows it needs, in its own order, in one go.
    """
    if table is None:
        return parsed, np.arange(parsed.num_rows)
    rows = np.array([-1 if row is None else row for row in reuse], dtype=np.int64)
    fresh = rows < 0
    rows[fresh] = np.arange(table.num_rows, table.num_rows + int(fresh.sum()))
    return (pa.concat_tables([table, parsed]) if parsed.num_rows else table), rows


@dataclass
class Cached:
    """A parse cache as first read: its listing, the path and fingerprint columns, and its token.

    The token names this version of the file; frames saved from it carry the same token. The
    other columns are decoded (from the same checked bytes) only when some file must be parsed again.
    """

    keys: pa.Table
    listing: Listing
    token: str
    data: pa.Buffer  # the file as read: a concurrent writer replaces the file, never changes these bytes

    def table(self) -> pa.Table:
        """Every column of the cached rows."""
        table = pa.ipc.open_file(self.data).read_all()
        if not table.schema.remove_metadata().equals(PARSED_SCHEMA) or table.num_rows != self.keys.num_rows:
            raise ValueError("the table changed shape")
        return table

    def fingerprints(self) -> np.ndarray:
        """(size, mtime_ns, ctime_ns) of each cached file as the load that kept it found them, in the listing's order."""
        columns = [self.keys[name].fill_null(-1).to_numpy() for name in (schema.SIZE, schema.MTIME_NS, schema.CTIME_NS)]
        return np.column_stack(columns).astype(np.int64).reshape(-1, 3)

    def expired(self, now_ns: int) -> bool:
        """Whether some cached row is due to be parsed again by `now_ns` (its date has come, its file was written moments before it was read)."""
        until = pc.min(self.keys[schema.VALID_UNTIL_NS]).as_py()
        return until is not None and until <= now_ns

    def unchanged(self, listing: Listing, reuse: list[int | None]) -> bool:
        """Whether this load found exactly the cached files, every one of them still current."""
        return listing is self.listing and reuse == list(range(self.keys.num_rows))


class ParseCache:
    """The cache files of one set of loaded paths and options: the parsed files and the last frames."""

    def __init__(self, directory: str | os.PathLike[str], paths: tuple[str, ...], options: schema.LoadOptions) -> None:
        self.directory = Path(directory)
        absolute = all(os.path.isabs(p) for p in paths)
        self._stamp = {
            "format": FORMAT,
            "code": _code_digest(PARSING_MODULES),
            "paths": list(paths),
            "cwd": "" if absolute else os.getcwd(),
            "options": options.parse_settings(),
        }
        # The saved frames depend on the whole-corpus step too: a change there rebuilds them from
        # the parsed rows, and users' documents are not parsed again.
        self._frames_stamp = dict(self._stamp, code=_code_digest(FRAMING_MODULES))
        key = hashlib.blake2b(json.dumps([self._stamp["paths"], self._stamp["cwd"], self._stamp["options"]]).encode(), digest_size=10)
        self.path = self.directory / f"{key.hexdigest()}.arrow"

    def read(self) -> tuple[Cached | None, list[Problem]]:
        """The cached listing and fingerprints, or None with a warning when the file cannot be trusted."""
        if not self.path.exists():
            return None, []
        try:
            data = _read_checked(self.path)
            written = pa.ipc.open_file(data).schema
            meta = json.loads(written.metadata[_META_KEY])
            stamp = {key: meta.get(key) for key in self._stamp}
            if stamp != self._stamp or written.names != PARSED_SCHEMA.names:
                return None, [self._note("was written by another version of the program or for other options; rebuilt it")]
            keys = pa.ipc.open_file(data, options=pa.ipc.IpcReadOptions(included_fields=_KEY_FIELDS)).read_all()
            if not keys.schema.remove_metadata().equals(_KEYS_SCHEMA):
                raise ValueError("the path and fingerprint columns changed type")
            listing = meta["listing"]
            listing["documents"] = keys[schema.PATH].to_pylist()  # one row per document, in order
            if len(set(listing["documents"])) != keys.num_rows:
                raise ValueError("a file appears twice")
            return Cached(keys, Listing(**listing), str(meta["token"]), data), []
        except (OSError, pa.ArrowException, ValueError, KeyError, TypeError) as error:
            return None, [self._unreadable(error)]

    def read_table(self, cached: Cached) -> tuple[pa.Table | None, list[Problem]]:
        """Every column of the cached rows, or None with a warning when they cannot be trusted."""
        try:
            return cached.table(), []
        except (pa.ArrowException, ValueError) as error:
            return None, [self._unreadable(error)]

    def save(self, frames: dict[str, pd.DataFrame], table: pa.Table | None, listing: Listing, token: str | None = None) -> list[Problem]:
        """Keep a load for next time: the parsed-files `table` and the frames built from it; warnings, never an exception.

        `table` holds one row per document of `listing`, in any order (a listing read back lists
        its documents in the table's order); None keeps the cache file of version `token`, and
        only the frames are written. Both files are written at once, on two threads: Arrow
        compresses and writes outside Python's global lock. Frames saved beside a cache file
        that could not be written carry a token no cache file has, so they are never read.
        """
        if table is None:
            self._write_frames(frames, token)
            return []
        token = secrets.token_hex(16)
        with ThreadPoolExecutor(1) as writer:
            written = writer.submit(self._write, table, listing, token)
            self._write_frames(frames, token)
            return written.result()

    def _write(self, table: pa.Table, listing: Listing, token: str) -> list[Problem]:
        """Replace the cache file in one step."""
        meta = dict(self._stamp, listing=_listing_json(listing), token=token)
        table = table.replace_schema_metadata({_META_KEY: json.dumps(meta).encode()})
        notes = self._replace(self.path, lambda out: _write_checked(out, table))
        if not notes:
            self.path.with_suffix(".parquet").unlink(missing_ok=True)  # this cache as older versions wrote it
        return [self._note(f"could not be written ({note}); the next load parses again") for note in notes]

    def read_frames(self, token: str) -> dict[str, pd.DataFrame] | None:
        """The frames saved from the cache version `token`; None when any is missing or untrustworthy."""
        frames = {}
        for name, dtypes in _SAVED_DTYPES.items():
            try:
                table = pa.ipc.open_file(_read_checked(self._frame_path(name))).read_all()
                meta = json.loads(table.schema.metadata[_META_KEY])
            except (OSError, pa.ArrowException, ValueError, KeyError, TypeError):
                return None
            expected = pa.schema([(column, _ARROW_TYPES[dtype]) for column, dtype in dtypes.items()])
            if meta != dict(self._frames_stamp, token=token, frame=name) or not table.schema.remove_metadata().equals(expected):
                return None
            frames[name] = schema.arrow_frame({column: table[column] for column in dtypes}, dtypes)
        return frames

    def _write_frames(self, frames: dict[str, pd.DataFrame], token: str) -> None:
        """Save the frames built from the cache version `token` (silently: they are only a shortcut)."""
        for name, dtypes in _SAVED_DTYPES.items():
            frame = frames[name]
            columns = {column: pa.array(frame[column], from_pandas=True).cast(_ARROW_TYPES[dtype]) for column, dtype in dtypes.items()}
            meta = dict(self._frames_stamp, token=token, frame=name)
            table = pa.table(columns).replace_schema_metadata({_META_KEY: json.dumps(meta).encode()})
            if self._replace(self._frame_path(name), lambda out, table=table: _write_checked(out, table)):
                return

    def _frame_path(self, name: str) -> Path:
        return self.directory / _FRAMES_FOLDER / f"{self.path.stem}.{name}.arrow"

    def _replace(self, path: Path, write: Callable[[BinaryIO], None]) -> list[str]:
        """`write` a temporary file that then replaces `path`; what went wrong, if anything."""
        temp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._remove_stale_temps(path)
            handle, temp = tempfile.mkstemp(prefix=f"{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                write(out)
            os.replace(temp, path)
            temp = None
        except (OSError, pa.ArrowException) as error:
            return [f"{type(error).__name__}: {error}"]
        finally:
            if temp is not None:
                Path(temp).unlink(missing_ok=True)
        return []

    def _remove_stale_temps(self, path: Path) -> None:
        # Left by a process killed while writing: its writer (named in the file name) is gone,
        # or it is an hour old. A fresh one of a live process belongs to a concurrent writer.
        for temp in path.parent.glob(f"{path.name}.*.tmp"):
            try:
                if not _writer_alive(temp.name[len(path.name) + 1 :]) or time.time() - temp.stat().st_mtime > _STALE_TEMP_SECONDS:
                    temp.unlink()
            except OSError:
                pass

    def _unreadable(self, error: Exception) -> Problem:
        return self._note(f"could not be read ({type(error).__name__}: {error}); rebuilt it")

    def _note(self, what: str) -> Problem:
        return Problem(str(self.path), schema.WARNING, f"parse cache {what}")


def _writer_alive(rest: str) -> bool:
    """Whether the process named at the start of a temporary file's name (`PID.random.tmp`) still runs."""
    pid = rest.split(".", 1)[0]
    if not pid.isdigit():
        return True  # not named by this version: left to the age rule
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, owned by someone else
        return True
    return True


def _write_checked(out: BinaryIO, table: pa.Table) -> None:
    """A cache file: an Arrow IPC file (LZ4, read back with no decoding), then its CRC-32.

    The checksum stands in for Parquet's page checksums: a damaged file is built again.
    """
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="lz4")) as writer:
        writer.write_table(table)
    data = sink.getvalue()
    out.write(data)
    out.write(zlib.crc32(data).to_bytes(4, "big"))


def _read_checked(path: Path) -> pa.Buffer:
    """The Arrow IPC bytes of a file written by `_write_checked`; ValueError when its checksum does not match."""
    # Opened without blocking and checked to be a regular file: a named pipe (or a device)
    # put at the cache's path must never stall a load; it is a cache that cannot be read.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not st.S_ISREG(os.fstat(descriptor).st_mode):
            raise ValueError("not a regular file")
        whole = pa.py_buffer(mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ))  # the map outlives the descriptor
    finally:
        os.close(descriptor)
    data, stored = whole[:-4], whole[-4:].to_pybytes()
    if len(stored) != 4 or zlib.crc32(data) != int.from_bytes(stored, "big"):
        raise ValueError("checksum mismatch")
    return data


def _listing_json(listing: Listing) -> dict:
    # Not `asdict`, which deep-copies every path; the documents are the table's paths, row by row:
    # stored once, not twice.
    return {name: getattr(listing, name) for name in ("ignored", "folders", "roots", "trusted", "refused")}


# What a file parses to is decided by the read stage; the saved frames also by the frames stage
# (flattening, and grouping articles into stories).
PARSING_MODULES = ("read.parse", "store.cache")
FRAMING_MODULES = (*PARSING_MODULES, "frames.corpus", "frames.flatten", "frames.stories")


@functools.cache
def _code_digest(start: tuple[str, ...]) -> str:
    """A digest of the modules `start` runs (their imports, transitively) and the libraries they use.

    The modules are read from their imports: a change to the dashboard or the report keeps users'
    caches, and a change to the whole-corpus step keeps their parsed rows.
    """
    digest = hashlib.blake2b(digest_size=16)
    for source in sorted(_loading_modules(start)):
        digest.update(source.read_bytes())
    versions = (yaml.__version__, _installed("yaml-rs"), ftfy.__version__, pd.__version__, pa.__version__, sys.version)
    digest.update(repr(versions).encode())
    return digest.hexdigest()


def _installed(distribution: str) -> str | None:
    """The installed version of a library (whether or not this process loads it), or None."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _loading_modules(start: tuple[str, ...]) -> set[Path]:
    """The package's modules `start` names (dotted, below `analytics`) and what they import, transitively."""
    package = Path(__file__).parents[1]
    found: set[Path] = set()
    todo = [_module_file(package, name) for name in start]
    while todo:
        source = todo.pop()
        if source is None or source in found:
            continue
        found.add(source)
        for module, names in _PACKAGE_IMPORT.findall(source.read_text(encoding="utf-8")):
            todo.append(_module_file(package, module))
            todo += [_module_file(package, f"{module}.{name}".strip(".")) for name in re.findall(r"\w+", names)]
    return found


def _module_file(package: Path, dotted: str) -> Path | None:
    """The file of `analytics.<dotted>`, when it is a module of this package (not a subpackage)."""
    source = package.joinpath(*dotted.split(".")).with_suffix(".py") if dotted else None
    return source if source is not None and source.exists() else None


# `from analytics import a, b`, `from analytics.a.b import x`, `import analytics.a`, at a line's start.
_PACKAGE_IMPORT = re.compile(r"^(?:from|import) analytics(?:\.([\w.]+))?(?: import (\([^)]*\)|[\w, ]+))?", re.MULTILINE)
