import io
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from conftest import article, document_text

from analytics import load_corpus
from analytics import schema as s
from analytics.read.uploads import extract_uploads
from analytics.schema import LoadOptions


def zipped(*entries: tuple[str | zipfile.ZipInfo, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def doc(n: int) -> bytes:
    return document_text(article(n)).encode()


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def extract(tmp_path):
    """extract_uploads into a folder below tmp_path, with tighter limits when asked."""
    parent = tmp_path / "uploads"
    parent.mkdir()

    def _extract(*uploads: tuple[str, bytes], **limits: int):
        return extract_uploads(uploads, LoadOptions(**limits), parent=parent)

    return _extract


def test_archives_and_single_files_land_in_a_private_folder_that_loads(extract):
    archive = zipped(("news/", b""), ("news/a.md", doc(1)), ("news/2026/b.md", doc(2)), ("readme.txt", b"not a document"))
    result = extract(("feed.zip", archive), ("c.md", doc(3)))
    assert result.problems == []
    assert files_under(result.folder) == ["c.md", "feed/news/2026/b.md", "feed/news/a.md", "feed/readme.txt"]
    assert (result.files, result.bytes) == (4, len(doc(1)) + len(doc(2)) + len(b"not a document") + len(doc(3)))
    assert stat.S_IMODE(result.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((result.folder / "c.md").stat().st_mode) == 0o600
    corpus = load_corpus(result.folder)
    assert (corpus.loaded, corpus.skipped) == (3, 1)  # readme.txt has no front matter


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../escape.md", "tries to leave"),
        ("news/../../escape.md", "tries to leave"),
        ("..\\escape.md", "tries to leave"),
        ("/tmp/escape.md", "absolute path"),
        ("C:\\escape.md", "absolute path"),
        ("c:/escape.md", "absolute path"),
        ("new\x1bs.md", "control characters"),
        ("/".join(["d"] * 40) + "/deep.md", "too deep"),
        ("x" * 300 + ".md", "too long"),
    ],
)
def test_entries_that_try_to_escape_are_refused_and_the_rest_unpacked(extract, tmp_path, name, says):
    result = extract(("feed.zip", zipped((name, doc(1)), ("ok.md", doc(2)))))
    assert files_under(result.folder) == ["feed/ok.md"]
    assert len(result.problems) == 1 and says in result.problems[0].message
    assert result.problems[0].severity == s.ERROR and result.problems[0].path.startswith("feed.zip/")
    assert "\x1b" not in result.problems[0].path
    assert not list(tmp_path.rglob("escape.md")) and not Path("/tmp/escape.md").exists()


def test_single_uploads_with_unsafe_names_are_refused(extract, tmp_path):
    result = extract(("../up.md", doc(1)), ("/etc/up.md", doc(2)), ("fine.md", doc(3)))
    assert files_under(result.folder) == ["fine.md"]
    assert [p.path for p in result.problems] == ["../up.md", "/etc/up.md"]
    assert not list(tmp_path.rglob("up.md"))


def test_symbolic_link_entries_are_refused(extract):
    link = zipfile.ZipInfo("link.md")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    result = extract(("feed.zip", zipped((link, b"/etc/passwd"), ("ok.md", doc(1)))))
    assert files_under(result.folder) == ["feed/ok.md"]
    assert "symbolic link" in result.problems[0].message
    assert not (result.folder / "feed" / "link.md").is_symlink()


def test_a_highly_compressed_entry_is_refused_as_a_zip_bomb(extract):
    bomb = b"\0" * (5 * 1024 * 1024)
    result = extract(("bomb.zip", zipped(("bomb.md", bomb), ("ok.md", doc(1)))))
    assert files_under(result.folder) == ["bomb/ok.md"]
    assert "zip bomb" in result.problems[0].message


def test_small_entries_are_never_taken_for_bombs(extract):
    result = extract(("feed.zip", zipped(("spaces.md", b" " * 60_000))))
    assert result.problems == [] and result.files == 1


def test_an_archive_past_the_total_size_is_not_unpacked(extract):
    archive = zipped(*[(f"{n}.md", doc(n)) for n in range(1, 6)])
    result = extract(("feed.zip", archive), max_archive_bytes=1_000)
    assert result.files == 0 and files_under(result.folder) == []
    assert "past the limits" in result.problems[0].message


def test_an_archive_with_too_many_files_is_refused_before_it_is_read(extract):
    archive = zipped(*[(f"{n}.md", b"x") for n in range(10)])
    result = extract(("feed.zip", archive), max_archive_files=5)
    assert result.files == 0
    assert "more than 5 files" in result.problems[0].message


def test_the_file_limit_counts_across_uploads(extract):
    result = extract(("a.md", doc(1)), ("b.md", doc(2)), ("c.md", doc(3)), max_archive_files=2)
    assert result.files == 2 and "limit" in result.problems[0].message and result.problems[0].path == "c.md"


def test_an_upload_past_the_size_limit_is_not_read(extract):
    archive = zipped(("a.md", doc(1) * 3), method=zipfile.ZIP_STORED)
    result = extract(("big.md", b"x" * 2_000), ("feed.zip", archive), ("small.md", doc(1)), max_upload_bytes=1_000)
    assert [p.path for p in result.problems] == ["big.md", "feed.zip"]
    assert "larger than the 1,000 bytes limit" in result.problems[0].message
    assert files_under(result.folder) == ["small.md"]


def test_an_entry_past_the_file_limit_is_refused(extract):
    result = extract(("feed.zip", zipped(("big.md", b"---\ntitle: x\n---\n" + b"y" * 5_000, ), ("a.md", doc(1)))), max_file_bytes=2_000)
    assert files_under(result.folder) == ["feed/a.md"]
    assert "larger than" in result.problems[0].message


def _patch_central(archive: bytes, offset: int, fmt: str, value: int) -> bytes:
    """The archive with one field of its (single) central directory entry changed."""
    start = archive.rindex(b"PK\x01\x02") + offset
    return archive[:start] + struct.pack(fmt, value) + archive[start + struct.calcsize(fmt):]


def test_an_entry_larger_than_its_header_says_is_refused(extract):
    archive = _patch_central(zipped(("a.md", doc(1)), method=zipfile.ZIP_STORED), 24, "<I", 10)
    result = extract(("feed.zip", archive))
    assert result.files == 0 and files_under(result.folder) == []
    assert "not unpacked" in result.problems[0].message


def test_encrypted_entries_are_refused(extract):
    archive = _patch_central(zipped(("a.md", doc(1))), 8, "<H", 0x1)
    result = extract(("feed.zip", archive))
    assert "encrypted" in result.problems[0].message and result.files == 0


def test_a_damaged_entry_is_refused_and_leaves_nothing_behind(extract):
    archive = bytearray(zipped(("a.md", doc(1) * 20), ("b.md", doc(2))))
    archive[60:70] = b"\xff" * 10  # inside a.md's compressed bytes
    result = extract(("feed.zip", bytes(archive)))
    assert files_under(result.folder) == ["feed/b.md"]
    assert "damaged" in result.problems[0].message


def test_a_name_unpacked_twice_keeps_the_first_copy(extract):
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive = zipped(("a.md", doc(1)), ("a.md", doc(2)))
    result = extract(("feed.zip", archive), ("same.md", doc(3)), ("same.md", doc(4)))
    assert (result.folder / "feed" / "a.md").read_bytes() == doc(1)
    assert (result.folder / "same.md").read_bytes() == doc(3)
    assert [p.path for p in result.problems] == ["feed.zip/a.md", "same.md"]


def test_something_that_is_not_a_zip_is_reported(extract):
    result = extract(("feed.zip", b"PK\x03\x04 but not really an archive"))
    assert "not a readable .zip archive" in result.problems[0].message


def test_archives_get_their_own_folders_and_archives_inside_are_refused(extract):
    inner = zipped(("inner.md", doc(1)))
    result = extract(("feed.zip", zipped(("a.md", doc(2)), ("inner.zip", inner))), ("feed.zip", zipped(("a.md", doc(3)))), (".x.zip", zipped(("b.md", doc(4)))))
    assert files_under(result.folder) == ["feed-2/a.md", "feed/a.md", "x/b.md"]
    assert [(p.path, p.message) for p in result.problems] == [
        ("feed.zip/inner.zip", "entry is itself an archive; archives inside archives are not unpacked (upload it on its own)")
    ]


def test_the_file_limit_counts_real_entries_not_their_bytes(extract):
    many = zipped(*[(f"{n}.md", b"x") for n in range(30)], method=zipfile.ZIP_STORED)
    nested = extract(("outer.zip", zipped(("inner.zip", many), ("a.md", doc(1)), method=zipfile.ZIP_STORED)), max_archive_files=20)
    assert files_under(nested.folder) == ["outer/a.md"]
    assert [p.path for p in nested.problems] == ["outer.zip/inner.zip"] and "itself an archive" in nested.problems[0].message
    text = doc(2) + b"PK\x01\x02" * 30  # a document that happens to hold the signature bytes
    plain = extract(("feed.zip", zipped(("odd.md", text), method=zipfile.ZIP_STORED)), max_archive_files=20)
    assert plain.problems == [] and files_under(plain.folder) == ["feed/odd.md"]
