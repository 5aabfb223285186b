"""The meeting report: one self-contained HTML file (plotly.js embedded once) that opens offline.

Every text that comes from the documents goes through the template's autoescaping, so a
title such as `<script>…` shows as text; only our own chart markup is marked safe.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analytics import charts
from analytics import metrics as m
from analytics import movers as mv
from analytics import schema as s
from analytics.corpus import Corpus
from analytics.export import file_name
from analytics.filters import Filters, filter_articles, outlet_names, previous_period, selected_period, topics_of

PREVIOUS = "previous"
COMPARE_CHOICES = (PREVIOUS, "none")
_CHART_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
_ENV = Environment(loader=PackageLoader("analytics", "templates"), autoescape=True, undefined=StrictUndefined)
_ENV.filters["counted"] = lambda n, noun: f"{n:,} {noun}{'' if n == 1 else 's'}"


def report_html(
    corpus: Corpus,
    filters: Filters = Filters(),
    options: m.MetricOptions = m.MetricOptions(),
    *,
    compare: str = PREVIOUS,
    stories: int = 10,
    movers: int = 5,
    generated_at: datetime | None = None,
) -> str:
    """The meeting report for the filtered articles, compared with the previous period unless compare="none"."""
    if compare not in COMPARE_CHOICES:
        raise ValueError(f"unknown comparison {compare!r}; choose one of {COMPARE_CHOICES}")
    a = filter_articles(corpus.articles, corpus.topics, filters)
    t = topics_of(corpus.topics, a)
    start, end = selected_period(filters, corpus.articles)
    baseline = previous_period(filters, start, end) if compare == PREVIOUS and start and end else None
    before = filter_articles(corpus.articles, corpus.topics, baseline) if baseline else a.iloc[0:0]
    before_t = topics_of(corpus.topics, before)
    stamp = generated_at or datetime.now(timezone.utc)
    context = {
        "title": f"Coverage report · {_period_text(start, end)}",
        "period": _period_text(start, end),
        "filters": replace(filters, start=None, end=None).describe(outlet_names(corpus.articles)),
        "baseline": _period_text(baseline.start, baseline.end) if baseline else None,
        "compared": len(before) > 0,
        "sources": corpus.sources,
        "generated": f"{stamp.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "selected": len(a),
        "loaded": corpus.loaded,
        "kpis": _kpis(m.kpis(a, t, before, before_t)) if len(a) else [],
        "charts": _charts(a, t, options, _colors(corpus)) if len(a) else [],
        "stories": _stories(m.top_stories(a, t, limit=stories)),
        "movers": _movers(a, t, before, before_t, movers) if len(before) else [],
        "health": _health(corpus, a),
        "plotly_js": Markup(get_plotlyjs()),
    }
    return _ENV.get_template("report.html").render(context)


def report_name(corpus: Corpus, filters: Filters) -> str:
    """A file name for the report carrying its period, e.g. `report_2026-01-01_2026-03-31.html`."""
    return file_name("report", *selected_period(filters, corpus.articles), "html")


def _charts(a: pd.DataFrame, t: pd.DataFrame, o: m.MetricOptions, colors: dict[str, str]) -> list[tuple[str, Markup]]:
    """The four core charts, as (anchor, embeddable markup without plotly.js)."""
    points = m.quality_heat(a)
    figures = {
        "volume": charts.volume_figure(
            m.volume(a, t, granularity=o.granularity, rolling=o.rolling), colors=colors, title=f"Articles per {o.granularity}"
        ),
        "outlets": charts.provider_share_figure(m.provider_share(a, top_n=o.top_n), colors=colors),
        "topic-mix": charts.topic_mix_figure(m.topic_mix(a, t, granularity=o.granularity, top_n=o.top_n), colors=colors),
        "quality-heat": charts.quality_heat_figure(points, unscored=len(a) - len(points)),
    }
    for name in ("volume", "topic-mix"):
        _label_periods(figures[name], o.granularity)
    return [(name, _embed(figure, name)) for name, figure in figures.items()]


def _label_periods(figure: go.Figure, granularity: str) -> None:
    """Ticks at period starts named like the period ("Mar 2026"), not plotly's fortnightly guesses."""
    figure.update_xaxes(tickformat={"month": "%b %Y", "week": "%d %b %Y", "day": "%d %b"}[granularity])
    starts = sorted({x for trace in figure.data for x in (trace.x if trace.x is not None else ())})
    if granularity == "month" and 0 < len(starts) <= 18:
        figure.update_xaxes(tickmode="array", tickvals=starts)


def _embed(figure: go.Figure, name: str) -> Markup:
    height = figure.layout.height or 420
    markup = figure.to_html(
        full_html=False, include_plotlyjs=False, config=_CHART_CONFIG, div_id=f"chart-{name}",
        default_width="100%", default_height=f"{height}px",
    )
    return Markup(markup)  # plotly escapes the figure's JSON (`<`, `>`, `/`) inside its script


def _kpis(frame: pd.DataFrame) -> list[dict]:
    return [
        {
            "label": row[m.METRIC],
            "value": _number(row[m.VALUE]),
            "previous": _number(row[m.PREVIOUS]),
            "change": "–" if pd.isna(row[m.CHANGE]) else f"{row[m.CHANGE]:+.0%}",
            "trend": _trend(row[m.CHANGE], 0.005),
        }
        for _, row in frame.iterrows()
    ]


def _stories(frame: pd.DataFrame) -> list[dict]:
    return [
        {
            "title": row[s.TITLE],
            "url": row[s.WEB_URL] if _is_web_address(row[s.WEB_URL]) else None,
            "outlet": row[s.PROVIDER_NAME],
            "date": "–" if pd.isna(row[s.PUBLISHED_AT]) else f"{row[s.PUBLISHED_AT]:%Y-%m-%d}",
            "topics": row[m.TOPICS_TEXT],
            "quality": _number(row[s.QUALITY]),
            "heat": _number(row[s.HEAT]),
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
                "trend": _trend(row[mv.CHANGE], 0.0),
            }
            for _, row in frame.iterrows()
        ]
        tables.append({"label": label, "column": column, "rows": rows})
    return tables


def _health(corpus: Corpus, a: pd.DataFrame) -> dict:
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
    }


def _colors(corpus: Corpus) -> dict[str, str]:
    """One colour per outlet and topic, from the whole corpus, as in the dashboard."""
    outlets = corpus.articles[s.PROVIDER_NAME].astype(str).value_counts().index.tolist()
    topics = corpus.topics[s.TOPIC].astype(str).value_counts().index.tolist()
    return charts.color_map(outlets + topics)


def _period_text(start: date | None, end: date | None) -> str:
    if not (start or end):
        return "no dated articles"
    if start and end and start == end:
        return _day(start)
    return f"{_day(start) if start else '…'} – {_day(end) if end else '…'}"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _number(value: object) -> str:
    if pd.isna(value):
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _trend(change: object, tolerance: float) -> str:
    if pd.isna(change) or abs(change) <= tolerance:
        return "flat"
    return "up" if change > 0 else "down"


def _is_web_address(url: object) -> bool:
    # Only http(s) links: a document's `javascript:` or `data:` address must not become a link.
    return isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https")
