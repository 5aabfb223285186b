"""A dataset opened for a long-running program: the whole data's facts at once, rows only as views need them.

The dashboard holds one `DatasetSource` per dataset folder for every session. What the sidebar
offers and what the Overview draws come from the manifest and the rollups, whatever the
dataset's size; for filters the stored rollups cannot answer (topics, scores, text), from the
rollups of the selected rows, summed by DuckDB without reading them. A view that needs the
articles themselves gets a *window*: the rows the filters keep, read through DuckDB (`dataset_rows.select`) into an ordinary `Workspace`, from
the start of the earliest period the selection is compared with (the same period a year before)
to the selection's end, so every comparison a view makes falls inside it and each view model
works on it unchanged. The spikes' history needs every earlier period: `window(history=True)`.
A view that compares with nothing reads just the rows the filters keep (`rows`). A window (or
rows) of more than `WINDOW_ROWS` articles raises `SelectionTooLarge` (it would take
gigabytes as frames): the view asks for narrower filters instead.

Within a window, stories are grouped from the window's own articles and related links, and
"the rest" of a comparison or of the distinctive terms is the rest of the window.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cached_property, lru_cache

import pandas as pd

from analytics import schema as s
from analytics.frames.corpus import Corpus
from analytics.frames.keys import positions
from analytics.frames.rollups import ARTICLES, MENTIONS
from analytics.frames.stories import story_ids
from analytics.frames.workspace import Workspace, with_insights
from analytics.measure import dataset_rows as dr
from analytics.measure import overview as ov
from analytics.measure.filters import Filters
from analytics.measure.selection import comparison_periods, filtered_period
from analytics.store import dataset as ds

# About 1 GB of frames: the most articles one view reads into memory.
WINDOW_ROWS = 1_000_000
# Windows kept for the next view or session that needs the same rows.
KEPT_WINDOWS = 2


class DatasetSource:
    """One dataset folder, opened: its counts, dates, outlets and rollups, and windows of rows on demand."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = os.fspath(folder)
        self.manifest = ds.read_manifest(folder)
        self.version = ds.dataset_version(folder)
        self.rollups = dr.Rollups(folder)
        self.reader = dr.Reader(folder)  # one for every read: the manifest and each column's categories found once
        self._lock = threading.Lock()
        self._windows: dict[tuple, Workspace | dr.Selection] = {}  # the last windows and rows read, most recent last

    @cached_property
    def corpus(self) -> Corpus:
        """The dataset without its articles: its problems, files seen and sources (what the data-health view shows)."""
        empty = {name: s.empty_frame(ds.FRAME_DTYPES[name]) for name in ("articles", "topics", "related", "images")}
        return Corpus(
            **empty, problems=ds.read_frame(self.folder, "problems", self.manifest), sources=tuple(self.manifest.sources),
            files_seen=self.manifest.files_seen, ignored=len(self.manifest.ignored), ignored_paths=list(self.manifest.ignored),
            version=self.version,
        )

    @property
    def articles(self) -> int:
        """How many articles the dataset holds."""
        return int(self.manifest.counts.get("articles", 0))

    @cached_property
    def span(self) -> tuple[date | None, date | None]:
        """The first and last publication dates (None, None when nothing is dated)."""
        first, last = dr.date_span(self.reader)
        return (first.date(), last.date()) if first is not None else (None, None)

    @cached_property
    def outlets(self) -> pd.DataFrame:
        """`provider_domain, provider_name, articles`: every outlet, most articles first (ties by name)."""
        whole = self.rollup_rows(Filters()).articles
        if whole.empty:
            return pd.DataFrame({s.PROVIDER_DOMAIN: [], s.PROVIDER_NAME: [], ARTICLES: []})
        counted = whole.groupby([s.PROVIDER_DOMAIN, s.PROVIDER_NAME], observed=True, dropna=False)[ARTICLES].sum().reset_index()
        return _most_first(counted, ARTICLES, s.PROVIDER_NAME)

    @cached_property
    def topics(self) -> list[str]:
        """Every topic, most mentioned first (ties by name)."""
        whole = self.rollup_rows(Filters()).topics
        if whole.empty:
            return []
        counted = whole.groupby(s.TOPIC, observed=True)[MENTIONS].sum().reset_index()
        return _most_first(counted, MENTIONS, s.TOPIC)[s.TOPIC].astype(str).tolist()

    @cached_property
    def values(self) -> dict[str, list[str]]:
        """The categories and types found, sorted."""
        whole = self.rollup_rows(Filters()).articles
        return {column: sorted(whole[column].dropna().astype(str).unique()) if len(whole) else [] for column in (s.CATEGORY, s.TYPE)}

    @cached_property
    def score_spans(self) -> dict[str, tuple[float, float] | None]:
        """Each score's lowest and highest value (None when there is no range to choose from)."""
        return dr.score_spans(self.reader)

    @cached_property
    def _insights(self) -> Workspace:
        return with_insights(self.corpus, self.manifest.sources)  # the editors' notes beside the documents

    @property
    def notes(self) -> pd.DataFrame:
        return self._insights.notes

    @property
    def note_problems(self) -> pd.DataFrame:
        return self._insights.note_problems

    @lru_cache(maxsize=16)  # noqa: B019 - one source per dataset, kept as long as the program runs; a page asks for up to 10
    def rollup_rows(self, filters: Filters) -> dr.RollupRows:
        """The rollups of the articles the filters keep: the stored ones, or for topic, score and text filters the
        rollups of the selected rows, summed by DuckDB where they lie (whatever their number)."""
        if dr.answerable_by_rollups(filters):
            return self.rollups.select(filters)
        return dr.within_days(self._rows_rolled_up(replace(filters, start=None, end=None)), filters.start, filters.end)

    @lru_cache(maxsize=4)  # noqa: B019 - as above
    def _rows_rolled_up(self, filters: Filters) -> dr.RollupRows:
        """The rollups of every day's selected rows, by day: a period, its comparisons and the spikes' history are days of it."""
        return dr.selected_rollups(self.reader, filters)

    def history_volume(self, filters: Filters, **options: object) -> pd.DataFrame:
        """The volume (`metrics.volume`'s options) of what the filters keep, from the beginning: what spikes are judged against."""
        return ov.volume(self.rollup_rows(replace(filters, start=None)), **options)

    def window_parts(self, filters: Filters, *, history: bool = False) -> list[Filters]:
        """What a window of `filters` reads, events included: the selected dates and each period they are compared with, or
        with `history` (or no start date) everything up to the end."""
        whole = replace(filters, exclude_types=())
        if history or filters.start is None:
            return [replace(whole, start=None)]
        periods = [period for _, _, period in comparison_periods(filtered_period(filters, self.span))]
        return [whole] + [replace(whole, start=period.start, end=period.end) for period in periods]

    def count(self, filters: Filters) -> int:
        """How many articles the filters keep, counted from their rollups (which the Overview reads too)."""
        rows = self.rollup_rows(filters).articles
        return int(rows[ARTICLES].sum()) if len(rows) else 0

    def window_size(self, filters: Filters, *, history: bool = False) -> int:
        """How many articles `window` would read, at most, without reading any row.

        Each part is counted from the rollups of the filters as the page has them (which its
        Overview reads too), plus the events they leave out counted from the stored rollups, that
        is without any topic, score or text filter; each comparison period is counted apart.
        """
        total = 0
        for part in self.window_parts(filters, history=history):
            total += self.count(replace(part, exclude_types=filters.exclude_types))
            if filters.exclude_types:
                total += self.count(replace(part, types=filters.exclude_types, topics=(), quality=None, heat=None, search=""))
        return total

    def fits(self, filters: Filters, *, history: bool = False) -> bool:
        """Whether the window of `filters` is small enough to read (`WINDOW_ROWS`)."""
        return self.window_size(filters, history=history) <= WINDOW_ROWS

    def window(self, filters: Filters, *, history: bool = False, max_rows: int | None = None) -> Workspace:
        """The rows a view of `filters` needs, as a workspace of its own (see the module's description).

        The last `KEPT_WINDOWS` windows are kept, for every caller. Its corpus's `version` names
        the dataset and the window. Raises `dataset_rows.SelectionTooLarge` past `max_rows` articles.
        """
        parts, max_rows = tuple(self.window_parts(filters, history=history)), max_rows or WINDOW_ROWS
        return self._kept(parts, lambda: self._read_window(parts, max_rows))

    def rows(self, filters: Filters, columns: list[str] | None = None) -> dr.Selection:
        """The rows the filters keep (only `columns` of the articles, when given), read alone: for a view that compares
        them with nothing. Kept as windows are; raises `dataset_rows.SelectionTooLarge` past `WINDOW_ROWS` articles."""
        key = ("rows", filters, tuple(columns or ()))
        return self._kept(key, lambda: dr.select(self.reader, filters, columns=columns, max_rows=WINDOW_ROWS))

    def _kept(self, key: tuple, read: Callable[[], object]) -> object:
        """What `read` gives, kept with the last `KEPT_WINDOWS` reads for every caller."""
        with self._lock:
            if key in self._windows:
                self._windows[key] = self._windows.pop(key)  # most recently used last
                return self._windows[key]
        found = read()
        with self._lock:
            self._windows[key] = found
            while len(self._windows) > KEPT_WINDOWS:
                del self._windows[next(iter(self._windows))]
        return found

    def _read_window(self, parts: tuple[Filters, ...], max_rows: int) -> Workspace:
        read = [dr.select(self.reader, part, related=True, max_rows=max_rows) for part in parts]
        articles, topics, related = (_in_load_order([getattr(part, name) for part in read]) for name in ("articles", "topics", "related"))
        if len(articles) > max_rows:
            raise dr.SelectionTooLarge(len(articles), max_rows)
        articles, topics, related = _numbered(articles, topics, related)
        version = hashlib.blake2b(repr((self.version, parts)).encode(), digest_size=16).hexdigest()
        corpus = replace(self.corpus, articles=articles, topics=topics, related=related, version=version)
        return Workspace(corpus, story_ids(articles, related), self.notes, self.note_problems, span=self.span)


def _in_load_order(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Rows read in several parts (indexed by their row in the whole frame) as one frame in load order, each row once."""
    if len(frames) == 1:
        return frames[0]
    joined = pd.concat(frames)
    return joined[~joined.index.duplicated()].sort_index(kind="stable")


def _numbered(articles: pd.DataFrame, *children: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """The frames as a load of their own: rows numbered from 0 and articles keyed 0, 1, … in their order."""
    def keyed(frame: pd.DataFrame, keys: object) -> pd.DataFrame:
        return frame.assign(**{s.ARTICLE_KEY: keys}).astype({s.ARTICLE_KEY: frame[s.ARTICLE_KEY].dtype}).reset_index(drop=True)

    return (keyed(articles, range(len(articles))), *(keyed(child, positions(child, articles)) for child in children))


def _most_first(frame: pd.DataFrame, count: str, name: str) -> pd.DataFrame:
    ordered = frame.assign(_name=frame[name].astype(str)).sort_values([count, "_name"], ascending=[False, True], kind="stable")
    return ordered.drop(columns="_name").reset_index(drop=True)
