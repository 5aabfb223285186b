"""New documents added to a dataset: joined against the stored whole-corpus decisions, written as further parts.

When a build finds only new documents (none changed or deleted) and the dataset holds the last
build's decisions (`Decisions`), the whole-corpus step does not look at every row again. The new
rows are joined against what decides for them: the articles already kept for their addresses
(which copy comes first), the outlet name counts (display names) and the ids already given.
Each month that got new documents gains a part of their rows; a month is built again from its
parsed rows only where a decision about its old rows changed:

- a new copy of an address that comes first (earlier, or as early and first by path): the old
  article becomes a later copy, and every later copy of that address names the new one;
- an outlet whose display name changes because the counts changed: its articles carry the name;
- a month already stored in `MAX_PARTS` parts or more: it is written whole again as one (the
  most divided first, `MERGED_PER_BUILD` months at most, so that no one build pays for every
  month at once), and a dataset updated every day never makes its readers join dozens of parts.

Files parsed again (changed since, or written moments before the last build, whose row could not
be trusted yet) are nothing new when their rows are the same as before, as they usually are.
Where one is not, or an id of a new article is another article's (two address-less files with
the same relative path in different folders), the whole-corpus step decides: `add_documents`
returns None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analytics import schema as s
from analytics.frames.dataset_months import (
    Build,
    Decisions,
    addition_task,
    duplicates_frame,
    in_first_copy_order,
    load_decisions,
    manifest_of,
    month_digest,
    month_task,
    months_of,
    names_digest,
)
from analytics.frames.flatten import RelativeKeys, best_names, later_copies, name_counts
from analytics.read.parse import PARSED_SCHEMA, text_id
from analytics.store import dataset as ds

_NEW_COLUMNS = [s.PATH, s.TITLE, s.PUBLISHED_AT, s.CANONICAL_URL, s.URL_ID, s.PROVIDER_DOMAIN, s.PROVIDER_NAME]
_OLD_COLUMNS = [s.DOC_ID, s.PATH, s.PUBLISHED_AT, s.CANONICAL_URL, s.PROVIDER_DOMAIN]
_ORIGIN = "_origin"
# A month with this many parts is written whole again at its next addition (one part instead of
# one more), at most this many months in one build. 1% new files at 1M reach every month at
# once: merging all 37 made that build 18.1 s against 11.5 s; six add about a second.
MAX_PARTS = 8
MERGED_PER_BUILD = 6
_FINGERPRINT = [s.SIZE, s.MTIME_NS, s.CTIME_NS, s.VALID_UNTIL_NS]


@dataclass
class Changed:
    """Documents of the last build parsed again: their paths, and the parsed part files (per month) of their earlier rows."""

    paths: pa.ChunkedArray | pa.Array
    earlier: dict[str, list[str]]


def add_documents(
    build: Build, previous: ds.Manifest, parts: dict[str, list[str]], fresh: dict[str, list[str]], changed: Changed
) -> tuple[ds.Manifest, int, Decisions] | None:
    """Add the documents of the parsed part files `fresh` (per month) to the dataset; its manifest, months written and decisions.

    `parts` are every month's parsed part files, the new ones included. None: the whole-corpus
    step must decide (no decisions kept, a changed row, or an id the new articles would share).
    """
    before = load_decisions(build.folder, previous.decisions) if previous.decisions else None
    if before is None or not _same_rows(changed, fresh):
        return None
    new = _new_rows(fresh, changed.paths)
    loaded = new[new[s.TITLE].notna()]
    old = _old_articles(build.folder, previous)
    duplicates, demoted, renamed_copies = _later_copies(loaded, old, before.duplicates)
    kept = loaded[~loaded[s.PATH].isin(duplicates[s.PATH])]
    if _ids_collide(kept, old[s.DOC_ID], demoted[s.DOC_ID], build.sources) or demoted[s.PATH].isin(before.ids[s.PATH]).any():
        return None
    counts = _counts(before.counts, loaded)
    renamed = _renamed(best_names(before.counts), best_names(counts))
    renamed_months = old[ds.MONTH].filter(pc.is_in(old[s.PROVIDER_DOMAIN], value_set=pa.array(renamed, pa.string())))
    rebuild = set(demoted[ds.MONTH]) | set(renamed_copies[ds.MONTH]) | set(renamed_months.to_pylist())
    decisions = Decisions(duplicates, counts, before.ids)
    added = {month: fresh[month] for month in set(new[ds.MONTH])}
    rebuild |= set(_most_divided(previous, added))
    return (*_write(build, previous, parts, added, changed.paths, decisions, rebuild), decisions)


def _write(
    build: Build, previous: ds.Manifest, parts: dict[str, list[str]], added: dict[str, list[str]], again: pa.Array, decisions: Decisions, rebuild: set[str]
) -> tuple[ds.Manifest, int]:
    """A task for each month to build again or to add a part to (of the rows in `added` but those of `again`); every month's entry, its digest as the whole-corpus step makes it."""
    names = decisions.names
    named = names_digest(names)
    months: dict[str, dict] = {}
    tasks = {}
    for month in sorted(set(previous.months) | set(added)):
        duplicates, ids = decisions.of_month(month)
        digest = month_digest(parts[month], duplicates, named, ids)
        entry = previous.months.get(month)
        folder, sources = str(build.folder), build.sources
        if month in rebuild:
            tasks[month] = build.client.submit(month_task, folder, month, parts[month], duplicates, names, ids, sources, digest, build.name, pure=False)
        elif month in added:
            tasks[month] = build.client.submit(addition_task, folder, month, added[month], again, duplicates, names, sources, entry, digest, build.name, pure=False)
        else:
            months[month] = {**entry, "digest": digest}
    for month, result in zip(tasks, build.client.gather(list(tasks.values()))):
        months[month] = result
    return manifest_of(build, months), len(tasks)


def _most_divided(previous: ds.Manifest, added: dict[str, list[str]]) -> list[str]:
    """The months getting new documents that are stored in `MAX_PARTS` parts or more, the most divided first, `MERGED_PER_BUILD` at most."""
    parts = {month: len(ds.month_parts(previous.months[month])) for month in added if month in previous.months}
    crowded = sorted((month for month, count in parts.items() if count >= MAX_PARTS), key=lambda month: (-parts[month], month))
    return crowded[:MERGED_PER_BUILD]


def _same_rows(changed: Changed, fresh: dict[str, list[str]]) -> bool:
    """Whether the documents parsed again gave the rows they had (their fingerprints aside)."""
    if not len(changed.paths):
        return True
    columns = [name for name in PARSED_SCHEMA.names if name not in _FINGERPRINT]
    rows = [_rows_of(files, changed.paths, columns).sort_by(s.PATH) for files in (changed.earlier, fresh)]
    return rows[0].equals(rows[1])


def _rows_of(files: dict[str, list[str]], paths: pa.Array, columns: list[str]) -> pa.Table:
    """The rows of these documents in parsed part files."""
    tables = [pq.read_table(path, columns=columns) for month in files.values() for path in month]
    tables = [table.filter(pc.is_in(table[s.PATH], value_set=paths)) for table in tables]
    return pa.concat_tables(tables) if tables else PARSED_SCHEMA.empty_table().select(columns)


def _new_rows(fresh: dict[str, list[str]], again: pa.Array) -> pd.DataFrame:
    """The key columns of the new documents' parsed rows (not those parsed `again`), with their month."""
    tables = [pq.read_table(path, columns=_NEW_COLUMNS) for files in fresh.values() for path in files]
    table = pa.concat_tables(tables) if tables else PARSED_SCHEMA.empty_table().select(_NEW_COLUMNS)
    table = table.filter(pc.invert(pc.is_in(table[s.PATH], value_set=again)))
    frame = table.to_pandas(types_mapper={pa.string(): s.STRING}.get)
    frame[ds.MONTH] = pd.Series(months_of(frame[s.PUBLISHED_AT]), dtype=s.STRING, index=frame.index)
    return frame


def _old_articles(folder: Path, previous: ds.Manifest) -> pa.Table:
    """Every article of the dataset: its id, path, time, address, outlet and month (kept as Arrow: a million rows as Python strings would cost seconds)."""
    tables = []
    for month, entry in previous.months.items():
        for part in ds.month_parts(entry):
            path = ds.frame_path(folder, "articles", month, part)
            if path.exists():
                table = pq.read_table(path, columns=_OLD_COLUMNS)
                tables.append(table.append_column(ds.MONTH, pa.array([month] * table.num_rows, pa.string())))
    schema = pa.schema([(name, pa.timestamp("us", tz="UTC") if name == s.PUBLISHED_AT else pa.string()) for name in [*_OLD_COLUMNS, ds.MONTH]])
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _later_copies(loaded: pd.DataFrame, old: pa.Table, duplicates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Every later copy once the new rows are joined, in first-copy order; old articles that became later copies; old later copies whose message changed.

    Only the addresses of new rows are looked at: for each, its old article, its old later
    copies and its new rows are ordered again, with the function `load_corpus` uses.
    """
    urls = loaded[s.CANONICAL_URL].dropna().unique()
    columns = [s.PATH, s.PUBLISHED_AT, s.CANONICAL_URL, ds.MONTH]
    found = old.filter(pc.is_in(old[s.CANONICAL_URL], value_set=pa.array(urls, pa.string())))
    was_kept = found.to_pandas(types_mapper={pa.string(): s.STRING}.get)[columns + [s.DOC_ID]].assign(**{_ORIGIN: "kept"})
    was_later = duplicates[duplicates[s.CANONICAL_URL].isin(urls)]
    keys = pd.concat([was_kept, was_later[columns].assign(**{_ORIGIN: "later"}), loaded[loaded[s.CANONICAL_URL].notna()][columns].assign(**{_ORIGIN: "new"})], ignore_index=True)
    _, problems = later_copies(pa.Table.from_pandas(keys[[s.PATH, s.PUBLISHED_AT, s.CANONICAL_URL]], preserve_index=False))
    found = duplicates_frame(keys, problems)
    demoted = was_kept[was_kept[s.PATH].isin(found[s.PATH])]
    messages = dict(zip(found[s.PATH], found[s.MESSAGE]))
    renamed = was_later.loc[np.array([messages.get(path) != message for path, message in zip(was_later[s.PATH], was_later[s.MESSAGE])], dtype=bool)]
    others = duplicates[~duplicates[s.CANONICAL_URL].isin(urls)]
    return in_first_copy_order(pd.concat([others, found], ignore_index=True)), demoted, renamed


def _ids_collide(kept: pd.DataFrame, ids: pa.ChunkedArray, freed: pd.Series, sources: tuple[str, ...]) -> bool:
    """Whether a new article's id (its address's, else its relative path's) is another article's: a new one's, or one of `ids` but those `freed`."""
    keys = RelativeKeys(sources)
    made = [url_id if not pd.isna(url_id) else text_id("path:" + keys.get(path, path)) for url_id, path in zip(kept[s.URL_ID], kept[s.PATH])]
    new = pa.array(made, pa.string())
    taken = pc.is_in(new, value_set=ids).to_numpy(zero_copy_only=False) & ~pc.is_in(new, value_set=pa.array(freed, pa.string())).to_numpy(zero_copy_only=False)
    return pc.count_distinct(new).as_py() < len(made) or bool(taken.any())


def _counts(counts: pa.Table, loaded: pd.DataFrame) -> pa.Table:
    """The outlet name counts with the new rows' added."""
    added = name_counts(*(pa.array(loaded[column], pa.string(), from_pandas=True) for column in (s.PROVIDER_DOMAIN, s.PROVIDER_NAME)))
    both = pa.concat_tables([counts, added.cast(counts.schema)]).to_pandas()
    totals = both.groupby(["domain", "name"], as_index=False, sort=True)["count"].sum()
    return pa.Table.from_pandas(totals, preserve_index=False).cast(counts.schema)


def _renamed(before: pa.Table, after: pa.Table) -> list[str]:
    """The outlets whose display name is another now."""
    old = dict(zip(before["domain"].to_pylist(), before["name"].to_pylist()))
    return [domain for domain, name in zip(after["domain"].to_pylist(), after["name"].to_pylist()) if domain in old and old[domain] != name]
