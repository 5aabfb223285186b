"""A folder's workspace kept current for a long-running program: loaded once, re-checked in the background.

The dashboard holds one of these per folder for every session: a rerun gets the loaded
workspace at once, and the folder's fingerprint (`analytics.frames.fingerprint`, the same
digest a load records as `Corpus.version`) is taken again on another thread at most every
`every` seconds, so no rerun waits for a `stat` of every file. A check that is due waits for a
quiet moment (no caller for `quiet` seconds: the page is drawn and read), at most `every`
seconds, so its seconds of CPU at a million files do not land beside a page being drawn on the
same cores. Five seconds is longer than a browser takes from opening the page to its first run
(1.5–2 s measured here): a shorter wait started checks in just that gap, beside a new visitor's
first page. When the fingerprint differs,
the next call loads again (the parse cache re-parses only what changed). A folder loaded before
(by any program) opens from the parse cache's last load at once, without a `stat` of every
file, and the next call checks it against the files in the same way.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from analytics.frames.corpus import ProgressCallback
from analytics.frames.fingerprint import fingerprint
from analytics.frames.workspace import Workspace, last_workspace, open_workspace

# A check may take seconds on a large folder (one `stat` per file): wait this many times as
# long as the last one took before the next, so checking never keeps a core busy.
_IDLE_FACTOR = 10


class LiveWorkspace:
    """One folder's workspace, shared by every caller; loaded again after a check finds a change."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        every: float = 30.0,
        quiet: float = 5.0,
        opener: Callable[..., Workspace] = open_workspace,
        check: Callable[[str], str] = fingerprint,
        last: Callable[[str], Workspace | None] = last_workspace,
    ) -> None:
        self.path = os.fspath(path)
        self.every, self.quiet = every, quiet
        self._open, self._check, self._last = opener, check, last
        self._lock = threading.Lock()
        self._workspace: Workspace | None = None
        self._stale = False
        self._next_check = 0.0
        self._last_call = time.monotonic()
        self._checking: threading.Thread | None = None

    def current(self, progress: ProgressCallback | None = None) -> Workspace:
        """The workspace as last loaded: loaded now if it never was or a check found the folder changed."""
        with self._lock:
            self._last_call = time.monotonic()
            if self._workspace is None and (kept := self._last(self.path)) is not None:
                # The last load at once; the next call checks it against the files (a check beside
                # this first run would compete with it for the cores: seconds at a million files).
                self._workspace, self._next_check = kept, 0.0
                return kept
            if self._workspace is None or self._stale:
                self._workspace, self._stale = self._open(self.path, progress=progress), False
                self._next_check = time.monotonic() + self.every
            elif time.monotonic() >= self._next_check and not self.checking:
                self._next_check = float("inf")  # until this check is over
                self._checking = threading.Thread(target=self._check_now, args=(self._workspace,), name="folder-check", daemon=True)
                self._checking.start()
            return self._workspace

    @property
    def checking(self) -> bool:
        """Whether a check of the folder is running now (or waiting for a quiet moment to run)."""
        return self._checking is not None and self._checking.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running check to finish (tests and benchmarks)."""
        if self._checking is not None:
            self._checking.join(timeout)

    def _check_now(self, loaded: Workspace) -> None:
        self._wait_for_quiet()
        started = time.monotonic()
        try:
            changed = self._check(self.path) != loaded.corpus.version
        except OSError:  # the folder went away or cannot be read: loading again reports why
            changed = True
        took = time.monotonic() - started
        with self._lock:
            if self._workspace is loaded:
                self._stale = changed
            self._next_check = time.monotonic() + max(self.every, _IDLE_FACTOR * took)

    def _wait_for_quiet(self) -> None:
        """Return once no caller came for `quiet` seconds, or `every` seconds from now at the latest."""
        latest = time.monotonic() + self.every
        while (now := time.monotonic()) < latest:
            with self._lock:
                idle = now - self._last_call
            if idle >= self.quiet:
                return
            time.sleep(min(self.quiet - idle, latest - now, 1.0))  # a second at most: `quiet` and `every` may be infinite
