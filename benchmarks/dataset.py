"""Times `dataset build`: a cold build, a build with nothing changed, and one after new files appeared.

    .venv/bin/python benchmarks/dataset.py CORPUS --out DIR [--new-percent 1] [--workers 2]

The dataset is built from two sources, CORPUS and a folder this script owns (`--extra`,
default DIR-new), so that new files can be added without touching CORPUS. Each step runs the command
line in a fresh process; the table gives wall seconds, the CPU seconds of the build and its
local cluster, and the load average before and after (other work shares the machine).
Recorded in docs/scaling.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from analytics.generate import generate_corpus
from analytics.store.dataset import is_dataset, read_manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--out", required=True)
    parser.add_argument("--new-percent", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--extra", help="the folder new files are written to (default: DIR-new)")
    parser.add_argument("--keep", action="store_true", help="reuse an existing dataset instead of the cold build")
    args = parser.parse_args()
    out = Path(args.out)
    extra = Path(args.extra) if args.extra else out.with_name(out.name + "-new")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(extra, ignore_errors=True)
    extra.mkdir(parents=True, exist_ok=True)
    build = [sys.executable, "-m", "analytics", "dataset", "build", args.corpus, str(extra), "--out", str(out), "--workers", str(args.workers), "--quiet"]
    rows = []
    if not is_dataset(out):
        rows.append(("cold build", *_timed(build)))
    rows.append(("nothing changed", *_timed(build)))
    documents = read_manifest(out).counts.get("documents", 0)
    new = max(1, round(documents * args.new_percent / 100))
    generate_corpus(extra / f"batch-{time.time_ns()}", new, seed=time.time_ns() % 10_000)
    rows.append((f"{new:,} new files ({args.new_percent:g}%)", *_timed(build)))
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    print(f"dataset {out}: {size / 1e6:,.0f} MB, {documents:,} documents before the new files")
    print("| step | wall s | CPU s | load average before → after |")
    print("| --- | --- | --- | --- |")
    for name, wall, cpu, before, after in rows:
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {before} → {after} |")
    return 0


def _timed(command: list[str]) -> tuple[float, float, str, str]:
    """Run a command; its wall and CPU seconds (its children included) and the 1-minute load average before and after."""
    before, used = _load(), _children_cpu()
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=sys.stderr)
    return time.perf_counter() - started, _children_cpu() - used, before, _load()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
