"""What each view puts on the page, in order: texts, KPI cards and frames shown as a chart or a table.

A view's blocks say what is shown and in which order; `dashboard.py` draws any list of blocks
with one function (each kind of block is one kind of widget), so the page's order and wording
live here, where tests read them without a browser. Every text is shown as exactly its
characters (`plain_text.plain`): names from documents never turn into Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analytics.frames.corpus import Corpus
from analytics.measure import metrics as m
from analytics.measure import terms as tm
from analytics.measure.selection import UNITS
from analytics.present import term_views as tv
from analytics.present import views as vw
from analytics.present.report_format import plural

ROWS_SHOWN = 1_000  # a table sends at most this many rows to the browser (its download has them all)
STYLES = CAPTION, HEADING, BULLET, LEAD, INFO, WARNING, SUCCESS = "caption", "heading", "bullet", "lead", "info", "warning", "success"


@dataclass(frozen=True)
class Text:
    """One line: a `caption`, a `heading`, a `bullet` of a list, a `lead` (bold, before a table) or an `info`, `warning` or `success` box."""

    text: str
    style: str = CAPTION


@dataclass(frozen=True)
class Cards:
    """KPI cards side by side, each (label, value) or (label, value, change)."""

    cards: list[tuple[str, ...]]


@dataclass(frozen=True)
class Panel:
    """A frame drawn as `figure`, or as a table (its columns as `columns` says: `views.ARTICLE_TABLE`…) when there is none.

    Unless `download` is False it comes with the CSV of exactly that frame, named `name`; the
    points clicked on a `clickable` chart are reported under `name`.
    """

    name: str
    frame: pd.DataFrame
    figure: go.Figure | None = None
    columns: dict[str, object] | None = None
    clickable: bool = False
    download: bool = True


Block = Text | Cards | Panel


def panels(found: dict[str, tuple[pd.DataFrame, go.Figure | None]], *, clickable: tuple[str, ...] = ()) -> list[Panel]:
    """A view's (frame, figure) pairs, keyed by download name, as panels (`clickable` names the charts that take clicks)."""
    return [Panel(name, frame, figure, clickable=name in clickable) for name, (frame, figure) in found.items()]


def overview_blocks(page: vw.OverviewPage, count_stories: bool) -> list[Block]:
    """The Overview: KPI cards, comparison lines, the volume chart (clickable), the spikes and the stories behind them, the events."""
    view = page.view
    heading, how = vw.spike_texts(len(view.spikes))
    blocks: list[Block] = [Cards(page.cards), *map(Text, page.notes), Panel("volume", view.volume, view.figure, clickable=True)]
    if note := view.undated_note(count_stories):
        blocks.append(Text(note))
    blocks += [Text(heading, HEADING), Text(how)]
    blocks += [Text(line, BULLET) for line in vw.spike_lines(view.spikes, view.granularity, UNITS[count_stories][1])]
    if len(view.spike_stories):
        blocks.append(Panel("spike-stories", view.spike_stories, columns=vw.SPIKE_TABLE))
    if len(page.events):
        blocks += [Text("Events in this period", HEADING), Panel("events", page.events, columns=vw.ARTICLE_TABLE)]
    return blocks


def rows_blocks(rows: pd.DataFrame, topics: pd.DataFrame, what: str, unit: tuple[str, str] = ("article", "articles")) -> list[Block]:
    """The articles (or first articles of stories) behind a clicked bar, point or term, as their table, most read first."""
    shown = m.top_stories(rows, topics, limit=ROWS_SHOWN)
    return [Text(f"{plural(len(rows), *unit)} behind {what}", LEAD), Panel("behind", shown, columns=vw.ARTICLE_TABLE, download=False)]


def period_rows_blocks(sel: vw.Selection, frame: pd.DataFrame, point: dict, *, granularity: str, split: str | None) -> list[Block]:
    """The counted articles behind a clicked bar of a period chart drawn from `frame`."""
    rows, what = vw.drill_rows(sel, frame, point, granularity=granularity, split=split)
    return rows_blocks(rows, sel.counted[1], what, (sel.unit_one, sel.unit))


def outlet_rows_blocks(sel: vw.Selection, share: pd.DataFrame, point: dict) -> list[Block]:
    """The counted articles of the outlet behind a clicked outlet-share bar."""
    rows, outlet = vw.outlet_rows(sel, share, point)
    return rows_blocks(rows, sel.counted[1], outlet, (sel.unit_one, sel.unit))


def term_rows_blocks(sel: vw.Selection, matrix: tm.TermMatrix, clicked: dict[str, list[dict]], *, everything: bool = False) -> list[Block]:
    """The articles using each clicked term: of the selection, or of the whole data (`everything`, for comparisons)."""
    return [block for rows, what in tv.clicked_articles(sel, matrix, clicked, everything=everything) for block in rows_blocks(rows, sel.ws.corpus.topics, what)]


def outlet_blocks(found: dict[str, tuple[pd.DataFrame, go.Figure]]) -> list[Block]:
    """Outlet share and who drove coverage when (`views.outlet_view`), both clickable."""
    return panels(found, clickable=tuple(found))


def topic_blocks(found: dict[str, tuple[pd.DataFrame, go.Figure]]) -> list[Block]:
    """The topic views (`views.topic_view`), the mix clickable, and how concentration is measured."""
    return [*panels(found, clickable=("topic-mix",)), Text(vw.CONCENTRATION_NOTE)]


def term_blocks(found: dict[str, tuple[pd.DataFrame, go.Figure]]) -> list[Block]:
    """How terms are found, a note for each empty list, and the term charts (`term_views.terms_panels`), clickable."""
    notes = [Text(tv.TERMS_NOTE), *(Text(note, INFO) for note in tv.empty_notes(found))]
    return notes + panels(found, clickable=("top-terms", "distinctive-terms", "rising-terms"))


def compare_blocks(sides: dict[str, tuple[pd.DataFrame, go.Figure | None]], terms: dict[str, tuple[pd.DataFrame, go.Figure]]) -> list[Block]:
    """A against B (`views.compare_view`), then the terms of each side (`term_views.compare_terms_panels`), clickable."""
    return panels(sides) + panels(terms, clickable=("compare-terms-a", "compare-terms-b"))


def articles_blocks(shown: pd.DataFrame, total: int) -> list[Block]:
    """How many articles are listed, and the first of them (the download, of them all, is the caller's)."""
    return [Text(vw.articles_caption(total, len(shown))), Panel("articles", shown, columns=vw.ARTICLE_TABLE, download=False)]


def quality_blocks(view: vw.Quality) -> list[Block]:
    """Quality against heat: the headline numbers, the chart (clickable) and its summary."""
    return [
        Cards(view.cards()),
        Panel("quality-vs-heat", view.points, view.figure, clickable=True),
        Panel("quality-vs-heat-summary", view.summary),
    ]


def story_blocks(view: vw.Stories, articles: int) -> list[Block]:
    """The stories, how the biggest spread, and the outlets cited but missing from the data."""
    blocks: list[Block] = [Text(view.caption(articles)), Panel("stories", view.stories, columns=vw.STORY_TABLE)]
    if view.timeline is not None:
        blocks.append(Panel("story-timeline", view.followers, view.timeline))
    return blocks + [Text("Who else covered this", HEADING), Text(vw.OUTSIDE_NOTE), Panel("outside-outlets", view.outside)]


def change_blocks(view: vw.Changes) -> list[Block]:
    """What moved: per topics and outlets, the movers and the groups that went quiet."""
    blocks: list[Block] = [Text(view.caption())]
    for by, heading, frame, quiet in view.sections():
        blocks += [Text(heading, HEADING), Panel(f"{by}-movers", frame, columns=vw.MOVER_TABLE)]
        if quiet:
            blocks.append(Text(quiet))
    return blocks


def health_blocks(corpus: Corpus, note_problems: pd.DataFrame, loaded: int | None = None) -> list[Block]:
    """What happened to the files, the editors' notes that could not be used, and every problem by severity and file."""
    blocks: list[Block] = [Cards([(label, f"{value:,}") for label, value in vw.health_counts(corpus, loaded)])]
    if not note_problems.empty:
        blocks += [Text(f"{plural(len(note_problems), 'editor’s note')} in the annotations file could not be used:", WARNING), Panel("notes", note_problems, download=False)]
    if corpus.problems.empty:
        return blocks + [Text("Every document loaded cleanly.", SUCCESS)]
    tables = vw.health_tables(corpus)
    return blocks + [
        Panel("by-severity", tables["by-severity"], download=False),
        Panel("by-file", tables["by-file"], download=False),
        Panel("problems", tables["problems"]),
    ]
