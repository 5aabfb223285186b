import numpy as np
import pandas as pd
from inline_frames import articles_frame, topics_frame

from analytics import schema as s
from analytics.measure import metrics as m
from analytics.present import charts

A = articles_frame([
    {s.PUBLISHED_AT: "2026-03-02T10:00", s.PROVIDER_NAME: "Alpha", s.QUALITY: 10.0, s.HEAT: 1.0, s.TITLE: "<script>alert(1)</script>"},
    {s.PUBLISHED_AT: "2026-03-10T10:00", s.PROVIDER_NAME: "Beta", s.QUALITY: 20.0, s.HEAT: 50.0},
    {s.PUBLISHED_AT: "2026-03-11T10:00", s.PROVIDER_NAME: "Alpha"},
])
T = topics_frame([("d0", "AI"), ("d1", "AI"), ("d1", "Chips")])


def test_color_map_is_stable_and_other_is_grey():
    colors = charts.color_map(["Alpha", "Beta", "Alpha"])
    assert colors == charts.color_map(["Alpha", "Beta"])
    assert colors["Alpha"] != colors["Beta"] and colors[m.OTHER] == charts.OTHER_COLOR


def test_volume_figure_draws_exactly_its_frame():
    frame = m.volume(A, T, granularity="week", split="provider")
    colors = charts.color_map(["Beta", "Alpha"])
    figure = charts.volume_figure(frame, colors=colors)
    assert [trace.name for trace in figure.data] == ["Alpha", "Beta"]
    alpha = figure.data[0]
    assert list(alpha.y) == frame[frame[m.GROUP] == "Alpha"][m.COUNT].tolist()
    assert alpha.marker.color == colors["Alpha"]
    assert figure.layout.yaxis.title.text == "Articles per period"


def test_volume_figure_adds_rolling_lines():
    frame = m.volume(A, T, granularity="week", rolling=2)
    figure = charts.volume_figure(frame)
    assert [t.type for t in figure.data] == ["bar", "scatter"]


def test_provider_share_figure_largest_on_top():
    frame = m.provider_share(A)
    figure = charts.provider_share_figure(frame)
    assert list(figure.data[0].y) == ["Beta", "Alpha"] and list(figure.data[0].x) == [1, 2]
    assert list(figure.data[0].text) == ["33%", "67%"]


def test_topic_figures():
    mix = m.topic_mix(A, T, granularity="month")
    figure = charts.topic_mix_figure(mix)
    assert figure.layout.yaxis.tickformat == ".0%"
    assert "counts once for each" in figure.layout.annotations[0].text
    heat = charts.topic_heatmap_figure(mix)
    assert list(heat.data[0].y) == ["AI", "Chips"] and heat.data[0].z.tolist() == [[2], [1]]
    pairs = charts.cooccurrence_figure(m.topic_cooccurrence(A, T))
    assert pairs.data[0].z.tolist() == [[2, 1], [1, 1]]


def test_quality_heat_figure_escapes_document_text_in_hover():
    points = m.quality_heat(A)
    figure = charts.quality_heat_figure(points, unscored=1)
    hover_titles = [row[1] for trace in figure.data for row in (trace.customdata or [])]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hover_titles
    assert "<script>" not in str(figure.to_plotly_json()["data"])
    assert "1 without are not shown" in figure.layout.title.text
    assert sum(len(trace.x) for trace in figure.data) == 2


def _many_points(n: int) -> pd.DataFrame:
    """A quality-vs-heat frame of `n` scored articles, with long titles like real ones."""
    rng = np.random.default_rng(1)
    articles = pd.DataFrame({
        s.DOC_ID: [f"doc-{i}" for i in range(n)],
        s.TITLE: [f"A headline of the usual length about topic number {i} and what it means" for i in range(n)],
        s.PROVIDER_NAME: pd.Categorical(rng.choice(["Alpha", "Beta", "Gamma"], n)),
        s.PUBLISHED_AT: pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
        s.QUALITY: rng.uniform(0, 100, n).round(),
        s.HEAT: rng.uniform(0, 100, n).round(),
    })
    return m.quality_heat(articles)


def test_quality_heat_figure_stays_light_at_600k_articles_with_exact_quadrant_counts():
    points = _many_points(600_000)
    figure = charts.quality_heat_figure(points)
    assert len(figure.to_json()) < 2_000_000
    density = [trace for trace in figure.data if trace.type == "heatmap"]
    assert len(density) == 1 and np.sum(density[0].customdata) == len(points)  # the shading counts every article
    dots = [trace for trace in figure.data if trace.type == "scattergl"]
    assert sum(len(trace.x) for trace in dots) == charts.SAMPLE_POINTS
    exact = points[m.QUADRANT].value_counts()
    assert sorted(trace.name for trace in dots) == sorted(f"{q} ({exact[q]})" for q in exact.index)
    assert all(len(row) == 4 and str(row[0]).startswith("doc-") for trace in dots for row in trace.customdata)  # clickable


def test_quality_heat_figure_draws_every_point_below_the_density_threshold():
    points = _many_points(charts.DENSITY_FROM)
    figure = charts.quality_heat_figure(points)
    assert not any(trace.type == "heatmap" for trace in figure.data)
    assert sum(len(trace.x) for trace in figure.data) == charts.DENSITY_FROM
    assert {trace.type for trace in figure.data} == {"scattergl"}
