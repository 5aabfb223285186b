"""What the dashboard has open, behind one interface: a loaded workspace, or a dataset of any size.

Both answer the same questions — what the sidebar offers, the colours, the header, how many
articles the filters keep, a `Selection` for the views, the Overview — so the page is written
once. A loaded workspace answers everything from its frames. A dataset answers the sidebar, the
header and (when its rollups can) the Overview from its manifest and rollups, gives the views
that compare with nothing the rows the filters keep (`rows`) and the others a `Selection` over a
window of rows (`measure.dataset_source`); rows too many for memory raise `SelectionTooLarge`,
which the page shows as a request for narrower filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial

import pandas as pd

from analytics.frames.corpus import Corpus
from analytics.frames.workspace import Workspace
from analytics.measure import metrics as m
from analytics.measure.dataset_rows import SelectionTooLarge
from analytics.measure.dataset_source import DatasetSource
from analytics.measure.filters import Filters, outlet_names
from analytics.measure.selection import Selection, drawn_options, filtered_period
from analytics.measure.terms import TermMatrix
from analytics.present import charts
from analytics.present import controls as ct
from analytics.present import dataset_views as dv
from analytics.present import views as vw
from analytics.present.report import report_html

__all__ = ["REPORT_TOO_LARGE", "Loaded", "OpenDataset", "SelectionTooLarge"]

REPORT_TOO_LARGE = "The report needs more articles than fit in memory for these filters: narrow the dates, outlets or topics."


@dataclass(frozen=True)
class Header:
    """The page's header line, why its period is drawn finer (if it is), the options its charts use, and why the report
    cannot be made (None when it can)."""

    caption: str
    finer: str | None
    options: m.MetricOptions
    report_refusal: str | None


class _Open:
    """What both kinds of open data share: one `Selection` per filters in a page run, and the Overview of its rows."""

    def __init__(self) -> None:
        self._selections: dict[tuple, Selection] = {}

    def selection(self, filters: Filters, count_stories: bool = False, *, history: bool = False) -> Selection:
        """The selection of the filters, made once (a page asks for it to count, to caption and to draw)."""
        key = (filters, count_stories, history)
        if key not in self._selections:
            self._selections[key] = self._select(filters, count_stories, history)
        return self._selections[key]

    def _select(self, filters: Filters, count_stories: bool, history: bool) -> Selection:
        raise NotImplementedError

    def overview(self, filters: Filters, count_stories: bool, options: m.MetricOptions, split: str | None, colors: dict[str, str]) -> vw.OverviewPage:
        """The Overview of the selection's rows (with every earlier period, for the spikes)."""
        return vw.overview_page(self.selection(filters, count_stories, history=True), options, split, colors)

    def matches(self, filters: Filters, count_stories: bool) -> int:
        """How many articles the filters keep."""
        return len(self.selection(filters, count_stories).a)

    def rows(self, filters: Filters, columns: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The articles the filters keep (at least `columns` of them, when given) and their topic rows, for a view that
        compares them with nothing (Articles, Quality vs heat)."""
        sel = self.selection(filters)
        return sel.a, sel.t

    def header(self, filters: Filters, view: ct.ViewChoices, source: str) -> Header:
        """What the page says above its views, and the options its charts are drawn with (a finer period for short dates)."""
        options, finer = drawn_options(filtered_period(filters, self.span), view.options)
        return Header(self.caption(filters, view.count_stories, source), finer, options, self.report_refusal(filters, view.count_stories))

    def report_refusal(self, filters: Filters, count_stories: bool) -> str | None:
        """Why the meeting report of these filters cannot be made, or None when it can."""
        return None  # every article is in memory

    def report(self, filters: Filters, count_stories: bool, options: m.MetricOptions, terms: Callable[[Selection], TermMatrix]) -> bytes:
        """The meeting report of what the page shows, as HTML bytes; counting stories, its spikes are judged against the rows
        of every earlier period. `terms` gives a selection's document-term matrix (a long-running program keeps them)."""
        sel = self.selection(filters, count_stories, history=count_stories)
        return report_html(sel.ws.corpus, options=options, selection=sel, term_matrix=terms(sel)).encode("utf-8")


class Loaded(_Open):
    """A folder's (or upload's) workspace, every article in memory; made for one run of the page."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws

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

    def period_selection(self, filters: Filters, count_stories: bool, start: object, granularity: str) -> Selection:
        """The selection a click on one period's bar reads its articles from: the page's own."""
        return self.selection(filters, count_stories)

    def choices(self) -> ct.Choices:
        return ct.choices(self.ws.corpus)

    def colors(self) -> dict[str, str]:
        return charts.corpus_colors(self.ws.corpus.articles, self.ws.corpus.topics)

    def selection(self, filters: Filters, count_stories: bool = False, *, history: bool = False) -> Selection:
        """The selection of the filters (every article is in memory, so every period is in it)."""
        return super().selection(filters, count_stories)

    def _select(self, filters: Filters, count_stories: bool, history: bool) -> Selection:
        return Selection(self.ws, filters, count_stories)

    def caption(self, filters: Filters, count_stories: bool, source: str) -> str:
        return vw.header_caption(self.selection(filters, count_stories), source)


class OpenDataset(_Open):
    """A dataset: the sidebar, header and Overview from its rollups; other views on a window of rows; made for one run of the page."""

    def __init__(self, src: DatasetSource) -> None:
        super().__init__()
        self.src = src

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

    def report_refusal(self, filters: Filters, count_stories: bool) -> str | None:
        """Why the report cannot be made: its rows (every period up to the end when counting stories, for the spikes) would
        not fit in a window; None when they would."""
        return None if self.src.fits(filters, history=count_stories) else REPORT_TOO_LARGE

    def period_selection(self, filters: Filters, count_stories: bool, start: object, granularity: str) -> Selection:
        """The selection a click on one period's bar reads its articles from: that period's rows only."""
        return self.selection(dv.within_period(filters, start, granularity), count_stories)

    def choices(self) -> ct.Choices:
        return dv.choices(self.src)

    def colors(self) -> dict[str, str]:
        return dv.colors(self.src)

    def rows(self, filters: Filters, columns: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Read alone, without the periods a window compares them with (a link to a month's Articles reads that month
        only), and only the columns asked for; kept for the next runs as windows are."""
        picked = self.src.rows(filters, columns)
        return picked.articles, picked.topics

    def _select(self, filters: Filters, count_stories: bool, history: bool) -> Selection:
        """The selection over the window of rows the filters need (raises `SelectionTooLarge`)."""
        window = self.src.window(filters, history=history)
        return Selection(window, filters, count_stories, history_volume=partial(self.src.history_volume, filters))

    def overview(self, filters: Filters, count_stories: bool, options: m.MetricOptions, split: str | None, colors: dict[str, str]) -> vw.OverviewPage:
        """The Overview from the rollups, or from a window of rows when they cannot answer (counting stories)."""
        if dv.rollups_answer(filters, count_stories):
            return dv.overview(self.src, filters, options, split, colors)
        return super().overview(filters, count_stories, options, split, colors)

    def matches(self, filters: Filters, count_stories: bool) -> int:
        return self.src.count(filters) if dv.rollups_answer(filters, count_stories) else super().matches(filters, count_stories)

    def caption(self, filters: Filters, count_stories: bool, source: str) -> str:
        if dv.rollups_answer(filters, count_stories):
            return dv.caption(self.src, filters, source)
        sel = self.selection(filters, count_stories)
        stories = len(sel.counted[0]) if count_stories else None
        return vw.caption_text(len(sel.a), self.src.articles, source, filters.describe(outlet_names(self.src.outlets)), stories)

