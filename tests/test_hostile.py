"""Hostile and broken input, generated here (no committed binaries): nothing crashes, nothing is lost.

One folder per kind of trouble, each holding the hostile files beside good control documents.
Every case states its outcome: loaded cleanly, loaded with a warning, skipped with an error,
or ignored by name; one invariant ties each folder's counts together.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import article, document_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import load_corpus
from analytics import schema as s
from analytics.read import ingest
from analytics.read.ingest import (
    RawDocument,
    decode_bytes,
    parse_front_matter,
    read_document,
)
from analytics.read.names import is_utf8, shown_name
from analytics.read.validate import validate_document

LOADED, WARNED, SKIPPED, IGNORED = "loaded", "loaded with a warning", "skipped with an error", "ignored"
MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One hostile file: its content (bytes, or made by a function of the folder) and its fate."""

    name: str
    content: bytes | Callable[[Path], object]
    outcome: str
    says: str = ""
    values: dict = field(default_factory=dict)
    line: int | None = None


def fm(text: str, body: str = "Body.\n") -> bytes:
    """A document whose front matter is exactly `text`."""
    return f"---\n{text}\n---\n{body}".encode()


def doc(slug: str, **overrides: object) -> bytes:
    """A good article with a unique address, some fields replaced."""
    return document_text(article(3, **{"webUrl": f"https://hostile.test/{slug}", **overrides})).encode()


def raw(slug: str, extra: str) -> bytes:
    """A title, a unique address, an outlet and hand-written YAML lines (a date unless they give one)."""
    date = "" if "publishedDateTime" in extra else "publishedDateTime: 2026-03-03T10:00:00Z\n"
    head = f"title: Case {slug}\nwebUrl: https://hostile.test/{slug}\nprovider: {{name: Hostile, domain: hostile.test}}\n"
    return fm(head + date + extra)


def nested_block(levels: int) -> str:
    return "".join(" " * level + f"k{level}:\n" for level in range(levels)) + " " * levels + "leaf: 1"


def laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines)


def merge_chain(levels: int) -> str:
    lines = ["m0: &m0 {k: 1}"] + [f"m{n}: &m{n} {{<<: *m{n - 1}}}" for n in range(1, levels)]
    return "\n".join(lines)


def symlink(target: str) -> Callable[[Path], object]:
    return lambda path: os.symlink(target, path)


def marker_of(folder: Path) -> Path:
    return folder.parent / f"{folder.name}-code-ran"


MALFORMED = [
    Case("unterminated-string.md", fm('title: "open\nquality: 1'), SKIPPED, "invalid YAML at line", line=4),
    Case("unterminated-single.md", fm("title: 'open\nquality: 1"), SKIPPED, "invalid YAML at line"),
    Case("unterminated-bracket.md", fm("title: x\ntopics: [AI, Policy"), SKIPPED, "invalid YAML at line 4 (in field 'topics')", line=4),
    Case("unterminated-brace.md", fm("title: x\nprovider: {name: X"), SKIPPED, "invalid YAML at line"),
    Case("bad-indentation.md", fm("title: x\n  quality: 1"), SKIPPED, "invalid YAML at line 3 (in field 'title')", line=3),
    Case("tab-indentation.md", fm("title: x\nprovider:\n\tname: X"), SKIPPED, "invalid YAML at line 4"),
    Case("never-closes.md", b"---\ntitle: x\nquality: 1\n", SKIPPED, "never closes", line=1),
    Case("fence-only.md", b"---", SKIPPED, "never closes"),
    Case("empty.md", b"", SKIPPED, "file is empty"),
    Case("whitespace-only.md", b"  \n\n\t\n", SKIPPED, "file is empty"),
    Case("empty-front-matter.md", b"---\n---\nBody", SKIPPED, "front matter is empty", line=2),
    Case("comment-only-front-matter.md", fm("# nothing here"), SKIPPED, "front matter is empty"),
    Case("scalar.md", fm("just a sentence"), SKIPPED, "a single value (str)"),
    Case("number.md", fm("42"), SKIPPED, "a single value (int)"),
    Case("list.md", fm("- a\n- b"), SKIPPED, "is a list"),
    Case("no-front-matter.md", b"# Title\n\nSome notes.\n", SKIPPED, "no YAML front matter", line=1),
    Case("crlf.md", doc("crlf").replace(b"\n", b"\r\n"), LOADED),
]

TAGS = [
    Case("tag-name.md", fm("title: !!python/name:os.system"), SKIPPED, "tag not allowed"),
    Case("tag-module.md", fm("title: !!python/module:os"), SKIPPED, "tag not allowed"),
    Case("tag-local.md", fm("title: !custom value"), SKIPPED, "tag not allowed"),
    Case("tag-bad-int.md", raw("tag-bad-int", "quality: !!int high"), WARNED, "quality", {s.QUALITY: pd.NA}),
    Case("tag-bad-bool.md", raw("tag-bad-bool", "published: !!bool maybe"), WARNED, "published", {s.PUBLISHED: pd.NA}),
    Case("tag-bad-date.md", raw("tag-bad-date", "publishedDateTime: !!timestamp soon"), WARNED, "not a date"),
    Case("tag-empty-float.md", raw("tag-empty-float", "heat: !!float ''"), WARNED, "heat", {s.HEAT: pd.NA}),
    Case("tag-binary.md", raw("tag-binary", "excerpt: !!binary aGVsbG8="), WARNED, "expected text but found bytes"),
]


def _tag_case(name: str, line: str) -> Case:
    return Case(name, lambda path: path.write_bytes(fm(line.replace("{marker}", str(marker_of(path.parent))))), SKIPPED, "tag not allowed")


TAGS += [
    _tag_case("tag-apply.md", "title: !!python/object/apply:os.system ['touch {marker}']"),
    _tag_case("tag-open.md", "title: !!python/object/apply:builtins.open ['{marker}', 'w']"),
    _tag_case("tag-new.md", "title: !!python/object/new:builtins.open ['{marker}', 'w']"),
    _tag_case("tag-verbose.md", "title: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']"),
    _tag_case("tag-nested.md", "title: ok\nrelated:\n  - title: !!python/object/apply:os.system ['touch {marker}']"),
]

RESOURCES = [
    Case("billion-laughs.md", fm("title: lol\n" + laughs()), SKIPPED, "alias *a repeats a list or mapping", line=4),
    Case("merge-chain.md", fm("title: merge\n" + merge_chain(3000)), SKIPPED, "alias *m0 repeats a list or mapping"),
    Case("recursive-alias.md", fm("title: loop\nloop: &a [*a]"), SKIPPED, "alias *a"),
    Case("scalar-alias.md", raw("scalar-alias", "excerpt: &e Shared words\ncategory: *e"), LOADED, values={s.EXCERPT: "Shared words"}),
    Case("deep-flow-100.md", fm("title: x\ndeep: " + "[" * 100 + "]" * 100), SKIPPED, "nested more than 64 levels deep", line=3),
    Case("deep-flow-5000.md", fm("title: x\ndeep: " + "[" * 5000 + "]" * 5000), SKIPPED, "nested more than 64 levels deep"),
    Case("deep-flow-unclosed.md", fm("title: x\ndeep: " + "{a: " * 100_000), SKIPPED, "nested more than 64 levels deep"),
    Case("deep-block-mapping.md", fm("title: x\n" + nested_block(1200)), SKIPPED, "nested more than 64 levels deep", line=67),
    Case("deep-block-sequence.md", fm("title: x\ndeep:\n" + "- " * 5000 + "x"), SKIPPED, "nested more than 64 levels deep"),
    Case("huge-file.md", lambda path: path.write_bytes(b"---\ntitle: big\n---\n" + b"x" * (30 * MB)), SKIPPED, "larger than the 8.0 MB limit"),
    Case("huge-front-matter.md", fm("title: x\nexcerpt: " + "y" * (3 * MB // 2)), SKIPPED, "front matter is 1.5 MB, larger than the 1.0 MB limit"),
    Case("huge-body.md", doc("huge-body") + b"z" * (6 * MB), LOADED),
    Case("long-title.md", doc("long-title", title="t" * 500_000), WARNED, "cut to 20,000", {s.TITLE: "t" * 20_000}),
    Case("year-zero.md", doc("year-zero", publishedDateTime="0000-01-01T00:00:00Z"), WARNED, "outside the years 1 to 9999", {s.PUBLISHED_AT: pd.NaT}),
    Case("negative-year.md", doc("negative-year", publishedDateTime="-2026-03-01T10:00:00Z"), WARNED, "outside the years 1 to 9999"),
    Case("long-date.md", doc("long-date", publishedDateTime="1 " * 200_000), WARNED, "not a date", {s.PUBLISHED_AT: pd.NaT}),
    Case("many-topics.md", doc("many-topics", topics=[f"t{n}" for n in range(5000)]), WARNED, "kept the first 1,000", {s.N_TOPICS: 1000}),
    Case("many-bad-related.md", doc("many-bad-related", related=list(range(3000))), WARNED, "more warnings for this file are not listed"),
    Case("many-fields.md", doc("many-fields", **{f"extra{n}": n for n in range(40_000)}), LOADED),
    Case("huge-integer.md", raw("huge-integer", "quality: " + "9" * 10_000), WARNED, "quality", {s.QUALITY: pd.NA}),
    Case("huge-hex.md", raw("huge-hex", "heat: 0x" + "f" * 100_000), WARNED, "heat", {s.HEAT: pd.NA}),
]

ENCODINGS = [
    Case("binary-png.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, SKIPPED, "binary data (a NUL byte at byte 8)"),
    Case("random-bytes.md", random.Random(4).randbytes(5000), SKIPPED, "binary data"),
    Case("latin-1.md", "---\ntitle: Café crème à Zürich\nwebUrl: https://hostile.test/latin1\n---\n".encode("latin-1"),
         WARNED, "decoded as cp1252", {s.TITLE: "Café crème à Zürich"}),
    Case("cp1252.md", "---\ntitle: It’s “quoted” – dash\nwebUrl: https://hostile.test/cp1252\n---\n".encode("cp1252"),
         WARNED, "decoded as cp1252", {s.TITLE: "It’s “quoted” – dash"}),
    Case("utf-16-le-bom.md", "\ufeff".encode("utf-16-le") + doc("utf16le").decode().encode("utf-16-le"), WARNED, "UTF-16-LE"),
    Case("utf-16-be-bom.md", "\ufeff".encode("utf-16-be") + doc("utf16be").decode().encode("utf-16-be"), WARNED, "UTF-16-BE"),
    Case("utf-16-no-bom.md", doc("utf16plain").decode().encode("utf-16-le"), WARNED, "UTF-16-LE without a byte-order mark"),
    Case("utf-16-no-bom-curly.md", doc("utf16curly", title="It’s “quoted” – ok").decode().encode("utf-16-le"), WARNED,
         "without a byte-order mark", {s.TITLE: "It’s “quoted” – ok"}),
    Case("big-latin-1.md", "---\ntitle: Très grand\nwebUrl: https://hostile.test/big-latin1\n---\n".encode("latin-1") + b"\xe9" * (7 * MB),
         WARNED, "decoded as cp1252", {s.TITLE: "Très grand"}),
    Case("utf-16-broken.md", "\ufeff".encode("utf-16-le") + b"-\x00-\x00-\x00\n\x00\x00\xdc", SKIPPED, "not valid UTF-16"),
    Case("utf-32.md", "---\ntitle: x\n---\n".encode("utf-32"), SKIPPED, "binary data"),
    Case("utf-8-bom.md", b"\xef\xbb\xbf" + doc("utf8bom"), LOADED),
    Case("nul-early.md", fm("title: a\x00b"), SKIPPED, "binary data (a NUL byte at byte 12)"),
    Case("nul-late.md", fm("title: x\nexcerpt: " + "e" * 9000 + "\ncategory: a\x00b"), SKIPPED, "NUL character (line 4)", line=4),
    Case("nul-in-body.md", doc("nul-in-body") + b"b" * 9000 + b"\x00 after the front matter", LOADED),
    Case("surrogate-bytes.md", b"---\ntitle: bad \xed\xa0\x80 bytes\nwebUrl: https://hostile.test/surrogate-bytes\n---\n",
         WARNED, "not valid UTF-8 (first bad byte at 15)"),
    Case("mostly-utf-8.md", "---\ntitle: Café — naïve X\nwebUrl: https://hostile.test/mostly\n---\n".encode().replace(b"X", b"\xff"),
         WARNED, "UTF-8 with 1 invalid bytes", {s.TITLE: "Café — naïve \ufffd"}),
    Case("surrogate-escape.md", fm('title: "lone \\ud800 half"'), SKIPPED, "invalid Unicode character escape", line=2),
    Case("surrogate-pair.md", raw("pair", 'excerpt: "emoji \\ud83d\\ude00 here"'), WARNED, "escape pairs", {s.EXCERPT: "emoji \U0001f600 here"}),
    Case("control-escapes.md", raw("control", 'excerpt: "red \\e[31m alert\\a"'), WARNED, "removed 2 control characters", {s.EXCERPT: "red [31m alert"}),
    Case("raw-control.md", fm("title: bell \x07 here"), SKIPPED, "invalid YAML at line 2: control character U+0007 is not allowed", line=2),
]

VALUES = [
    Case("quality-as-text.md", doc("q-text", quality="42"), WARNED, "number written as text '42'", {s.QUALITY: 42.0}),
    Case("heat-with-comma.md", doc("h-comma", heat="1,250"), WARNED, "heat", {s.HEAT: 1250.0}),
    Case("quality-nan.md", raw("q-nan", "quality: .nan"), WARNED, "quality", {s.QUALITY: pd.NA}),
    Case("quality-inf.md", raw("q-inf", "quality: .inf"), WARNED, "outside the sensible range", {s.QUALITY: pd.NA}),
    Case("heat-minus-inf.md", raw("h-minf", "heat: -.inf"), WARNED, "heat", {s.HEAT: pd.NA}),
    Case("quality-1e308.md", raw("q-big", "quality: 1e308"), WARNED, "value 1e+308 is outside", {s.QUALITY: pd.NA}),
    Case("quality-negative.md", doc("q-neg", quality=-3), WARNED, "outside", {s.QUALITY: pd.NA}),
    Case("date-garbage.md", doc("d-garbage", publishedDateTime="sometime last week"), WARNED, "not a date", {s.PUBLISHED_AT: pd.NaT}),
    Case("date-impossible.md", doc("d-impossible", publishedDateTime="2019-02-30T10:00:00Z"), WARNED, "not a date"),
    Case("date-epoch.md", doc("d-epoch", publishedDateTime=1772359200), WARNED, "Unix time",
         {s.PUBLISHED_AT: pd.Timestamp("2026-03-01T10:00:00Z")}),
    Case("date-epoch-ms.md", doc("d-epoch-ms", publishedDateTime=1772359200000), WARNED, "Unix time",
         {s.PUBLISHED_AT: pd.Timestamp("2026-03-01T10:00:00Z")}),
    Case("date-only.md", raw("d-only", "publishedDateTime: 2026-03-01"), LOADED, values={s.PUBLISHED_AT: pd.Timestamp("2026-03-01T00:00:00Z")}),
    Case("date-offset.md", raw("d-offset", "publishedDateTime: 2026-03-01T10:00:00+05:30"), LOADED,
         values={s.PUBLISHED_AT: pd.Timestamp("2026-03-01T04:30:00Z")}),
    Case("date-future.md", doc("d-future", publishedDateTime="2999-01-01T00:00:00Z"), WARNED, "in the future; kept",
         {s.PUBLISHED_AT: pd.Timestamp("2999-01-01T00:00:00Z")}),
    Case("date-1970.md", doc("d-1970", publishedDateTime="1970-01-02T00:00:00Z"), WARNED, "before 1990; kept",
         {s.PUBLISHED_AT: pd.Timestamp("1970-01-02T00:00:00Z")}),
    Case("date-year-99999.md", doc("d-99999", publishedDateTime="99999-01-01"), WARNED, "not a date", {s.PUBLISHED_AT: pd.NaT}),
    Case("date-as-list.md", raw("d-list", "publishedDateTime: [2026-03-01]"), WARNED, "not a date", {s.PUBLISHED_AT: pd.NaT}),
    Case("title-as-list.md", doc("t-list", title=["Part", "one"]), WARNED, "joined its items", {s.TITLE: "Part one"}),
    Case("title-as-number.md", doc("t-number", title=2024), WARNED, "converted to text", {s.TITLE: "2024"}),
    Case("title-as-mapping.md", doc("t-map", title={"a": "b"}), SKIPPED, "no title"),
    Case("quality-as-list.md", doc("q-list", quality=[1, 2]), WARNED, "expected a number", {s.QUALITY: pd.NA}),
    Case("topics-as-text.md", doc("topics-text", topics="AI"), WARNED, "read as a list of one", {s.N_TOPICS: 1}),
    Case("topics-nested.md", doc("topics-nested", topics=[["a", "b"], {"x": "y"}, None, 7]), WARNED, "topics[1]", {s.N_TOPICS: 2}),
    Case("provider-as-text.md", doc("p-text", provider="Outlet", webUrl="https://outlet.test/a"), WARNED, "used it as the name", {s.PROVIDER_NAME: "Outlet"}),
    Case("provider-as-list.md", doc("p-list", provider=["a", "b"]), WARNED, "dropped", {s.PROVIDER_DOMAIN: "hostile.test"}),
    Case("images-as-text.md", doc("i-text", images="https://img.test/1.jpg"), WARNED, "read as a list of one", {s.N_IMAGES: 1}),
    Case("related-as-mapping.md", doc("r-map", related={"title": "Other", "webUrl": "https://other.test/a"}), WARNED,
         "read as a list of one", {s.N_RELATED: 1}),
    Case("published-as-text.md", doc("pub-text", published="yes"), WARNED, "read as True", {s.PUBLISHED: True}),
    Case("null-everywhere.md", fm("\n".join(f"{key}: null" for key in article(1))), SKIPPED, "no title"),
    Case("null-but-title.md", fm("title: Only a title\n" + "\n".join(f"{key}: ~" for key in article(1) if key != "title")),
         WARNED, "no publication date", {s.QUALITY: pd.NA, s.PUBLISHED_AT: pd.NaT, s.N_TOPICS: 0}),
    Case("html-title.md", doc("html", title="<script>alert(1)</script>", provider={"name": "<img src=x onerror=alert(1)>", "domain": "x.test"}),
         LOADED, values={s.TITLE: "<script>alert(1)</script>", s.PROVIDER_NAME: "<img src=x onerror=alert(1)>"}),
    Case("duplicate-keys.md", raw("dup-keys", "quality: 10\ntitle: Later title\nquality: 20"), WARNED,
         "field 'title' is written twice (lines 2 and 7); the last value is kept", {s.TITLE: "Later title", s.QUALITY: 20.0}),
    Case("formula-title.md", doc("formula", title='=HYPERLINK("http://evil.test","x")'), LOADED,
         values={s.TITLE: '=HYPERLINK("http://evil.test","x")'}),
]

FOLDERS = [
    Case("loop-a.md", symlink("loop-b.md"), SKIPPED, "Too many levels of symbolic links"),
    Case("loop-b.md", symlink("loop-a.md"), SKIPPED, "Too many levels of symbolic links"),
    Case("dangling.md", symlink("missing-target.md"), SKIPPED, "symbolic link to a file that does not exist"),
    Case("fifo.md", os.mkfifo, SKIPPED, "is a named pipe"),
    Case("zero.md", symlink("/dev/zero"), IGNORED),  # a link that leads outside the folder is not followed
    Case("passwd.md", symlink("/etc/passwd"), IGNORED),
    Case("outside-folder", symlink("/"), IGNORED),
    Case("locked.md", doc("locked"), SKIPPED, "Permission denied"),
    Case("vanishing.md", doc("vanishing"), SKIPPED, "no longer exists"),
    Case("locked-folder", lambda path: (path.mkdir(), (path / "inside.md").write_bytes(doc("inside"))), SKIPPED,
         "folder could not be read: Permission denied"),
    Case("UPPER.MD", doc("upper"), LOADED),
    Case(".hidden.md", doc("hidden"), IGNORED),
    Case(".git", lambda path: (path.mkdir(), (path / "config.md").write_bytes(doc("git"))), IGNORED),
    Case("backup.md~", doc("tilde"), IGNORED),
    Case("#autosave.md#", doc("emacs"), IGNORED),
    Case(".swapped.md.swp", b"\x00vim swap", IGNORED),
    Case("copy.md.bak", doc("bak"), IGNORED),
    Case("merge.md.orig", doc("orig"), IGNORED),
    Case("~$office.md", doc("office"), IGNORED),
    Case("notes.csv", b"a,b\n1,2\n", IGNORED),
    Case("photo.png", b"\x89PNG\r\n\x1a\n", IGNORED),
]

def dated(slug: str, when: str) -> bytes:
    return doc(slug, publishedDateTime=when)


NAMES = [
    Case("line\nbreak.md", doc("line-break"), LOADED),
    Case("x.md: ok\n9 files seen: 9 loaded.md", doc("fake-summary"), LOADED),
    Case("tab\tand\x1b[31mescape.md", doc("tab-escape"), LOADED),
    Case("evil\u202egpj.md", doc("bidi"), LOADED),
    Case("=HYPERLINK(1).md", doc("formula-name"), LOADED),
    Case("n" * 252 + ".md", doc("longest-name"), LOADED),
    Case(os.fsdecode(b"latin-1-caf\xe9.md"), doc("latin-name"), SKIPPED, "file name is not valid UTF-8"),
    Case(os.fsdecode(b"\xff\xfe.md"), doc("bytes-name"), SKIPPED, "file name is not valid UTF-8"),
    Case(os.fsdecode(b"ignored-\xff.csv"), b"a,b\n", SKIPPED, "file name is not valid UTF-8"),  # reported: its name cannot be shown as it is
]

DATES = [
    Case("first-day.md", dated("first-day", "0001-01-01T00:00:00Z"), WARNED, "before 1990; kept", {s.PUBLISHED_AT: pd.Timestamp("0001-01-01", tz="UTC")}),
    Case("year-1000.md", dated("year-1000", "1000-01-01T00:00:00Z"), WARNED, "before 1990; kept"),
    Case("last-day.md", dated("last-day", "9999-12-31T23:59:59Z"), WARNED, "in the future; kept",
         {s.PUBLISHED_AT: pd.Timestamp("9999-12-31T23:59:59", tz="UTC")}),
    Case("past-the-end.md", dated("past-the-end", "10000-01-01T00:00:00Z"), WARNED, "not a date", {s.PUBLISHED_AT: pd.NaT}),
]

LINKS = [
    Case("passwd-link.md", symlink("/etc/passwd"), IGNORED),
    Case("root-link", symlink("/"), IGNORED),
    Case("unsearchable", lambda path: (path.mkdir(), (path / "inside.md").write_bytes(doc("unsearchable"))), SKIPPED,
         "could not be read: Permission denied"),
]

FOLDER_CASES = {
    "malformed": MALFORMED,
    "tags": TAGS,
    "resources": RESOURCES,
    "encodings": ENCODINGS,
    "values": VALUES,
    "folders": FOLDERS,
    "names": NAMES,
    "dates": DATES,
    "links": LINKS,
}
CONTROLS = {"control-1.md": article(1), "control-2.md": article(2, topics=["Health"])}


def build_folder(folder: Path, cases: list[Case]) -> None:
    folder.mkdir()
    for name, fields in CONTROLS.items():
        (folder / name).write_text(document_text(fields), encoding="utf-8")
    for case in cases:
        path = folder / case.name
        if isinstance(case.content, bytes):
            path.write_bytes(case.content)
        else:
            case.content(path)
    if folder.name == "folders":
        os.symlink(folder, folder / "locked-folder-loop")  # a folder loop: walked once, counted never


def load_hostile(folder: Path):
    """Load a fixture folder, simulating what a test running as root cannot arrange for real."""
    real_open, real_scandir = open, os.scandir

    def open_file(file, *args, **kwargs):  # how the reading stage opens documents
        name = os.path.basename(os.fspath(file))
        if name == "locked.md":
            raise PermissionError(13, "Permission denied", str(file))
        if name == "vanishing.md":
            os.unlink(file)  # deleted after it was found and measured, just before it is read
        return real_open(file, *args, **kwargs)

    def scandir(path=".") -> object:
        if Path(path).name == "locked-folder":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    real_stat = os.stat

    def stat(path, *args, **kwargs):  # a folder listed by its parent that cannot be looked at (mode 644 parent)
        if "unsearchable" in Path(os.fspath(path)).parts:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest, "open", open_file, raising=False)
        patch.setattr(os, "scandir", scandir)
        patch.setattr(os, "stat", stat)
        return load_corpus(folder)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict:
    """Every fixture folder, built and loaded once: {kind: (folder, corpus, seconds)}."""
    root = tmp_path_factory.mktemp("hostile")
    result = {}
    for kind, cases in FOLDER_CASES.items():
        folder = root / kind
        build_folder(folder, cases)
        started = time.perf_counter()
        corpus = load_hostile(folder)
        result[kind] = (folder, corpus, time.perf_counter() - started)
    return result


def reported(path: Path | str) -> str:
    """A path as the problems table names it: a name that is not UTF-8 is shown escaped."""
    return str(path) if is_utf8(str(path)) else shown_name(str(path))


def rows_for(corpus, path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    articles = corpus.articles[corpus.articles[s.PATH] == reported(path)]
    problems = corpus.problems[corpus.problems[s.PATH] == reported(path)]
    return articles, problems


ALL_CASES = [pytest.param(kind, case, id=f"{kind}/{case.name}") for kind, cases in FOLDER_CASES.items() for case in cases]


@pytest.mark.parametrize(("kind", "case"), ALL_CASES)
def test_each_hostile_file_ends_as_stated(loaded, kind, case):
    folder, corpus, _ = loaded[kind]
    path = folder / case.name
    articles, problems = rows_for(corpus, path)
    severities = set(problems[s.SEVERITY])
    messages = " | ".join(problems[s.MESSAGE])
    if case.outcome == IGNORED:
        assert str(path) in corpus.ignored_paths and problems.empty and articles.empty
        return
    assert str(path) not in corpus.ignored_paths
    if case.outcome == SKIPPED:
        assert articles.empty
        assert s.ERROR in severities, messages
    elif case.outcome == WARNED:
        assert len(articles) == 1, messages
        assert severities == {s.WARNING}, messages
    else:
        assert len(articles) == 1, messages
        assert problems.empty, messages
    assert case.says in messages
    if case.line is not None:
        assert case.line in problems[s.LINE].tolist()
    for column, expected in case.values.items():
        got = articles[column].iloc[0]
        assert (pd.isna(got) and pd.isna(expected)) if expected is pd.NA or expected is pd.NaT else got == expected, column


@pytest.mark.parametrize("kind", list(FOLDER_CASES))
def test_every_folder_accounts_for_every_file_and_keeps_the_controls(loaded, kind):
    folder, corpus, seconds = loaded[kind]
    assert corpus.files_seen == corpus.loaded + corpus.skipped + corpus.duplicates + corpus.ignored
    entries = {reported(folder / name) for name in [*CONTROLS, *(case.name for case in FOLDER_CASES[kind])]}
    assert corpus.files_seen == len(entries)
    loaded_paths = set(corpus.articles[s.PATH])
    error_paths = set(corpus.problems.loc[corpus.problems[s.SEVERITY] == s.ERROR, s.PATH])
    assert entries - loaded_paths - set(corpus.ignored_paths) == error_paths  # every skipped file has an error row
    assert set(corpus.problems[s.PATH]) <= entries  # every row names a file of this folder
    assert corpus.duplicates == 0
    controls = corpus.articles[corpus.articles[s.PATH].isin([str(folder / name) for name in CONTROLS])]
    assert controls[[s.TITLE, s.QUALITY, s.HEAT, s.PUBLISHED, s.N_TOPICS, s.PROVIDER_DOMAIN]].astype(object).values.tolist() == [
        ["Story number 1", 41.0, 21.0, True, 2, "example-news.test"],
        ["Story number 2", 42.0, 22.0, True, 1, "example-news.test"],
    ]
    assert controls[s.PUBLISHED_AT].tolist() == [pd.Timestamp("2026-03-01T10:00Z"), pd.Timestamp("2026-03-02T10:00Z")]
    assert not set(corpus.problems[s.PATH]) & set(controls[s.PATH])
    assert seconds < 10, f"loading the {kind} fixtures took {seconds:.1f} s"


@pytest.mark.parametrize("kind", list(FOLDER_CASES))
def test_every_folder_can_be_reported_and_exported(loaded, kind):
    """Whatever was loaded (dates at the edges of the calendar included), every view computes, and stays small."""
    from analytics.measure.filters import Filters
    from analytics.measure.metrics import MetricOptions
    from analytics.present.export import TABLES, export_table
    from analytics.present.report import report_html

    _, corpus, _ = loaded[kind]
    assert "</html>" in report_html(corpus, Filters())
    for table in TABLES:
        assert len(export_table(corpus, Filters(), table, MetricOptions(granularity="day"))) < 100_000, table


def test_no_tag_ran_code(loaded):
    folder, corpus, _ = loaded["tags"]
    assert not marker_of(folder).exists()


def test_the_tag_fixtures_would_run_code_in_an_unsafe_loader(tmp_path):
    """Proves the fixtures above are live: PyYAML's unsafe loader does create the marker."""
    folder = tmp_path / "probe"
    folder.mkdir()
    _tag_case("probe.md", "title: !!python/object/apply:builtins.open ['{marker}', 'w']").content(folder / "probe.md")
    front = (folder / "probe.md").read_text().split("---\n")[1]
    yaml.unsafe_load(front)["title"].close()
    assert marker_of(folder).exists()


def test_every_problem_names_its_file_and_what_is_wrong(loaded):
    for folder, corpus, _ in loaded.values():
        for row in corpus.problems.itertuples(index=False):
            assert Path(getattr(row, s.PATH)).parent == folder
            assert 10 <= len(getattr(row, s.MESSAGE)) <= 400
            line, message = getattr(row, s.LINE), getattr(row, s.MESSAGE)
            assert pd.isna(line) or f"line {line}" in message  # the line is said, not only stored
            if getattr(row, s.SEVERITY) == s.WARNING and getattr(row, s.FIELD):
                assert message.startswith(getattr(row, s.FIELD))


@pytest.mark.parametrize(
    "case",
    [case for case in RESOURCES if case.outcome == SKIPPED and isinstance(case.content, bytes)],
    ids=lambda case: case.name,
)
def test_pathological_files_are_refused_quickly(tmp_path, case):
    path = tmp_path / case.name
    path.write_bytes(case.content)
    started = time.perf_counter()
    problems = read_document(path)
    assert time.perf_counter() - started < 2
    assert problems[-1].severity == s.ERROR and case.says in problems[-1].message


# --- fuzzing --------------------------------------------------------------------------------

_TOKENS = [
    "---", "\n", "  ", "\t", "- ", ": ", "? ", "[", "]", "{", "}", ",", "'", '"', "#", "|", ">", "&a ", "*a", "<<: ",
    "!!python/object/apply:os.system ", "!!int ", "!!timestamp ", "!!binary ", "!!set ", "!custom ", "%YAML 1.1",
    "\\ud800", "\\ud83d\\ude00", "\\x1b", "title: ", "quality: ", "heat: ", "publishedDateTime: ", "topics: ",
    "provider: ", "related: ", "images: ", "url: ", "1e308", ".nan", "-.inf", "null", "~", "0x", "99999999999999",
    "2026-02-30", "1970-01-01", "yes", "é", "\u2028", "\x00", "\x85", "\ufeff", "\r\n",
]
_yamlish = st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=4)), max_size=40).map("".join)
_FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _assert_read_or_reported(result) -> None:
    if isinstance(result, RawDocument):
        record, problems = validate_document(result)
        assert record is not None or problems[-1].severity == s.ERROR
    else:
        assert result and result[-1].severity == s.ERROR


@_FUZZ
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes_are_decoded_and_parsed_or_reported(data):
    text, problems = decode_bytes("fuzz.md", data)
    if text is None:
        assert problems[-1].severity == s.ERROR
        return
    _assert_read_or_reported(parse_front_matter("fuzz.md", text, problems=problems))


@_FUZZ
@given(_yamlish)
def test_fuzz_yamlish_front_matter_is_parsed_or_reported(text):
    _assert_read_or_reported(parse_front_matter("fuzz.md", "---\n" + text + "\n---\n"))
    _assert_read_or_reported(parse_front_matter("fuzz.md", "---\ntitle: t\n" + text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(_yamlish.map(lambda text: ("---\n" + text + "\n---\n").encode("utf-8", "surrogatepass")), st.binary(max_size=200)), max_size=5))
def test_fuzz_folders_always_account_for_every_file(tmp_path_factory, contents):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "control.md").write_text(document_text(article(9)))
    for index, content in enumerate(contents):
        (folder / f"f{index}.md").write_bytes(content)
        assert isinstance(read_document(folder / f"f{index}.md"), (RawDocument, list))
    corpus = load_corpus(folder)
    assert corpus.files_seen == corpus.loaded + corpus.skipped + corpus.duplicates + corpus.ignored == len(contents) + 1
    assert "Story number 9" in corpus.articles[s.TITLE].tolist()
    not_loaded = {str(path) for path in folder.iterdir()} - set(corpus.articles[s.PATH])
    assert not_loaded <= set(corpus.problems[s.PATH])
