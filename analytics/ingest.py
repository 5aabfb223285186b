"""Reading stage: find document files and turn each one into a parsed front-matter mapping.

Nothing here raises for a bad file: every failure becomes a `Problem`, so one broken
document never stops a folder from loading.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analytics.schema import DOCUMENT_SUFFIXES, ERROR, WARNING, LoadOptions

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DocumentLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader (C when available) that leaves timestamps as text.

    Dates are parsed later, field by field, so one impossible date (`2019-02-30`) becomes a
    warning on that field instead of a YAML error that rejects the whole file.
    """


_DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

_FENCE_OPEN = re.compile(r"---[ \t]*(?:\n|$)")
_FENCE_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_BACKUP_SUFFIXES = (".bak", ".orig", ".swp", ".swo", ".tmp", ".rej")


@dataclass(frozen=True)
class Problem:
    """One thing found wrong with one input file."""

    path: str
    severity: str
    message: str
    field: str = ""
    line: int | None = None


@dataclass
class RawDocument:
    """A file's front matter, parsed but not yet checked field by field."""

    path: str
    data: dict
    front_matter: str
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, key: str) -> int | None:
        """The file line where a top-level key is written, if it can be found."""
        match = re.search(rf"^{re.escape(key)}[ \t]*:", self.front_matter, re.MULTILINE)
        if match is None:
            return None
        return self.front_matter.count("\n", 0, match.start()) + 2  # +1 fence line, 1-based


@dataclass
class Discovery:
    """The files found under the given paths, split into documents and ignored files."""

    documents: list[Path]
    ignored: list[Path]
    problems: list[Problem]


def discover_files(*paths: str | os.PathLike[str]) -> Discovery:
    """Every document file under the paths (folders recursively), plus what was passed over.

    Raises FileNotFoundError for a path that does not exist: that is a typo, not bad data.
    """
    documents: list[Path] = []
    ignored: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            raise FileNotFoundError(f"no such file or folder: {root}")
        candidates = [root] if not root.is_dir() else _walk(root, problems)
        for path in candidates:
            key = _identity(path)
            if key in seen:
                continue
            seen.add(key)
            (documents if _is_document_name(path) else ignored).append(path)
    return Discovery(documents, ignored, problems)


def _walk(root: Path, problems: list[Problem]) -> list[Path]:
    found: list[Path] = []
    visited_dirs: set[tuple[int, int]] = set()

    def on_error(error: OSError) -> None:
        problems.append(Problem(str(error.filename or root), ERROR, f"folder could not be read: {error.strerror}"))

    for folder, dirs, files in os.walk(root, followlinks=True, onerror=on_error):
        try:
            stat = os.stat(folder)
        except OSError:
            continue
        if (stat.st_dev, stat.st_ino) in visited_dirs:  # a symlink loop or a second link
            dirs[:] = []
            continue
        visited_dirs.add((stat.st_dev, stat.st_ino))
        hidden = sorted(d for d in dirs if d.startswith("."))
        found.extend(Path(folder, d) for d in hidden)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(folder, name) for name in sorted(files))
    return found


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _is_document_name(path: Path) -> bool:
    name = path.name
    if name.startswith((".", "#", "~")) or name.endswith(("~", "#")):
        return False
    if name.lower().endswith(_BACKUP_SUFFIXES) or path.is_dir():
        return False
    return path.suffix.lower() in DOCUMENT_SUFFIXES


def read_document(path: Path, options: LoadOptions = LoadOptions()) -> RawDocument | list[Problem]:
    """The parsed front matter of one file, or the problems that stop it from loading."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_file_bytes:
            return [_error(name, f"file is {_mb(size)}, larger than the {_mb(options.max_file_bytes)} limit")]
        data = path.read_bytes()
    except OSError as error:
        return [_error(name, f"file could not be read: {error.strerror or error}")]
    text, problems = decode_bytes(name, data)
    if text is None:
        return problems
    return parse_front_matter(name, text, options, problems)


def decode_bytes(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Text of a file's bytes (UTF-8, UTF-16 with BOM, else cp1252/latin-1 with a warning)."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom) and not data.startswith(codecs.BOM_UTF32_LE):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None, [_error(name, "file starts with a UTF-16 byte-order mark but is not valid UTF-16")]
            return text, [Problem(name, WARNING, f"file is encoded as {encoding.upper()}; read it as such")]
    if b"\x00" in data[:8192]:
        return None, [_error(name, "file holds binary data (NUL bytes), not text")]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        where = f"byte {error.start}"
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, [Problem(name, WARNING, f"file is not valid UTF-8 (first bad {where}); decoded as {encoding}")]
    return None, [_error(name, "file is not text in any known encoding")]  # latin-1 never fails


def parse_front_matter(
    name: str, text: str, options: LoadOptions = LoadOptions(), problems: list[Problem] | None = None
) -> RawDocument | list[Problem]:
    """The front matter mapping at the start of a document's text, or why there is none."""
    problems = list(problems or [])
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        return problems + [_error(name, "file holds NUL characters, not text")]
    if not text.strip():
        return problems + [_error(name, "file is empty")]
    opening = _FENCE_OPEN.match(text)
    if opening is None:
        return problems + [_error(name, "no YAML front matter: the file must start with a '---' line", line=1)]
    closing = _FENCE_CLOSE.search(text, opening.end())
    if closing is None:
        return problems + [_error(name, "front matter never closes: no '---' or '...' line after the opening '---'", line=1)]
    front = text[opening.end():closing.start()]
    if len(front) > options.max_front_matter_bytes:
        return problems + [_error(name, f"front matter is {_mb(len(front))}, larger than the {_mb(options.max_front_matter_bytes)} limit")]
    data, failure = _load_yaml(name, front, options)
    if failure is not None:
        return problems + [failure]
    if data is None:
        return problems + [_error(name, "front matter is empty: there are no fields between the '---' lines", line=2)]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return problems + [_error(name, f"front matter is {kind}, not a mapping of fields", line=2)]
    return RawDocument(name, data, front, problems)


def _load_yaml(name: str, front: str, options: LoadOptions) -> tuple[object, Problem | None]:
    try:
        data = yaml.load(front, Loader=_DocumentLoader)  # noqa: S506 - a safe loader subclass
    except yaml.MarkedYAMLError as error:
        return None, _yaml_problem(name, error)
    except yaml.YAMLError as error:
        return None, _error(name, f"invalid YAML: {error}")
    except RecursionError:
        return None, _error(name, "front matter is nested too deeply to read")
    except MemoryError:
        return None, _error(name, "front matter is too large to read into memory")
    except (ValueError, TypeError, OverflowError) as error:
        return None, _error(name, f"invalid YAML value: {error}")
    reason = _shape_problem(data, options)
    return (None, _error(name, reason)) if reason else (data, None)


def _yaml_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 2 if mark is not None else None  # +1 fence line, +1 for 1-based
    what = " ".join(part for part in (error.context, error.problem) if part) or "could not be parsed"
    if "could not determine a constructor" in what:
        what = f"tag not allowed: only plain YAML values are accepted ({what})"
    where = f" at line {line}" if line else ""
    return _error(name, f"invalid YAML{where}: {what}", line=line)


def _shape_problem(data: object, options: LoadOptions) -> str | None:
    """Why a parsed value is unsafe to process further (shared aliases, deep nesting), if it is."""
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        if not isinstance(value, (dict, list)):
            continue
        if depth > options.max_nesting:
            return f"front matter is nested more than {options.max_nesting} levels deep"
        if id(value) in seen:
            return "front matter repeats a collection through a YAML alias (anchor/alias expansion is not allowed)"
        seen.add(id(value))
        children = list(value.values()) if isinstance(value, dict) else value
        nodes += len(children)
        if nodes > options.max_list_items * 100:
            return "front matter holds too many values"
        stack.extend((child, depth + 1) for child in children)
    return None


def _error(name: str, message: str, line: int | None = None) -> Problem:
    return Problem(name, ERROR, message, line=line)


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"
