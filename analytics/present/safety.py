"""Safety helpers for text that leaves the program: cells a spreadsheet could run as formulas."""

from __future__ import annotations

import unicodedata

# OWASP CSV injection: a cell starting with one of these may be read as a formula (or, after a
# tab or line break, as a formula on the next cell or line) by Excel, LibreOffice or Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralize_csv_cell(value: object) -> object:
    """The value with a leading `'` when it is text a spreadsheet could read as a formula; else unchanged.

    Only text is touched: numbers (including negative ones) stay numbers. The writer must also
    quote every text cell, so a `,` or `"` inside cannot start a new cell. The first character
    is compared in its NFKC form, so a full-width `＝1+1` is quoted too: no spreadsheet is known
    to run it as it stands, but any step that normalises text (an import tool, a "half-width"
    conversion) turns it into `=1+1`, and a quote costs a reader nothing.
    """
    if isinstance(value, str) and value and unicodedata.normalize("NFKC", value[0]).startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
