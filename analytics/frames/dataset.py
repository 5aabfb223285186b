"""Building a corpus dataset with Dask: documents parsed on a cluster, the whole-corpus step as dataframe operations.

`build_dataset` writes what `analytics.store.dataset` describes. The per-file parse is
`analytics.read.parse.parse_chunk`, run as Dask tasks; the whole-corpus step of `load_corpus`
(which copy of an article is kept, outlet display names, ids) is done by the same functions
(`analytics.frames.flatten`) over a `dask.dataframe` of the parsed rows' key columns: later
copies are found after a shuffle by URL, outlet names from per-partition counts. Only the
decisions come back to this process (the duplicates, the outlets, ids that collide); each
month's frames are then built and written by a task of its own.

A second build of the same sources reuses the parsed rows of every file whose fingerprint did
not change and parses new and changed files only. When the only changes are new documents, the
whole-corpus step is not run again: the new rows are joined against the decisions the last
build kept and added to their months as further parts (`analytics.frames.dataset_additions`).
Otherwise only the months whose inputs changed are written again.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import schema as s
from analytics.frames.dataset_additions import Changed, add_documents
from analytics.frames.dataset_months import (
    DUPLICATE_DTYPES,
    ID_DTYPES,
    Build,
    Decisions,
    duplicates_frame,
    empty_counts,
    in_first_copy_order,
    manifest_of,
    month_digest,
    month_task,
    months_of,
    names_digest,
    save_decisions,
)
from analytics.frames.flatten import (
    RelativeKeys,
    first_copy_order,
    later_copies,
    name_counts,
)
from analytics.frames.rollups import ROLLUPS
from analytics.read.parse import PARSED_SCHEMA, RACY_WINDOW_NS, parse_chunk, text_id
from analytics.read.remote import is_url, list_remote, parse_remote
from analytics.store import dataset as ds
from analytics.store.cache import Listing, list_files, reusable_rows
from analytics.store.file_stats import file_fingerprints

Say = Callable[[str], None]
# Files per parse task: large enough that a task's overhead (~ms) is nothing, small enough that
# two workers stay busy to the end and a part file holds a few MB per month.
PART_FILES = 2_000
_KEY_COLUMNS = [s.PATH, s.TITLE, s.PUBLISHED_AT, s.CANONICAL_URL, s.URL_ID, s.PROVIDER_DOMAIN, s.PROVIDER_NAME]
_FILE_COLUMNS = [s.PATH, s.SIZE, s.MTIME_NS, s.CTIME_NS, s.VALID_UNTIL_NS]
_PART = "part"  # the parsed part file a document's row is in, relative to `parsed/`


@dataclass
class BuildReport:
    """What one build did: files parsed and reused, months written and kept, and the time it took."""

    folder: str
    parsed: int
    reused: int
    months_written: int
    months_kept: int
    seconds: float
    manifest: ds.Manifest
    every_row: bool = False  # the whole-corpus step read every document's row (else new rows were joined against the decisions kept)


def build_dataset(
    *paths: str | os.PathLike[str],
    out: str | os.PathLike[str],
    options: s.LoadOptions = s.LoadOptions(),
    scheduler: str | None = None,
    workers: int = 2,
    say: Say | None = None,
) -> BuildReport:
    """Parse the documents under `paths` into a dataset folder `out`; an existing dataset of the same sources is updated.

    Paths with a protocol (`s3://bucket/news`, `file:///data/news`) are read through fsspec.
    `scheduler` is a running Dask scheduler's address (`tcp://host:8786`); without one a
    `LocalCluster` of `workers` processes is started for the build. Raises FileNotFoundError
    when a path does not exist.
    """
    started = time.perf_counter()
    say = say or (lambda text: None)
    sources = tuple(os.fspath(p) for p in paths)
    folder = Path(out)
    now = datetime.now(timezone.utc)
    listing, fingerprints = _list_sources(sources)
    previous = _previous(folder, sources, options)
    known = ds.read_files(folder, previous) if previous is not None else None
    reuse = reusable_rows(known, listing.documents, fingerprints, time.time_ns()) if known is not None else [None] * len(listing.documents)
    todo = [path for path, row in zip(listing.documents, reuse) if row is None]
    say(f"{len(listing.documents):,} documents listed in {time.perf_counter() - started:.1f} s: {len(todo):,} to parse, {len(listing.documents) - len(todo):,} unchanged")
    decided = known is not None and previous.decisions is not None  # else the whole-corpus step runs once to keep its decisions
    if decided and not todo and len(listing.documents) == known.num_rows and listing.ignored == previous.ignored:
        say("nothing changed")  # every document as the manifest has it: the frames and rollups hold as written
        return BuildReport(str(folder), 0, known.num_rows, 0, len(previous.months), time.perf_counter() - started, previous)
    with _client(scheduler, workers) as client:
        build = Build(client, folder, sources, options, _new_part())
        files, fresh = _parse(client, folder, todo, known, reuse, options, now)
        parts = _part_files(folder, files)
        added = None
        changed = known[s.PATH].filter(pc.is_in(known[s.PATH], value_set=pa.array(todo, pa.string()))) if decided else None
        if decided and len(listing.documents) - len(todo) + len(changed) == known.num_rows:  # none deleted: join the new rows against the decisions kept
            say(f"parsed by {time.perf_counter() - started:.1f} s; adding the new documents to the months")
            earlier = _part_files(folder, known.filter(pc.is_in(known[s.PATH], value_set=changed)))
            added = add_documents(build, previous, parts, _part_files(folder, fresh), Changed(changed, earlier))
        if added is None:
            say(f"parsed by {time.perf_counter() - started:.1f} s; finding duplicates, outlet names and ids")
            decisions = _decide(parts, sources)
            say(f"decided by {time.perf_counter() - started:.1f} s; writing the months")
            manifest, written = _write_months(build, parts, decisions, previous)
        else:
            manifest, written, decisions = added
    say(f"{written} months written, {len(manifest.months) - written} unchanged")
    save_decisions(folder, decisions, build.name)
    manifest.files = ds.files_name(build.name)
    ds.write_table(files, Path(folder, manifest.files))
    manifest.files_seen = len(listing.documents) + len(listing.ignored)
    manifest.ignored = listing.ignored
    manifest.counts.update(documents=len(listing.documents), ignored=len(listing.ignored))
    ds.write_manifest(folder, manifest)
    _sweep(folder, parts, manifest)
    say(f"written by {time.perf_counter() - started:.1f} s")
    return BuildReport(
        folder=str(folder),
        parsed=len(todo),
        reused=len(listing.documents) - len(todo),
        months_written=written,
        months_kept=len(manifest.months) - written,
        seconds=time.perf_counter() - started,
        manifest=manifest,
        every_row=added is None,
    )


def _list_sources(sources: tuple[str, ...]) -> tuple[Listing, np.ndarray]:
    """The documents and other files under the sources (local paths, or URLs read through fsspec) and the documents' fingerprints."""
    local = tuple(path for path in sources if not is_url(path))
    listing = list_files(local, time.time_ns(), watch=False) if local else Listing([], [], {}, [], False)
    fingerprints = [file_fingerprints(listing.documents) if listing.documents else np.empty((0, 3), np.int64)]
    for url in (path for path in sources if is_url(path)):
        documents, ignored, found = list_remote(url)
        listing.documents += documents
        listing.ignored += ignored
        fingerprints.append(found)
    return listing, np.concatenate(fingerprints)


def _previous(folder: Path, sources: tuple[str, ...], options: s.LoadOptions) -> ds.Manifest | None:
    """The manifest of an earlier build of the same sources and options in `folder`; None starts afresh."""
    if not ds.is_dataset(folder):
        if folder.exists() and any(folder.iterdir()):
            raise FileExistsError(f"{folder} exists and is not a dataset; choose an empty or new folder")
        return None
    manifest = ds.read_manifest(folder)
    if manifest.sources != list(sources) or manifest.options != options.parse_settings():
        raise FileExistsError(f"{folder} holds a dataset of other sources or options ({', '.join(manifest.sources)}); choose another folder")
    return manifest


@contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[object]:
    """A Dask client of the given scheduler, else of a LocalCluster started (and stopped) for this build."""
    from dask.distributed import (  # imported here: loading a corpus never needs Dask
        Client,
        LocalCluster,
    )

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


# --- parsing -------------------------------------------------------------------------------


def _parse(
    client: object,
    folder: Path,
    todo: list[str],
    known: pa.Table | None,
    reuse: list[int | None],
    options: s.LoadOptions,
    now: datetime,
) -> tuple[pa.Table, pa.Table]:
    """Parse `todo` in parts on the cluster, drop what no longer holds from earlier parts; the fingerprint of every document, and of those parsed now (`todo`)."""
    racy_since = int(now.timestamp() * 1e9) - RACY_WINDOW_NS
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    tasks = [
        client.submit(_parse_part, chunk, options, now, racy_since, str(folder), _new_part(), pure=False)
        for files in ([path for path in todo if not is_url(path)], [path for path in todo if is_url(path)])
        for chunk in _chunks(files, workers)
    ]
    parsed, kept = len(tasks), None
    if known is not None:
        used = np.zeros(known.num_rows, dtype=bool)
        used[[row for row in reuse if row is not None]] = True
        kept = known if used.all() else known.filter(pa.array(used))  # the order of the rows does not matter
        stale = sorted(set(known[_PART].filter(pa.array(~used)).to_pylist()))
        tasks += [
            client.submit(_rewrite_part_file, str(folder), name, kept[s.PATH].filter(pc.equal(kept[_PART], name)), _new_part(), pure=False)
            for name in stale
        ]
        if stale:
            kept = kept.filter(pc.invert(pc.is_in(kept[_PART], value_set=pa.array(stale, pa.string()))))
    done = client.gather(tasks)
    tables = ([kept] if kept is not None else []) + done
    empty = _files_schema().empty_table()
    return (pa.concat_tables(tables) if tables else empty), (pa.concat_tables(done[:parsed]) if parsed else empty)


def _chunks(files: list[str], workers: int) -> list[list[str]]:
    """`files` in parts of at most `PART_FILES`, as many as a multiple of the workers (5 parts on 2 workers would leave one idle for the last)."""
    count = -(-len(files) // PART_FILES)
    count = -(-count // workers) * workers if count else 0
    size = -(-len(files) // count) if count else 1
    return [files[i:i + size] for i in range(0, len(files), size)]


def _new_part() -> str:
    return f"{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}"


def _files_schema() -> pa.Schema:
    return pa.schema([PARSED_SCHEMA.field(name) for name in _FILE_COLUMNS] + [(_PART, pa.string())])


def _parse_part(paths: list[str], options: s.LoadOptions, now: datetime, racy_since: int, folder: str, part: str) -> pa.Table:
    """(A task) Parse files into one part, written month by month; their fingerprints, naming the part."""
    parse = parse_remote if is_url(paths[0]) else parse_chunk
    return _write_part(folder, part, parse(paths, options, now, racy_since))


def _rewrite_part_file(folder: str, name: str, keep: pa.Array, part: str) -> pa.Table:
    """(A task) One month's file of an earlier part without the rows of files deleted or changed since, as a new part."""
    old = Path(folder, ds.PARSED, name)
    table = pq.ParquetFile(old).read()
    table = table.filter(pc.is_in(table[s.PATH], value_set=keep))
    return _write_part(folder, part, table)  # the old file is deleted once the new manifest is written


def _write_part(folder: str, part: str, table: pa.Table) -> pa.Table:
    """Write a part's rows month by month (none when it has none); the fingerprint and part file of each row."""
    months = ds.month_of(table[s.PUBLISHED_AT])
    for month in pc.unique(months).to_pylist():
        ds.write_table(table.filter(pc.equal(months, month)), ds.parsed_path(folder, part, month))
    names = pc.binary_join_element_wise(f"{ds.MONTH}=", months, f"/{part}.parquet", "")
    return pa.table({**{name: table[name] for name in _FILE_COLUMNS}, _PART: names}, schema=_files_schema())


# --- the whole-corpus step -------------------------------------------------------------------


def _part_files(folder: Path, files: pa.Table) -> dict[str, list[str]]:
    """Each month's parsed part files that hold the documents of this build (left-overs of an interrupted build are not among them)."""
    parts: dict[str, list[str]] = {}
    for name in sorted(set(files[_PART].to_pylist())):
        parts.setdefault(name.split("/", 1)[0].split("=", 1)[1], []).append(str(Path(folder, ds.PARSED, name)))
    return parts


def _sweep(folder: Path, parts: dict[str, list[str]], manifest: ds.Manifest) -> None:
    """Delete the files this build no longer uses (once the manifest that stops naming them is written)."""
    ds.remove_unnamed(folder, manifest, ds.FRAMES + (ds.KEYS,) + tuple(f"{ds.ROLLUPS}/{name}" for name in ROLLUPS))
    used = {path for files in parts.values() for path in files}
    for path in Path(folder, ds.PARSED).glob(f"{ds.MONTH}=*/*.parquet"):
        if str(path) not in used:
            path.unlink(missing_ok=True)
    for month in Path(folder, ds.PARSED).glob(f"{ds.MONTH}=*"):
        if not any(month.iterdir()):
            month.rmdir()


def _decide(parts: dict[str, list[str]], sources: tuple[str, ...]) -> Decisions:
    """Duplicates, outlet names and colliding ids of every parsed row, worked out as dataframe operations on the cluster."""
    import dask
    import dask.dataframe as dd

    files = [path for month in parts.values() for path in month]
    if not files:
        return Decisions(_duplicates_meta(), empty_counts(), _ids_meta())
    keys = dd.read_parquet(files, columns=_KEY_COLUMNS)
    loaded = keys[keys[s.TITLE].notnull()].drop(columns=[s.TITLE]).persist()
    with_url = loaded[loaded[s.CANONICAL_URL].notnull()][[s.PATH, s.PUBLISHED_AT, s.CANONICAL_URL]]
    later = with_url.shuffle(on=s.CANONICAL_URL).map_partitions(_later_copies, meta=_duplicates_meta())
    counts = loaded[[s.PROVIDER_DOMAIN, s.PROVIDER_NAME]].map_partitions(_name_counts, meta=_counts_meta())
    duplicates, counted = dask.compute(later, counts)
    duplicates = in_first_copy_order(duplicates)
    totals = counted.groupby(["domain", "name"], as_index=False)["count"].sum()
    counts = pa.Table.from_pandas(totals, preserve_index=False).select(["domain", "name", "count"])
    dropped = set(duplicates[s.PATH])
    ids = loaded.map_partitions(_ids, RelativeKeys(sources), dropped, meta=_ids_meta())
    repeated = ids[s.DOC_ID].value_counts()
    repeated = repeated[repeated > 1].compute()
    collided = ids[ids[s.DOC_ID].isin(list(repeated.index))].compute() if len(repeated) else _ids_meta()
    return Decisions(duplicates, counts, _second_ids(collided))


def _later_copies(part: pd.DataFrame) -> pd.DataFrame:
    """(One shuffle partition: every copy of its URLs) the later copies, with the problem each is."""
    _, problems = later_copies(pa.Table.from_pandas(part[[s.PATH, s.PUBLISHED_AT, s.CANONICAL_URL]], preserve_index=False))
    return duplicates_frame(part, problems)


def _duplicates_meta() -> pd.DataFrame:
    return s.empty_frame(DUPLICATE_DTYPES)


def _name_counts(part: pd.DataFrame) -> pd.DataFrame:
    counted = name_counts(*(pa.array(part[column], pa.string(), from_pandas=True) for column in (s.PROVIDER_DOMAIN, s.PROVIDER_NAME)))
    return counted.to_pandas()


def _counts_meta() -> pd.DataFrame:
    return pd.DataFrame({"domain": pd.Series(dtype=object), "name": pd.Series(dtype=object), "count": pd.Series(dtype="int64")})


def _ids(part: pd.DataFrame, keys: RelativeKeys, dropped: set[str]) -> pd.DataFrame:
    """(One partition) The id each kept article gets before collisions are settled: its URL's, else its relative path's."""
    part = part[~part[s.PATH].isin(dropped)]
    paths = part[s.PATH].astype(str).tolist()
    url_ids = part[s.URL_ID].astype(object).where(part[s.URL_ID].notna(), None).tolist()
    made = [url_id if url_id is not None else text_id("path:" + keys.get(path, path)) for url_id, path in zip(url_ids, paths)]
    return pd.DataFrame(
        {
            s.DOC_ID: pd.Series(made, dtype=s.STRING, index=part.index),
            s.PATH: part[s.PATH].astype(s.STRING),
            s.PUBLISHED_AT: part[s.PUBLISHED_AT],
            ds.MONTH: pd.Series(months_of(part[s.PUBLISHED_AT]), dtype=s.STRING, index=part.index),
        }
    )


def _ids_meta() -> pd.DataFrame:
    return s.empty_frame(ID_DTYPES)


def _second_ids(collided: pd.DataFrame) -> pd.DataFrame:
    """Of articles given the same id, each after the first (in article order) with its full path's id, as `doc_ids` settles it."""
    if collided.empty:
        return _ids_meta()
    order = first_copy_order(pa.Table.from_pandas(collided[[s.PUBLISHED_AT, s.PATH]], preserve_index=False)).to_numpy()
    ordered = collided.iloc[order]
    later = ordered[ordered[s.DOC_ID].duplicated()].copy()
    later[s.DOC_ID] = pd.Series([text_id("path:" + str(path)) for path in later[s.PATH]], dtype=s.STRING, index=later.index)
    return later.reset_index(drop=True)




# --- the months -----------------------------------------------------------------------------


def _write_months(build: Build, parts: dict[str, list[str]], decisions: Decisions, previous: ds.Manifest | None) -> tuple[ds.Manifest, int]:
    """Build and write each month whose inputs changed (a task each); the new manifest and how many were written."""
    names = decisions.names
    named = names_digest(names)
    done: dict[str, dict] = {}
    tasks = {}
    for month in sorted(parts):
        duplicates, ids = decisions.of_month(month)
        digest = month_digest(parts[month], duplicates, named, ids)
        before = previous.months.get(month) if previous is not None else None
        if before is not None and before.get("digest") == digest:
            done[month] = before
            continue
        tasks[month] = build.client.submit(month_task, str(build.folder), month, parts[month], duplicates, names, ids, build.sources, digest, build.name, pure=False)
    for month, result in zip(tasks, build.client.gather(list(tasks.values()))):
        done[month] = result
    return manifest_of(build, done), len(tasks)
