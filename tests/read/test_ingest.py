import os
from pathlib import Path

import pytest
from conftest import article, document_text

from analytics.read.ingest import (
    RawDocument,
    decode_bytes,
    discover_files,
    parse_front_matter,
    read_document,
)
from analytics.schema import ERROR, WARNING, LoadOptions


def parse(text: str):
    return parse_front_matter("doc.md", text)


def test_front_matter_is_parsed_into_a_mapping():
    raw = parse(document_text(article(1)))
    assert isinstance(raw, RawDocument)
    assert raw.data["title"] == "Story number 1"
    assert raw.data["provider"] == {"name": "Example News", "domain": "example-news.test"}


def test_timestamps_are_left_as_text_for_field_level_parsing():
    raw = parse("---\ntitle: x\npublishedDateTime: 2019-02-30T10:00:00Z\n---\n")
    assert raw.data["publishedDateTime"] == "2019-02-30T10:00:00Z"


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff---\ntitle: BOM\n---\n",
        "---\r\ntitle: BOM\r\n---\r\nbody\r\n",
        "---\ntitle: BOM\n...\nbody",
        "---   \ntitle: BOM\n---\n---\nmore text after the closing fence\n",
        "---\ntitle: BOM\n---",
    ],
)
def test_tolerated_variants(text):
    if text.startswith("\ufeff"):
        decoded, problems = decode_bytes("doc.md", text.encode("utf-8"))
        assert problems == []
        text = decoded
    raw = parse(text)
    assert isinstance(raw, RawDocument), raw
    assert raw.data == {"title": "BOM"}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("", "file is empty", None),
        ("Plain notes\n", "no YAML front matter", 1),
        ("---\ntitle: x\n", "never closes", 1),
        ("---\n---\n", "front matter is empty", 2),
        ("---\n- a\n- b\n---\n", "is a list", 2),
        ("---\njust text\n---\n", "single value", 2),
        ('---\ntitle: "open\nother: 1\n---\n', "invalid YAML", 4),
        ("---\ntitle: [a, b\n---\n", "invalid YAML", 3),
        ("---\ntitle: x\n  bad: indent\n---\n", "invalid YAML at line 3", 3),
        ("---\ntitle:\tx\n\tkey: 1\n---\n", "invalid YAML", 3),
    ],
)
def test_files_that_cannot_be_documents_are_errors(text, message, line):
    problems = parse(text)
    assert isinstance(problems, list) and len(problems) == 1
    assert problems[0].severity == ERROR
    assert message in problems[0].message
    assert problems[0].line == line


def test_python_tags_are_rejected_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    text = f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    problems = parse(text)
    assert problems[0].severity == ERROR and "tag not allowed" in problems[0].message
    assert not marker.exists()


def test_alias_expansion_is_refused():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n---\n"
    problems = parse(bomb)
    assert "alias" in problems[0].message


def test_deep_nesting_is_refused():
    problems = parse_front_matter("doc.md", "---\ntitle: " + "[" * 100 + "]" * 100 + "\n---\n", LoadOptions(max_nesting=20))
    assert "nested more than 20" in problems[0].message


def test_oversized_file_is_reported_not_read(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(document_text(article(1)).encode() + b"x" * 5000)
    problems = read_document(path, LoadOptions(max_file_bytes=1000))
    assert problems[0].severity == ERROR and "larger than" in problems[0].message


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ("---\ntitle: Café\n---\n".encode("cp1252"), "cp1252"),
        ("---\ntitle: Café\n---\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_other_encodings_load_with_a_warning(data, kind):
    text, problems = decode_bytes("doc.md", data)
    assert parse(text).data == {"title": "Café"}
    assert problems[0].severity == WARNING and kind in problems[0].message


def test_binary_files_are_errors():
    text, problems = decode_bytes("doc.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert text is None and problems[0].severity == ERROR


def test_discovery_finds_documents_recursively_and_counts_the_rest(write, tmp_path):
    write("a.md", article(1))
    write("sub/b.markdown", article(2))
    write("sub/deeper/c.TXT", article(3))
    for ignored in ("notes.csv", ".hidden.md", "a.md~", "#a.md#", "a.md.bak", "image.png"):
        write(ignored, "x")
    found = discover_files(tmp_path)
    assert sorted(os.path.basename(p) for p in found.documents) == ["a.md", "b.markdown", "c.TXT"]
    assert len(found.ignored) == 6


def test_discovery_accepts_single_files_and_skips_repeats(write, tmp_path):
    path = write("a.md", article(1))
    found = discover_files(path, tmp_path, path)
    assert found.documents == [str(path)]


def test_discovery_survives_symlink_loops(write, tmp_path):
    write("sub/a.md", article(1))
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    found = discover_files(tmp_path)
    assert [os.path.basename(p) for p in found.documents] == ["a.md"]


def test_missing_path_raises():
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        discover_files("/definitely/not/here")


def test_links_to_folders_outside_the_loaded_one_are_not_followed(write, tmp_path):
    inside = tmp_path / "data"
    outside = tmp_path / "elsewhere"
    write("data/a.md", article(1))
    write("elsewhere/b.md", article(2))
    os.symlink(outside, inside / "link-out")
    os.symlink(inside, inside / "link-in-loop")
    found = discover_files(inside)
    assert [os.path.basename(p) for p in found.documents] == ["a.md"]
    assert [os.path.basename(p) for p in found.ignored] == ["link-out"]


def listed_by_walking(root: Path) -> tuple[list[str], list[str]]:
    """The listing discovery must give, spelled out with `os.walk` and `pathlib` (slow but plain)."""
    documents, ignored, seen, visited = [], [], set(), set()
    base = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=True):
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in visited:
            dirs[:] = []
            continue
        visited.add((info.st_dev, info.st_ino))
        passed = sorted(d for d in dirs if d.startswith(".") or (Path(folder, d).is_symlink() and not Path(folder, d).resolve().is_relative_to(base)))
        dirs[:] = sorted(d for d in dirs if d not in passed)
        for name in passed + sorted(files):
            path = Path(folder, name)
            identity = path.resolve() if path.is_symlink() else Path(folder).resolve() / name
            if identity in seen:
                continue
            seen.add(identity)
            document = name not in passed and not name.startswith((".", "#", "~")) and path.suffix.lower() in {".md", ".markdown", ".txt"}
            (documents if document else ignored).append(str(path))
    return documents, ignored


def test_discovery_lists_folders_depth_first_in_name_order_with_links_counted_once(write, tmp_path):
    root = tmp_path / "data"
    for name in ("b.md", "a.md", "A.md", "z/1.md", "z/y/2.txt", "m/3.markdown", "m/notes.csv", ".git/x.md", "c.md~", "#c.md#", "d.MD.bak", "e.MARKDOWN"):
        write(f"data/{name}", article(1))
    write("outside/far.md", article(2))
    (root / "folder.md").mkdir()  # a folder named like a document is walked, not loaded
    write("data/folder.md/inner.md", article(3))
    os.symlink(root / "a.md", root / "link-to-a.md")  # the same file twice: counted once
    os.symlink(root / "z", root / "m" / "link-to-z")  # a folder reached twice: walked once
    os.symlink(tmp_path / "outside", root / "outside.md")  # a link out, named like a document: ignored
    os.symlink(root / "missing.md", root / "broken.md")  # a dangling link: listed, reading reports it
    documents, ignored = listed_by_walking(root)
    found = discover_files(root)
    assert (found.documents, found.ignored) == (documents, ignored)
    assert str(root / "link-to-a.md") not in found.documents + found.ignored
    assert str(root / "outside.md") in found.ignored and str(root / "broken.md") in found.documents


def test_discovery_of_overlapping_roots_counts_each_file_once(write, tmp_path):
    write("data/a.md", article(1))
    write("data/sub/b.md", article(2))
    found = discover_files(tmp_path / "data" / "sub", tmp_path / "data", tmp_path / "data" / "sub" / "b.md")
    assert found.documents == [str(tmp_path / "data" / "sub" / "b.md"), str(tmp_path / "data" / "a.md")]


def test_file_names_with_line_breaks_are_listed(write, tmp_path):
    write("odd\nname.md", article(1))
    write("plain.md", article(2))
    found = discover_files(tmp_path)
    assert sorted(found.documents) == [str(tmp_path / "odd\nname.md"), str(tmp_path / "plain.md")]


def test_a_subfolder_that_cannot_be_entered_is_reported_not_lost(open_tmp):
    """A folder readable but not searchable lists its names, yet none of them can be looked at."""
    import json
    import subprocess
    import sys

    from conftest import as_unprivileged

    folder = open_tmp / "data"
    (folder / "shut" / "inner").mkdir(parents=True)
    (folder / "top.md").write_text(document_text(article(1)))
    (folder / "shut" / "a.md").write_text(document_text(article(2)))
    (folder / "shut" / "inner" / "b.md").write_text(document_text(article(3)))
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (folder / "shut").chmod(0o644)  # names can be read, entries cannot be reached
    code = "import json, sys; from analytics import load_corpus; print(json.dumps(load_corpus(sys.argv[1], cache=False).summary()))"
    done = subprocess.run(as_unprivileged([sys.executable, "-c", code, str(folder)]), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["files_seen"] == summary["loaded"] + summary["skipped"] == 3
    errors = {row["path"]: row["message"] for row in summary["problems"] if row["severity"] == ERROR}
    assert errors == {str(folder / "shut" / name): "file could not be read: Permission denied" for name in ("a.md", "inner")}


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(36, "File name too long")], ids=["denied", "too-long"])
def test_an_entry_that_cannot_be_looked_at_is_listed_for_reading_to_report(tmp_path, monkeypatch, error):
    (tmp_path / "gone").mkdir()
    (tmp_path / "ok.md").write_text(document_text(article(1)))
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if os.fspath(path).endswith("gone"):
            raise error
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    found = discover_files(tmp_path)
    assert sorted(found.documents) == [str(tmp_path / "gone"), str(tmp_path / "ok.md")]
    assert not found.vouch
