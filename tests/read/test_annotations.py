import pandas as pd
import pytest
from conftest import article
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.read import annotations as an


def notes(*rows: tuple) -> pd.DataFrame:
    return s.typed_frame(
        {an.DATE: [pd.Timestamp(r[0], tz="UTC") for r in rows], an.LABEL: [r[1] for r in rows], an.TOPIC: [r[2] for r in rows]},
        an.ANNOTATION_DTYPES,
    )


def problems(found) -> list[tuple]:
    return [(p.severity, p.field, p.line) for p in found]


def test_csv_notes(write, tmp_path):
    write("annotations.csv", "date,label,topic\n2026-03-10,Budget week,Policy\n2026-03-01,Site relaunch,\n")
    frame, found = an.read_annotations(tmp_path)
    assert_frame_equal(frame, notes(("2026-03-01", "Site relaunch", None), ("2026-03-10", "Budget week", "Policy")))
    assert found == []


def test_yaml_notes_as_a_list_or_under_annotations(write, tmp_path):
    write("a/annotations.yaml", "- date: 2026-03-01\n  label: Site relaunch\n- {date: '2026-03-10T18:00:00+02:00', label: Budget week, topic: Policy}\n")
    write("b/annotations.yml", "annotations:\n  - date: 2026-03-01\n    label: Site relaunch\n")
    frame, found = an.read_annotations(tmp_path / "a")
    assert_frame_equal(frame, notes(("2026-03-01", "Site relaunch", None), ("2026-03-10T16:00:00", "Budget week", "Policy")))
    assert found == []
    assert an.read_annotations(tmp_path / "b")[0][an.LABEL].tolist() == ["Site relaunch"]


def test_bad_csv_rows_are_reported_with_their_lines_and_the_rest_load(write, tmp_path):
    write("annotations.csv", (
        "Date,Label,Topic,Owner\n"
        "2026-03-01,Relaunch,,ana\n"
        "03/02/2026,American date,,\n"
        ",No date,,\n"
        "2026-03-04,,AI,\n"
        "\n"
        "2026-03-05,Extra values,AI,bo,surprise\n"
    ))
    frame, found = an.read_annotations(tmp_path)
    assert frame[an.LABEL].tolist() == ["Relaunch", "Extra values"]
    assert problems(found) == [
        (s.WARNING, "owner", 1),
        (s.ERROR, an.DATE, 3),
        (s.ERROR, an.DATE, 4),
        (s.ERROR, an.LABEL, 5),
        (s.WARNING, "", 7),
    ]
    assert "03/02/2026" in found[1].message and "YYYY-MM-DD" in found[1].message


def test_a_csv_without_the_required_columns_loads_nothing(write, tmp_path):
    write("annotations.csv", "when,what\n2026-03-01,Relaunch\n")
    frame, found = an.read_annotations(tmp_path)
    assert frame.empty
    assert problems(found)[:2] == [(s.ERROR, an.DATE, 1), (s.ERROR, an.LABEL, 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date: 2026-03-01\nlabel: not a list\n", [(s.ERROR, "", 1)]),
        ("just words\n", [(s.ERROR, "", 1)]),
        ("- date: [2026\n", [(s.ERROR, "", 2)]),
        ("---\n- {date: 2026-03-01, label: Fine}\n---\n- {date: 2026-03-02, label: Fine}\n", [(s.ERROR, "", 3)]),
        ("- 2026-03-01 Relaunch\n- date: 2026-03-02\n  label: Fine\n", [(s.ERROR, "", 1)]),
        ("- date: 2026-03-01\n  label: Fine\n  colour: red\n", [(s.WARNING, "colour", 3)]),
        ("- date: 2026-13-01\n  label: Bad month\n", [(s.ERROR, an.DATE, 1)]),
        ("- date: 2026-03-01\n  label: ~\n", [(s.ERROR, an.LABEL, 1)]),
        ("- date: 2026-03-01\n  label: Fine\n  topic: [AI, Chips]\n", [(s.WARNING, an.TOPIC, 3)]),
        ("- date: 2026-03-01\n  label: Old\n  label: Fine\n", [(s.WARNING, an.LABEL, 3)]),
        ("- date: 2026-03-01\n  label: !!python/object:os.system Fine\n", [(s.WARNING, an.LABEL, 2)]),
        ("", []),
    ],
)
def test_bad_yaml_is_reported_never_raised(write, tmp_path, text, expected):
    write("annotations.yaml", text)
    frame, found = an.read_annotations(tmp_path)
    assert problems(found) == expected
    assert frame[an.LABEL].isin(["Fine"]).all()


def test_unreadable_files_are_problems(write, tmp_path):
    write("annotations.csv", b"\x00\x01\x02binary")
    write("other/notes.txt", "date,label\n")
    assert problems(an.read_annotations(tmp_path)[1]) == [(s.ERROR, "", None)]
    assert problems(an.read_annotations(tmp_path / "other" / "notes.txt")[1]) == [(s.ERROR, "", None)]
    assert problems(an.read_annotations(tmp_path / "missing.csv")[1]) == [(s.ERROR, "", None)]


def test_a_folder_without_notes_gives_an_empty_frame(tmp_path):
    frame, found = an.read_annotations(tmp_path)
    assert frame.empty and found == [] and frame.columns.tolist() == list(an.COLUMNS)


def test_both_files_are_read_and_names_match_in_any_case(write, tmp_path):
    write("Annotations.CSV", "date,label\n2026-03-02,From CSV\n")
    write("annotations.yml", "- {date: 2026-03-01, label: From YAML}\n")
    frame, found = an.read_annotations(tmp_path)
    assert frame[an.LABEL].tolist() == ["From YAML", "From CSV"] and found == []


def test_document_loading_ignores_annotation_files(write, tmp_path):
    write("story.md", article(1))
    write("annotations.csv", "date,label\n2026-03-01,Relaunch\n")
    write("annotations.yaml", "- {date: 2026-03-01, label: Relaunch}\n")
    write("annotations.yml", "- {date: 2026-03-01, label: Relaunch}\n")
    corpus = load_corpus(tmp_path)
    assert (corpus.loaded, corpus.ignored, len(corpus.problems)) == (1, 3, 0)
    assert sorted(p.rsplit("/", 1)[-1] for p in corpus.ignored_paths) == ["annotations.csv", "annotations.yaml", "annotations.yml"]
