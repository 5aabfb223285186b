"""A faster way to read ordinary front matter, giving exactly what PyYAML gives, or nothing.

yaml_rs (Rust) reads front matter several times faster than PyYAML's C loader, but it reads
YAML 1.2, where PyYAML reads YAML 1.1 (`yes` is text to one and a boolean to the other, `012`
is 12 or 10) and the two differ at a few edges. PyYAML stays the reference: text in which the
readers could differ, text yaml_rs refuses, and values PyYAML would build differently are all
left to PyYAML (`UNSURE`). tests/test_fast_yaml.py compares the two readers on every spelling
of a value, exhaustively over short texts, on random documents and on real ones.

Every check is a substring test or a regular expression that starts with a literal character,
which Python's `re` finds quickly; quoted text that happens to match costs time, never
correctness.

yaml_rs is loaded only on the main thread. Its wheel carries its own allocator (mimalloc 3.3),
which crashes the whole process with a segmentation fault when a thread uses it after the
thread that loaded it has ended (microsoft/mimalloc#1287; `tests/read/test_fast_yaml_threads.py`
shows it). Streamlit runs each script run on a new thread that then ends, so the dashboard's
server died on the next load of a folder. The main thread lives as long as the process, so
once loaded there any thread may use it. Loaded on any other thread, PyYAML reads everything:
the dashboard parses small folders a little slower, and its parse workers, whose main thread
loads this module, still use yaml_rs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache

yaml_rs = None
if threading.current_thread() is threading.main_thread():
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - no wheel for this platform: PyYAML reads everything
        pass

UNSURE = object()

# Text longer than this that does not start like a number is text to PyYAML too: its
# booleans and nulls are at most five letters (`false`), its merge key is `<<`.
_LONGEST_WORD = 5
_NUMBER_FIRST = frozenset("-+.0123456789")

# Merge keys, directives, document markers, escaped UTF-16 surrogates (YAML 1.1 refuses what
# YAML 1.2 may join), tabs (YAML 1.1 allows them in fewer places).
_MARKERS = ("<<", "\n%", "\n---", "\n...", "\\u", "\t")
# Characters PyYAML refuses (its `Reader.NON_PRINTABLE`) or reads as line breaks (U+0085,
# U+2028, U+2029), and the byte order mark. `str.isprintable` clears most text first.
_CHARACTER = re.compile("[^\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\U00010000-\U0010FFFF]")


def _number(max_chars: int) -> str:
    """A plain number PyYAML reads differently: `012`, `0o7`, `1_000`, `_1` (yaml_rs drops
    underscores anywhere), `1:20`, `1e3`, `1.5e3`, `-.5`, or one of `max_chars` characters."""
    return r"[-+]?(?:_|0[0-9a-zA-Z_]|\.[0-9_]|[0-9][0-9_]*(?:[:eE_]|\.[0-9_]*[eE])|[0-9._]{%d})" % (max_chars - 1)


def _property(char: str) -> str:
    """A tag (`!`), anchor (`&`) or alias (`*`) where YAML allows one; `Wow!` and `AT&T` are not."""
    return r"%s(?<=[\s\[\]{},]%s)[^\s\[\]{},]" % (re.escape(char), re.escape(char))


def _block_scalar(char: str) -> str:
    """A block scalar (`|`, `>`): the readers differ when it is empty or ends the text."""
    return r"%s(?<=[ \n\[{,?:-]%s)" % (re.escape(char), re.escape(char))


class FastReader:
    """Reads front matter with yaml_rs when the result is certain to be PyYAML's.

    `resolvers` is the PyYAML loader's implicit resolver table (which plain scalars become
    booleans, numbers, nulls); `max_number_chars` the length past which the loader keeps a
    number as text.
    """

    def __init__(self, resolvers: Mapping[str | None, Sequence[tuple[str, re.Pattern]]], max_number_chars: int) -> None:
        # Topics, outlet names and types repeat from file to file: remember the answers.
        self._resolves = lru_cache(maxsize=4096)(lambda text: any(regexp.match(text) for _tag, regexp in resolvers.get(text[0], ())))
        self._max_int = 10 ** (max_number_chars - 1)
        number = _number(max_number_chars)
        # (a character the text must hold for the pattern to matter, the pattern), searched in
        # "\n" + text so that the first line starts like every other.
        self._patterns = [
            (":", re.compile(r": +" + number)),  # a mapping value
            ("-", re.compile(r"- +" + number)),  # a sequence item
            ("?", re.compile(r"\? +" + number)),  # an explicit key
            ("\n", re.compile(r"\n *" + number)),  # a key at a line's start, or the whole text
            ("[", re.compile(r"\[[ \n]*" + number)),  # flow items
            ("{", re.compile(r"\{[ \n]*" + number)),
            (",", re.compile(r",[ \n]*" + number)),
            # a value with no key (`: x`): a null key to yaml_rs, refused by PyYAML
            (":", re.compile(r"\n *(?:[-?] +)*:(?: |\n|$)")),
            ("[", re.compile(r"\[[ \n]*[:?]")),
            ("{", re.compile(r"\{[ \n]*[:?]")),
            (",", re.compile(r",[ \n]*[:?]")),
            (":", re.compile(r":[\]},]")),  # `[a:]`: PyYAML's C reader refuses it
            ("|", re.compile(_block_scalar("|"))),
            (">", re.compile(_block_scalar(">"))),
            ("!", re.compile(_property("!"))),
            ("&", re.compile(_property("&"))),
            ("*", re.compile(_property("*"))),
        ]

    def load(self, front: str) -> object:
        """The value of the YAML text, or `UNSURE` when PyYAML has to read it."""
        if yaml_rs is None or self._pyyaml_only(front):
            return UNSURE
        try:
            data = yaml_rs.loads(front, parse_datetime=False)
        except Exception:  # noqa: BLE001 - any refusal: PyYAML reads the text again and says why
            return UNSURE
        return data if self._same_in_pyyaml(data) else UNSURE

    def _pyyaml_only(self, front: str) -> bool:
        """Whether the text holds anything the two readers could read differently."""
        lines = "\n" + front
        if any(marker in lines for marker in _MARKERS):
            return True
        if not lines.replace("\n", " ").isprintable() and _CHARACTER.search(front):
            return True
        return any(char in lines and pattern.search(lines) for char, pattern in self._patterns)

    def _same_in_pyyaml(self, data: object) -> bool:
        """Whether every value yaml_rs built is what PyYAML builds from the same text."""
        stack = [data]
        while stack:
            value = stack.pop()
            if type(value) is dict:
                items = [*value, *value.values()]
            elif type(value) is list:
                items = value
            else:
                items = [value]
            for item in items:
                kind = type(item)
                if kind is str:
                    if item and (len(item) <= _LONGEST_WORD or item[0] in _NUMBER_FIRST) and self._resolves(item):
                        return False  # a plain `yes`, `On`, `12:30` is not text to PyYAML
                elif kind is dict or kind is list:
                    stack.append(item)
                elif kind is int:
                    if not -self._max_int < item < self._max_int:
                        return False  # kept as text by PyYAML's loader
                elif kind is float:
                    if 1e99 <= abs(item) < float("inf"):
                        return False  # written with 100 digits or more: text to PyYAML's loader
                elif kind is not bool and item is not None:
                    return False  # a list as a key, a set: PyYAML decides
        return True

