"""News Coverage Analytics dashboard. Run with `make run` or `streamlit run dashboard.py -- --data PATH`.

This file only wires widgets to `analytics`: one loaded workspace (or opened dataset) shared by every session, one
`Filters` value read from the sidebar (every widget bound to the URL), then the one view chosen:
view model (shared too) -> chart -> download.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.frames.live import LiveWorkspace
from analytics.frames.workspace import open_uploads
from analytics.measure import metrics as m
from analytics.measure import terms as tm
from analytics.measure.dataset_source import DatasetSource
from analytics.measure.filters import Filters
from analytics.present import controls as ct
from analytics.present import data_roots as dr
from analytics.present import layout as ly
from analytics.present import term_views as tv
from analytics.present import views as vw
from analytics.present.export import articles_table, csv_bytes, provenance_of
from analytics.present.plain_text import plain
from analytics.present.report import report_name
from analytics.present.report_format import inert_labels, plural
from analytics.present.sources import Loaded, OpenDataset, SelectionTooLarge
from analytics.read.arrow_memory import choose_allocator
from analytics.store.dataset import dataset_version, is_dataset

DEFAULT_DATA = Path(__file__).parent / "sample_data"
URL = "query-params"
# Typing "AI" + Enter picks the topic AI: no fuzzy matches, no "Select all matches" on Enter.
PICK = {"filter_mode": "contains", "select_all": False}
Opened = Loaded | OpenDataset


@st.cache_resource(show_spinner=False, max_entries=2)
def live(path: str) -> LiveWorkspace:
    """The one loaded workspace of `path` every session shares; its folder is re-checked in the background."""
    return LiveWorkspace(path)


@st.cache_resource(show_spinner="Opening the dataset…", max_entries=2)
def dataset(path: str, version: str) -> DatasetSource:
    """The dataset at `path` as built at `version` (its manifest's digest), opened once for every session."""
    return DatasetSource(path)


load_uploads = st.cache_resource(show_spinner="Unpacking and reading the uploaded files…", max_entries=2)(open_uploads)


@st.cache_resource(show_spinner="Counting the words of every title and excerpt…", max_entries=2)
def term_matrix(load_key: tuple, _articles: pd.DataFrame) -> tm.TermMatrix:
    """The load's document-term matrix, built once per load (source and data version) and shared by every session."""
    return tm.term_matrix(_articles)


@st.cache_resource(show_spinner=False, max_entries=48, ttl=3600)
def shared(name: str, key: tuple, _build: Callable[[], object]) -> object:
    """What `_build` returns, built once per `key` (data version, filters, options) for all sessions; never mutated."""
    return _build()


def sidebar(offer: ct.Choices) -> tuple[Filters, ct.ViewChoices, list[str]]:
    """Every sidebar widget read into one frozen `Filters`, the view options, and notices about the link's values."""
    bar, lo, hi = st.sidebar, offer.first_day, offer.last_day
    params = {key: st.query_params.get_all(key) for key in st.query_params}  # before the widgets tidy the address
    notices = ct.link_notices(params, offer)
    bar.header("Filters")
    preset = bar.selectbox("Dates", list(ct.DATE_PRESETS), format_func=ct.DATE_PRESETS.get, key="when", bind=URL)
    typed = (lo, hi)
    if preset == "custom":
        typed = ct.date_pair(bar.date_input("Published between", (lo, hi), min_value=ct.TYPED_RANGE[0], max_value=ct.TYPED_RANGE[1], key="dates", bind=URL))
    chosen = ct.dates_chosen(preset, typed, offer)
    if chosen.period:
        bar.caption(chosen.note)
    elif chosen.note:  # typed dates beyond the data: say so where the numbers are
        notices.append(chosen.note)
    filters = offer.filters(
        (chosen.start, chosen.end),
        outlets=bar.multiselect("Outlets", offer.outlets, format_func=offer.outlet_labels.get, key="outlet", bind=URL, **PICK),
        topics=bar.multiselect("Topics", offer.topics, key="topic", bind=URL, **PICK),
        topic_mode=bar.radio("Articles with", list(ct.TOPIC_MODES), format_func=ct.TOPIC_MODES.get, horizontal=True, key="topic_mode", bind=URL),
        categories=bar.multiselect("Category", offer.categories, key="category", bind=URL, **PICK),
        types=bar.multiselect("Type", offer.types, key="type", bind=URL, **PICK),
        published=bar.radio("Published", list(ct.PUBLISHED_CHOICES), horizontal=True, key="published", bind=URL),
        quality=_range(bar, "Quality", offer.quality, "quality"),
        heat=_range(bar, "Heat", offer.heat, "heat"),
        search=bar.text_input("Search titles and excerpts", key="q", bind=URL),
        include_events=bool(offer.events) and bar.toggle("Count events as articles", key="events", bind=URL, help=f"Events ({', '.join(offer.events)}) are listed on their own unless counted."),
    )
    bar.header("View")
    return filters, ct.view_choices(
        count=bar.segmented_control("Count", ct.COUNTS, default="articles", key="count", bind=URL, help="Stories count syndicated copies and follow-ups of one story once."),
        granularity=bar.segmented_control("Period", list(m.GRANULARITIES), default="month", key="period", bind=URL),
        top_n=bar.slider("Top N outlets/topics", 3, 20, 8, key="top", bind=URL),
        rolling=bar.slider("Rolling mean over periods (0 = off)", 0, 12, 0, key="rolling", bind=URL),
        split=bar.selectbox("Split volume by", ct.SPLIT_CHOICES, key="split", bind=URL),
    ), notices


def _range(bar, label: str, span: tuple[float, float] | None, key: str) -> tuple[float, float] | None:
    """A range slider over a score, when there is a range to choose from."""
    return None if span is None else bar.slider(label, *span, span, step=1.0, format="%.0f", key=key, bind=URL)


class Page:
    """One rerun's open data, filters and view options, and the few widgets every view uses."""

    def __init__(self, data: Opened, filters: Filters, view: ct.ViewChoices, options: m.MetricOptions, colors: dict[str, str], offer: ct.Choices | None = None) -> None:
        self.data, self.filters, self.count_stories, self.split = data, filters, view.count_stories, view.split
        self.options, self.colors, self.offer = options, colors, offer

    @property
    def sel(self) -> vw.Selection:
        """The filtered articles the views draw (read on first use: a dataset's Overview may need none)."""
        return self.data.selection(self.filters, self.count_stories)

    def terms(self, sel: vw.Selection | None = None) -> tm.TermMatrix:
        corpus = (sel or self.sel).ws.corpus
        return term_matrix((corpus.sources, corpus.version), corpus.articles)

    def model(self, name: str, build: Callable[[], object], *choices: object) -> object:
        """The model of view `name`, built once per data version, filters, options and the view's own `choices`."""
        return shared(name, (self.data.version, self.filters, self.count_stories, self.options, self.split, *choices), build)

    def matches(self) -> int:
        """How many articles the filters keep (counted once per data version and filters)."""
        return shared("matches", (self.data.version, self.filters, self.count_stories), lambda: self.data.matches(self.filters, self.count_stories))

    def download(self, frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
        """A spreadsheet-safe CSV of exactly the frame behind a chart (built on click if given as a function)."""
        provenance = provenance_of(vw.download_name(name, self.count_stories), self.data.corpus, self.filters, span=self.data.span)
        make = frame if callable(frame) else lambda: frame
        st.download_button(
            f"Download {name} (CSV)", lambda: csv_bytes(make(), provenance=provenance), provenance.file_name(),
            "text/csv", key=f"dl_{name}", on_click="ignore",
        )

    def draw(self, blocks: list[ly.Block]) -> dict[str, list[dict]]:
        """Each block with its widget, in order; the points clicked on clickable charts, by panel name."""
        clicked: dict[str, list[dict]] = {}
        for block in blocks:
            if isinstance(block, ly.Cards):
                for column, card in zip(st.columns(len(block.cards)), block.cards):
                    column.metric(*card)
            elif isinstance(block, ly.Text):
                TEXT[block.style](plain(block.text))  # every text as its characters: names from documents stay text
            elif block.figure is None:
                table(block.frame, block.columns or {})
            elif block.clickable:
                event = st.plotly_chart(inert_labels(block.figure), width="stretch", key=block.name, on_select="rerun", selection_mode="points")
                clicked[block.name] = list(event.selection.points) if event and event.selection else []
            else:
                st.plotly_chart(inert_labels(block.figure), width="stretch", key=block.name)
            if isinstance(block, ly.Panel) and block.download:
                self.download(block.frame, block.name)
        return clicked

    def drill_period(self, frame: pd.DataFrame, points: list[dict], split: str | None) -> None:
        if points:
            sel = self.data.period_selection(self.filters, self.count_stories, points[0]["x"], self.options.granularity)
            self.draw(ly.period_rows_blocks(sel, frame, points[0], granularity=self.options.granularity, split=split))


def table(frame: pd.DataFrame, spec: dict[str, object]) -> None:
    """A table's first `layout.ROWS_SHOWN` rows with every column named for people (as `spec` says first)."""
    config = {name: vw.column_label(name) for name in frame.columns} | columns(spec)
    st.dataframe(frame.head(ly.ROWS_SHOWN), hide_index=True, width="stretch", column_config=config)


TEXT: dict[str, Callable[[str], object]] = {
    ly.CAPTION: st.caption, ly.HEADING: st.subheader, ly.BULLET: lambda text: st.markdown(f"- {text}"), ly.LEAD: lambda text: st.markdown(f"**{text}**"),
    ly.INFO: st.info, ly.WARNING: st.warning, ly.SUCCESS: st.success,
}


def columns(spec: dict[str, object]) -> dict[str, object]:
    """A table's column settings (`views.ARTICLE_TABLE` and the like) as Streamlit's column configs."""
    return {name: getattr(st.column_config, how[0])(how[1], **how[2]) if isinstance(how, tuple) else how for name, how in vw.column_settings(spec).items()}


def overview(p: Page) -> None:
    shown = p.model("overview", lambda: p.data.overview(p.filters, p.count_stories, p.options, p.split, p.colors))
    clicked = p.draw(ly.overview_blocks(shown, p.count_stories))
    p.drill_period(shown.view.volume, clicked["volume"], p.split)


def outlets(p: Page) -> None:
    weighted = st.toggle("Weight by summed heat", key="weighted", bind=URL)
    panels = p.model("outlets", lambda: vw.outlet_view(p.sel, p.options, p.colors, weighted=weighted), weighted)
    clicked = p.draw(ly.outlet_blocks(panels))
    if points := clicked["outlet-share"]:
        p.draw(ly.outlet_rows_blocks(p.sel, panels["outlet-share"][0], points[0]))
    p.drill_period(panels["outlets-by-period"][0], clicked["outlets-by-period"], "provider")


def topics_view(p: Page) -> None:
    panels = p.model("topics", lambda: vw.topic_view(p.sel, p.options, p.colors))
    clicked = p.draw(ly.topic_blocks(panels))
    p.drill_period(panels["topic-mix"][0], clicked["topic-mix"], "topic")


def quality_view(p: Page) -> None:
    rows = partial(p.data.rows, p.filters, vw.QUALITY_COLUMNS)  # compared with nothing: a dataset reads no window for it
    if chosen := p.draw(ly.quality_blocks(p.model("quality", lambda: vw.quality_view(rows()[0]))))["quality-vs-heat"]:
        articles, topics = rows()
        p.draw(ly.rows_blocks(vw.rows_of_points(articles, chosen), topics, "the selected points"))


def stories_view(p: Page) -> None:
    p.draw(ly.story_blocks(p.model("stories", lambda: vw.story_view(p.sel, p.colors)), p.matches()))


def articles_view(p: Page) -> None:
    shown = p.model("articles", lambda: m.top_stories(*p.data.rows(p.filters), limit=ly.ROWS_SHOWN))
    p.draw(ly.articles_blocks(shown, p.matches()))
    p.download(lambda: articles_table(*p.data.rows(p.filters)), "articles")  # the same columns as `export --table articles`


def changes_view(p: Page) -> None:
    least = st.slider("Smallest count worth calling a trend", 1, 20, 3, key="min_count", bind=URL)
    p.draw(ly.change_blocks(p.model("changes", lambda: vw.change_view(p.sel, min_count=least), least)))


def compare_view(p: Page) -> None:
    mode = st.radio("Compare", list(vw.COMPARE_MODES), horizontal=True, key="cmp", bind=URL, format_func=vw.COMPARE_MODES.get)
    offer, chosen = p.offer, []
    if mode == vw.OUTLETS_VS_REST:
        chosen = st.multiselect("Outlets (A)", offer.outlets, default=[offer.busiest_outlet], format_func=offer.outlet_labels.get, key="cmp_outlets", bind=URL)
    pair = vw.comparison_for(p.sel, mode, chosen)
    if pair is None:
        st.info(vw.NO_OUTLET)
        return
    sides = p.model("compare", lambda: vw.compare_view(p.sel, pair, p.options), pair)
    clicked = p.draw(ly.compare_blocks(sides, p.model("compare-terms", lambda: tv.compare_terms_panels(p.sel, pair, p.terms()), pair)))
    p.draw(ly.term_rows_blocks(p.sel, p.terms(), clicked, everything=True))


def terms_view(p: Page) -> None:
    clicked = p.draw(ly.term_blocks(p.model("terms", lambda: tv.terms_panels(p.sel, p.terms()))))
    p.draw(ly.term_rows_blocks(p.sel, p.terms(), clicked))


def data_health(p: Page) -> None:
    corpus = p.data.corpus
    p.draw(shared("health", (corpus.version, p.data.articles), lambda: ly.health_blocks(corpus, p.data.note_problems, p.data.articles)))


# The views the switcher offers, in its order; `?view=<name>` opens one, and only that one is computed and sent.
VIEWS: dict[str, Callable[[Page], None]] = {
    "Overview": overview, "Outlets": outlets, "Topics": topics_view, "Quality vs heat": quality_view,
    "Stories": stories_view, "Articles": articles_view, "Changes": changes_view, "Compare": compare_view,
    "Terms": terms_view, "Data health": data_health,
}


def main() -> None:
    choose_allocator()  # this program's own choice; the library leaves the allocator alone
    st.set_page_config(page_title="News Coverage Analytics", page_icon="📰", layout="wide")
    st.title("News Coverage Analytics")
    started = ct.data_folder(sys.argv[1:], os.environ, str(DEFAULT_DATA))
    path = st.sidebar.text_input("Data folder", started, key="data", bind=URL)
    uploads = None
    if dr.uploads_allowed(sys.argv[1:], os.environ):
        uploads = st.sidebar.file_uploader("…or upload documents (.md, .txt, .zip)", type=["md", "markdown", "txt", "zip"], accept_multiple_files=True, key="uploads")
    if uploads:
        path = plural(len(uploads), "uploaded file")
        data = Loaded(load_uploads(tuple((f.name, f.getvalue()) for f in uploads)))
    elif refused := dr.cannot_open(path, dr.data_roots(sys.argv[1:], os.environ, started, str(DEFAULT_DATA))):
        st.error(plain(refused))  # text from the URL: shown as text, never as Markdown
        return
    elif is_dataset(path):
        data = OpenDataset(dataset(path, dataset_version(path)))
    else:
        bar = st.empty()
        data = Loaded(live(path).current(progress=lambda done, total: bar.progress(done / total, text=f"Read {done:,} of {total:,} files")))
        bar.empty()
    if not data.articles:
        st.warning(plain(f"No articles were loaded from {path}. Below is what was found."))
        data_health(Page(data, Filters(), ct.view_choices(None, None, 8, 0, "none"), m.MetricOptions(), {}))
        return
    offer = shared("choices", (data.version,), data.choices)
    filters, view, notices = sidebar(offer)
    head = shared("header", (data.version, filters, view, path), lambda: data.header(filters, view, path))
    p = Page(data, filters, view, head.options, shared("colors", (data.version,), data.colors), offer)
    st.sidebar.download_button(
        "Download meeting report", lambda: data.report(filters, view.count_stories, view.options, p.terms), report_name(data.corpus, filters, data.span),
        "text/html", key="dl_report", on_click="ignore", type="primary", disabled=head.report_refusal is not None, help=head.report_refusal,
    )
    for notice in notices:
        st.warning(plain(notice), icon=":material/link:")  # names values from the link: shown as text
    p.draw([ly.Text(line) for line in (head.caption, head.finer) if line])
    render = VIEWS[st.segmented_control("View", list(VIEWS), default="Overview", required=True, key="view", bind=URL, label_visibility="collapsed")]
    try:
        if render is not data_health and not p.matches():
            st.info(vw.NO_MATCH)
        else:
            render(p)
    except SelectionTooLarge as too_large:
        st.warning(f"This view needs the articles themselves, and {too_large}.", icon=":material/filter_alt:")


main()
