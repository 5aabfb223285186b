"""The dashboard served on a free local port and Debian's Chromium, for the end-to-end browser tests and `benchmarks/ui.py`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(app: Path, env: dict[str, str], *, output: IO | int = subprocess.DEVNULL, wait: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app` on a free local port: its address and its process, stopped on leaving.

    The one way the browser tests and `benchmarks/ui.py` start a dashboard. Raises RuntimeError
    when the server does not answer within `wait` seconds.
    """
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port), "--server.headless", "true"]
    process = subprocess.Popen(command, cwd=app.parent, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the dashboard server did not start within {wait:.0f} s") from None
                time.sleep(0.5)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def running_dashboard(data: Path, **env: str) -> Iterator[str]:
    """The address of `dashboard.py` started on `data` (with extra environment), stopped on leaving.

    The server's output goes to a log with Python's fault handler on; a server that died before it
    was stopped fails the test that used it, with its exit status and the fault handler's report.
    """
    environment = dict(os.environ, NEWS_ANALYTICS_DATA=str(data), PYTHONFAULTHANDLER="1", **env)
    with tempfile.TemporaryFile("w+") as log:
        with serving(ROOT / "dashboard.py", environment, output=log) as (url, process):
            try:
                yield url
            finally:
                died = _death(process, log)
                if died:
                    print(died, file=sys.stderr)  # shown even when the test failed first
        if died:
            pytest.fail(died)


def _death(process: subprocess.Popen, log: IO) -> str | None:
    """What to say of a server that ended before it was stopped (None while it runs)."""
    status = process.poll()
    if status is None:
        return None
    log.seek(0)
    output = log.read()
    fault = output.find("Fatal Python error")  # the fault handler's report, with the thread that failed first
    return f"the dashboard server died with status {status}; its output:\n{output[fault:] if fault >= 0 else output[-6000:]}"
