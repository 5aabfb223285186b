import io

from analytics.progress import ProgressLine


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_whole_lines_and_always_the_last_one():
    out = io.StringIO()
    line = ProgressLine(out)
    line(500, 1000)  # too soon after the start for a log
    line(1000, 1000)
    assert out.getvalue().startswith("read 1,000 of 1,000 files in ") and out.getvalue().count("\n") == 1


def test_a_terminal_line_is_redrawn_in_place():
    out = Terminal()
    line = ProgressLine(out)
    line.interval = 0
    line(1, 3)
    line(3, 3)
    text = out.getvalue()
    assert text.startswith("\rread 1 of 3 files") and "\x1b[K\rread 3 of 3 files" in text and text.endswith(")\n")
