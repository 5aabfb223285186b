"""Charts for the editorial insights: story timelines, spike markers, notes, concentration, A vs B.

Like `charts`, each builder draws exactly the frame it is given; the two `add_*` functions add
a layer (spike markers, editors' notes) to a time chart that `charts` already built.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import schema as s
from analytics.frames import stories as st
from analytics.measure import compare as cmp
from analytics.measure import concentration as cc
from analytics.measure import metrics as m
from analytics.measure import spikes as sp
from analytics.present.charts import LAYOUT, hover_text
from analytics.present.report_format import date_text
from analytics.read import annotations as an

SPIKE_COLOR = "#D62728"
NOTE_COLOR = "#6A3D9A"
MORE_COLOR = "#2CA02C"
LESS_COLOR = "#D62728"
_LABEL_CHARS = 70


def story_timeline_figure(
    followers: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    colors: dict[str, str] | None = None,
    aligned: bool = False,
) -> go.Figure:
    """One row per story: a point per article at its publication time, coloured by outlet.

    Takes `stories.story_followers`; the first article of each story is a star. `labels`
    maps story ids to the text on the axis (default: each story's first title). With
    `aligned`, x is hours after each story's first article, so follow-up speed compares.
    """
    rows = followers[followers[s.PUBLISHED_AT].notna()]
    order = list(dict.fromkeys(rows[st.STORY_ID].astype(str)))
    firsts = rows[rows[st.IS_FIRST]].set_index(st.STORY_ID)[s.TITLE].astype(str)
    labels = {story: (labels or {}).get(story, firsts.get(story, story)) for story in order}
    when = rows[st.LAG_HOURS].astype("float64") if aligned else rows[s.PUBLISHED_AT].dt.tz_convert(None)
    figure = go.Figure()
    spans = rows.assign(_when=when).groupby(st.STORY_ID, sort=False)["_when"].agg(["min", "max"])
    figure.add_scatter(
        x=[v for start, end in zip(spans["min"], spans["max"]) for v in (start, end, None)],
        y=[v for story in spans.index for v in (story, story, None)],
        mode="lines", line=dict(color="#CCCCCC", width=2), hoverinfo="skip", showlegend=False,
    )
    for outlet, group in rows.assign(_when=when).groupby(s.PROVIDER_NAME, sort=False):
        figure.add_scatter(
            x=group["_when"], y=group[st.STORY_ID].astype(str), mode="markers", name=str(outlet),
            marker=dict(size=11, color=(colors or {}).get(str(outlet)), symbol=np.where(group[st.IS_FIRST], "star", "circle"), line=dict(width=1, color="white")),
            customdata=list(zip(
                group[s.TITLE].map(hover_text), [hover_text(outlet)] * len(group), group[st.LAG_HOURS].fillna(0).round(1),
                group[s.PUBLISHED_AT].dt.strftime("%d %b %Y %H:%M"),
            )),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} · %{customdata[3]} UTC<br>%{customdata[2]} hours after the first<extra></extra>",
        )
    figure.update_yaxes(
        tickmode="array", tickvals=order, ticktext=[hover_text(_short(labels[story])) for story in order],
        categoryorder="array", categoryarray=order[::-1],
    )
    x_title = "Hours after the story's first article" if aligned else "Published (UTC)"
    figure.update_layout(title="How each story spread: first outlet (star) and followers", xaxis_title=x_title, **LAYOUT)
    figure.update_layout(height=max(320, 36 * len(order) + 140))
    return figure


def add_spike_markers(figure: go.Figure, spikes: pd.DataFrame, *, name: str = "Spike") -> go.Figure:
    """The figure with a marker above every period that holds a spike (from `spikes.spikes`).

    Markers sit on top of the stacked bars; the hover lists each spiking group with its count
    against its usual level. Returns the same figure.
    """
    if spikes.empty:
        return figure
    tops = _stack_tops(figure)
    by_period = spikes.sort_values(sp.SCORE, ascending=False).groupby(m.PERIOD, sort=True)
    x, y, text = [], [], []
    for period, rows in by_period:
        x.append(pd.Timestamp(period))
        y.append(tops.get(pd.Timestamp(period), float(rows[m.COUNT].max())))
        text.append("<br>".join(f"{hover_text(r.group)}: {r.count} articles, usually {r.baseline:.0f}" for r in rows.itertuples()))
    figure.add_scatter(
        x=x, y=y, mode="markers", name=name, text=text,
        marker=dict(symbol="triangle-down", size=14, color=SPIKE_COLOR, line=dict(width=1, color="white")),
        hovertemplate="<b>Spike</b> %{x|%d %b %Y}<br>%{text}<extra></extra>",
    )
    return figure


def add_annotation_lines(
    figure: go.Figure, notes: pd.DataFrame, *, topics: Collection[str] | None = None, within_data: bool = True
) -> go.Figure:
    """The figure with a dotted vertical line and a label for each editor's note (`annotations`).

    With `topics`, only notes without a topic or about one of them are drawn; with
    `within_data`, only notes inside the dates the figure already shows. Returns the same figure.
    """
    rows = notes[notes[an.DATE].notna()]
    if topics is not None:
        rows = rows[rows[an.TOPIC].isna() | rows[an.TOPIC].isin(list(topics))]
    dates = rows[an.DATE].dt.tz_convert(None)
    span = _x_span(figure) if within_data else None
    if span is not None:
        keep = (dates >= span[0]) & (dates <= span[1])
        rows, dates = rows[keep.to_numpy()], dates[keep]
    for when, label, topic in zip(dates, rows[an.LABEL], rows[an.TOPIC]):
        figure.add_shape(type="line", xref="x", yref="paper", x0=when, x1=when, y0=0, y1=1, line=dict(color=NOTE_COLOR, width=1, dash="dot"))
        about = "" if pd.isna(topic) else f" ({hover_text(topic)})"
        figure.add_annotation(
            x=when, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False, textangle=-30,
            text=hover_text(_short(str(label), 30)), font=dict(size=10, color=NOTE_COLOR),
            hovertext=f"{when:%d %b %Y}: {hover_text(label)}{about}",
        )
    return figure


def concentration_figure(frame: pd.DataFrame) -> go.Figure:
    """Effective number of outlets per topic (from `concentration.outlet_concentration`), biggest topic on top."""
    rows = frame.iloc[::-1]
    figure = go.Figure(
        go.Bar(
            x=rows[cc.EFFECTIVE_OUTLETS], y=rows[s.TOPIC].astype(str), orientation="h", marker_color="#4C78A8",
            text=[f"{hover_text(top)} {share:.0%}" for top, share in zip(rows[cc.TOP_OUTLET], rows[cc.TOP_SHARE])], textposition="auto",
            customdata=list(zip(rows[cc.ARTICLES], rows[cc.OUTLETS], rows[cc.HHI], rows[cc.TOP_OUTLET].map(hover_text), rows[cc.TOP_SHARE])),
            hovertemplate=(
                "<b>%{y}</b><br>%{customdata[0]} articles from %{customdata[1]} outlets<br>"
                "as if %{x:.1f} outlets shared it equally (HHI %{customdata[2]:.2f})<br>"
                "largest: %{customdata[3]}, %{customdata[4]:.0%}<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        title="How many outlets carry each topic<br><sup>effective number of outlets; low means one or two outlets dominate</sup>",
        xaxis_title="Effective number of outlets (1 / HHI)", yaxis_title="Topic", **LAYOUT,
    )
    figure.update_layout(height=max(320, 32 * len(frame) + 140))
    return figure


def compare_volume_figure(frame: pd.DataFrame, *, labels: tuple[str, str] = ("A", "B")) -> go.Figure:
    """A's and B's articles per period side by side, and A − B below (from `compare.compare_volume`)."""
    same_dates = frame[cmp.PERIOD_A].equals(frame[cmp.PERIOD_B])
    x = frame[cmp.PERIOD_A] if same_dates else frame[cmp.STEP] + 1
    hover = [(date_text(a, "%d %b %Y"), date_text(b, "%d %b %Y")) for a, b in zip(frame[cmp.PERIOD_A], frame[cmp.PERIOD_B])]
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3], vertical_spacing=0.06)
    for count, label, index in ((cmp.COUNT_A, labels[0], 0), (cmp.COUNT_B, labels[1], 1)):
        figure.add_bar(
            x=x, y=frame[count], name=hover_text(label), customdata=[h[index] for h in hover], row=1, col=1,
            hovertemplate=f"{hover_text(label)}<br>%{{customdata}}: %{{y}} articles<extra></extra>",
        )
    _add_difference(figure, x, frame[cmp.DIFFERENCE], f"{hover_text(labels[0])} − {hover_text(labels[1])}", row=2, col=1, format_=",d")
    figure.update_layout(title=f"{hover_text(labels[0])} vs {hover_text(labels[1])}: articles per period", barmode="group", **LAYOUT)
    figure.update_xaxes(title_text="Period start (UTC)" if same_dates else "Period (1 = the first of each side)", row=2, col=1)
    figure.update_yaxes(title_text="Articles", row=1, col=1)
    figure.update_yaxes(title_text="Difference", row=2, col=1)
    return figure


def compare_topics_figure(frame: pd.DataFrame, *, labels: tuple[str, str] = ("A", "B")) -> go.Figure:
    """Each topic's share in A and in B, and the difference in points (from `compare.compare_topics`)."""
    rows = frame.iloc[::-1]
    topics = rows[s.TOPIC].astype(str)
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.6, 0.4], horizontal_spacing=0.04)
    for share, count, label in ((cmp.SHARE_A, cmp.COUNT_A, labels[0]), (cmp.SHARE_B, cmp.COUNT_B, labels[1])):
        figure.add_bar(
            x=rows[share], y=topics, orientation="h", name=hover_text(label), customdata=rows[count], row=1, col=1,
            hovertemplate=f"{hover_text(label)}<br>%{{y}}: %{{x:.1%}} of topic mentions (%{{customdata}})<extra></extra>",
        )
    _add_difference(figure, rows[cmp.DIFFERENCE] * 100, topics, f"{hover_text(labels[0])} − {hover_text(labels[1])} (points)", row=1, col=2, format_=".1f", horizontal=True)
    figure.update_layout(title=f"{hover_text(labels[0])} vs {hover_text(labels[1])}: topic mix", barmode="group", **LAYOUT)
    figure.update_layout(height=max(320, 34 * len(frame) + 140))
    figure.update_xaxes(title_text="Share of topic mentions", tickformat=".0%", row=1, col=1)
    figure.update_xaxes(title_text="Difference (points)", row=1, col=2)
    return figure


def _add_difference(figure: go.Figure, x, y, name: str, *, row: int, col: int, format_: str, horizontal: bool = False) -> None:
    values = pd.Series(np.asarray(x if horizontal else y, dtype="float64"))
    colors = np.where(values.fillna(0) >= 0, MORE_COLOR, LESS_COLOR).tolist()
    value = "x" if horizontal else "y"
    figure.add_bar(
        x=x, y=y, orientation="h" if horizontal else "v", name=name, marker_color=colors, row=row, col=col,
        hovertemplate=f"{name}<br>%{{{value}:{format_}}}<extra></extra>",
    )


def _stack_tops(figure: go.Figure) -> dict[pd.Timestamp, float]:
    """The height of the stacked bars at each x of a time chart."""
    tops: dict[pd.Timestamp, float] = {}
    for trace in figure.data:
        if trace.type != "bar" or trace.x is None or trace.y is None:
            continue
        for x, y in zip(trace.x, trace.y):
            if y is not None and not pd.isna(y):
                tops[pd.Timestamp(x)] = tops.get(pd.Timestamp(x), 0.0) + float(y)
    return tops


def _x_span(figure: go.Figure) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last date the figure's traces show (None when it has no dates)."""
    try:
        values = [pd.Timestamp(x) for trace in figure.data if trace.x is not None for x in trace.x if x is not None and not pd.isna(x)]
    except (TypeError, ValueError):  # not a time axis
        return None
    return (min(values), max(values)) if values else None


def _short(text: str, limit: int = _LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

