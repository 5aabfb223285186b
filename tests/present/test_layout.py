"""Each view's blocks: what the page shows, in which order, with which downloads and clicks."""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analytics import schema as s
from analytics.frames.workspace import open_workspace
from analytics.measure import metrics as m
from analytics.measure import movers as mv
from analytics.measure.filters import Filters, without_events
from analytics.measure.selection import Selection
from analytics.present import layout as ly
from analytics.present import views as vw

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def ws():
    return open_workspace(SAMPLE)


def names(blocks: list[ly.Block]) -> list[str]:
    """Each block as one word: a panel's name, a text's style, or "cards"."""
    return [block.name if isinstance(block, ly.Panel) else block.style if isinstance(block, ly.Text) else "cards" for block in blocks]


def test_the_overview_shows_cards_the_clickable_volume_the_spikes_and_their_stories(ws):
    may = Filters(start=pd.Timestamp("2026-05-01").date(), end=pd.Timestamp("2026-05-31").date())
    sel = Selection(ws, without_events(may, ws.corpus.articles))  # the sample's conference in May is listed apart
    page = vw.overview_page(sel, m.MetricOptions(granularity="week"), None, {})
    blocks = ly.overview_blocks(page, count_stories=False)
    assert isinstance(blocks[0], ly.Cards) and blocks[0].cards == page.cards
    volume = next(block for block in blocks if isinstance(block, ly.Panel) and block.name == "volume")
    assert volume.clickable and volume.frame is page.view.volume and volume.figure is page.view.figure
    heading = next(i for i, block in enumerate(blocks) if isinstance(block, ly.Text) and block.style == ly.HEADING)
    assert blocks[heading].text == vw.spike_texts(len(page.view.spikes))[0] and blocks.index(volume) < heading
    bullets = [block.text for block in blocks if isinstance(block, ly.Text) and block.style == ly.BULLET]
    assert bullets == vw.spike_lines(page.view.spikes, page.view.granularity, "articles")
    assert len(page.events) and names(blocks)[-2:] == [ly.HEADING, "events"]
    assert blocks[-1].columns == vw.ARTICLE_TABLE and blocks[-2].text == "Events in this period"


def test_the_overview_of_a_period_with_spikes_lists_their_stories_as_a_table(ws):
    found = [
        vw.overview_page(Selection(ws, f), m.MetricOptions(granularity="week"), None, {})
        for f in (Filters(), Filters(start=pd.Timestamp("2025-01-01").date()))
    ]
    page = next(page for page in found if len(page.view.spike_stories))
    stories = next(block for block in ly.overview_blocks(page, False) if isinstance(block, ly.Panel) and block.name == "spike-stories")
    assert stories.figure is None and stories.columns == vw.SPIKE_TABLE and stories.download


def test_clean_data_health_ends_with_a_success_line_and_problems_are_listed_by_severity_and_file(ws):
    clean = replace(ws.corpus, problems=ws.corpus.problems.iloc[0:0])
    blocks = ly.health_blocks(clean, pd.DataFrame())
    assert names(blocks) == ["cards", ly.SUCCESS] and [label for label, _ in blocks[0].cards][:2] == ["Files seen", "Loaded"]
    notes = pd.DataFrame({s.PATH: ["annotations.csv"], s.MESSAGE: ["no date"]})
    blocks = ly.health_blocks(ws.corpus, notes)
    assert names(blocks) == ["cards", ly.WARNING, "notes", "by-severity", "by-file", "problems"]
    assert [block.download for block in blocks if isinstance(block, ly.Panel)] == [False, False, False, True]


def test_movers_come_with_their_heading_and_what_went_quiet(ws):
    view = vw.Changes("May 2026", 10, 8, {
        "topic": pd.DataFrame({mv.GROUP: ["AI", "Chips"], mv.STATUS: ["new", mv.QUIET]}),
        "provider": pd.DataFrame({mv.GROUP: ["Example"], mv.STATUS: ["up"]}),
    })
    blocks = ly.change_blocks(view)
    assert names(blocks) == [ly.CAPTION, ly.HEADING, "topic-movers", ly.CAPTION, ly.HEADING, "provider-movers"]
    assert blocks[3].text == "Went quiet: Chips." and blocks[2].columns == vw.MOVER_TABLE


def test_every_view_names_its_downloads_once(ws):
    sel = Selection(ws, Filters())
    views = [
        ly.overview_blocks(vw.overview_page(sel, m.MetricOptions(), None, {}), False),
        ly.quality_blocks(vw.quality_view(sel.a)),
        ly.story_blocks(vw.story_view(sel, {}), len(sel.a)),
        ly.change_blocks(vw.change_view(sel, min_count=2)),
        ly.health_blocks(ws.corpus, pd.DataFrame()),
        ly.panels(vw.topic_view(sel, m.MetricOptions(), {}), clickable=("topic-mix",)),
    ]
    for blocks in views:
        downloads = [block.name for block in blocks if isinstance(block, ly.Panel) and block.download]
        assert len(downloads) == len(set(downloads)) and all(isinstance(b, ly.Text | ly.Cards | ly.Panel) for b in blocks)
        assert all(isinstance(block.text, str) and block.style in ly.STYLES for block in blocks if isinstance(block, ly.Text))


def test_a_click_lists_the_articles_behind_it_under_a_lead_line(ws):
    sel = Selection(ws, Filters())
    options = m.MetricOptions(granularity="month")
    mix = vw.topic_view(sel, options, {})["topic-mix"][0]
    row = mix.iloc[0]
    blocks = ly.period_rows_blocks(sel, mix, {"x": row[m.PERIOD], "customdata": [row[m.GROUP]]}, granularity="month", split="topic")
    assert names(blocks) == [ly.LEAD, "behind"] and blocks[0].text.startswith(f"{int(row[m.COUNT]):,} article")
    share = vw.outlet_view(sel, options, {}, weighted=False)["outlet-share"][0]
    outlet = share[m.GROUP].iloc[0]
    blocks = ly.outlet_rows_blocks(sel, share, {"customdata": [outlet]})
    assert blocks[0].text.endswith(f"behind {outlet}") and set(blocks[1].frame[s.PROVIDER_NAME]) == {outlet}


def test_each_view_says_which_charts_take_clicks(ws):
    sel = Selection(ws, Filters())
    options = m.MetricOptions()
    clickable = {
        "outlets": [b.name for b in ly.outlet_blocks(vw.outlet_view(sel, options, {}, weighted=False)) if b.clickable],
        "topics": [b.name for b in ly.topic_blocks(vw.topic_view(sel, options, {})) if isinstance(b, ly.Panel) and b.clickable],
    }
    assert clickable == {"outlets": ["outlet-share", "outlets-by-period"], "topics": ["topic-mix"]}
    assert ly.topic_blocks(vw.topic_view(sel, options, {}))[-1] == ly.Text(vw.CONCENTRATION_NOTE)
