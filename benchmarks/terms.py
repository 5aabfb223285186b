"""Terms benchmark: building the document-term matrix once, then terms after a filter change.

`python benchmarks/terms.py CORPUS [--rows 100000 1000000]` loads CORPUS (with the parse cache),
times `term_matrix` on its articles, then for each row count times what the Terms view
recomputes when a filter changes: the filter, top terms, distinctive terms against the rest of
the corpus and rising terms against the previous period. Counts above the corpus size repeat
its articles (as `run.py`'s metric timings do) and stack copies of the matrix, which is what
building it on the repeated titles would give. Prints JSON with the load average beside each time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from run import _scaled  # noqa: E402

from analytics import load_corpus  # noqa: E402
from analytics import schema as s  # noqa: E402
from analytics.measure import terms as tm  # noqa: E402
from analytics.measure.filters import Filters, filter_articles, previous_period  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="filter changes timed per row count; the fastest counts")
    parser.add_argument("--themed", action="store_true", help="rewrite titles and excerpts as today's generator writes them (a corpus made before it has a tiny vocabulary)")
    parser.add_argument("--build-at-scale", action="store_true", help="also time building the matrix on the largest row count itself")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    if args.themed:
        corpus.articles = _themed(corpus.articles)
    started = time.perf_counter()
    matrix = tm.term_matrix(corpus.articles)
    built = time.perf_counter() - started
    print(json.dumps({"build_seconds": round(built, 2), "articles": corpus.loaded, "terms": len(matrix.terms), "nonzeros": int(matrix.counts.nnz), "load_average": os.getloadavg()}), flush=True)
    for rows in args.rows:
        articles, topics = _scaled(corpus.articles, corpus.topics, rows, pd, s)
        if args.build_at_scale and rows == max(args.rows):
            began = time.perf_counter()
            big = tm.term_matrix(articles)
            print(json.dumps({"rows": rows, "build_seconds": round(time.perf_counter() - began, 2), "terms": len(big.terms), "load_average": os.getloadavg()}), flush=True)
        else:
            big = _stacked(matrix, -(-rows // corpus.loaded), rows, articles)
        runs = [_filter_change(big, articles, topics) for _ in range(args.repeat)]
        best = min(runs, key=lambda run: run["seconds"])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(json.dumps({"rows": rows, **best, "runs": [r["seconds"] for r in runs], "peak_mb": peak, "load_average": os.getloadavg()}), flush=True)
    return 0


def _themed(articles: pd.DataFrame) -> pd.DataFrame:
    """The articles with titles and excerpts written from the generator's themes at their dates."""
    import random

    from analytics.generate import excerpt, headline, theme_at

    rng = random.Random(1)
    when = articles[s.PUBLISHED_AT]
    position = ((when - when.min()) / (when.max() - when.min())).fillna(0.5).tolist()
    days = (when.max() - when.min()).days
    themes = [theme_at(rng, p, days) for p in position]
    return articles.assign(**{
        s.TITLE: pd.array([headline(rng, theme) for theme in themes], dtype=s.STRING),
        s.EXCERPT: pd.array([excerpt(rng, theme) for theme in themes], dtype=s.STRING),
    })


def _stacked(matrix: tm.TermMatrix, copies: int, rows: int, articles: pd.DataFrame) -> tm.TermMatrix:
    """The matrix of `copies` repeats of the corpus, cut to `rows` (what building it on them gives)."""
    counts = sp.vstack([matrix.counts] * copies, format="csr")[:rows]
    keys = articles[s.ARTICLE_KEY].to_numpy(dtype=np.int64)
    row_of_key = np.full(int(keys.max()) + 1, -1, dtype=np.int64)
    row_of_key[keys] = np.arange(len(keys))
    outlets = articles[s.PROVIDER_DOMAIN].astype("category").cat.codes.to_numpy(dtype=np.int64)
    return tm.with_sums(counts, matrix.terms, row_of_key, outlets)


def _filter_change(matrix: tm.TermMatrix, articles: pd.DataFrame, topics: pd.DataFrame) -> dict:
    """Time the Terms view after a filter change: one month of the busiest topic, against the rest and the month before."""
    dates = articles[s.PUBLISHED_AT].dropna()
    last = dates.max()
    month = Filters(start=(last - pd.Timedelta(days=60)).date(), end=(last - pd.Timedelta(days=30)).date(), topics=(topics[s.TOPIC].astype(str).value_counts().index[0],))
    each = {}
    year = filter_articles(articles, topics, Filters(start=(last - pd.Timedelta(days=365)).date()))
    started = time.perf_counter()
    a = filter_articles(articles, topics, month)
    before = filter_articles(articles, topics, previous_period(month, dates.min().date(), last.date()))
    each["filter"] = time.perf_counter() - started
    for name, call in {
        "top terms": lambda: tm.top_terms(matrix, a),
        "distinctive vs rest": lambda: tm.distinctive_terms(matrix, a),
        "rising vs previous": lambda: tm.distinctive_terms(matrix, a, before),
        "top terms, no filter": lambda: tm.top_terms(matrix, articles),
        "distinctive terms, last year (no topic)": lambda: tm.distinctive_terms(matrix, year),
    }.items():
        began = time.perf_counter()
        call()
        each[name] = time.perf_counter() - began
    seconds = sum(v for k, v in each.items() if "," not in k)
    return {"seconds": round(seconds, 3), "selected": len(a), "selected_in_last_year": len(year), "each": {k: round(v, 3) for k, v in each.items()}}


if __name__ == "__main__":
    raise SystemExit(main())
