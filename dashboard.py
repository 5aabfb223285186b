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
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import charts, compare, spikes, stories
from analytics import concentration as cc
from analytics import insight_charts as ic
from analytics import metrics as m
from analytics import movers as mv
from analytics import schema as s
from analytics.corpus import problems_frame
from analytics.export import csv_bytes, provenance_of
from analytics.filters import ALL, ANY, Filters, filter_articles, outlet_labels, outlet_names, previous_period, topics_of
from analytics.fingerprint import fingerprint
from analytics.report import report_html, report_name
from analytics.uploads import extract_uploads
from analytics.workspace import Workspace, open_workspace, with_insights

DEFAULT_DATA = Path(__file__).parent / "sample_data"
URL = "query-params"
ROWS_SHOWN = 1_000
NO_MATCH = "No articles match these filters. Widen the date range or clear some filters in the sidebar."


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
    """The workspace of uploaded documents and .zip archives, unpacked safely into a private folder."""
    extraction = extract_uploads(uploads)
    workspace = open_workspace(extraction.folder, cache=False)
    corpus = workspace.corpus
    if extraction.problems:  # refused archive entries count as files seen and skipped
        corpus.problems = pd.concat([problems_frame(extraction.problems), corpus.problems], ignore_index=True)
        corpus.files_seen += len({problem.path for problem in extraction.problems})
    return with_insights(corpus, [extraction.folder])


@dataclass(frozen=True)
class View:
    """Everything one rerun draws from: the workspace, the filters in force and the view options."""

    ws: Workspace
    filters: Filters
    options: m.MetricOptions
    split: str | None
    count_stories: bool
    colors: dict[str, str]

    @cached_property
    def a(self) -> pd.DataFrame:
        return filter_articles(self.ws.corpus.articles, self.ws.corpus.topics, self.filters)

    @cached_property
    def t(self) -> pd.DataFrame:
        return topics_of(self.ws.corpus.topics, self.a)

    @cached_property
    def before(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Articles and topics of the previous period of equal length."""
        dates = self.ws.corpus.articles[s.PUBLISHED_AT].dropna()
        articles = filter_articles(self.ws.corpus.articles, self.ws.corpus.topics, previous_period(self.filters, dates.min().date(), dates.max().date()))
        return articles, topics_of(self.ws.corpus.topics, articles)

    @cached_property
    def counted(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What volume and share charts count: every article, or the first article of each story."""
        if not self.count_stories:
            return self.a, self.t
        firsts = stories.one_per_story(self.a, self.ws.story_map)
        return firsts, topics_of(self.t, firsts)

    @property
    def unit(self) -> str:
        return "stories" if self.count_stories else "articles"

    def download(self, frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
        """A spreadsheet-safe CSV of exactly the frame behind a chart (built on click if given as a function)."""
        provenance = provenance_of(name, self.ws.corpus, self.filters)
        make = frame if callable(frame) else lambda: frame
        st.download_button(
            f"Download {name} (CSV)", lambda: csv_bytes(make(), provenance=provenance), provenance.file_name(),
            "text/csv", key=f"dl_{name}", on_click="ignore",
        )


def sidebar(ws: Workspace) -> tuple[Filters, m.MetricOptions, str | None, bool]:
    """Every sidebar widget read into one frozen `Filters` and the view options."""
    a, bar = ws.corpus.articles, st.sidebar
    bar.header("Filters")
    dates = a[s.PUBLISHED_AT].dropna()
    lo, hi = (dates.min().date(), dates.max().date()) if len(dates) else (date.today(), date.today())
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


def chart(figure, key: str):
    """A figure that reports clicked bars and points back to the script."""
    return st.plotly_chart(figure, width="stretch", key=key, on_select="rerun", selection_mode="points")


def table(frame: pd.DataFrame, **kwargs) -> None:
    st.dataframe(frame.head(ROWS_SHOWN), hide_index=True, width="stretch", **kwargs)


def drill_down(rows: pd.DataFrame, topics: pd.DataFrame, what: str) -> None:
    """The articles behind a selected bar or point."""
    st.markdown(f"**{len(rows):,} articles behind {what}**")
    table(m.top_stories(rows, topics, limit=None), column_config=_article_columns())


def _article_columns() -> dict:
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


def _story_table_columns() -> dict:
    when = "YYYY-MM-DD HH:mm"
    return {
        stories.STORY_ID: None,
        s.TITLE: st.column_config.TextColumn("Story", width="large"),
        stories.SIZE: "Articles",
        "articles": "Articles",
        stories.OUTLETS: "Outlets (in order)",
        stories.N_OUTLETS: "Outlets",
        stories.FIRST_OUTLET: "First outlet",
        stories.FIRST_PUBLISHED_AT: st.column_config.DatetimeColumn("First published (UTC)", format=when),
        stories.LAST_PUBLISHED_AT: st.column_config.DatetimeColumn("Last published (UTC)", format=when),
    }


def _selected(event) -> list[dict]:
    return list(event.selection.points) if event and event.selection else []


def _drill_period(v: View, frame: pd.DataFrame, event, split: str | None) -> None:
    if points := _selected(event):
        a, t = v.counted
        group, period = points[0]["customdata"][0], pd.Timestamp(points[0]["x"])
        top = [g for g in frame[m.GROUP].unique() if g != m.OTHER]
        rows = m.articles_behind(a, t, period=period, granularity=v.options.granularity, split=split, group=group, top_groups=top)
        drill_down(rows, t, f"{group}, {v.options.granularity} of {period:%d %b %Y}")


def overview(v: View) -> None:
    kpi = m.kpis(v.a, v.t, *v.before)
    for column, row in zip(st.columns(len(kpi)), kpi.itertuples()):
        change = None if pd.isna(row.change) else f"{row.change:+.0%} vs previous period"
        column.metric(row.metric, "–" if pd.isna(row.value) else f"{row.value:,.0f}", change)
    a, t = v.counted
    o = v.options
    frame = m.volume(a, t, granularity=o.granularity, split=v.split, top_n=o.top_n, rolling=o.rolling)
    found = spikes.spikes(frame)
    figure = charts.volume_figure(frame, colors=v.colors, title=f"{v.unit.capitalize()} per {o.granularity}")
    ic.add_annotation_lines(ic.add_spike_markers(figure, found), v.ws.notes, topics=v.filters.topics or None)
    _drill_period(v, frame, chart(figure, "volume"), v.split)
    if undated := int(a[s.PUBLISHED_AT].isna().sum()):
        st.caption(f"{plural(undated, 'story' if v.count_stories else 'article', v.unit)} without a publication date left out of this chart.")
    v.download(frame, "volume")
    st.subheader(f"Spikes: {plural(len(found), 'period')} well above the usual level")
    st.caption("A period spikes when its count is more than 3.5 robust deviations above the median of the 8 periods before it (and at least 5).")
    if not found.empty:
        behind = spikes.spike_stories(found, v.a, v.ws.story_map, v.t, granularity=o.granularity, split=v.split, top_groups=[g for g in frame[m.GROUP].unique() if g != m.OTHER])
        table(behind, column_config=_story_table_columns() | {m.PERIOD: st.column_config.DateColumn("Period", format="YYYY-MM-DD"), m.GROUP: "Group", spikes.RANK: "#"})
        v.download(behind, "spike-stories")


def outlets(v: View) -> None:
    a, t = v.counted
    weighted = st.toggle("Weight by summed heat", key="weighted", bind=URL)
    share = m.provider_share(a, top_n=v.options.top_n, weight="heat" if weighted else None)
    event = chart(charts.provider_share_figure(share, colors=v.colors, weighted=weighted), "providers")
    v.download(share, "outlet-share")
    if points := _selected(event):
        group = points[0]["customdata"][0]
        drill_down(m.articles_behind(a, t, split="provider", group=group, top_groups=share[m.GROUP].tolist()), t, group)
    by_period = m.volume(a, t, granularity=v.options.granularity, split="provider", top_n=v.options.top_n)
    _drill_period(v, by_period, chart(charts.volume_figure(by_period, colors=v.colors, measure=m.SHARE, title="Who drove coverage when"), "providers_time"), "provider")
    v.download(by_period, "outlets-by-period")


def topics_view(v: View) -> None:
    a, t = v.counted
    mix = m.topic_mix(a, t, granularity=v.options.granularity, top_n=v.options.top_n)
    figure = ic.add_annotation_lines(charts.topic_mix_figure(mix, colors=v.colors), v.ws.notes, topics=mix[m.GROUP].unique())
    _drill_period(v, mix, chart(figure, "topic_mix"), "topic")
    v.download(mix, "topic-mix")
    st.plotly_chart(charts.topic_heatmap_figure(mix), width="stretch", key="topic_heatmap")
    pairs = m.topic_cooccurrence(v.a, v.t, top_n=v.options.top_n)
    st.plotly_chart(charts.cooccurrence_figure(pairs), width="stretch", key="cooccurrence")
    v.download(pairs, "topic-cooccurrence")
    spread = cc.outlet_concentration(v.a, v.t, top_n=v.options.top_n)
    st.plotly_chart(ic.concentration_figure(spread), width="stretch", key="concentration")
    st.caption("Effective number of outlets = 1 / HHI (the sum of squared outlet shares): 1 means one outlet carries the topic alone.")
    v.download(spread, "outlet-concentration")


def quality_view(v: View) -> None:
    points, summary = m.quality_heat(v.a), m.quality_heat_summary(v.a)
    values = dict(zip(summary[m.METRIC], summary[m.VALUE]))
    cols = st.columns(3)
    rho = values["Spearman correlation"]
    cols[0].metric("Spearman correlation", "–" if pd.isna(rho) else f"{rho:.2f}")
    cols[1].metric("Articles with both scores", f"{values['Articles with both scores']:,.0f}")
    cols[2].metric("Without scores (not shown)", f"{values['Articles without both scores']:,.0f}")
    event = chart(charts.quality_heat_figure(points, unscored=int(values["Articles without both scores"])), "quality_heat")
    v.download(points, "quality-vs-heat")
    v.download(summary, "quality-vs-heat-summary")
    if chosen := _selected(event):
        ids = [p["customdata"][0] for p in chosen if p.get("customdata")]
        drill_down(v.a[v.a[s.DOC_ID].isin(ids)], v.t, "the selected points")


def stories_view(v: View) -> None:
    grouped = stories.stories(v.a, v.ws.story_map)
    multi = grouped[grouped[stories.SIZE] > 1]
    st.caption(f"{len(grouped):,} stories from {len(v.a):,} articles; {len(multi):,} ran in more than one article (same address, related links or near-identical titles within days).")
    table(grouped, column_config=_story_table_columns())
    v.download(grouped, "stories")
    followers = stories.story_followers(v.a, v.ws.story_map, story_ids=multi[stories.STORY_ID].head(10).tolist())
    if not followers.empty:
        labels = dict(zip(grouped[stories.STORY_ID], grouped[s.TITLE]))
        st.plotly_chart(ic.story_timeline_figure(followers, labels=labels, colors=v.colors, aligned=True), width="stretch", key="timeline")
        v.download(followers, "story-timeline")
    st.subheader("Who else covered this")
    st.caption("Outlets that keep appearing in the articles' related links but are not in this data.")
    known = set(v.ws.corpus.articles[s.PROVIDER_DOMAIN].dropna().astype(str))
    outside = stories.outside_outlets(v.a, v.ws.corpus.related, known_domains=known)
    table(outside)
    v.download(outside, "outside-outlets")


def articles_view(v: View) -> None:
    shown = m.top_stories(v.a, v.t, limit=ROWS_SHOWN)
    more = f"the first {len(shown):,} of " if len(v.a) > len(shown) else ""
    st.caption(f"Showing {more}{len(v.a):,} articles, hottest first (then by quality). The download has them all.")
    table(shown, column_config=_article_columns())
    v.download(lambda: m.top_stories(v.a, v.t, limit=None), "articles")


def changes_view(v: View) -> None:
    now, now_t, before, before_t, label = _change_periods(v)
    st.caption(f"Share of coverage in {label} against the period of equal length before it ({plural(len(before), 'article')} then, {len(now):,} now).")
    least = st.slider("Smallest count worth calling a trend", 1, 20, 3, key="min_count", bind=URL)
    for by, title in (("topic", "Topics"), ("provider", "Outlets")):
        frame = mv.movers(now, now_t, before, before_t, by=by, min_count=least)
        st.subheader(f"{title} that moved")
        table(frame, column_config={mv.SHARE: st.column_config.NumberColumn(format="percent"), mv.PREVIOUS_SHARE: st.column_config.NumberColumn(format="percent"), mv.CHANGE: st.column_config.NumberColumn("change (points)", format="percent")})
        if quiet := frame.loc[frame[mv.STATUS] == mv.QUIET, mv.GROUP].tolist():
            st.caption(f"Went quiet: {', '.join(quiet)}.")
        v.download(frame, f"{by}-movers")


def _change_periods(v: View) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, str]:
    """The articles of the window the Changes view looks at, those of the period before, and its label."""
    corpus = v.ws.corpus
    window, label = mv.movers_window(v.filters, corpus.articles)
    if window == v.filters:
        return v.a, v.t, *v.before, label
    now = filter_articles(corpus.articles, corpus.topics, window)
    before = filter_articles(corpus.articles, corpus.topics, previous_period(window, window.start, window.end))
    return now, topics_of(corpus.topics, now), before, topics_of(corpus.topics, before), label


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def compare_view(v: View) -> None:
    mode = st.radio("Compare", ["outlets", "period"], horizontal=True, key="cmp", bind=URL, format_func={"outlets": "chosen outlets against the rest", "period": "this period against the one before"}.get)
    articles = v.ws.corpus.articles
    if mode == "outlets":
        names = outlet_labels(articles)
        top = articles[s.PROVIDER_DOMAIN].astype(str).value_counts().index[0]
        chosen = st.multiselect("Outlets (A)", sorted(names, key=lambda d: names[d].lower()), default=[top], format_func=names.get, key="cmp_outlets", bind=URL)
        if not chosen:
            st.info("Choose at least one outlet to compare against the rest.")
            return
        pair = compare.outlets_vs_rest(articles, v.filters, chosen)
    else:
        dates = articles[s.PUBLISHED_AT].dropna()
        pair = compare.period_vs_previous(v.filters, dates.min().date(), dates.max().date())
    labels = (pair.label_a, pair.label_b)
    corpus_t = v.ws.corpus.topics
    volume = compare.compare_volume(articles, corpus_t, pair, granularity=v.options.granularity)
    st.plotly_chart(ic.compare_volume_figure(volume, labels=labels), width="stretch", key="cmp_volume")
    v.download(volume, "compare-volume")
    mix = compare.compare_topics(articles, corpus_t, pair, top_n=v.options.top_n)
    st.plotly_chart(ic.compare_topics_figure(mix, labels=labels), width="stretch", key="cmp_topics")
    v.download(mix, "compare-topics")
    quality = compare.compare_quality(articles, corpus_t, pair)
    table(quality.rename(columns={compare.VALUE_A: labels[0], compare.VALUE_B: labels[1]}))
    v.download(quality, "compare-quality")


def data_health(v: View) -> None:
    corpus, p = v.ws.corpus, v.ws.corpus.problems
    counts = [("Files seen", corpus.files_seen), ("Loaded", corpus.loaded), ("Skipped", corpus.skipped), ("Duplicates", corpus.duplicates), ("Ignored", corpus.ignored)]
    for col, (label, value) in zip(st.columns(5), counts):
        col.metric(label, f"{value:,}")
    if not v.ws.note_problems.empty:
        st.warning(f"{len(v.ws.note_problems)} editor's note(s) in the annotations file could not be used:")
        table(v.ws.note_problems)
    if p.empty:
        st.success("Every document loaded cleanly.")
        return
    p = p.sort_values(s.SEVERITY, key=lambda col: col.map(s.SEVERITIES.index), kind="stable")
    table(p.groupby(s.SEVERITY, sort=False).size().rename("problems").reset_index())
    table(p.groupby([s.PATH, s.SEVERITY], sort=False).size().rename("problems").reset_index())
    table(p)
    v.download(p, "problems")


VIEWS: dict[str, Callable[[View], None]] = {
    "Overview": overview, "Outlets": outlets, "Topics": topics_view, "Quality vs heat": quality_view,
    "Stories": stories_view, "Articles": articles_view, "Changes": changes_view, "Compare": compare_view,
}


def main() -> None:
    st.set_page_config(page_title="News Coverage Analytics", page_icon="📰", layout="wide")
    st.title("News Coverage Analytics")
    path = st.sidebar.text_input("Data folder", data_path_default(), key="data", bind=URL)
    uploads = st.sidebar.file_uploader("…or upload documents (.md, .txt, .zip)", type=["md", "markdown", "txt", "zip"], accept_multiple_files=True, key="uploads")
    if uploads:
        path = f"{len(uploads)} uploaded file{'s' if len(uploads) > 1 else ''}"
        ws = load_uploads(tuple((f.name, f.getvalue()) for f in uploads))
    elif not Path(path).exists():
        st.error(f"The folder {path!r} does not exist. Enter another folder or upload files in the sidebar.")
        return
    else:
        ws = load(path, folder_fingerprint(path))
    corpus = ws.corpus
    if corpus.articles.empty:
        st.warning(f"No articles were loaded from {path}. Below is what was found.")
        data_health(View(ws, Filters(), m.MetricOptions(), None, False, {}))
        return
    filters, options, split, count_stories = sidebar(ws)
    st.sidebar.download_button(
        "Download meeting report", lambda: report_html(corpus, filters, options, workspace=ws).encode("utf-8"),
        report_name(corpus, filters), "text/html", key="dl_report", on_click="ignore", type="primary",
    )
    names = corpus.articles[s.PROVIDER_NAME].astype(str).value_counts().index.tolist() + corpus.topics[s.TOPIC].astype(str).value_counts().index.tolist()
    v = View(ws, filters, options, split, count_stories, charts.color_map(names))
    active = filters.describe(outlet_names(corpus.articles))
    st.caption(f"{len(v.a):,} of {corpus.loaded:,} articles from {path}" + (" · " + "; ".join(active) if active else ""))
    tabs = st.tabs([*VIEWS, "Data health"])
    for tab, render in zip(tabs, VIEWS.values()):
        with tab:
            if v.a.empty:
                st.info(NO_MATCH)
            else:
                render(v)
    with tabs[-1]:
        data_health(v)


main()
