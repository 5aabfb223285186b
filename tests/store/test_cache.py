import os
import time
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from conftest import article, document_text
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.frames import corpus as corpus_module
from analytics.frames import workspace as workspace_module
from analytics.frames.fingerprint import fingerprint
from analytics.frames.stories import story_ids
from analytics.frames.workspace import open_workspace
from analytics.read import parse
from analytics.store import cache as cache_module
from analytics.store.cache import (
    ParseCache,
    cache_usage,
    clear_cache,
    combine_rows,
    default_cache_dir,
    reusable_rows,
)

FRAMES = ("articles", "topics", "related", "images", "problems")
LONG_AGO = 1_600_000_000  # 2020-09-13: older than any racy window


def corpus_folder(root: Path) -> Path:
    """A folder with what the whole-corpus step depends on: duplicates, outlet spellings, no-URL files."""
    docs = root / "news"
    for n in range(1, 7):
        name = "Example News" if n % 3 else "EXAMPLE NEWS Online"
        related = [{"title": "Elsewhere", "webUrl": f"https://www.other.test/{n}/", "provider": {"name": "Other", "domain": "other.test"}, "quality": n}]
        write_doc(docs / f"{n}.md", article(n, provider={"name": name, "domain": "example-news.test"}, related=related))
    write_doc(docs / "copy.md", article(1, webUrl="http://example-news.test/story-1/", publishedDateTime="2026-03-09T00:00:00Z"))
    write_doc(docs / "no-url.md", article(8, webUrl=None))
    write_doc(docs / "sub" / "warn.md", article(9, quality="high", topics="AI"))
    (docs / "broken.md").write_text("---\ntitle: [\n---\n")
    (docs / "notes.csv").write_text("a,b\n")
    (root / "empty").mkdir()
    age(root)
    return root


def write_doc(path: Path, fields: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document_text(fields), encoding="utf-8")


def age(root: Path, when: int = LONG_AGO, *, files: bool = True) -> None:
    """Set folders' (and files') times into the past, as for files that have sat on disk."""
    for path in sorted(root.rglob("*"), reverse=True) + [root]:
        if files or path.is_dir():
            os.utime(path, (when, when))


@pytest.fixture
def parsed_paths(monkeypatch):
    """The paths each load parses (rather than takes from the cache)."""
    seen: list[str] = []
    real = parse.parse_file

    def spy(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(parse, "parse_file", spy)
    return seen


@pytest.fixture
def corpus_steps(monkeypatch):
    """How many loads ran the whole-corpus step (rather than reading the saved frames)."""
    runs: list[int] = []
    real = corpus_module.flatten_parsed

    def spy(*args, **kwargs):
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(corpus_module, "flatten_parsed", spy)
    return runs


def assert_same_corpus(actual, expected):
    for name in FRAMES:
        assert_frame_equal(getattr(actual, name), getattr(expected, name), obj=name)
    assert_frame_equal(actual.story_map, expected.story_map, obj="story_map")
    assert (actual.files_seen, actual.ignored, actual.ignored_paths) == (expected.files_seen, expected.ignored, expected.ignored_paths)


def test_warm_load_equals_cold_load_and_parses_nothing(tmp_path, parsed_paths):
    root = corpus_folder(tmp_path / "data")
    cold = load_corpus(root, cache=False)
    first = load_corpus(root, cache=tmp_path / "cache")
    parsed_paths.clear()
    warm = load_corpus(root, cache=tmp_path / "cache")
    assert parsed_paths == []
    assert_same_corpus(first, cold)
    assert_same_corpus(warm, cold)
    assert cold.duplicates == 1 and cold.skipped == 1 and cold.ignored == 1
    assert set(warm.articles[s.PROVIDER_NAME].astype(str)) == {"Example News"}


def test_changed_new_and_deleted_files_are_handled(tmp_path, parsed_paths):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    news = root / "news"
    (news / "1.md").unlink()  # the first copy goes: the later copy is now the article
    online = {"name": "EXAMPLE NEWS Online", "domain": "example-news.test"}
    write_doc(news / "2.md", article(2, title="Story two, corrected", provider=online))
    write_doc(news / "sub" / "new.md", article(20, provider=online))
    for n in (3, 4, 6):  # the minority spelling becomes the majority
        write_doc(news / f"{n}.md", article(n, provider=online))
    for name in ("2.md", "3.md", "4.md", "6.md", "sub/new.md"):
        os.utime(news / name, (LONG_AGO + 100, LONG_AGO + 100))
    age(root, LONG_AGO + 100, files=False)
    parsed_paths.clear()
    warm = load_corpus(root, cache=tmp_path / "cache")
    assert sorted(parsed_paths) == ["2.md", "3.md", "4.md", "6.md", "new.md"]
    assert_same_corpus(warm, load_corpus(root, cache=False))
    assert warm.duplicates == 0 and str(news / "copy.md") in set(warm.articles[s.PATH])
    assert set(warm.articles[s.PROVIDER_NAME].astype(str)) == {"EXAMPLE NEWS Online"}


def test_a_file_changed_in_place_is_parsed_again_while_folders_are_unchanged(tmp_path, parsed_paths, corpus_steps):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    target = root / "news" / "5.md"
    target.write_text(target.read_text().replace("Story number 5", "Story number V"))
    os.utime(target, (LONG_AGO + 5, LONG_AGO + 5))
    parsed_paths.clear()
    corpus_steps.clear()
    warm = load_corpus(root, cache=tmp_path / "cache")
    again = load_corpus(root, cache=tmp_path / "cache")
    assert parsed_paths == ["5.md"]
    assert corpus_steps == [1]  # the next load read the frames saved after the edit
    assert "Story number V" in set(again.articles[s.TITLE])
    cold = load_corpus(root, cache=False)
    assert_same_corpus(warm, cold)
    assert_same_corpus(again, cold)


def test_a_new_file_in_an_empty_folder_is_found(tmp_path):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    write_doc(root / "empty" / "late.md", article(30))
    os.utime(root / "empty" / "late.md", (LONG_AGO, LONG_AGO))
    warm = load_corpus(root, cache=tmp_path / "cache")
    assert str(root / "empty" / "late.md") in set(warm.articles[s.PATH])


def test_files_written_moments_ago_are_parsed_again(tmp_path, parsed_paths):
    (tmp_path / "data").mkdir()
    write_doc(tmp_path / "data" / "fresh.md", article(1))
    load_corpus(tmp_path / "data", cache=tmp_path / "cache")
    load_corpus(tmp_path / "data", cache=tmp_path / "cache")
    assert parsed_paths == ["fresh.md", "fresh.md"]  # same mtime tick could hide a second write


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"not a cache file at all"),
        lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
        lambda path: path.write_bytes(path.read_bytes()[:200] + bytes(200) + path.read_bytes()[400:]),
    ],
    ids=["garbage", "truncated", "zeroed-bytes"],
)
def test_a_corrupt_cache_is_reported_and_rebuilt(tmp_path, damage):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    (cache_file,) = (tmp_path / "cache").glob("*.arrow")
    damage(cache_file)
    loaded = load_corpus(root, cache=tmp_path / "cache")
    notes = loaded.problems[loaded.problems[s.PATH] == str(cache_file)]
    assert list(notes[s.SEVERITY]) == [s.WARNING]
    assert notes[s.MESSAGE].iloc[0].startswith("parse cache could not be read")
    cold = load_corpus(root, cache=False)
    assert_frame_equal(loaded.articles, cold.articles)
    assert_same_corpus(load_corpus(root, cache=tmp_path / "cache"), cold)  # rebuilt: no note any more


def test_a_cache_from_another_version_is_rebuilt(tmp_path, monkeypatch, parsed_paths):
    root = corpus_folder(tmp_path / "data")
    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "FORMAT", cache_module.FORMAT + 1)
        load_corpus(root, cache=tmp_path / "cache")
    parsed_paths.clear()
    loaded = load_corpus(root, cache=tmp_path / "cache")
    assert len(parsed_paths) == 10
    assert loaded.problems[s.MESSAGE].str.contains("written by another version").sum() == 1


def test_a_failed_write_keeps_the_old_cache_and_leaves_no_partial_file(tmp_path, monkeypatch):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    (cache_file,) = (tmp_path / "cache").glob("*.arrow")
    before = cache_file.read_bytes()
    files = sorted(p.relative_to(tmp_path / "cache") for p in (tmp_path / "cache").rglob("*"))

    def crash(out, table):
        out.write(b"ARROW1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module, "_write_checked", crash)
    write_doc(root / "news" / "more.md", article(21))
    loaded = load_corpus(root, cache=tmp_path / "cache")
    assert cache_file.read_bytes() == before
    assert sorted(p.relative_to(tmp_path / "cache") for p in (tmp_path / "cache").rglob("*")) == files
    assert loaded.problems[s.MESSAGE].str.startswith("parse cache could not be written").sum() == 1
    assert str(root / "news" / "more.md") in set(loaded.articles[s.PATH])


def test_cache_false_writes_nothing_and_true_uses_the_environment_folder(tmp_path, monkeypatch):
    root = corpus_folder(tmp_path / "data")
    monkeypatch.setenv(cache_module.ENV_VAR, str(tmp_path / "env-cache"))
    load_corpus(root, cache=False)
    assert not (tmp_path / "env-cache").exists()
    load_corpus(root)
    assert default_cache_dir() == tmp_path / "env-cache"
    assert len(list((tmp_path / "env-cache").glob("*.arrow"))) == 1
    assert clear_cache() == 1 and not list((tmp_path / "env-cache").iterdir())


def test_other_options_or_paths_get_their_own_cache(tmp_path):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    load_corpus(root, options=s.LoadOptions(max_text_chars=10), cache=tmp_path / "cache")
    load_corpus(root / "news", cache=tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("*.arrow"))) == 3
    short = load_corpus(root, options=s.LoadOptions(max_text_chars=10), cache=tmp_path / "cache")
    assert short.articles[s.TITLE].str.len().max() == 10


def test_upload_limits_do_not_decide_which_cache_a_folder_uses(tmp_path, parsed_paths):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    parsed_paths.clear()
    load_corpus(root, options=s.LoadOptions(max_upload_bytes=1, max_archive_files=1, max_archive_bytes=1, max_compression_ratio=1), cache=tmp_path / "cache")
    assert parsed_paths == [] and len(list((tmp_path / "cache").glob("*.arrow"))) == 1


def test_rows_expire_when_their_fingerprint_changes_or_their_time_comes(tmp_path):
    write_doc(tmp_path / "a.md", article(1))
    os.utime(tmp_path / "a.md", (LONG_AGO, LONG_AGO))
    table = parse.parse_files([tmp_path / "a.md"])
    size, mtime, ctime = (table[name][0].as_py() for name in (s.SIZE, s.MTIME_NS, s.CTIME_NS))
    docs = [str(tmp_path / "a.md")]
    assert reusable_rows(table, docs, np.array([[size, mtime, ctime]]), 0) == [0]
    assert reusable_rows(table, docs, np.array([[size, mtime, ctime]]), 0, rows=np.arange(1)) == [0]
    assert reusable_rows(table, docs, np.array([[size, mtime, ctime]]), 0, rows=np.array([-1])) == [None]
    assert reusable_rows(table, docs, np.array([[size + 1, mtime, ctime]]), 0) == [None]
    assert reusable_rows(table, docs, np.array([[-1, -1, -1]]), 0) == [None]
    expiring = table.set_column(table.schema.get_field_index(s.VALID_UNTIL_NS), s.VALID_UNTIL_NS, [[5]])
    assert reusable_rows(expiring, docs, np.array([[size, mtime, ctime]]), 4) == [0]
    assert reusable_rows(expiring, docs, np.array([[size, mtime, ctime]]), 5) == [None]


def test_a_future_date_makes_its_row_expire_when_the_date_arrives(tmp_path):
    write_doc(tmp_path / "event.md", article(1, publishedDateTime="2999-01-01T00:00:00Z"))
    os.utime(tmp_path / "event.md", (LONG_AGO, LONG_AGO))
    table = parse.parse_files([tmp_path / "event.md"])
    two_days = 2 * 86_400 * 10**9
    assert table[s.VALID_UNTIL_NS][0].as_py() == min(2**63 - 1, 32_472_144_000 * 10**9 - two_days)


def test_the_cache_file_is_arrow_with_one_row_per_document_and_a_checksum(tmp_path):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    store = ParseCache(tmp_path / "cache", (str(root),), s.LoadOptions())
    data = store.path.read_bytes()
    assert zlib.crc32(data[:-4]).to_bytes(4, "big") == data[-4:]
    table = pa.ipc.open_file(pa.py_buffer(data[:-4])).read_all()
    assert table.num_rows == 10 and table.schema.remove_metadata() == parse.PARSED_SCHEMA


def test_a_cache_left_by_an_older_version_goes_when_the_new_one_is_written(tmp_path):
    root = corpus_folder(tmp_path / "data")
    store = ParseCache(tmp_path / "cache", (str(root),), s.LoadOptions())
    store.path.parent.mkdir()
    store.path.with_suffix(".parquet").write_bytes(b"PAR1 an old cache")
    assert cache_usage(tmp_path / "cache") == (1, len(b"PAR1 an old cache"))
    load_corpus(root, cache=tmp_path / "cache")
    assert [path.name for path in (tmp_path / "cache").glob("*.*")] == [store.path.name]
    count, size = cache_usage(tmp_path / "cache")
    saved = sum(path.stat().st_size for path in (tmp_path / "cache" / "frames").iterdir())
    assert count == 1 and size == store.path.stat().st_size + saved and saved > 0


def test_an_unchanged_folder_reads_the_saved_frames_identical_to_a_cold_load(tmp_path, corpus_steps):
    root = corpus_folder(tmp_path / "data")
    cold = load_corpus(root, cache=False)
    load_corpus(root, cache=tmp_path / "cache")
    corpus_steps.clear()
    warm = load_corpus(root, cache=tmp_path / "cache")
    assert corpus_steps == []
    assert_same_corpus(warm, cold)
    assert warm.articles[s.CATEGORY].dtype == cold.articles[s.CATEGORY].dtype == "category"


@pytest.fixture
def story_groupings(monkeypatch):
    """How many times articles were grouped into stories, by the load or by the workspace."""
    runs: list[int] = []

    def spy(*args, **kwargs):
        runs.append(1)
        return story_ids(*args, **kwargs)

    monkeypatch.setattr(corpus_module, "story_ids", spy)
    monkeypatch.setattr(workspace_module, "story_ids", spy)
    return runs


def test_a_warm_load_reads_the_story_map_saved_with_the_frames(tmp_path, story_groupings):
    root = corpus_folder(tmp_path / "data")
    write_doc(root / "news" / "syndicated.md", article(12, title="Story number 2", publishedDateTime="2026-03-02T12:00:00Z"))  # joins story 2 by its title
    age(root)
    open_workspace(root, cache=tmp_path / "cache")
    assert story_groupings == [1]
    story_groupings.clear()
    warm = open_workspace(root, cache=tmp_path / "cache")
    assert story_groupings == []  # grouping a million articles takes seconds: not on every load
    corpus = warm.corpus
    assert_frame_equal(warm.story_map, story_ids(corpus.articles, corpus.related))
    assert warm.story_map[s.STORY_ID].nunique() == len(corpus.articles) - 1


def test_the_last_load_reads_back_as_a_warm_load_without_a_stat_of_every_file(tmp_path, monkeypatch):
    root = corpus_folder(tmp_path / "data")
    assert corpus_module.last_load(root, cache=tmp_path / "cache") is None  # nothing kept yet
    load_corpus(root, cache=tmp_path / "cache")
    warm = load_corpus(root, cache=tmp_path / "cache")
    stats: list[str] = []
    real = corpus_module.file_fingerprints
    monkeypatch.setattr(corpus_module, "file_fingerprints", lambda paths: stats.extend(paths) or real(paths))
    last = corpus_module.last_load(root, cache=tmp_path / "cache")
    assert stats == [str(root / "news" / "notes.csv")]  # the ignored files only: the documents' come from the cache
    assert_same_corpus(last, warm)
    assert last.version == warm.version == fingerprint(root, cache=tmp_path / "cache")
    assert corpus_module.last_load(root, cache=False) is None


def test_there_is_no_last_load_while_a_cached_row_is_due_to_be_parsed_again(tmp_path):
    (tmp_path / "data").mkdir()
    write_doc(tmp_path / "data" / "fresh.md", article(1))  # written moments ago: parsed again by every load
    load_corpus(tmp_path / "data", cache=tmp_path / "cache")
    assert corpus_module.last_load(tmp_path / "data", cache=tmp_path / "cache") is None


def test_an_empty_folder_round_trips_its_empty_frames(tmp_path, corpus_steps):
    (tmp_path / "data").mkdir()
    age(tmp_path / "data")
    load_corpus(tmp_path / "data", cache=tmp_path / "cache")
    corpus_steps.clear()
    warm = load_corpus(tmp_path / "data", cache=tmp_path / "cache")
    assert corpus_steps == []
    assert_same_corpus(warm, load_corpus(tmp_path / "data", cache=False))


def flip_byte(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def frame_files(folder: Path) -> list[Path]:
    return sorted((folder / "frames").glob("*.arrow"))


@pytest.mark.parametrize(
    "damage",
    [
        lambda path, older: path.unlink(),
        lambda path, older: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
        lambda path, older: path.write_bytes(older),  # saved from another version of the parse cache
        lambda path, older: path.write_bytes(flip_byte(path.read_bytes(), path.stat().st_size // 2)),
    ],
    ids=["missing", "truncated", "stale", "flipped-byte"],
)
def test_damaged_or_stale_saved_frames_are_built_again(tmp_path, corpus_steps, damage):
    root = corpus_folder(tmp_path / "data")
    load_corpus(root, cache=tmp_path / "cache")
    older = {path.name: path.read_bytes() for path in frame_files(tmp_path / "cache")}
    assert len(older) == len(FRAMES) + 1  # and the story map
    write_doc(root / "news" / "7.md", article(7))
    os.utime(root / "news" / "7.md", (LONG_AGO, LONG_AGO))
    age(root, LONG_AGO + 100, files=False)
    load_corpus(root, cache=tmp_path / "cache")
    for path in frame_files(tmp_path / "cache"):
        saved = path.read_bytes()
        damage(path, older[path.name])
        corpus_steps.clear()
        loaded = load_corpus(root, cache=tmp_path / "cache")
        assert corpus_steps == [1], path.name
        assert_same_corpus(loaded, load_corpus(root, cache=False))
        assert path.read_bytes() != older[path.name] and not loaded.problems[s.MESSAGE].str.contains("parse cache").any()
        path.write_bytes(saved)


def test_saved_frames_are_only_a_shortcut_when_they_cannot_be_written(tmp_path, monkeypatch):
    root = corpus_folder(tmp_path / "data")
    (tmp_path / "not-a-folder").write_text("")
    monkeypatch.setattr(cache_module.ParseCache, "_frame_path", lambda self, name: tmp_path / "not-a-folder" / f"{name}.arrow")
    load_corpus(root, cache=tmp_path / "cache")
    warm = load_corpus(root, cache=tmp_path / "cache")
    assert [path.name for path in tmp_path.rglob("articles.arrow*")] == []
    assert_same_corpus(warm, load_corpus(root, cache=False))
    assert not warm.problems[s.MESSAGE].str.contains("parse cache").any()


def test_the_cache_stamp_covers_the_loading_code_only():
    """Editing the report or the dashboard keeps users' caches; editing validation does not."""
    parsing = {path.name for path in cache_module._loading_modules(cache_module.PARSING_MODULES)}
    framing = {path.name for path in cache_module._loading_modules(cache_module.FRAMING_MODULES)}
    assert {"parse.py", "validate.py", "safe_yaml.py", "fast_yaml.py", "urls.py", "schema.py", "cache.py"} <= parsing
    assert not parsing & {"corpus.py", "flatten.py"}
    assert parsing | {"corpus.py", "flatten.py", "file_stats.py", "stories.py", "titles.py"} <= framing
    assert not framing & {"report.py", "metrics.py", "views.py", "charts.py", "cli.py"}


@pytest.mark.parametrize(("changed", "parses", "rebuilds_frames"), [("FRAMING", False, True), ("PARSING", True, True)])
def test_a_change_to_the_frames_code_keeps_the_parsed_rows(tmp_path, monkeypatch, parsed_paths, corpus_steps, changed, parses, rebuilds_frames):
    root = corpus_folder(tmp_path / "data")
    cold = load_corpus(root, cache=False)
    load_corpus(root, cache=tmp_path / "cache")
    real = cache_module._code_digest
    edited = getattr(cache_module, f"{changed}_MODULES")
    monkeypatch.setattr(cache_module, "_code_digest", lambda start: real(start) + ("-edited" if start == edited else ""))
    parsed_paths.clear()
    corpus_steps.clear()
    warm = load_corpus(root, cache=tmp_path / "cache")
    assert (len(parsed_paths) == 10, corpus_steps == [1]) == (parses, rebuilds_frames)
    assert_frame_equal(warm.articles, cold.articles)


def test_the_listing_is_trusted_until_a_folder_changes_and_never_with_links(tmp_path):
    root = corpus_folder(tmp_path / "data")
    age(root, LONG_AGO, files=False)
    listing = cache_module.list_files((str(root),), time.time_ns())
    assert listing.trusted and str(root / "news") in listing.folders
    assert listing.still_current((str(root),))
    write_doc(root / "news" / "fresh.md", article(30))
    assert not listing.still_current((str(root),))  # a new entry changes its folder
    os.symlink(root / "news" / "fresh.md", root / "news" / "link.md")
    age(root, LONG_AGO, files=False)
    assert not cache_module.list_files((str(root),), time.time_ns()).trusted  # a link's target can change unseen


def test_a_listing_taken_while_a_folder_was_changing_is_not_trusted(tmp_path):
    root = corpus_folder(tmp_path / "data")
    os.utime(root / "news")  # changed just now: a change within the same tick could go unseen
    assert not cache_module.list_files((str(root),), time.time_ns()).trusted


@settings(max_examples=300, deadline=None)
@given(reuse=st.lists(st.one_of(st.none(), st.integers(0, 29)), max_size=40, unique_by=lambda row: row if row is not None else object()))
def test_combined_rows_are_the_reused_rows_and_the_parsed_ones_in_turn(reuse):
    table = pa.table({"row": list(range(30))})
    parsed = pa.table({"row": pa.array([100 + n for n in range(sum(index is None for index in reuse))], pa.int64())})
    fresh = iter(parsed["row"].to_pylist())
    expected = [index if index is not None else next(fresh) for index in reuse]
    combined, rows = combine_rows(table, reuse, parsed)
    assert combined.take(pa.array(rows, pa.int64()))["row"].to_pylist() == expected
    assert combine_rows(None, [None] * parsed.num_rows, parsed)[0] is parsed


_LOAD_TWICE = """
import sys
from analytics import load_corpus
first = load_corpus(sys.argv[1], cache=sys.argv[2])
again = load_corpus(sys.argv[1], cache=sys.argv[2])
print(first.loaded, again.loaded, sorted(set(again.problems["message"])))
"""


@pytest.mark.parametrize("which", ["cache", "frames"])
def test_a_named_pipe_at_a_cache_path_never_blocks_a_load(tmp_path, which):
    import subprocess
    import sys

    root = corpus_folder(tmp_path / "data")
    age(root)
    load_corpus(root, cache=tmp_path / "cache")
    targets = list((tmp_path / "cache").glob("*.arrow")) if which == "cache" else frame_files(tmp_path / "cache")
    for path in targets:
        path.unlink()
        os.mkfifo(path)
    done = subprocess.run([sys.executable, "-c", _LOAD_TWICE, str(root), str(tmp_path / "cache")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded, again, _ = done.stdout.split(" ", 2)
    assert int(loaded) == int(again) == load_corpus(root, cache=False).loaded


def test_a_temporary_file_of_a_killed_writer_is_removed_by_the_next_write(tmp_path):
    import subprocess
    import sys

    root = corpus_folder(tmp_path / "data")
    age(root)
    load_corpus(root, cache=tmp_path / "cache")
    (cache_file,) = (tmp_path / "cache").glob("*.arrow")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    left = cache_file.parent / f"{cache_file.name}.{gone}.x1y2z3.tmp"  # a writer that died moments ago
    left.write_bytes(b"half a file")
    live = cache_file.parent / f"{cache_file.name}.{os.getpid()}.a1b2c3.tmp"  # a writer still at work
    live.write_bytes(b"being written")
    write_doc(root / "new.md", article(30))
    age(root)
    load_corpus(root, cache=tmp_path / "cache")
    assert not left.exists() and live.exists()
