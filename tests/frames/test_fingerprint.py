import os

from conftest import article, mixed_corpus, write_old

from analytics.frames.dataset import build_dataset
from analytics.frames.fingerprint import fingerprint


def test_fingerprint_changes_with_documents_and_notes_but_not_by_itself(write, tmp_path):
    doc = write("a.md", article(1))
    notes = write("annotations.csv", "date,label\n2026-03-01,Launch\n")
    first = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == first
    notes.write_text("date,label\n2026-03-02,Launch moved\n")
    second = fingerprint(tmp_path)
    assert second != first
    stat = doc.stat()
    doc.write_text(doc.read_text().replace("Story number 1", "Story number 9"))  # same size
    os.utime(doc, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same modification time
    assert fingerprint(tmp_path) != second


def test_fingerprint_notices_new_and_deleted_files_after_a_load(write, tmp_path):
    from analytics import load_corpus

    write("a.md", article(1))
    load_corpus(tmp_path)  # the parse cache now holds the listing the fingerprint reuses
    first = fingerprint(tmp_path)
    added = write("sub/b.md", article(2))
    second = fingerprint(tmp_path)
    assert second != first
    added.unlink()
    assert fingerprint(tmp_path) != second


def test_fingerprint_is_the_same_with_and_without_the_parse_cache(write, tmp_path):
    from analytics import load_corpus

    write("a.md", article(1))
    write("notes.csv", "x")
    before = fingerprint(tmp_path, cache=False)
    load_corpus(tmp_path)
    assert fingerprint(tmp_path) == before == fingerprint(tmp_path, cache=False)


def test_a_load_records_the_fingerprint_of_what_it_read(write, tmp_path):
    from analytics import load_corpus

    for number in range(1, 30):  # enough files for the cached listing's order to differ from the folders'
        write(f"{'ab'[number % 2]}/{number:02d}.md", article(number))
    cold = load_corpus(tmp_path)
    assert cold.version == fingerprint(tmp_path) == fingerprint(tmp_path, cache=False)
    assert load_corpus(tmp_path).version == cold.version  # a warm load, from the cached listing
    write("b/new.md", article(99))
    assert fingerprint(tmp_path) != cold.version
    assert load_corpus(tmp_path).version == fingerprint(tmp_path)


def test_a_dataset_changes_its_fingerprint_when_a_build_changes_it(tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    first = fingerprint(tmp_path / "ds")
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert fingerprint(tmp_path / "ds") == first  # nothing changed
    write_old(two, "new.md", {"title": "New", "publishedDateTime": "2026-05-30T00:00:00Z"})
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    assert fingerprint(tmp_path / "ds") != first
