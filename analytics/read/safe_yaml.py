"""Reading untrusted YAML within limits: plain values only, bounded depth, no alias expansion.

Front matter comes from files nobody here wrote. PyYAML's safe loader already refuses tags
that ask for Python objects; this module adds what it does not: a cheap refusal of deep
nesting and of collection aliases ("billion laughs") before any object is built, and
lenient scalars so one odd value is a field warning later instead of a lost file.
"""

from __future__ import annotations

import re

import yaml

from analytics.read import fast_yaml
from analytics.schema import LoadOptions

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader (C when available) that leaves timestamps and odd scalars as text.

    Dates are parsed later, field by field, so one impossible date (`2019-02-30`) becomes a
    warning on that field instead of a YAML error that rejects the whole file. A key written
    twice in one mapping keeps its last value, as YAML readers do, with a note naming it.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.notes: list[str] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        first: dict[str, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            line = key_node.start_mark.line + 2  # +1 for the opening fence, +1 for 1-based
            if key_node.value in first:
                self.notes.append(f"field '{key_node.value}' is written twice (lines {first[key_node.value]} and {line}); the last value is kept")
            else:
                first[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

# A number longer than this is text to us: Python refuses to print ints of over 4,300 digits.
_MAX_NUMBER_CHARS = 100
# Indentation plus compact block indicators (`- - x`, `? `, tags, anchors) at a line's start.
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:(?:[-?:]|[!&][^ \t\n]*)[ \t]+)*", re.MULTILINE)
# An anchor (`&name`) where YAML allows one; `AT&T` and `Health & Care` are not anchors.
# Searched in "\n" + text; written to start with `&`, which Python's `re` finds fast.
_ANCHOR = re.compile(r"&(?<=[\s\[\]{},]&)[^\s\[\]{},]")
# A tag or anchor at the start of a line's content, in "\n" + text.
_PROPERTY_FIRST = re.compile(r"\n[ \t?:-]*[!&]")
_TOP_KEY = re.compile(r"^([^\s#'\"\-?:{}\[\],&*!|>%@`][^:\n]*?)[ \t]*:(?:[ \t]|$)")
# JSON writes characters beyond U+FFFF as a pair of escapes, which YAML readers refuse.
_SURROGATE_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


class FrontMatterError(ValueError):
    """Why front matter cannot be read: a message for a person, with the file line when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _lenient(tag: str):
    """A scalar constructor that keeps the written text when the value cannot be built.

    `!!int x`, `!!timestamp soon` or `!!bool maybe` then reach field validation as text and
    become NA with a warning on that field, instead of failing the whole file.
    """
    strict = _BaseLoader.yaml_constructors[tag]

    def construct(loader: yaml.BaseLoader, node: yaml.Node) -> object:
        if isinstance(node, yaml.ScalarNode) and len(node.value) > _MAX_NUMBER_CHARS:
            return loader.construct_scalar(node)
        try:
            return strict(loader, node)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            return loader.construct_scalar(node)

    return construct


for _tag in ("int", "float", "bool", "timestamp"):
    DocumentLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _lenient(f"tag:yaml.org,2002:{_tag}"))


_FAST = fast_yaml.FastReader(DocumentLoader.yaml_implicit_resolvers, _MAX_NUMBER_CHARS)


def load_yaml(front: str, options: LoadOptions = LoadOptions()) -> tuple[object, list[str]]:
    """The YAML value of front-matter text and a note for each repair made on the way.

    Raises FrontMatterError for anything that cannot or must not be read; never lets a
    RecursionError or MemoryError (or any other exception from PyYAML) through.
    """
    notes: list[str] = []
    if "\\u" in front and _SURROGATE_PAIR.search(front):
        front = _SURROGATE_PAIR.sub(lambda m: f"\\U{_join_pair(m.group(1), m.group(2)):08x}", front)
        notes.append("JSON-style escape pairs (\\ud83d\\ude00) joined into single characters")
    try:
        _refuse_structure(front, options)
        data = _FAST.load(front)
        fast = data is not fast_yaml.UNSURE
        if not fast:  # yaml_rs refuses a key written twice, so PyYAML reads (and notes) every one
            loader = DocumentLoader(front)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
            notes += loader.notes
    except FrontMatterError:
        raise
    except yaml.MarkedYAMLError as error:
        what = " ".join(part for part in (error.context, error.problem) if part) or "could not be parsed"
        if "could not determine a constructor" in what:
            what = f"tag not allowed, only plain YAML values are accepted ({what})"
        raise _marked("invalid YAML", what, front, error.problem_mark or error.context_mark) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, such as a control code
        line = front.count("\n", 0, error.position) + 2
        raise FrontMatterError(f"invalid YAML at line {line}: {_character(error.character)} is not allowed in YAML text", line=line) from None
    except yaml.YAMLError as error:
        raise FrontMatterError(f"invalid YAML: {error}") from None
    except RecursionError:
        raise FrontMatterError("front matter is nested too deeply to read") from None
    except MemoryError:
        raise FrontMatterError("front matter is too large to read into memory") from None
    except Exception as error:  # noqa: BLE001 - one odd file must never stop a whole folder
        raise FrontMatterError(f"front matter could not be read: {type(error).__name__}: {error}") from None
    # The fast reader's values hold no aliases (it reads no text with anchors), nest no deeper
    # than the text bound allowed, and number fewer than the text's characters.
    if not fast or len(front) > options.max_list_items * 100:
        _refuse_shape(data, options)
    return data, notes


def nesting_bound(front: str) -> int:
    """An upper bound on how deeply front-matter text can nest, read from the text alone.

    A block level needs a deeper indentation or a compact indicator (`- `): two columns at
    most per level, a sequence being allowed at its key's indentation. A flow level needs a
    bracket. Real documents stay far below the limit and so skip the exact check.
    """
    widest = max(map(len, _BLOCK_PREFIX.findall(front)), default=0)
    return 2 * widest + 2 + front.count("[") + front.count("{")


def _shallow(front: str, limit: int) -> bool:
    """Whether `nesting_bound(front) <= limit`, mostly without measuring every line's prefix.

    Unless a tag or an anchor starts a line's content, its block prefix is made of ` \t?:-`
    only, so when no line starts with more of those than the limit leaves room for, the
    bound holds.
    """
    room = (limit - 2 - front.count("[") - front.count("{")) // 2
    if room < 0:
        return False
    lines = "\n" + front
    if (("!" in front or "&" in front) and _PROPERTY_FIRST.search(lines)) or re.search(r"\n[ \t?:-]{%d}" % (room + 1), lines):
        return nesting_bound(front) <= limit
    return True


def _join_pair(high: str, low: str) -> int:
    return 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)


def _refuse_structure(front: str, options: LoadOptions) -> None:
    """Raise when the text nests too deeply or aliases a collection, before objects are built.

    The text bound clears ordinary documents; otherwise PyYAML's event stream (iterative, no
    objects) is walked, stopping at the first level past the limit or the first bad alias.
    """
    if _shallow(front, options.max_nesting) and not ("&" in front and _ANCHOR.search("\n" + front)):
        return
    depth = 0
    collection_anchors: set[str] = set()
    try:
        for event in yaml.parse(front, Loader=DocumentLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > options.max_nesting:
                    what = f"nested more than {options.max_nesting} levels deep"
                    raise _marked("front matter is too deep", what, front, event.start_mark)
                if event.anchor is not None:
                    collection_anchors.add(event.anchor)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent) and event.anchor in collection_anchors:
                what = f"alias *{event.anchor} repeats a list or mapping; anchor/alias expansion is not allowed"
                raise _marked("YAML alias refused", what, front, event.start_mark)
    except yaml.MarkedYAMLError as error:
        if "maximum nesting depth" in str(error.problem):  # libyaml's own limit, met while reading ahead
            what = f"nested more than {options.max_nesting} levels deep"
            raise _marked("front matter is too deep", what, front, error.problem_mark) from None
    except yaml.YAMLError:
        pass  # invalid YAML: the full load reports it with its line


def _refuse_shape(data: object, options: LoadOptions) -> None:
    """Raise when built values are unsafe to process further; a backstop behind the text checks."""
    if not isinstance(data, (dict, list)):
        return
    seen: set[int] = set()
    stack: list[tuple[dict | list, int]] = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        if depth > options.max_nesting:
            raise FrontMatterError(f"front matter is nested more than {options.max_nesting} levels deep")
        if id(value) in seen:
            raise FrontMatterError("front matter repeats a collection through a YAML alias (anchor/alias expansion is not allowed)")
        seen.add(id(value))
        children = value.values() if isinstance(value, dict) else value
        nodes += len(children)
        if nodes > options.max_list_items * 100:
            raise FrontMatterError(f"front matter holds more than {options.max_list_items * 100:,} values")
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def _character(character: int | str) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"control character U+{code:04X}" if code < 0x20 or 0x7F <= code < 0xA0 else f"character U+{code:04X}"


def _marked(headline: str, what: str, front: str, mark: yaml.Mark | None) -> FrontMatterError:
    """An error at a PyYAML position, naming the file line and the top-level field it falls in.

    The field is named in the message only: the error is about the whole file, which is not loaded.
    """
    if mark is None:
        return FrontMatterError(f"{headline}: {what}")
    line = mark.line + 2  # +1 for the opening fence, +1 for 1-based
    field = _field_at(front, mark.line)
    where = f" at line {line}" + (f" (in field '{field}')" if field else "")
    return FrontMatterError(f"{headline}{where}: {what}", line=line)


def _field_at(front: str, index: int) -> str:
    """The top-level key whose value holds the 0-based front-matter line `index`, if any."""
    for text in reversed(front.split("\n", index + 1)[: index + 1]):
        match = _TOP_KEY.match(text)
        if match:
            return match.group(1).strip()
    return ""
