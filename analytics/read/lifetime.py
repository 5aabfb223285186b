"""Helper processes end with the process that started them, however it ends."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """Ask the kernel to kill this (child) process when its parent dies, even by SIGKILL.

    Without it a parse worker outlives a killed load by minutes, holding memory and the
    caller's pipes open (a caller waiting for output to end would hang). Linux only; a no-op
    elsewhere, where the pool's own pipe to each worker is the only tie.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request was made: nobody would ever ask again
        os._exit(1)


def worker_start() -> None:
    """What each parse worker does first: die with its parent, and leave Ctrl-C to it."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the pool; no traceback per worker


@contextlib.contextmanager
def interrupts_held() -> Iterator[Callable[[], None]]:
    """Hold Ctrl-C while a pool of helper processes works; the function given raises it where that is safe.

    A KeyboardInterrupt raised anywhere inside a process pool's code can leave it half made or
    locked: landing while the pool forked its workers, it left the pool's thread unstarted
    (shutting it down raised "cannot join thread before it is started": exit 1) or was raised in a
    child instead (the load went on: exit 0); landing inside `as_completed`, it left a future's
    lock taken, and the pool's thread waited for it for ever. The first two were seen in about one
    Ctrl-C in six sent as the workers started, the last in about one in eighty. While held, Ctrl-C
    only marks itself (a handler of its own, in the main thread); call the function given between
    two results, where nothing is half done, to raise it there. One pressed after the last call is
    raised on leaving. Where Ctrl-C is not Python's usual KeyboardInterrupt (ignored, another
    handler, or not the main thread), nothing changes and the function does nothing.
    """
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield lambda: None
        return
    pressed: list[int] = []

    def raise_if_pressed() -> None:
        if pressed:
            pressed.clear()
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield raise_if_pressed
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    raise_if_pressed()
