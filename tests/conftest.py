"""Shared fixtures: small documents written to a temporary folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

REAL_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "real-corpus"
SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"


def document_text(fields: dict, body: str = "Body text.\n") -> str:
    """A document file's text: the fields as YAML front matter, then a body."""
    return "---\n" + yaml.safe_dump(fields, sort_keys=False, allow_unicode=True) + "---\n" + body


def article(n: int = 1, **overrides: object) -> dict:
    """The fields of a plausible news article; `n` varies title, URL and date."""
    fields = {
        "category": "news",
        "title": f"Story number {n}",
        "excerpt": f"What happened in story {n}.",
        "publishedDateTime": f"2026-03-{n:02d}T10:00:00Z",
        "webUrl": f"https://www.example-news.test/story-{n}",
        "type": "article",
        "quality": 40 + n,
        "heat": 20 + n,
        "published": True,
        "provider": {"name": "Example News", "domain": "example-news.test"},
        "topics": ["AI", "Policy"],
        "images": [{"url": f"https://img.example-news.test/{n}.jpg", "width": 800, "height": 450}],
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


@pytest.fixture(autouse=True, scope="session")
def parse_cache_dir(tmp_path_factory):
    """Parse caches of the whole run (dashboard servers included) go to a temporary folder, never the user's."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("parse-cache")
        patch.setenv("NEWS_ANALYTICS_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture
def write(tmp_path: Path):
    """Write a document (fields dict, text or bytes) to tmp_path/name and return its path."""

    def _write(name: str, content: dict | str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            content = document_text(content)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return _write


def as_unprivileged(command: list[str]) -> list[str]:
    """`command` run without root's power to read any file (permission tests mean nothing to root)."""
    import os
    import shutil

    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv is missing: permissions cannot be tested")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", *command]


@pytest.fixture
def open_tmp():
    """A temporary folder any user can enter (tmp_path is root's own when tests run as root)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="news-open-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


@pytest.fixture(scope="session")
def dask_scheduler():
    """The address of a two-worker Dask LocalCluster shared by the tests that build datasets."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="session")
def sample_dataset(tmp_path_factory, dask_scheduler) -> Path:
    """A dataset built from `sample_data/`, shared by the tests that open one as the dashboard does."""
    from analytics.frames.dataset import build_dataset

    folder = tmp_path_factory.mktemp("sample-dataset") / "ds"
    build_dataset(SAMPLE_DATA, out=folder, scheduler=dask_scheduler)
    return folder


def write_old(root: Path, name: str, content: dict | str) -> Path:
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
        write_old(one, f"march/{n}.md", article(n, topics=["AI", f"T{n % 3}"], related=related))
    for n in range(1, 5):
        april = article(20 + n, publishedDateTime=f"2026-04-{n:02d}T08:00:00Z", provider={"name": "Example", "domain": "example-news.test"})
        write_old(one, f"april/{n}.md", april)
    # A copy in May of a March article (dropped), and a copy in March of a May article (kept: the earlier one).
    write_old(two, "may/copy-of-1.md", article(1, publishedDateTime="2026-05-03T00:00:00Z", quality=200))
    write_old(two, "may/original.md", article(40, publishedDateTime="2026-05-04T00:00:00Z"))
    write_old(one, "march/early-copy.md", article(40, publishedDateTime="2026-03-20T00:00:00Z", provider={"name": "Rare", "domain": "example-news.test"}))
    # The same relative path without an address in both roots: the second gets its full path's id.
    write_old(one, "same/x.md", article(50, webUrl=None, publishedDateTime="2026-03-09T00:00:00Z"))
    write_old(two, "same/x.md", article(51, webUrl=None, publishedDateTime="2026-05-09T00:00:00Z"))
    write_old(one, "undated.md", article(60, publishedDateTime=None))
    write_old(one, "broken.md", "---\ntitle: [unclosed\n---\nbody\n")
    write_old(one, "notes.csv", "not,a,document\n")
    return one, two


def more_documents(one: Path, two: Path) -> None:
    """New documents for a second build of `mixed_corpus`: between its articles, a later copy, a new month, one that fails."""
    for n in (2, 5, 9):  # between March's articles, with topics and related items of their own
        related = [{"title": f"Before {n}", "webUrl": f"https://other.test/b{n}", "provider": {"name": "Other", "domain": "other.test"}}]
        write_old(two, f"later/march-{n}.md", article(100 + n, publishedDateTime=f"2026-03-{n:02d}T11:00:00Z", topics=["AI", "T9"], related=related))
    april = article(110, publishedDateTime="2026-04-02T08:00:00Z", provider={"name": "Example", "domain": "example-news.test"})
    write_old(one, "april/0.md", april)  # as early as april/2.md: first by path
    write_old(two, "later/copy-of-2.md", article(2, publishedDateTime="2026-05-10T00:00:00Z"))  # a later copy of a March article
    write_old(two, "later/undated.md", article(111, publishedDateTime=None))
    write_old(two, "later/june.md", article(112, publishedDateTime="2026-06-01T00:00:00Z", topics=["Energy"]))
    write_old(two, "later/broken.md", "---\ntitle: [unclosed\n---\nbody\n")
