"""The dashboard shares one loaded workspace between every session: no view may change it."""

from pathlib import Path

import pandas as pd
import pytest

from analytics.frames.workspace import open_workspace
from analytics.measure import metrics as m
from analytics.measure.filters import Filters
from analytics.present import charts
from analytics.present import views as vw
from analytics.present.report import report_html

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
FILTERS = [Filters(), Filters(topics=("AI",), providers=("dailyledger.example",)), Filters(search="no article says this 1f3c9")]


def _frames(ws) -> dict[str, pd.DataFrame]:
    corpus = ws.corpus
    named = {name: getattr(corpus, name) for name in ("articles", "topics", "related", "images", "problems")}
    return named | {"story_map": ws.story_map, "notes": ws.notes, "note_problems": ws.note_problems}


def _every_view(ws, filters: Filters, count_stories: bool) -> None:
    """Build every view model, drill-down and the report the way the dashboard does."""
    sel = vw.Selection(ws, filters, count_stories)
    options, colors = m.MetricOptions(granularity="week", rolling=3), charts.corpus_colors(ws.corpus.articles, ws.corpus.topics)
    for split in (None, "provider", "topic", "category"):
        overview = vw.overview_view(sel, options, split, colors)
        if len(overview.volume):
            row = overview.volume.iloc[0]
            vw.drill_rows(sel, overview.volume, {"customdata": [row[m.GROUP]], "x": row[m.PERIOD]}, granularity="week", split=split)
    for weighted in (False, True):
        share = vw.outlet_view(sel, options, colors, weighted=weighted)["outlet-share"][0]
        if len(share):
            vw.outlet_rows(sel, share, {"customdata": [share[m.GROUP].iloc[0]]})
    vw.topic_view(sel, options, colors)
    quality = vw.quality_view(sel.a)
    vw.rows_of_points(sel.a, [{"customdata": [doc]} for doc in quality.points[m.s.DOC_ID].head(3)])
    vw.story_view(sel, colors)
    m.top_stories(sel.a, sel.t, limit=None)
    vw.change_view(sel, min_count=1)
    for mode, outlets in ((vw.OUTLETS_VS_REST, ["dailyledger.example"]), (vw.PERIOD_VS_PREVIOUS, [])):
        if pair := vw.comparison_for(sel, mode, outlets):
            vw.compare_view(sel, pair, options)
    vw.health_tables(ws.corpus)
    report_html(ws.corpus, filters, options, workspace=ws)


@pytest.mark.parametrize("count_stories", [False, True])
def test_no_view_changes_the_shared_workspace(count_stories):
    ws = open_workspace(SAMPLE)
    before = {name: (frame, frame.copy(deep=True)) for name, frame in _frames(ws).items()}
    for filters in FILTERS:
        _every_view(ws, filters, count_stories)
    after = _frames(ws)
    for name, (frame, copy) in before.items():
        assert after[name] is frame, f"{name} was replaced"
        pd.testing.assert_frame_equal(frame, copy, obj=name)
