from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inline_frames import topics_frame, with_keys

from analytics import load_corpus
from analytics import schema as s
from analytics.frames.keys import (
    article_keys,
    article_numbers,
    belongs,
    has_repeats,
    positions,
)
from analytics.measure.filters import Filters, filter_articles

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def sample():
    return load_corpus(SAMPLE)


def without_keys(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=s.ARTICLE_KEY)


def expected_positions(children: pd.DataFrame, articles: pd.DataFrame) -> list[int]:
    """Each child row's article's first position in `articles`, -1 for none: worked out by hand."""
    first: dict[str, int] = {}
    for position, doc_id in enumerate(articles[s.DOC_ID]):
        first.setdefault(doc_id, position)
    return [first.get(doc_id, -1) for doc_id in children[s.DOC_ID]]


def same_partition(numbers: np.ndarray, ids: pd.Series) -> bool:
    """Whether two rows get the same number exactly when they have the same id, numbered 0, 1, …"""
    pairs = set(zip(numbers.tolist(), ids.tolist()))
    return len(pairs) == len({n for n, _ in pairs}) == len({i for _, i in pairs}) and set(numbers.tolist()) == set(range(len(pairs)))


def test_a_load_numbers_its_articles_and_child_rows_name_theirs(sample):
    articles = sample.articles
    assert article_keys(articles).tolist() == list(range(len(articles)))
    id_of = articles[s.DOC_ID].to_numpy()
    for child in (sample.topics, sample.related, sample.images):
        keys = article_keys(child)
        assert keys is not None and (id_of[keys] == child[s.DOC_ID].to_numpy()).all()


def test_hand_built_frames_have_no_keys():
    assert article_keys(topics_frame([("d0", "AI")])) is None  # child rows without keys: NA
    assert article_keys(pd.DataFrame({s.DOC_ID: ["d0"]})) is None  # no key column
    assert article_keys(pd.DataFrame({s.DOC_ID: ["d0"], s.ARTICLE_KEY: [-1]})) is None


def _subsets(articles: pd.DataFrame, topics: pd.DataFrame) -> dict[str, pd.DataFrame]:
    n = len(articles)
    return {
        "all": articles,
        "every third": articles.iloc[::3],
        "reversed": articles.iloc[::-1],
        "filtered": filter_articles(articles, topics, Filters(topics=("Policy",))),
        "none": articles.iloc[:0],
        "listed twice": pd.concat([articles.iloc[n // 2 :], articles.iloc[: n // 2 + 40 : 2]]),
    }


@pytest.mark.parametrize("subset", ["all", "every third", "reversed", "filtered", "none", "listed twice"])
def test_keys_find_the_same_rows_as_ids(sample, subset):
    articles = _subsets(sample.articles, sample.topics)[subset]
    assert article_keys(articles) is not None  # so the fast path is the one tested
    for child in (sample.topics, sample.related):
        expected = expected_positions(child, articles)
        assert positions(child, articles).tolist() == expected
        assert positions(without_keys(child), without_keys(articles)).tolist() == expected
        assert belongs(child, articles).tolist() == [p >= 0 for p in expected]
        assert belongs(without_keys(child), articles).tolist() == [p >= 0 for p in expected]
    repeats = subset == "listed twice"
    assert has_repeats(articles) is repeats and has_repeats(without_keys(articles)) is repeats
    topics = sample.topics[belongs(sample.topics, articles)]
    assert same_partition(article_numbers(topics), topics[s.DOC_ID])
    assert same_partition(article_numbers(without_keys(topics)), topics[s.DOC_ID])


_loads = st.tuples(
    st.integers(1, 12),  # articles in the load
    st.lists(st.tuples(st.integers(0, 11), st.sampled_from(["AI", "Chips", "Policy"])), max_size=30),  # topic rows
    st.lists(st.integers(0, 11), max_size=16),  # the articles shown, in any order, repeats allowed
)


@settings(max_examples=150, deadline=None)
@given(load=_loads)
def test_property_keys_and_ids_agree(load):
    n, pairs, shown = load
    ids = [f"d{i}" for i in range(n)]
    articles = pd.DataFrame({s.DOC_ID: pd.array(ids, dtype=s.STRING)})
    articles, topics = with_keys(articles, topics_frame([(ids[i % n], topic) for i, topic in pairs]))
    chosen = articles.iloc[[i % n for i in shown]]
    expected = expected_positions(topics, chosen)
    assert positions(topics, chosen).tolist() == expected == positions(without_keys(topics), without_keys(chosen)).tolist()
    assert belongs(topics, chosen).tolist() == [p >= 0 for p in expected]
    assert has_repeats(chosen) is (len(set(shown_ids := chosen[s.DOC_ID].tolist())) < len(shown_ids))
    assert same_partition(article_numbers(topics), topics[s.DOC_ID])
