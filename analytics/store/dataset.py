"""A corpus dataset on disk: the five frames as Parquet partitioned by publication month, and its manifest.

Layout of a dataset folder (written by `analytics.frames.dataset.build_dataset`):

    manifest.json                      format version, sources, options, counts, months
    files-<build>.parquet              every document's path, fingerprint and parsed part file
    parsed/month=YYYY-MM/<part>.parquet   the parsed-files rows (`analytics.read.parse`), kept for
                                       incremental builds: a part is immutable, named once
    articles|topics|related|images|problems/month=YYYY-MM/<part>.parquet   the frames
    rollups/articles|topics|scores/month=YYYY-MM/<part>.parquet            counts and sums for the overview
    decisions/<name>-<build>.parquet   the whole-corpus decisions (later copies, outlet name
                                       counts, ids that collided), so new documents are only
                                       joined against them

Every file is written once under a new name and the manifest names the ones that make up the
dataset (a month's `parts`, its `problems` file, the `decisions`): a reader reads only those,
and a build stopped before its manifest leaves nothing a reader, or the next build, sees.

Undated articles and files that did not load are in the month `undated`, which sorts last.
A month's articles, topics, related and images are one or more parts: a build that adds
documents to a month writes their rows as a further part instead of rewriting the month. Within
a part, rows are in the order `load_corpus` numbers them and `article_key` is the number within
the part; a reader merges a month's parts into article order (dated before undated, earlier
before later, then by path: the month's `KEYS`, written with its last part) and adds the month's offset (`Manifest.offsets`), so
neither a new part nor a new month rewrites anything already written. Rollups are additive: a
month's parts are summed by whoever reads them. Problems are one file per month, files' problems
sorted by path and duplicates in first-copy order.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import schema as s
from analytics.store.cache import FRAME_DTYPES

FORMAT = 2
_READS = (1, 2)  # format 1: one part per month named `part`, no decisions; read as is, upgraded by the next build
MANIFEST = "manifest.json"
FILES = "files"  # the fingerprints' file: `files.parquet` (format 1), then `files-<build>.parquet`
PARSED = "parsed"
ROLLUPS = "rollups"
DECISIONS = "decisions"
# A month of several parts has a keys file (`keys/month=…/<build>.parquet`, named by `KEYS_PART`): for
# each article (`part`, `local_key`: its key within the part) its `key` in the month, and where its
# topic, related and image rows start in the month (`topics_start`…) and in its part
# (`topics_local`…), so that readers put every row in its place without sorting the month again.
KEYS = "keys"
KEYS_PART = "keys_part"
UNDATED = "undated"
MONTH = "month"
FRAMES = tuple(FRAME_DTYPES)
_FIRST_PART = "part"  # what a format-1 month's only part is called
_ARROW_TYPES: dict[object, pa.DataType] = {
    s.STRING: pa.string(),
    s.CATEGORY_DTYPE: pa.string(),  # categories are rebuilt on reading, sorted, as `load_corpus` makes them
    s.TIMESTAMP: pa.timestamp("us", tz="UTC"),
    s.FLOAT: pa.float64(),
    s.INT: pa.int64(),
    s.BOOL: pa.bool_(),
}


@dataclass
class Manifest:
    """What a dataset holds and was built from; read back to build it again incrementally."""

    sources: list[str]
    options: dict[str, int]
    files_seen: int = 0
    ignored: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # loaded, skipped, duplicates, rows per frame
    months: dict[str, dict] = field(default_factory=dict)  # month -> {"digest", frame: rows, "parts", "problems_part"}
    decisions: str | None = None  # the build whose decisions tables hold (None: work them out from every row)
    files: str = f"{FILES}.parquet"  # the file of the documents' fingerprints
    format: int = FORMAT

    def offsets(self) -> dict[str, int]:
        """Each month's first `article_key`: the articles of the months before it."""
        offsets, total = {}, 0
        for month in sorted_months(self.months):
            offsets[month] = total
            total += int(self.months[month].get("articles", 0))
        return offsets


def month_parts(entry: dict) -> list[str]:
    """The parts a month's articles, topics, related, images and rollups are stored in, in the order written."""
    return list(entry.get("parts", [_FIRST_PART]))


def problems_part(entry: dict) -> str:
    """The part a month's problems are stored in."""
    return str(entry.get("problems_part", _FIRST_PART))


def sorted_months(months: object) -> list[str]:
    """Month names in article order: `YYYY-MM` ascending, `undated` last."""
    return sorted(months, key=lambda month: (month == UNDATED, month))


def is_dataset(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a dataset folder (it holds a manifest)."""
    return Path(path, MANIFEST).is_file()


def dataset_version(folder: str | os.PathLike[str]) -> str:
    """A digest of the dataset's manifest: it changes exactly when a build changes the dataset."""
    return hashlib.blake2b(Path(folder, MANIFEST).read_bytes(), digest_size=16).hexdigest()


def read_manifest(folder: str | os.PathLike[str]) -> Manifest:
    """The dataset's manifest; ValueError naming the file when it is not one this version reads."""
    path = Path(folder, MANIFEST)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") not in _READS:
            raise ValueError(f"format {data.get('format')!r}, this version reads formats {', '.join(map(str, _READS))}")
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(f"{path}: not a readable dataset manifest ({error})") from error


def write_manifest(folder: str | os.PathLike[str], manifest: Manifest) -> None:
    """Replace the manifest in one step (written last: a dataset with a manifest is complete)."""
    path = Path(folder, MANIFEST)
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(asdict(manifest), indent=1), encoding="utf-8")
    os.replace(temp, path)


def month_of(stamps: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Each timestamp's publication month as `YYYY-MM`, `undated` for none."""
    text = pc.strftime(stamps, format="%Y-%m")
    return pc.fill_null(text, UNDATED)


def frame_path(folder: str | os.PathLike[str], frame: str, month: str, part: str = _FIRST_PART) -> Path:
    """The Parquet file of one part of one frame's month (`frame` may be `rollups/articles`)."""
    return Path(folder, frame, f"{MONTH}={month}", f"{part}.parquet")


def frame_files(folder: str | os.PathLike[str], frame: str, manifest: Manifest) -> list[Path]:
    """Every file the manifest names for one frame (`problems`, `articles`, `rollups/topics`, `keys`…), month by month in order."""
    files = []
    for month in sorted_months(manifest.months):
        entry = manifest.months[month]
        if frame == KEYS:
            parts = [entry[KEYS_PART]] if KEYS_PART in entry else []
        else:
            parts = [problems_part(entry)] if frame == "problems" else month_parts(entry)
        files += [path for path in (frame_path(folder, frame, month, part) for part in parts) if path.exists()]
    return files


def decisions_path(folder: str | os.PathLike[str], name: str, build: str) -> Path:
    """One of a build's decisions tables (`duplicates`, `names`, `ids`)."""
    return Path(folder, DECISIONS, f"{name}-{build}.parquet")


def parsed_path(folder: str | os.PathLike[str], part: str, month: str) -> Path:
    """The Parquet file of one parsed part's rows of one month."""
    return Path(folder, PARSED, f"{MONTH}={month}", f"{part}.parquet")


def write_table(table: pa.Table, path: Path) -> None:
    """Write a Parquet file through a temporary name, so a reader never sees half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    pq.write_table(table, temp, compression="zstd")
    os.replace(temp, path)


def write_frame(folder: str | os.PathLike[str], name: str, month: str, frame: pd.DataFrame, part: str) -> None:
    """Write one part of one month of one of the five frames, with the column types the readers expect."""
    dtypes = FRAME_DTYPES[name]
    columns = {column: pa.array(frame[column], from_pandas=True).cast(_ARROW_TYPES[dtype]) for column, dtype in dtypes.items()}
    write_table(pa.table(columns), frame_path(folder, name, month, part))


def read_part(path: Path, name: str) -> pd.DataFrame:
    """One part file of one of the five frames, as written (keys within the part)."""
    dtypes = FRAME_DTYPES[name]
    table = pq.read_table(path, columns=list(dtypes))
    return s.arrow_frame({column: table[column] for column in dtypes}, dtypes)


def remove_unnamed(folder: str | os.PathLike[str], manifest: Manifest, frames: tuple[str, ...]) -> None:
    """Delete the files of `frames`, the decisions and fingerprints the manifest does not name (left by earlier or stopped builds)."""
    named = {path for frame in frames for path in frame_files(folder, frame, manifest)}
    for frame in frames:
        for path in Path(folder, frame).glob(f"{MONTH}=*/*.parquet*"):
            if path not in named:
                path.unlink(missing_ok=True)
        for month in Path(folder, frame).glob(f"{MONTH}=*"):
            if not any(month.iterdir()):
                month.rmdir()
    for path in Path(folder, DECISIONS).glob("*.parquet*"):
        if manifest.decisions is None or not path.name.endswith(f"-{manifest.decisions}.parquet"):
            path.unlink(missing_ok=True)
    for path in Path(folder).glob(f"{FILES}*.parquet*"):
        if path.name != manifest.files:
            path.unlink(missing_ok=True)


def read_frame(folder: str | os.PathLike[str], name: str, manifest: Manifest) -> pd.DataFrame:
    """One of the five frames, whole, as `load_corpus` gives it (article keys counted across months)."""
    dtypes = FRAME_DTYPES[name]
    offsets = manifest.offsets()
    tables = []
    for month in sorted_months(manifest.months):
        table = _month_table(folder, name, month, manifest.months[month], list(dtypes))
        if table is not None:
            if s.ARTICLE_KEY in dtypes:
                shifted = pc.add(table[s.ARTICLE_KEY], offsets[month])
                table = table.set_column(table.schema.get_field_index(s.ARTICLE_KEY), s.ARTICLE_KEY, shifted)
            tables.append(table)
    schema = pa.schema([(column, _ARROW_TYPES[dtype]) for column, dtype in dtypes.items()])
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    if name == "problems":
        table = _problems_in_load_order(table)
    return s.arrow_frame({column: table[column] for column in dtypes}, dtypes)


def _month_table(folder: str | os.PathLike[str], name: str, month: str, entry: dict, columns: list[str]) -> pa.Table | None:
    """One month of a frame, its parts merged into article order with keys numbered within the month (None: no file)."""
    parts = [problems_part(entry)] if name == "problems" else month_parts(entry)
    paths = [frame_path(folder, name, month, part) for part in parts]
    tables = [pq.read_table(path, columns=columns) for path in paths if path.exists()]
    if len(tables) <= 1:
        return tables[0] if tables else None
    keys = pq.read_table(frame_path(folder, KEYS, month, entry[KEYS_PART]), columns=["part", "key"])
    column = tables[0].schema.get_field_index(s.ARTICLE_KEY)
    mine = [keys["key"].filter(pc.equal(keys["part"], part)).to_numpy() for part in parts]  # stored by part and key within it
    tables = [table.set_column(column, s.ARTICLE_KEY, pa.array(at[table[s.ARTICLE_KEY].to_numpy()])) for table, at in zip(tables, mine)]
    table = pa.concat_tables(tables)
    return table.take(pc.sort_indices(table[s.ARTICLE_KEY]))  # a stable sort: an article's rows keep their order


def write_keys(folder: str | os.PathLike[str], month: str, parts: list[str], name: str) -> None:
    """Write the keys of a month of several parts (see `KEYS`) as the file `name`, from the articles of its parts."""
    counts = {"topics": s.N_TOPICS, "related": s.N_RELATED, "images": s.N_IMAGES}
    tables = [pq.read_table(frame_path(folder, "articles", month, part), columns=[s.PUBLISHED_AT, s.PATH, *counts.values()]) for part in parts]
    articles = pa.concat_tables(tables)
    stamps = articles[s.PUBLISHED_AT]
    order = pc.sort_indices(  # article order: `analytics.frames.flatten.first_copy_order`'s, which a part's own rows follow
        pa.table({"undated": pc.is_null(stamps), "at": stamps, "path": articles[s.PATH]}),
        sort_keys=[("undated", "ascending"), ("at", "ascending"), ("path", "ascending")],
    ).to_numpy()
    keys = np.empty(len(order), dtype=np.int64)
    keys[order] = np.arange(len(order))
    sizes = [table.num_rows for table in tables]
    columns = {
        "part": pa.array(np.repeat(np.array(parts, dtype=object), sizes), pa.string()),
        "local_key": pa.array(np.concatenate([np.arange(size) for size in sizes]) if sizes else [], pa.int64()),
        "key": pa.array(keys),
    }
    for frame, column in counts.items():
        rows = articles[column].fill_null(0).to_numpy()
        columns[f"{frame}_start"] = pa.array(_starts(rows[order])[keys])  # where the article's rows start in the month
        columns[f"{frame}_local"] = pa.array(np.concatenate([_starts(part) for part in np.split(rows, np.cumsum(sizes)[:-1])]))  # and in its part
    write_table(pa.table(columns), frame_path(folder, KEYS, month, name))


def _starts(counts: np.ndarray) -> np.ndarray:
    """Where each of consecutive runs of these lengths starts."""
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64) if len(counts) else np.zeros(0, np.int64)


def _problems_in_load_order(table: pa.Table) -> pa.Table:
    """Files' problems by path (each file's in the order found), then the duplicates in first-copy order."""
    duplicate = pc.equal(table[s.SEVERITY], s.DUPLICATE).to_numpy(zero_copy_only=False)
    files = table.filter(pa.array(~duplicate))
    order = pc.sort_indices(files[s.PATH])  # stable: a file's problems keep their order
    return pa.concat_tables([files.take(order), table.filter(pa.array(duplicate))])


def read_files(folder: str | os.PathLike[str], manifest: Manifest) -> pa.Table | None:
    """The fingerprint of every document of the last build (`path, size, mtime_ns, ctime_ns, valid_until_ns, part`)."""
    path = Path(folder, manifest.files)
    return pq.read_table(path) if path.exists() else None


def files_name(build: str) -> str:
    """The name of a build's fingerprints file."""
    return f"{FILES}-{build}.parquet"
