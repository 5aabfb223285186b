"""Command line: a thin front door that turns arguments into library calls."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from analytics import schema as s
from analytics.frames.corpus import Corpus, load_corpus
from analytics.generate import generate_corpus, write_annotations, write_odd_documents
from analytics.measure import dataset_rows
from analytics.measure import metrics as m
from analytics.measure.filters import (
    Filters,
    resolve_providers,
    resolve_topics,
    without_events,
)
from analytics.measure.periods import CUSTOM, PRESETS, as_of, preset_period
from analytics.measure.terms import TermOptions
from analytics.present.export import (
    AGAINST,
    TABLES,
    Provenance,
    export_csv,
    export_table,
    provenance_of,
    selected_table,
    terms_table,
)
from analytics.present.report import COMPARE_CHOICES, report_html, report_name
from analytics.present.report_format import plural
from analytics.progress import ProgressLine
from analytics.read.arrow_memory import choose_allocator
from analytics.read.names import shown_name
from analytics.store.cache import cache_usage, clear_cache, default_cache_dir
from analytics.store.dataset import is_dataset, read_frame, read_manifest


class UsageError(Exception):
    """An argument that names nothing in the loaded corpus (exit code 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit code is 0 when it ran, 2 for unusable arguments, 130 when interrupted."""
    parser = _parser()
    args = parser.parse_args(argv)
    choose_allocator()  # this program's own choice; the library leaves the allocator alone
    try:
        return args.run(args)
    except (FileNotFoundError, UsageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback, and the shell's usual status
        print(("\n" if sys.stderr.isatty() else "") + "interrupted", file=sys.stderr)  # after a progress line, a line of its own
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="News Coverage Analytics")
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="read folders of documents and report what was loaded")
    load.add_argument("paths", nargs="+", metavar="PATH", help="folders (searched recursively) or files")
    load.add_argument("--json", action="store_true", help="print one JSON object instead of a summary")
    load.add_argument("--no-cache", action="store_true", help="parse every file; neither read nor write the parse cache")
    load.add_argument("--quiet", action="store_true", help="no progress line on stderr")
    load.set_defaults(run=_run_load)

    dataset = commands.add_parser("dataset", help="build a Parquet dataset of a corpus, on a Dask cluster (see docs/scaling.md)")
    actions = dataset.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="parse the documents into a dataset folder; run again to add new or changed documents")
    build.add_argument("paths", nargs="+", metavar="PATH", help="folders (searched recursively) or files")
    build.add_argument("--out", required=True, metavar="DIR", help="the dataset folder (created, or updated when it holds a build of the same paths)")
    build.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
    build.add_argument("--workers", type=int, default=2, metavar="N", help="processes of the local cluster (default 2)")
    build.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    build.set_defaults(run=_run_dataset_build)

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

    export = commands.add_parser("export", help="write one table as spreadsheet-safe CSV (UTF-8 with BOM)")
    export.add_argument("paths", nargs="+", metavar="PATH", help="folders (searched recursively) or files")
    export.add_argument("--table", choices=TABLES, required=True, help="the table or view to export")
    export.add_argument("-o", "--output", metavar="FILE", help="CSV file, or a folder for a name with the view and dates (default: stdout)")
    export.add_argument("--limit", type=int, metavar="N", help="at most N rows; a cut export says so in its last line")
    export.add_argument("--no-sidecar", action="store_true", help="with -o, do not write FILE's .provenance.json beside it")
    export.add_argument(
        "--against", choices=AGAINST,
        help="with --table terms: the terms that set the selection apart from the previous period (rising) or the rest of the data",
    )
    _add_filter_arguments(export)
    export.set_defaults(run=_run_export)

    report = commands.add_parser("report", help="write the one-file HTML meeting report (opens offline)")
    report.add_argument("paths", nargs="+", metavar="PATH", help="folders (searched recursively) or files")
    report.add_argument("-o", "--output", metavar="FILE", help="HTML file, or a folder (default: report_START_END.html here)")
    report.add_argument("--compare", choices=COMPARE_CHOICES, default="previous", help="compare with the period just before (default) or not at all")
    report.add_argument("--compare-outlets", nargs="+", default=[], metavar="X", help="also compare these outlets (domains or names) with all the others")
    _add_filter_arguments(report)
    report.set_defaults(run=_run_report)
    return parser


def _add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """The filter and view options shared by `export` and `report`."""
    group = parser.add_argument_group("filters")
    group.add_argument(
        "--period", choices=[name for name in PRESETS if name != CUSTOM], metavar="NAME",
        help="calendar period counted back from today, or from the data's last day when it ends earlier: " + ", ".join(name for name in PRESETS if name != CUSTOM),
    )
    group.add_argument("--since", type=_date, metavar="DATE", help="first day, inclusive (YYYY-MM-DD, UTC)")
    group.add_argument("--until", type=_date, metavar="DATE", help="last day, inclusive (YYYY-MM-DD, UTC)")
    group.add_argument("--provider", action="append", default=[], metavar="X", help="outlet domain or name (repeatable)")
    group.add_argument("--topic", action="append", default=[], metavar="X", help="topic, any of them (repeatable)")
    group.add_argument("--search", default="", metavar="TEXT", help="text in the title or excerpt")
    group.add_argument("--events", action="store_true", help="count events (type: conference and the like) as articles; left out by default")
    group.add_argument("--count", choices=("articles", "stories"), default="articles", help="count every article, or each story once (as the dashboard's Count)")
    group.add_argument("--granularity", choices=list(m.GRANULARITIES), default=m.MetricOptions.granularity, help="period length for volume and topic mix")
    group.add_argument("--top", type=int, default=m.MetricOptions.top_n, metavar="N", help="outlets/topics shown before 'Other'")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-31") from None


def filters_from_args(args: argparse.Namespace, corpus: Corpus, today: date | None = None) -> Filters:
    """The `Filters` the filter arguments ask for; outlets and topics matched against the corpus.

    `--period` picks the dates (as the dashboard's presets do); `--since`/`--until` then narrow them.
    """
    dates = corpus.articles[s.PUBLISHED_AT].dropna()
    return _filters(args, corpus.articles, corpus.topics, dates.max().date() if len(dates) else None, corpus.articles, today)


def _filters(
    args: argparse.Namespace, outlets: pd.DataFrame, topics: pd.DataFrame, last_day: date | None, types: pd.DataFrame, today: date | None = None
) -> Filters:
    """The filters asked for, against the data's outlets, topics, last publication day and document types."""
    providers = _resolved(resolve_providers, outlets, args.provider)
    topics = _resolved(resolve_topics, topics, args.topic)
    start, end = args.since, args.until
    if getattr(args, "period", None):
        if last_day is None:
            raise UsageError(f"--period {args.period}: no article has a publication date")
        chosen = preset_period(args.period, as_of(last_day, today or date.today()))
        if chosen is None and args.period != "all":
            raise UsageError(f"--period {args.period} falls outside the calendar")
        if chosen is not None:
            start, end = start or chosen.start, end or chosen.end
    filters = Filters(start=start, end=end, providers=providers, topics=topics, search=args.search)
    return filters if getattr(args, "events", False) else without_events(filters, types)


def _resolved(
    resolve: Callable[[pd.DataFrame, Sequence[str]], tuple[str, ...]], frame: pd.DataFrame, wanted: Sequence[str]
) -> tuple[str, ...]:
    """`resolve(frame, wanted)`; a name that matches nothing is a `UsageError` (exit code 2)."""
    try:
        return resolve(frame, wanted)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _options(args: argparse.Namespace) -> m.MetricOptions:
    return m.MetricOptions(top_n=args.top, granularity=args.granularity)


def _output_path(output: str, default_name: str) -> Path:
    """The file to write: `output`, or `default_name` inside it when it is (or ends like) a folder."""
    path = Path(output)
    if path.is_dir() or output.endswith(("/", os.sep)):
        path = path / default_name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _run_load(args: argparse.Namespace) -> int:
    progress = None if args.quiet else ProgressLine(sys.stderr)
    corpus = load_corpus(*args.paths, progress=progress, cache=not args.no_cache)
    if args.json:
        json.dump(corpus.summary(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(describe(corpus))
    return 0


def _run_dataset_build(args: argparse.Namespace) -> int:
    import distributed  # noqa: F401 - Dask is imported only by the command that uses it; it sets its loggers on import

    from analytics.frames.dataset import build_dataset

    logging.getLogger("distributed").setLevel(logging.ERROR)  # the cluster's own chatter (shuffles begun and ended) is not the user's business
    say = None if args.quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    try:
        report = build_dataset(*args.paths, out=args.out, scheduler=args.scheduler, workers=args.workers, say=say)
    except FileExistsError as error:
        raise UsageError(str(error)) from None
    counts = report.manifest.counts
    print(
        f"{report.folder}: {report.manifest.files_seen} files seen: {counts.get('articles', 0)} loaded, "
        f"{counts.get('skipped', 0)} skipped, {counts.get('duplicates', 0)} duplicates, {len(report.manifest.ignored)} ignored; "
        f"{report.parsed} parsed, {report.reused} unchanged; {report.months_written} months written, "
        f"{report.months_kept} kept; {report.seconds:.1f} s"
    )
    return 0


def _run_generate(args: argparse.Namespace) -> int:
    if args.docs < 0:
        print("error: --docs must be zero or more", file=sys.stderr)
        return 2
    body = (1, 1) if args.short_bodies else (12, 20)
    written = generate_corpus(args.out_dir, args.docs, seed=args.seed, body_paragraphs=body)
    if args.odd_files:
        written += write_odd_documents(Path(args.out_dir) / "odd") + [write_annotations(args.out_dir)]
    print(f"wrote {len(written)} files under {shown_name(args.out_dir)}")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    if len(args.paths) == 1 and is_dataset(args.paths[0]):
        frame, provenance, skipped, duplicates = _dataset_export(args)
    else:
        corpus = load_corpus(*args.paths)
        filters = filters_from_args(args, corpus)
        provenance = provenance_of(args.table if args.against is None else f"{args.table}-vs-{args.against}", corpus, filters)
        frame, skipped, duplicates = _table(args, corpus, filters), corpus.skipped, corpus.duplicates
    result = export_csv(frame, provenance=provenance, limit=args.limit)
    if args.output is None:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    else:
        path = _output_path(args.output, provenance.file_name())
        path.write_bytes(result.data)
        if not args.no_sidecar:
            path.with_suffix(".provenance.json").write_text(result.sidecar_json(path.name), encoding="utf-8")
        print(f"wrote {plural(result.rows, 'row')} to {shown_name(str(path))}", file=sys.stderr)
    if not result.complete:
        print(f"warning: incomplete export: {result.sidecar()['note']}", file=sys.stderr)
    _note_problems(skipped, duplicates)
    return 0


def _table(args: argparse.Namespace, corpus: Corpus, filters: Filters) -> pd.DataFrame:
    """The table `export` writes; terms are as many as `--limit` asks for (else the default list)."""
    if args.table != "terms":
        if args.against:
            raise UsageError("--against goes with --table terms")
        return export_table(corpus, filters, args.table, _options(args))
    return terms_table(corpus, filters, args.against, TermOptions(top_n=args.limit) if args.limit else TermOptions())


def _dataset_export(args: argparse.Namespace) -> tuple[pd.DataFrame, Provenance, int, int]:
    """The export of a dataset, reading only the rows the filters select (through DuckDB); its provenance and problem counts."""
    folder = args.paths[0]
    if args.table == "terms":
        raise UsageError("--table terms reads a folder of documents, not a dataset (yet)")
    manifest = read_manifest(folder)
    first, last = dataset_rows.date_span(folder)
    filters = _filters(
        args, dataset_rows.outlets(folder), dataset_rows.topic_names(folder), last.date() if last else None, dataset_rows.document_types(folder)
    )
    try:
        chosen = dataset_rows.select(folder, filters, related=args.table == "related")
    except dataset_rows.SelectionTooLarge as error:
        raise UsageError(str(error)) from None
    problems = read_frame(folder, "problems", manifest) if args.table == "problems" else s.empty_frame(s.PROBLEM_DTYPES)
    corpus = Corpus(chosen.articles, chosen.topics, chosen.related, s.empty_frame(s.IMAGE_DTYPES), problems, sources=tuple(manifest.sources))
    start, end = filters.start or (first.date() if first else None), filters.end or (last.date() if last else None)
    provenance = Provenance(view=args.table, sources=corpus.sources, filters=filters, start=start, end=end)
    frame = selected_table(corpus, chosen.articles, chosen.topics, args.table, _options(args))
    return frame, provenance, int(manifest.counts.get("skipped", 0)), int(manifest.counts.get("duplicates", 0))


def _run_report(args: argparse.Namespace) -> int:
    corpus = load_corpus(*args.paths)
    filters = filters_from_args(args, corpus)
    path = _output_path(args.output or ".", report_name(corpus, filters))
    outlets = _resolved(resolve_providers, corpus.articles, args.compare_outlets)
    html = report_html(corpus, filters, _options(args), compare=args.compare, compare_outlets=outlets, count_stories=args.count == "stories")
    path.write_text(html, encoding="utf-8")
    print(f"wrote the report to {shown_name(str(path))}")
    _note_problems(corpus.skipped, corpus.duplicates)
    return 0


def _note_problems(skipped: int, duplicates: int) -> None:
    if skipped or duplicates:
        print(
            f"note: {skipped} files skipped and {duplicates} duplicates not loaded "
            "(`python -m analytics load PATH` lists them)",
            file=sys.stderr,
        )


def _run_cache(args: argparse.Namespace) -> int:
    folder = default_cache_dir()
    if args.clear:
        print(f"removed {clear_cache(folder)} cache files from {folder}")
    else:
        count, size = cache_usage(folder)
        print(f"{folder}: {count} cached corpora, {size / 1_048_576:.1f} MB (set $NEWS_ANALYTICS_CACHE_DIR to move it)")
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
        # Names and messages come from the files: escaped, so a line break in a name cannot fake a line.
        lines.append(f"{getattr(problem, s.SEVERITY):9} {shown_name(getattr(problem, s.PATH))}: {shown_name(getattr(problem, s.MESSAGE))}")
    return "\n".join(lines)
