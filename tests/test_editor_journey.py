"""The editor's monthly review, end to end in headless Chromium, on the sample data and the real documents.

Pick last complete month from the date presets, read the KPIs and the periods they are compared
with, the volume chart's tick labels and the spikes (the same as in the downloaded meeting
report), switch to counting stories, and open links with values that do not apply.
"""

from __future__ import annotations

import os
import re
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REAL_CORPUS
from dashboard_server import CHROMIUM, CHROMIUM_ARGS, running_dashboard

from analytics.frames.workspace import open_workspace
from analytics.measure import metrics as m
from analytics.measure import periods as pr
from analytics.measure.selection import PREVIOUS, Selection
from analytics.present import controls as ct
from analytics.present import report_insights as ri
from analytics.present import views as vw

ROOT = Path(__file__).resolve().parents[1]
DATASET = "dataset built from sample_data"
DATA = [pytest.param(ROOT / "sample_data", id="sample_data"), pytest.param(DATASET, id="sample-dataset"), pytest.param(REAL_CORPUS, id="real-corpus")]
LAST_MONTH = ct.DATE_PRESETS["last-month"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module", params=DATA)
def data(request) -> Path:
    if request.param == DATASET:  # the same review on a dataset: the Overview from its rollups, views on windows of rows
        return request.getfixturevalue("sample_dataset")
    if not request.param.exists():
        pytest.skip(f"{request.param} is not present")
    return request.param


@pytest.fixture(scope="module")
def server(data):
    with running_dashboard(data) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def workspace(data):
    return open_workspace(data)


@pytest.fixture
def open_page(browser, server):
    contexts = []

    def opened(query: str = ""):
        context = browser.new_context(viewport={"width": 1500, "height": 1400}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/{query}")
        # Charts, a table (a view may have no chart), or the message that nothing matches.
        page.wait_for_function(
            "t => document.querySelector('.js-plotly-plot .main-svg, [data-testid=stMain] [data-testid=stDataFrame]') || document.body.innerText.includes(t)",
            arg=vw.NO_MATCH[:40], timeout=90_000,
        )
        return page

    yield opened
    for context in contexts:
        context.close()


def _last_month(workspace) -> Selection:
    """What "Last complete month" selects on this data, worked out by the library."""
    offer = ct.choices(workspace.corpus)
    chosen = ct.dates_chosen("last-month", (None, None), offer)
    return Selection(workspace, offer.filters((chosen.start, chosen.end)))


def _kpi(page, label: str) -> tuple[str, str]:
    """A KPI card's value and change text ("" when it shows no change)."""
    card = page.locator("[data-testid=stMetric]").filter(has=page.locator("[data-testid=stMetricLabel]", has_text=re.compile(f"^{label}$"))).first
    delta = card.locator("[data-testid=stMetricDelta]")
    return card.locator("[data-testid=stMetricValue]").inner_text(), delta.inner_text() if delta.count() else ""


def _wait_for_text(page, text: str, timeout: int = 60_000) -> None:
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=text, timeout=timeout)


def _choose_last_month(page) -> None:
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text="Dates").click()
    page.get_by_role("option", name=LAST_MONTH).click()
    _wait_for_text(page, f"{LAST_MONTH}: ")
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    time.sleep(1)


def _ticks(page) -> list[str]:
    """The volume chart's x tick labels, as drawn."""
    chart = page.locator(".js-plotly-plot").first
    return [text for text in chart.locator(".xtick text").all_text_contents() if text.strip()]


def _shots(data: Path, tmp_path: Path) -> Path:
    """Where to keep screenshots: the README's folder (`make screenshots`) for the sample data only."""
    wanted = os.environ.get("SCREENSHOT_DIR")
    return Path(wanted) if wanted and data.name == "sample_data" else tmp_path


def test_the_monthly_review(open_page, workspace, data, tmp_path):
    sel = _last_month(workspace)
    page = open_page()
    _choose_last_month(page)
    assert "when=" in page.url  # the preset is in the link

    # KPIs and the exact dates they are compared with.
    before = sel.baseline(PREVIOUS)
    value, change = _kpi(page, "Articles")
    assert value == f"{len(sel.a):,}"
    if before.empty:
        assert change == ""
        _wait_for_text(page, f"Compared with the {before.phrase()}: no articles in that period, so no change figures.")
    else:
        assert change.endswith(f"vs {before.period.label()}")
        _wait_for_text(page, f"Compared with the {before.phrase()}: {len(before.articles):,}")

    # A single month is drawn by week, ticks on Mondays named "week of …".
    view = vw.overview_view(sel, m.MetricOptions(), None, {})
    assert view.granularity == "week"
    _wait_for_text(page, "is a single month, so it is shown by week.")
    assert _ticks(page) == list(view.figure.layout.xaxis.ticktext)
    assert all(tick.startswith("week of ") for tick in _ticks(page))

    # The spikes listed are the ones the meeting report marks for the same view.
    spikes = vw.spike_lines(view.spikes, view.granularity, sel.unit)
    _wait_for_text(page, vw.spike_texts(len(view.spikes))[0])
    for line in spikes:
        _wait_for_text(page, line)
    page.screenshot(path=str(_shots(data, tmp_path) / "monthly-review.png"), full_page=True)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download meeting report").click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    section = html[html.index('<section id="spikes">'):html.index('<section id="stories">')]
    rows = re.findall(r'<td class="nowrap">([^<]+)</td>\s*<td><span class="kind">([^<]+)</span>', section)
    assert [period for period, kind in rows if kind == ri.SPIKE_SERIES[None]] == [line.split(" · ")[0] for line in spikes]
    assert f"{before.name}, {pr.Period(before.period.start, before.period.end).dates()}" in html

    # Count stories: every label says so.
    page.locator("[data-testid=stSidebar] button").filter(has_text=re.compile("^stories$")).click()
    _wait_for_text(page, "Stories per week")
    stories = Selection(sel.ws, sel.filters, count_stories=True)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMetricLabel]')].some(e => e.innerText.trim() === 'Stories')", timeout=60_000)
    assert _kpi(page, "Stories")[0] == f"{len(stories.counted[0]):,}"
    assert page.locator("[data-testid=stMetricLabel]", has_text=re.compile("^Articles$")).count() == 0
    assert page.locator(".js-plotly-plot .ytitle").first.text_content() == "Stories per period"
    _wait_for_text(page, f"{len(stories.counted[0]):,} stories in {len(sel.a):,} of ")
    assert "count=stories" in page.url
    page.screenshot(path=str(_shots(data, tmp_path) / "monthly-review-stories.png"), full_page=True)
    assert page.locator("[data-testid=stException]").count() == 0


def test_a_link_with_values_that_do_not_apply_says_what_is_shown(open_page, workspace):
    offer = ct.choices(workspace.corpus)
    page = open_page("?outlet=Nowhere%20Times&topic=Knitting&dates=2019-12-01&dates=2019-12-31&count=stories&period=week")
    _wait_for_text(page, "The link asks for outlet 'Nowhere Times', which is not in this data; every outlet is shown.")
    _wait_for_text(page, "The link asks for topic 'Knitting', which is not in this data; every topic is shown.")
    if not (offer.first_day <= date(2019, 12, 31) and offer.last_day >= date(2019, 12, 1)):
        _wait_for_text(page, "No articles between 1 Dec 2019 and 31 Dec 2019")
    assert "count=stories" in page.url and "period=week" in page.url  # the values that apply are kept


def test_typed_dates_beyond_the_data_are_kept_with_a_note(open_page, workspace):
    offer = ct.choices(workspace.corpus)
    start, end = offer.last_day.replace(day=1), offer.last_day + timedelta(days=2)
    query = f"?dates={start}&dates={end}"
    page = open_page(query)
    _wait_for_text(page, f"the data runs from {pr.Period(offer.first_day, offer.first_day).dates()} to {pr.Period(offer.last_day, offer.last_day).dates()}")
    assert f"dates={start}" in page.url and f"dates={end}" in page.url  # not silently removed


def test_reopening_a_link_lands_on_the_same_view(open_page):
    if 'key="view"' not in (ROOT / "dashboard.py").read_text(encoding="utf-8"):
        pytest.skip("the view switcher (a widget with key `view` bound to the URL, ?view=Stories) is not in this dashboard yet")
    page = open_page(f"?view=Stories&when={quote(LAST_MONTH)}")
    _wait_for_text(page, "Who else covered this")
    assert "view=Stories" in page.url


def test_typing_a_topic_and_enter_picks_that_topic_only(open_page, workspace):
    topic = ct.choices(workspace.corpus).topics[0]  # "AI" on the sample data
    page = open_page()
    page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text="Topics").locator("input").click()
    page.keyboard.type(topic)
    page.get_by_role("option", name=topic, exact=True).wait_for(timeout=30_000)
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('topic=')", timeout=60_000)
    time.sleep(1)
    assert page.url.split("?", 1)[1].count("topic=") == 1 and f"topic={quote(topic).replace('%20', '+')}" in page.url
