"""Command line: a thin front door that turns arguments into library calls."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from analytics import schema as s
from analytics.cache import clear_cache, default_cache_dir
from analytics.corpus import Corpus, load_corpus
from analytics.generate import generate_corpus, write_odd_documents
from analytics.progress import ProgressLine


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code is 0 when it ran, 2 for unusable arguments."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="News Coverage Analytics")
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="read folders of documents and report what was loaded")
    load.add_argument("paths", nargs="+", metavar="PATH", help="folders (searched recursively) or files")
    load.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    load.add_argument("--no-cache", action="store_true", help="parse every file; neither read nor write the parse cache")
    load.add_argument("--quiet", action="store_true", help="no progress line on stderr")
    load.set_defaults(run=_run_load)

    cache = commands.add_parser("cache", help="show where the parse cache is kept, or clear it")
    cache.add_argument("--clear", action="store_true", help="delete every cached parse")
    cache.set_defaults(run=_run_cache)

    generate = commands.add_parser("generate", help="write a synthetic corpus of documents")
    generate.add_argument("out_dir", metavar="OUT_DIR")
    generate.add_argument("--docs", type=int, required=True, help="number of documents to write")
    generate.add_argument("--seed", type=int, default=0, help="random seed (same seed, same corpus)")
    generate.add_argument("--short-bodies", action="store_true", help="one-paragraph bodies (smaller files)")
    generate.add_argument("--odd-files", action="store_true", help="also write a few deliberately odd files")
    generate.set_defaults(run=_run_generate)
    return parser


def _run_load(args: argparse.Namespace) -> int:
    progress = None if args.quiet else ProgressLine(sys.stderr)
    corpus = load_corpus(*args.paths, progress=progress, cache=not args.no_cache)
    if args.json:
        json.dump(corpus.summary(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(describe(corpus))
    return 0


def _run_generate(args: argparse.Namespace) -> int:
    if args.docs < 0:
        print("error: --docs must be zero or more", file=sys.stderr)
        return 2
    body = (1, 1) if args.short_bodies else (12, 20)
    written = generate_corpus(args.out_dir, args.docs, seed=args.seed, body_paragraphs=body)
    if args.odd_files:
        written += write_odd_documents(Path(args.out_dir) / "odd")
    print(f"wrote {len(written)} files under {args.out_dir}")
    return 0


def _run_cache(args: argparse.Namespace) -> int:
    folder = default_cache_dir()
    if args.clear:
        print(f"removed {clear_cache(folder)} cache files from {folder}")
    else:
        files = list(folder.glob("*.parquet")) if folder.is_dir() else []
        size = sum(f.stat().st_size for f in files) / 1_048_576
        print(f"{folder}: {len(files)} cached corpora, {size:.1f} MB (set $NEWS_ANALYTICS_CACHE_DIR to move it)")
    return 0


def describe(corpus: Corpus) -> str:
    """A short human summary of a load: the accounting, then each problem on its own line."""
    lines = [
        f"{corpus.files_seen} files seen: {corpus.loaded} loaded, {corpus.skipped} skipped, "
        f"{corpus.duplicates} duplicates, {corpus.ignored} ignored",
    ]
    articles = corpus.articles
    if len(articles):
        dates = articles[s.PUBLISHED_AT].dropna()
        span = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}" if len(dates) else "no dates"
        lines.append(
            f"{articles[s.PROVIDER_DOMAIN].nunique()} outlets, {corpus.topics[s.TOPIC].nunique()} topics, {span}"
        )
    for problem in corpus.problems.itertuples(index=False):
        lines.append(f"{getattr(problem, s.SEVERITY):9} {getattr(problem, s.PATH)}: {getattr(problem, s.MESSAGE)}")
    return "\n".join(lines)
