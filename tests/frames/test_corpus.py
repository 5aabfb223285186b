import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import REAL_CORPUS, article, document_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.frames.corpus import _fingerprints_of
from analytics.read import ingest


def assert_accounted(corpus):
    assert corpus.files_seen == corpus.loaded + corpus.skipped + corpus.duplicates + corpus.ignored


def test_articles_frame_for_a_small_folder(write, tmp_path):
    write("a.md", article(1))
    write("b.md", article(2, quality=None, heat=None, published=None, topics=["AI"]))
    corpus = load_corpus(tmp_path)
    ids = corpus.articles[s.DOC_ID].tolist()
    expected = s.typed_frame(
        {
            s.DOC_ID: ids,
            s.PATH: [str(tmp_path / "a.md"), str(tmp_path / "b.md")],
            s.CATEGORY: ["news", "news"],
            s.TYPE: ["article", "article"],
            s.TITLE: ["Story number 1", "Story number 2"],
            s.EXCERPT: ["What happened in story 1.", "What happened in story 2."],
            s.PUBLISHED_AT: [pd.Timestamp("2026-03-01T10:00:00Z"), pd.Timestamp("2026-03-02T10:00:00Z")],
            s.WEB_URL: ["https://www.example-news.test/story-1", "https://www.example-news.test/story-2"],
            s.ORIGINAL_URL: [None, None],
            s.CANONICAL_URL: ["https://example-news.test/story-1", "https://example-news.test/story-2"],
            s.PROVIDER_NAME: ["Example News", "Example News"],
            s.PROVIDER_DOMAIN: ["example-news.test", "example-news.test"],
            s.QUALITY: [41.0, None],
            s.HEAT: [21.0, None],
            s.PUBLISHED: [True, None],
            s.N_TOPICS: [2, 1],
            s.N_IMAGES: [1, 1],
            s.N_RELATED: [0, 0],
            s.IMAGE_URL: ["https://img.example-news.test/1.jpg", "https://img.example-news.test/2.jpg"],
            s.ARTICLE_KEY: [0, 1],
        },
        s.ARTICLE_DTYPES,
    )
    assert_frame_equal(corpus.articles, expected)
    assert corpus.topics[s.TOPIC].astype(str).tolist() == ["AI", "Policy", "AI"]
    assert len(corpus.problems) == 0
    assert_accounted(corpus)


def test_every_file_is_loaded_or_reported(write, tmp_path):
    write("good.md", article(1))
    write("copy.md", article(1, webUrl="http://example-news.test/story-1/?utm_source=x", publishedDateTime="2026-03-05T00:00:00Z"))
    write("bad.md", "---\ntitle: [\n---\n")
    write("notes.md", "no front matter")
    write("data.csv", "a,b")
    write("warn.md", article(3, quality="high"))
    corpus = load_corpus(tmp_path)
    assert (corpus.files_seen, corpus.loaded, corpus.skipped, corpus.duplicates, corpus.ignored) == (6, 2, 2, 1, 1)
    assert_accounted(corpus)
    by_path = {path: set(group[s.SEVERITY]) for path, group in corpus.problems.groupby(s.PATH)}
    assert by_path == {
        str(tmp_path / "copy.md"): {s.DUPLICATE},
        str(tmp_path / "bad.md"): {s.ERROR},
        str(tmp_path / "notes.md"): {s.ERROR},
        str(tmp_path / "warn.md"): {s.WARNING},
    }


def test_summary_is_json_ready(write, tmp_path):
    write("bad.md", "---\ntitle: [\n---\n")
    summary = load_corpus(tmp_path).summary()
    assert summary["problems"][0]["line"] == 3 and summary["problems"][0]["field"] == ""
    assert {k: summary[k] for k in ("files_seen", "loaded", "skipped", "duplicates", "ignored")} == {
        "files_seen": 1, "loaded": 0, "skipped": 1, "duplicates": 0, "ignored": 0,
    }


def test_empty_folder(tmp_path):
    corpus = load_corpus(tmp_path)
    assert corpus.files_seen == 0 and len(corpus.articles) == 0
    assert list(corpus.articles.columns) == s.ARTICLE_COLUMNS


def test_progress_is_reported(write, tmp_path):
    for n in range(1, 4):
        write(f"{n}.md", article(n))
    calls = []
    load_corpus(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (3, 3)


def test_unreadable_file_is_reported(write, tmp_path, monkeypatch):
    locked = write("locked.md", article(1))
    write("open.md", article(2))
    real_open = open

    def open_file(file, *args, **kwargs):  # chmod cannot lock a file for root: refuse it here
        if os.path.basename(os.fspath(file)) == locked.name:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(ingest, "open", open_file, raising=False)
    corpus = load_corpus(tmp_path)
    assert (corpus.loaded, corpus.skipped) == (1, 1)
    assert corpus.problems[s.MESSAGE].iloc[0] == "file could not be read: Permission denied"


_yamlish = st.text(alphabet=st.sampled_from(list("-:[]{}'\"#&*!|>\n\t abc019.")), max_size=80)
_raw_bytes = st.binary(max_size=200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contents=st.lists(st.one_of(_yamlish.map(lambda t: ("---\n" + t).encode()), _raw_bytes), max_size=6))
def test_property_every_file_is_accounted_for(tmp_path_factory, contents):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "control.md").write_text(document_text(article(9)))
    for index, content in enumerate(contents):
        (folder / f"f{index}.md").write_bytes(content)
    corpus = load_corpus(folder)
    assert_accounted(corpus)
    assert "Story number 9" in corpus.articles[s.TITLE].tolist()
    not_loaded = set(map(str, folder.iterdir())) - set(corpus.articles[s.PATH])
    assert not_loaded <= set(corpus.problems[s.PATH])
    again = load_corpus(folder)
    for name in ("articles", "topics", "related", "images", "problems"):
        assert_frame_equal(getattr(corpus, name), getattr(again, name))


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the shared real corpus is not present beside the project")
def test_real_corpus_loads_and_accounts_for_every_file():
    corpus = load_corpus(REAL_CORPUS)
    files = [p for p in REAL_CORPUS.rglob("*") if p.is_file()]
    assert corpus.files_seen == len(files)
    assert_accounted(corpus)
    assert corpus.loaded >= 0.95 * len(files)
    articles = corpus.articles
    assert articles[s.PUBLISHED_AT].notna().all()
    assert articles[s.HEAT].dropna().ge(0).all()
    assert set(articles[s.TYPE].astype(str)) >= {"article"}
    errors = corpus.problems[corpus.problems[s.SEVERITY] == s.ERROR]
    assert set(Path(p).name for p in errors[s.PATH]) <= {"SOURCE.md"}


@pytest.mark.parametrize(
    "files, roots, expected",
    [
        (["/d/news/a.md", "/d/b.md"], ("/d",), {"/d/news/a.md": "news/a.md", "/d/b.md": "b.md"}),
        (["/d/news/a.md", "/e/b.md"], ("/e/b.md", "/d/news"), {"/d/news/a.md": "a.md", "/e/b.md": "b.md"}),
        (["news/a.md", "b.md"], (".",), {"news/a.md": "news/a.md", "b.md": "b.md"}),
        (["/x/a.md"], ("/d",), {}),
    ],
)
def test_relative_keys_match_path_arithmetic(files, roots, expected, monkeypatch):
    from analytics.frames import corpus as corpus_module

    monkeypatch.setattr(Path, "is_dir", lambda self: self.suffix != ".md")
    relative = corpus_module._RelativeKeys(roots)
    keys = {path: relative.get(path, None) for path in files}
    keys = {path: key for path, key in keys.items() if key is not None}
    assert keys == expected
    by_paths = {}
    for root in map(Path, roots):
        base = root if root.is_dir() else root.parent
        for path in map(Path, files):
            if str(path) not in by_paths and path.is_relative_to(base):
                by_paths[str(path)] = path.relative_to(base).as_posix()
    assert keys == by_paths


def test_fingerprints_found_last_time_are_reused_and_new_files_stat_ed(tmp_path):
    (tmp_path / "new.md").write_text("x")
    known = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int64)
    got = _fingerprints_of([str(tmp_path / "b.md"), str(tmp_path / "new.md"), str(tmp_path / "gone.md")], np.array([1, -1, -1]), known)
    info = os.stat(tmp_path / "new.md")
    assert got.tolist() == [[4, 5, 6], [info.st_size, info.st_mtime_ns, info.st_ctime_ns], [-1, -1, -1]]
