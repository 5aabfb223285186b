import numpy as np
import pandas as pd
import pytest
from inline_frames import articles_frame, topics_frame

from analytics import schema as s
from analytics.frames import stories as sto
from analytics.measure import compare as cmp
from analytics.measure import concentration as cc
from analytics.measure import metrics as m
from analytics.measure import spikes as sp
from analytics.present import charts
from analytics.present import insight_charts as ic
from analytics.read import annotations as an


def when(hours: float) -> pd.Timestamp:
    return pd.Timestamp("2026-03-02T08:00:00Z") + pd.Timedelta(hours=hours)


STORY = articles_frame([
    {s.DOC_ID: "lead", s.TITLE: "Chipmakers bet on <b>edge</b> devices", s.PROVIDER_NAME: "Wire", s.PUBLISHED_AT: when(0)},
    {s.DOC_ID: "f1", s.TITLE: "Chipmakers bet on <b>edge</b> devices", s.PROVIDER_NAME: "Ledger", s.PUBLISHED_AT: when(5)},
    {s.DOC_ID: "f2", s.TITLE: "Chipmakers bet on <b>edge</b> devices", s.PROVIDER_NAME: "Wire", s.PUBLISHED_AT: when(30)},
    {s.DOC_ID: "s2", s.TITLE: "Banks fund energy use study", s.PROVIDER_NAME: "Ledger", s.PUBLISHED_AT: when(100)},
    {s.DOC_ID: "s2b", s.TITLE: "Banks fund energy use study", s.PROVIDER_NAME: "Herald", s.PUBLISHED_AT: when(101)},
])
STORY_MAP = sto.story_ids(STORY, s.empty_frame(s.RELATED_DTYPES))


def test_story_timeline_has_a_point_per_article_by_outlet_and_a_row_per_story():
    followers = sto.story_followers(STORY, STORY_MAP)
    figure = ic.story_timeline_figure(followers, colors={"Wire": "#111111"})
    points = {trace.name: trace for trace in figure.data if trace.mode == "markers"}
    assert sorted(points) == ["Herald", "Ledger", "Wire"]
    assert list(points["Wire"].y) == ["lead", "lead"]
    assert list(points["Wire"].marker.symbol) == ["star", "circle"]
    assert points["Wire"].marker.color == "#111111"
    assert [c[2] for c in points["Wire"].customdata] == [0.0, 30.0]
    assert list(points["Ledger"].y) == ["lead", "s2"]
    assert list(figure.layout.yaxis.tickvals) == ["lead", "s2"]
    assert figure.layout.yaxis.ticktext[0] == "Chipmakers bet on &lt;b&gt;edge&lt;/b&gt; devices"  # escaped, stays text
    lines = figure.data[0]
    assert list(lines.y) == ["lead", "lead", None, "s2", "s2", None]
    assert lines.x[0] == pd.Timestamp("2026-03-02T08:00:00") and lines.x[1] == pd.Timestamp("2026-03-03T14:00:00")
    relabelled = ic.story_timeline_figure(followers, labels={"s2": "Banks"})
    assert list(relabelled.layout.yaxis.ticktext)[1] == "Banks"
    aligned = ic.story_timeline_figure(followers, aligned=True)
    assert [list(t.x) for t in aligned.data if t.name == "Wire"] == [[0.0, 30.0]]
    assert list(aligned.data[0].x) == [0.0, 30.0, None, 0.0, 1.0, None]


def test_spike_markers_sit_on_top_of_the_stacked_bars():
    frame = pd.DataFrame({
        m.PERIOD: pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-09", "2026-03-09"]).as_unit("us"),
        m.GROUP: ["AI", "Chips", "AI", "Chips"],
        m.COUNT: [3, 4, 10, 20],
        m.SHARE: [3 / 7, 4 / 7, 1 / 3, 2 / 3],
        m.ROLLING: np.nan,
    })
    spikes = pd.DataFrame({
        m.PERIOD: pd.to_datetime(["2026-03-09", "2026-03-09"]).as_unit("us"),
        m.GROUP: ["AI", "Chips<script>"],
        m.COUNT: [10, 20], sp.BASELINE: [2.0, 3.0], sp.THRESHOLD: [8.0, 9.0], sp.SCORE: [5.0, 9.0],
    })
    figure = ic.add_spike_markers(charts.volume_figure(frame), spikes)
    marker = figure.data[-1]
    assert marker.name == "Spike" and marker.mode == "markers"
    assert list(marker.x) == [pd.Timestamp("2026-03-09")] and list(marker.y) == [30.0]
    assert marker.text[0] == "Chips&lt;script&gt;: 20 articles, usually 3<br>AI: 10 articles, usually 2"
    unchanged = charts.volume_figure(frame)
    assert len(ic.add_spike_markers(unchanged, spikes.iloc[:0]).data) == len(charts.volume_figure(frame).data)


def test_notes_become_lines_and_labels_inside_the_data_range():
    frame = m.volume(STORY, granularity="day")
    notes = s.typed_frame(
        {
            an.DATE: [pd.Timestamp("2026-03-03", tz="UTC"), pd.Timestamp("2026-03-04", tz="UTC"), pd.Timestamp("2027-01-01", tz="UTC")],
            an.LABEL: ["Budget <i>week</i>", "Chips summit", "Far future"],
            an.TOPIC: [None, "Chips", None],
        },
        an.ANNOTATION_DTYPES,
    )
    figure = ic.add_annotation_lines(charts.volume_figure(frame), notes)
    assert [shape.x0 for shape in figure.layout.shapes] == [pd.Timestamp("2026-03-03"), pd.Timestamp("2026-03-04")]
    labels = [a.text for a in figure.layout.annotations]
    assert labels == ["Budget &lt;i&gt;week&lt;/i&gt;", "Chips summit"]
    only_ai = ic.add_annotation_lines(charts.volume_figure(frame), notes, topics=["AI"])
    assert [a.text for a in only_ai.layout.annotations] == ["Budget &lt;i&gt;week&lt;/i&gt;"]
    everything = ic.add_annotation_lines(charts.volume_figure(frame), notes, within_data=False)
    assert len(everything.layout.shapes) == 3


def test_concentration_figure_draws_its_frame():
    topics = topics_frame([("lead", "AI"), ("f1", "AI"), ("f2", "AI"), ("s2", "Chips")])
    frame = cc.outlet_concentration(STORY, topics)
    figure = ic.concentration_figure(frame)
    bars = figure.data[0]
    assert list(bars.y) == ["Chips", "AI"]  # biggest topic on top
    assert list(bars.x) == frame[cc.EFFECTIVE_OUTLETS].tolist()[::-1]
    assert bars.text[1] == "Wire 67%"


def test_compare_volume_figure_shows_both_sides_and_the_difference():
    frame = pd.DataFrame({
        cmp.STEP: [0, 1],
        cmp.PERIOD_A: pd.to_datetime(["2026-03-01", "2026-03-02"]).as_unit("us"),
        cmp.PERIOD_B: pd.to_datetime(["2026-02-01", "2026-02-02"]).as_unit("us"),
        cmp.COUNT_A: pd.array([5, 1], dtype="Int64"),
        cmp.COUNT_B: pd.array([2, 3], dtype="Int64"),
        cmp.DIFFERENCE: pd.array([3, -2], dtype="Int64"),
    })
    figure = ic.compare_volume_figure(frame, labels=("March", "February"))
    a, b, difference = figure.data
    assert (a.name, b.name) == ("March", "February")
    assert list(a.x) == [1, 2]  # different dates: aligned by step
    assert list(a.y) == [5, 1] and list(b.y) == [2, 3]
    assert list(difference.y) == [3, -2]
    assert list(difference.marker.color) == [ic.MORE_COLOR, ic.LESS_COLOR]
    assert difference.xaxis == "x2"
    same = ic.compare_volume_figure(frame.assign(**{cmp.PERIOD_B: frame[cmp.PERIOD_A]}))
    assert list(same.data[0].x) == list(frame[cmp.PERIOD_A])


def test_compare_topics_figure_shows_shares_and_points():
    frame = pd.DataFrame({
        s.TOPIC: ["AI", "Chips"], cmp.COUNT_A: [2, 1], cmp.COUNT_B: [1, 2],
        cmp.SHARE_A: [2 / 3, 1 / 3], cmp.SHARE_B: [1 / 3, 2 / 3], cmp.DIFFERENCE: [1 / 3, -1 / 3],
    })
    figure = ic.compare_topics_figure(frame, labels=("Us", "Them"))
    a, b, difference = figure.data
    assert list(a.y) == ["Chips", "AI"] and list(a.x) == [1 / 3, 2 / 3]
    assert b.name == "Them"
    assert list(difference.x) == pytest.approx([-100 / 3, 100 / 3])
    assert list(difference.marker.color) == [ic.LESS_COLOR, ic.MORE_COLOR]
