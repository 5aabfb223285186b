"""The dashboard served on a free local port and Debian's Chromium, for the end-to-end browser tests."""

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
def running_dashboard(data: Path, **env: str) -> Iterator[str]:
    """The address of `dashboard.py` started on `data` (with extra environment), stopped on leaving.

    The server's output goes to a log with Python's fault handler on; a server that died before it
    was stopped fails the test that used it, with its exit status and the end of that log.
    """
    port = _free_port()
    environment = dict(os.environ, NEWS_ANALYTICS_DATA=str(data), PYTHONFAULTHANDLER="1", **env)
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port), "--server.headless", "true"]
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                pytest.fail("the dashboard server did not start within 60 s")
            yield url
        finally:
            status = process.poll()
            if status is None:
                process.terminate()
                process.wait(timeout=20)
            else:
                log.seek(0)
                output = log.read()
                fault = output.find("Fatal Python error")  # the fault handler's report, with the thread that failed first
                died = f"the dashboard server died with status {status}; its output:\n{output[fault:] if fault >= 0 else output[-6000:]}"
                print(died, file=sys.stderr)  # shown even when the test failed first
        if status is not None:
            pytest.fail(died)
