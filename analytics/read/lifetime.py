"""Helper processes end with the process that started them, however it ends."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

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
