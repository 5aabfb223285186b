"""File names as text a person can read: every name the system allows, shown on one line."""

from __future__ import annotations

import os
import re

# Control characters (a newline in a name could fake a line of output), and the invisible
# marks that reorder or break text (a right-to-left override can make `gpj.md` read `dm.jpg`).
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_LONGEST = 500


def is_utf8(name: str) -> bool:
    """Whether a name as the system gave it is valid UTF-8 (else it holds surrogate escapes)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(name: str, limit: int = _LONGEST) -> str:
    """The name as one line of text: bytes that are not UTF-8 and control characters as `\\xNN`/`\\uNNNN`."""
    if not is_utf8(name):
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    if not name.isprintable():
        name = _UNSHOWN.sub(_escape, name)
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
