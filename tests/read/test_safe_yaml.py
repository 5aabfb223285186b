import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.read import fast_yaml, safe_yaml
from analytics.read.safe_yaml import FrontMatterError, load_yaml, nesting_bound
from analytics.schema import LoadOptions


def depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    return 0


_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=40,
)


@settings(max_examples=100, deadline=None)
@given(value=st.dictionaries(st.text(max_size=5), _values, min_size=1, max_size=3), flow=st.sampled_from([None, True, False]), indent=st.sampled_from([2, 4]))
def test_the_text_bound_is_never_below_the_real_depth(value, flow, indent):
    text = yaml.safe_dump(value, default_flow_style=flow, indent=indent, allow_unicode=True)
    assert nesting_bound(text) >= depth(value)


def test_ordinary_front_matter_skips_the_exact_check():
    text = "title: x\nprovider:\n  name: A\n  domain: a.test\ntopics: [AI, Policy]\nimages:\n  - {url: u, width: 1}\n"
    assert nesting_bound(text) <= LoadOptions().max_nesting


@pytest.mark.parametrize(
    "text",
    [
        "deep: " + "[" * 70 + "]" * 70,
        "deep: " + "{a: " * 70 + "}" * 70,
        "".join(" " * n + f"k{n}:\n" for n in range(70)) + " " * 70 + "x: 1",
        "deep:\n" + "- " * 70 + "x",
        "deep: " + "[" * 100_000,
    ],
    ids=["flow-lists", "flow-mappings", "block-mappings", "compact-sequences", "unclosed-100k"],
)
def test_deep_nesting_is_refused_before_any_object_is_built(monkeypatch, text):
    def build(*args, **kwargs):
        raise AssertionError("the YAML constructor was reached")

    monkeypatch.setattr(safe_yaml.yaml, "load", build)
    monkeypatch.setattr(fast_yaml.yaml_rs, "loads", build)
    with pytest.raises(FrontMatterError, match="nested more than 64 levels deep") as refused:
        load_yaml(text)
    assert refused.value.line is not None


def test_the_nesting_limit_is_an_option():
    assert load_yaml("a: [[[1]]]", LoadOptions(max_nesting=4))[0] == {"a": [[[1]]]}
    with pytest.raises(FrontMatterError, match="more than 3 levels"):
        load_yaml("a: [[[1]]]", LoadOptions(max_nesting=3))


def test_aliases_of_plain_values_are_allowed():
    assert load_yaml("a: &x text\nb: *x")[0] == {"a": "text", "b": "text"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: &a [1, 2]\nb: *a", 3),
        ("a: &a {k: 1}\nb: {<<: *a}", 3),
        ("a: &a [*a]", 2),
    ],
)
def test_aliases_of_collections_are_refused_with_their_line(text, line):
    with pytest.raises(FrontMatterError, match="repeats a list or mapping") as refused:
        load_yaml(text)
    assert refused.value.line == line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("q: !!int high", "high"),
        ("q: !!int ''", ""),
        ("q: !!float x", "x"),
        ("q: !!bool maybe", "maybe"),
        ("q: !!timestamp soon", "soon"),
        ("q: !!timestamp 2019-02-30", "2019-02-30"),
        ("q: " + "9" * 5000, "9" * 5000),
        ("q: 0x" + "f" * 5000, "0x" + "f" * 5000),
        ("q: 12", 12),
        ("q: 2019-02-03", "2019-02-03"),
    ],
)
def test_odd_scalars_stay_text_for_field_validation(text, expected):
    assert load_yaml(text)[0] == {"q": expected}


def test_json_escape_pairs_become_one_character_with_a_note():
    data, notes = load_yaml('t: "smile \\ud83d\\ude00"')
    assert data == {"t": "smile \U0001f600"} and "escape pairs" in notes[0]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('t: "half \\ud800"', "invalid YAML at line 2 (in field 't')", 2),
        ("a: 1\nt: bell \x07", "invalid YAML at line 3: control character U+0007 is not allowed", 3),
        ("t: !!python/object/apply:os.system ['true']", "tag not allowed", 2),
        ("a: 1\nb: [1,\n", "invalid YAML at line 4 (in field 'b')", 4),
    ],
)
def test_errors_name_the_line_and_field(text, message, line):
    with pytest.raises(FrontMatterError) as refused:
        load_yaml(text)
    assert message in refused.value.message and refused.value.line == line


def test_too_many_values_are_refused():
    with pytest.raises(FrontMatterError, match="more than 200 values"):
        load_yaml("a: [" + "1, " * 300 + "]", LoadOptions(max_list_items=2))


@pytest.mark.parametrize("error", [RecursionError(), MemoryError(), KeyError("x")])
def test_no_exception_from_the_parser_escapes(monkeypatch, error):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(safe_yaml.DocumentLoader, "get_single_data", fail)
    monkeypatch.setattr(fast_yaml.yaml_rs, "loads", fail)  # the fast reader's errors send the text to PyYAML
    with pytest.raises(FrontMatterError):
        load_yaml("title: x")


@pytest.mark.parametrize("fast", [True, False], ids=["fast-reader", "pyyaml-only"])
@pytest.mark.parametrize(
    ("text", "value", "note"),
    [
        ("title: First\nquality: 1\ntitle: Second", {"title": "Second", "quality": 1},
         "field 'title' is written twice (lines 2 and 4); the last value is kept"),
        ("quality: 1\nquality: 2\nquality: 3", {"quality": 3},
         "field 'quality' is written twice (lines 2 and 3); the last value is kept"),
        ("provider:\n  name: A\n  name: B", {"provider": {"name": "B"}},
         "field 'name' is written twice (lines 3 and 4); the last value is kept"),
        ("provider: {name: A, name: B}", {"provider": {"name": "B"}},
         "field 'name' is written twice (lines 2 and 2); the last value is kept"),
    ],
)
def test_a_key_written_twice_is_a_note_naming_it_and_both_lines(text, value, note, fast, monkeypatch):
    if not fast:
        monkeypatch.setattr(safe_yaml._FAST, "load", lambda front: fast_yaml.UNSURE)
    data, notes = load_yaml(text)
    assert data == value
    assert notes[0] == note

