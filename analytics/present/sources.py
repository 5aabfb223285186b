"""What the dashboard has open, behind one interface: a loaded workspace, or a dataset of any size.

Both answer the same questions — what the sidebar offers, the colours, the header, how many
articles the filters keep, a `Selection` for the views, the Overview — so the page is written
once. A loaded workspace answers everything from its frames. A dataset answers the sidebar, the
header and (when its rollups can) the Overview from its manifest and rollups, and gives the other
views a `Selection` over a window of rows (`measure.dataset_source`); a window too large for
memory raises `SelectionTooLarge`, which the page shows as a request for narrower filters.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property, partial

import pandas as pd

from analytics.frames.corpus import Corpus
from analytics.frames.workspace import Workspace
from analytics.measure import metrics as m
from analytics.measure.dataset_rows import SelectionTooLarge
from analytics.measure.dataset_source import DatasetSource
from analytics.measure.filters import Filters, outlet_names
from analytics.measure.selection import Selection
from analytics.present import charts
from analytics.present import controls as ct
from analytics.present import dataset_views as dv
from analytics.present import views as vw

__all__ = ["Loaded", "OpenDataset", "SelectionTooLarge"]


class Loaded:
    """A folder's (or upload's) workspace, every article in memory; made for one run of the page."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._selections: dict[tuple, Selection] = {}

    @property
    def corpus(self) -> Corpus:
        return self.ws.corpus

    @property
    def version(self) -> str:
        return self.ws.corpus.version

    @property
    def articles(self) -> int:
        return self.ws.corpus.loaded

    @cached_property
    def span(self) -> tuple[date | None, date | None]:
        """The first and last publication dates (None, None when nothing is dated)."""
        return vw.data_span(self.ws.corpus)

    @property
    def note_problems(self) -> pd.DataFrame:
        return self.ws.note_problems

    def report_fits(self, filters: Filters, count_stories: bool) -> bool:
        return True

    def period_selection(self, filters: Filters, count_stories: bool, start: object, granularity: str) -> Selection:
        """The selection a click on one period's bar reads its articles from: the page's own."""
        return self.selection(filters, count_stories)

    def choices(self) -> ct.Choices:
        return ct.choices(self.ws.corpus)

    def colors(self) -> dict[str, str]:
        return charts.corpus_colors(self.ws.corpus.articles, self.ws.corpus.topics)

    def selection(self, filters: Filters, count_stories: bool = False, *, history: bool = False) -> Selection:
        """The selection of the filters, made once (a page asks for it to count, to caption and to draw)."""
        key = (filters, count_stories)
        if key not in self._selections:
            self._selections[key] = Selection(self.ws, filters, count_stories)
        return self._selections[key]

    def overview(self, filters: Filters, count_stories: bool, options: m.MetricOptions, split: str | None, colors: dict[str, str]) -> dv.RollupOverview | None:
        """None: the Overview is the view model of the selection."""
        return None

    def matches(self, filters: Filters, count_stories: bool) -> int:
        return len(self.selection(filters, count_stories).a)

    def caption(self, filters: Filters, count_stories: bool, source: str) -> str:
        return vw.header_caption(self.selection(filters, count_stories), source)


class OpenDataset:
    """A dataset: the sidebar, header and Overview from its rollups; other views on a window of rows; made for one run of the page."""

    def __init__(self, src: DatasetSource) -> None:
        self.src = src
        self._selections: dict[tuple, Selection] = {}

    @property
    def corpus(self) -> Corpus:
        return self.src.corpus

    @property
    def version(self) -> str:
        return self.src.version

    @property
    def articles(self) -> int:
        return self.src.articles

    @property
    def span(self) -> tuple[date | None, date | None]:
        return self.src.span

    @property
    def note_problems(self) -> pd.DataFrame:
        return self.src.note_problems

    def report_fits(self, filters: Filters, count_stories: bool) -> bool:
        """Whether the report's rows fit in a window (every period up to the end when counting stories, for the spikes)."""
        return self.src.fits(filters, history=count_stories)

    def period_selection(self, filters: Filters, count_stories: bool, start: object, granularity: str) -> Selection:
        """The selection a click on one period's bar reads its articles from: that period's rows only."""
        return self.selection(dv.within_period(filters, start, granularity), count_stories)

    def choices(self) -> ct.Choices:
        return dv.choices(self.src)

    def colors(self) -> dict[str, str]:
        return dv.colors(self.src)

    def selection(self, filters: Filters, count_stories: bool = False, *, history: bool = False) -> Selection:
        """The selection over the window of rows the filters need, made once (raises `SelectionTooLarge`)."""
        key = (filters, count_stories, history)
        if key not in self._selections:
            window = self.src.window(filters, history=history)
            self._selections[key] = Selection(window, filters, count_stories, history_volume=partial(self.src.history_volume, filters))
        return self._selections[key]

    def overview(self, filters: Filters, count_stories: bool, options: m.MetricOptions, split: str | None, colors: dict[str, str]) -> dv.RollupOverview | None:
        """The Overview from the rollups, or None when they cannot answer (the view model then runs on a window)."""
        return dv.overview(self.src, filters, options, split, colors) if dv.rollups_answer(filters, count_stories) else None

    def matches(self, filters: Filters, count_stories: bool) -> int:
        if dv.rollups_answer(filters, count_stories):
            return dv.matches(self.src, filters)
        return len(self.selection(filters, count_stories).a)

    def caption(self, filters: Filters, count_stories: bool, source: str) -> str:
        if dv.rollups_answer(filters, count_stories):
            return dv.caption(self.src, filters, source)
        sel = self.selection(filters, count_stories)
        stories = len(sel.counted[0]) if count_stories else None
        return vw.caption_text(len(sel.a), self.src.articles, source, filters.describe(outlet_names(self.src.outlets)), stories)

