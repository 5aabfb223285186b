"""A corpus dataset on disk: the five frames as Parquet partitioned by publication month, and its manifest.

Layout of a dataset folder (written by `analytics.frames.dataset.build_dataset`):

    manifest.json                      format version, sources, options, counts, months
    files.parquet                      every document's path, fingerprint and parsed part file
    parsed/month=YYYY-MM/<part>.parquet   the parsed-files rows (`analytics.read.parse`), kept for
                                       incremental builds: a part is immutable, named once
    articles|topics|related|images|problems/month=YYYY-MM/part.parquet   the frames
    rollups/articles|topics/month=YYYY-MM/part.parquet                   counts and sums for the overview

Undated articles and files that did not load are in the month `undated`, which sorts last.
Within a month, articles are in the order `load_corpus` numbers them; `article_key` is stored
as the number within the month, and a reader adds the month's offset (`Manifest.offsets`), so a
new month does not rewrite every later one. Problems of files are stored sorted by path and
duplicates in first-copy order, each month's own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import schema as s
from analytics.store.cache import FRAME_DTYPES

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files.parquet"
PARSED = "parsed"
ROLLUPS = "rollups"
UNDATED = "undated"
MONTH = "month"
FRAMES = tuple(FRAME_DTYPES)
_PART = "part.parquet"
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
    months: dict[str, dict] = field(default_factory=dict)  # month -> {"digest": ..., frame: rows}
    format: int = FORMAT

    def offsets(self) -> dict[str, int]:
        """Each month's first `article_key`: the articles of the months before it."""
        offsets, total = {}, 0
        for month in sorted_months(self.months):
            offsets[month] = total
            total += int(self.months[month].get("articles", 0))
        return offsets


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
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, this version reads format {FORMAT}")
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


def frame_path(folder: str | os.PathLike[str], frame: str, month: str) -> Path:
    """The Parquet file of one frame's month (`frame` may be `rollups/articles`)."""
    return Path(folder, frame, f"{MONTH}={month}", _PART)


def parsed_path(folder: str | os.PathLike[str], part: str, month: str) -> Path:
    """The Parquet file of one parsed part's rows of one month."""
    return Path(folder, PARSED, f"{MONTH}={month}", f"{part}.parquet")


def write_table(table: pa.Table, path: Path) -> None:
    """Write a Parquet file through a temporary name, so a reader never sees half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    pq.write_table(table, temp, compression="zstd")
    os.replace(temp, path)


def write_frame(folder: str | os.PathLike[str], name: str, month: str, frame: pd.DataFrame) -> None:
    """Write one month of one of the five frames, with the column types the readers expect."""
    dtypes = FRAME_DTYPES[name]
    columns = {column: pa.array(frame[column], from_pandas=True).cast(_ARROW_TYPES[dtype]) for column, dtype in dtypes.items()}
    write_table(pa.table(columns), frame_path(folder, name, month))


def remove_month(folder: str | os.PathLike[str], month: str, names: tuple[str, ...]) -> None:
    """Delete one month's files of the given frames (a month that no longer holds anything)."""
    for name in names:
        shutil.rmtree(frame_path(folder, name, month).parent, ignore_errors=True)


def read_frame(folder: str | os.PathLike[str], name: str, manifest: Manifest) -> pd.DataFrame:
    """One of the five frames, whole, as `load_corpus` gives it (article keys counted across months)."""
    dtypes = FRAME_DTYPES[name]
    offsets = manifest.offsets()
    tables = []
    for month in sorted_months(manifest.months):
        path = frame_path(folder, name, month)
        if path.exists():
            table = pq.read_table(path, columns=list(dtypes))
            if s.ARTICLE_KEY in dtypes:
                shifted = pc.add(table[s.ARTICLE_KEY], offsets[month])
                table = table.set_column(table.schema.get_field_index(s.ARTICLE_KEY), s.ARTICLE_KEY, shifted)
            tables.append(table)
    schema = pa.schema([(column, _ARROW_TYPES[dtype]) for column, dtype in dtypes.items()])
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    if name == "problems":
        table = _problems_in_load_order(table)
    return s.arrow_frame({column: table[column] for column in dtypes}, dtypes)


def _problems_in_load_order(table: pa.Table) -> pa.Table:
    """Files' problems by path (each file's in the order found), then the duplicates in first-copy order."""
    duplicate = pc.equal(table[s.SEVERITY], s.DUPLICATE).to_numpy(zero_copy_only=False)
    files = table.filter(pa.array(~duplicate))
    order = pc.sort_indices(files[s.PATH])  # stable: a file's problems keep their order
    return pa.concat_tables([files.take(order), table.filter(pa.array(duplicate))])


def read_files(folder: str | os.PathLike[str]) -> pa.Table | None:
    """The fingerprint of every document of the last build (`path, size, mtime_ns, ctime_ns, valid_until_ns, part`)."""
    path = Path(folder, FILES)
    return pq.read_table(path) if path.exists() else None
