"""Text from a link, a document or a notes file, made safe to show where Markdown is rendered."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be escaped in CommonMark, and escaping all of them
# disarms every construct at once: links and images (`[`, `](`), autolinks (`<`, `://`,
# `www.`), emphasis, code, HTML, math (`$`), and Streamlit's `:color[…]` directives.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def plain(text: object) -> str:
    """`text` as Markdown that renders as exactly these characters, on one line."""
    return _PUNCTUATION.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))
