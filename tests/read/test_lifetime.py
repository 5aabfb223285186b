"""Parse workers end with the load that started them: killed, terminated or interrupted."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.generate import generate_corpus

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are tied to their parent on Linux only")

_LOAD = "import sys; from analytics import load_corpus; load_corpus(sys.argv[1], cache=False, workers=2)"


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    # Enough files that a load takes several seconds even on a quiet machine: the signal must
    # arrive while it runs, not as it ends.
    generate_corpus(folder, 15_000, seed=3)  # below the forked-stat threshold; full-size files: about 4 s to parse
    return folder


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_for_workers(process: subprocess.Popen, count: int = 2) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = children_of(process.pid)
        if len(workers) >= count:
            return workers
        assert process.poll() is None, "the load ended before its workers were seen"
        time.sleep(0.05)
    raise AssertionError("no workers started")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_die_with_a_killed_library_load(many, how):
    process = subprocess.Popen([sys.executable, "-c", _LOAD, str(many)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers = wait_for_workers(process)
    process.send_signal(how)
    process.communicate(timeout=30)  # the pipes close: no worker holds them open
    deadline = time.monotonic() + 10
    while any(map(running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(running, workers))


def _as_from_a_shell() -> None:
    """Ctrl-C reaches the command as it would from a terminal, whatever the test run started with.

    A command a non-interactive shell starts in the background (`sh -c 'make test &'`, as a CI
    runner may) starts with SIGINT ignored, Python keeps it ignored, and a child inherits that:
    without this, the command ignored Ctrl-C, finished its load and exited 0 in such runs.
    """
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_of_the_cli_ends_with_one_line_and_status_130(many):
    process = subprocess.Popen([sys.executable, "-m", "analytics", "load", str(many), "--no-cache", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               preexec_fn=_as_from_a_shell)
    workers = wait_for_workers(process)
    assert process.poll() is None, "the load ended before Ctrl-C could be sent"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err == "interrupted\n" and out == ""
    assert not any(map(running, workers))
