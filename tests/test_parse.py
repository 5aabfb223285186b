from datetime import datetime, timezone

import pytest
from pandas.testing import assert_frame_equal

from analytics import load_corpus, parse
from analytics import schema as s
from analytics.generate import generate_corpus, write_odd_documents

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    """Forty generated documents plus the odd files: errors, warnings, encodings, an event."""
    folder = tmp_path_factory.mktemp("mixed")
    generate_corpus(folder, 40, seed=5, body_paragraphs=(1, 1))
    write_odd_documents(folder / "odd")
    return folder


def files_of(folder):
    return sorted(str(p) for p in folder.rglob("*.md"))


def test_a_pool_of_workers_gives_the_table_one_process_gives(mixed_folder):
    files = files_of(mixed_folder)
    serial = parse.parse_files(files, now=NOW, workers=1)
    pooled = parse.parse_files(files, now=NOW, workers=2)
    assert pooled.num_rows == len(files) and pooled.column("path").to_pylist() == files
    assert pooled.equals(serial)


def test_parallel_load_equals_serial_load(mixed_folder):
    serial = load_corpus(mixed_folder, cache=False, workers=1)
    pooled = load_corpus(mixed_folder, cache=False, workers=2)
    for name in ("articles", "topics", "related", "images", "problems"):
        assert_frame_equal(getattr(pooled, name), getattr(serial, name), obj=name)
    assert serial.skipped > 0 and serial.duplicates > 0


def test_progress_counts_every_file_once_in_a_pool(mixed_folder):
    files = files_of(mixed_folder)
    calls = []
    parse.parse_files(files, progress=lambda done, total: calls.append((done, total)), workers=2)
    assert len(calls) > 1
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (len(files), len(files)) and {total for _, total in calls} == {len(files)}


def test_progress_counts_files_from_the_cache(mixed_folder):
    calls = []
    parse.parse_files([], progress=lambda done, total: calls.append((done, total)), done=7, total=7)
    assert calls == [(7, 7)]


def test_small_sets_stay_in_one_process_and_large_ones_use_the_cores(monkeypatch):
    monkeypatch.setattr(parse.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert parse._worker_count(parse.PARALLEL_THRESHOLD - 1) == 1
    assert parse._worker_count(parse.PARALLEL_THRESHOLD) == 2


def test_a_broken_pool_falls_back_to_one_process(mixed_folder, monkeypatch):
    def no_processes(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parse, "ProcessPoolExecutor", no_processes)
    files = files_of(mixed_folder)
    assert parse.parse_files(files, now=NOW, workers=2).equals(parse.parse_files(files, now=NOW, workers=1))


def test_unreadable_and_odd_files_become_rows_with_problems(mixed_folder):
    table = parse.parse_files([str(mixed_folder / "odd" / "broken-yaml.md"), str(mixed_folder / "missing.md")])
    assert table[s.TITLE].to_pylist() == [None, None]
    problems = table[s.PROBLEMS].to_pylist()
    assert problems[0][0][s.SEVERITY] == s.ERROR and problems[1][0][s.MESSAGE].startswith("file could not be read")
    assert table[s.SIZE].to_pylist()[1] is None and table[s.VALID_UNTIL_NS].to_pylist()[1] == 0
