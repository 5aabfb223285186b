"""Near-identical titles: which of a set of distinct titles name the same story.

Two titles match when they have the same words (in any order, whatever the punctuation and
case), when most of their words are shared (Jaccard similarity: shared words / all words), or
when one's headline before a colon or dash ("X: what we know", "X - Outlet") is the other.
Candidates are found by prefix filtering, never by comparing all pairs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Past this many word comparisons, the most common words are not used to find candidates.
MAX_COMPARISONS = 2_000_000

# Regular expressions for pyarrow (RE2): a headline separator, apostrophes, non-word runs.
_SEPARATOR = r":\s|\s[-–—|]\s"
_APOSTROPHES = r"['’‘`]"
_NOT_WORD = r"[^\p{L}\p{N}\p{M}]+"


def matching_titles(
    titles: pa.Array, *, min_words: int, min_similarity: float, min_headline_words: int, max_titles_per_headline: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which titles can match at all, and the pairs of positions of titles that match.

    Titles of fewer than `min_words` distinct words never match. A headline counts when it has
    at least `min_headline_words` words and leads at most `max_titles_per_headline` titles (more
    make it a label such as "Morning briefing", not a story).
    """
    n = len(titles)
    split = pc.split_pattern_regex(titles, _SEPARATOR, max_splits=1)
    headlines = pc.if_else(pc.greater(pc.list_value_length(split), 1), pc.list_element(split, 0), None)
    owner, token = _word_sets(pa.concat_arrays([titles, headlines]))
    sizes = np.bincount(owner, minlength=2 * n)
    eligible = sizes[:n] >= max(min_words, 1)
    # Same word set as another title, or a headline with the same word set as a title.
    same = pd.factorize(_set_hashes(owner, token, 2 * n))[0]
    same[np.concatenate([~eligible, sizes[n:] < max(min_headline_words, 1)])] = -1
    leads = np.bincount(np.maximum(same[n:], 0), weights=same[n:] >= 0, minlength=same.max() + 1)
    same[n:][leads[np.maximum(same[n:], 0)] > max_titles_per_headline] = -1
    left, right = pairs_with_first(same)
    in_title = (owner < n) & eligible[np.minimum(owner, n - 1)]
    near_left, near_right = _similar_pairs(owner[in_title], token[in_title], sizes[:n], min_similarity)
    return eligible, np.concatenate([left % n, near_left]), np.concatenate([right % n, near_right])


def pairs_with_first(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs joining each position to the first position with the same code (-1: no code)."""
    rows = np.flatnonzero(codes >= 0)
    if rows.size == 0:
        return _no_pairs()
    first = pd.Series(rows).groupby(codes[rows]).transform("first").to_numpy()
    keep = first != rows
    return first[keep], rows[keep]


def _word_sets(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Each text's distinct words as (text position, word id) rows sorted by position then word.

    Words are lower-cased, apostrophes dropped ("Apple’s" is "apples"), split at anything
    that is not a letter, digit or mark.
    """
    lowered = pc.replace_substring_regex(pc.utf8_lower(texts), _APOSTROPHES, "")
    parts = pc.split_pattern_regex(lowered, _NOT_WORD)
    words = pc.list_flatten(parts)
    owner = pc.list_parent_indices(parts).to_numpy(zero_copy_only=False).astype(np.int64)
    word_id = pc.dictionary_encode(words).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    keep = pc.greater(pc.utf8_length(words), 0).to_numpy(zero_copy_only=False)
    vocabulary = int(word_id.max(initial=0)) + 1
    pairs = _sorted_unique(owner[keep] * vocabulary + word_id[keep])
    return pairs // vocabulary, pairs % vocabulary


def _set_hashes(owner: np.ndarray, token: np.ndarray, count: int) -> np.ndarray:
    """An order-free 64-bit fingerprint of each owner's word set (0 for an empty set).

    The sum of one random 64-bit number per word: among 200,000 titles the chance that two
    different word sets collide is about one in a billion.
    """
    salt = np.random.default_rng(20_240_601).integers(1, 2**63, size=int(token.max(initial=0)) + 1, dtype=np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    if owner.size:
        starts = np.flatnonzero(np.concatenate([[True], owner[1:] != owner[:-1]]))
        hashes[owner[starts]] = np.add.reduceat(salt[token], starts)
    return hashes


def _similar_pairs(code: np.ndarray, token_id: np.ndarray, sizes: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of titles whose word sets overlap at least `threshold` (shared words / all words).

    Candidates come from prefix filtering: with each title's words ordered rarest first, two
    matching titles share one of their first few words, so only titles sharing a rare word are
    ever compared (never all pairs).
    """
    if code.size == 0:
        return _no_pairs()
    frequency = np.bincount(token_id)
    order = np.lexsort((token_id, frequency[token_id], code))
    code, token_id = code[order], token_id[order]
    rank = np.arange(len(code)) - np.searchsorted(code, code)
    size = sizes[code]
    prefix = rank < size - np.ceil(threshold * size - 1e-9).astype(np.int64) + 1
    prefix &= _affordable(token_id, prefix, frequency)
    probes = pd.DataFrame({"a": code[prefix], "token": token_id[prefix]})
    candidates = probes.merge(probes.rename(columns={"a": "b"}), on="token")
    a, b = candidates["a"].to_numpy(), candidates["b"].to_numpy()
    keep = (a < b) & (np.minimum(sizes[a], sizes[b]) >= threshold * np.maximum(sizes[a], sizes[b]) - 1e-9)
    pairs = _sorted_unique(a[keep] * len(sizes) + b[keep])
    a, b = pairs // len(sizes), pairs % len(sizes)
    if a.size == 0:
        return _no_pairs()
    shared = _shared_words(a, b, code, token_id, int(token_id.max()) + 1)
    similar = shared >= threshold * (sizes[a] + sizes[b] - shared) - 1e-9
    return a[similar], b[similar]


def _affordable(token_id: np.ndarray, prefix: np.ndarray, frequency: np.ndarray) -> np.ndarray:
    """Which prefix words can be compared within the work budget, rarest words first.

    Titles made only of very common words would each be compared with thousands of others;
    past the budget those words are not used to find candidates (same-word titles still match).
    """
    probes = np.bincount(token_id[prefix], minlength=len(frequency))
    by_rarity = np.argsort(frequency, kind="stable")
    within = np.cumsum(probes[by_rarity] ** 2) <= MAX_COMPARISONS
    allowed = np.zeros(len(frequency), dtype=bool)
    allowed[by_rarity[within]] = True
    return allowed[token_id]


def _shared_words(a: np.ndarray, b: np.ndarray, code: np.ndarray, token_id: np.ndarray, vocabulary: int) -> np.ndarray:
    """How many words titles a[i] and b[i] have in common (`code` is sorted)."""
    starts = np.searchsorted(code, a)
    counts = np.searchsorted(code, a, side="right") - starts
    pair = np.repeat(np.arange(len(a)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    words = token_id[np.repeat(starts, counts) + offsets]
    known = np.sort(code.astype(np.int64) * vocabulary + token_id)
    wanted = b[pair].astype(np.int64) * vocabulary + words
    found = np.minimum(np.searchsorted(known, wanted), len(known) - 1)
    present = known[found] == wanted
    return np.bincount(pair, weights=present, minlength=len(a)).astype(np.int64)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted (faster than np.unique for large integer arrays)."""
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if values.size else values


def _no_pairs() -> tuple[np.ndarray, np.ndarray]:
    return np.empty(0, np.int64), np.empty(0, np.int64)
