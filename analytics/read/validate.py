"""Validation stage: check a parsed front matter field by field and repair what can be repaired.

Each known field is coerced to its type. A value that cannot be used becomes NA (or is
repaired) and leaves a `warning` naming the field; only a document without any title is
rejected, because it cannot be shown to anyone.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import ftfy
import pandas as pd

from analytics.read.ingest import Problem, RawDocument
from analytics.read.urls import host_of, normalize_domain
from analytics.schema import ERROR, WARNING, LoadOptions

# Scores are small positive numbers in real data (0 to a few hundred); far beyond is an error.
MAX_SCORE = 1_000_000.0
# `heat: -1` is how the source system writes "no heat measured yet".
NO_HEAT_YET = -1
_MOJIBAKE_HINT = re.compile("[ÃÂâÐÑ][\u0080-\u00ff\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc]")
# Control characters garble terminals and spreadsheets; lone surrogates cannot be written as UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# No real date is written in more characters than this; longer text is not parsed as one.
_MAX_DATE_CHARS = 64
# How nearly every document writes its dates. ASCII digits only: `\d` would also take other scripts' digits.
_ISO_UTC_SECONDS = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# pandas reads these as "the current time", which is never what a document means.
_RELATIVE_WORDS = frozenset({"now", "today", "tomorrow", "yesterday"})
# Repair encoding damage only; leave typography (curly quotes, ligatures) as the outlet wrote it.
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False, normalization="NFC")
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


@dataclass
class Record:
    """One document's values, typed and repaired, ready to become rows in the frames."""

    path: str
    title: str
    category: str | None = None
    type: str | None = None
    excerpt: str | None = None
    published_at: pd.Timestamp | None = None
    web_url: str | None = None
    original_url: str | None = None
    provider_name: str | None = None
    provider_domain: str | None = None
    quality: float | None = None
    heat: float | None = None
    published: bool | None = None
    topics: list[str] = field(default_factory=list)
    images: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    related: list[dict] = field(default_factory=list)


class _Checker:
    """Coerces the fields of one document, collecting a warning for every repair."""

    def __init__(self, raw: RawDocument, options: LoadOptions, now: datetime) -> None:
        self.raw = raw
        self.options = options
        self.now = now
        self.problems: list[Problem] = list(raw.problems)
        self.warnings = 0
        self.unlisted = 0

    def warn(self, key: str, message: str, top_key: str | None = None) -> None:
        if self.warnings >= self.options.max_warnings_per_file:
            self.unlisted += 1  # a file with thousands of bad values must not flood the problems table
            return
        self.warnings += 1
        line = self.raw.line_of(top_key or key.split(".")[0].split("[")[0])
        where = f" (line {line})" if line else ""
        self.problems.append(Problem(self.raw.path, WARNING, f"{key}{where}: {message}", field=key, line=line))

    def all_problems(self) -> list[Problem]:
        """Every problem found, the warnings past the limit counted in one last warning."""
        if self.unlisted:
            message = f"{self.unlisted:,} more warnings for this file are not listed (limit {self.options.max_warnings_per_file})"
            self.problems.append(Problem(self.raw.path, WARNING, message))
            self.unlisted = 0
        return self.problems

    # --- scalars ------------------------------------------------------------------------
    def text(self, key: str, value: object) -> str | None:
        if isinstance(value, str):
            text = value.strip()
            if len(text) <= self.options.max_text_chars and _needs_no_repair(text):
                return text or None  # what the steps below would give, without their cost
        elif value is None:
            return None
        if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value) and value:
            self.warn(key, "expected text but found a list; joined its items")
            value = " ".join(str(item) for item in value)
        elif isinstance(value, (dict, list)):
            self.warn(key, f"expected text but found a {_kind(value)}; value dropped")
            return None
        elif not isinstance(value, str):
            self.warn(key, f"expected text but found {_kind(value)} {_short(value)}; converted to text")
            value = _scalar_text(value)
        value = value.strip()
        if len(value) > self.options.max_text_chars:  # cut first: repairs below then cost little
            self.warn(key, f"text is {len(value):,} characters long; cut to {self.options.max_text_chars:,}")
            value = value[: self.options.max_text_chars]
        text = _clean_text(value)
        if text != value and _MOJIBAKE_HINT.search(value):
            self.warn(key, "repaired garbled characters (mojibake)")
        unprintable = len(_UNPRINTABLE.findall(text))
        if unprintable:
            self.warn(key, f"removed {unprintable} control characters or invalid surrogates")
            text = _UNPRINTABLE.sub("", text).strip()
        return text or None

    def score(self, key: str, value: object, *, allow_no_heat: bool = False) -> float | None:
        if value is None:
            return None
        number = _as_number(value)
        if number is None:
            self.warn(key, f"expected a number but found {_kind(value)} {_short(value)}; set to NA")
            return None
        if isinstance(value, str):
            self.warn(key, f"number written as text {_short(value)}; read as {number:g}")
        if allow_no_heat and number == NO_HEAT_YET:
            return None
        if not math.isfinite(number) or not 0 <= number <= MAX_SCORE:
            self.warn(key, f"value {number:g} is outside the sensible range 0 to {MAX_SCORE:g}; set to NA")
            return None
        return number

    def flag(self, key: str, value: object) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        lowered = str(value).strip().lower() if isinstance(value, (str, int)) else None
        if lowered in _TRUE or lowered in _FALSE:
            self.warn(key, f"expected true/false but found {_short(value)}; read as {lowered in _TRUE}")
            return lowered in _TRUE
        self.warn(key, f"expected true/false but found {_kind(value)} {_short(value)}; set to NA")
        return None

    def timestamp(self, key: str, value: object) -> pd.Timestamp | None:
        if value is None:
            return None
        stamp = _as_timestamp(value)
        if stamp is None:
            self.warn(key, f"not a date: {_short(value)}; set to NA")
            return None
        if not 1 <= stamp.year <= 9999:  # beyond what dates can be shown or compared as calendar days
            self.warn(key, f"date {_short(value)} is outside the years 1 to 9999; set to NA")
            return None
        if isinstance(value, (int, float)):
            self.warn(key, f"date given as a number; read as Unix time {stamp.isoformat()}")
        if stamp.year < self.options.earliest_plausible_year:
            self.warn(key, f"date {stamp.date()} is before {self.options.earliest_plausible_year}; kept, please check")
        elif stamp > _future_limit(self.now, self.options.future_tolerance_days):
            self.warn(key, f"date {stamp.date()} is in the future; kept, please check")
        return stamp

    # --- collections --------------------------------------------------------------------
    def items(self, key: str, value: object) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            if isinstance(value, (str, dict)):
                self.warn(key, f"expected a list but found a single {_kind(value)}; read as a list of one")
            else:
                self.warn(key, f"expected a list but found {_kind(value)} {_short(value)}; value dropped")
                return []
            value = [value]
        limit = self.options.max_list_items
        if len(value) > limit:
            self.warn(key, f"list has {len(value):,} items; kept the first {limit:,}")
            value = value[:limit]
        return value

    def topics(self, value: object) -> list[str]:
        topics: list[str] = []
        for index, item in enumerate(self.items("topics", value)):
            topic = self.text(f"topics[{index}]", item)
            if topic and topic not in topics:
                topics.append(topic)
        return topics

    def provider(self, value: object, web_url: str | None) -> tuple[str | None, str | None]:
        name = domain = None
        if isinstance(value, dict):
            name = self.text("provider.name", value.get("name"))
            domain_text = self.text("provider.domain", value.get("domain"))
            domain = normalize_domain(domain_text) if domain_text else None
        elif isinstance(value, str):
            self.warn("provider", "expected a mapping with name and domain but found text; used it as the name")
            name = self.text("provider", value)
        elif value is not None:
            self.warn("provider", f"expected a mapping with name and domain but found {_kind(value)}; dropped")
        if not domain and web_url:
            domain = host_of(web_url)
            if domain:
                self.warn("provider.domain", f"no outlet domain; took {domain!r} from the web address")
        return name or domain, domain or None

    def images(self, value: object) -> list[tuple[str, int | None, int | None]]:
        images = []
        for index, item in enumerate(self.items("images", value)):
            if isinstance(item, str):
                item = {"url": item}
            if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                self.warn(f"images[{index}]", "image without a url; dropped")
                continue
            url = self.text(f"images[{index}].url", item["url"])
            if not url:
                self.warn(f"images[{index}]", "image with an empty url; dropped")
                continue
            width = self.size(f"images[{index}].width", item.get("width"))
            height = self.size(f"images[{index}].height", item.get("height"))
            images.append((url, width, height))
        return images

    def size(self, key: str, value: object) -> int | None:
        number = None if value is None else _as_number(value)
        if value is not None and (number is None or not 0 <= number < 1e6 or number != int(number)):
            self.warn(key, f"not a pixel size: {_short(value)}; set to NA")
            return None
        return None if number is None else int(number)

    def related(self, value: object) -> list[dict]:
        rows = []
        for index, item in enumerate(self.items("related", value)):
            key = f"related[{index}]"
            if not isinstance(item, dict):
                self.warn(key, f"expected a mapping but found {_kind(item)}; dropped")
                continue
            url = self.text(f"{key}.webUrl", item.get("webUrl") or item.get("originalUrl"))
            provider = item.get("provider") if isinstance(item.get("provider"), dict) else {}
            domain = self.text(f"{key}.provider.domain", provider.get("domain"))
            rows.append(
                {
                    "title": self.text(f"{key}.title", item.get("title")),
                    "url": url,
                    "provider_name": self.text(f"{key}.provider.name", provider.get("name")),
                    "provider_domain": normalize_domain(domain) if domain else (host_of(url) if url else None),
                    "published_at": self.timestamp(f"{key}.publishedDateTime", item.get("publishedDateTime")),
                    "quality": self.score(f"{key}.quality", item.get("quality")),
                }
            )
        return rows


def validate_document(
    raw: RawDocument, options: LoadOptions = LoadOptions(), now: datetime | None = None
) -> tuple[Record | None, list[Problem]]:
    """The typed record of one parsed document (None when it has no title) and its problems."""
    check = _Checker(raw, options, now or datetime.now(timezone.utc))
    data = raw.data
    title_key = "title" if data.get("title") is not None else "name"
    title = check.text(title_key, data.get(title_key))
    if not title:
        line = raw.line_of(title_key)
        what = f"no title (line {line}): the '{title_key}' field is empty" if line else "no title: the document has no 'title' (or 'name') field"
        check.problems.append(Problem(raw.path, ERROR, what, field="title", line=line))
        return None, check.all_problems()
    date_key = "publishedDateTime" if data.get("publishedDateTime") is not None else "startDateTime"
    web_url = check.text("webUrl", data.get("webUrl") or data.get("website"))
    name, domain = check.provider(data.get("provider"), web_url)
    record = Record(
        path=raw.path,
        title=title,
        category=check.text("category", data.get("category")),
        type=check.text("type", data.get("type")),
        excerpt=check.text("excerpt", data.get("excerpt")),
        published_at=check.timestamp(date_key, data.get(date_key)),
        web_url=web_url,
        original_url=check.text("originalUrl", data.get("originalUrl")),
        provider_name=name,
        provider_domain=domain,
        quality=check.score("quality", data.get("quality")),
        heat=check.score("heat", data.get("heat"), allow_no_heat=True),
        published=check.flag("published", data.get("published")),
        topics=check.topics(data.get("topics")),
        images=check.images(data.get("images")),
        related=check.related(data.get("related")),
    )
    if record.published_at is None and data.get(date_key) is None:
        check.warn("publishedDateTime", "no publication date; the article is left out of time charts")
    return record, check.all_problems()


def _needs_no_repair(text: str) -> bool:
    """Whether `_Checker.text` would leave this stripped text as it is, proved more cheaply than
    by trying its repairs: printable text holds no control characters or surrogates, and only
    text with a mojibake hint is given to ftfy (ASCII text never has one)."""
    return text.isprintable() and (text.isascii() or not _MOJIBAKE_HINT.search(text))


def _clean_text(value: str) -> str:
    text = value.strip()
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, config=_FTFY_CONFIG)
    return text


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            return math.inf
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


@functools.lru_cache(maxsize=16)  # a load passes one `now` and one tolerance throughout
def _future_limit(now: datetime, tolerance_days: int) -> pd.Timestamp:
    """The latest date that is not "in the future", as a Timestamp.

    Made once per load rather than once per date, and a Timestamp rather than a datetime
    because comparing a Timestamp with a Timestamp is several times cheaper.
    """
    limit = now + timedelta(days=tolerance_days)
    # A naive `now` is the caller's mistake: comparing with it fails with the error it always gave.
    return pd.Timestamp(limit) if limit.tzinfo is not None else limit


def _as_timestamp(value: object) -> pd.Timestamp | None:
    """The UTC Timestamp (microsecond unit) of a date, text or number; None when it is no date."""
    if isinstance(value, str) and _ISO_UTC_SECONDS.fullmatch(value):
        stamp = _utc_seconds_timestamp(value)
        if stamp is not None:
            return stamp
    return _parsed_timestamp(value)


def _utc_seconds_timestamp(text: str) -> pd.Timestamp | None:
    """The UTC Timestamp of `YYYY-MM-DDTHH:MM:SSZ` text, None when that is no real moment.

    The same Timestamp as `_parsed_timestamp` gives (microsecond unit, UTC), about three times
    faster: the standard library reads this one form without pandas' general parser. Text it
    refuses (February 30th, second 60, year 0) is left to pandas, whose answer stands.
    """
    try:
        return pd.Timestamp(datetime.fromisoformat(text))
    except ValueError:
        return None


def _parsed_timestamp(value: object) -> pd.Timestamp | None:
    """The UTC Timestamp (microsecond unit) pandas reads from a date, text or number; None if none."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            if not math.isfinite(value):
                return None
            unit = "ms" if abs(value) > 1e11 else "s"
            stamp = pd.Timestamp(value, unit=unit, tz="UTC")
        elif isinstance(value, str):
            if value.strip().lower() in _RELATIVE_WORDS or len(value) > _MAX_DATE_CHARS:
                return None
            stamp = pd.Timestamp(value.strip())
        elif isinstance(value, (datetime, date)):
            stamp = pd.Timestamp(value)
        else:
            return None
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return None
    if pd.isna(stamp):
        return None
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.as_unit("us")


def _kind(value: object) -> str:
    names = {dict: "mapping", list: "list", str: "text", bool: "true/false", int: "number", float: "number"}
    return names.get(type(value), type(value).__name__)


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
