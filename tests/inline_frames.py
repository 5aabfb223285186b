"""Tiny article/topic frames built inline for metric tests."""

from __future__ import annotations

import pandas as pd

from analytics import schema as s


def articles_frame(rows: list[dict]) -> pd.DataFrame:
    """An `articles` frame from a few dicts; unspecified columns are NA, counts 0."""
    columns = {name: [] for name in s.ARTICLE_COLUMNS}
    for index, row in enumerate(rows):
        values = {
            s.DOC_ID: f"d{index}", s.PATH: f"d{index}.md", s.TITLE: f"Title {index}", s.TYPE: "article",
            s.CATEGORY: "news", s.N_TOPICS: 0, s.N_IMAGES: 0, s.N_RELATED: 0,
        }
        values.update(row)
        if isinstance(values.get(s.PUBLISHED_AT), str):
            values[s.PUBLISHED_AT] = pd.Timestamp(values[s.PUBLISHED_AT], tz="UTC")
        if s.PROVIDER_NAME in row and s.PROVIDER_DOMAIN not in row:
            values[s.PROVIDER_DOMAIN] = row[s.PROVIDER_NAME].lower().replace(" ", "") + ".test"
        for name in s.ARTICLE_COLUMNS:
            columns[name].append(values.get(name))
    return s.typed_frame(columns, s.ARTICLE_DTYPES)


def topics_frame(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """A `topics` frame from (doc_id, topic) pairs, without article keys (matched by `doc_id`)."""
    return s.typed_frame({s.DOC_ID: [p[0] for p in pairs], s.TOPIC: [p[1] for p in pairs], s.ARTICLE_KEY: [None] * len(pairs)}, s.TOPIC_DTYPES)


def with_keys(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """The frames numbered as one load numbers them: each `doc_id` one key, in order of first appearance.

    With distinct ids the articles (the first frame) are numbered 0..n-1, as a load numbers them;
    an article listed twice keeps its key, and a child row of an article not among them gets a
    number of its own (as an article filtered away has).
    """
    number: dict[str, int] = {}
    return [
        frame.assign(**{s.ARTICLE_KEY: pd.array([number.setdefault(i, len(number)) for i in frame[s.DOC_ID]], dtype=s.INT)})
        for frame in frames
    ]
