import numpy as np
import pyarrow as pa
import pytest

from analytics.frames import titles

RULES = dict(min_words=3, min_similarity=0.8, min_headline_words=4, max_titles_per_headline=50)


def matches(*texts: str, **rules) -> tuple[list[bool], set[tuple[int, int]]]:
    eligible, left, right = titles.matching_titles(pa.array(texts, type=pa.large_string()), **{**RULES, **rules})
    return eligible.tolist(), {tuple(sorted(pair)) for pair in zip(left.tolist(), right.tolist())}


def test_pairs_of_matching_titles():
    eligible, pairs = matches(
        "Banks fund new energy use study",  # 0
        "banks FUND new energy-use study!",  # 1: same words
        "Banks fund new energy use",  # 2: 5 of 6 words
        "Banks fund new energy use: what we know",  # 3: headline is title 2
        "Live updates",  # 4: too short
        "Live updates",  # 5
        "Hospitals test medical imaging",  # 6
    )
    assert eligible == [True, True, True, True, False, False, True]
    assert pairs == {(0, 1), (0, 2), (1, 2), (2, 3)}


def test_the_work_budget_drops_only_similarity_candidates(monkeypatch):
    texts = ("Banks fund new energy use study", "Banks fund new energy use", "Study use energy new fund banks")
    assert matches(*texts)[1] == {(0, 1), (0, 2), (1, 2)}
    monkeypatch.setattr(titles, "MAX_COMPARISONS", 0)
    assert matches(*texts)[1] == {(0, 2)}  # same words still match without comparing anything


@pytest.mark.parametrize("limit", [1, 2])
def test_a_headline_leading_too_many_titles_is_ignored(limit):
    texts = ("Morning tech news briefing", "Morning tech news briefing: chips rally again", "Morning tech news briefing: banks fall")
    found = matches(*texts, max_titles_per_headline=limit)[1]
    assert found == (set() if limit == 1 else {(0, 1), (0, 2)})


def test_pairs_with_first():
    left, right = titles.pairs_with_first(np.array([3, -1, 3, 5, 3, 5]))
    assert sorted(zip(left.tolist(), right.tolist())) == [(0, 2), (0, 4), (3, 5)]
