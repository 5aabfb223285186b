import numpy as np
import pandas as pd
import pytest
from conftest import REAL_CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st
from inline_frames import articles_frame, with_keys
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.measure import terms as tm


def corpus(rows: list[tuple[str, str]], excerpts: list[str] | None = None) -> pd.DataFrame:
    """Articles from (title, outlet) pairs, numbered as a load numbers them."""
    frame = articles_frame([
        {s.TITLE: title, s.PROVIDER_NAME: outlet, s.EXCERPT: (excerpts or [None] * len(rows))[i]} for i, (title, outlet) in enumerate(rows)
    ])
    return with_keys(frame)[0]


def test_log_odds_matches_the_formula_worked_by_hand():
    # a0 = 3, n_a = n_b = 15.  Term 0: log(11/7) - log(3/15) = 2.06143, var = 1/11 + 1/3, z = 3.16490.
    # Term 1: log(1/17) - log(9/9) = -2.83321, var = 1/1 + 1/9, z = -2.68783.  Term 2: equal use, 0.
    delta, z = tm.log_odds(np.array([10, 0, 5]), np.array([2, 8, 5]), np.array([1.0, 1.0, 1.0]))
    assert delta == pytest.approx([2.06143, -2.83321, 0.0], abs=1e-5)
    assert z == pytest.approx([3.16490, -2.68783, 0.0], abs=1e-5)


def test_distinctive_terms_rank_by_the_hand_computed_z_score():
    selected = [("tariffs", "P"), ("tariffs", "Q"), ("tariffs", "R"), ("vaccines", "P"), ("markets", "Q"), ("markets", "R")]
    rest = [("tariffs", "S"), ("vaccines", "S"), ("vaccines", "T"), ("vaccines", "U"), ("storms", "S"), ("storms", "T"), ("markets", "U")]
    articles = corpus(selected + rest)
    matrix = tm.term_matrix(articles)
    # Totals: tariffs 4, vaccines 4, storms 2, markets 3 (13 words); a prior of 13 words is the totals.
    # tariffs: log(7/12) - log(5/15) = 0.559616, var 1/7 + 1/5, z 0.955727.
    # markets: log(5/14) - log(4/16) = 0.356675, var 1/5 + 1/4, z 0.531700.  vaccines is used less (negative z).
    found = tm.distinctive_terms(matrix, articles.head(len(selected)), None, tm.TermOptions(prior_words=13))
    expected = pd.DataFrame({
        tm.TERM: ["tariffs", "markets"], tm.COUNT: [3, 2], tm.REFERENCE_COUNT: [1, 1], tm.ARTICLES: [3, 2], tm.OUTLETS: [3, 2],
        tm.LOG_ODDS: [0.559616, 0.356675], tm.Z: [0.955727, 0.531700],
    })
    assert_frame_equal(found, expected, check_dtype=False, atol=1e-6)
    # The same against an explicit reference: the rest given as articles.
    against_rest = tm.distinctive_terms(matrix, articles.head(len(selected)), articles.tail(len(rest)), tm.TermOptions(prior_words=13))
    assert_frame_equal(against_rest, found)


def test_a_term_one_outlet_repeats_ranks_below_one_many_outlets_use_as_often():
    # "agency" (one outlet's own line) and "drought" (three outlets) are used equally often, and
    # "agency" would come first alphabetically on a tie.
    selected = [("agency", "P"), ("agency", "P"), ("agency", "P"), ("drought", "P"), ("drought", "Q"), ("drought", "R")]
    articles = corpus(selected + [("harvest", "S"), ("harvest", "T")])
    matrix = tm.term_matrix(articles)
    chosen = articles.head(len(selected))
    distinctive = tm.distinctive_terms(matrix, chosen)
    assert distinctive[tm.TERM].tolist() == ["drought", "agency"]
    assert distinctive[tm.Z].iloc[0] == pytest.approx(distinctive[tm.Z].iloc[1])
    assert distinctive[tm.OUTLETS].tolist() == [3, 1]
    assert tm.top_terms(matrix, chosen)[tm.TERM].tolist() == ["drought", "agency"]
    # Within a single outlet there is nobody to compare with: the score alone ranks.
    alone = articles.head(4)
    assert tm.top_terms(matrix, alone)[tm.TERM].tolist() == ["agency", "drought"]


STOP_SAMPLE = sorted(tm.stop_words())[::7]
WORDS = STOP_SAMPLE + ["drought", "tariffs", "vaccine", "harvest", "Ledger", "daily"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), min_size=1, max_size=12))
def test_stop_words_boilerplate_and_outlet_names_never_become_terms(titles):
    articles = corpus([(" ".join(words).capitalize() + " says The Daily Ledger", "The Daily Ledger") for words in titles])
    matrix = tm.term_matrix(articles)
    words_of_terms = {word for term in matrix.terms for word in term.split()}
    assert not words_of_terms & tm.stop_words()
    assert "daily ledger" not in set(matrix.terms)
    assert set(tm.top_terms(matrix, articles)[tm.TERM]) <= set(matrix.terms)


def test_no_bigram_spans_a_stop_word():
    articles = corpus([("Bank of England holds rates", "Herald"), ("Daily a Ledger", "The Daily Ledger")])
    terms = set(tm.term_matrix(articles).terms)
    assert {"bank", "england", "holds rates"} <= terms
    assert not terms & {"bank england", "daily ledger"}


def test_terms_are_lower_cased_and_bigrams_stay_within_a_sentence():
    articles = corpus([("Drought hits farms", "Alpha"), ("Tariffs rise", "Beta")], excerpts=["Farmers wait. Prices climb", None])
    terms = set(tm.term_matrix(articles).terms)
    assert {"drought", "drought hits", "hits farms", "farmers wait", "prices climb"} <= terms
    assert "wait prices" not in terms and "farms farmers" not in terms  # across a sentence or title/excerpt
    assert not any(term != term.lower() for term in terms)


def test_an_empty_or_wordless_selection_has_no_terms():
    articles = corpus([("The and of", "Alpha"), ("2026", "Beta")])
    matrix = tm.term_matrix(articles)
    assert tm.top_terms(matrix, articles).empty and tm.distinctive_terms(matrix, articles).empty
    assert list(tm.top_terms(matrix, articles.head(0)).columns) == tm.TERM_COLUMNS


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(["drought", "tariffs", "farm", "rain", "the", "prices"]), min_size=1, max_size=6), st.integers(0, 2)),
        min_size=1, max_size=25,
    )
)
def test_terms_of_the_whole_are_the_sum_of_the_terms_of_its_parts(rows):
    articles = corpus([(" ".join(words), f"Outlet {part}") for words, part in rows])
    matrix = tm.term_matrix(articles)
    part_of = np.array([part for _, part in rows])
    pieces = [tm.term_counts(matrix, articles[part_of == part]) for part in range(3)]
    summed = pd.concat(pieces).groupby(tm.TERM)[[tm.COUNT, tm.ARTICLES]].sum().sort_index()
    whole = tm.term_counts(matrix, articles).set_index(tm.TERM)[[tm.COUNT, tm.ARTICLES]].sort_index()
    assert_frame_equal(summed, whole, check_dtype=False)
    assert whole[tm.ARTICLES].le(len(articles)).all()


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the shared real corpus is not present beside the project")
def test_the_busiest_month_of_real_titles_has_terms_from_those_titles():
    corpus = load_corpus(REAL_CORPUS)
    articles = corpus.articles
    month = articles[s.PUBLISHED_AT].dt.strftime("%Y-%m")
    busiest = articles[month == month.value_counts().index[0]]
    matrix = tm.term_matrix(articles)
    text = (busiest[s.TITLE].fillna("") + " " + busiest[s.EXCERPT].fillna("")).str.lower()
    for found in (tm.top_terms(matrix, busiest), tm.distinctive_terms(matrix, busiest)):
        assert len(found) == tm.TermOptions().top_n
        for row in found.itertuples():  # each term is in as many of the month's articles as it says
            words = row.term.split()
            assert not set(words) & tm.stop_words()
            for word in words:  # (a bigram's words may stand a stop word or a number apart)
                assert row.articles <= text.str.contains(rf"\b{word}\b").sum()
        names = {str(name).lower() for name in busiest[s.PROVIDER_NAME].dropna()}
        assert not set(found[tm.TERM]) & names
