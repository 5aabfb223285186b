import os

import numpy as np
import pytest

from analytics.store import file_stats
from analytics.store.file_stats import file_fingerprints


@pytest.fixture
def files(tmp_path):
    paths = []
    for n in range(40):
        path = tmp_path / f"{n}.md"
        path.write_text("x" * n)
        paths.append(str(path))
    (tmp_path / "folder.md").mkdir()
    os.symlink(tmp_path / "3.md", tmp_path / "link.md")
    return paths + [str(tmp_path / "missing.md"), str(tmp_path / "folder.md"), str(tmp_path / "link.md")]


def expected(paths):
    rows = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            rows.append((-1, -1, -1))
            continue
        rows.append((info.st_size, info.st_mtime_ns, info.st_ctime_ns) if os.path.isfile(path) else (-1, -1, -1))
    return np.array(rows, dtype=np.int64)


def test_one_row_per_path_with_minus_ones_for_what_is_no_readable_file(files):
    got = file_fingerprints(files)
    assert got.shape == (len(files), 3) and got.dtype == np.int64
    np.testing.assert_array_equal(got, expected(files))
    assert got[:, 0].tolist()[:40] == list(range(40))
    assert got[-3:-1].tolist() == [[-1, -1, -1], [-1, -1, -1]] and got[-1, 0] == 3  # a link counts as its target


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_split_between_forked_children_gives_the_same_rows(files, monkeypatch):
    monkeypatch.setattr(file_stats, "_parts", lambda count: 3)
    np.testing.assert_array_equal(file_fingerprints(files), expected(files))


def test_parts_a_child_could_not_take_are_taken_here(files, monkeypatch):
    monkeypatch.setattr(file_stats, "_parts", lambda count: 3)

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(file_stats.os, "fork", no_fork)
    np.testing.assert_array_equal(file_fingerprints(files), expected(files))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_child_that_sends_too_little_is_not_trusted(files):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write_end, b"12345")
        os._exit(0)
    os.close(write_end)
    np.testing.assert_array_equal(file_stats._finish((pid, read_end), files[:5]), expected(files[:5]))


def test_small_lists_and_threaded_processes_stat_in_one_process(monkeypatch):
    assert file_stats._parts(file_stats.SPLIT_FROM - 1) == 1
    monkeypatch.setattr(file_stats.threading, "active_count", lambda: 2)
    assert file_stats._parts(10 * file_stats.SPLIT_FROM) == 1


@pytest.mark.parametrize("parts", [1, 3])
def test_fingerprints_taken_later_are_the_same(files, monkeypatch, parts):
    monkeypatch.setattr(file_stats, "_parts", lambda count: parts)
    later = file_stats.fingerprints_later(files)
    np.testing.assert_array_equal(later(), expected(files))
