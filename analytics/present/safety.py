"""Safety helpers for text that leaves the program: cells a spreadsheet could run as formulas."""

from __future__ import annotations

# OWASP CSV injection: a cell starting with one of these may be read as a formula (or, after a
# tab or line break, as a formula on the next cell or line) by Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize_csv_cell(value: object) -> object:
    """The value with a leading `'` when it is text a spreadsheet could read as a formula; else unchanged.

    Only text is touched: numbers (including negative ones) stay numbers. The writer must also
    quote every text cell, so a `,` or `"` inside cannot start a new cell.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# Characters Markdown (as Streamlit renders it) may read as markup: links, images, emphasis, HTML.
_MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~$:")


def markdown_text(text: str) -> str:
    """Text from the documents made safe to show inside Markdown: every markup character escaped."""
    return "".join("\\" + char if char in _MARKDOWN_SPECIALS else char for char in text)
