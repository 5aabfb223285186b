"""The fast YAML reader (yaml_rs) must give exactly what PyYAML gives, or step aside.

Each test reads text both ways, through `load_yaml` and through PyYAML alone, and compares
the values, or the error messages when the text is refused.
"""

import itertools
import math
from pathlib import Path
from unittest.mock import patch

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.read import fast_yaml, safe_yaml
from analytics.read.ingest import discover_files
from analytics.read.safe_yaml import FrontMatterError, load_yaml
from tests.conftest import REAL_CORPUS

ROOT = Path(__file__).resolve().parents[2]


def outcome(text: str) -> tuple:
    """The value read, or the message of the refusal."""
    try:
        return ("value", comparable(load_yaml(text)))
    except FrontMatterError as error:
        return ("error", error.message)


def comparable(value: object) -> object:
    """Values with their types spelled out (1 == 1.0 == True in Python) and NaN equal to NaN."""
    if isinstance(value, dict):
        return ("dict", [(comparable(k), comparable(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [comparable(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, repr(value))


def both_ways(text: str) -> tuple[tuple, tuple]:
    """What `load_yaml` gives, and what it gives with PyYAML alone."""
    fast = outcome(text)
    with patch.object(fast_yaml, "yaml_rs", None):
        reference = outcome(text)
    return fast, reference


SPELLINGS = [
    # booleans and nulls, YAML 1.1 and 1.2
    "yes", "No", "ON", "off", "y", "n", "true", "False", "TRUE", "~", "null", "Null", "", "-", "--",
    # numbers
    "012", "0o17", "0x1F", "0x_1F", "0b101", "1_000", "1:20", "190:20:30.15", "1e3", "1.5e3", "1.5e+3", "1.e+3",
    "-.5", "+.5", ".5", "1.", "+12", "-0", "+0", "0.0", ".inf", "-.Inf", "+.INF", ".nan", "-.NaN", "9" * 150,
    "1" * 120 + ".5", "0." + "1" * 120, "12:30", "2026-03-05", "2026-03-05T17:59:43Z", "2019-02-30",
    # text that looks like something else
    "'yes'", '"012"', "'1:20'", '"\\ud83d\\ude00"', '"\\ud800"', '"\\/"', '"\\N\\_\\L\\P"', '"\\x41\\u00e9"',
    "b\u2028c", '"b\u2028c"', "'b\x85c'", "\ufeffx", "a\x07b", "AT&T", "Wow!", "*x", "&x y", "!!str 12",
    "!!int x", "!!binary aGVsbG8=", "!foo bar", "[1, 2, {b: c}]", "{a: 1,}", "[a, b, ]", "[,]", "'x'y'",
    '"unterminated', "@b", "`b", "%b", "|\n  x\n  y", ">\n  x\n\n  z", "x\n  y", "- b",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("template", ["a: {}", "a:\n  - {}", "a: [{}]", "{}: x", "- {}"])
def test_every_spelling_reads_as_pyyaml_reads_it(template, spelling):
    fast, reference = both_ways(template.format(spelling))
    assert fast == reference


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n---\nb: 2",
        "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2",
        "a: &x text\nb: *x",
        "a: 1\na: 2",
        "[a]: b",
        "%YAML 1.1\n---\na: 1",
        "a:\t1",
        "a: b\n  c: d",
        "? a\n: b",
        "a: !!set {x, y}",
        "a: !!omap [x: 1]",
        "1: a\ntrue: b\nnull: c\n1.5: d",
    ],
)
def test_documents_where_the_readers_disagree_read_as_pyyaml_reads_them(text):
    fast, reference = both_ways(text)
    assert fast == reference


# Characters that steer YAML's reading, words YAML 1.1 and 1.2 read differently, and a little text.
_PIECES = st.sampled_from(
    [
        "a", "b", "x y", ":", ": ", "- ", "-", "?", ",", "[", "]", "{", "}", "#", "!", "&", "*", "|", ">",
        "'", '"', "\\", "\n", "\n  ", "\t", " ", "0", "1", "12", ".", "e", "_", "+", "yes", "On", "null", "~",
        "\\u00e9", "é", "\u2028", "\x85", "%", "@", "<<", "---", "...",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(_PIECES, max_size=30))
def test_any_text_reads_as_pyyaml_reads_it(pieces):
    fast, reference = both_ways("".join(pieces))
    assert fast == reference


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12),
    st.sampled_from(["yes", "no", "on", "012", "1_000", "1:20", "1e3", "-.5", "2026-03-05", "AT&T", "Wow!", ""]),
)
_DOCUMENTS = st.dictionaries(
    st.text(min_size=1, max_size=8),
    st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=15),
    min_size=1,
    max_size=5,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=_DOCUMENTS, style=st.sampled_from([None, '"', "'", "|"]), flow=st.sampled_from([None, True, False]))
def test_written_documents_read_as_pyyaml_reads_them(document, style, flow):
    text = yaml.safe_dump(document, default_style=style, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    fast, reference = both_ways(text)
    assert fast == reference


def front_matters(folder: Path) -> list[str]:
    fronts = []
    for path in discover_files(folder).documents:
        text = Path(path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        if text.startswith("---\n") and "\n---" in text[3:]:
            fronts.append(text[4:text.index("\n---", 3)])
    return fronts


def test_ordinary_documents_take_the_fast_path():
    fronts = front_matters(ROOT / "sample_data")
    assert len(fronts) > 1_000
    fast = [front for front in fronts if safe_yaml._FAST.load(front) is not fast_yaml.UNSURE]
    assert len(fast) >= 0.95 * len(fronts)
    for front in fast[:300]:
        fast_value, reference = both_ways(front)
        assert fast_value == reference


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the real corpus is not on this machine")
def test_real_documents_read_as_pyyaml_reads_them():
    fronts = front_matters(REAL_CORPUS)
    assert fronts
    for front in fronts:
        fast, reference = both_ways(front)
        assert fast == reference


@pytest.mark.parametrize(
    "alphabet",
    ["_01.+-eEx:o", " :-?[]{},\n#\"'|>a", "\"'\\ a:u0x\n", "&*!<%@` a:-\n", "#:- a\n\t"],
    ids=["numbers", "structure", "quoting", "properties", "comments-and-tabs"],
)
def test_every_short_text_reads_as_pyyaml_reads_it(alphabet):
    """Every text of up to three characters of the alphabet, as a value, an item and a key."""
    texts = ("".join(letters) for size in range(1, 4) for letters in itertools.product(alphabet, repeat=size))
    differ = []
    for text in texts:
        for framed in (f"k: {text}", f"- {text}", f"{text}: v"):
            fast, reference = both_ways(framed)
            if fast != reference:
                differ.append(framed)
    assert differ == []
