"""A dataset built with Dask opens as the same corpus `load_corpus` reads from the documents."""

import os
import time
from pathlib import Path

import pytest
from conftest import article, document_text
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.cli import main
from analytics.frames.dataset import build_dataset
from analytics.store import dataset as ds


def _write(root: Path, name: str, content: dict | str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document_text(content) if isinstance(content, dict) else content, encoding="utf-8")
    past = time.time() - 3600  # not "racy": a file changed in the last moments is parsed again by every build, like the parse cache
    os.utime(path, (past, past))
    return path


def mixed_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """Two folders whose whole-corpus step has work to do across months: copies, outlet names, ids, errors."""
    one, two = tmp_path / "one", tmp_path / "two"
    for n in range(1, 9):
        related = [{"title": f"Earlier {n}", "webUrl": f"https://other.test/{n}", "publishedDateTime": "2026-02-27T00:00:00Z",
                    "provider": {"name": "Other", "domain": "other.test"}, "quality": 10 * n}] if n % 2 else []
        _write(one, f"march/{n}.md", article(n, topics=["AI", f"T{n % 3}"], related=related))
    for n in range(1, 5):
        april = article(20 + n, publishedDateTime=f"2026-04-{n:02d}T08:00:00Z", provider={"name": "Example", "domain": "example-news.test"})
        _write(one, f"april/{n}.md", april)
    # A copy in May of a March article (dropped), and a copy in March of a May article (kept: the earlier one).
    _write(two, "may/copy-of-1.md", article(1, publishedDateTime="2026-05-03T00:00:00Z", quality=200))
    _write(two, "may/original.md", article(40, publishedDateTime="2026-05-04T00:00:00Z"))
    _write(one, "march/early-copy.md", article(40, publishedDateTime="2026-03-20T00:00:00Z", provider={"name": "Rare", "domain": "example-news.test"}))
    # The same relative path without an address in both roots: the second gets its full path's id.
    _write(one, "same/x.md", article(50, webUrl=None, publishedDateTime="2026-03-09T00:00:00Z"))
    _write(two, "same/x.md", article(51, webUrl=None, publishedDateTime="2026-05-09T00:00:00Z"))
    _write(one, "undated.md", article(60, publishedDateTime=None))
    _write(one, "broken.md", "---\ntitle: [unclosed\n---\nbody\n")
    _write(one, "notes.csv", "not,a,document\n")
    return one, two


def assert_same_corpus(got, expected) -> None:
    for name in ds.FRAMES:
        assert_frame_equal(getattr(got, name), getattr(expected, name), obj=name)
    assert got.summary() == expected.summary()
    assert got.ignored_paths == expected.ignored_paths


def test_a_dataset_opens_as_the_corpus_of_its_documents(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    report = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    expected = load_corpus(one, two, cache=False)
    assert expected.duplicates == 2 and expected.skipped == 1 and expected.ignored == 1  # the fixture has the cases
    assert_same_corpus(load_corpus(tmp_path / "ds"), expected)
    assert report.parsed == expected.files_seen - expected.ignored and report.reused == 0
    months = sorted(p.name for p in (tmp_path / "ds" / "articles").iterdir())
    assert months == ["month=2026-03", "month=2026-04", "month=2026-05", "month=undated"]


def test_a_second_build_parses_only_new_and_changed_files(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    _write(one, "april/2.md", article(22, publishedDateTime="2026-04-02T08:00:00Z", title="Changed title"))
    _write(two, "may/new.md", article(70, publishedDateTime="2026-05-20T00:00:00Z"))
    os.remove(one / "march/3.md")
    report = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert (report.parsed, report.months_written) == (2, 3)  # April, May, and March which lost a file
    assert report.months_kept == 1  # undated
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))
    again = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert (again.parsed, again.months_written) == (0, 0)


def test_a_folder_that_is_not_a_dataset_is_never_overwritten(tmp_path, dask_scheduler):
    one, _ = mixed_corpus(tmp_path)
    with pytest.raises(FileExistsError, match="not a dataset"):
        build_dataset(one, out=tmp_path / "two", scheduler=dask_scheduler)


@pytest.mark.parametrize("table", ["volume", "providers", "topic-mix", "quality-heat", "articles", "topics", "related", "problems"])
@pytest.mark.parametrize("filters", [[], ["--since", "2026-03-05", "--until", "2026-04-30", "--topic", "ai"], ["--provider", "example-news.test", "--search", "STORY"]])
def test_exports_of_a_dataset_equal_those_of_its_documents(tmp_path, dask_scheduler, capsysbinary, table, filters):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    outputs = []
    for paths in ([str(one), str(two)], [str(tmp_path / "ds")]):
        assert main(["export", *paths, "--table", table, *filters]) == 0
        outputs.append(capsysbinary.readouterr().out)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) > 1  # a header and rows: the comparison is of something


def test_the_command_builds_on_a_local_cluster(tmp_path, capsys):
    one, two = mixed_corpus(tmp_path)
    assert main(["dataset", "build", str(one), str(two), "--out", str(tmp_path / "ds"), "--quiet"]) == 0
    assert "20 files seen: 16 loaded, 1 skipped, 2 duplicates, 1 ignored" in capsys.readouterr().out
    assert main(["dataset", "build", str(one), "--out", str(tmp_path / "ds"), "--quiet"]) == 2
    assert "other sources" in capsys.readouterr().err
