"""Parsing stage: document files become one table with a row per file, in one process or several.

A row holds the file's fingerprint, its validated values (null when it did not load), its
topics, images, related items and problems as list columns. The table is compact (Arrow
columns, not millions of dicts), crosses process boundaries cheaply, is what the flatten stage
reads and what the parse cache stores.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics import schema as s
from analytics.read.ingest import Problem, RawDocument, read_document
from analytics.read.lifetime import interrupts_held, worker_start
from analytics.read.urls import canonical_url
from analytics.read.validate import Record, validate_document

ProgressCallback = Callable[[int, int], None]

# Below this many files one process is as fast: the first pool of a threaded process (the
# dashboard) starts a fork server, about 0.3 s, the time to parse ~1,000 files (measured;
# see docs/performance.md). Forked pools pay off from a few hundred files.
PARALLEL_THRESHOLD = 1_000
CHUNK_FILES = 500
# A file changed within this window of being read may change again within the same
# timestamp tick unnoticed, so its row is re-parsed next time ("racy" files, as in git).
RACY_WINDOW_NS = 2_000_000_000
_NS_MAX = 2**63 - 1
_MICROSECONDS = np.dtype("datetime64[us]")
_INT64 = np.dtype("int64")

_TEXT = pa.string()
_TIME = pa.timestamp("us", tz="UTC")
_IMAGE = pa.struct([(s.URL, _TEXT), (s.WIDTH, pa.int64()), (s.HEIGHT, pa.int64())])
_RELATED = pa.struct(
    [
        (s.TITLE, _TEXT), (s.URL, _TEXT), (s.CANONICAL_URL, _TEXT), (s.PROVIDER_NAME, _TEXT),
        (s.PROVIDER_DOMAIN, _TEXT), (s.PUBLISHED_AT, _TIME), (s.QUALITY, pa.float64()),
    ]
)
_PROBLEM = pa.struct([(s.PATH, _TEXT), (s.SEVERITY, _TEXT), (s.FIELD, _TEXT), (s.MESSAGE, _TEXT), (s.LINE, pa.int64())])
_FILE_SCALARS = pa.schema(
    [(s.PATH, _TEXT), (s.SIZE, pa.int64()), (s.MTIME_NS, pa.int64()), (s.CTIME_NS, pa.int64()), (s.VALID_UNTIL_NS, pa.int64())]
)
_RECORD_SCALARS = pa.schema(
    [
        (s.TITLE, _TEXT), (s.CATEGORY, _TEXT), (s.TYPE, _TEXT), (s.EXCERPT, _TEXT), (s.PUBLISHED_AT, _TIME), (s.WEB_URL, _TEXT),
        (s.ORIGINAL_URL, _TEXT), (s.CANONICAL_URL, _TEXT), (s.URL_ID, _TEXT), (s.PROVIDER_NAME, _TEXT), (s.PROVIDER_DOMAIN, _TEXT),
        (s.QUALITY, pa.float64()), (s.HEAT, pa.float64()), (s.PUBLISHED, pa.bool_()), (s.IMAGE_URL, _TEXT),
    ]
)
_SCALARS = pa.schema(list(_FILE_SCALARS) + list(_RECORD_SCALARS))
_LISTS = pa.schema(
    [(s.TOPICS, pa.list_(_TEXT)), (s.IMAGES, pa.list_(_IMAGE)), (s.RELATED, pa.list_(_RELATED)), (s.PROBLEMS, pa.list_(_PROBLEM))]
)
PARSED_SCHEMA = pa.schema(list(_SCALARS) + list(_LISTS))


class ParsedRows:
    """Accumulates one row per file as plain tuples and lists and turns them into an Arrow table."""

    def __init__(self) -> None:
        self._rows: list[tuple] = []  # the scalar values of each file, in `_SCALARS` order
        self._lists = {field.name: _ListColumn(field.type) for field in _LISTS}

    def add(
        self,
        path: str,
        record: Record | None,
        problems: Sequence[Problem] = (),
        fingerprint: tuple[int, int, int] | None = None,
        valid_until_ns: int | None = None,
    ) -> None:
        """Append the row of one file."""
        size, mtime, ctime = fingerprint or (None, None, None)
        file_values = (path, size, mtime, ctime, valid_until_ns)  # in the order of `_FILE_SCALARS`
        lists = self._lists
        if record is not None:
            self._rows.append(file_values + _record_values(record))
            lists[s.TOPICS].add(record.topics)
            lists[s.IMAGES].add(record.images)
            lists[s.RELATED].add(_related_rows(record.related))
        else:
            self._rows.append(file_values + _NO_RECORD)
            for name in (s.TOPICS, s.IMAGES, s.RELATED):
                lists[name].add(())
        lists[s.PROBLEMS].add((p.path, p.severity, p.field, p.message, p.line) for p in problems)

    def table(self) -> pa.Table:
        """The rows added so far, in the order added, as a table with `PARSED_SCHEMA`."""
        arrays = [pa.array(values, f.type) for values, f in zip(_columns(self._rows, len(_SCALARS)), _SCALARS)]
        arrays += [self._lists[f.name].array() for f in _LISTS]
        return pa.Table.from_arrays(arrays, schema=PARSED_SCHEMA)


class _ListColumn:
    """A list column kept as offsets plus one flat list of items (tuples for struct columns)."""

    def __init__(self, list_type: pa.ListType) -> None:
        self._type = list_type
        self._item = list_type.value_type
        self._fields = list(self._item) if pa.types.is_struct(self._item) else []
        self._items: list = []
        self._offsets = [0]

    def add(self, items: Iterable) -> None:
        self._items.extend(items)
        self._offsets.append(len(self._items))

    def array(self) -> pa.Array:
        if self._fields:
            columns = _columns(self._items, len(self._fields))
            children = [pa.array(values, f.type) for values, f in zip(columns, self._fields)]
            flat = pa.StructArray.from_arrays(children, fields=self._fields)
        else:
            flat = pa.array(self._items, self._item)
        return pa.ListArray.from_arrays(pa.array(self._offsets, pa.int32()), flat, type=self._type)


def _columns(rows: list[tuple], width: int) -> list[tuple]:
    """The columns of equally long rows (transposed in one C-level pass rather than appended value by value)."""
    return list(zip(*rows)) if rows else [()] * width


def _record_values(record: Record) -> tuple:
    """A record's values, in the order of `_RECORD_SCALARS`."""
    canonical = record_canonical_url(record)
    return (
        record.title,  # TITLE
        record.category,  # CATEGORY
        record.type,  # TYPE
        record.excerpt,  # EXCERPT
        _micros(record.published_at),  # PUBLISHED_AT
        record.web_url,  # WEB_URL
        record.original_url,  # ORIGINAL_URL
        canonical,  # CANONICAL_URL
        text_id(canonical) if canonical else None,  # URL_ID, hashed here, on every core
        record.provider_name,  # PROVIDER_NAME
        record.provider_domain,  # PROVIDER_DOMAIN
        record.quality,  # QUALITY
        record.heat,  # HEAT
        record.published,  # PUBLISHED
        record.images[0][0] if record.images else None,  # IMAGE_URL
    )


_NO_RECORD = (None,) * len(_RECORD_SCALARS)


def _related_rows(related: list[dict]) -> Iterable[tuple]:
    for item in related:
        url = item[s.URL]
        yield (
            item[s.TITLE], url, canonical_url(url) if url else None, item[s.PROVIDER_NAME],
            item[s.PROVIDER_DOMAIN], _micros(item[s.PUBLISHED_AT]), item[s.QUALITY],
        )


def _micros(stamp: pd.Timestamp | None) -> int | None:
    """Microseconds since 1970 (UTC) of a timestamp, None for none."""
    # Not `.value`: nanoseconds overflow past 2262, and documents do carry such dates.
    if stamp is None:
        return None
    moment = stamp.asm8  # a count in the stamp's own unit
    if stamp.unit != "us":  # validated stamps already count microseconds: skip the costly conversion
        moment = moment.astype(_MICROSECONDS)
    return int(moment.view(_INT64))


def record_canonical_url(record: Record) -> str | None:
    """The canonical form of a record's web address, else of its original address."""
    for url in (record.web_url, record.original_url):
        if url and (canonical := canonical_url(url)):
            return canonical
    return None


def text_id(text: str) -> str:
    """The short stable digest that article ids are made of."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def records_table(records: Iterable[Record]) -> pa.Table:
    """The parsed-files table of records already in memory (no fingerprints, no problems)."""
    rows = ParsedRows()
    for record in records:
        rows.add(record.path, record)
    return rows.table()


def parse_file(
    path: str | os.PathLike[str], options: s.LoadOptions = s.LoadOptions(), now: datetime | None = None
) -> tuple[Record | None, list[Problem]]:
    """One file read, parsed and validated: its record (None when skipped) and its problems."""
    raw = read_document(path, options)
    if not isinstance(raw, RawDocument):
        return None, raw
    try:
        return validate_document(raw, options, now)
    except Exception as error:  # noqa: BLE001 - one odd file must never stop a whole folder
        # A defensive net: validation repairs values, so reaching here is a bug to report.
        return None, [Problem(str(path), s.ERROR, f"document could not be checked: {type(error).__name__}: {error}")]


def parse_files(
    files: Sequence[str | os.PathLike[str]],
    options: s.LoadOptions = s.LoadOptions(),
    progress: ProgressCallback | None = None,
    *,
    now: datetime | None = None,
    workers: int | None = None,
    done: int = 0,
    total: int | None = None,
) -> pa.Table:
    """The parsed-files table of the given files, in their order.

    `workers=None` uses every core for large sets and one process below `PARALLEL_THRESHOLD`
    files; `workers=1` forces one process, `workers>=2` forces a pool of that size.
    `progress(done, total)` is called after each chunk; `done` and `total` may count files
    handled elsewhere (the cache) so that a caller sees one bar for the whole load.
    """
    paths = [os.fspath(f) for f in files]
    now = now or datetime.now(timezone.utc)
    total = len(paths) + done if total is None else total
    count = _worker_count(len(paths)) if workers is None else max(1, workers)
    size = min(CHUNK_FILES, -(-len(paths) // (count * 4))) if count > 1 else CHUNK_FILES  # 4+ chunks a worker
    chunks = [paths[i:i + size] for i in range(0, len(paths), max(1, size))]
    args = (options, now, _racy_since(now))
    tables: list[pa.Table | None] = [None] * len(chunks)

    def finished(index: int, table: pa.Table) -> None:
        nonlocal done
        tables[index] = table
        done += table.num_rows
        if progress is not None:
            progress(done, total)

    if not chunks and total and progress is not None:
        progress(done, total)  # everything came from the cache: say so once
    if count > 1 and chunks:
        _parse_in_pool(chunks, args, count, finished)
    for index, chunk in enumerate(chunks):  # everything, or what a broken pool left undone
        if tables[index] is None:
            finished(index, parse_chunk(chunk, *args))
    return pa.concat_tables(tables) if tables else ParsedRows().table()


def _parse_in_pool(chunks: list[list[str]], args: tuple, workers: int, finished: Callable[[int, pa.Table], None]) -> None:
    try:
        pool = ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=worker_start)
    except OSError:
        return  # no processes to be had: the caller parses everything in-process
    try:
        with interrupts_held() as check_for_ctrl_c:  # Ctrl-C raised between results only: never inside the pool's code
            futures = {pool.submit(parse_chunk, chunk, *args): index for index, chunk in enumerate(chunks)}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                for future in done:
                    finished(futures[future], future.result())
                check_for_ctrl_c()
    except BrokenProcessPool:
        pass  # a worker died (killed for memory, say): the caller parses what is left in-process
    except BaseException:  # Ctrl-C or an error here: stop the workers now, not after their chunks
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            process.kill()
        for process in processes:
            process.join()
        # A worker killed while it sent a result leaves half a message, and the pool's thread would
        # wait for the rest for ever (2 of 10 runs of tests/read/test_lifetime.py hung so). With no
        # writer left it reads the pipe's end instead, finds the pool broken and stops.
        with contextlib.suppress(AttributeError, OSError):
            pool._result_queue._writer.close()
        # The killed workers' pipes are broken; a BrokenPipeError from shutting the pool down must
        # not take the place of the Ctrl-C (the command line would take it for `| head` and exit 0).
        with contextlib.suppress(OSError):
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True, cancel_futures=True)


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork while this process runs one Python thread (fast, and a caller's script is not run
    again); else the fork server, since forking a threaded process (the dashboard) can hang."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:  # macOS: fork is unsafe
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["analytics.read.parse"])
        return context
    return multiprocessing.get_context("spawn")


def _worker_count(files: int) -> int:
    if files < PARALLEL_THRESHOLD:
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _racy_since(now: datetime) -> int:
    return int(now.timestamp() * 1e9) - RACY_WINDOW_NS


def parse_chunk(paths: list[str], options: s.LoadOptions, now: datetime, racy_since_ns: int) -> pa.Table:
    """The parsed-files table of one chunk of files (run in a worker process or in-process)."""
    collecting = gc.isenabled()
    gc.disable()  # millions of small objects, no cycles: the collector only costs time here
    try:
        _read_ahead(paths)
        rows = ParsedRows()
        future_limit = now + timedelta(days=options.future_tolerance_days)
        tolerance_ns = options.future_tolerance_days * 86_400 * 10**9
        for path in paths:
            fingerprint = _fingerprint(path)
            record, problems = parse_file(path, options, now)
            valid_until = _valid_until(record, fingerprint, racy_since_ns, future_limit, tolerance_ns)
            rows.add(path, record, problems, fingerprint, valid_until)
        return rows.table()
    finally:
        if collecting:
            gc.enable()


def _fingerprint(path: str) -> tuple[int, int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _valid_until(
    record: Record | None, fingerprint: tuple[int, int, int] | None, racy_since_ns: int, future_limit: datetime, tolerance_ns: int
) -> int | None:
    """Until when a cached row may be reused without parsing again (None: while the file is unchanged).

    0 for files changed moments ago (racy) or not stat-able. A date in the future carries a
    warning that a later load would no longer give, so such rows expire when the date stops
    being "in the future".
    """
    if fingerprint is None or fingerprint[1] >= racy_since_ns:
        return 0
    if record is None:
        return None
    stamps = [record.published_at] + [item[s.PUBLISHED_AT] for item in record.related]
    future = [_micros(stamp) * 1_000 - tolerance_ns for stamp in stamps if stamp is not None and stamp > future_limit]
    return min(min(future), _NS_MAX) if future else None


def _read_ahead(paths: list[str]) -> None:
    """Ask the kernel to start reading every file of a chunk now (a large win on a cold disk)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)  # never block on a FIFO
    for path in paths:
        try:
            fd = os.open(path, flags)
        except OSError:
            continue
        try:
            advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass
        finally:
            os.close(fd)
