"""Hostile links and documents opened in Chromium: nothing from them becomes a live link or an outside image."""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import article, document_text
from dashboard_server import CHROMIUM, CHROMIUM_ARGS, running_dashboard
from test_browser import _screenshot_dir

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it when run as root)"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

LURE = "[Your session expired: sign in again](https://evil.example/login) ![t](https://evil.example/pixel.png)"
TAGS = '<a href="https://evil.example/tag">click</a><img src="https://evil.example/tag.png">'


def hostile_folder(folder: Path, lure: str) -> Path:
    for n in range(1, 6):
        provider = {"name": f"{lure} {n % 2}", "domain": f"outlet{n % 2}.test"}
        fields = article(n, title=f"{lure} {n}", provider=provider, topics=[lure, "Plain"], category=lure, type=lure)
        (folder / f"doc{n}.md").write_text(document_text(fields))
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    (base / "markdown").mkdir()
    (base / "tags").mkdir()
    markdown, tags = hostile_folder(base / "markdown", LURE), hostile_folder(base / "tags", TAGS)
    with running_dashboard(tags, NEWS_ANALYTICS_DATA_ROOTS=str(markdown)) as url:
        yield url, str(markdown)


@pytest.mark.parametrize(
    ("case", "query", "waits_for", "shown"),
    [
        ("data", {"data": LURE}, "[data-testid=stAlert]", "Your session expired"),
        ("search", {"q": LURE}, "[data-testid=stCaptionContainer]", "Your session expired"),
        ("markdown-documents", {"data": "MARKDOWN", "view": "Outlets"}, ".js-plotly-plot .main-svg", "Your session expired"),
        ("html-documents", {"view": "Outlets"}, ".js-plotly-plot .main-svg", "click"),
    ],
    ids=lambda value: value if isinstance(value, str) and value.islower() else None,
)
def test_hostile_text_makes_no_outside_link_or_image(server, case, query, waits_for, shown, tmp_path):
    outside: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.route("**/*", lambda route: (outside.append(route.request.url), route.abort()) if "127.0.0.1" not in route.request.url else route.continue_())
        url, markdown = server
        query = {key: markdown if value == "MARKDOWN" else value for key, value in query.items()}
        page.goto(f"{url}/?{urllib.parse.urlencode(query)}")
        page.locator(waits_for).first.wait_for(timeout=90_000)
        time.sleep(3)  # let every view finish drawing
        page.screenshot(path=str(_screenshot_dir(tmp_path) / f"hostile-{case}.png"), full_page=True)
        links = page.eval_on_selector_all("a[href], [*|href]", "els => els.map(e => e.getAttribute('href') || e.getAttribute('xlink:href'))")
        images = page.eval_on_selector_all("img[src], image", "els => els.map(e => e.getAttribute('src') || e.getAttribute('href'))")
        text = page.evaluate("document.body.textContent")  # every view, drawn or hidden
        browser.close()
    assert not [link for link in links if "evil.example" in (link or "")]
    assert not [image for image in images if "evil.example" in (image or "")]
    assert not [url for url in outside if "evil.example" in url]
    assert shown in text  # shown, as text
