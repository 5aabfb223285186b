import json
import subprocess
import sys

import pytest

from analytics.cli import main

from conftest import REAL_CORPUS, article


def test_load_json_accounts_for_every_file(write, tmp_path, capsys):
    write("a.md", article(1))
    write("b.md", "---\ntitle: [\n---\n")
    write("c.txt", "ignored? no: a .txt without front matter is an error")
    write("d.csv", "x")
    assert main(["load", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {k: result[k] for k in ("files_seen", "loaded", "skipped", "duplicates", "ignored")} == {
        "files_seen": 4, "loaded": 1, "skipped": 2, "duplicates": 0, "ignored": 1,
    }
    bad = result["problems"][0]
    assert (bad["path"], bad["severity"], bad["field"], bad["line"]) == (str(tmp_path / "b.md"), "error", "", 3)
    assert bad["message"].startswith("invalid YAML at line 3")


def test_load_prints_a_human_summary(write, tmp_path, capsys):
    write("a.md", article(1, quality="high"))
    assert main(["load", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 files seen: 1 loaded, 0 skipped, 0 duplicates, 0 ignored")
    assert "quality (line" in out


def test_missing_path_exits_2_with_one_line(tmp_path, capsys):
    assert main(["load", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file or folder" in err


def test_generate_writes_documents(tmp_path, capsys):
    assert main(["generate", str(tmp_path), "--docs", "25", "--seed", "3", "--odd-files"]) == 0
    assert "wrote 35 files" in capsys.readouterr().out
    assert len(list(tmp_path.rglob("*.md"))) == 34


def test_module_entry_point(tmp_path):
    run = subprocess.run([sys.executable, "-m", "analytics", "load", str(tmp_path), "--json"], capture_output=True, text=True)
    assert run.returncode == 0 and json.loads(run.stdout)["files_seen"] == 0


@pytest.mark.skipif(not REAL_CORPUS.is_dir(), reason="the shared real corpus is not present beside the project")
def test_real_corpus_json_accounts_for_all_files(capsys):
    assert main(["load", str(REAL_CORPUS), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    files = [p for p in REAL_CORPUS.rglob("*") if p.is_file()]
    assert result["files_seen"] == len(files)
    assert result["files_seen"] == result["loaded"] + result["skipped"] + result["duplicates"] + result["ignored"]


def test_load_reports_progress_on_stderr_unless_quiet(write, tmp_path, capsys):
    write("a.md", article(1))
    assert main(["load", str(tmp_path), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("read 1 of 1 files in ") and err.endswith(" files/s)\n")
    assert main(["load", str(tmp_path), "--no-cache", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_no_cache_neither_reads_nor_writes_the_cache(write, tmp_path, monkeypatch, capsys):
    write("data/a.md", article(1))
    monkeypatch.setenv("NEWS_ANALYTICS_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["load", str(tmp_path / "data"), "--no-cache", "--quiet"]) == 0
    assert not (tmp_path / "cache").exists()
    assert main(["load", str(tmp_path / "data"), "--quiet"]) == 0
    assert len(list((tmp_path / "cache").glob("*.parquet"))) == 1
    assert main(["cache"]) == 0 and "1 cached corpora" in capsys.readouterr().out
    assert main(["cache", "--clear"]) == 0 and "removed 1 cache files" in capsys.readouterr().out
