import threading
import time

from conftest import article, write_old

from analytics.frames.live import LiveWorkspace
from analytics.frames.workspace import open_workspace


def counting_opener(calls: list):
    def opener(path, progress=None):
        calls.append(path)
        return open_workspace(path, progress=progress)

    return opener


def test_one_load_shared_by_every_caller_until_the_folder_changes(write, tmp_path):
    write("a.md", article(1))
    calls = []
    live = LiveWorkspace(tmp_path, every=3600, quiet=0, opener=counting_opener(calls))
    first = live.current()
    assert live.current() is first and not live.checking and len(calls) == 1
    write("b.md", article(2))
    assert live.current() is first  # not checked again before `every` seconds
    live.every = 0
    live._next_check = 0.0
    assert live.current() is first  # the check runs on another thread; this call does not wait for it
    live.wait(30)
    second = live.current()
    assert second is not first and second.corpus.loaded == 2 and len(calls) == 2


def test_a_check_that_finds_nothing_changed_keeps_the_workspace(write, tmp_path):
    write("a.md", article(1))
    calls = []
    live = LiveWorkspace(tmp_path, every=0, quiet=0, opener=counting_opener(calls))
    first = live.current()
    live.current()  # starts a check
    live.wait(30)
    assert live.current() is first and len(calls) == 1


def test_callers_at_the_same_moment_share_one_load(write, tmp_path):
    write("a.md", article(1))
    calls, got = [], []
    live = LiveWorkspace(tmp_path, opener=counting_opener(calls))
    threads = [threading.Thread(target=lambda: got.append(live.current())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(calls) == 1 and len(got) == 4 and all(ws is got[0] for ws in got)


def test_a_folder_loaded_before_opens_from_its_last_load_and_the_next_call_checks_it(tmp_path):
    write_old(tmp_path, "a.md", article(1))
    open_workspace(tmp_path)  # another program (or an earlier server) loaded it
    calls = []
    live = LiveWorkspace(tmp_path, every=3600, quiet=0, opener=counting_opener(calls))
    first = live.current()
    assert first.corpus.loaded == 1 and calls == [] and not live.checking  # no load, no `stat` of every file before the first page
    assert live.current() is first  # the next call starts the check
    live.wait(30)
    assert live.current() is first and calls == []  # the check found nothing changed
    write_old(tmp_path, "b.md", article(2))
    later = LiveWorkspace(tmp_path, every=3600, quiet=0, opener=counting_opener(calls))
    assert later.current().corpus.loaded == 1 == later.current().corpus.loaded  # the last load, shown while the check runs
    later.wait(30)
    assert later.current().corpus.loaded == 2 and len(calls) == 1


def test_a_due_check_waits_until_no_caller_came_for_a_quiet_moment(write, tmp_path):
    write("a.md", article(1))
    checked = []
    live = LiveWorkspace(tmp_path, every=60, quiet=1.0, check=lambda path: checked.append(time.monotonic()) or "same")
    live.current()
    live._next_check = 0.0  # a check is due
    busy_until = time.monotonic() + 2.0
    while time.monotonic() < busy_until:  # a page run every 0.05 s: never quiet for a second
        live.current()
        time.sleep(0.05)
    assert checked == [] and live.checking  # due since the first of these calls, still waiting
    live.wait(30)
    assert len(checked) == 1 and checked[0] - busy_until >= 0.8  # once the calls stopped for about `quiet` seconds


def test_a_check_with_no_time_limits_still_runs_once_things_are_quiet(write, tmp_path):
    write("a.md", article(1))
    checked = []
    live = LiveWorkspace(tmp_path, every=float("inf"), quiet=0.2, check=lambda path: checked.append(path) or "same")
    live.current()
    live._next_check = 0.0
    live.current()
    live.wait(30)
    assert checked == [str(tmp_path)] and not live.checking


def test_a_check_waits_for_quiet_no_longer_than_every(write, tmp_path):
    write("a.md", article(1))
    checked = []
    live = LiveWorkspace(tmp_path, every=0.6, quiet=60, check=lambda path: checked.append(time.monotonic()) or "same")
    live.current()
    live._next_check = 0.0
    started = time.monotonic()
    live.current()
    live.wait(30)
    assert len(checked) == 1 and 0.5 <= checked[0] - started < 5
