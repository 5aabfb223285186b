"""How counts, numbers, dates, periods, links and charts are written for a reader.

Shared by the meeting report's sections, the charts' hover texts, the dashboard's captions and
the command line, so one count or date reads the same everywhere.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

CHART_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def embed(figure: go.Figure, name: str) -> Markup:
    """The figure as embeddable markup (a div with id `chart-NAME`), without plotly.js."""
    height = figure.layout.height or 420
    markup = inert_labels(figure).to_html(
        full_html=False, include_plotlyjs=False, config=CHART_CONFIG, div_id=f"chart-{name}",
        default_width="100%", default_height=f"{height}px",
    )
    return Markup(markup)  # plotly escapes the figure's JSON (`<`, `>`, `/`) inside its script


# Trace fields whose text plotly draws, reading `<a href>`, `<b>` and the like in it as markup.
_LABEL_FIELDS = ("x", "y", "text", "labels", "name", "hovertext")


def inert_labels(figure: go.Figure) -> go.Figure:
    """The figure with every `<` in its trace labels escaped, so names from documents stay text.

    Outlet and topic names become legend entries and axis categories; plotly would draw an
    `<a href=…>` written in one as a live link. `&lt;` shows as `<`, and a label escaped
    already holds no `<`, so this can run twice. Selections still carry the raw names in `customdata`.
    """
    for trace in figure.data:
        for key in _LABEL_FIELDS:
            value = trace[key] if key in trace else None
            if isinstance(value, str):
                if "<" in value:
                    trace[key] = value.replace("<", "&lt;")
            elif isinstance(value, (tuple, list)) or (isinstance(value, np.ndarray) and value.dtype == object):
                if any(isinstance(item, str) and "<" in item for item in value):
                    trace[key] = [item.replace("<", "&lt;") if isinstance(item, str) else item for item in value]
    return figure


def label_periods(figure: go.Figure, granularity: str, *, most: int = 12) -> None:
    """Ticks on period starts, named like the period ("Dec 2019", "week of 2 Dec 2019", "2 Dec").

    At most `most` ticks (every second, third… period start when there are more). A single
    period is drawn as a labelled bar of a sensible width, not a full-width sliver of time.
    """
    starts = sorted({pd.Timestamp(x) for trace in figure.data if trace.type in ("bar", "heatmap") for x in (trace.x if trace.x is not None else ())})
    if not starts:
        return
    step = -(-len(starts) // most)
    ticks = starts[::step]
    figure.update_xaxes(tickmode="array", tickvals=ticks, ticktext=[tick_text(tick, granularity) for tick in ticks])
    if len(starts) == 1:
        span = pd.Timedelta(days={"month": 30, "week": 7}.get(granularity, 1))
        figure.update_traces(width=span.total_seconds() * 1000 * 0.6, selector={"type": "bar"})
        figure.update_xaxes(range=[starts[0] - span, starts[0] + span])


def tick_text(start: pd.Timestamp, granularity: str) -> str:
    """A period's tick label: "Dec 2019" for a month, "week of 2 Dec 2019", "2 Dec" for a day."""
    if granularity == "day":
        return f"{start.day} {start:%b}"
    return period_start_text(start, granularity)


def period_text(start: date | None, end: date | None) -> str:
    """A date range for a reader, e.g. "1 Jan 2026 – 31 Mar 2026"."""
    if not (start or end):
        return "no dated articles"
    if start and end and start == end:
        return day_text(start)
    return f"{day_text(start) if start else '…'} – {day_text(end) if end else '…'}"


def day_text(day: date) -> str:
    """A day for a reader, e.g. "1 Mar 2026"."""
    return f"{day.day} {day:%b %Y}"


def period_start_text(start: pd.Timestamp, granularity: str) -> str:
    """A chart period named like the period: "Mar 2026", "week of 16 Mar 2026" or "16 Mar 2026"."""
    if granularity == "month":
        return f"{start:%b %Y}"
    return ("week of " if granularity == "week" else "") + day_text(start)


def date_text(when: object, pattern: str) -> str:
    """A date or time in the given strftime pattern ("%b %Y" gives "Mar 2026"), "–" when missing."""
    return "–" if pd.isna(when) else f"{when:{pattern}}"


def time_text(when: object) -> str:
    """A UTC time for a reader, e.g. "29 Jan 2026 18:58" ("–" when unknown)."""
    return "–" if pd.isna(when) else f"{day_text(when)} {when:%H:%M}"


def lag_text(hours: object) -> str:
    """How long after the first article: "+35 min", "+5 h", "+3 d"."""
    if pd.isna(hours):
        return "undated"
    if hours < 1:
        return f"+{hours * 60:.0f} min"
    return f"+{hours:.0f} h" if hours < 48 else f"+{hours / 24:.0f} d"


def plural(count: int, one: str, many: str | None = None) -> str:
    """A count with its noun: "1 article", "1,200 articles" (or the given plural, "3 stories")."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def number(value: object) -> str:
    """A count or score: "1,234", "56.5", or "–" when missing."""
    if pd.isna(value):
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def signed(value: object, digits: int = 0) -> str:
    """A difference with its sign: "+12", "−3", "0" ("–" when missing)."""
    if pd.isna(value):
        return "–"
    text = f"{abs(value):,.{digits}f}"
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def trend(change: object, tolerance: float) -> str:
    """The CSS class of a change: "up", "down" or "flat"."""
    if pd.isna(change) or abs(change) <= tolerance:
        return "flat"
    return "up" if change > 0 else "down"


def web_address(url: object) -> str | None:
    """The address when it is an http(s) link, else None."""
    # Only http(s) links: a document's `javascript:` or `data:` address must not become a link.
    if isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url
    return None
