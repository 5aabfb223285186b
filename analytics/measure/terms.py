"""What coverage was about: the terms of a selection, and the terms that set it apart from a reference.

Titles and excerpts are tokenised once per load into a sparse document-term matrix (scikit-learn's
`CountVectorizer`: lower-cased unigrams and bigrams, English stop words, news boilerplate and the
outlets' own names removed). A filter change only slices that matrix by the selected articles'
rows, so terms follow the sidebar as fast as the other views.

Distinctive terms are ranked by the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008, "Fightin' Words"): the prior is the whole load's word use, so rare
words need more evidence than common ones, and the z-score says how sure the difference is.
Terms that only one outlet uses (its own boilerplate) are listed after the terms several outlets
use, so they cannot top a list of what several outlets covered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analytics import schema as s
from analytics.measure.filters import Filters, filter_articles, previous_period

if TYPE_CHECKING:
    import scipy.sparse as sp
# scikit-learn and SciPy are imported where the matrix is built: importing them sets warning
# filters, and importing `analytics` leaves the host program's alone.

TERM = "term"
COUNT = "count"
REFERENCE_COUNT = "reference_count"
ARTICLES = "articles"
OUTLETS = "outlets"
LOG_ODDS = "log_odds"
Z = "z"
TERM_COLUMNS = [TERM, COUNT, ARTICLES, OUTLETS]
DISTINCTIVE_COLUMNS = [TERM, COUNT, REFERENCE_COUNT, ARTICLES, OUTLETS, LOG_ODDS, Z]

# Words every news feed repeats whatever the story: they say nothing about what coverage was about.
BOILERPLATE = frozenset(
    """
    says said say saying told tells according report reports reported reporting news latest update
    updates live video watch read click subscribe newsletter breaking exclusive new just know like
    make makes way ways want need year years week weeks today day days time times things thing
    look looks use using used want wants going got getting let lets did does don doesn isn
    amp nbsp quot http https www com html
    """.split()
)
# A word starts with a letter and has at least two characters; bare numbers are not terms.
TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W_]+\b"


@dataclass(frozen=True)
class TermOptions:
    """How many terms a list shows and how the ranking weighs evidence."""

    top_n: int = 25
    # The informative prior counts as this many words spread like the whole load's word use.
    prior_words: float = 1_000.0
    # Terms fewer outlets than this use (when the selection has that many) are ranked after the rest.
    min_outlets: int = 2
    # Outlets are counted for this many best-scoring candidates per list, not for every term.
    candidates_per_term: int = 10


@dataclass(frozen=True, eq=False)
class TermMatrix:
    """Term counts per article of one load: row `i` is the `i`-th article it was built from.

    Articles are found by their `article_key` (`row_of_key`), so a filtered frame of the same
    load maps to its rows by array indexing; articles without a key are not in the matrix.
    """

    counts: sp.csr_matrix  # articles x terms, occurrences in title + excerpt
    terms: np.ndarray  # the term of each column
    row_of_key: np.ndarray  # article_key -> row (-1: not in the matrix)
    outlet_codes: np.ndarray  # each row's outlet as a small integer (-1: no outlet)
    totals: np.ndarray  # each term's count over every row: the prior's shape and "the rest"
    using: np.ndarray  # how many rows use each term: the counts of a selection of every article
    outlets: np.ndarray  # how many outlets use each term, over every row

    def rows(self, articles: pd.DataFrame) -> np.ndarray:
        """The matrix rows of the given articles (articles outside the matrix are left out)."""
        keys = articles[s.ARTICLE_KEY].to_numpy(dtype=np.int64, na_value=-1)
        inside = (keys >= 0) & (keys < len(self.row_of_key))
        rows = self.row_of_key[keys[inside]]
        return rows[rows >= 0]


@cache
def stop_words() -> frozenset[str]:
    """The words never counted as terms: scikit-learn's English stop words and news boilerplate."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | BOILERPLATE


def term_matrix(articles: pd.DataFrame) -> TermMatrix:
    """The document-term matrix of the articles' titles and excerpts (build once per load)."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(
        lowercase=False,  # `_pieces` lower-cases once, before taking the outlet names out
        token_pattern=TOKEN_PATTERN,
        stop_words=sorted(stop_words()),
        ngram_range=(1, 2),
        dtype=np.float32,  # counts stay exact far beyond any title's length; half the memory of int64
    )
    owner, pieces = _pieces(articles)
    try:
        by_piece = vectorizer.fit_transform(pieces)
        terms = vectorizer.get_feature_names_out().astype(object)
    except ValueError:  # nothing but stop words (or no articles): an empty vocabulary
        by_piece, terms = sp.csr_matrix((len(pieces), 0), dtype=np.float32), np.array([], dtype=object)
    # Each article's row is the sum of its pieces' rows.
    gather = sp.csr_matrix((np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(owner)))), shape=(len(articles), len(owner)))
    counts = (gather @ by_piece).tocsr()
    keys = articles[s.ARTICLE_KEY].to_numpy(dtype=np.int64, na_value=-1)
    row_of_key = np.full(int(keys.max(initial=-1)) + 1, -1, dtype=np.int64)
    row_of_key[keys[keys >= 0]] = np.flatnonzero(keys >= 0)
    outlets = articles[s.PROVIDER_DOMAIN].astype("category").cat.codes.to_numpy(dtype=np.int64)
    return with_sums(counts, terms, row_of_key, outlets)


def with_sums(counts: sp.csr_matrix, terms: np.ndarray, row_of_key: np.ndarray, outlet_codes: np.ndarray) -> TermMatrix:
    """A `TermMatrix` of the counts, with its column sums over every row worked out once."""
    every = np.arange(counts.shape[0])
    totals, using = _column_sums(counts)
    shell = TermMatrix(counts, terms, row_of_key, outlet_codes, totals, using, np.zeros(0, dtype=np.int64))
    return TermMatrix(counts, terms, row_of_key, outlet_codes, totals, using, _outlets_using(shell, every, counts, np.arange(len(terms))))


def _column_sums(counts: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Each column's total and how many rows use it."""
    width = counts.shape[1]
    return np.bincount(counts.indices, weights=counts.data, minlength=width), np.bincount(counts.indices, minlength=width)


# Where a sentence or headline part ends: a bigram never spans one ("…detection. Lawmakers…").
_BREAKS = r"[.!?;:|()\[\]{}\"“”«»]+|\s[-–—]+\s|\n"


def _pieces(articles: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The lower-cased sentences of every title and excerpt, with the row each came from.

    An outlet's name or a stop word splits the text like a full stop: it is taken out, and no
    bigram spans it ("Bank of England" gives "bank" and "england", never "bank england";
    scikit-learn would join the words either side of a stop word it removes).
    """
    names = _outlet_name_pattern(articles)
    split = re.compile(_BREAKS + (f"|{names}" if names else "") + f"|{_stop_word_pattern()}").split
    owner: list[int] = []
    pieces: list[str] = []
    for column in (s.TITLE, s.EXCERPT):
        for row, text in enumerate(articles[column].astype(object).tolist()):
            if isinstance(text, str):
                for piece in split(text.lower()):
                    if len(piece) > 1:
                        pieces.append(piece)
                        owner.append(row)
    return np.asarray(owner, dtype=np.int64), pieces


@cache
def _stop_word_pattern() -> str:
    """A regex matching any stop word as a whole word."""
    return r"(?<!\w)(?:" + "|".join(re.escape(word) for word in sorted(stop_words(), key=len, reverse=True)) + r")(?!\w)"


def _outlet_name_pattern(articles: pd.DataFrame) -> str | None:
    """A regex matching any outlet's name or domain as written in text, longest first."""
    names = set(articles[s.PROVIDER_NAME].dropna().astype(str).str.lower())
    domains = articles[s.PROVIDER_DOMAIN].dropna().astype(str).str.lower()
    names |= set(domains) | set(domains.str.rsplit(".", n=1).str[0])
    names |= {name.removeprefix("the ") for name in names}  # "Daily Ledger" as often as "The Daily Ledger"
    names = {name.strip() for name in names if len(name.strip()) > 1}
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)
    return r"(?<!\w)(?:" + "|".join(re.escape(name) for name in ordered) + r")(?!\w)"


def term_counts(matrix: TermMatrix, articles: pd.DataFrame) -> pd.DataFrame:
    """Every term the articles use, with its count and the number of articles using it (unsorted)."""
    _, chosen = _select(matrix, articles)
    counts, using = _count(chosen, matrix)
    used = np.flatnonzero(counts)
    return pd.DataFrame({TERM: matrix.terms[used], COUNT: counts[used].astype(np.int64), ARTICLES: using[used]})


def top_terms(matrix: TermMatrix, articles: pd.DataFrame, options: TermOptions = TermOptions()) -> pd.DataFrame:
    """The terms most articles use, with counts and outlets; one outlet's own words go last."""
    rows, chosen = _select(matrix, articles)
    counts, using = _count(chosen, matrix)
    frame = pd.DataFrame({COUNT: counts.astype(np.int64), ARTICLES: using, _SCORE: using.astype(np.float64)})
    return _ranked(matrix, rows, chosen, frame[frame[ARTICLES] > 0], options)[TERM_COLUMNS]


def distinctive_terms(
    matrix: TermMatrix, articles: pd.DataFrame, reference: pd.DataFrame | None = None, options: TermOptions = TermOptions()
) -> pd.DataFrame:
    """The terms the articles use more than the reference does, most distinctive first.

    `reference` None means every other article of the matrix ("the rest of the corpus"). `count`
    and `reference_count` are occurrences, `log_odds` and `z` the Monroe et al. estimate and its
    z-score; `articles` and `outlets` say how many of the selected articles and outlets use it.
    """
    rows, chosen = _select(matrix, articles)
    counts, using = _count(chosen, matrix)
    other = matrix.totals - counts if reference is None else _count(_select(matrix, reference)[1], matrix)[0]
    if not other.sum() or not counts.sum():  # nothing to set the selection against (or nothing selected)
        return pd.DataFrame({name: [] for name in DISTINCTIVE_COLUMNS}).astype({TERM: object, COUNT: np.int64, REFERENCE_COUNT: np.int64, ARTICLES: np.int64, OUTLETS: np.int64})
    prior = matrix.totals * (options.prior_words / max(float(matrix.totals.sum()), 1.0))
    delta, z = log_odds(counts, other, prior)
    frame = pd.DataFrame({COUNT: counts.astype(np.int64), REFERENCE_COUNT: other.astype(np.int64), ARTICLES: using, LOG_ODDS: delta, Z: z, _SCORE: z})
    return _ranked(matrix, rows, chosen, frame[(z > 0) & (counts > 0)], options)[DISTINCTIVE_COLUMNS]


def previous_articles(articles: pd.DataFrame, topics: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """What rising terms are measured against: the articles the same filters keep in the period before.

    The one place that says which period that is, for the dashboard, the report and the CLI alike.
    """
    dates = articles[s.PUBLISHED_AT].dropna()
    if dates.empty:
        return articles.head(0)
    before = previous_period(filters, dates.min().date(), dates.max().date())
    return articles.head(0) if before is None else filter_articles(articles, topics, before)


def articles_using(matrix: TermMatrix, articles: pd.DataFrame, term: str) -> pd.DataFrame:
    """The articles (rows of `articles`, in their order) whose title or excerpt uses the term."""
    column = np.flatnonzero(matrix.terms == term)
    if not len(column):
        return articles.head(0)
    using = np.zeros(matrix.counts.shape[0] + 1, dtype=bool)  # the extra slot: articles outside the matrix
    using[:-1] = matrix.counts[:, column[0]].toarray().ravel() > 0
    keys = articles[s.ARTICLE_KEY].to_numpy(dtype=np.int64, na_value=-1)
    inside = (keys >= 0) & (keys < len(matrix.row_of_key))
    rows = np.full(len(keys), -1, dtype=np.int64)
    rows[inside] = matrix.row_of_key[keys[inside]]
    return articles[using[rows]]


def log_odds(counts_a: np.ndarray, counts_b: np.ndarray, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each term's weighted log-odds ratio of A against B with a Dirichlet prior, and its z-score.

    Monroe, Colaresi & Quinn (2008), eqs. 16 and 20: with a = prior, a0 = its sum,
    delta = log((y_a + a) / (n_a + a0 - y_a - a)) - log((y_b + a) / (n_b + a0 - y_b - a)),
    var = 1 / (y_a + a) + 1 / (y_b + a), z = delta / sqrt(var).
    """
    y_a, y_b, prior = (np.asarray(x, dtype=np.float64) for x in (counts_a, counts_b, prior))
    a0, n_a, n_b = prior.sum(), y_a.sum(), y_b.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((y_a + prior) / (n_a + a0 - y_a - prior)) - np.log((y_b + prior) / (n_b + a0 - y_b - prior))
        z = delta / np.sqrt(1 / (y_a + prior) + 1 / (y_b + prior))
    return np.nan_to_num(delta), np.nan_to_num(z)


_SCORE = "_score"


def _select(matrix: TermMatrix, articles: pd.DataFrame) -> tuple[np.ndarray, sp.csr_matrix]:
    """The articles' matrix rows (sorted) and those rows of the matrix (the matrix itself for every row)."""
    rows = np.sort(matrix.rows(articles))
    return rows, matrix.counts if len(rows) == matrix.counts.shape[0] else matrix.counts[rows]


def _count(chosen: sp.csr_matrix, matrix: TermMatrix) -> tuple[np.ndarray, np.ndarray]:
    """Each term's occurrences in the chosen rows, and how many of the rows use it."""
    return (matrix.totals, matrix.using) if chosen is matrix.counts else _column_sums(chosen)


def _ranked(matrix: TermMatrix, rows: np.ndarray, chosen: sp.csr_matrix, frame: pd.DataFrame, options: TermOptions) -> pd.DataFrame:
    """The best `top_n` terms of `frame` (indexed by column) by `_score`; terms too few outlets use go last.

    Outlets are counted for the best candidates only: counting them for every term costs a sort
    of the whole selection, and a term far down the score cannot reach the top anyway.
    """
    pool = frame.nlargest(options.top_n * max(options.candidates_per_term, 1), _SCORE, keep="all").index.to_numpy()
    outlets = matrix.outlets[pool] if chosen is matrix.counts else _outlets_using(matrix, rows, chosen, pool)
    ranked = frame.loc[pool].assign(**{TERM: matrix.terms[pool], OUTLETS: outlets})
    enough = min(options.min_outlets, len(np.unique(matrix.outlet_codes[rows])))
    ranked["_wide"] = ranked[OUTLETS] >= enough
    ranked = ranked.sort_values(["_wide", _SCORE, TERM], ascending=[False, False, True], kind="stable")
    return ranked.head(options.top_n).drop(columns=[_SCORE, "_wide"]).reset_index(drop=True)


def _outlets_using(matrix: TermMatrix, rows: np.ndarray, chosen: sp.csr_matrix, columns: np.ndarray) -> np.ndarray:
    """How many distinct outlets among the chosen rows use each of the given columns."""
    slot = np.full(len(matrix.terms), -1, dtype=np.int64)
    slot[columns] = np.arange(len(columns))
    where = slot[chosen.indices]
    outlet = np.repeat(matrix.outlet_codes[rows], np.diff(chosen.indptr)) + 1  # 0: no outlet
    hit = (where >= 0) & (outlet > 0)
    outlets = int(matrix.outlet_codes.max(initial=0)) + 2
    if outlets * len(columns) <= 50_000_000:  # a table of who used what: no sort needed
        seen = np.zeros((outlets, len(columns)), dtype=bool)
        seen[outlet[hit], where[hit]] = True
        return seen[1:].sum(axis=0)
    pairs = np.unique(where[hit] * outlets + outlet[hit])
    return np.bincount(pairs // outlets, minlength=len(columns))
