"""The meeting report: one self-contained HTML file (plotly.js embedded once) that opens offline.

Every text that comes from the documents goes through the template's autoescaping, so a
title such as `<script>…` shows as text; only our own chart markup is marked safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timezone

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analytics import schema as s
from analytics.frames.corpus import Corpus
from analytics.frames.workspace import Workspace, with_insights
from analytics.measure import compare as cmp
from analytics.measure import metrics as m
from analytics.measure import movers as mv
from analytics.measure import spikes as sp
from analytics.measure import terms as tm
from analytics.measure.filters import Filters, outlet_names, selected_period
from analytics.measure.selection import PREVIOUS as PREVIOUS_PERIOD
from analytics.measure.selection import YEAR_BEFORE, Selection
from analytics.present import charts
from analytics.present import insight_charts as ic
from analytics.present import report_insights as ri
from analytics.present.export import file_name
from analytics.present.report_format import (
    date_text,
    embed,
    label_periods,
    number,
    period_text,
    plural,
    trend,
    web_address,
)

PREVIOUS = "previous"
COMPARE_CHOICES = (PREVIOUS, "none")
_ENV = Environment(loader=PackageLoader("analytics.present", "templates"), autoescape=True, undefined=StrictUndefined)
_ENV.filters["counted"] = plural


def report_html(
    corpus: Corpus,
    filters: Filters = Filters(),
    options: m.MetricOptions = m.MetricOptions(),
    *,
    compare: str = PREVIOUS,
    compare_outlets: Sequence[str] = (),
    stories: int = 10,
    movers: int = 5,
    workspace: Workspace | None = None,
    count_stories: bool = False,
    selection: Selection | None = None,
    generated_at: datetime | None = None,
    term_matrix: tm.TermMatrix | None = None,
) -> str:
    """The meeting report for the filtered articles, compared with the previous calendar period unless compare="none".

    `compare_outlets` (domains) adds those outlets against the rest. Pass the dashboard's
    `selection` to report exactly what it shows (its frames are reused, not filtered again);
    otherwise one is made from the corpus, `filters` and `count_stories`, with stories and
    editors' notes from `workspace`, else from the corpus and its source folders. Terms come
    from `term_matrix` (the dashboard's, built once per load), else from a matrix built here.
    """
    if compare not in COMPARE_CHOICES:
        raise ValueError(f"unknown comparison {compare!r}; choose one of {COMPARE_CHOICES}")
    sel = selection or Selection(workspace or with_insights(corpus, corpus.sources), filters, count_stories)
    corpus, filters, ws = sel.ws.corpus, sel.filters, sel.ws
    options, finer = sel.drawn_options(options)
    a, t = sel.a, sel.t
    start, end = (sel.period.start, sel.period.end) if sel.period else (None, None)
    baseline = sel.baseline(PREVIOUS_PERIOD) if compare == PREVIOUS else None
    previous = cmp.Side("Previous period", baseline.articles, baseline.topics, baseline.period.start, baseline.period.end) if baseline else None
    before = previous.articles if previous else a.iloc[0:0]
    before_t = previous.topics if previous else t.iloc[0:0]
    counted, counted_t = sel.counted
    shown_notes = ri.notes_in_period(ws.notes, start, end, filters.topics)
    dated = len(a) > 0 and start is not None and end is not None
    found = ri.find_spikes(sel, options) if dated else ri.SpikeFindings({}, [])
    colors = charts.corpus_colors(corpus.articles, corpus.topics)
    selected = cmp.Side("This period", counted, counted_t, start, end)
    comparisons = _comparisons(corpus, filters, selected, previous if len(before) else None, compare_outlets) if dated else []
    stamp = generated_at or datetime.now(timezone.utc)
    context = {
        "title": f"Coverage report · {period_text(start, end)}",
        "period": period_text(start, end),
        "filters": replace(filters, start=None, end=None).describe(outlet_names(corpus.articles)),
        "baseline": f"the {baseline.name}, {period_text(baseline.period.start, baseline.period.end)}" if baseline else None,
        "year_before": _year_before(sel) if compare == PREVIOUS else None,
        "compared": len(before) > 0,
        "sources": corpus.sources,
        "generated": f"{stamp.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "selected": len(a),
        "loaded": corpus.loaded,
        "unit": sel.unit,
        "granularity": options.granularity,
        "finer": finer,
        "spike_options": ri.SPIKE_OPTIONS,
        "kpis": _kpis(m.kpis(counted, counted_t, before, before_t), sel.unit) if len(a) else [],
        "charts": _charts(counted, counted_t, options, colors, found, shown_notes, filters.topics, sel.unit) if len(a) else [],
        "spikes": found.rows,
        "spikes_not_shown": found.not_shown,
        "stories": ri.story_section(a, corpus, ws.story_map, colors, limit=stories) if len(a) else None,
        "articles": _articles(m.top_stories(a, t, limit=stories)),
        "events": [
            {"title": row[s.TITLE], "outlet": row[s.PROVIDER_NAME], "date": date_text(row[s.PUBLISHED_AT], "%Y-%m-%d"), "url": web_address(row[s.WEB_URL])}
            for _, row in sel.events.sort_values(s.PUBLISHED_AT).iterrows()
        ],
        "movers": _movers(counted, counted_t, before, before_t, movers) if len(before) else [],
        **_terms(term_matrix or tm.term_matrix(corpus.articles), a, before),
        "comparisons": [ri.comparison_section(side_a, side_b, name, options) for name, side_a, side_b in comparisons],
        "concentration": ri.concentration_rows(a, t, top_n=options.top_n),
        "notes": ri.note_rows(shown_notes),
        "health": _health(corpus, a, ws.note_problems),
        "plotly_js": Markup(get_plotlyjs()),
    }
    return _ENV.get_template("report.html").render(context)


def report_name(corpus: Corpus, filters: Filters, span: tuple[date | None, date | None] | None = None) -> str:
    """A file name for the report carrying its period, e.g. `report_2026-01-01_2026-03-31.html` (`span`: as `provenance_of`)."""
    return file_name("report", *selected_period(filters, corpus.articles, span), "html")


def _year_before(sel: Selection) -> str | None:
    """The same period last year for a reader, with its count or that it has none."""
    other = sel.baseline(YEAR_BEFORE)
    if other is None:
        return None
    dates = period_text(other.period.start, other.period.end)
    if other.empty:
        return f"the {other.name}, {dates}: no {sel.unit} then"
    change = (len(sel.counted[0]) - other.count) / other.count
    return f"the {other.name}, {dates}: {plural(other.count, sel.unit_one, sel.unit)} then ({change:+.0%} now)"


def _comparisons(
    corpus: Corpus, filters: Filters, selected: cmp.Side, previous: cmp.Side | None, outlets: Sequence[str]
) -> list[tuple[str, cmp.Side, cmp.Side]]:
    """The A vs B pairs asked for: this period against the one before, and the chosen outlets against the rest."""
    pairs = []
    # Articles before the selection mean dates were chosen, so `selected` holds no undated articles.
    if previous is not None:
        pairs.append(("previous", selected, previous))
    if outlets:
        pair = cmp.outlets_vs_rest(corpus.articles, replace(filters, start=selected.start, end=selected.end), outlets)
        pairs.append(("outlets", *cmp.sides(corpus.articles, corpus.topics, pair, (selected.start, selected.end))))
    return pairs


def _charts(
    a: pd.DataFrame, t: pd.DataFrame, o: m.MetricOptions, colors: dict[str, str],
    spikes: ri.SpikeFindings, notes: pd.DataFrame, topics: tuple[str, ...], unit: str = "articles",
) -> list[tuple[str, Markup]]:
    """The four core charts, as (anchor, embeddable markup without plotly.js); spikes and notes on the time charts."""
    points = m.quality_heat(a)
    mix = m.topic_mix(a, t, granularity=o.granularity, top_n=o.top_n)
    volume = charts.volume_figure(
        m.volume(a, t, granularity=o.granularity, rolling=o.rolling), colors=colors, title=f"{unit.capitalize()} per {o.granularity}", unit=unit,
    )
    topic_mix = charts.topic_mix_figure(mix, colors=colors)
    # Notes are already cut to the report's period: a note late in the last month is still drawn.
    ic.add_annotation_lines(ic.add_spike_markers(volume, _spikes_of(spikes, None)), notes, topics=topics or None, within_data=False)
    ic.add_annotation_lines(ic.add_spike_markers(topic_mix, _spikes_of(spikes, "topic")), notes, topics=mix[m.GROUP].unique(), within_data=False)
    figures = {
        "volume": volume,
        "outlets": charts.provider_share_figure(m.provider_share(a, top_n=o.top_n), colors=colors, unit=unit),
        "topic-mix": topic_mix,
        "quality-heat": charts.quality_heat_figure(points, unscored=len(a) - len(points)),
    }
    for name in ("volume", "topic-mix"):
        label_periods(figures[name], o.granularity)
    return [(name, embed(figure, name)) for name, figure in figures.items()]


def _spikes_of(found: ri.SpikeFindings, split: str | None) -> pd.DataFrame:
    return found.by_series.get(split, s.empty_frame(sp.SPIKE_DTYPES))


def _kpis(frame: pd.DataFrame, unit: str = "articles") -> list[dict]:
    return [
        {
            "label": unit.capitalize() if row[m.METRIC] == "Articles" else row[m.METRIC],
            "value": number(row[m.VALUE]),
            "previous": number(row[m.PREVIOUS]),
            "change": "–" if pd.isna(row[m.CHANGE]) else f"{row[m.CHANGE]:+.0%}",
            "trend": trend(row[m.CHANGE], 0.005),
        }
        for _, row in frame.iterrows()
    ]


def _articles(frame: pd.DataFrame) -> list[dict]:
    return [
        {
            "title": row[s.TITLE],
            "url": web_address(row[s.WEB_URL]),
            "outlet": row[s.PROVIDER_NAME],
            "date": date_text(row[s.PUBLISHED_AT], "%Y-%m-%d"),
            "topics": row[m.TOPICS_TEXT],
            "quality": number(row[s.QUALITY]),
            "heat": number(row[s.HEAT]),
        }
        for _, row in frame.iterrows()
    ]


def _movers(a: pd.DataFrame, t: pd.DataFrame, before: pd.DataFrame, before_t: pd.DataFrame, limit: int) -> list[dict]:
    """Outlets and topics whose share moved most, leaving out steady ones and those with too few articles."""
    tables = []
    for label, column, by in (("Outlets", "Outlet", "provider"), ("Topics", "Topic", "topic")):
        frame = mv.movers(a, t, before, before_t, by=by)
        frame = frame[~frame[mv.STATUS].isin([mv.TOO_FEW, mv.STEADY])].head(limit)
        rows = [
            {
                "group": row[mv.GROUP],
                "now": f"{row[mv.SHARE]:.1%} ({row[mv.COUNT]:,})",
                "before": f"{row[mv.PREVIOUS_SHARE]:.1%} ({row[mv.PREVIOUS_COUNT]:,})",
                "change": f"{row[mv.CHANGE] * 100:+.1f} pts",
                "status": row[mv.STATUS],
                "trend": trend(row[mv.CHANGE], 0.0),
            }
            for _, row in frame.iterrows()
        ]
        tables.append({"label": label, "column": column, "rows": rows})
    return tables


REPORT_TERMS = tm.TermOptions(top_n=15)


def _terms(matrix: tm.TermMatrix, a: pd.DataFrame, before: pd.DataFrame) -> dict:
    """The "What it was about" and "Rising terms" tables: terms distinctive against the rest, and against the period before."""
    about = tm.distinctive_terms(matrix, a, None, REPORT_TERMS) if len(a) else pd.DataFrame()
    rising = tm.distinctive_terms(matrix, a, before, REPORT_TERMS) if len(a) and len(before) else pd.DataFrame()
    return {"about_terms": about.to_dict("records"), "rising_terms": rising.to_dict("records")}


def _health(corpus: Corpus, a: pd.DataFrame, note_problems: pd.DataFrame) -> dict:
    p = corpus.problems
    warnings = p[p[s.SEVERITY] == s.WARNING]
    errors = p[p[s.SEVERITY] == s.ERROR].drop_duplicates(s.PATH)
    return {
        "files_seen": corpus.files_seen,
        "loaded": corpus.loaded,
        "skipped": corpus.skipped,
        "duplicates": corpus.duplicates,
        "ignored": corpus.ignored,
        "warnings": len(warnings),
        "warning_files": warnings[s.PATH].nunique(),
        "undated": int(a[s.PUBLISHED_AT].isna().sum()),
        "skipped_files": [{"path": row[s.PATH], "message": row[s.MESSAGE]} for _, row in errors.head(5).iterrows()],
        # Bad rows in the editors' notes files are reported like bad documents.
        "note_problems": [
            {"path": row[s.PATH], "line": None if pd.isna(row[s.LINE]) else int(row[s.LINE]), "severity": row[s.SEVERITY], "message": row[s.MESSAGE]}
            for _, row in note_problems.iterrows()
        ],
    }
