import os

import pytest

from analytics.read.names import is_utf8, shown_name


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("plain.md", "plain.md"),
        ("Café – ok.md", "Café – ok.md"),
        (os.fsdecode(b"bad\xff\xfe.md"), "bad\\xff\\xfe.md"),
        ("two\nlines.md", "two\\x0alines.md"),
        ("tab\tand\rreturn\x1b[31m.md", "tab\\x09and\\x0dreturn\\x1b[31m.md"),
        ("evil\u202egpj.md", "evil\\u202egpj.md"),
        ("x" * 600, "x" * 499 + "…"),
    ],
)
def test_every_name_is_shown_on_one_readable_line(name, shown):
    assert shown_name(name) == shown
    assert shown_name(name).isprintable()


def test_names_that_are_not_utf8_are_told_apart():
    assert is_utf8("Café.md") and is_utf8("a.md")
    assert not is_utf8(os.fsdecode(b"bad\xff.md"))
