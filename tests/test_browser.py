"""End to end: the dashboard served by Streamlit, driven in Debian's headless Chromium."""

from __future__ import annotations

import io
import os
import re
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from dashboard_server import CHROMIUM, CHROMIUM_ARGS, running_dashboard
from plotly.offline import get_plotlyjs

from analytics import load_corpus
from analytics.measure import metrics as m
from analytics.measure import terms as tm
from analytics.measure.filters import Filters, filter_articles, without_events

ROOT = Path(__file__).resolve().parents[1]
VIEWS = ["Overview", "Outlets", "Topics", "Quality vs heat", "Stories", "Articles", "Changes", "Compare", "Terms", "Data health"]
SWITCHER = "[role=radiogroup][aria-label=View]"
CHARTS_PER_VIEW = {"Overview": 1, "Outlets": 2, "Topics": 4, "Quality vs heat": 1, "Stories": 1, "Compare": 4, "Terms": 3}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it when run as root)"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def server():
    with running_dashboard(ROOT / "sample_data") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    yield page
    context.close()


def _screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def choose_view(page, view: str) -> None:
    """Click a view in the switcher and wait until its run is over (the app root says so)."""
    page.locator(f"{SWITCHER} [role=radio]").filter(has_text=re.compile(f"^{re.escape(view)}$")).click()
    wait_for_run(page)


def wait_for_run(page, timeout: int = 60_000) -> None:
    """Wait until Streamlit has finished the run a click started."""
    page.wait_for_timeout(100)  # the run starts a moment after the click
    page.wait_for_selector("[data-test-script-state=notRunning]", state="attached", timeout=timeout)


def active_view(page) -> str:
    return page.locator(f"{SWITCHER} [role=radio][aria-checked=true]").inner_text().strip()


def _kpi(page, label: str) -> str:
    metric = page.locator("[data-testid=stMetric]").filter(has_text=label).first
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def test_every_view_renders_its_charts(page, tmp_path):
    shots = _screenshot_dir(tmp_path)
    for view in VIEWS:
        choose_view(page, view)
        expected = CHARTS_PER_VIEW.get(view, 0)
        if expected:
            page.wait_for_function(
                "n => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg')).length >= n",
                arg=expected, timeout=30_000,
            )
        else:
            page.locator("[data-testid=stDataFrame]").first.wait_for(timeout=30_000)
        assert page.locator(".js-plotly-plot").count() == expected  # only this view's charts are sent
        assert active_view(page) == view
        assert f"view={view.replace(' ', '+')}" in page.url or (view == "Overview" and "view=" not in page.url)  # the default stays out
        time.sleep(0.5)
        page.screenshot(path=str(shots / f"{view.lower().replace(' ', '-')}.png"), full_page=True)
    assert page.locator("[data-testid=stException]").count() == 0


def test_clicking_a_term_lists_its_articles(page, tmp_path):
    page.set_viewport_size({"width": 1500, "height": 3000})  # the three charts and the articles in one picture
    page.goto(page.url.split("?")[0] + "?dates=2026-09-01&dates=2026-09-30")  # a month: there is a rest and a month before
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    choose_view(page, "Terms")
    chart = page.locator(".js-plotly-plot").first
    chart.locator(".main-svg").first.wait_for(timeout=30_000)
    chart.scroll_into_view_if_needed()
    box = chart.locator("g.point path").last.bounding_box()  # the bars are drawn bottom up: the last is the first term
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly's drag layer takes the click
    heading = page.get_by_text(re.compile(r"articles? behind “[^”]+”"))
    heading.wait_for(timeout=30_000)
    term = re.search(r"“([^”]+)”", heading.inner_text()).group(1)
    corpus = load_corpus(ROOT / "sample_data")
    september = filter_articles(corpus.articles, corpus.topics, Filters(start=date(2026, 9, 1), end=date(2026, 9, 30)))
    expected = tm.top_terms(tm.term_matrix(corpus.articles), september)[tm.TERM].iloc[0]
    assert term == expected
    assert page.locator("[data-testid=stException]").count() == 0
    time.sleep(0.5)
    page.screenshot(path=str(_screenshot_dir(tmp_path) / "terms.png"), full_page=True)
def test_a_view_switch_lands_on_a_url_that_reopens_the_view(page, browser):
    choose_view(page, "Stories")
    assert active_view(page) == "Stories"
    url = page.url
    assert "view=Stories" in url
    again = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    try:
        again.goto(url)
        again.wait_for_selector(f"{SWITCHER} [aria-checked=true]", timeout=90_000)
        wait_for_run(again)
        assert active_view(again) == "Stories"
        again.get_by_text("Who else covered this").wait_for(timeout=30_000)
    finally:
        again.context.close()


def test_a_filter_click_changes_the_view(page):
    before = _kpi(page, "Articles")
    page.locator("[data-testid=stSidebar] label").filter(has_text="yes").first.click()
    page.wait_for_function(
        "old => { const m = [...document.querySelectorAll('[data-testid=stMetric]')].find(e => e.innerText.includes('Articles')); return m && !m.innerText.includes(old); }",
        arg=before, timeout=30_000,
    )
    assert _kpi(page, "Articles") != before
    assert "published=yes" in page.url


def test_csv_download_holds_the_charted_rows(page):
    corpus = load_corpus(ROOT / "sample_data")
    articles = filter_articles(corpus.articles, corpus.topics, without_events(Filters(), corpus.articles))  # events are listed apart
    expected = m.volume(articles, corpus.topics, granularity="month", top_n=8)
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download volume (CSV)").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(frame) == len(expected)
    assert frame[m.COUNT].sum() == expected[m.COUNT].sum()


def test_upload_of_a_zip_loads_good_files_and_reports_escapes(page, tmp_path):
    import zipfile

    from conftest import article, document_text

    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("good.md", document_text(article(1, title="Uploaded story")))
        zf.writestr("../escape.md", document_text(article(2)))
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(archive))
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetric]')].some(e => e.innerText.includes('Articles') && e.innerText.trim().endsWith('1'))",
        timeout=60_000,
    )
    wait_for_run(page)
    choose_view(page, "Data health")
    # The grid draws on a canvas; its cells are mirrored in an accessible table.
    page.locator("[role=gridcell]", has_text="feed.zip/../escape.md").first.wait_for(state="attached", timeout=30_000)
    page.screenshot(path=str(_screenshot_dir(tmp_path) / "upload-data-health.png"), full_page=True)
    assert page.locator("[data-testid=stException]").count() == 0


def test_meeting_report_button_downloads_the_report(page):
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download meeting report").click()
    assert download.value.suggested_filename.startswith("report_") and download.value.suggested_filename.endswith(".html")
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<title>Coverage report" in html
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)=[\"']?https?://", html, re.IGNORECASE)
    assert html.count(get_plotlyjs()[:40]) == 1  # plotly.js embedded once, the report opens offline
