import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REAL_CORPUS, article, document_text

from analytics.cli import main


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
    assert "wrote 36 files" in capsys.readouterr().out
    assert len(list(tmp_path.rglob("*.md"))) == 34
    assert (tmp_path / "annotations.csv").exists()


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


# --- export and report ---------------------------------------------------------------------


def _two_outlets(write):
    write("a.md", article(1, title="=HYPERLINK(\"http://evil.test\")"))
    write("b.md", article(2))
    write("c.md", article(3, provider={"name": "Other Outlet", "domain": "www.other.test"}, topics=["Chips"]))


def test_export_writes_safe_csv_to_stdout(write, tmp_path, capsysbinary):
    _two_outlets(write)
    assert main(["export", str(tmp_path), "--table", "articles"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbf\"doc_id\"")
    assert b"\"'=HYPERLINK(\"\"http://evil.test\"\")\"" in out


def test_export_to_a_folder_names_the_file_and_writes_the_sidecar(write, tmp_path, capsys):
    _two_outlets(write)
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(tmp_path), "--table", "volume", "--since", "2026-03-02", "--granularity", "day", "-o", str(out)]) == 0
    csv_path = out / "volume_2026-03-02_2026-03-03.csv"
    sidecar = json.loads(csv_path.with_suffix(".provenance.json").read_text(encoding="utf-8"))
    assert (sidecar["rows"], sidecar["complete"], sidecar["filters"]) == (2, True, ["dates 2026-03-02 to …"])
    assert sidecar["sources"] == [str(tmp_path)]
    named = tmp_path / "new" / "march.csv"
    assert main(["export", str(tmp_path), "--table", "volume", "-o", str(named)]) == 0
    assert json.loads(named.with_suffix(".provenance.json").read_text(encoding="utf-8"))["file"] == "march.csv"
    assert f"wrote 2 rows to {csv_path}" in capsys.readouterr().err


def test_truncated_export_warns_on_stderr(write, tmp_path, capsys):
    _two_outlets(write)
    target = tmp_path / "articles.csv"
    assert main(["export", str(tmp_path), "--table", "articles", "--limit", "1", "-o", str(target), "--no-sidecar"]) == 0
    err = capsys.readouterr().err
    assert "warning: incomplete export: only the first 1 of 3 rows" in err
    assert target.read_text(encoding="utf-8-sig").splitlines()[-1].startswith('"# INCOMPLETE EXPORT')
    assert not target.with_suffix(".provenance.json").exists()


@pytest.mark.parametrize("provider", ["other.test", "www.Other.test", "Other Outlet", "other outlet", "https://other.test/x"])
def test_provider_accepts_a_domain_or_an_outlet_name(write, tmp_path, capsysbinary, provider):
    _two_outlets(write)
    assert main(["export", str(tmp_path), "--table", "topics", "--provider", provider]) == 0
    rows = capsysbinary.readouterr().out.decode("utf-8-sig").splitlines()
    assert rows[1:] == [f'"{rows[1].split(",")[0].strip(chr(34))}","Chips"'] and len(rows) == 2


def test_topics_match_case_insensitively_and_unknown_names_exit_2(write, tmp_path, capsysbinary):
    _two_outlets(write)
    assert main(["export", str(tmp_path), "--table", "providers", "--topic", "chips"]) == 0
    assert "Other Outlet" in capsysbinary.readouterr().out.decode("utf-8-sig")
    assert main(["export", str(tmp_path), "--table", "providers", "--provider", "Other Outlett"]) == 2
    assert capsysbinary.readouterr().err.decode() == "error: no outlet named or at 'Other Outlett' (did you mean 'Other Outlet', 'other.test'?)\n"
    assert main(["export", str(tmp_path), "--table", "providers", "--topic", "Crypto"]) == 2
    assert capsysbinary.readouterr().err.decode() == "error: no topic 'Crypto'\n"


def test_report_compare_outlets_match_like_the_provider_filter(write, tmp_path, capsys):
    _two_outlets(write)
    out = tmp_path / "report.html"
    assert main(["report", str(tmp_path), "--compare-outlets", "other outlet", "-o", str(out)]) == 0
    assert "Other Outlet" in out.read_text(encoding="utf-8") and "All other outlets" in out.read_text(encoding="utf-8")
    assert main(["report", str(tmp_path), "--compare-outlets", "Other Outlett", "-o", str(out)]) == 2
    assert capsys.readouterr().err == "error: no outlet named or at 'Other Outlett' (did you mean 'Other Outlet', 'other.test'?)\n"


def test_unusable_dates_and_tables_exit_2(tmp_path, capsys):
    for argv in (["--table", "articles", "--since", "March"], ["--table", "secrets"]):
        with pytest.raises(SystemExit) as stopped:
            main(["export", str(tmp_path), *argv])
        assert stopped.value.code == 2
    assert "'March' is not a date like 2026-03-31" in capsys.readouterr().err


def test_report_writes_one_html_file_named_by_period(write, tmp_path, capsys):
    _two_outlets(write)
    out = tmp_path / "reports"
    out.mkdir()
    assert main(["report", str(tmp_path), "--provider", "example-news.test", "--compare", "none", "-o", str(out)]) == 0
    page = (out / "report_2026-03-01_2026-03-03.html").read_text(encoding="utf-8")
    assert "outlets: Example News" in page and "no comparison" in page
    assert "&#39;=HYPERLINK(" not in page and "=HYPERLINK(&#34;http://evil.test&#34;)" in page
    assert capsys.readouterr().out == f"wrote the report to {out / 'report_2026-03-01_2026-03-03.html'}\n"


def test_export_module_entry_point_pipes_csv(write, tmp_path):
    _two_outlets(write)
    run = subprocess.run([sys.executable, "-m", "analytics", "export", str(tmp_path), "--table", "providers"], capture_output=True)
    assert run.returncode == 0 and run.stdout.startswith(b"\xef\xbb\xbf\"group\",\"provider_domain\"")


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
    assert len(list((tmp_path / "cache").glob("*.arrow"))) == 1
    assert main(["cache"]) == 0 and "1 cached corpora" in capsys.readouterr().out
    assert main(["cache", "--clear"]) == 0 and "removed 1 cache files" in capsys.readouterr().out


def test_a_name_with_a_line_break_cannot_fake_a_line_of_output(tmp_path, capsys):
    fake = "x.md: ok\n9 files seen: 9 loaded, 0 skipped, 0 duplicates, 0 ignored\nerror     y.md"
    (tmp_path / fake).write_text("no front matter\n")
    assert main(["load", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("1 files seen: 0 loaded, 1 skipped")
    assert lines[1] == f"error     {tmp_path}/x.md: ok\\x0a9 files seen: 9 loaded, 0 skipped, 0 duplicates, 0 ignored\\x0aerror     y.md: " \
        "no YAML front matter: line 1 of the file must be '---'"


def test_a_name_that_is_not_utf8_is_reported_by_the_library_the_cli_and_its_exports(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "good.md").write_text(document_text(article(1)))
    (Path(os.fsdecode(bytes(folder) + b"/bad\xff.md"))).write_text(document_text(article(2)))
    shown = f"{folder}/bad\\xff.md"
    for cache in ([], ["--no-cache"]):
        done = subprocess.run([sys.executable, "-m", "analytics", "load", str(folder), "--json", "--quiet", *cache],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert (summary["files_seen"], summary["loaded"], summary["skipped"]) == (2, 1, 1)
        assert [row["path"] for row in summary["problems"]] == [shown]
        assert "file name is not valid UTF-8" in summary["problems"][0]["message"]
    for table in ("problems", "articles"):
        done = subprocess.run([sys.executable, "-m", "analytics", "export", str(folder), "--table", table],
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert shown.encode() in subprocess.run([sys.executable, "-m", "analytics", "export", str(folder), "--table", "problems"],
                                            capture_output=True, timeout=120).stdout


def _drought_and_tariffs(write) -> None:
    """February about tariffs, March about drought, each across two outlets."""
    for day in range(1, 7):
        outlet = {"name": f"Outlet {day % 2}", "domain": f"outlet{day % 2}.test"}
        write(f"feb-{day}.md", article(day, title=f"Tariffs squeeze exporters in region {day}", excerpt="Exporters count costs.", publishedDateTime=f"2026-02-{day:02d}T09:00:00Z", webUrl=f"https://x.test/feb-{day}", provider=outlet))
        write(f"mar-{day}.md", article(day, title=f"Drought hits farms in region {day}", excerpt="Farmers wait for rain.", webUrl=f"https://x.test/mar-{day}", provider=outlet))


def test_export_terms_top_rising_and_against_the_rest(write, tmp_path, capsysbinary):
    _drought_and_tariffs(write)
    march = ["--since", "2026-03-01", "--until", "2026-03-31"]

    def terms(*extra: str) -> pd.DataFrame:
        assert main(["export", str(tmp_path), "--table", "terms", *march, *extra]) == 0
        return pd.read_csv(io.BytesIO(capsysbinary.readouterr().out), encoding="utf-8-sig")

    top = terms()
    assert list(top.columns) == ["term", "count", "articles", "outlets"]
    assert {"drought", "farms", "rain"} <= set(top["term"]) and "tariffs" not in set(top["term"])
    assert top.set_index("term").loc["region", "articles"] == 6  # in every March title, so among the top
    rising = terms("--against", "previous", "--limit", "3")
    assert list(rising.columns) == ["term", "count", "reference_count", "articles", "outlets", "log_odds", "z"]
    assert len(rising) == 3 and "region" not in set(rising["term"])  # as common in February: not rising
    assert (rising["reference_count"] == 0).all() and (rising["z"] > 0).all()
    assert terms("--against", "rest")["term"].tolist()[:3] == rising["term"].tolist()  # the rest is February here


def test_against_only_goes_with_terms(write, tmp_path, capsys):
    _drought_and_tariffs(write)
    assert main(["export", str(tmp_path), "--table", "volume", "--against", "rest"]) == 2
    assert "--against goes with --table terms" in capsys.readouterr().err


def test_events_are_left_out_unless_asked_and_periods_are_presets(write, tmp_path, capsys):
    for n in (1, 2, 3):
        write(f"a{n}.md", article(n))
    write("summit.md", article(4, type="conference", title="The Summit"))
    out = tmp_path / "out.csv"
    assert main(["export", str(tmp_path), "--table", "articles", "-o", str(out)]) == 0
    assert "The Summit" not in out.read_text(encoding="utf-8-sig")
    assert main(["export", str(tmp_path), "--table", "articles", "--events", "-o", str(out)]) == 0
    assert "The Summit" in out.read_text(encoding="utf-8-sig")
    # The data ends on 4 March 2026: the last complete week is 23 Feb – 1 Mar.
    assert main(["report", str(tmp_path), "--period", "last-week", "-o", f"{tmp_path / 'r'}/"]) == 0
    assert "report_2026-02-23_2026-03-01.html" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["report", str(tmp_path), "--period", "next-week"])
    assert "invalid choice: 'next-week'" in capsys.readouterr().err
