from datetime import datetime, timezone

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.generate import generate_corpus, write_odd_documents
from analytics.read import parse
from analytics.read.ingest import Problem
from analytics.read.validate import Record

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


def test_each_record_value_lands_in_its_own_column():
    record = Record(
        path="a.md", title="T", category="C", type="Y", excerpt="E", published_at=pd.Timestamp("2300-01-02T03:04:05.678901Z"),
        web_url="http://www.news.test/a/", original_url="https://news.test/o", provider_name="N", provider_domain="news.test",
        quality=1.5, heat=2.5, published=False, topics=["AI", "Cloud"], images=[("https://img.test/1.jpg", 3, None)],
        related=[{s.TITLE: "R", s.URL: "https://other.test/r?utm_source=x", s.PROVIDER_NAME: "O", s.PROVIDER_DOMAIN: "other.test",
                  s.PUBLISHED_AT: None, s.QUALITY: 4.0}],
    )
    row = parse.ParsedRows()
    row.add("a.md", record, [Problem("a.md", s.WARNING, "m", field="f", line=3)], (10, 20, 30), 40)
    row.add("b.md", None)
    assert row.table().to_pylist() == [
        {
            s.PATH: "a.md", s.SIZE: 10, s.MTIME_NS: 20, s.CTIME_NS: 30, s.VALID_UNTIL_NS: 40, s.TITLE: "T", s.CATEGORY: "C",
            s.TYPE: "Y", s.EXCERPT: "E", s.PUBLISHED_AT: datetime(2300, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc),
            s.WEB_URL: "http://www.news.test/a/", s.ORIGINAL_URL: "https://news.test/o", s.CANONICAL_URL: "https://news.test/a",
            s.URL_ID: parse.text_id("https://news.test/a"), s.PROVIDER_NAME: "N", s.PROVIDER_DOMAIN: "news.test", s.QUALITY: 1.5,
            s.HEAT: 2.5, s.PUBLISHED: False, s.IMAGE_URL: "https://img.test/1.jpg", s.TOPICS: ["AI", "Cloud"],
            s.IMAGES: [{s.URL: "https://img.test/1.jpg", s.WIDTH: 3, s.HEIGHT: None}],
            s.RELATED: [{s.TITLE: "R", s.URL: "https://other.test/r?utm_source=x", s.CANONICAL_URL: "https://other.test/r",
                         s.PROVIDER_NAME: "O", s.PROVIDER_DOMAIN: "other.test", s.PUBLISHED_AT: None, s.QUALITY: 4.0}],
            s.PROBLEMS: [{s.PATH: "a.md", s.SEVERITY: s.WARNING, s.FIELD: "f", s.MESSAGE: "m", s.LINE: 3}],
        },
        {name: None for name in parse.PARSED_SCHEMA.names}
        | {s.PATH: "b.md", s.TOPICS: [], s.IMAGES: [], s.RELATED: [], s.PROBLEMS: []},
    ]


def test_an_empty_table_has_the_schema():
    table = parse.ParsedRows().table()
    assert table.num_rows == 0 and table.schema == parse.PARSED_SCHEMA


@pytest.mark.parametrize(
    "stamp",
    [
        pd.Timestamp("2026-03-01T10:00:00Z").as_unit("us"),
        pd.Timestamp("2026-03-01T10:00:00Z").as_unit("s"),
        pd.Timestamp("1969-12-31T23:59:59.999999999Z"),  # nanoseconds, before 1970: floored like numpy
        pd.Timestamp("2500-06-01T00:00:00Z").as_unit("us"),  # past the nanosecond range
        pd.Timestamp(6e15, unit="ms", tz="UTC").as_unit("us"),  # far past the standard library's range
        pd.Timestamp("1500-01-01T00:00:00.5Z").as_unit("ms"),
    ],
)
def test_microseconds_of_any_unit_are_the_numpy_conversion(stamp):
    assert parse._micros(stamp) == int(stamp.asm8.astype("datetime64[us]").astype("int64"))
