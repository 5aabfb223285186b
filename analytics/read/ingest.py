"""Reading stage: find document files and turn each one into a parsed front-matter mapping.

Nothing here raises for a bad file: every failure becomes a `Problem`, so one broken
document never stops a folder from loading. Files over a size limit are not read, and
the YAML itself is read within limits by `analytics.read.safe_yaml`.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from analytics.read.names import is_utf8
from analytics.read.safe_yaml import FrontMatterError, load_yaml
from analytics.schema import DOCUMENT_SUFFIXES, ERROR, WARNING, LoadOptions

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
    _key_lines: dict[str, int | None] = field(default_factory=dict, init=False, repr=False, compare=False)

    def line_of(self, key: str) -> int | None:
        """The file line where a top-level key is written, if it can be found."""
        if key not in self._key_lines:  # remembered: a bad list can warn about one key a thousand times
            match = re.search(rf"^{re.escape(key)}[ \t]*:", self.front_matter, re.MULTILINE)
            line = None if match is None else self.front_matter.count("\n", 0, match.start()) + 2
            self._key_lines[key] = line  # +1 fence line, 1-based
        return self._key_lines[key]


@dataclass
class Discovery:
    """The files found under the given paths, split into documents and ignored files.

    A folder that cannot be listed is kept among the documents, so that reading it reports
    why and it is counted like any other file that could not be loaded.
    """

    documents: list[str]
    ignored: list[str]
    # Every folder walked, with its (device, inode, mtime_ns, ctime_ns): while none of these
    # change, listing again gives the same files. They cannot vouch for the listing when a
    # link was met (its target can change unseen) or a folder could not be checked.
    folders: dict[str, list[int]] = field(default_factory=dict)
    vouch: bool = True
    # Paths that are not valid UTF-8: no table can hold them, so they are reported, not read.
    refused: list[str] = field(default_factory=list)


def discover_files(*paths: str | os.PathLike[str]) -> Discovery:
    """Every document file under the paths (folders recursively), plus what was passed over.

    Folders are listed with `os.scandir`, whose entries know their type without a `stat` per
    file, and each folder is resolved once. A file reached twice (two roots, or a link)
    counts once. Raises FileNotFoundError for a path that does not exist: that is a typo,
    not bad data.
    """
    documents: list[str] = []
    ignored: list[str] = []
    refused: list[str] = []
    seen: set[str] = set()
    walked = _Walked()
    for raw in paths:
        root = str(Path(raw))  # the spelling paths had before: no trailing or doubled slashes
        if not os.path.exists(root):
            raise FileNotFoundError(f"no such file or folder: {root}")
        if not os.path.isdir(root):
            parent, name = os.path.split(root)
            listed = [_Listed(parent, [name], links={name})]
        else:
            listed = _walk(root, walked)
        for folder in listed:
            prefix, identities = os.path.join(folder.folder, ""), folder.identities()
            distinct = set(identities)
            if len(distinct) == len(identities) and seen.isdisjoint(distinct):  # nearly always
                seen |= distinct
                names = folder.names
            else:
                names = []
                for name, identity in zip(folder.names, identities):
                    if identity not in seen:
                        seen.add(identity)
                        names.append(name)
            if not is_utf8(prefix + "\n".join(names)):
                refused.extend(prefix + name for name in names if not is_utf8(prefix + name))
                names = [name for name in names if is_utf8(prefix + name)]
            if folder.unreadable:
                documents.extend(prefix + name for name in names)
                continue
            matched = _document_names(names, folder.passed)
            if len(matched) == len(folder.names) == len(names) and folder.identities_are_paths():
                documents.extend(identities)  # every entry a document, named as it resolves: built once
            else:
                documents.extend(prefix + name for name in matched)
            if len(matched) < len(names):
                chosen = set(matched)
                ignored.extend(prefix + name for name in names if name not in chosen)
    return Discovery(documents, ignored, walked.folders, walked.vouch, refused)


def _document_names(names: list[str], passed: set[str]) -> list[str]:
    """The names that are documents' (one regular expression over all names, not one test per name)."""
    joined = "\n".join(names)
    if joined.count("\n") == len(names) - 1:  # no name holds a line break
        matched = _DOCUMENT_NAME.findall(joined)
    else:
        matched = [name for name in names if _DOCUMENT_NAME.fullmatch(name.replace("\n", " "))]
    return [name for name in matched if name not in passed] if passed else matched


@dataclass
class _Listed:
    """Entries of one folder that discovery reports, in name order."""

    folder: str
    names: list[str]
    links: set[str] = field(default_factory=set)  # entries that are links, resolved one by one
    real: str = ""  # the folder's resolved path
    unreadable: bool = False  # the folder itself, which could not be listed
    passed: set[str] = field(default_factory=set)  # folders passed over: ignored, whatever their name

    def identities(self) -> list[str]:
        prefix = os.path.join(self.real or os.path.realpath(self.folder), "")
        links = self.links
        return [os.path.realpath(prefix + name) if name in links else prefix + name for name in self.names]

    def identities_are_paths(self) -> bool:
        """Whether each entry's identity is its path as listed (no link, the folder named as it resolves)."""
        return not self.links and (self.real or os.path.realpath(self.folder)) == self.folder


@dataclass
class _Walked:
    """What walking the folders notes on the way (see `Discovery.folders` and `Discovery.vouch`)."""

    folders: dict[str, list[int]] = field(default_factory=dict)
    vouch: bool = True


def _walk(root: str, walked: _Walked) -> list[_Listed]:
    """The entries under `root`, folders depth first, each in name order.

    Hidden folders, and links to anything outside `root` (a link to `/` would walk the whole
    disk, one to `/etc/passwd` would read it), are passed over and listed as entries of their
    parent, to be ignored; a folder that cannot be
    listed is listed itself, so that reading it reports why. Each folder's fingerprint,
    taken before it is listed, goes into `walked.folders`.
    """
    listed: list[_Listed] = []
    base = os.path.realpath(root)
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError:  # listed by its parent but cannot be looked at: reading it reports why
            walked.vouch = False
            parent, name = os.path.split(folder)
            listed.append(_Listed(parent, [name], real=os.path.realpath(parent), unreadable=True))
            continue
        if (info.st_dev, info.st_ino) in visited:  # a symlink loop or a second link
            continue
        visited.add((info.st_dev, info.st_ino))
        walked.folders[folder] = [info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns]
        real = os.path.realpath(folder)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            parent, name = os.path.split(folder)
            listed.append(_Listed(parent, [name], real=os.path.dirname(real), unreadable=True))
            continue
        links = {entry.name for entry in entries if entry.is_symlink()}
        walked.vouch = walked.vouch and not links
        try:
            folders = {entry.name: entry.path for entry in entries if entry.is_dir()}  # follows links, as the walk does
        except OSError:  # a link whose target cannot be checked is not a folder
            folders = {entry.name: entry.path for entry in entries if _is_folder(entry)}
        passed = {name for name, path in folders.items() if name.startswith(".") or (name in links and not _inside(os.path.realpath(path), base))}
        # One rule for every link: one that leads outside the loaded folder is not followed,
        # whether to a folder (a link to `/` would walk the whole disk) or to a file (`/etc/passwd`).
        passed |= {name for name in links if name not in folders and not _inside(os.path.realpath(os.path.join(folder, name)), base)}
        files = [entry.name for entry in entries if entry.name not in folders] if folders else [entry.name for entry in entries]
        files.sort()  # names, not entries: a list of strings sorts several times faster
        listed.append(_Listed(folder, sorted(passed) + files, links, real, passed=passed))
        stack.extend(folders[name] for name in sorted(folders, reverse=True) if name not in passed)
    return listed


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _inside(path: str, base: str) -> bool:
    return path == base or path.startswith(os.path.join(base, ""))


# A document has a document suffix and is not hidden nor an editor's backup (`#a.md#`, `a.md~`).
_DOCUMENT_NAME = re.compile(
    r"^(?![.#~])[^\n]*(?:%s)$" % "|".join(re.escape(suffix) for suffix in sorted(DOCUMENT_SUFFIXES)), re.IGNORECASE | re.MULTILINE
)


def read_document(path: str | os.PathLike[str], options: LoadOptions = LoadOptions()) -> RawDocument | list[Problem]:
    """The parsed front matter of one file, or the problems that stop it from loading."""
    name = os.fspath(path)
    limit = options.max_file_bytes
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            return [_error(name, _not_a_file(name, info.st_mode))]
        if info.st_size > limit:
            return [_error(name, f"file is {_mb(info.st_size)}, larger than the {_mb(limit)} limit; not read")]
        with open(name, "rb") as file:
            data = file.read()
    except FileNotFoundError:
        if os.path.islink(name):
            return [_error(name, "file could not be read: it is a symbolic link to a file that does not exist")]
        return [_error(name, "file could not be read: it no longer exists (deleted or moved while loading)")]
    except OSError as error:
        return [_error(name, f"file could not be read: {error.strerror or error}")]
    if len(data) > limit:  # it grew after it was measured
        return [_error(name, f"file is larger than the {_mb(limit)} limit; not read")]
    text, problems = decode_bytes(name, data)
    if text is None:
        return problems
    return parse_front_matter(name, text, options, problems)


def _not_a_file(path: str, mode: int) -> str:
    if stat.S_ISDIR(mode):
        try:
            with os.scandir(path):
                pass
        except OSError as error:
            return f"folder could not be read: {error.strerror or error}"
        return "is a folder, not a document file"
    kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"is {kind}, not a regular file; not read"


def decode_bytes(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Text of a file's bytes (UTF-8, UTF-16, else cp1252/latin-1), with a warning for any repair."""
    encoding = _utf16_encoding(data)
    if encoding is not None:
        bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        try:
            text = data[2 if bom else 0:].decode(encoding)
        except UnicodeDecodeError as error:
            return None, [_error(name, f"file looks like {encoding.upper()} but is not valid UTF-16 (byte {error.start})")]
        how = "" if bom else " without a byte-order mark"
        return text, [Problem(name, WARNING, f"file is encoded as {encoding.upper()}{how}; read it as such")]
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        return None, [_error(name, f"file holds binary data (a NUL byte at byte {nul}), not text")]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        where = f"first bad byte at {error.start}"
    mostly_utf8 = data.decode("utf-8", errors="replace")
    bad = mostly_utf8.count("\ufffd")
    good_non_ascii = len(mostly_utf8) - len(mostly_utf8.encode("ascii", "ignore")) - bad
    if good_non_ascii > bad:  # more well-formed UTF-8 characters than damage: UTF-8 with a few bad bytes
        return mostly_utf8, [Problem(name, WARNING, f"file is UTF-8 with {bad} invalid bytes ({where}); each replaced by '\ufffd'")]
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, [Problem(name, WARNING, f"file is not valid UTF-8 ({where}); decoded as {encoding}")]
    return None, [_error(name, "file is not text in any known encoding")]  # latin-1 never fails


def _utf16_encoding(data: bytes) -> str | None:
    """`utf-16-le`/`-be` when the bytes are UTF-16 (with a byte-order mark, or plain ASCII-range text)."""
    if data.startswith(codecs.BOM_UTF32_LE):
        return None
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = data[:4096]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    # Mostly Latin text: one byte of each pair is zero nearly always, the other almost never.
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.01 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.01 * len(odd):
        return "utf-16-be"
    return None


def parse_front_matter(
    name: str, text: str, options: LoadOptions = LoadOptions(), problems: list[Problem] | None = None
) -> RawDocument | list[Problem]:
    """The front matter mapping at the start of a document's text, or why there is none."""
    problems = list(problems or [])
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return problems + [_error(name, "file is empty")]
    opening = _FENCE_OPEN.match(text)
    if opening is None:
        return problems + [_error(name, "no YAML front matter: line 1 of the file must be '---'", line=1)]
    closing = _FENCE_CLOSE.search(text, opening.end())
    if closing is None:
        return problems + [_error(name, "front matter never closes: no '---' or '...' line after the opening '---' on line 1", line=1)]
    front = text[opening.end():closing.start()]
    if len(front) > options.max_front_matter_bytes:
        limit = options.max_front_matter_bytes
        return problems + [_error(name, f"front matter is {_mb(len(front))}, larger than the {_mb(limit)} limit")]
    if "\x00" in front:
        line = front.count("\n", 0, front.index("\x00")) + 2
        return problems + [_error(name, f"front matter holds a NUL character (line {line}): binary data, not text", line=line)]
    try:
        data, notes = load_yaml(front, options)
    except FrontMatterError as error:
        return problems + [_error(name, error.message, line=error.line)]
    problems += [Problem(name, WARNING, note) for note in notes]
    if data is None:
        return problems + [_error(name, "front matter is empty (line 2): there are no fields between the '---' lines", line=2)]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        return problems + [_error(name, f"front matter (line 2) is {kind}, not a mapping of fields", line=2)]
    return RawDocument(name, data, front, problems)


def _error(name: str, message: str, line: int | None = None) -> Problem:
    return Problem(name, ERROR, message, line=line)


def _mb(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"
