"""News Coverage Analytics dashboard. Run with `make run` or `streamlit run dashboard.py -- --data PATH`.

This file only wires widgets to `analytics`: one cached load, one `Filters` value read from the
sidebar (every widget bound to the URL), then per view: view model -> chart -> download.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import charts, spikes, stories
from analytics import metrics as m
from analytics import movers as mv
from analytics import schema as s
from analytics import views as vw
from analytics.export import csv_bytes, provenance_of
from analytics.filters import ALL, ANY, Filters, outlet_labels, outlet_names
from analytics.fingerprint import fingerprint
from analytics.report import report_html, report_name
from analytics.report_format import plural
from analytics.workspace import Workspace, open_uploads, open_workspace

DEFAULT_DATA = Path(__file__).parent / "sample_data"
URL = "query-params"
ROWS_SHOWN = 1_000
NO_MATCH = "No articles match these filters. Widen the date range or clear some filters in the sidebar."
WHEN = "YYYY-MM-DD HH:mm"


def data_path_default() -> str:
    """The folder to open: `-- --data PATH`, else $NEWS_ANALYTICS_DATA, else the sample data."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args()
    return args.data or os.environ.get("NEWS_ANALYTICS_DATA") or str(DEFAULT_DATA)


@st.cache_data(show_spinner=False, max_entries=4)
def load(path: str, fingerprint_key: str) -> Workspace:
    """The workspace for `path`; re-read only when the files' fingerprint changes."""
    bar = st.progress(0.0, text="Reading documents…")
    workspace = open_workspace(path, progress=lambda done, total: bar.progress(done / total, text=f"Read {done:,} of {total:,} files"))
    bar.empty()
    return workspace


@st.cache_data(ttl=30, show_spinner=False)
def folder_fingerprint(path: str) -> str:
    """The folder's fingerprint, re-taken at most every 30 s: one stat per file is slow on 100k files."""
    return fingerprint(path)


@st.cache_data(show_spinner="Unpacking and reading the uploaded files…", max_entries=2)
def load_uploads(uploads: tuple[tuple[str, bytes], ...]) -> Workspace:
    return open_uploads(uploads)


def sidebar(ws: Workspace) -> tuple[Filters, m.MetricOptions, str | None, bool]:
    """Every sidebar widget read into one frozen `Filters` and the view options."""
    a, bar = ws.corpus.articles, st.sidebar
    bar.header("Filters")
    lo, hi = vw.data_span(ws.corpus)
    lo, hi = lo or date.today(), hi or date.today()
    picked = bar.date_input("Published between", (lo, hi), min_value=lo, max_value=hi, key="dates", bind=URL)
    start, end = (tuple(picked) + (None, None))[:2] if isinstance(picked, (tuple, list)) else (picked, picked)
    if (start, end) == (lo, hi):  # the whole range: keep undated articles too
        start = end = None
    names = outlet_labels(a)
    outlets = bar.multiselect("Outlets", sorted(names, key=lambda d: names[d].lower()), format_func=names.get, key="outlet", bind=URL)
    topics = bar.multiselect("Topics", ws.corpus.topics[s.TOPIC].astype(str).value_counts().index.tolist(), key="topic", bind=URL)
    mode = bar.radio("Articles with", [ANY, ALL], format_func={ANY: "any of these topics", ALL: "all of these topics"}.get, horizontal=True, key="topic_mode", bind=URL)
    categories = bar.multiselect("Category", _values(a[s.CATEGORY]), key="category", bind=URL)
    types = bar.multiselect("Type", _values(a[s.TYPE]), key="type", bind=URL)
    published = bar.radio("Published", ["any", "yes", "no"], horizontal=True, key="published", bind=URL)
    quality = _range(bar, "Quality", a[s.QUALITY], "quality")
    heat = _range(bar, "Heat", a[s.HEAT], "heat")
    search = bar.text_input("Search titles and excerpts", key="q", bind=URL)
    bar.header("View")
    count = bar.segmented_control("Count", ["articles", "stories"], default="articles", key="count", bind=URL, help="Stories count syndicated copies and follow-ups of one story once.")
    granularity = bar.segmented_control("Period", list(m.GRANULARITIES), default="month", key="period", bind=URL) or "month"
    top_n = bar.slider("Top N outlets/topics", 3, 20, 8, key="top", bind=URL)
    rolling = bar.slider("Rolling mean over periods (0 = off)", 0, 12, 0, key="rolling", bind=URL)
    split = bar.selectbox("Split volume by", ["none", "provider", "topic", "category"], key="split", bind=URL)
    filters = Filters(
        start=start, end=end, providers=tuple(outlets), topics=tuple(topics), topic_mode=mode,
        categories=tuple(categories), types=tuple(types),
        published={"yes": True, "no": False}.get(published), quality=quality, heat=heat, search=search,
    )
    options = m.MetricOptions(top_n=top_n, granularity=granularity, rolling=rolling or None)
    return filters, options, None if split == "none" else split, count == "stories"


def _values(column: pd.Series) -> list[str]:
    return sorted(column.dropna().astype(str).unique())


def _range(bar, label: str, column: pd.Series, key: str) -> tuple[float, float] | None:
    """A range slider over a score; None while it spans everything (articles without it stay)."""
    values = column.dropna()
    if values.empty or values.min() == values.max():
        return None
    lo, hi = float(values.min()), float(values.max())
    chosen = bar.slider(label, lo, hi, (lo, hi), step=1.0, format="%.0f", key=key, bind=URL)
    return None if tuple(chosen) == (lo, hi) else (float(chosen[0]), float(chosen[1]))


class Page:
    """One rerun's selection plus the view options, and the few widgets every view uses."""

    def __init__(self, sel: vw.Selection, options: m.MetricOptions, split: str | None, colors: dict[str, str]) -> None:
        self.sel, self.options, self.split, self.colors = sel, options, split, colors

    def download(self, frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
        """A spreadsheet-safe CSV of exactly the frame behind a chart (built on click if given as a function)."""
        provenance = provenance_of(name, self.sel.ws.corpus, self.sel.filters)
        make = frame if callable(frame) else lambda: frame
        st.download_button(
            f"Download {name} (CSV)", lambda: csv_bytes(make(), provenance=provenance), provenance.file_name(),
            "text/csv", key=f"dl_{name}", on_click="ignore",
        )

    def panels(self, panels: dict, *, selectable: tuple[str, ...] = ()) -> dict[str, list[dict]]:
        """Each (frame, figure) with its download; returns the points clicked on the selectable ones."""
        clicked = {}
        for name, (frame, figure) in panels.items():
            if figure is None:
                table(frame)
            elif name in selectable:
                event = st.plotly_chart(figure, width="stretch", key=name, on_select="rerun", selection_mode="points")
                clicked[name] = list(event.selection.points) if event and event.selection else []
            else:
                st.plotly_chart(figure, width="stretch", key=name)
            self.download(frame, name)
        return clicked

    def drill_period(self, frame: pd.DataFrame, points: list[dict], split: str | None) -> None:
        if points:
            rows, what = vw.drill_rows(self.sel, frame, points[0], granularity=self.options.granularity, split=split)
            drill_down(rows, self.sel.counted[1], what)


def table(frame: pd.DataFrame, **kwargs) -> None:
    st.dataframe(frame.head(ROWS_SHOWN), hide_index=True, width="stretch", **kwargs)


def drill_down(rows: pd.DataFrame, topics: pd.DataFrame, what: str) -> None:
    """The articles behind a selected bar or point."""
    st.markdown(f"**{plural(len(rows), 'article')} behind {what}**")
    table(m.top_stories(rows, topics, limit=ROWS_SHOWN), column_config=ARTICLE_COLUMNS)


ARTICLE_COLUMNS = {
    s.DOC_ID: None,
    s.TITLE: st.column_config.TextColumn("Title", width="large"),
    s.PROVIDER_NAME: "Outlet",
    s.PUBLISHED_AT: st.column_config.DatetimeColumn("Published (UTC)", format=WHEN),
    m.TOPICS_TEXT: "Topics",
    s.QUALITY: st.column_config.NumberColumn("Quality", format="%.0f"),
    s.HEAT: st.column_config.NumberColumn("Heat", format="%.0f"),
    s.WEB_URL: st.column_config.LinkColumn("Link", display_text="open"),
}
STORY_COLUMNS = {
    stories.STORY_ID: None,
    s.TITLE: st.column_config.TextColumn("Story", width="large"),
    stories.SIZE: "Articles",
    spikes.ARTICLES: "Articles",
    stories.OUTLETS: "Outlets (in order)",
    stories.N_OUTLETS: "Outlets",
    stories.FIRST_OUTLET: "First outlet",
    stories.FIRST_PUBLISHED_AT: st.column_config.DatetimeColumn("First published (UTC)", format=WHEN),
    stories.LAST_PUBLISHED_AT: st.column_config.DatetimeColumn("Last published (UTC)", format=WHEN),
}
SPIKE_COLUMNS = STORY_COLUMNS | {m.PERIOD: st.column_config.DateColumn("Period", format="YYYY-MM-DD"), m.GROUP: "Group", spikes.RANK: "#"}
PERCENT = st.column_config.NumberColumn(format="percent")
MOVER_COLUMNS = {mv.SHARE: PERCENT, mv.PREVIOUS_SHARE: PERCENT, mv.CHANGE: st.column_config.NumberColumn("change (points)", format="percent")}


def overview(p: Page) -> None:
    view = vw.overview_view(p.sel, p.options, p.split, p.colors)
    for column, row in zip(st.columns(len(view.kpis)), view.kpis.itertuples()):
        change = None if pd.isna(row.change) else f"{row.change:+.0%} vs previous period"
        column.metric(row.metric, "–" if pd.isna(row.value) else f"{row.value:,.0f}", change)
    clicked = p.panels({"volume": (view.volume, view.figure)}, selectable=("volume",))
    p.drill_period(view.volume, clicked["volume"], p.split)
    if view.undated:
        st.caption(f"{plural(view.undated, 'story' if p.sel.count_stories else 'article', p.sel.unit)} without a publication date left out of this chart.")
    st.subheader(f"Spikes: {plural(len(view.spikes), 'period')} well above the usual level")
    options = spikes.SpikeOptions()
    st.caption(f"A period spikes when its count is more than {options.threshold:g} robust deviations above the median of the {options.window} periods before it (and at least {options.min_count}).")
    if len(view.spike_stories):
        table(view.spike_stories, column_config=SPIKE_COLUMNS)
        p.download(view.spike_stories, "spike-stories")


def outlets(p: Page) -> None:
    weighted = st.toggle("Weight by summed heat", key="weighted", bind=URL)
    panels = vw.outlet_view(p.sel, p.options, p.colors, weighted=weighted)
    clicked = p.panels(panels, selectable=tuple(panels))
    share, by_period = panels["outlet-share"][0], panels["outlets-by-period"][0]
    if points := clicked["outlet-share"]:
        a, t = p.sel.counted
        group = points[0]["customdata"][0]
        drill_down(m.articles_behind(a, t, split="provider", group=group, top_groups=share[m.GROUP].tolist()), t, group)
    p.drill_period(by_period, clicked["outlets-by-period"], "provider")


def topics_view(p: Page) -> None:
    panels = vw.topic_view(p.sel, p.options, p.colors)
    clicked = p.panels(panels, selectable=("topic-mix",))
    p.drill_period(panels["topic-mix"][0], clicked["topic-mix"], "topic")
    st.caption("Effective number of outlets = 1 / HHI (the sum of squared outlet shares): 1 means one outlet carries the topic alone.")


def quality_view(p: Page) -> None:
    view = vw.quality_view(p.sel)
    rho = view.value("Spearman correlation")
    cols = st.columns(3)
    cols[0].metric("Spearman correlation", "–" if pd.isna(rho) else f"{rho:.2f}")
    cols[1].metric("Articles with both scores", f"{view.value('Articles with both scores'):,.0f}")
    cols[2].metric("Without scores (not shown)", f"{view.value('Articles without both scores'):,.0f}")
    clicked = p.panels({"quality-vs-heat": (view.points, view.figure), "quality-vs-heat-summary": (view.summary, None)}, selectable=("quality-vs-heat",))
    if chosen := clicked["quality-vs-heat"]:
        ids = [point["customdata"][0] for point in chosen if point.get("customdata")]
        drill_down(p.sel.a[p.sel.a[s.DOC_ID].isin(ids)], p.sel.t, "the selected points")


def stories_view(p: Page) -> None:
    view = vw.story_view(p.sel, p.colors)
    st.caption(f"{plural(len(view.stories), 'story', 'stories')} from {plural(len(p.sel.a), 'article')}; {view.shared:,} ran in more than one article (same address, related links or near-identical titles within days).")
    table(view.stories, column_config=STORY_COLUMNS)
    p.download(view.stories, "stories")
    if view.timeline is not None:
        p.panels({"story-timeline": (view.followers, view.timeline)})
    st.subheader("Who else covered this")
    st.caption("Outlets that keep appearing in the articles' related links but are not in this data.")
    p.panels({"outside-outlets": (view.outside, None)})


def articles_view(p: Page) -> None:
    a, t = p.sel.a, p.sel.t
    shown = m.top_stories(a, t, limit=ROWS_SHOWN)
    more = f"the first {len(shown):,} of " if len(a) > len(shown) else ""
    st.caption(f"Showing {more}{len(a):,} articles, hottest first (then by quality). The download has them all.")
    table(shown, column_config=ARTICLE_COLUMNS)
    p.download(lambda: m.top_stories(a, t, limit=None), "articles")


def changes_view(p: Page) -> None:
    least = st.slider("Smallest count worth calling a trend", 1, 20, 3, key="min_count", bind=URL)
    view = vw.change_view(p.sel, min_count=least)
    st.caption(f"Share of coverage in {view.label} against the period of equal length before it ({plural(view.before, 'article')} then, {view.now:,} now).")
    for by, frame in view.movers.items():
        st.subheader(f"{'Topics' if by == 'topic' else 'Outlets'} that moved")
        table(frame, column_config=MOVER_COLUMNS)
        if quiet := frame.loc[frame[mv.STATUS] == mv.QUIET, mv.GROUP].tolist():
            st.caption(f"Went quiet: {', '.join(quiet)}.")
        p.download(frame, f"{by}-movers")


def compare_view(p: Page) -> None:
    modes = {vw.OUTLETS_VS_REST: "chosen outlets against the rest", vw.PERIOD_VS_PREVIOUS: "this period against the one before"}
    mode = st.radio("Compare", list(modes), horizontal=True, key="cmp", bind=URL, format_func=modes.get)
    chosen: list[str] = []
    if mode == vw.OUTLETS_VS_REST:
        articles = p.sel.ws.corpus.articles
        names = outlet_labels(articles)
        top = articles[s.PROVIDER_DOMAIN].astype(str).value_counts().index[0]
        chosen = st.multiselect("Outlets (A)", sorted(names, key=lambda d: names[d].lower()), default=[top], format_func=names.get, key="cmp_outlets", bind=URL)
    pair = vw.comparison_for(p.sel, mode, chosen)
    if pair is None:
        st.info("Choose at least one outlet to compare against the rest.")
        return
    p.panels(vw.compare_view(p.sel, pair, p.options))


def data_health(p: Page) -> None:
    corpus, notes = p.sel.ws.corpus, p.sel.ws.note_problems
    counts = [("Files seen", corpus.files_seen), ("Loaded", corpus.loaded), ("Skipped", corpus.skipped), ("Duplicates", corpus.duplicates), ("Ignored", corpus.ignored)]
    for col, (label, value) in zip(st.columns(5), counts):
        col.metric(label, f"{value:,}")
    if not notes.empty:
        st.warning(f"{plural(len(notes), 'editor’s note')} in the annotations file could not be used:")
        table(notes)
    if corpus.problems.empty:
        st.success("Every document loaded cleanly.")
        return
    tables = vw.health_tables(corpus)
    table(tables["by-severity"])
    table(tables["by-file"])
    p.panels({"problems": (tables["problems"], None)})


VIEWS: dict[str, Callable[[Page], None]] = {
    "Overview": overview, "Outlets": outlets, "Topics": topics_view, "Quality vs heat": quality_view,
    "Stories": stories_view, "Articles": articles_view, "Changes": changes_view, "Compare": compare_view,
}


def main() -> None:
    st.set_page_config(page_title="News Coverage Analytics", page_icon="📰", layout="wide")
    st.title("News Coverage Analytics")
    path = st.sidebar.text_input("Data folder", data_path_default(), key="data", bind=URL)
    uploads = st.sidebar.file_uploader("…or upload documents (.md, .txt, .zip)", type=["md", "markdown", "txt", "zip"], accept_multiple_files=True, key="uploads")
    if uploads:
        path = plural(len(uploads), "uploaded file")
        ws = load_uploads(tuple((f.name, f.getvalue()) for f in uploads))
    elif not Path(path).exists():
        st.error(f"The folder {path!r} does not exist. Enter another folder or upload files in the sidebar.")
        return
    else:
        ws = load(path, folder_fingerprint(path))
    corpus = ws.corpus
    if corpus.articles.empty:
        st.warning(f"No articles were loaded from {path}. Below is what was found.")
        data_health(Page(vw.Selection(ws, Filters()), m.MetricOptions(), None, {}))
        return
    filters, options, split, count_stories = sidebar(ws)
    st.sidebar.download_button(
        "Download meeting report", lambda: report_html(corpus, filters, options, workspace=ws).encode("utf-8"),
        report_name(corpus, filters), "text/html", key="dl_report", on_click="ignore", type="primary",
    )
    p = Page(vw.Selection(ws, filters, count_stories), options, split, charts.corpus_colors(corpus.articles, corpus.topics))
    active = filters.describe(outlet_names(corpus.articles))
    st.caption(f"{len(p.sel.a):,} of {corpus.loaded:,} articles from {path}" + (" · " + "; ".join(active) if active else ""))
    tabs = st.tabs([*VIEWS, "Data health"])
    for tab, render in zip(tabs, VIEWS.values()):
        with tab:
            if p.sel.a.empty:
                st.info(NO_MATCH)
            else:
                render(p)
    with tabs[-1]:
        data_health(p)


main()
