import math
from datetime import datetime, timezone

import pandas as pd
import pytest
from conftest import article, document_text
from hypothesis import given
from hypothesis import strategies as st

from analytics.read import validate as validate_module
from analytics.read.ingest import RawDocument
from analytics.read.validate import (
    _as_timestamp,
    _parsed_timestamp,
    _utc_seconds_timestamp,
    validate_document,
)
from analytics.schema import ERROR, WARNING

NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


def validate(fields: dict):
    text = document_text(fields)
    front = text.split("---\n")[1]
    import yaml

    from analytics.read.safe_yaml import DocumentLoader

    raw = RawDocument("doc.md", yaml.load(front, Loader=DocumentLoader), front)
    return validate_document(raw, now=NOW)


def warnings_for(problems, field):
    return [p for p in problems if p.field == field and p.severity == WARNING]


def test_a_clean_article_has_no_problems():
    record, problems = validate(article(3))
    assert problems == []
    assert record.title == "Story number 3"
    assert record.published_at == pd.Timestamp("2026-03-03T10:00:00Z")
    assert (record.quality, record.heat, record.published) == (43.0, 23.0, True)
    assert record.provider_domain == "example-news.test"
    assert record.topics == ["AI", "Policy"]
    assert record.images == [("https://img.example-news.test/3.jpg", 800, 450)]


def test_missing_scores_stay_na_without_warnings():
    record, problems = validate(article(1, quality=None, heat=None, published=None))
    assert (record.quality, record.heat, record.published) == (None, None, None)
    assert problems == []


def test_heat_minus_one_means_no_heat_yet():
    record, problems = validate(article(1, heat=-1, published=False))
    assert record.heat is None and record.published is False
    assert problems == []


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("quality", "high", None),
        ("quality", "42", 42.0),
        ("quality", 1e308, 1e308),
        ("quality", float("inf"), None),
        ("quality", float("nan"), None),
        ("quality", -5, None),
        ("quality", [1, 2], None),
        ("quality", True, None),
        ("heat", -7, None),
        ("heat", "1,250", 1250.0),
    ],
)
def test_scores_are_coerced_with_a_warning(field, value, expected):
    record, problems = validate(article(1, **{field: value}))
    got = getattr(record, field)
    if expected is not None and expected > 1e6:
        assert got is None  # far outside any sensible score
    else:
        assert got == expected or (got is None and expected is None)
    assert len(warnings_for(problems, field)) == 1
    assert problems[0].line is not None


@pytest.mark.parametrize(
    ("value", "expected", "warned"),
    [
        ("2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z", False),
        ("2026-03-01T10:00:00-05:00", "2026-03-01T15:00:00Z", False),
        ("2026-03-01", "2026-03-01T00:00:00Z", False),
        ("2026-02-30T10:00:00Z", None, True),
        ("sometime last week", None, True),
        ("now", None, True),
        (1772359200, "2026-03-01T10:00:00Z", True),
        (1772359200000, "2026-03-01T10:00:00Z", True),
        ("1985-01-01T00:00:00Z", "1985-01-01T00:00:00Z", True),
        ("2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z", True),
        ("99999-01-01", None, True),
        ("0000-01-01T00:00:00Z", None, True),  # a date no calendar day can show: NA, not a crash
        ("-2026-03-01T10:00:00Z", None, True),
    ],
)
def test_dates(value, expected, warned):
    record, problems = validate(article(1, publishedDateTime=value))
    assert record.published_at == (pd.Timestamp(expected) if expected else None)
    assert bool(warnings_for(problems, "publishedDateTime")) is warned


def test_flags():
    assert validate(article(1, published="no"))[0].published is False
    record, problems = validate(article(1, published="perhaps"))
    assert record.published is None and warnings_for(problems, "published")


def test_topics_as_a_single_string_become_a_list():
    record, problems = validate(article(1, topics="AI"))
    assert record.topics == ["AI"] and warnings_for(problems, "topics")


def test_duplicate_and_empty_topics_are_dropped():
    record, _ = validate(article(1, topics=["AI", "AI", " ", "Policy"]))
    assert record.topics == ["AI", "Policy"]


def test_provider_as_a_string_is_used_as_the_name_and_domain_comes_from_the_url():
    record, problems = validate(article(1, provider="Example News"))
    assert (record.provider_name, record.provider_domain) == ("Example News", "example-news.test")
    assert warnings_for(problems, "provider") and warnings_for(problems, "provider.domain")


def test_domains_are_normalised():
    record, _ = validate(article(1, provider={"name": "X", "domain": "WWW.Example-News.test"}))
    assert record.provider_domain == "example-news.test"


def test_mojibake_is_repaired_with_a_warning():
    record, problems = validate(article(1, title="AI systemsâ€™ mistakes"))
    assert record.title == "AI systems\u2019 mistakes"
    assert "mojibake" in warnings_for(problems, "title")[0].message


def test_clean_accents_are_left_alone():
    record, problems = validate(article(1, title="Café société Zürich"))
    assert record.title == "Café société Zürich" and problems == []


def test_non_text_title_is_converted():
    record, problems = validate(article(1, title=2024))
    assert record.title == "2024" and warnings_for(problems, "title")


def test_no_title_is_an_error():
    record, problems = validate(article(1, title=None))
    assert record is None
    assert problems[-1].severity == ERROR and "no title" in problems[-1].message


def test_events_use_name_and_start_date():
    fields = {
        "name": "Summit",
        "type": "conference",
        "startDateTime": "2026-05-12T09:00:00-04:00",
        "website": "https://summit.test/",
        "provider": {"name": "Summit", "domain": "summit.test"},
    }
    record, problems = validate(fields)
    assert record.title == "Summit" and record.type == "conference"
    assert record.published_at == pd.Timestamp("2026-05-12T13:00:00Z")
    assert record.web_url == "https://summit.test/"
    assert problems == []


def test_related_items_are_typed():
    related = [
        {"title": "Other", "webUrl": "https://other.test/a", "publishedDateTime": "2026-03-01T00:00:00Z",
         "provider": {"name": "Other", "domain": "www.other.test"}, "quality": "31"},
        "not a mapping",
    ]
    record, problems = validate(article(1, related=related))
    assert record.related == [
        {"title": "Other", "url": "https://other.test/a", "provider_name": "Other", "provider_domain": "other.test",
         "published_at": pd.Timestamp("2026-03-01T00:00:00Z"), "quality": 31.0}
    ]
    assert {p.field for p in problems} == {"related[0].quality", "related[1]"}


def test_long_text_is_cut():
    record, problems = validate(article(1, excerpt="x" * 50_000))
    assert len(record.excerpt) == 20_000 and warnings_for(problems, "excerpt")


def test_nan_never_reaches_a_record():
    record, _ = validate(article(1, quality=float("nan"), heat=float("-inf")))
    assert record.quality is None and record.heat is None
    assert not any(isinstance(v, float) and math.isnan(v) for v in vars(record).values())


def same_stamp(fast, general):
    """Equal Timestamps down to the unit and the time zone object (or both None)."""
    if fast is None or general is None:
        return fast is None and general is None
    return (fast.asm8, fast.unit, fast.tzinfo) == (general.asm8, general.unit, general.tzinfo)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01T10:00:00Z", "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z", "1677-09-21T00:12:43Z", "2262-04-11T23:47:17Z", "2300-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        # impossible moments: the standard library refuses them and pandas has the last word
        "2026-02-29T10:00:00Z", "2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-10T00:00:00Z",
        "2026-03-00T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T10:60:00Z", "2026-03-01T23:59:60Z",
        "0000-01-01T00:00:00Z",
        # other forms never take the fast path
        "2026-03-01T10:00:00+00:00", "2026-03-01T10:00:00-05:00", "2026-03-01T10:00:00+0530",
        "2026-03-01T10:00:00.5Z", "2026-03-01T10:00:00.123456Z", "2026-03-01T10:00:00.123456789Z",
        "2026-03-01T10:00Z", "2026-03-01", "2026-03-01 10:00:00Z", "2026-03-01t10:00:00z", "2026-03-01T10:00:00",
        " 2026-03-01T10:00:00Z", "2026-03-01T10:00:00Z\n", "2026-03-01T10:00:00ZZ", "２０２６-03-01T10:00:00Z",
        "+2026-03-01T10:00:00Z", "20260301T100000Z", "99999-01-01T00:00:00Z",
    ],
)
def test_the_fast_path_for_iso_dates_gives_what_pandas_gives(text):
    general = _parsed_timestamp(text)
    assert same_stamp(_as_timestamp(text), general)
    fast = _utc_seconds_timestamp(text) if validate_module._ISO_UTC_SECONDS.fullmatch(text) else None
    assert fast is None or same_stamp(fast, general)


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)))
def test_the_fast_path_agrees_with_pandas_on_any_moment(moment):
    text = moment.isoformat(timespec="seconds") + "Z"
    fast = _utc_seconds_timestamp(text)
    assert fast is not None and same_stamp(fast, _parsed_timestamp(text))


@given(st.from_regex(validate_module._ISO_UTC_SECONDS, fullmatch=True))
def test_the_fast_path_agrees_with_pandas_on_any_digits(text):
    fast = _utc_seconds_timestamp(text)
    assert fast is None or same_stamp(fast, _parsed_timestamp(text))


def test_the_future_is_judged_against_the_given_now():
    record, problems = validate(article(1, publishedDateTime="2026-11-03T00:00:00Z"))
    assert not warnings_for(problems, "publishedDateTime")
    record, problems = validate(article(1, publishedDateTime="2026-11-03T00:00:01Z"))
    assert "in the future" in warnings_for(problems, "publishedDateTime")[0].message


@pytest.mark.parametrize(
    ("written", "needs_no_repair", "read", "warned"),
    [
        ("Plain title", True, "Plain title", False),
        ("Café société", True, "Café société", False),
        ("emoji 🙂", True, "emoji 🙂", False),
        ("Â", True, "Â", False),  # a hint of mojibake needs a second character
        ("\x85next line", True, "next line", False),  # NEL is white space, stripped first
        ("AI systemsâ€™ mistakes", False, "AI systems\u2019 mistakes", True),
        ("Ã©", False, "é", True),
        ("Ð\u0090", False, "\u0410", True),
        ("bell\x07", False, "bell", True),
        ("del\x7f", False, "del", True),
        ("C1 \x9f", False, "C1", True),
        # not printable, yet nothing to repair: the full checks run and keep them
        ("tab\there", False, "tab\there", False),
        ("line\nbreak", False, "line\nbreak", False),
        ("nbsp\u00a0inside", False, "nbsp\u00a0inside", False),
        ("zero\u200bwidth", False, "zero\u200bwidth", False),
    ],
)
def test_text_is_repaired_only_where_needed(written, needs_no_repair, read, warned):
    assert validate_module._needs_no_repair(written.strip()) is needs_no_repair
    record, problems = validate(article(1, excerpt=written))
    assert record.excerpt == read and bool(warnings_for(problems, "excerpt")) is warned


@given(st.text(st.characters(blacklist_categories=()) | st.sampled_from("ÃÂâÐÑ€™\x85\xa0\x9f")))
def test_the_no_repair_check_only_passes_text_the_repairs_would_leave_alone(text):
    text = text.strip()
    if validate_module._needs_no_repair(text):
        assert validate_module._clean_text(text) == text
        assert not validate_module._UNPRINTABLE.search(text)
