import pytest

from analytics.report_format import plural


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
