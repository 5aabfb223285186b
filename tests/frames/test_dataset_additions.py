"""New documents are added to a dataset as further parts, and it still opens as the corpus of all its documents."""

import os

import pytest
from conftest import article, document_text, mixed_corpus, more_documents, write_old
from test_dataset import assert_same_corpus

from analytics import load_corpus
from analytics.frames import dataset_additions as additions
from analytics.frames.dataset import build_dataset
from analytics.store import dataset as ds


def _parts(folder):
    manifest = ds.read_manifest(folder)
    return {month: ds.month_parts(entry) for month, entry in manifest.months.items()}


def test_new_documents_become_a_further_part_of_their_months(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    before = _parts(tmp_path / "ds")
    more_documents(one, two)
    report = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    after = _parts(tmp_path / "ds")
    assert (report.parsed, report.months_written, report.every_row) == (8, 5, False)  # March, April, May, undated and the new June
    for month in ("2026-03", "2026-04", "2026-05", "undated"):
        assert after[month][:-1] == before[month] and len(after[month]) == 2  # nothing written before was written again
    assert len(after["2026-06"]) == 1
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))
    again = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert (again.parsed, again.months_written) == (0, 0)


def test_a_month_of_many_parts_is_written_whole_again_at_its_next_addition(tmp_path, dask_scheduler, monkeypatch):
    monkeypatch.setattr(additions, "MAX_PARTS", 3)
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    march = []
    for day in (11, 12, 13, 14):
        write_old(two, f"daily/{day}.md", article(200 + day, publishedDateTime=f"2026-03-{day}T09:00:00Z", topics=["AI"]))
        report = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
        assert (report.parsed, report.every_row) == (1, False)
        march.append(len(_parts(tmp_path / "ds")["2026-03"]))
    assert march == [2, 3, 1, 2]  # the third addition found three parts: March was written whole again
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))
    assert sorted(p.name for p in (tmp_path / "ds" / "articles" / "month=2026-03").iterdir()) == sorted(f"{part}.parquet" for part in _parts(tmp_path / "ds")["2026-03"])


def test_months_are_written_whole_again_a_few_at_a_time_the_most_divided_first(tmp_path, dask_scheduler, monkeypatch):
    monkeypatch.setattr(additions, "MAX_PARTS", 2)
    monkeypatch.setattr(additions, "MERGED_PER_BUILD", 1)
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    seen = []
    for day in (11, 12, 13):
        for month in ("03", "04"):
            daily = article(300 + 10 * day + int(month), publishedDateTime=f"2026-{month}-{day}T09:00:00Z", provider={"name": "Daily", "domain": "daily.test"})
            write_old(two, f"daily/{month}-{day}.md", daily)
        build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
        parts = _parts(tmp_path / "ds")
        seen.append((len(parts["2026-03"]), len(parts["2026-04"])))
    # both reach two parts; then March (first of the two) is merged while April gains a third; then April, the most divided
    assert seen == [(2, 2), (1, 3), (2, 1)]
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))


def test_files_parsed_again_with_the_rows_they_had_are_nothing_new(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    (two / "fresh.md").write_text(document_text(article(80, publishedDateTime="2026-04-09T00:00:00Z")), encoding="utf-8")
    assert not build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler).every_row
    before = _parts(tmp_path / "ds")
    again = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)  # written moments before the last build: read again
    assert (again.parsed, again.months_written, again.every_row) == (1, 0, False)
    assert _parts(tmp_path / "ds") == before
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))


def test_a_file_changed_in_place_is_settled_by_the_whole_corpus_step(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    write_old(one, "april/2.md", article(22, publishedDateTime="2026-03-30T08:00:00Z", title="Moved to March"))
    report = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert (report.parsed, report.every_row) == (1, True)
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))


def test_a_new_copy_that_comes_first_takes_the_place_of_the_old_article(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    before = _parts(tmp_path / "ds")
    # story 1 is March's 1.md, with a later copy in May; this copy in February is now the first
    write_old(two, "early/copy-of-1.md", article(1, publishedDateTime="2026-02-20T00:00:00Z", title="The first telling"))
    assert not build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler).every_row
    after = _parts(tmp_path / "ds")
    expected = load_corpus(one, two, cache=False)
    assert expected.problems["message"].str.contains("early/copy-of-1.md").sum() == 2  # the old article and the May copy name it
    assert_same_corpus(load_corpus(tmp_path / "ds"), expected)
    assert len(after["2026-03"]) == 1 and after["2026-03"] != before["2026-03"]  # built again: its article became a copy
    assert len(after["2026-05"]) == 1 and after["2026-05"] != before["2026-05"]  # built again: its copy names another article
    assert after["2026-04"] == before["2026-04"]


def test_an_outlet_whose_display_name_changes_has_its_months_built_again(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    for n in range(12):  # "Example" becomes more frequent than "Example News" for example-news.test
        write_old(two, f"renamed/{n}.md", article(200 + n, publishedDateTime="2026-04-20T00:00:00Z", provider={"name": "Example", "domain": "example-news.test"}))
    write_old(two, "renamed/other.md", article(300, publishedDateTime="2026-04-21T00:00:00Z", provider={"name": "Other", "domain": "other.test"}))
    assert not build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler).every_row
    expected = load_corpus(one, two, cache=False)
    assert set(expected.articles["provider_name"].astype(str)) == {"Example", "Other"}
    assert_same_corpus(load_corpus(tmp_path / "ds"), expected)
    assert all(len(parts) == 1 for parts in _parts(tmp_path / "ds").values())


@pytest.mark.parametrize("earlier", [True, False])  # the new article comes before the old one in article order, or after
def test_an_id_that_a_new_article_would_share_is_settled_by_the_whole_corpus_step(tmp_path, dask_scheduler, earlier):
    one, two = mixed_corpus(tmp_path)
    write_old(one, "lone.md", article(63, webUrl=None, publishedDateTime="2026-04-15T00:00:00Z"))
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    when = "2026-04-01T00:00:00Z" if earlier else "2026-04-30T00:00:00Z"
    write_old(two, "lone.md", article(64, webUrl=None, publishedDateTime=when))  # no address, an old article's relative path
    assert build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler).every_row
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))
    write_old(one, "pair.md", article(61, webUrl=None, publishedDateTime="2026-05-30T00:00:00Z"))  # two new ones with the same
    write_old(two, "pair.md", article(62, webUrl=None, publishedDateTime="2026-02-01T00:00:00Z"))  # relative path: the earlier keeps the id
    assert build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler).every_row
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))


@pytest.mark.parametrize("more", [more_documents, lambda one, two: os.remove(one / "april/3.md")])
def test_a_build_stopped_before_its_manifest_is_finished_by_the_next(tmp_path, dask_scheduler, monkeypatch, more):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    more(one, two)
    with monkeypatch.context() as patch:
        patch.setattr(ds, "write_manifest", lambda folder, manifest: (_ for _ in ()).throw(KeyboardInterrupt))
        with pytest.raises(KeyboardInterrupt):
            build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(tmp_path / "ds"))  # still readable: the files it names are there
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))
    manifest = ds.read_manifest(tmp_path / "ds")
    named = {path for frame in ds.FRAMES for path in ds.frame_files(tmp_path / "ds", frame, manifest)}
    assert {path for frame in ds.FRAMES for path in (tmp_path / "ds" / frame).rglob("*.parquet")} == named  # the stopped build's files are gone
    assert len(list((tmp_path / "ds" / ds.DECISIONS).iterdir())) == 3


def test_a_dataset_of_the_first_format_is_read_and_then_upgraded(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    _as_first_format(tmp_path / "ds")
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))
    report = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)  # works out the decisions once, writes no month
    assert (report.parsed, report.months_written, report.every_row) == (0, 0, True)
    more_documents(one, two)
    report = build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert (report.months_written, report.every_row) == (5, False)
    assert _parts(tmp_path / "ds")["2026-03"] == ["part", report.manifest.months["2026-03"]["parts"][-1]]
    assert_same_corpus(load_corpus(tmp_path / "ds"), load_corpus(one, two, cache=False))


def _as_first_format(folder):
    """Rename a dataset's files and manifest as the first format wrote them: one `part.parquet` a month, no decisions."""
    import json
    import shutil

    data = json.loads((folder / ds.MANIFEST).read_text())
    for month, entry in data["months"].items():
        (part,) = entry.pop("parts")
        entry.pop("problems_part")
        for path in folder.glob(f"*/month={month}/{part}.parquet"):
            path.rename(path.with_name("part.parquet"))
        for path in folder.glob(f"rollups/*/month={month}/{part}.parquet"):
            path.rename(path.with_name("part.parquet"))
    data.pop("decisions")
    (folder / data.pop("files")).rename(folder / "files.parquet")
    data["format"] = 1
    shutil.rmtree(folder / ds.DECISIONS)
    (folder / ds.MANIFEST).write_text(json.dumps(data))
