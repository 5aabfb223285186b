"""News Coverage Analytics dashboard. Run with `make run` or `streamlit run dashboard.py -- --data PATH`.

This file only wires widgets to `analytics`: one cached load, one `Filters` value read from the
sidebar (every widget bound to the URL), then per view: metric -> chart -> download.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import charts, load_corpus
from analytics import metrics as m
from analytics import schema as s
from analytics.corpus import Corpus, problems_frame
from analytics.export import csv_bytes, provenance_of
from analytics.filters import ALL, ANY, Filters, filter_articles, outlet_names, previous_period, topics_of
from analytics.fingerprint import fingerprint
from analytics.report import report_html, report_name
from analytics.uploads import extract_uploads

DEFAULT_DATA = Path(__file__).parent / "sample_data"
URL = "query-params"
STORIES_SHOWN = 1_000


def data_path_default() -> str:
    """The folder to open: `-- --data PATH`, else $NEWS_ANALYTICS_DATA, else the sample data."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args()
    return args.data or os.environ.get("NEWS_ANALYTICS_DATA") or str(DEFAULT_DATA)


@st.cache_data(show_spinner=False, max_entries=4)
def load(path: str, fingerprint_key: str) -> Corpus:
    """The corpus under `path`; re-read only when the files' fingerprint changes."""
    bar = st.progress(0.0, text="Reading documents…")
    corpus = load_corpus(path, progress=lambda done, total: bar.progress(done / total, text=f"Read {done:,} of {total:,} files"))
    bar.empty()
    return corpus


@st.cache_data(show_spinner="Unpacking and reading the uploaded files…", max_entries=2)
def load_uploads(uploads: tuple[tuple[str, bytes], ...]) -> Corpus:
    """The corpus of uploaded documents and .zip archives, unpacked safely into a private folder."""
    extraction = extract_uploads(uploads)
    corpus = load_corpus(extraction.folder, cache=False)
    if extraction.problems:  # refused archive entries count as files seen and skipped
        corpus.problems = pd.concat([problems_frame(extraction.problems), corpus.problems], ignore_index=True)
        corpus.files_seen += len({problem.path for problem in extraction.problems})
    return corpus


def sidebar(corpus: Corpus) -> tuple[Filters, m.MetricOptions, str | None]:
    """Every sidebar widget read into one frozen `Filters` and the view options."""
    a = corpus.articles
    bar = st.sidebar
    bar.header("Filters")
    dates = a[s.PUBLISHED_AT].dropna()
    lo, hi = (dates.min().date(), dates.max().date()) if len(dates) else (date.today(), date.today())
    picked = bar.date_input("Published between", (lo, hi), min_value=lo, max_value=hi, key="dates", bind=URL)
    start, end = (tuple(picked) + (None, None))[:2] if isinstance(picked, (tuple, list)) else (picked, picked)
    if (start, end) == (lo, hi):  # the whole range: keep undated articles too
        start = end = None
    names = outlet_labels(a)
    outlets = bar.multiselect("Outlets", sorted(names, key=lambda d: names[d].lower()), format_func=names.get, key="outlet", bind=URL)
    topic_options = corpus.topics[s.TOPIC].astype(str).value_counts().index.tolist()
    topics = bar.multiselect("Topics", topic_options, key="topic", bind=URL)
    mode = bar.radio("Articles with", [ANY, ALL], format_func={ANY: "any of these topics", ALL: "all of these topics"}.get, horizontal=True, key="topic_mode", bind=URL)
    categories = bar.multiselect("Category", _values(a[s.CATEGORY]), key="category", bind=URL)
    types = bar.multiselect("Type", _values(a[s.TYPE]), key="type", bind=URL)
    published = bar.radio("Published", ["any", "yes", "no"], horizontal=True, key="published", bind=URL)
    quality = _range(bar, "Quality", a[s.QUALITY], "quality")
    heat = _range(bar, "Heat", a[s.HEAT], "heat")
    search = bar.text_input("Search titles and excerpts", key="q", bind=URL)
    bar.header("View")
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
    return filters, options, None if split == "none" else split


def outlet_labels(a: pd.DataFrame) -> dict[str, str]:
    """Outlet domain -> label shown (and kept in the URL): its name, plus the domain if the name is shared."""
    names = pd.Series(outlet_names(a))
    shared = names.duplicated(keep=False)
    return {d: f"{n} ({d})" if shared[d] else n for d, n in names.items()}


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


@dataclass(frozen=True)
class Exports:
    """Where downloads come from: the loaded corpus and the filters in force."""

    corpus: Corpus
    filters: Filters

    def download(self, frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str, key: str) -> None:
        """A spreadsheet-safe CSV of exactly the frame behind a chart (built on click if given as a function)."""
        provenance = provenance_of(name, self.corpus, self.filters)
        make = frame if callable(frame) else lambda: frame
        st.download_button(
            f"Download {name} (CSV)", lambda: csv_bytes(make(), provenance=provenance), provenance.file_name(),
            "text/csv", key=key, on_click="ignore",
        )


def chart(figure, key: str, **kwargs):
    return st.plotly_chart(figure, width="stretch", key=key, on_select="rerun", selection_mode="points", **kwargs)


def drill_down(rows: pd.DataFrame, topics: pd.DataFrame, what: str) -> None:
    """The articles behind a selected bar or point."""
    st.markdown(f"**{len(rows):,} articles behind {what}**")
    st.dataframe(m.top_stories(rows, topics, limit=None), hide_index=True, width="stretch", column_config=_story_columns())


def _story_columns() -> dict:
    return {
        s.DOC_ID: None,
        s.TITLE: st.column_config.TextColumn("Title", width="large"),
        s.PROVIDER_NAME: "Outlet",
        s.PUBLISHED_AT: st.column_config.DatetimeColumn("Published (UTC)", format="YYYY-MM-DD HH:mm"),
        m.TOPICS_TEXT: "Topics",
        s.QUALITY: st.column_config.NumberColumn("Quality", format="%.0f"),
        s.HEAT: st.column_config.NumberColumn("Heat", format="%.0f"),
        s.WEB_URL: st.column_config.LinkColumn("Link", display_text="open"),
    }


def _selected(event) -> list[dict]:
    return list(event.selection.points) if event and event.selection else []


def overview(ex: Exports, a: pd.DataFrame, t: pd.DataFrame, kpi: pd.DataFrame, o: m.MetricOptions, split: str | None, colors: dict) -> None:
    for column, row in zip(st.columns(len(kpi)), kpi.itertuples()):
        change = None if pd.isna(row.change) else f"{row.change:+.0%} vs previous period"
        column.metric(row.metric, "–" if pd.isna(row.value) else f"{row.value:,.0f}", change)
    frame = m.volume(a, t, granularity=o.granularity, split=split, top_n=o.top_n, rolling=o.rolling)
    undated = int(a[s.PUBLISHED_AT].isna().sum())
    event = chart(charts.volume_figure(frame, colors=colors, title=f"Articles per {o.granularity}"), "volume")
    if undated:
        st.caption(f"{undated:,} article{'s' if undated > 1 else ''} without a publication date {'are' if undated > 1 else 'is'} not in this chart.")
    ex.download(frame, "volume", "dl_volume")
    if points := _selected(event):
        group = points[0].get("customdata", [None])[0]
        top = [g for g in frame[m.GROUP].unique() if g != m.OTHER]
        rows = m.articles_behind(a, t, period=pd.Timestamp(points[0]["x"]), granularity=o.granularity, split=split, group=group, top_groups=top)
        drill_down(rows, t, f"{group} in the {o.granularity} of {pd.Timestamp(points[0]['x']):%d %b %Y}")


def outlets(ex: Exports, a: pd.DataFrame, t: pd.DataFrame, o: m.MetricOptions, colors: dict) -> None:
    weighted = st.toggle("Weight by summed heat", key="weighted", bind=URL)
    share = m.provider_share(a, top_n=o.top_n, weight="heat" if weighted else None)
    event = chart(charts.provider_share_figure(share, colors=colors, weighted=weighted), "providers")
    ex.download(share, "outlet-share", "dl_share")
    if points := _selected(event):
        group = points[0]["customdata"][0]
        drill_down(m.articles_behind(a, t, split="provider", group=group, top_groups=share[m.GROUP].tolist()), t, group)
    by_period = m.volume(a, t, granularity=o.granularity, split="provider", top_n=o.top_n)
    chart(charts.volume_figure(by_period, colors=colors, measure=m.SHARE, title="Who drove coverage when"), "providers_time")
    ex.download(by_period, "outlets-by-period", "dl_outlet_period")


def topics_view(ex: Exports, a: pd.DataFrame, t: pd.DataFrame, o: m.MetricOptions, colors: dict) -> None:
    mix = m.topic_mix(a, t, granularity=o.granularity, top_n=o.top_n)
    event = chart(charts.topic_mix_figure(mix, colors=colors), "topic_mix")
    ex.download(mix, "topic-mix", "dl_mix")
    if points := _selected(event):
        group, period = points[0]["customdata"][0], pd.Timestamp(points[0]["x"])
        top = [g for g in mix[m.GROUP].unique() if g != m.OTHER]
        drill_down(m.articles_behind(a, t, period=period, granularity=o.granularity, split="topic", group=group, top_groups=top), t, f"{group}, {period:%d %b %Y}")
    st.plotly_chart(charts.topic_heatmap_figure(mix), width="stretch", key="topic_heatmap")
    pairs = m.topic_cooccurrence(a, t, top_n=o.top_n)
    st.plotly_chart(charts.cooccurrence_figure(pairs), width="stretch", key="cooccurrence")
    ex.download(pairs, "topic-cooccurrence", "dl_pairs")


def quality_view(ex: Exports, a: pd.DataFrame, t: pd.DataFrame) -> None:
    points = m.quality_heat(a)
    summary = m.quality_heat_summary(a)
    values = dict(zip(summary[m.METRIC], summary[m.VALUE]))
    cols = st.columns(3)
    cols[0].metric("Spearman correlation", "–" if pd.isna(values["Spearman correlation"]) else f"{values['Spearman correlation']:.2f}")
    cols[1].metric("Articles with both scores", f"{values['Articles with both scores']:,.0f}")
    cols[2].metric("Without scores (not shown)", f"{values['Articles without both scores']:,.0f}")
    event = chart(charts.quality_heat_figure(points, unscored=int(values["Articles without both scores"])), "quality_heat")
    ex.download(points, "quality-vs-heat", "dl_points")
    ex.download(summary, "quality-vs-heat-summary", "dl_summary")
    if chosen := _selected(event):
        ids = [p["customdata"][0] for p in chosen if p.get("customdata")]
        drill_down(a[a[s.DOC_ID].isin(ids)], t, "the selected points")


def stories(ex: Exports, a: pd.DataFrame, t: pd.DataFrame) -> None:
    table = m.top_stories(a, t, limit=STORIES_SHOWN)
    shown = f"the first {len(table):,} of " if len(a) > len(table) else ""
    st.caption(f"Showing {shown}{len(a):,} articles, hottest first (then by quality). The download has them all.")
    st.dataframe(table, hide_index=True, width="stretch", column_config=_story_columns())
    ex.download(lambda: m.top_stories(a, t, limit=None), "articles", "dl_articles")


def data_health(ex: Exports, corpus: Corpus) -> None:
    p = corpus.problems
    cols = st.columns(5)
    for col, (label, value) in zip(cols, [("Files seen", corpus.files_seen), ("Loaded", corpus.loaded), ("Skipped", corpus.skipped), ("Duplicates", corpus.duplicates), ("Ignored", corpus.ignored)]):
        col.metric(label, f"{value:,}")
    if p.empty:
        st.success("Every document loaded cleanly.")
        return
    p = p.sort_values(s.SEVERITY, key=lambda col: col.map(s.SEVERITIES.index), kind="stable")
    st.dataframe(p.groupby(s.SEVERITY, sort=False).size().rename("problems").reset_index(), hide_index=True)
    by_file = p.groupby([s.PATH, s.SEVERITY], sort=False).size().rename("problems").reset_index()
    st.dataframe(by_file, hide_index=True, width="stretch")
    st.dataframe(p, hide_index=True, width="stretch")
    ex.download(p, "problems", "dl_problems")


def main() -> None:
    st.set_page_config(page_title="News Coverage Analytics", page_icon="📰", layout="wide")
    st.title("News Coverage Analytics")
    path = st.sidebar.text_input("Data folder", data_path_default(), key="data", bind=URL)
    uploads = st.sidebar.file_uploader(
        "…or upload documents (.md, .txt, .zip)", type=["md", "markdown", "txt", "zip"], accept_multiple_files=True, key="uploads"
    )
    if uploads:
        path = f"{len(uploads)} uploaded file{'s' if len(uploads) > 1 else ''}"
        corpus = load_uploads(tuple((f.name, f.getvalue()) for f in uploads))
    elif not Path(path).exists():
        st.error(f"The folder {path!r} does not exist. Enter another folder or upload files in the sidebar.")
        return
    else:
        corpus = load(path, fingerprint(path))
    if corpus.articles.empty:
        st.warning(f"No articles were loaded from {path}. Below is what was found.")
        data_health(Exports(corpus, Filters()), corpus)
        return
    filters, options, split = sidebar(corpus)
    ex = Exports(corpus, filters)
    st.sidebar.download_button(
        "Download meeting report", lambda: report_html(corpus, filters, options).encode("utf-8"),
        report_name(corpus, filters), "text/html", key="dl_report", on_click="ignore", type="primary",
    )
    a = filter_articles(corpus.articles, corpus.topics, filters)
    t = topics_of(corpus.topics, a)
    everything = corpus.articles[s.PUBLISHED_AT].dropna()
    before = filter_articles(corpus.articles, corpus.topics, previous_period(filters, everything.min().date(), everything.max().date()))
    colors = charts.color_map(corpus.articles[s.PROVIDER_NAME].astype(str).value_counts().index.tolist() + corpus.topics[s.TOPIC].astype(str).value_counts().index.tolist())
    active = filters.describe(outlet_names(corpus.articles))
    st.caption(f"{len(a):,} of {corpus.loaded:,} articles from {path}" + (" · " + "; ".join(active) if active else ""))
    tabs = st.tabs(["Overview", "Outlets", "Topics", "Quality vs heat", "Stories", "Data health"])
    if a.empty:
        for tab in tabs[:5]:
            tab.info("No articles match these filters. Widen the date range or clear some filters in the sidebar.")
    else:
        with tabs[0]:
            overview(ex, a, t, m.kpis(a, t, before, topics_of(corpus.topics, before)), options, split, colors)
        with tabs[1]:
            outlets(ex, a, t, options, colors)
        with tabs[2]:
            topics_view(ex, a, t, options, colors)
        with tabs[3]:
            quality_view(ex, a, t)
        with tabs[4]:
            stories(ex, a, t)
    with tabs[5]:
        data_health(ex, corpus)


main()
