import pandas as pd
import pytest

from analytics.present.report_format import date_text, plural


@pytest.mark.parametrize(
    ("count", "one", "many", "expected"),
    [
        (1, "article", None, "1 article"),
        (0, "article", None, "0 articles"),
        (1200, "article", None, "1,200 articles"),
        (1, "story", "stories", "1 story"),
        (3, "story", "stories", "3 stories"),
    ],
)
def test_plural(count, one, many, expected):
    assert plural(count, one, many) == expected


@pytest.mark.parametrize(
    ("when", "pattern", "expected"),
    [
        (pd.Timestamp("2026-03-02"), "%b %Y", "Mar 2026"),
        (pd.Timestamp("2026-03-02"), "%d %b %Y", "02 Mar 2026"),
        (pd.Timestamp("2026-03-02T08:00:00Z"), "%Y-%m-%d", "2026-03-02"),
        (pd.NaT, "%b %Y", "–"),
        (None, "%d %b %Y", "–"),
    ],
)
def test_date_text(when, pattern, expected):
    assert date_text(when, pattern) == expected
