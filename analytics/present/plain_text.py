"""Text from a link, a document or a notes file, made safe to show where Markdown is rendered."""

from __future__ import annotations

import re

# Every ASCII punctuation character may be escaped in CommonMark, and escaping all of them
# disarms every construct at once: links and images (`[`, `](`), autolinks (`<`, `://`,
# `www.`), emphasis, code, HTML, math (`$`), and Streamlit's `:color[…]` directives.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GitHub-style Markdown also links bare addresses (`https://…`, `www.…`, `name@host`) after
# escapes are undone, so a word joiner (invisible) goes where each of them would start.
_BARE_LINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
_JOINER = "\u2060"


def plain(text: object) -> str:
    """`text` as Markdown that renders as exactly these characters, on one line."""
    return _PUNCTUATION.sub(r"\\\1", _BARE_LINK.sub(_JOINER, _LINE_BREAKS.sub(" ", str(text))))
