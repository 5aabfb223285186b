"""Flattening stage: validated records become the tidy frames, with duplicates set aside."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from analytics import schema as s
from analytics.ingest import Problem
from analytics.urls import canonical_url
from analytics.validate import Record


@dataclass
class Frames:
    """The tidy tables built from one set of records."""

    articles: pd.DataFrame
    topics: pd.DataFrame
    related: pd.DataFrame
    images: pd.DataFrame
    duplicates: list[Problem]


def flatten_records(records: list[Record], id_keys: dict[str, str] | None = None) -> Frames:
    """Articles, topics, related and images frames; later copies of one URL become problems.

    `id_keys` maps a record's path to the text its `doc_id` is derived from when it has no
    URL (by default the path itself); pass paths relative to the loaded folder for ids that
    survive moving the folder.
    """
    id_keys = id_keys or {}
    canonicals = {id(record): _canonical(record) for record in records}
    kept, duplicates = _drop_duplicates(records, canonicals)
    display_names = _display_names(records)
    ids = _doc_ids(kept, canonicals, id_keys)
    return Frames(
        articles=_articles(kept, ids, canonicals, display_names),
        topics=_topics(kept, ids),
        related=_related(kept, ids),
        images=_images(kept, ids),
        duplicates=duplicates,
    )


def _canonical(record: Record) -> str | None:
    for url in (record.web_url, record.original_url):
        if url and (canonical := canonical_url(url)):
            return canonical
    return None


def _order(record: Record) -> tuple:
    stamp = record.published_at
    return (stamp is None, stamp.value if stamp is not None else 0, record.path)


def _drop_duplicates(records: list[Record], canonicals: dict[int, str | None]) -> tuple[list[Record], list[Problem]]:
    first_by_url: dict[str, Record] = {}
    kept: list[Record] = []
    duplicates: list[Problem] = []
    for record in sorted(records, key=_order):
        url = canonicals[id(record)]
        original = first_by_url.get(url) if url else None
        if original is None:
            if url:
                first_by_url[url] = record
            kept.append(record)
            continue
        duplicates.append(
            Problem(
                record.path,
                s.DUPLICATE,
                f"same article as {original.path} (both point to {url}); this copy was not loaded",
                field="webUrl",
            )
        )
    return kept, duplicates


def _display_names(records: list[Record]) -> dict[str, str]:
    """The most frequent outlet name for each domain (ties broken alphabetically)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        if record.provider_domain and record.provider_name:
            counts[record.provider_domain][record.provider_name] += 1
    return {domain: min(names.items(), key=lambda item: (-item[1], item[0]))[0] for domain, names in counts.items()}


def _doc_ids(records: list[Record], canonicals: dict[int, str | None], id_keys: dict[str, str]) -> list[str]:
    ids: list[str] = []
    used: set[str] = set()
    for record in records:
        url = canonicals[id(record)]
        doc_id = _digest(url) if url else _digest("path:" + id_keys.get(record.path, record.path))
        if doc_id in used:  # two URL-less files with the same relative path in different folders
            doc_id = _digest("path:" + record.path)
        used.add(doc_id)
        ids.append(doc_id)
    return ids


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _articles(records: list[Record], ids: list[str], canonicals: dict[int, str | None], names: dict[str, str]) -> pd.DataFrame:
    columns: dict[str, list] = {
        s.DOC_ID: ids,
        s.PATH: [r.path for r in records],
        s.CATEGORY: [r.category for r in records],
        s.TYPE: [r.type for r in records],
        s.TITLE: [r.title for r in records],
        s.EXCERPT: [r.excerpt for r in records],
        s.PUBLISHED_AT: [r.published_at for r in records],
        s.WEB_URL: [r.web_url for r in records],
        s.ORIGINAL_URL: [r.original_url for r in records],
        s.CANONICAL_URL: [canonicals[id(r)] for r in records],
        s.PROVIDER_NAME: [names.get(r.provider_domain or "", r.provider_name) for r in records],
        s.PROVIDER_DOMAIN: [r.provider_domain for r in records],
        s.QUALITY: [r.quality for r in records],
        s.HEAT: [r.heat for r in records],
        s.PUBLISHED: [r.published for r in records],
        s.N_TOPICS: [len(r.topics) for r in records],
        s.N_IMAGES: [len(r.images) for r in records],
        s.N_RELATED: [len(r.related) for r in records],
        s.IMAGE_URL: [r.images[0][0] if r.images else None for r in records],
    }
    return s.typed_frame(columns, s.ARTICLE_DTYPES)


def _topics(records: list[Record], ids: list[str]) -> pd.DataFrame:
    pairs = [(doc_id, topic) for doc_id, record in zip(ids, records) for topic in record.topics]
    return s.typed_frame({s.DOC_ID: [p[0] for p in pairs], s.TOPIC: [p[1] for p in pairs]}, s.TOPIC_DTYPES)


def _related(records: list[Record], ids: list[str]) -> pd.DataFrame:
    rows = [(doc_id, item) for doc_id, record in zip(ids, records) for item in record.related]
    columns: dict[str, list] = {s.DOC_ID: [doc_id for doc_id, _ in rows]}
    for name in (s.TITLE, s.URL, s.PROVIDER_NAME, s.PROVIDER_DOMAIN, s.PUBLISHED_AT, s.QUALITY):
        columns[name] = [item[name] for _, item in rows]
    columns[s.CANONICAL_URL] = [canonical_url(item[s.URL]) if item[s.URL] else None for _, item in rows]
    return s.typed_frame(columns, s.RELATED_DTYPES)


def _images(records: list[Record], ids: list[str]) -> pd.DataFrame:
    rows = [(doc_id, *image) for doc_id, record in zip(ids, records) for image in record.images]
    columns = {name: [row[i] for row in rows] for i, name in enumerate(s.IMAGE_COLUMNS)}
    return s.typed_frame(columns, s.IMAGE_DTYPES)
