import pytest

from analytics.present.safety import neutralize_csv_cell


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.test","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "\t=1+1", "\r=1+1", "\n=1+1"],
)
def test_formula_like_text_gets_a_leading_quote(cell):
    assert neutralize_csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", ["Plain title", "", "1+1", "a=b", " =not at the start", "'already quoted", 3, -2.5, None])
def test_other_values_are_unchanged(value):
    assert neutralize_csv_cell(value) == value


def test_document_text_shown_in_markdown_has_its_markup_escaped():
    from analytics.present.safety import markdown_text

    assert markdown_text("![x](https://evil.test/a.png) *AI*") == "\\!\\[x\\]\\(https\\://evil\\.test/a\\.png\\) \\*AI\\*"
    assert markdown_text("week of 5 Oct 2026 · AI") == "week of 5 Oct 2026 · AI"
