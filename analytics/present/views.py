"""View models: what each dashboard view shows, as frames and figures, for a thin front door.

A `Selection` (from `measure.selection`) holds the filtered articles once per rerun; each `*_view` function turns it into
the frames a view draws and the figures drawn from exactly those frames. Nothing here imports
streamlit, so every view can be tested (and reused) without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analytics import schema as s
from analytics.frames import stories
from analytics.frames.corpus import Corpus
from analytics.measure import compare, spikes
from analytics.measure import concentration as cc
from analytics.measure import metrics as m
from analytics.measure import movers as mv
from analytics.measure.filters import outlet_names, topics_of
from analytics.measure.periods import Period
from analytics.measure.selection import UNITS, Selection
from analytics.present import charts
from analytics.present import insight_charts as ic
from analytics.present.report_format import label_periods, period_start_text, plural

OUTLETS_VS_REST = "outlets"
PERIOD_VS_PREVIOUS = "period"
COMPARE_MODES = {OUTLETS_VS_REST: "chosen outlets against the rest", PERIOD_VS_PREVIOUS: "this period against the one before"}
NO_OUTLET = "Choose at least one outlet to compare against the rest."
NO_MATCH = "No articles match these filters. Widen the date range or clear some filters in the sidebar."
CONCENTRATION_NOTE = "Effective number of outlets = 1 / HHI (the sum of squared outlet shares): 1 means one outlet carries the topic alone."
OUTSIDE_NOTE = "Outlets that keep appearing in the articles' related links but are not in this data."
TIMELINE_STORIES = 10
# What the Quality view draws and lists behind its points: a dataset reads only these columns for it.
QUALITY_COLUMNS = [s.TITLE, s.PROVIDER_NAME, s.PUBLISHED_AT, s.QUALITY, s.HEAT, s.WEB_URL]

# How the dashboard's tables show their columns: hidden (None), a label, or (kind, label) with
# kind one of "wide" text, "when" (a UTC timestamp), "day", "score", "percent" (a share: 0.12 is 12%),
# "points" (a difference of shares, already ×100: 12.6 is 12.6 points), "link".
WHEN = "YYYY-MM-DD HH:mm"
# How each kind of column in the table specs below is shown: a Streamlit column type and its settings.
COLUMN_KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "wide": ("TextColumn", {"width": "large"}),
    "when": ("DatetimeColumn", {"format": WHEN}),
    "day": ("DateColumn", {"format": "YYYY-MM-DD"}),
    "score": ("NumberColumn", {"format": "%.0f"}),
    "percent": ("NumberColumn", {"format": "percent"}),
    "points": ("NumberColumn", {"format": "%+.1f pts"}),
    "link": ("LinkColumn", {"display_text": "open"}),
}
ARTICLE_TABLE: dict[str, object] = {
    s.DOC_ID: None, s.TITLE: ("wide", "Title"), s.PROVIDER_NAME: "Outlet", s.PUBLISHED_AT: ("when", "Published (UTC)"),
    m.TOPICS_TEXT: "Topics", s.QUALITY: ("score", "Quality"), s.HEAT: ("score", "Heat"), s.WEB_URL: ("link", "Link"),
}
STORY_TABLE: dict[str, object] = {
    stories.STORY_ID: None, s.TITLE: ("wide", "Story"), stories.SIZE: "Articles", spikes.ARTICLES: "Articles",
    stories.OUTLETS: "Outlets (in order)", stories.N_OUTLETS: "Outlets", stories.FIRST_OUTLET: "First outlet",
    stories.FIRST_PUBLISHED_AT: ("when", "First published (UTC)"), stories.LAST_PUBLISHED_AT: ("when", "Last published (UTC)"),
}
SPIKE_TABLE: dict[str, object] = STORY_TABLE | {m.PERIOD: ("day", "Period"), m.GROUP: "Group", spikes.RANK: "#"}
MOVER_TABLE: dict[str, object] = {
    mv.GROUP: "Name", mv.COUNT: "Now", mv.SHARE: ("percent", "Share now"), mv.PREVIOUS_COUNT: "Before",
    mv.PREVIOUS_SHARE: ("percent", "Share before"), mv.CHANGE: ("points", "Change (points)"), mv.STATUS: "Status",
}
# Names people read for the columns no table spec names; anything else is written out ("first_outlet" → "First outlet").
COLUMN_LABELS = {
    s.PROVIDER_DOMAIN: "Outlet domain", s.PROVIDER_NAME: "Outlet", stories.ARTICLES_CITING: "Articles citing it",
    stories.MENTIONS: "Mentions", stories.N_OUTLETS: "Outlets", s.PATH: "File", s.SEVERITY: "Severity", s.MESSAGE: "Problem",
    compare.DIFFERENCE: "Difference (A − B)", m.METRIC: "Measure", m.VALUE: "Value",
}


def column_settings(spec: dict[str, object]) -> dict[str, object]:
    """A table spec with each (kind, label) column made (column type, label, settings) by `COLUMN_KINDS`; labels and None kept."""
    return {name: (COLUMN_KINDS[how[0]][0], how[1], COLUMN_KINDS[how[0]][1]) if isinstance(how, tuple) else how for name, how in spec.items()}


def column_label(name: object) -> str:
    """A column's name for people: a known label, else the name written out."""
    text = str(name)
    return COLUMN_LABELS.get(text, text.replace("_", " ").capitalize() if text.islower() else text)


def data_span(corpus: Corpus) -> tuple:
    """The first and last publication dates in the corpus (None, None when nothing is dated)."""
    dates = corpus.articles[s.PUBLISHED_AT].dropna()
    return (dates.min().date(), dates.max().date()) if len(dates) else (None, None)


def kpi_cards(kpis: pd.DataFrame, sel: Selection | None = None) -> list[tuple[str, str, str | None]]:
    """Each headline number as (label, value text, change text or None); counts are named by what is counted.

    The change is against the previous calendar period, named in the text ("+12% vs Nov 2019");
    none when that period has no articles (`comparison_notes` says so).
    """
    before = sel.baseline() if sel else None
    return card_texts(kpis, sel.unit if sel else m.ARTICLES, before.period if before else None)


def card_texts(kpis: pd.DataFrame, unit: str, before: Period | None) -> list[tuple[str, str, str | None]]:
    """The `kpi_cards` of headline numbers counting `unit`, their change against the period `before`."""
    against = f"vs {before.label()}" if before else "vs previous period"
    return [
        (unit.capitalize() if row.metric == "Articles" else row.metric, "–" if pd.isna(row.value) else f"{row.value:,.0f}", None if pd.isna(row.change) else f"{row.change:+.0%} {against}")
        for row in kpis.itertuples()
    ]


def comparison_notes(sel: Selection) -> list[str]:
    """One line per comparison period: its name and exact dates, and its count with the change, or that it has none."""
    return comparison_lines(sel.count, [(b.phrase(), b.count) for b in sel.baselines], sel.unit_one, sel.unit)


def comparison_lines(now: int, compared: list[tuple[str, int]], unit_one: str, unit: str) -> list[str]:
    """The `comparison_notes` of `now` counted items against each (phrase naming a period, count then)."""
    lines = []
    for phrase, then in compared:
        if not then:
            lines.append(f"Compared with the {phrase}: no {unit} in that period, so no change figures.")
        else:
            lines.append(f"Compared with the {phrase}: {plural(then, unit_one, unit)} then, {now:,} now ({(now - then) / then:+.0%}).")
    return lines


def header_caption(sel: Selection, source: str) -> str:
    """How many articles the filters keep, from where, and which filters are on."""
    corpus = sel.ws.corpus
    return caption_text(len(sel.a), corpus.loaded, source, sel.filters.describe(outlet_names(corpus.articles)), len(sel.counted[0]) if sel.count_stories else None)


def caption_text(matched: int, loaded: int, source: str, active: list[str], stories: int | None = None) -> str:
    """The `header_caption` of `matched` articles (in `stories`, when counted) of `loaded`, with the active filters."""
    counted = f"{plural(stories, 'story', 'stories')} in " if stories is not None else ""
    return f"{counted}{matched:,} of {loaded:,} articles from {source}" + (" · " + "; ".join(active) if active else "")


def spike_texts(periods: int) -> tuple[str, str]:
    """The spikes section's heading and how a spike is found."""
    o = spikes.SpikeOptions()
    return (
        f"Spikes: {plural(periods, 'period')} well above the usual level",
        f"A period spikes when its count is more than {o.threshold:g} robust deviations above the median of the {o.window} periods before it, "
        f"looking back past the chosen dates over all the data these filters keep (and at least {o.min_count}). The meeting report finds the same spikes.",
    )


# Downloads whose numbers count stories when the view counts stories.
COUNTED_DOWNLOADS = frozenset({"volume", "outlet-share", "outlets-by-period", "topic-mix", "topics-over-time"})


def download_name(name: str, count_stories: bool) -> str:
    """A download's name, saying "stories" when its numbers count stories (e.g. `volume-stories`)."""
    return f"{name}-stories" if count_stories and name in COUNTED_DOWNLOADS else name


def spike_lines(found: pd.DataFrame, granularity: str, unit: str) -> list[str]:
    """Each spike for a reader: "week of 23 Mar 2026 · All articles: 16 articles (usually about 8)"."""
    return [
        f"{period_start_text(row[m.PERIOD], granularity)} · {row[m.GROUP]}: {row[m.COUNT]:,} {unit} (usually about {row[spikes.BASELINE]:,.0f})"
        for _, row in found.iterrows()
    ]


def events_in_period(sel: Selection) -> pd.DataFrame:
    """The events the filters leave out of the counts, as the articles table shows them."""
    return m.top_stories(sel.events, topics_of(sel.ws.corpus.topics, sel.events), limit=None) if len(sel.events) else pd.DataFrame()


def outlet_rows(sel: Selection, share: pd.DataFrame, point: dict) -> tuple[pd.DataFrame, str]:
    """The counted articles of the outlet behind a clicked outlet-share bar, and its name."""
    a, t = sel.counted
    group = point["customdata"][0]
    return m.articles_behind(a, t, split="provider", group=group, top_groups=share[m.GROUP].tolist()), group


def articles_caption(total: int, shown: int) -> str:
    more = f"the first {shown:,} of " if total > shown else ""
    return f"Showing {more}{total:,} articles, hottest first (then by quality). The download has them all."


def health_counts(corpus: Corpus, loaded: int | None = None) -> list[tuple[str, int]]:
    """What happened to the files, as (label, count); `loaded` when the corpus does not hold the articles (a dataset's)."""
    return [("Files seen", corpus.files_seen), ("Loaded", corpus.loaded if loaded is None else loaded), ("Skipped", corpus.skipped), ("Duplicates", corpus.duplicates), ("Ignored", corpus.ignored)]


def rows_of_points(articles: pd.DataFrame, points: list[dict]) -> pd.DataFrame:
    """The articles behind chart points that carry their doc_id first in `customdata`."""
    ids = [point["customdata"][0] for point in points if point.get("customdata")]
    return articles[articles[s.DOC_ID].isin(ids)]


def top_groups(frame: pd.DataFrame) -> list[str]:
    """The named groups of a volume-like frame (everything but Other), for drill-down."""
    return [group for group in frame[m.GROUP].unique() if group != m.OTHER]


@dataclass(frozen=True)
class Overview:
    kpis: pd.DataFrame
    volume: pd.DataFrame
    figure: go.Figure
    spikes: pd.DataFrame
    spike_stories: pd.DataFrame
    undated: int
    granularity: str = "month"  # the granularity drawn (finer than asked for a single period)
    finer_note: str | None = None

    def undated_note(self, count_stories: bool = False) -> str | None:
        """Why the chart may count fewer than the selection holds, if it does."""
        if not self.undated:
            return None
        return f"{plural(self.undated, *UNITS[count_stories])} without a publication date left out of this chart."


def overview_view(sel: Selection, o: m.MetricOptions, split: str | None, colors: dict[str, str]) -> Overview:
    """KPIs against the previous calendar period, volume with spikes and notes, and the stories behind the spikes.

    Spikes come from `Selection.spikes`, judged against the whole history as in the report.
    """
    a, t = sel.counted
    o, note = sel.drawn_options(o)
    granularity = o.granularity
    volume = m.volume(a, t, granularity=granularity, split=split, top_n=o.top_n, rolling=o.rolling)
    found = sel.spikes(granularity=granularity, split=split, top_groups=top_groups(volume), top_n=o.top_n)
    figure = charts.volume_figure(volume, colors=colors, title=f"{sel.unit.capitalize()} per {granularity}", unit=sel.unit)
    ic.add_annotation_lines(ic.add_spike_markers(figure, found), sel.ws.notes, topics=sel.filters.topics or None)
    label_periods(figure, granularity)
    behind = spikes.spike_stories(
        found, sel.a, sel.ws.story_map, sel.t, granularity=granularity, split=split, top_groups=top_groups(volume)
    ) if len(found) else pd.DataFrame()
    kpis = m.kpis(a, t, *sel.before)
    return Overview(kpis, volume, figure, found, behind, int(a[s.PUBLISHED_AT].isna().sum()), granularity, note)


@dataclass(frozen=True)
class OverviewPage:
    """The Overview as shown: the view, its KPI cards, the comparison lines and the events of the period."""

    view: Overview
    cards: list[tuple[str, str, str | None]]
    notes: list[str]
    events: pd.DataFrame


def overview_page(sel: Selection, o: m.MetricOptions, split: str | None, colors: dict[str, str]) -> OverviewPage:
    """The Overview of the selection's rows, with its cards, comparison lines and events."""
    view = overview_view(sel, o, split, colors)
    return OverviewPage(view, kpi_cards(view.kpis, sel), comparison_notes(sel), events_in_period(sel))


def outlet_view(sel: Selection, o: m.MetricOptions, colors: dict[str, str], *, weighted: bool) -> dict[str, tuple[pd.DataFrame, go.Figure]]:
    """Outlet share (optionally by summed heat) and who drove coverage when, keyed by download name."""
    a, t = sel.counted
    share = m.provider_share(a, top_n=o.top_n, weight="heat" if weighted else None)
    by_period = m.volume(a, t, granularity=o.granularity, split="provider", top_n=o.top_n)
    when = charts.volume_figure(by_period, colors=colors, measure=m.SHARE, title="Who drove coverage when", unit=sel.unit)
    label_periods(when, o.granularity)
    return {
        "outlet-share": (share, charts.provider_share_figure(share, colors=colors, weighted=weighted, unit=sel.unit)),
        "outlets-by-period": (by_period, when),
    }


def topic_view(sel: Selection, o: m.MetricOptions, colors: dict[str, str]) -> dict[str, tuple[pd.DataFrame, go.Figure]]:
    """Topic mix (with notes), topics over time, co-occurrence and outlet concentration, keyed by download name."""
    a, t = sel.counted
    mix = m.topic_mix(a, t, granularity=o.granularity, top_n=o.top_n)
    pairs = m.topic_cooccurrence(sel.a, sel.t, top_n=o.top_n)
    spread = cc.outlet_concentration(sel.a, sel.t, top_n=o.top_n)
    mix_figure = ic.add_annotation_lines(charts.topic_mix_figure(mix, colors=colors), sel.ws.notes, topics=mix[m.GROUP].unique())
    heatmap = charts.topic_heatmap_figure(mix)
    for figure in (mix_figure, heatmap):
        label_periods(figure, o.granularity)
    return {
        "topic-mix": (mix, mix_figure),
        "topics-over-time": (mix, heatmap),
        "topic-cooccurrence": (pairs, charts.cooccurrence_figure(pairs)),
        "outlet-concentration": (spread, ic.concentration_figure(spread)),
    }


@dataclass(frozen=True)
class Quality:
    points: pd.DataFrame
    summary: pd.DataFrame
    figure: go.Figure

    def value(self, metric: str) -> float:
        """One number of the summary by its label."""
        return float(self.summary.set_index(m.METRIC).loc[metric, m.VALUE])

    def cards(self) -> list[tuple[str, str]]:
        """The three headline numbers as (label, text)."""
        rho = self.value("Spearman correlation")
        return [
            ("Spearman correlation", "–" if pd.isna(rho) else f"{rho:.2f}"),
            ("Articles with both scores", f"{self.value('Articles with both scores'):,.0f}"),
            ("Without scores (not shown)", f"{self.value('Articles without both scores'):,.0f}"),
        ]


def quality_view(articles: pd.DataFrame) -> Quality:
    """Quality against heat of the articles (a selection's `a`): the points, the summary numbers and the scatter."""
    points, summary = m.quality_heat(articles), m.quality_heat_summary(articles)
    unscored = int(summary.set_index(m.METRIC).loc["Articles without both scores", m.VALUE])
    return Quality(points, summary, charts.quality_heat_figure(points, unscored=unscored))


@dataclass(frozen=True)
class Stories:
    stories: pd.DataFrame
    followers: pd.DataFrame
    timeline: go.Figure | None
    outside: pd.DataFrame

    @property
    def shared(self) -> int:
        """How many stories ran in more than one article."""
        return int((self.stories[stories.SIZE] > 1).sum())

    def caption(self, articles: int) -> str:
        return (
            f"{plural(len(self.stories), 'story', 'stories')} from {plural(articles, 'article')}; {self.shared:,} ran in more than "
            "one article (same address, related links or near-identical titles within days)."
        )


def story_view(sel: Selection, colors: dict[str, str]) -> Stories:
    """Stories largest first, how the biggest spread, and outlets cited but missing from the data."""
    grouped = stories.stories(sel.a, sel.ws.story_map)
    biggest = grouped.loc[grouped[stories.SIZE] > 1, stories.STORY_ID].head(TIMELINE_STORIES).tolist()
    followers = stories.story_followers(sel.a, sel.ws.story_map, story_ids=biggest)
    labels = dict(zip(grouped[stories.STORY_ID], grouped[s.TITLE]))
    timeline = ic.story_timeline_figure(followers, labels=labels, colors=colors, aligned=True) if len(followers) else None
    known = set(sel.ws.corpus.articles[s.PROVIDER_DOMAIN].dropna().astype(str))
    outside = stories.outside_outlets(sel.a, sel.ws.corpus.related, known_domains=known)
    return Stories(grouped, followers, timeline, outside)


@dataclass(frozen=True)
class Changes:
    label: str
    now: int
    before: int
    movers: dict[str, pd.DataFrame]
    against: str = "the period before"  # the comparison period, named with its dates
    unit: str = "articles"

    def caption(self) -> str:
        return f"Share of coverage in {self.label} against the {self.against} ({plural(self.before, self.unit[:-1] if self.unit == 'articles' else 'story', self.unit)} then, {self.now:,} now)."

    def sections(self) -> list[tuple[str, str, pd.DataFrame, str | None]]:
        """(kind, heading, movers, a note on the groups that went quiet) for topics and outlets."""
        return [
            (by, f"{'Topics' if by == 'topic' else 'Outlets'} that moved", frame, _quiet_note(frame))
            for by, frame in self.movers.items()
        ]


def _quiet_note(frame: pd.DataFrame) -> str | None:
    quiet = frame.loc[frame[mv.STATUS] == mv.QUIET, mv.GROUP].tolist()
    return f"Went quiet: {', '.join(quiet)}." if quiet else None


def change_view(sel: Selection, *, min_count: int) -> Changes:
    """Topic and outlet movers over the selected dates (or the last 30 days of data) against the calendar period before."""
    window, label = mv.movers_window(sel.filters, sel.ws.corpus.articles)
    if window == sel.filters:
        (now, now_t), baseline = sel.counted, sel.baseline()
        before, before_t = sel.before
        against = baseline.phrase() if baseline else "period before"
    else:
        other = Selection(sel.ws, window, sel.count_stories)
        (now, now_t), (before, before_t), baseline = other.counted, other.before, other.baseline()
        against = baseline.phrase() if baseline else "period before"
    # A change of shares is shown (and downloaded) in percentage points, not as a percentage.
    frames = {
        by: (frame := mv.movers(now, now_t, before, before_t, by=by, min_count=min_count)).assign(**{mv.CHANGE: frame[mv.CHANGE] * 100})
        for by in ("topic", "provider")
    }
    return Changes(label, len(now), len(before), frames, against, sel.unit)


def comparison_for(sel: Selection, mode: str, outlets: list[str]) -> compare.Comparison | None:
    """The two filter sets a comparison mode means (None when no outlet is chosen)."""
    if mode == OUTLETS_VS_REST:
        return compare.outlets_vs_rest(sel.ws.corpus.articles, sel.filters, outlets) if outlets else None
    return compare.period_vs_previous(sel.filters, *sel.span)


def compare_view(sel: Selection, pair: compare.Comparison, o: m.MetricOptions) -> dict[str, tuple[pd.DataFrame, go.Figure | None]]:
    """A against B for volume, topic mix and quality vs heat, with the differences, keyed by download name."""
    a, b = compare.sides(sel.ws.corpus.articles, sel.ws.corpus.topics, pair, sel.span)
    labels = (a.label, b.label)
    volume = compare.compare_volume(a, b, granularity=o.granularity)
    mix = compare.compare_topics(a, b, top_n=o.top_n)
    quality = compare.compare_quality(a, b).rename(columns={compare.VALUE_A: labels[0], compare.VALUE_B: labels[1]})
    return {
        "compare-volume": (volume, ic.compare_volume_figure(volume, labels=labels)),
        "compare-topics": (mix, ic.compare_topics_figure(mix, labels=labels)),
        "compare-quality": (quality, None),
    }


def health_tables(corpus: Corpus) -> dict[str, pd.DataFrame]:
    """The problems by severity, by file, and in full (errors first), keyed by name."""
    problems = corpus.problems.sort_values(s.SEVERITY, key=lambda col: col.map(s.SEVERITIES.index), kind="stable")
    return {
        "by-severity": problems.groupby(s.SEVERITY, sort=False).size().rename("problems").reset_index(),
        "by-file": problems.groupby([s.PATH, s.SEVERITY], sort=False).size().rename("problems").reset_index(),
        "problems": problems,
    }


def drill_rows(sel: Selection, frame: pd.DataFrame, point: dict, *, granularity: str, split: str | None) -> tuple[pd.DataFrame, str]:
    """The counted articles behind one selected bar of a period chart, and a phrase naming it."""
    a, t = sel.counted
    group, period = point["customdata"][0], pd.Timestamp(point["x"])
    rows = m.articles_behind(a, t, period=period, granularity=granularity, split=split, group=group, top_groups=top_groups(frame))
    return rows, f"{group}, {granularity} of {period:%d %b %Y}"
