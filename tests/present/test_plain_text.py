import re
import string

import pytest

from analytics.present.plain_text import plain

HOSTILE = [
    "[Your session expired: sign in again](https://evil.example/login) ![t](https://evil.example/pixel.png)",
    "<https://evil.example> and https://evil.example/x and www.evil.example",
    "<img src=x onerror=alert(1)> **bold** _em_ `code` $x^2$ :red[alarm]",
    "# heading\n> quote\n- item\n1. one",
    "back\\slash \\[not a link\\](https://evil.example)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_markdown_character_is_escaped_on_one_line(text):
    shown = plain(text)
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", shown)  # what is left once each escaped pair is taken out
    assert not set(bare) & set(string.punctuation), bare
    assert "\n" not in shown
    assert re.sub(r"\\(.)", r"\1", shown).replace("\u2060", "") == text.replace("\n", " ")  # Markdown shows exactly the text
    assert not re.search(r"://|www\.|@\w", re.sub(r"\\(.)", r"\1", shown))  # no bare address to link


def test_plain_text_keeps_its_characters():
    assert plain("Outlet & Co. (UK)") == "Outlet \\& Co\\. \\(UK\\)"
    assert plain("two\nlines") == "two lines"
