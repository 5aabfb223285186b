"""Load and metric benchmarks, run on demand: `make bench`, or `python benchmarks/run.py --help`.

Generates corpora with `python -m analytics generate` under benchmarks/out/ (git-ignored),
then measures, each in a fresh process: a cold load (no parse cache; one process and all
cores), a warm load (nothing changed), incremental loads (1% of files edited in place; 1% new
files), peak memory, the naive baseline (pure-Python `yaml.safe_load` per file plus
`pd.json_normalize`) in the same run, and "filter change + all metrics" on 100k and 1M rows.
Absolute times vary between machines; the ratios against the naive baseline travel better.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RACY_SECONDS = 2.5  # files younger than this are parsed again on purpose; let a new corpus settle


def main(argv: list[str] | None = None) -> int:
    """Run the suite, print a Markdown summary and write `results.json` in the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="corpus sizes in documents")
    parser.add_argument("--metric-rows", type=int, nargs="*", default=[100_000, 1_000_000], help="article rows for the metric timings")
    parser.add_argument("--naive-limit", type=int, default=0, help="time the naive baseline on this many files and scale up (0: all files)")
    parser.add_argument("--drop-caches", action="store_true", help="also time a cold load with the OS page cache dropped (root only)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each way of loading; the fastest counts")
    parser.add_argument("--cases", nargs="+", metavar="NAME", help='only the ways of loading whose name starts with one of these, e.g. naive warm "cold (" (default: all)')
    parser.add_argument("--out", type=Path, default=HERE / "out", help="where corpora, caches and results go")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": machine(), "loads": {}, "metrics": {}}
    for size in args.sizes:
        results["loads"][size] = load_suite(ensure_corpus(args.out / f"corpus-{size}", size), args)
        print(json.dumps({size: results["loads"][size]}, indent=1), flush=True)
    for rows in args.metric_rows:
        corpus = args.out / f"corpus-{max(args.sizes)}"
        results["metrics"][rows] = measure(["metrics", str(corpus), str(rows), str(args.out / f"cache-{corpus.name}")])
        print(json.dumps({f"metrics {rows}": results["metrics"][rows]}, indent=1), flush=True)
    results["machine"]["load_average_after"] = os.getloadavg()
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    print(summary(results))
    return 0


def machine() -> dict:
    """What the numbers were measured on."""
    import pandas as pd
    import pyarrow as pa

    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "date": date.today().isoformat(),
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(pages / 1e9, 1),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "pyarrow": pa.__version__,
        "platform": platform.platform(),
        "load_average_before": os.getloadavg(),
    }


def ensure_corpus(folder: Path, size: int) -> Path:
    """A generated corpus of `size` full-size documents (reused when already there)."""
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        run([sys.executable, "-m", "analytics", "generate", str(folder), "--docs", str(size), "--seed", "1"])
        (folder / ".complete").write_text(str(size))
        time.sleep(RACY_SECONDS)
    return folder


def load_suite(corpus: Path, args: argparse.Namespace) -> dict:
    """Cold, warm and incremental loads of one corpus, and the naive baseline beside them.

    Each way of loading runs `--repeat` times and keeps the fastest run (the machine may be
    busy with other work); memory is the largest seen.
    """
    cache = args.out / f"cache-{corpus.name}"
    load = ["load", str(corpus), "--cache", str(cache)]
    files = sorted(corpus.rglob("*.md"))
    touched = [path for path in files[::100] if not path.name.startswith("added-")]

    def cold() -> list[str]:
        shutil.rmtree(cache, ignore_errors=True)
        return load

    def dropped() -> list[str]:
        drop_page_cache()
        return ["load", str(corpus), "--no-cache"]

    def edited() -> list[str]:
        settle(load)
        for path in touched:  # an edit in place: the folders do not change
            with path.open("a", encoding="utf-8") as out:
                out.write("\nAn editor's note added later.\n")
        return load

    def add_copies() -> None:
        for path in touched:  # new files: their folders change
            text = path.read_text(encoding="utf-8").replace('webUrl: "https://www.', 'webUrl: "https://www.added.')
            path.with_name("added-" + path.name).write_text(text, encoding="utf-8")

    def remove_copies() -> None:
        for path in touched:
            path.with_name("added-" + path.name).unlink(missing_ok=True)

    def added() -> list[str]:
        remove_copies()
        settle(load)
        add_copies()
        time.sleep(RACY_SECONDS)
        return load

    def deleted() -> list[str]:
        add_copies()
        settle(load)
        remove_copies()
        return load

    scenarios = {"cold, one process, no cache": lambda: ["load", str(corpus), "--no-cache", "--workers", "1"]}
    if args.drop_caches and drop_page_cache():
        scenarios["cold, page cache dropped, no cache"] = dropped
    scenarios.update(
        {
            "cold (writes the cache)": cold,
            "warm": lambda: load,
            "incremental, 1% edited in place": edited,
            "incremental, 1% new files": added,
            "incremental, those files deleted": deleted,
            "naive": lambda: ["naive", str(corpus), str(args.naive_limit)],
        }
    )
    chosen = {name: prepare for name, prepare in scenarios.items() if not args.cases or name.startswith(tuple(args.cases))}
    result = {name: best_of(prepare, args.repeat) for name, prepare in chosen.items()}
    naive = result["naive"]["seconds"] if "naive" in result else None
    for entry in result.values():
        entry["naive_ratio"] = round(naive / entry["seconds"], 1) if naive and entry["seconds"] else None
    return result


def best_of(prepare, repeat: int) -> dict:  # noqa: ANN001 - a function giving the command
    """The fastest of `repeat` runs (each prepared afresh), with the largest memory seen."""
    runs = []
    for _ in range(repeat):
        runs.append(measure(prepare()))
    best = dict(min(runs, key=lambda run: run["seconds"]))
    best["runs"] = [run["seconds"] for run in runs]
    best["peak_mb"] = max(run["peak_mb"] for run in runs)
    best["worker_peak_mb"] = max(run["worker_peak_mb"] for run in runs)
    return best


def settle(load: list[str]) -> None:
    """Let recent edits age past the racy window and load once, so the next load starts clean."""
    time.sleep(RACY_SECONDS)
    measure(load)


def drop_page_cache() -> bool:
    """Empty the OS page cache so that files come from disk (needs root); False when not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
        return True
    except OSError:
        return False


def measure(command: list[str]) -> dict:
    """Run one measurement in a fresh interpreter and return what it printed (JSON)."""
    out = run([sys.executable, str(Path(__file__).resolve()), "_measure", *command], capture=True)
    return json.loads(out.strip().splitlines()[-1])


def run(command: list[str], capture: bool = False) -> str:
    """Run a command on this tree's `analytics` (not whichever copy is installed)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, text=True, stdout=subprocess.PIPE if capture else None)
    return done.stdout or ""


# --- the measurements, each in its own process --------------------------------------------------


def _measure(argv: list[str]) -> None:
    kind, *rest = argv
    started = time.perf_counter()
    extra = {"load": _measure_load, "naive": _measure_naive, "metrics": _measure_metrics}[kind](rest)
    seconds = extra.pop("seconds", time.perf_counter() - started)
    usage, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": round(seconds, 3), "load_average": os.getloadavg()[0], "peak_mb": round(usage.ru_maxrss / 1024), "worker_peak_mb": round(children.ru_maxrss / 1024), **extra}))


def _measure_load(argv: list[str]) -> dict:
    from analytics import load_corpus

    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--cache")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--workers", type=int)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpus = load_corpus(args.root, cache=False if args.no_cache else args.cache, workers=args.workers)
    return {"seconds": time.perf_counter() - started, "files": corpus.files_seen, "articles": corpus.loaded}


def _measure_naive(argv: list[str]) -> dict:
    """The baseline: every file through pure-Python `yaml.safe_load`, then `pd.json_normalize`."""
    import pandas as pd
    import yaml

    root, limit = Path(argv[0]), int(argv[1])
    files = sorted(root.rglob("*.md"))
    timed = files[:limit] if limit else files
    started = time.perf_counter()
    records = []
    for path in timed:
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---\n", 1)[0].removeprefix("---\n")
        records.append(yaml.load(front, Loader=yaml.SafeLoader))  # what yaml.safe_load does
    frame = pd.json_normalize(records)
    seconds = (time.perf_counter() - started) * len(files) / max(1, len(timed))
    return {"seconds": seconds, "files": len(files), "timed_files": len(timed), "rows": len(frame)}


def _measure_metrics(argv: list[str]) -> dict:
    """A filter change plus every metric of every view, on `rows` articles made from a corpus."""
    import pandas as pd

    from analytics import load_corpus
    from analytics import schema as s

    root, rows, cache = argv[0], int(argv[1]), argv[2]
    corpus = load_corpus(root, cache=cache)
    articles, topics = _scaled(corpus.articles, corpus.topics, rows, pd, s)
    try:
        from analytics.measure import metrics  # noqa: F401 - written alongside; may not exist yet
        from analytics.measure.filters import Filters
    except ImportError as error:
        return {"seconds": 0.0, "rows": rows, "pending": f"metrics not available: {error}"}
    dates = articles[s.PUBLISHED_AT].dropna()
    first = (dates.min() + (dates.max() - dates.min()) / 4).date()
    top_topic = topics[s.TOPIC].astype(str).value_counts().index[0]
    runs = [_all_views(articles, topics, Filters(start=first, topics=(top_topic,))) for _ in range(3)]
    best = min(runs, key=lambda run: run["seconds"])
    return {**best, "rows": len(articles), "runs": [round(run["seconds"], 3) for run in runs]}


def _scaled(articles, topics, rows, pd, s):  # noqa: ANN001, ANN202 - benchmark plumbing
    """`rows` articles: the corpus repeated with fresh ids and article keys, shifted by whole weeks per copy."""
    copies = -(-rows // len(articles))
    frames, topic_frames = [], []
    for copy in range(copies):
        a, t = articles.copy(), topics.copy()
        if copy:
            suffix = f"-{copy}"
            a[s.DOC_ID] = (a[s.DOC_ID] + suffix).astype(s.STRING)
            t[s.DOC_ID] = (t[s.DOC_ID] + suffix).astype(s.STRING)
            a[s.PUBLISHED_AT] = a[s.PUBLISHED_AT] - pd.Timedelta(weeks=copy)
            a[s.ARTICLE_KEY] += copy * len(articles)  # numbered after the copies before, as one load would
            t[s.ARTICLE_KEY] += copy * len(articles)
        frames.append(a)
        topic_frames.append(t)
    articles = pd.concat(frames, ignore_index=True).iloc[:rows]
    topics = pd.concat(topic_frames, ignore_index=True)
    topics = topics[topics[s.DOC_ID].isin(articles[s.DOC_ID])].reset_index(drop=True)
    assert articles[s.ARTICLE_KEY].tolist() == list(range(rows)), "every article one key, as in one load"
    for frame, columns in ((articles, [s.CATEGORY, s.TYPE, s.PROVIDER_NAME, s.PROVIDER_DOMAIN]), (topics, [s.TOPIC])):
        for column in columns:
            frame[column] = frame[column].astype(str).astype("category")
    return articles, topics


def _all_views(articles, topics, filters) -> dict:  # noqa: ANN001 - benchmark plumbing
    """Time what the dashboard recomputes after a filter change: the filter, then each view's metrics."""
    from analytics.measure import metrics as m
    from analytics.measure.filters import filter_articles, previous_period, topics_of

    options = m.MetricOptions()
    started = time.perf_counter()
    a = filter_articles(articles, topics, filters)
    t = topics_of(topics, a)
    dates = articles["published_at"].dropna()
    before_filters = previous_period(filters, dates.min().date(), dates.max().date())
    before = filter_articles(articles, topics, before_filters)
    failures = []
    calls = {
        "kpis": lambda: m.kpis(a, t, before, topics_of(topics, before)),
        "volume": lambda: m.volume(a, t, granularity=options.granularity, top_n=options.top_n),
        "volume by outlet": lambda: m.volume(a, t, granularity=options.granularity, split="provider", top_n=options.top_n),
        "provider_share": lambda: m.provider_share(a, top_n=options.top_n),
        "topic_mix": lambda: m.topic_mix(a, t, granularity=options.granularity, top_n=options.top_n),
        "topic_cooccurrence": lambda: m.topic_cooccurrence(a, t, top_n=options.top_n),
        "quality_heat": lambda: m.quality_heat(a),
        "quality_heat_summary": lambda: m.quality_heat_summary(a),
        "top_stories": lambda: m.top_stories(a, t, limit=1_000),  # the Articles view's table
    }
    each = {}
    for name, call in calls.items():
        began = time.perf_counter()
        try:
            call()
        except Exception as error:  # noqa: BLE001 - the metrics are being written; report, go on
            failures.append(f"{name}: {type(error).__name__}: {error}")
        each[name] = round(time.perf_counter() - began, 3)
    return {"seconds": time.perf_counter() - started, "filtered_rows": len(a), "each": each, "failures": failures}


def summary(results: dict) -> str:
    """The results as Markdown tables."""
    lines = ["| documents | way of loading | seconds | x naive | peak MB (main) | peak MB (a worker) |", "| --- | --- | --- | --- | --- | --- |"]
    for size, suite in results["loads"].items():
        for name, entry in suite.items():
            lines.append(f"| {int(size):,} | {name} | {entry['seconds']:.2f} | {entry.get('naive_ratio')} | {entry['peak_mb']} | {entry['worker_peak_mb']} |")
    lines += ["", "| article rows | filter change + all metrics, seconds | peak MB |", "| --- | --- | --- |"]
    for rows, entry in results["metrics"].items():
        lines.append(f"| {int(rows):,} | {entry.get('pending') or round(entry['seconds'], 3)} | {entry['peak_mb']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        _measure(sys.argv[2:])
    else:
        raise SystemExit(main())
