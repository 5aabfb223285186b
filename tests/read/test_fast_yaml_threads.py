"""Front matter read on short-lived threads, as the dashboard's script runs read it, never crashes the process.

yaml_rs's own allocator crashes the process when a thread uses it after the thread that loaded it
has ended; Streamlit starts a new thread for every script run. Each program runs in its own
interpreter, since what matters is which thread loads the modules first.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from conftest import article, document_text

FRONT = "title: A title\\nprovider:\\n  name: Outlet\\n  domain: outlet.test\\ntopics:\\n- Politics\\nquality: 0.5\\n"


def run(program: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-X", "faulthandler", "-c", textwrap.dedent(program)], capture_output=True, text=True, timeout=120, check=False)


def on_threads(load: str) -> str:
    """A program that loads the library as `load` says, then reads front matter on ten threads, one after the other."""
    return f"""
        import importlib, threading
        {load}
        from analytics.read.safe_yaml import load_yaml
        for _ in range(10):
            thread = threading.Thread(target=load_yaml, args=("{FRONT}",))
            thread.start()
            thread.join()
        from analytics.read import fast_yaml
        print(fast_yaml.yaml_rs is not None)
    """


def test_yaml_rs_loaded_by_a_thread_that_ended_crashes_the_process():
    """What the reader guards against, shown with yaml_rs alone: if this passes one day, the guard can go.

    Whether a run crashes depends on what the freed memory holds by then: one run of the whole
    suite did not, so the program gets three tries.
    """
    program = """
        import importlib, os, threading, time
        loaded = {}
        first = threading.Thread(target=lambda: loaded.update(yaml_rs=importlib.import_module("yaml_rs"), tid=threading.get_native_id()))
        first.start()
        first.join()
        while os.path.exists(f"/proc/self/task/{loaded['tid']}"):  # ended for the system too: `join` returns before
            time.sleep(0.01)                                      # the thread's own clean-up has run
        second = threading.Thread(target=lambda: loaded["yaml_rs"].loads("a: 1\\n"))
        second.start()
        second.join()
    """
    outcomes = []
    for _ in range(3):
        outcomes.append(run(program))
        if outcomes[-1].returncode == -11:
            break
    assert outcomes[-1].returncode == -11, [(done.returncode, done.stderr[-300:]) for done in outcomes]


@pytest.mark.parametrize(
    ("load", "fast"),
    [
        ("", True),  # a command line: the main thread loads everything, and yaml_rs reads
        ("t = threading.Thread(target=importlib.import_module, args=('analytics.read.safe_yaml',)); t.start(); t.join()", False),
    ],
    ids=["loaded-on-the-main-thread", "loaded-on-a-thread-that-ended"],
)
def test_front_matter_read_on_short_lived_threads(load, fast):
    result = run(on_threads(load))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(fast)]


def test_the_dashboard_loads_a_second_folder_on_a_new_thread(tmp_path):
    """The dashboard's path: modules loaded by one script run's thread, folders loaded by later ones."""
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, numbers in ((first, range(1, 4)), (second, range(4, 9))):
        folder.mkdir()
        for n in numbers:
            (folder / f"doc{n}.md").write_text(document_text(article(n)))
    result = run(f"""
        import importlib, threading
        def script_run(body):
            thread = threading.Thread(target=body)
            thread.start()
            thread.join()
        script_run(lambda: importlib.import_module("analytics.frames.workspace"))
        from analytics.frames.workspace import open_workspace
        loaded = []
        script_run(lambda: loaded.append(open_workspace({str(first)!r}, cache=False)))
        script_run(lambda: loaded.append(open_workspace({str(second)!r}, cache=False)))
        print([len(workspace.corpus.articles) for workspace in loaded])
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[3,", "5]"]
