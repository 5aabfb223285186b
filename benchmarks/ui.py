"""What an editor feels in the browser: `make bench-ui`, or `python benchmarks/ui.py --help`.

For each corpus (`--data FOLDER`, else /work/corpora/<size> when there, else one generated
under benchmarks/out/ with `python -m analytics generate`): warms the parse cache, starts the
dashboard, and drives it with Playwright and Debian's /usr/bin/chromium. Each step is timed from
the action until Streamlit's run is over (`data-test-script-state` on the app root back to
`notRunning`, with no stale element left) and a chart is drawn: the first page, a second
session, filter changes (period, outlet, topic), a view switch and back, a drill-down click.
Then the server's peak memory (the process and its children) with one session, and with
five sessions opened at once, each with other filters. Prints a Markdown table and writes
`ui-results.json` in the output folder. Run alone: the machine's load shows in the numbers
(the load average is recorded beside them).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))  # the one way to start the dashboard and Chromium, shared with the browser tests
from dashboard_server import CHROMIUM, CHROMIUM_ARGS, serving

CORPORA = Path("/work/corpora")
RACY_SECONDS = 2.5  # files younger than this are parsed again on purpose; let a new corpus settle
LABELS = {100_000: "100k", 1_000_000: "1m"}

# True once a run started after `arm()` is over, nothing is stale and a chart is drawn.
_ARM = """() => {
  const root = document.querySelector('[data-test-script-state]');
  window.__ran = false; window.__running = false;
  if (window.__watch) window.__watch.disconnect();
  window.__watch = new MutationObserver(() => {
    const state = root.getAttribute('data-test-script-state');
    if (state === 'running' && !window.__running) { window.__running = true; window.__started = performance.now(); }
    if (window.__running && state === 'notRunning') { window.__ran = true; window.__ended = performance.now(); }
  });
  window.__watch.observe(root, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
_DONE = """(arm) => {
  const root = document.querySelector('[data-test-script-state]');
  if (!root || root.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (arm && !window.__ran) return false;
  if (document.querySelector('[data-stale=true]')) return false;
  // a chart drawn, or a dataset's answer that the view needs narrower filters (also an answer the editor reads)
  if ([...document.querySelectorAll('[data-testid=stAlert]')].some(a => a.innerText.includes('needs the articles themselves'))) return true;
  return [...document.querySelectorAll('.js-plotly-plot')].some(p => p.querySelector('.main-svg'));
}"""


def main(argv: list[str] | None = None) -> int:
    """Measure every corpus asked for; print the table and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000], help="corpus sizes in documents (when --data is not given)")
    parser.add_argument("--data", type=Path, nargs="+", help="folders to measure instead of generated corpora")
    parser.add_argument("--cache", type=Path, help="parse cache folder (default: under --out)")
    parser.add_argument("--sessions", type=int, default=5, help="sessions opened at once for the memory measurement")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where generated corpora, caches and results go")
    parser.add_argument("--app", type=Path, default=ROOT / "dashboard.py", help="the dashboard to measure, with its own analytics package beside it (an older checkout, to compare)")
    parser.add_argument("--floor", action="store_true", help="instead: time the first page and second sessions of a page with one small chart and no data (what Streamlit and Chromium alone cost here)")
    args = parser.parse_args(argv)
    app = args.app.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.floor:
        print(json.dumps(floor(args.out), indent=1))
        return 0
    folders = args.data or [corpus_for(size, args.out) for size in args.sizes]
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "runs": []}
    for folder in folders:
        cache = args.cache or args.out / "ui-cache"
        warm = warm_cache(folder, cache, app)
        run = {"data": str(folder), "app": str(app), "warm_load_s": warm, **measure(folder, cache, args.sessions, app)}
        results["runs"].append(run)
        print(json.dumps(run, indent=1), flush=True)
        (args.out / "ui-results.json").write_text(json.dumps(results, indent=1))
    print(table(results["runs"]))
    return 0


def corpus_for(size: int, out: Path) -> Path:
    """The shared corpus of this size if there is one, else one generated (seed 1, full-size bodies)."""
    shared = CORPORA / LABELS.get(size, str(size))
    if shared.is_dir() and (size != 1_000_000 or (CORPORA / "READY").exists()):
        return shared
    folder = out / f"corpus-{size}"
    if not (folder / ".complete").exists():
        subprocess.run([sys.executable, "-m", "analytics", "generate", str(folder), "--docs", str(size), "--seed", "1"], check=True, cwd=ROOT)
        (folder / ".complete").write_text("")
        time.sleep(RACY_SECONDS)
    return folder


def warm_cache(folder: Path, cache: Path, app: Path) -> float | None:
    """Load the folder once so the parse cache is warm; the seconds a second (warm) load took (None for a dataset: nothing to warm)."""
    if (folder / "manifest.json").is_file():
        return None
    code = "import sys, time; from analytics import load_corpus; load_corpus(sys.argv[1]); t = time.perf_counter(); load_corpus(sys.argv[1]); print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code, str(folder)], env=_env(folder, cache, app), cwd=app.parent, check=True, capture_output=True, text=True)
    return round(float(done.stdout.strip().splitlines()[-1]), 2)


def measure(folder: Path, cache: Path, sessions: int, app: Path) -> dict:
    """Start the dashboard on `folder` and time each step in Chromium; peak memory with 1 and `sessions` sessions."""
    from playwright.sync_api import sync_playwright

    steps: dict[str, float] = {}
    RUNS.clear()
    with serving(app, _env(folder, cache, app), wait=120) as (address, server):
        url = f"{address}/"
        memory, cpu = Peak(server.pid), CpuClock(server.pid)
        used: dict[str, float] = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            load = os.getloadavg()
            first, steps["first page with charts"] = open_session(browser, url)
            used["first page with charts"] = cpu.lap()
            _, steps["a second session (new tab, same browser)"] = open_session(browser, url, first.context)
            used["a second session (new tab, same browser)"] = cpu.lap()
            _, steps["a second session (new browser profile)"] = open_session(browser, url)
            used["a second session (new browser profile)"] = cpu.lap()
            for name, action in filter_changes(first).items():
                steps[name], used[name] = action(), cpu.lap()
            steps["view switch to Quality vs heat"], used["view switch to Quality vs heat"] = switch(first, "Quality vs heat"), cpu.lap()
            steps["view switch back to Overview"], used["view switch back to Overview"] = switch(first, "Overview"), cpu.lap()
            bar = first.locator(".js-plotly-plot g.point path >> visible=true").first
            steps["drill-down click on a bar"] = timed(first, lambda: bar.click(force=True), until="behind")
            used["drill-down click on a bar"] = cpu.lap()
            _, steps["a link to last month's Articles (new tab)"] = open_session(browser, f"{url}?when=Last+complete+month&view=Articles", first.context, table=True)
            used["a link to last month's Articles (new tab)"] = cpu.lap()
            one = memory.take()
            many = concurrent_sessions(browser, url, sessions, memory)
            browser.close()
        return {
            "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "load_average_before": load, "load_average_after": os.getloadavg(),
            "steps_s": {name: round(seconds, 2) for name, seconds in steps.items()},
            "script_run_s": dict(zip(list(steps)[3:], (round(run, 2) for run in RUNS))),
            "server_cpu_s": used,
            "peak_mb_one_session": one, "peak_mb_many_sessions": many, "sessions": sessions,
        }


# The least a page with a chart can be: a title, four sidebar lists and one bar chart of 40 bars, no data to read.
FLOOR_APP = """
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Floor", layout="wide")
st.title("News Coverage Analytics")
for label in ("Outlets", "Topics", "Category", "Type"):
    st.sidebar.multiselect(label, ["a", "b", "c"])
st.plotly_chart(go.Figure(go.Bar(x=list(range(40)), y=list(range(40)))), width="stretch")
"""


def floor(out: Path, repeats: int = 3) -> dict:
    """Seconds to the drawn chart of `FLOOR_APP`: the first page, a new tab and a new browser profile, `repeats` times each."""
    from playwright.sync_api import sync_playwright

    app = out / "floor" / "app.py"
    app.parent.mkdir(exist_ok=True)
    app.write_text(FLOOR_APP)
    found: dict[str, list[float]] = {"first page with charts": [], "a second session (new tab, same browser)": [], "a second session (new browser profile)": []}
    for _ in range(repeats):
        with serving(app, dict(os.environ)) as (address, _server), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            first, took = open_session(browser, address)
            found["first page with charts"].append(round(took, 2))
            found["a second session (new tab, same browser)"].append(round(open_session(browser, address, first.context)[1], 2))
            found["a second session (new browser profile)"].append(round(open_session(browser, address)[1], 2))
            browser.close()
    return {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "load_average": os.getloadavg(), "steps_s": found}


def open_session(browser, url: str, context=None, *, table: bool = False):  # noqa: ANN001, ANN201 - Playwright objects
    """A new session on `url` (a tab of `context`, else of a new browser profile): its page, and the seconds until its
    charts (or with `table`, its table) were drawn."""
    page = (context or browser.new_context(viewport={"width": 1500, "height": 1000})).new_page()
    started = time.perf_counter()
    page.goto(url)
    if table:
        page.wait_for_selector("[data-test-script-state=notRunning] [data-testid=stMain] [data-testid=stDataFrame]", timeout=600_000)
    else:
        page.wait_for_function(_DONE, arg=False, timeout=600_000, polling=50)
    return page, time.perf_counter() - started


def filter_changes(page) -> dict:  # noqa: ANN001 - a Playwright page
    """Period month → week, one outlet, one topic: each a function timing itself to the redrawn chart."""
    page.bring_to_front()  # the second session's tab took the focus the keyboard needs
    return {
        "filter: period month → week": lambda: timed(page, lambda: choose(page, "Period", "week")),
        "filter: one outlet": lambda: pick(page, "Outlets"),
        "filter: one topic": lambda: pick(page, "Topics"),
    }


def timed(page, action, until: str | None = None) -> float:  # noqa: ANN001 - Playwright objects
    """Seconds from `action` until its run is over and a chart is drawn (and `until` text is shown).

    How long the run itself took, as the browser saw the app root's state change, goes to `RUNS`.
    """
    page.evaluate(_ARM)
    started = time.perf_counter()
    action()
    page.wait_for_function(_DONE, arg=True, timeout=600_000, polling=50)
    if until:
        page.get_by_text(until).first.wait_for(timeout=600_000)
    took = time.perf_counter() - started
    RUNS.append(page.evaluate("() => (window.__ended - window.__started) / 1000"))
    return took


RUNS: list[float] = []  # seconds each timed run took, as the browser saw it


class CpuClock:
    """CPU seconds the server (with its children) used since the last reading: work, whatever the machine's load."""

    def __init__(self, pid: int) -> None:
        self.pid, self.last = pid, _tree_cpu(pid)

    def lap(self) -> float:
        now = _tree_cpu(self.pid)
        used, self.last = now - self.last, now
        return round(used, 2)


def _tree_cpu(pid: int) -> float:
    """User plus system CPU seconds of `pid` and its descendants (children that exited count via their parent)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime, stime, cutime, cstime
        todo += [int(child) for child in children]
    return total


def switch(page, view: str) -> float:  # noqa: ANN001 - a Playwright page
    """Seconds to show another view: a run of the switcher, or (an older dashboard with tabs) the tab's charts drawn."""
    tab = page.get_by_role("tab", name=view, exact=True)
    if not tab.count():
        return timed(page, lambda: choose(page, "View", view))
    started = time.perf_counter()
    tab.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=tabpanel]:not([hidden]) .js-plotly-plot')].some(p => p.querySelector('.main-svg'))", timeout=600_000, polling=50
    )
    RUNS.append(0.0)  # no run: every tab was computed and sent with the page
    return time.perf_counter() - started


def choose(page, label: str, option: str) -> None:  # noqa: ANN001 - a Playwright page
    page.locator(f"[role=radiogroup][aria-label='{label}'] [role=radio]").filter(has_text=re.compile(f"^{re.escape(option)}$")).click()


def pick(page, label: str) -> float:  # noqa: ANN001 - a Playwright page
    """Seconds from choosing an option of a sidebar multiselect (the one after "Select all") with the keyboard to the redrawn chart.

    Opening the list and moving to the option are the editor's reading time, not the dashboard's: the clock starts at Enter.
    """
    box = page.locator(f"[data-testid=stSidebar] input[aria-label='{label}']")
    box.click()
    page.wait_for_timeout(300)
    moves = ["ArrowDown", "ArrowDown"]
    if box.get_attribute("aria-expanded") != "true":
        box.press("ArrowDown")  # opens the list when the click did not, on "Select all"
        moves = moves[1:]
    page.locator("[role=listbox] [role=option]").nth(1).wait_for()
    for key in moves:
        box.press(key)
    took = timed(page, lambda: box.press("Enter"))
    box.press("Escape")
    return took


def concurrent_sessions(browser, url: str, count: int, memory: Peak) -> float:  # noqa: ANN001 - Playwright browser
    """Open `count` sessions at once, each with other filters; the server's peak MB meanwhile."""
    memory.reset()
    pages = []
    for number in range(count):
        page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
        page.goto(f"{url}?period={['month', 'week', 'day', 'quarter', 'year'][number % 5]}", wait_until="commit")
        pages.append(page)
    for page in pages:
        page.wait_for_function(_DONE, arg=False, timeout=600_000, polling=100)
    for number, page in enumerate(pages):  # each also looks at another view
        view = ["Topics", "Quality vs heat", "Outlets", "Stories", "Overview"][number % 5]
        tab = page.get_by_role("tab", name=view, exact=True)
        tab.click() if tab.count() else choose(page, "View", view)
    for page in pages:
        page.wait_for_timeout(200)
        page.wait_for_selector("[data-test-script-state=notRunning]", state="attached", timeout=600_000)
    peak = memory.take()
    for page in pages:
        page.context.close()
    return peak


class Peak:
    """The largest resident memory of a process and its children, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        threading.Thread(target=self._sample, daemon=True).start()

    def reset(self) -> None:
        self.peak = 0

    def take(self) -> float:
        time.sleep(0.2)
        return round(self.peak / 2**20)

    def _sample(self) -> None:
        while True:
            try:
                self.peak = max(self.peak, _tree_rss(self.pid))
            except OSError:
                return
            time.sleep(0.05)


def _tree_rss(pid: int) -> int:
    """Resident bytes of `pid` and its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            if current == pid:
                raise
            continue
        found = re.search(r"VmRSS:\s+(\d+)", status)  # an exited child not yet reaped has no VmRSS
        total += int(found.group(1)) * 1024 if found else 0
        todo += [int(child) for child in children]
    return total


def table(runs: list[dict]) -> str:
    """The results as a Markdown table, one column per corpus."""
    names = list(dict.fromkeys(name for run in runs for name in run["steps_s"]))
    lines = ["| step | " + " | ".join(Path(run["data"]).name for run in runs) + " |", "| --- |" + " --- |" * len(runs)]
    lines += [f"| {name} | " + " | ".join(f"{run['steps_s'].get(name, '–')} s (CPU {run['server_cpu_s'].get(name, '–')} s)" for run in runs) + " |" for name in names]
    lines.append("| server CPU s, all steps | " + " | ".join(f"{sum(run['server_cpu_s'].values()):.1f}" for run in runs) + " |")
    lines.append("| server peak MB, 1 session | " + " | ".join(f"{run['peak_mb_one_session']:,}" for run in runs) + " |")
    lines.append(f"| server peak MB, {runs[0]['sessions']} sessions | " + " | ".join(f"{run['peak_mb_many_sessions']:,}" for run in runs) + " |")
    lines.append("| load average (1, 5, 15 min) before | " + " | ".join(" / ".join(f"{x:.1f}" for x in run["load_average_before"]) for run in runs) + " |")
    return "\n".join(lines)


def _env(folder: Path, cache: Path, app: Path) -> dict[str, str]:
    return dict(os.environ, NEWS_ANALYTICS_DATA=str(folder), NEWS_ANALYTICS_CACHE_DIR=str(cache), PYTHONPATH=str(app.parent))


if __name__ == "__main__":
    sys.exit(main())
