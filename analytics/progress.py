"""Progress of a long load as one line on a terminal (or a few lines in a log), with files/s."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """A `progress(done, total)` callback that writes "read N of M files (R files/s)" to a stream.

    On a terminal the line is redrawn in place a few times a second; elsewhere (a log file,
    CI) a line is written every few seconds. The last call, `done == total`, always writes.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = 0.2 if self.interactive else 5.0
        self.started = time.perf_counter()
        self._drawn = self.started

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        final = done >= total
        if not final and now - self._drawn < self.interval:
            return
        self._drawn = now
        elapsed = now - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        text = f"read {done:,} of {total:,} files in {elapsed:.1f} s ({rate:,.0f} files/s)"
        if self.interactive:
            self.stream.write("\r" + text + ("\n" if final else "\x1b[K"))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
