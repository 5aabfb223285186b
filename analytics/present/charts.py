"""Chart stage: one function per chart, a tidy metric frame in, a plotly figure out.

The figure is drawn from exactly the frame passed in, so the CSV a user downloads next to
a chart holds the numbers they see.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from analytics import schema as s
from analytics.measure import metrics as m
from analytics.measure.filters import names_by_count

_PALETTE = qualitative.Plotly + qualitative.D3 + qualitative.Safe + qualitative.Vivid
OTHER_COLOR = "#B0B0B0"
_QUADRANT_COLORS = {
    m.UNDER_PROMOTED: "#E45756",
    m.DESERVED: "#54A24B",
    m.OVER_EXPOSED: "#F58518",
    m.LOW_PRIORITY: "#9D9D9D",
}
LAYOUT = dict(template="plotly_white", margin=dict(l=10, r=10, t=60, b=10), legend_title_text="", hovermode="closest")


def color_map(keys: list[str]) -> dict[str, str]:
    """A fixed colour per key (outlet or topic), so one name has one colour in every chart.

    Build it once from the whole corpus (most frequent first), not from a filtered view.
    """
    colors = {key: _PALETTE[index % len(_PALETTE)] for index, key in enumerate(dict.fromkeys(keys))}
    colors[m.OTHER] = OTHER_COLOR
    colors[m.ALL_ARTICLES] = _PALETTE[0]
    return colors


def corpus_colors(articles: pd.DataFrame, topics: pd.DataFrame) -> dict[str, str]:
    """One colour per outlet and per topic of a whole corpus, most frequent first."""
    return color_map(names_by_count(articles[s.PROVIDER_NAME]) + names_by_count(topics[s.TOPIC]))


def volume_figure(
    frame: pd.DataFrame, *, colors: dict[str, str] | None = None, measure: str = m.COUNT, title: str = "Articles over time",
    unit: str = "articles",
) -> go.Figure:
    """Stacked bars of `count` (or `share`) per period and group, with the rolling mean as lines; `unit` names what is counted."""
    colors = colors or {}
    figure = go.Figure()
    for group, rows in frame.groupby(m.GROUP, sort=False):
        figure.add_bar(
            x=rows[m.PERIOD],
            y=rows[measure],
            name=str(group),
            marker_color=colors.get(str(group)),
            customdata=list(zip(rows[m.GROUP], rows[m.COUNT], rows[m.SHARE])),
            hovertemplate="%{x|%d %b %Y}<br>%{customdata[0]}<br>%{customdata[1]} " + unit + " (%{customdata[2]:.0%})<extra></extra>",
        )
    if m.ROLLING in frame and frame[m.ROLLING].notna().any() and measure == m.COUNT:
        for group, rows in frame.groupby(m.GROUP, sort=False):
            figure.add_scatter(
                x=rows[m.PERIOD], y=rows[m.ROLLING], mode="lines", name=f"{group} (rolling mean)",
                line=dict(color=colors.get(str(group), "#333"), width=2, dash="dot"), hoverinfo="skip",
            )
    y_title = f"{unit.capitalize()} per period" if measure == m.COUNT else "Share of the period (%)"
    figure.update_layout(title=title, barmode="stack", xaxis_title="Period start (UTC)", yaxis_title=y_title, **LAYOUT)
    if measure == m.SHARE:
        figure.update_yaxes(tickformat=".0%")
    return figure


def provider_share_figure(frame: pd.DataFrame, *, colors: dict[str, str] | None = None, weighted: bool = False, unit: str = "articles") -> go.Figure:
    """Horizontal bars of articles (or summed heat) per outlet, largest at the top."""
    colors = colors or {}
    measure = m.HEAT_SUM if weighted else m.ARTICLES
    rows = frame.iloc[::-1]
    figure = go.Figure(
        go.Bar(
            x=rows[measure],
            y=rows[m.GROUP],
            orientation="h",
            marker_color=[colors.get(str(g), OTHER_COLOR) for g in rows[m.GROUP]],
            text=[f"{share:.0%}" for share in rows[m.SHARE]],
            textposition="auto",
            customdata=list(zip(rows[m.GROUP], rows[m.ARTICLES], rows[m.HEAT_SUM], rows[m.SHARE])),
            hovertemplate="%{customdata[0]}<br>%{customdata[1]} " + unit + ", heat %{customdata[2]:,.0f}<br>%{customdata[3]:.1%} of the total<extra></extra>",
        )
    )
    x_title = "Summed heat" if weighted else unit.capitalize()
    figure.update_layout(title="Outlet share" + (" (weighted by heat)" if weighted else ""), xaxis_title=x_title, yaxis_title="Outlet", **LAYOUT)
    figure.update_layout(height=max(320, 40 * len(frame) + 120))
    return figure


def topic_mix_figure(frame: pd.DataFrame, *, colors: dict[str, str] | None = None) -> go.Figure:
    """Each topic's share of topic mentions per period as 100 % stacked bars."""
    figure = volume_figure(frame.assign(**{m.ROLLING: float("nan")}), colors=colors, measure=m.SHARE, title="Topic mix")
    figure.update_layout(yaxis_title="Share of topic mentions (%)")
    figure.add_annotation(
        text="An article with several topics counts once for each of them.",
        xref="paper", yref="paper", x=0, y=1.06, showarrow=False, font=dict(size=11, color="#555"),
    )
    return figure


def topic_heatmap_figure(frame: pd.DataFrame) -> go.Figure:
    """Topic × period heatmap of article counts (an article counts once per topic)."""
    table = frame.pivot_table(index=m.GROUP, columns=m.PERIOD, values=m.COUNT, aggfunc="sum", fill_value=0, sort=False)
    figure = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=list(table.columns),
            y=[str(i) for i in table.index],
            colorscale="Blues",
            colorbar_title="Articles",
            hovertemplate="%{y}<br>%{x|%b %Y}<br>%{z} articles<extra></extra>",
        )
    )
    figure.update_layout(title="Topics over time", xaxis_title="Period start (UTC)", yaxis_title="Topic", **LAYOUT)
    return figure


def cooccurrence_figure(frame: pd.DataFrame) -> go.Figure:
    """Topic × topic heatmap of how many articles carry both topics."""
    table = frame.pivot(index=m.TOPIC_A, columns=m.TOPIC_B, values=m.ARTICLES)
    order = list(dict.fromkeys(frame[m.TOPIC_A]))
    table = table.reindex(index=order, columns=order)
    figure = go.Figure(
        go.Heatmap(
            z=table.to_numpy(), x=order, y=order, colorscale="Purples", colorbar_title="Articles",
            hovertemplate="%{y} + %{x}<br>%{z} articles<extra></extra>",
        )
    )
    figure.update_layout(title="Topics that appear together", xaxis_title="Topic", yaxis_title="Topic", **LAYOUT)
    figure.update_yaxes(autorange="reversed")
    return figure


# Above this many articles quality vs heat is a density: a browser draws 600,000 points slowly,
# and their hover texts alone make a figure of tens of megabytes.
DENSITY_FROM = 5_000
SAMPLE_POINTS = 2_000  # drawn over the density, to hover and click
DENSITY_BINS = 60


def quality_heat_figure(points: pd.DataFrame, *, unscored: int = 0, density_from: int = DENSITY_FROM) -> go.Figure:
    """Quality against heat coloured by quadrant, with median lines and each quadrant's exact count.

    Up to `density_from` articles every one is a point; above, a density of all of them with a
    fixed sample of points on top (WebGL), so the figure stays a few hundred kilobytes.
    """
    figure = go.Figure()
    dense = len(points) > density_from
    if dense:
        figure.add_trace(_density(points))
    shown = points.sample(SAMPLE_POINTS, random_state=0).sort_index() if dense else points
    trace = go.Scattergl if dense or len(shown) > 1_000 else go.Scatter
    counts = points[m.QUADRANT].value_counts()
    for quadrant, color in _QUADRANT_COLORS.items():
        rows = shown[shown[m.QUADRANT] == quadrant]
        figure.add_trace(
            trace(
                x=rows[s.QUALITY],
                y=rows[s.HEAT],
                mode="markers",
                name=f"{quadrant} ({counts.get(quadrant, 0)})",
                marker=dict(color=color, size=5 if dense else 7, opacity=0.7),
                customdata=list(zip(rows[s.DOC_ID], rows[s.TITLE].map(hover_text), rows[s.PROVIDER_NAME].map(hover_text), rows[s.PUBLISHED_AT].dt.strftime("%Y-%m-%d"))),
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}<br>quality %{x}, heat %{y}<extra></extra>",
            )
        )
    if len(points):
        figure.add_vline(x=points[s.QUALITY].median(), line_dash="dash", line_color="#888")
        figure.add_hline(y=points[s.HEAT].median(), line_dash="dash", line_color="#888")
    note = f"{len(points)} articles with both scores; {unscored} without are not shown"
    if dense:
        note += f"; shading counts them all, the dots are a sample of {len(shown):,}"
    figure.update_layout(title=f"Quality vs heat<br><sup>{note}</sup>", xaxis_title="Quality score", yaxis_title="Heat score", **LAYOUT)
    return figure


def _density(points: pd.DataFrame) -> go.Heatmap:
    """How many articles fall in each cell of a grid over quality and heat (empty cells left blank)."""
    counts, x_edges, y_edges = np.histogram2d(points[s.QUALITY], points[s.HEAT], bins=DENSITY_BINS)
    counts = counts.T  # rows are heat
    # Shaded by the log of the count, so one crowded cell (articles scored 0) leaves the rest visible.
    return go.Heatmap(
        x=(x_edges[:-1] + x_edges[1:]) / 2, y=(y_edges[:-1] + y_edges[1:]) / 2, z=np.where(counts > 0, np.log10(counts + 1), np.nan),
        customdata=counts, colorscale="Blues", zmin=0, showscale=False, name="articles", hoverongaps=False,
        hovertemplate="quality ≈ %{x:.0f}, heat ≈ %{y:.0f}: %{customdata:,.0f} articles<extra></extra>",
    )


def hover_text(value: object) -> str:
    """Document text made safe for plotly's HTML-like labels: escaped, so it stays text."""
    return html.escape(str(value))
