import os
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import article
from plotly.offline import get_plotlyjs

from analytics import load_corpus
from analytics.cli import main
from analytics.frames import stories
from analytics.frames.corpus import problems_frame
from analytics.frames.workspace import Workspace, with_insights
from analytics.measure import spikes as sp
from analytics.measure.filters import Filters
from analytics.measure.metrics import MetricOptions
from analytics.measure.selection import Selection
from analytics.present import report_insights as ri
from analytics.present.report import report_html, report_name
from analytics.read.annotations import read_annotations

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SECTIONS = ["summary", "charts", "stories", "terms", "rising-terms", "movers", "data-health"]
CHARTS = ["chart-volume", "chart-outlets", "chart-topic-mix", "chart-quality-heat"]
HOSTILE_TITLE = "<script>alert('title')</script> & <b>bold</b>"
MARCH = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))
QUARTERS = [(date(year, month, 1), date(year + month // 10, (month + 2) % 12 + 1, 1) - timedelta(days=1)) for year in (2024, 2025, 2026) for month in (1, 4, 7, 10)]


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
    assert page_html.count("Plotly.newPlot(") == 6  # the four core charts and the two comparing with February


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
    assert "topics: Chips" in page and "the previous month, 1 Feb 2026 – 28 Feb 2026 (same filters)" in page  # the calendar month before
    assert "the same month last year, 1 Mar 2025 – 31 Mar 2025: no articles then" in page


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
    assert "the previous month, 1 Jan 2026 – 31 Jan 2026, which has no matching articles" in nothing_before
    assert 'class="change' not in nothing_before and "No articles in the previous month, 1 Jan 2026 – 31 Jan 2026 to compare with." in nothing_before
    empty = report_html(corpus, Filters(search="nothing matches this"))
    assert "No articles match these filters" in empty and "Plotly.newPlot(" not in empty
    with pytest.raises(ValueError, match="unknown comparison"):
        report_html(corpus, MARCH, compare="last year")


def test_what_it_was_about_and_rising_terms_come_from_the_titles(write, tmp_path):
    outlets = [{"name": name, "domain": f"{name.lower()}.test"} for name in ("Ledger", "Herald", "Courier")]
    for day in range(1, 10):  # February: tariffs; March: drought, across all three outlets
        write(f"feb-{day}.md", article(day, title=f"Tariffs squeeze exporters {day}", excerpt="Exporters count costs.", publishedDateTime=f"2026-02-{day:02d}T09:00:00Z", webUrl=f"https://x.test/feb-{day}", provider=outlets[day % 3]))
        write(f"mar-{day}.md", article(day, title=f"Drought hits farms {day}", excerpt="Farmers wait for rain.", webUrl=f"https://x.test/mar-{day}", provider=outlets[day % 3]))
    page = report_html(load_corpus(tmp_path), MARCH)
    about = page[page.index('<section id="terms">'):page.index('<section id="rising-terms">')]
    rising = page[page.index('<section id="rising-terms">'):page.index('<section id="movers">')]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", rising)
    assert ("drought", "9", "0", "9", "3") in rows  # term, now, before, articles, outlets
    assert "tariffs" not in rising and "drought" in about and "exporters" not in about
    assert "farms" in {row[0] for row in rows} and not {"the", "for"} & {row[0] for row in rows}


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
    weekly = MetricOptions(granularity="week")  # weeks show the spike markers and the spikes table
    path.write_text(report_html(corpus, Filters(start=date(2026, 1, 1), end=date(2026, 3, 31)), weekly), encoding="utf-8")
    page, attempted, dialogs = _open_offline(browser, path)
    assert page.locator("#spikes tbody tr").count() > 0
    rendered = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('svg.main-svg')).length")
    assert rendered == 7
    drawn = page.evaluate("Object.fromEntries([...document.querySelectorAll('.js-plotly-plot')].map(p => [p.id, p.querySelectorAll('.point').length]))")
    assert set(drawn) == set(CHARTS) | {"chart-story-timeline", "chart-compare-previous-volume", "chart-compare-previous-topics"}
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


# --- editorial insights in the report ----------------------------------------------------------


def _outlet(name: str) -> dict:
    return {"name": name.title(), "domain": f"{name}.test"}


STORY_TITLE = "Ministers agree new chip export rules"
HOSTILE_STORY = "<script>alert('story')</script> chip rules leak early"
BACKGROUND = [
    "Harbour dredging resumes", "Library hours extended", "Tram fares frozen", "Bridge repairs finish",
    "Park reopens after storm", "Council budget debate", "School meals review", "Hospital wing opens",
    "Museum night returns", "Cycle lanes planned",
]
STORY_OUTLETS = ["ledger", "herald", "courier", "post", "times", "wire", "gazette", "tribune"]
ARCHIVE = {"title": "Chip rules in 2025", "webUrl": "https://archive.test/chips", "provider": _outlet("archive")}
OUTSIDE = {"title": "Chip rules explained", "webUrl": "https://outside-wire.test/chips", "provider": {"name": "Outside Wire", "domain": "outside-wire.test"}}
NOTES = "date,label,topic\n2026-03-10,Export rules announced,\n2026-03-11,<b>Chip</b> summit,Chips\nsoon,Unreadable note,\n2026-01-01,Outside the period,\n"
DAYS = Filters(start=date(2026, 3, 9), end=date(2026, 3, 12))
DAILY = MetricOptions(granularity="day")


def _write_insight_corpus(write) -> None:
    """One Ledger piece a day from 1 to 10 March, then a story run by eight outlets on the 11th (a spike)."""
    for day, title in enumerate(BACKGROUND, 1):
        write(f"bg-{day}.md", article(day, title=title, webUrl=f"https://ledger.test/bg-{day}", provider=_outlet("ledger"), topics=["Chips"]))
    for hour, name in enumerate(STORY_OUTLETS):
        fields = dict(title=STORY_TITLE, publishedDateTime=f"2026-03-11T{8 + hour:02d}:00:00Z", webUrl=f"https://{name}.test/chips", provider=_outlet(name), topics=["Chips"])
        if name == "herald":  # another title, joined through its related link to the Ledger's article
            fields.update(title="Chip export deal: ministers sign off", related=[{"title": STORY_TITLE, "webUrl": "https://ledger.test/chips", "provider": _outlet("ledger")}, OUTSIDE, ARCHIVE])
        if name == "ledger":
            fields.update(related=[OUTSIDE])
        write(f"story-{name}.md", article(11, **fields))
    write("weather-11.md", article(11, title="Heatwave warning for the weekend", webUrl="https://courier.test/heat", provider=_outlet("courier"), topics=["Weather"]))
    for name in ("herald", "courier"):
        write(f"leak-{name}.md", article(12, title=HOSTILE_STORY, webUrl=f"https://{name}.test/leak", provider=_outlet(name), topics=["Chips"]))
    write("weather-12.md", article(12, title="Rain returns on Friday", webUrl="https://courier.test/rain", provider=_outlet("courier"), topics=["Weather"]))
    write("annotations.csv", NOTES)
    write("archive.md", article(1, title="Chip rules in 2025", publishedDateTime="2026-02-01T10:00:00Z", webUrl="https://archive.test/chips", provider=_outlet("archive")))


@pytest.fixture
def insight_corpus(write, tmp_path):
    _write_insight_corpus(write)
    return load_corpus(tmp_path)


@pytest.fixture
def insight_html(insight_corpus):
    return report_html(insight_corpus, DAYS, DAILY, compare_outlets=("herald.test",), generated_at=datetime(2026, 4, 1, tzinfo=timezone.utc))


def _section(page: str, name: str) -> str:
    start = page.index(f'<section id="{name}">')
    return page[start:page.index("</section>", start)]


def _chart_script(page: str, name: str) -> str:
    """The figure data of one chart: from its div to the end of its script."""
    start = page.index(f'id="chart-{name}"')
    return page[start:page.index("</script>", start)]


def _flat(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_insight_section_is_present(insight_html):
    for section in ["summary", "charts", "spikes", "stories", "articles", "movers", "compare", "concentration", "notes", "data-health"]:
        assert f'<section id="{section}">' in insight_html
    for chart in CHARTS + ["chart-story-timeline", "chart-compare-previous-volume", "chart-compare-previous-topics", "chart-compare-outlets-volume", "chart-compare-outlets-topics"]:
        assert f'id="{chart}"' in insight_html
    assert insight_html.count(get_plotlyjs()[:40]) == 1
    test_no_external_script_stylesheet_or_image_sources(insight_html)


def test_stories_group_articles_by_related_links_and_titles(insight_html):
    stories = _section(insight_html, "stories")
    text = _flat(stories)
    assert "2 stories ran in more than one article (10 articles)" in text
    assert "1 Ministers agree new chip export rules 8 8 Ledger 11 Mar 2026 08:00" in text
    # Herald's differently titled article joined through its related link, an hour after the Ledger's.
    assert "Herald +1 h , Courier +2 h , Post +3 h , Times +4 h , Wire +5 h , Gazette +6 h and 1 more" in text
    assert '<a href="https://ledger.test/chips" rel="noopener noreferrer">Ministers agree new chip export rules</a>' in stories
    assert "Heatwave" not in stories and "Harbour" not in stories  # single articles are not stories
    timeline = _chart_script(insight_html, "story-timeline")
    assert "1. Ministers agree new chip export rules" in timeline and "2. &lt;script&gt;alert(" in timeline


def test_a_script_story_title_is_escaped_in_the_stories_section(insight_html):
    stories = _section(insight_html, "stories")
    assert "&lt;script&gt;alert(&#39;story&#39;)&lt;/script&gt; chip rules leak early" in stories
    assert "<script>alert(" not in insight_html


def test_outlets_seen_only_in_related_items_are_listed(insight_html):
    text = _flat(_section(insight_html, "stories"))
    assert "Who else covered this" in text and "Outside Wire outside-wire.test 2 2" in text
    assert "ledger.test" not in text and "archive.test" not in text  # outlets in the folder, in this period or not


def test_a_planted_spike_is_marked_on_the_volume_chart_with_its_story(insight_html):
    spikes = _flat(_section(insight_html, "spikes"))
    assert "11 Mar 2026 All articles 9 1 Ministers agree new chip export rules · 8 articles, 8 outlets" in spikes
    assert "11 Mar 2026 Topic Chips 8 1" in spikes
    assert "Heatwave" not in spikes  # a single article is not shown beside the story that drove the spike
    volume = _chart_script(insight_html, "volume")
    assert '"name":"Spike"' in volume and '"x":["2026-03-11T00:00:00"]' in volume
    assert '"name":"Spike"' in _chart_script(insight_html, "topic-mix")


def test_every_spike_of_all_articles_is_listed_before_stronger_topic_spikes():
    corpus = load_corpus(ROOT / "sample_data")
    workspace = with_insights(corpus, corpus.sources)
    weekly = MetricOptions(granularity="week")
    # A quarter of the sample data where the report must leave out a topic or outlet spike that is
    # stronger than an all-articles spike it lists (found, not written down: the data is regenerated).
    for start, end in QUARTERS:
        selection = Selection(workspace, Filters(start=start, end=end))
        found = ri.find_spikes(selection, weekly)
        shown = {(row["kind"], row["group"], row["when"]) for row in found.rows}
        left_out = [
            spike.score for split, frame in found.by_series.items() if split is not None for spike in frame.itertuples()
            if (ri.SPIKE_SERIES[split], spike.group, spike.period) not in shown
        ]
        overall = found.by_series[None]
        if left_out and len(overall) and overall[sp.SCORE].min() < max(left_out):
            break
    else:
        pytest.fail("no quarter of the sample data has an all-articles spike weaker than a spike the report leaves out")
    page = report_html(corpus, Filters(start=start, end=end), weekly, selection=selection)
    spikes = _flat(_section(page, "spikes"))
    listed = [row for row in found.rows if row["group"] is None]
    assert len(listed) == len(overall)  # every spike of all articles, however weak
    for row in listed:
        assert f"{row['period']} All articles {row['count']} {row['baseline']}" in spikes
    assert spikes.count("Topic") + spikes.count("Outlet") == ri.SPIKES_SHOWN - len(listed)
    assert f"…and {len(left_out)} smaller spike" in spikes


def test_a_quiet_period_has_no_spikes(insight_corpus):
    page = report_html(insight_corpus, Filters(start=date(2026, 3, 9), end=date(2026, 3, 10)), DAILY)
    assert "No day in this period rose well above its usual level" in page
    assert '"name":"Spike"' not in page


def test_movers_leave_out_small_groups_and_show_their_counts(insight_html):
    movers = _section(insight_html, "movers")
    # Ledger: 3 of 14 articles now, 4 of 4 in the four days before.
    assert 'Ledger <span class="muted">· down</span></td><td class="num">21.4% (3)</td><td class="num">100.0% (4)</td>' in movers
    assert "Herald" not in movers  # 2 articles now, none before: too few to call


def test_outlet_concentration_per_topic_is_explained(insight_html):
    section = _section(insight_html, "concentration")
    text = _flat(section)
    assert "Effective outlets reads \"as if this many outlets shared the topic equally\"" in text
    assert "Chips 12 8" in text
    assert "Weather · one or two outlets 2 1 1.0 1.00 Courier 100%" in text


def test_comparisons_show_the_difference(insight_html):
    section = _section(insight_html, "compare")
    text = _flat(section)
    assert "This period vs Previous period · 9 Mar 2026 – 12 Mar 2026 vs 5 Mar 2026 – 8 Mar 2026" in text
    assert "This period: 14 articles · Previous period: 4 · difference: +10" in text
    assert "Herald vs All other outlets" in text and "Herald: 2 articles · All other outlets: 12 · difference: −10" in text
    assert text.count("Spearman correlation") == 2


def test_annotations_are_listed_drawn_and_bad_rows_reported(insight_html, tmp_path):
    notes = _flat(_section(insight_html, "notes"))
    assert "10 Mar 2026 Export rules announced all topics" in notes
    assert "11 Mar 2026 &lt;b&gt;Chip&lt;/b&gt; summit Chips" in notes
    assert "Outside the period" not in notes and "<b>Chip</b>" not in insight_html
    volume = _chart_script(insight_html, "volume")
    assert "Export rules announced" in volume and '"x0":"2026-03-10T00:00:00"' in volume
    health = _flat(_section(insight_html, "data-health"))
    assert "Editors' notes: 1 problem in the annotations file" in health
    assert f"{tmp_path / 'annotations.csv'} , line 4 (error): date 'soon' is not a date" in health.replace("&#39;", "'")


def test_the_dashboard_can_pass_its_own_stories_and_notes(insight_corpus):
    story_map = stories.story_ids(insight_corpus.articles, insight_corpus.related, options=stories.StoryOptions(link_titles=False, link_related=False))
    workspace = Workspace(insight_corpus, story_map, read_annotations(ROOT / "sample_data")[0], problems_frame([]))
    page = report_html(insight_corpus, DAYS, DAILY, workspace=workspace)
    assert "No story ran in more than one article" in page
    assert "Export rules announced" not in page and "Editors' notes:" not in page


def test_report_command_compares_chosen_outlets(insight_corpus, tmp_path, capsys):
    out = tmp_path / "out" / "report.html"
    args = ["report", str(tmp_path), "--since", "2026-03-09", "--until", "2026-03-12", "--granularity", "day", "-o", str(out)]
    assert main(args + ["--compare-outlets", "Herald", "courier.test"]) == 0
    assert "Herald, Courier vs All other outlets" in _flat(out.read_text(encoding="utf-8"))
    assert main(args + ["--compare-outlets", "Heraldd"]) == 2
    assert "no outlet named or at 'Heraldd' (did you mean 'Herald'?)" in capsys.readouterr().err


def test_the_report_filters_the_corpus_once_per_period(insight_corpus, monkeypatch):
    from analytics.measure import compare, selection
    from analytics.present import report

    passes = []
    for module in (selection, compare):
        monkeypatch.setattr(module, "filter_articles", _counting(module.filter_articles, passes))
    report_html(insight_corpus, DAYS, DAILY, compare_outlets=("herald.test",))
    # The selection, the period before, the history spikes are measured against, and the two sides
    # of the outlets comparison: each filtered once. The same days last year are only counted.
    assert sum(articles is insight_corpus.articles for articles in passes) == 5
    shared = report.Selection(report.with_insights(insight_corpus, insight_corpus.sources), DAYS)
    report_html(insight_corpus, selection=shared, options=DAILY)
    passes.clear()
    report_html(insight_corpus, selection=shared, options=DAILY)
    assert passes == []  # a selection the dashboard already worked out is not filtered again


def _counting(function, calls: list):
    def counted(*args):
        calls.append(args[0])
        return function(*args)
    return counted


@pytest.mark.browser
def test_insight_report_renders_offline_without_running_document_text(browser, insight_corpus, tmp_path):
    path = tmp_path / "insights.html"
    path.write_text(report_html(insight_corpus, DAYS, DAILY, compare_outlets=("herald.test",)), encoding="utf-8")
    page, attempted, dialogs = _open_offline(browser, path)
    drawn = page.evaluate("Object.fromEntries([...document.querySelectorAll('.js-plotly-plot')].map(p => [p.id, p.querySelectorAll('.point').length]))")
    assert len(drawn) == 9 and all(points > 0 for points in drawn.values()), drawn
    assert attempted == [] and dialogs == []
    assert page.locator("#stories").get_by_text(HOSTILE_STORY, exact=True).count() == 1


def test_events_are_listed_apart_from_the_articles():
    from pathlib import Path

    from analytics.frames.workspace import open_workspace

    ws = open_workspace(Path(__file__).resolve().parents[2] / "sample_data")
    may = Filters(start=date(2026, 5, 1), end=date(2026, 5, 31), exclude_types=("conference",))
    page = report_html(ws.corpus, selection=Selection(ws, may))
    events = page[page.index('<section id="events">'):page.index('<section id="stories">')]
    assert "Applied AI Summit 2026" in events and "2026-05-12" in events
    assert '<section id="events">' not in report_html(ws.corpus, selection=Selection(ws, replace(may, exclude_types=())))
