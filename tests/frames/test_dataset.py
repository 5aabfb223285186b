"""A dataset built with Dask opens as the same corpus `load_corpus` reads from the documents."""

import os
import shutil

import pytest
from conftest import article, mixed_corpus, more_documents, write_old
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.cli import main
from analytics.frames.dataset import build_dataset
from analytics.store import dataset as ds


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
    write_old(one, "april/2.md", article(22, publishedDateTime="2026-04-02T08:00:00Z", title="Changed title"))
    write_old(two, "may/new.md", article(70, publishedDateTime="2026-05-20T00:00:00Z"))
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


@pytest.fixture(scope="module", params=["one build", "a second build adding documents"])
def built(request, tmp_path_factory, dask_scheduler):
    """The mixed corpus's folders and a dataset built from them (at once, or with documents added later), shared by the export comparisons."""
    root = tmp_path_factory.mktemp("built")
    one, two = mixed_corpus(root)
    build_dataset(one, two, out=root / "ds", scheduler=dask_scheduler)
    if request.param != "one build":
        more_documents(one, two)
        build_dataset(one, two, out=root / "ds", scheduler=dask_scheduler)
    return one, two, root / "ds"


@pytest.mark.parametrize("table", ["volume", "providers", "topic-mix", "quality-heat", "articles", "topics", "related", "problems"])
@pytest.mark.parametrize("filters", [[], ["--since", "2026-03-05", "--until", "2026-04-30", "--topic", "ai"], ["--provider", "example-news.test", "--search", "STORY"]])
def test_exports_of_a_dataset_equal_those_of_its_documents(built, capsysbinary, table, filters):
    one, two, folder = built
    outputs = []
    for paths in ([str(one), str(two)], [str(folder)]):
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


def test_documents_behind_a_url_are_read_through_fsspec(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    urls = [f"file://{one}", f"file://{two}"]
    report = build_dataset(*urls, out=tmp_path / "ds", scheduler=dask_scheduler)
    got, expected = load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False)
    assert (got.files_seen, got.loaded, got.skipped, got.duplicates) == (expected.files_seen, expected.loaded, expected.skipped, expected.duplicates)
    assert sorted(got.articles[s.PATH]) == sorted(f"file://{path}" for path in expected.articles[s.PATH])
    assert got.problems[s.PATH].str.startswith("file://").all()
    assert report.parsed == 19
    again = build_dataset(*urls, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert (again.parsed, again.months_written) == (0, 0)  # the store's fingerprints vouch for every file


def test_part_files_left_by_an_interrupted_build_are_not_read_and_are_removed(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    march = next((tmp_path / "ds" / "parsed").glob("month=2026-03/*.parquet"))
    stray = march.with_name("interrupted.parquet")
    shutil.copy(march, stray)  # the same rows again, as a build stopped before its manifest would leave them
    write_old(two, "may/new.md", article(70, publishedDateTime="2026-05-20T00:00:00Z"))
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))
    assert not stray.exists()
