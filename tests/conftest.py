"""Shared fixtures: small documents written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REAL_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "real-corpus"


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


@pytest.fixture(scope="session")
def dask_scheduler():
    """The address of a two-worker Dask LocalCluster shared by the tests that build datasets."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address
