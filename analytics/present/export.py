"""Export stage: any tidy frame as a CSV that is safe to open in a spreadsheet and says where it came from.

One function, `export_csv`, serves the command line and the dashboard: UTF-8 with a byte-order
mark (so Excel detects the encoding), dates as ISO 8601 in UTC, list cells joined with "; ",
and every text cell a spreadsheet would read as a formula neutralised (OWASP: a leading `'`,
and every text cell quoted). Numeric columns are written as plain numbers.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd
from pandas.api import types as pdt

from analytics import schema as s
from analytics.frames.corpus import Corpus
from analytics.frames.keys import belongs
from analytics.measure import metrics as m
from analytics.measure import terms as tm
from analytics.measure.filters import (
    Filters,
    filter_articles,
    selected_period,
    topics_of,
)
from analytics.present.safety import neutralize_csv_cell

LIST_SEPARATOR = "; "
INCOMPLETE = "# INCOMPLETE EXPORT"
ENCODING = "utf-8-sig"


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a loaded frame as users get them: `doc_id` names the article, the load's own key is left out."""
    return frame.drop(columns=s.ARTICLE_KEY, errors="ignore").reset_index(drop=True)


def articles_table(articles: pd.DataFrame, topics: pd.DataFrame) -> pd.DataFrame:
    """The articles export, the same from the command line and the dashboard: every article column
    (path and excerpt included) with the topics joined by "; " after the title, in the articles' order."""
    rows = _rows(articles)
    joined = m.joined_topics(topics).reindex(rows[s.DOC_ID]).fillna("").to_numpy() if len(rows) else []
    rows.insert(rows.columns.get_loc(s.TITLE) + 1, m.TOPICS_TEXT, pd.Series(joined, index=rows.index, dtype=s.STRING))
    return rows


_TABLES: dict[str, Callable[[Corpus, pd.DataFrame, pd.DataFrame, m.MetricOptions], pd.DataFrame]] = {
    "articles": lambda corpus, a, t, o: articles_table(a, t),
    "topics": lambda corpus, a, t, o: _rows(t),
    "related": lambda corpus, a, t, o: _rows(corpus.related[belongs(corpus.related, a)]),
    # Problems belong to files, not to articles: the filters do not narrow them.
    "problems": lambda corpus, a, t, o: corpus.problems,
    "volume": lambda corpus, a, t, o: m.volume(a, t, granularity=o.granularity, top_n=o.top_n, rolling=o.rolling),
    "providers": lambda corpus, a, t, o: m.provider_share(a, top_n=o.top_n),
    "topic-mix": lambda corpus, a, t, o: m.topic_mix(a, t, granularity=o.granularity, top_n=o.top_n),
    "quality-heat": lambda corpus, a, t, o: m.quality_heat(a),
    "terms": lambda corpus, a, t, o: tm.top_terms(tm.term_matrix(corpus.articles), a),
}
TABLES = tuple(_TABLES)


@dataclass(frozen=True)
class Provenance:
    """Where an exported table came from: its view, source folders, filters and period."""

    view: str
    sources: tuple[str, ...] = ()
    filters: Filters = Filters()
    start: date | None = None
    end: date | None = None
    generated_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def file_name(self, extension: str = "csv") -> str:
        """A file name carrying the view and the period, e.g. `volume_2026-01-01_2026-03-31.csv`."""
        return file_name(self.view, self.start, self.end, extension)


@dataclass(frozen=True)
class Export:
    """A CSV ready to save, with the row counts that say whether it holds every row."""

    data: bytes
    rows: int
    total_rows: int
    provenance: Provenance | None = None

    @property
    def complete(self) -> bool:
        """True when every row of the frame was written."""
        return self.rows == self.total_rows

    def sidecar(self, file: str | None = None) -> dict:
        """The provenance as JSON-ready values: file, sources, filters, period, rows, completeness, time."""
        p = self.provenance or Provenance(view="export")
        return {
            "file": file or p.file_name(),
            "view": p.view,
            "sources": list(p.sources),
            "filters": p.filters.describe(),
            "start": p.start.isoformat() if p.start else None,
            "end": p.end.isoformat() if p.end else None,
            "rows": self.rows,
            "total_rows": self.total_rows,
            "complete": self.complete,
            "note": None if self.complete else incomplete_note(self.rows, self.total_rows),
            "generated_at": _iso_utc(p.generated_at),
        }

    def sidecar_json(self, file: str | None = None) -> str:
        """The sidecar as indented JSON text, naming `file` (default: the provenance's file name)."""
        return json.dumps(self.sidecar(file), ensure_ascii=False, indent=2) + "\n"


def export_csv(frame: pd.DataFrame, *, provenance: Provenance | None = None, limit: int | None = None) -> Export:
    """The frame as safe CSV bytes; past `limit` rows it is cut and ends with an INCOMPLETE marker line."""
    kept = frame if limit is None else frame.head(max(limit, 0))
    text = spreadsheet_frame(kept).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    if len(kept) < len(frame):
        text += f'"{INCOMPLETE}: {incomplete_note(len(kept), len(frame))}"\r\n'
    return Export(text.encode(ENCODING), len(kept), len(frame), provenance)


def csv_bytes(frame: pd.DataFrame, *, provenance: Provenance | None = None, limit: int | None = None) -> bytes:
    """The bytes of `export_csv`: what a download button serves."""
    return export_csv(frame, provenance=provenance, limit=limit).data


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as written: dates as ISO 8601 UTC text, lists joined, formula-like text neutralised."""
    columns = {}
    for name, column in frame.items():
        if pdt.is_datetime64_any_dtype(column.dtype):
            columns[name] = _iso_column(column)
        elif pdt.is_numeric_dtype(column.dtype) or pdt.is_bool_dtype(column.dtype):
            columns[name] = column
        else:
            columns[name] = column.astype(object).map(_text_cell, na_action="ignore")
    return pd.DataFrame(columns, index=frame.index)


def export_table(corpus: Corpus, filters: Filters, table: str, options: m.MetricOptions = m.MetricOptions()) -> pd.DataFrame:
    """One of `TABLES` for the articles that pass the filters: a corpus table or a metric frame."""
    if table not in _TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    articles = filter_articles(corpus.articles, corpus.topics, filters)
    return selected_table(corpus, articles, topics_of(corpus.topics, articles), table, options)


def selected_table(corpus: Corpus, articles: pd.DataFrame, topics: pd.DataFrame, table: str, options: m.MetricOptions = m.MetricOptions()) -> pd.DataFrame:
    """One of `TABLES` for articles already selected (by `filter_articles`, or read selected from a dataset) and their topics.

    `corpus` supplies the related rows (of these articles or more) and the problems.
    """
    if table not in _TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    return _TABLES[table](corpus, articles, topics, options)


AGAINST = ("previous", "rest")


def terms_table(corpus: Corpus, filters: Filters, against: str | None = None, options: tm.TermOptions = tm.TermOptions()) -> pd.DataFrame:
    """The top terms of the filtered articles, or with `against` the terms that set them apart from the
    previous period ("previous": rising terms) or from every other article ("rest")."""
    if against not in (None, *AGAINST):
        raise ValueError(f"unknown reference {against!r}; choose one of {', '.join(AGAINST)}")
    matrix = tm.term_matrix(corpus.articles)
    articles = filter_articles(corpus.articles, corpus.topics, filters)
    if against is None:
        return tm.top_terms(matrix, articles, options)
    reference = tm.previous_articles(corpus.articles, corpus.topics, filters) if against == "previous" else None
    return tm.distinctive_terms(matrix, articles, reference, options)


def provenance_of(
    view: str, corpus: Corpus, filters: Filters, *, generated_at: datetime | None = None, span: tuple[date | None, date | None] | None = None
) -> Provenance:
    """The provenance of a view of a corpus: its sources, the filters and the selected period.

    `span` is the data's first and last dates when `corpus` does not hold every article (a dataset).
    """
    start, end = selected_period(filters, corpus.articles, span)
    stamp = generated_at or datetime.now(timezone.utc)
    return Provenance(view=view, sources=corpus.sources, filters=filters, start=start, end=end, generated_at=stamp)


def file_name(view: str, start: date | None, end: date | None, extension: str = "csv") -> str:
    """`view_START_END.extension`, with `from_`/`until_`/`all` when a bound is unknown."""
    slug = re.sub(r"[^a-z0-9]+", "-", view.lower()).strip("-") or "export"
    if start and end:
        period = f"{start.isoformat()}_{end.isoformat()}"
    elif start or end:
        period = f"from_{start.isoformat()}" if start else f"until_{end.isoformat()}"
    else:
        period = "all"
    return f"{slug}_{period}.{extension}"


def incomplete_note(rows: int, total_rows: int) -> str:
    """The sentence that says an export was cut short."""
    return f"only the first {rows:,} of {total_rows:,} rows were exported (row limit)"


def _text_cell(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, (datetime, date)):
        value = _iso_utc(value)
    return neutralize_csv_cell(value) if isinstance(value, str) else value


def _iso_column(column: pd.Series) -> pd.Series:
    """Aware times in UTC with a `Z`; naive ones (period starts) are UTC already, and dates when all midnight."""
    values = column.dt.tz_convert("UTC") if column.dt.tz is not None else column
    present = values.dropna()
    if column.dt.tz is None and (present == present.dt.normalize()).all():
        pattern = "%Y-%m-%d"
    elif (present.dt.microsecond != 0).any():
        pattern = "%Y-%m-%dT%H:%M:%S.%fZ"
    else:
        pattern = "%Y-%m-%dT%H:%M:%SZ"
    return values.dt.strftime(pattern).astype(object).where(values.notna(), None)


def _iso_utc(value: datetime | date) -> str:
    if isinstance(value, datetime):
        utc = value.astimezone(timezone.utc) if value.tzinfo else value
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()
