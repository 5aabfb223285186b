"""Column names, dtypes and defaults: the one place the frames' shape is defined."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd
import pyarrow as pa

# --- articles -------------------------------------------------------------------------------
DOC_ID = "doc_id"
PATH = "path"
CATEGORY = "category"
TYPE = "type"
TITLE = "title"
EXCERPT = "excerpt"
PUBLISHED_AT = "published_at"
WEB_URL = "web_url"
ORIGINAL_URL = "original_url"
CANONICAL_URL = "canonical_url"
PROVIDER_NAME = "provider_name"
PROVIDER_DOMAIN = "provider_domain"
QUALITY = "quality"
HEAT = "heat"
PUBLISHED = "published"
N_TOPICS = "n_topics"
N_IMAGES = "n_images"
N_RELATED = "n_related"
IMAGE_URL = "image_url"
# The article's number within its load (0..n-1), repeated in its topic, related and image rows,
# so that "which rows belong to these articles" is array indexing, not hashing text ids. Only
# meaningful inside one load, and never exported: `doc_id` is the public id.
ARTICLE_KEY = "article_key"

# --- child tables ---------------------------------------------------------------------------
TOPIC = "topic"
URL = "url"
WIDTH = "width"
HEIGHT = "height"

# --- problems -------------------------------------------------------------------------------
SEVERITY = "severity"
FIELD = "field"
MESSAGE = "message"
LINE = "line"

# --- parsed files: one row per document file, what the parse cache stores --------------------
SIZE = "size"
MTIME_NS = "mtime_ns"
CTIME_NS = "ctime_ns"
VALID_UNTIL_NS = "valid_until_ns"
URL_ID = "url_id"
TOPICS = "topics"
IMAGES = "images"
RELATED = "related"
PROBLEMS = "problems"

ERROR = "error"
WARNING = "warning"
DUPLICATE = "duplicate"
SEVERITIES = (ERROR, WARNING, DUPLICATE)

STRING = pd.StringDtype()
TIMESTAMP = "datetime64[us, UTC]"
FLOAT = "Float64"
INT = "Int64"
BOOL = "boolean"
CATEGORY_DTYPE = "category"

ARTICLE_DTYPES: dict[str, object] = {
    DOC_ID: STRING,
    PATH: STRING,
    CATEGORY: CATEGORY_DTYPE,
    TYPE: CATEGORY_DTYPE,
    TITLE: STRING,
    EXCERPT: STRING,
    PUBLISHED_AT: TIMESTAMP,
    WEB_URL: STRING,
    ORIGINAL_URL: STRING,
    CANONICAL_URL: STRING,
    PROVIDER_NAME: CATEGORY_DTYPE,
    PROVIDER_DOMAIN: CATEGORY_DTYPE,
    QUALITY: FLOAT,
    HEAT: FLOAT,
    PUBLISHED: BOOL,
    N_TOPICS: INT,
    N_IMAGES: INT,
    N_RELATED: INT,
    IMAGE_URL: STRING,
    ARTICLE_KEY: INT,
}

TOPIC_DTYPES: dict[str, object] = {DOC_ID: STRING, TOPIC: CATEGORY_DTYPE, ARTICLE_KEY: INT}

RELATED_DTYPES: dict[str, object] = {
    DOC_ID: STRING,
    TITLE: STRING,
    URL: STRING,
    CANONICAL_URL: STRING,
    PROVIDER_NAME: STRING,
    PROVIDER_DOMAIN: STRING,
    PUBLISHED_AT: TIMESTAMP,
    QUALITY: FLOAT,
    ARTICLE_KEY: INT,
}

IMAGE_DTYPES: dict[str, object] = {DOC_ID: STRING, URL: STRING, WIDTH: INT, HEIGHT: INT, ARTICLE_KEY: INT}

PROBLEM_DTYPES: dict[str, object] = {
    PATH: STRING,
    SEVERITY: STRING,
    FIELD: STRING,
    MESSAGE: STRING,
    LINE: INT,
}

ARTICLE_COLUMNS = list(ARTICLE_DTYPES)
TOPIC_COLUMNS = list(TOPIC_DTYPES)
RELATED_COLUMNS = list(RELATED_DTYPES)
IMAGE_COLUMNS = list(IMAGE_DTYPES)
PROBLEM_COLUMNS = list(PROBLEM_DTYPES)

# Each article's story (`frames.stories.story_ids`): the doc_id of the story's first article.
STORY_ID = "story_id"
STORY_MAP_DTYPES: dict[str, object] = {DOC_ID: STRING, STORY_ID: STRING}

DOCUMENT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})


@dataclass(frozen=True)
class LoadOptions:
    """Limits and switches for reading documents; the defaults suit real news folders.

    The limits keep a hostile file from costing more than a bounded time and memory: a file
    past one of them is reported as a problem, and the rest of the folder still loads.
    """

    max_file_bytes: int = 8 * 1024 * 1024
    max_front_matter_bytes: int = 1024 * 1024
    # Lists and mappings inside lists and mappings; real documents use about 4 levels.
    max_nesting: int = 64
    max_text_chars: int = 20_000
    max_list_items: int = 1_000
    # Further warnings for one file are counted in a single last warning.
    max_warnings_per_file: int = 100
    earliest_plausible_year: int = 1990
    future_tolerance_days: int = 2
    # Uploads (analytics.read.uploads): one uploaded file or archive, and what an archive may unpack to.
    max_upload_bytes: int = 200 * 1024 * 1024
    max_archive_files: int = 20_000
    max_archive_bytes: int = 512 * 1024 * 1024
    max_compression_ratio: int = 100

    def parse_settings(self) -> dict[str, int]:
        """The options that decide what a file parses to, by name: what parse caches are kept per (not the upload limits)."""
        return {name: value for name, value in asdict(self).items() if name not in _UPLOAD_LIMITS}


_UPLOAD_LIMITS = frozenset({"max_upload_bytes", "max_archive_files", "max_archive_bytes", "max_compression_ratio"})


def empty_frame(dtypes: dict[str, object]) -> pd.DataFrame:
    """An empty frame with the given columns and dtypes."""
    return typed_frame({name: [] for name in dtypes}, dtypes)


def typed_frame(columns: dict[str, list], dtypes: dict[str, object]) -> pd.DataFrame:
    """A frame built column by column from lists, each cast to its declared dtype."""
    return pd.DataFrame({name: _typed_series(columns[name], dtype) for name, dtype in dtypes.items()})


def _typed_series(values: list, dtype: object) -> pd.Series:
    if dtype == TIMESTAMP:
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object), utc=True), dtype=TIMESTAMP)
    if dtype == CATEGORY_DTYPE:
        return pd.Series(pd.Series(values, dtype=STRING), dtype=CATEGORY_DTYPE)
    return pd.Series(values, dtype=dtype)


def arrow_frame(columns: dict[str, pa.Array | pa.ChunkedArray], dtypes: dict[str, object]) -> pd.DataFrame:
    """A frame with the given dtypes (as `typed_frame` gives) from Arrow columns."""
    return pd.DataFrame({name: _arrow_series(columns[name], dtype) for name, dtype in dtypes.items()})


_NULLABLE = {STRING: pd.StringDtype(), FLOAT: pd.Float64Dtype(), INT: pd.Int64Dtype(), BOOL: pd.BooleanDtype()}


def _arrow_series(values: pa.Array | pa.ChunkedArray, dtype: object) -> pd.Series:
    if dtype == CATEGORY_DTYPE and pa.types.is_dictionary(values.type):  # categories kept as written
        values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        categories = pd.Index(_arrow_series(values.dictionary, STRING))
        codes = values.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories)))
    if dtype == CATEGORY_DTYPE:
        return _arrow_series(values, STRING).astype(CATEGORY_DTYPE)
    if dtype == TIMESTAMP:
        return pd.Series(values.cast(pa.timestamp("us", tz="UTC")).to_pandas(), dtype=TIMESTAMP)
    if dtype == INT:
        values = values.cast(pa.int64())
    nullable = _NULLABLE[dtype]
    return pd.Series(values.to_pandas(types_mapper=lambda _: nullable), dtype=dtype)
