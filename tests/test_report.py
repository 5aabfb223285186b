import os
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from plotly.offline import get_plotlyjs

from analytics import load_corpus
from analytics.filters import Filters
from analytics.report import report_html, report_name

from conftest import article

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SECTIONS = ["summary", "charts", "stories", "movers", "data-health"]
CHARTS = ["chart-volume", "chart-outlets", "chart-topic-mix", "chart-quality-heat"]
HOSTILE_TITLE = "<script>alert('title')</script> & <b>bold</b>"
MARCH = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))


def _write_corpus(write) -> None:
    """February and March articles from two outlets, one hostile title, one broken file."""
    ledger = {"name": "Ledger", "domain": "ledger.test"}
    herald = {"name": "<img src=x onerror=alert(1)> Herald", "domain": "herald.test"}
    for day in range(1, 9):
        write(f"feb-{day}.md", article(day, publishedDateTime=f"2026-02-{day:02d}T09:00:00Z", webUrl=f"https://ledger.test/feb-{day}", provider=ledger, topics=["Chips"]))
    for day in range(1, 5):
        write(f"mar-{day}.md", article(day, webUrl=f"https://ledger.test/mar-{day}", provider=ledger, topics=["AI"]))
    for day in range(5, 11):
        write(f"her-{day}.md", article(day, webUrl=f"https://herald.test/{day}", provider=herald, topics=["AI", "Chips"]))
    write("hostile.md", article(11, title=HOSTILE_TITLE, heat=999, webUrl="javascript:alert('link')", provider=herald))
    write("broken.md", "---\ntitle: [\n---\n")


@pytest.fixture
def corpus(write, tmp_path):
    _write_corpus(write)
    return load_corpus(tmp_path)


@pytest.fixture
def page_html(corpus):
    return report_html(corpus, MARCH, generated_at=datetime(2026, 4, 1, 8, 0, tzinfo=timezone.utc))


def test_no_external_script_stylesheet_or_image_sources(page_html):
    markup = re.sub(r"<script>.*?</script>", "<script></script>", page_html, flags=re.S)  # attributes only
    assert not re.search(r"<(script|link|img|iframe|source|embed)\b[^>]*\b(src|href)\s*=", markup, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", markup, re.I)
    assert "cdn.plot.ly" not in markup and "fonts.googleapis" not in markup


def test_plotly_js_is_embedded_exactly_once(page_html):
    banner = get_plotlyjs()[:40]
    assert page_html.count(banner) == 1
    assert page_html.count("Plotly.newPlot(") == 4


def test_document_text_is_escaped(page_html):
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page_html
    assert "<script>alert(" not in page_html and "<b>bold" not in page_html
    assert "<img src=x" not in page_html and "&lt;img src=x onerror=alert(1)&gt; Herald" in page_html
    assert 'href="javascript:' not in page_html  # a non-web address is shown as text, not a link


def test_every_section_and_chart_is_present(page_html):
    for section in SECTIONS:
        assert f'<section id="{section}">' in page_html
    for chart in CHARTS:
        assert f'id="{chart}"' in page_html


def test_title_names_period_and_filters(corpus):
    page = report_html(corpus, Filters(start=date(2026, 3, 1), end=date(2026, 3, 31), topics=("Chips",)))
    assert "<title>Coverage report · 1 Mar 2026 – 31 Mar 2026</title>" in page
    assert "topics: Chips" in page and "29 Jan 2026 – 28 Feb 2026 (same filters)" in page  # 31 days before


def test_kpis_show_change_against_the_previous_period(page_html):
    # March: 4 + 6 + 1 = 11 articles; February: 8.
    assert re.search(r'<div class="label">Articles</div>\s*<div class="value">11</div>\s*<div class="change up">\+38% <span class="muted">vs 8</span>', page_html)
    assert re.search(r'<div class="label">Outlets</div>\s*<div class="value">2</div>\s*<div class="change up">\+100% <span class="muted">vs 1</span>', page_html)


def test_top_stories_link_to_their_articles_hottest_first(page_html):
    stories = page_html[page_html.index('<section id="stories">'):page_html.index('<section id="movers">')]
    assert stories.index("&lt;script&gt;") < stories.index("Story number 10")  # heat 999 first
    assert '<a href="https://herald.test/10" rel="noopener noreferrer">Story number 10</a>' in stories


def test_movers_name_outlets_and_topics_that_moved(page_html):
    movers = page_html[page_html.index('<section id="movers">'):page_html.index('<section id="data-health">')]
    assert "Herald <span class=\"muted\">· new</span>" in movers
    assert "Chips <span class=\"muted\">· down</span>" in movers and "AI <span class=\"muted\">· new</span>" in movers


def test_data_health_counts_skipped_files(page_html, tmp_path):
    health = page_html[page_html.index('<section id="data-health">'):]
    assert "20 files seen: 19 loaded, 1 skipped because of errors, 0 duplicates not counted twice, 0 ignored" in " ".join(health.split())
    assert f"<code>{tmp_path / 'broken.md'}</code>: invalid YAML" in health


def test_without_comparison_or_matches_the_report_still_renders(corpus):
    page = report_html(corpus, MARCH, compare="none")
    assert "<strong>Compared with:</strong> no comparison" in page and 'class="change' not in page
    nothing_before = report_html(corpus, Filters(start=date(2026, 2, 1), end=date(2026, 2, 28)))
    assert "4 Jan 2026 – 31 Jan 2026, which has no matching articles" in nothing_before
    assert 'class="change' not in nothing_before and "No articles in 4 Jan 2026 – 31 Jan 2026 to compare with." in nothing_before
    empty = report_html(corpus, Filters(search="nothing matches this"))
    assert "No articles match these filters" in empty and "Plotly.newPlot(" not in empty
    with pytest.raises(ValueError, match="unknown comparison"):
        report_html(corpus, MARCH, compare="last year")


def test_report_name_carries_the_period(corpus):
    assert report_name(corpus, MARCH) == "report_2026-03-01_2026-03-31.html"
    assert report_name(corpus, Filters()) == "report_2026-02-01_2026-03-11.html"


# --- end to end in headless Chromium, network blocked ------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (make test installs it when run as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open_offline(browser, path: Path):
    """The report opened from disk with every non-file request aborted; the requests and dialogs seen."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    attempted, dialogs = [], []

    def route(handle):
        if handle.request.url.startswith(("file:", "data:")):
            handle.continue_()
        else:
            attempted.append(handle.request.url)
            handle.abort()

    page.route("**/*", route)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= 4", timeout=30_000)
    return page, attempted, dialogs


@pytest.mark.browser
def test_report_renders_every_chart_offline(browser, tmp_path):
    corpus = load_corpus(ROOT / "sample_data")
    path = tmp_path / "report.html"
    path.write_text(report_html(corpus, Filters(start=date(2026, 1, 1), end=date(2026, 3, 31))), encoding="utf-8")
    page, attempted, dialogs = _open_offline(browser, path)
    rendered = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('svg.main-svg')).length")
    assert rendered == 4
    drawn = page.evaluate("Object.fromEntries([...document.querySelectorAll('.js-plotly-plot')].map(p => [p.id, p.querySelectorAll('.point').length]))")
    assert set(drawn) == {"chart-volume", "chart-outlets", "chart-topic-mix", "chart-quality-heat"}
    assert all(points > 0 for points in drawn.values()), drawn  # bars and markers drawn, not just empty axes
    assert attempted == [] and dialogs == []
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "report.png"), full_page=True)


@pytest.mark.browser
def test_hostile_text_stays_text_in_the_browser(browser, corpus, tmp_path):
    path = tmp_path / "hostile.html"
    path.write_text(report_html(corpus, MARCH), encoding="utf-8")
    page, attempted, dialogs = _open_offline(browser, path)
    assert dialogs == [] and attempted == []
    assert page.get_by_text(HOSTILE_TITLE, exact=True).count() == 1
