import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.testing import assert_frame_equal

from analytics import schema as s
from analytics.frames.flatten import flatten_parsed
from analytics.read.ingest import Problem
from analytics.read.parse import ParsedRows, records_table
from analytics.read.validate import Record


def record(path: str, url: str | None, when: str | None, name: str = "Outlet", domain: str = "outlet.test", **kw) -> Record:
    return Record(
        path=path, title=f"T {path}", web_url=url, provider_name=name, provider_domain=domain,
        published_at=pd.Timestamp(when) if when else None, **kw,
    )


def test_later_copies_of_one_url_become_duplicates_naming_the_first():
    frames = flatten_parsed(records_table([
        record("b.md", "https://outlet.test/x?utm_source=rss", "2026-01-02T00:00:00Z"),
        record("a.md", "http://www.outlet.test/x/", "2026-01-01T00:00:00Z"),
        record("c.md", "https://outlet.test/x", "2026-01-01T00:00:00Z"),
    ]))
    assert frames.articles[s.PATH].tolist() == ["a.md"]
    assert [p.path for p in frames.duplicates] == ["c.md", "b.md"]
    assert all("same article as a.md" in p.message and p.severity == s.DUPLICATE for p in frames.duplicates)


def test_undated_copies_lose_to_dated_ones():
    frames = flatten_parsed(records_table([
        record("a.md", "https://outlet.test/x", None),
        record("z.md", "https://outlet.test/x", "2026-01-01T00:00:00Z"),
    ]))
    assert frames.articles[s.PATH].tolist() == ["z.md"]


def test_outlet_name_is_the_most_frequent_for_its_domain():
    frames = flatten_parsed(records_table([
        record("a.md", "https://outlet.test/1", "2026-01-01", name="Outlet"),
        record("b.md", "https://outlet.test/2", "2026-01-02", name="OUTLET Online"),
        record("c.md", "https://outlet.test/3", "2026-01-03", name="Outlet"),
        record("d.md", "https://other.test/3", "2026-01-03", name="Outlet", domain="other.test"),
    ]))
    names = frames.articles.set_index(s.PATH)[s.PROVIDER_NAME].astype(str).to_dict()
    assert names == {"a.md": "Outlet", "b.md": "Outlet", "c.md": "Outlet", "d.md": "Outlet"}
    assert frames.articles[s.PROVIDER_DOMAIN].nunique() == 2


def test_doc_ids_are_stable_and_unique():
    records = [record("a.md", "https://outlet.test/1", "2026-01-01"), record("b.md", None, "2026-01-01")]
    first = flatten_parsed(records_table(records), {"b.md": "b.md"}).articles[s.DOC_ID].tolist()
    again = flatten_parsed(records_table(list(reversed(records))), {"b.md": "b.md"}).articles[s.DOC_ID].tolist()
    assert first == again and len(set(first)) == 2


def test_child_tables():
    frames = flatten_parsed(records_table([
        record(
            "a.md", "https://outlet.test/1", "2026-01-01T00:00:00Z",
            topics=["AI", "Policy"], images=[("https://img.test/1.jpg", 800, None)],
            related=[{"title": "R", "url": "https://www.rel.test/r/", "provider_name": "Rel", "provider_domain": "rel.test",
                      "published_at": None, "quality": 3.0}],
        )
    ]))
    doc_id = frames.articles[s.DOC_ID].iloc[0]
    assert_frame_equal(
        frames.topics,
        s.typed_frame({s.DOC_ID: [doc_id, doc_id], s.TOPIC: ["AI", "Policy"], s.ARTICLE_KEY: [0, 0]}, s.TOPIC_DTYPES),
    )
    assert_frame_equal(
        frames.images,
        s.typed_frame(
            {s.DOC_ID: [doc_id], s.URL: ["https://img.test/1.jpg"], s.WIDTH: [800], s.HEIGHT: [None], s.ARTICLE_KEY: [0]}, s.IMAGE_DTYPES
        ),
    )
    assert frames.related[s.CANONICAL_URL].tolist() == ["https://rel.test/r"]
    row = frames.articles.iloc[0]
    assert (row[s.N_TOPICS], row[s.N_IMAGES], row[s.N_RELATED], row[s.IMAGE_URL]) == (2, 1, 1, "https://img.test/1.jpg")


def test_article_keys_number_the_kept_articles_and_their_child_rows_repeat_them():
    image = ("https://img.test/1.jpg", 800, None)
    related = {"title": "R", "url": "https://rel.test/r", "provider_name": "Rel", "provider_domain": "rel.test", "published_at": None, "quality": None}
    frames = flatten_parsed(records_table([
        record("c.md", "https://outlet.test/3", "2026-01-03T00:00:00Z", topics=["Policy", "AI"], images=[image, image]),
        record("copy.md", "https://outlet.test/1", "2026-01-05T00:00:00Z", topics=["Dropped"], related=[related]),
        record("b.md", None, "2026-01-02T00:00:00Z"),
        record("a.md", "https://outlet.test/1", "2026-01-01T00:00:00Z", topics=["AI"], related=[related]),
    ]))
    assert frames.articles[s.PATH].tolist() == ["a.md", "b.md", "c.md"]
    assert frames.articles[s.ARTICLE_KEY].tolist() == [0, 1, 2]
    id_of = frames.articles[s.DOC_ID].tolist()
    for child in (frames.topics, frames.images, frames.related):
        assert child[s.DOC_ID].tolist() == [id_of[key] for key in child[s.ARTICLE_KEY]]
    assert frames.topics[s.ARTICLE_KEY].tolist() == [0, 2, 2] and frames.images[s.ARTICLE_KEY].tolist() == [2, 2]
    assert frames.related[s.ARTICLE_KEY].tolist() == [0]


def test_empty_input_gives_typed_empty_frames():
    frames = flatten_parsed(records_table([]))
    assert len(frames.articles) == 0
    assert frames.articles.dtypes.to_dict() == s.empty_frame(s.ARTICLE_DTYPES).dtypes.to_dict()


def test_url_less_files_with_the_same_relative_path_get_different_ids():
    records = [record("/one/a.md", None, "2026-01-01"), record("/two/a.md", None, "2026-01-02")]
    ids = flatten_parsed(records_table(records), {"/one/a.md": "a.md", "/two/a.md": "a.md"}).articles[s.DOC_ID].tolist()
    alone = flatten_parsed(records_table(records[:1]), {"/one/a.md": "a.md"}).articles[s.DOC_ID].tolist()
    assert len(set(ids)) == 2 and ids[0] == alone[0]


def test_frames_do_not_depend_on_the_order_of_the_files_and_leave_out_rows_not_chosen():
    rows = ParsedRows()
    files = [
        ("d.md", record("d.md", "https://outlet.test/1", "2026-01-03", topics=["AI"]), [Problem("d.md", s.WARNING, "odd heat", "heat")]),
        ("a.md", record("a.md", "https://outlet.test/1", "2026-01-01", topics=["AI", "Policy"]), []),
        ("c.md", None, [Problem("c.md", s.ERROR, "no front matter"), Problem("c.md", s.WARNING, "second")]),
        ("b.md", record("b.md", None, None, name="Other", domain="other.test"), [Problem("b.md", s.WARNING, "no date")]),
        ("e.md", record("e.md", "https://outlet.test/2", "2026-01-02", images=[("https://img.test/e.jpg", 1, 2)]), []),
    ]
    for path, parsed, problems in files:
        rows.add(path, parsed, problems)
    table = rows.table()
    stale = records_table([record("a.md", "https://outlet.test/stale", "2020-01-01", topics=["Old"])])  # an old version of a.md
    combined = pa.concat_tables([table, stale])
    expected = flatten_parsed(table)
    assert expected.problems[s.PATH].tolist() == ["b.md", "c.md", "c.md", "d.md"]
    assert expected.problems[s.MESSAGE].tolist()[1:3] == ["no front matter", "second"]  # a file's own in the order found
    assert expected.parsed[s.PATH].to_pylist()[:3] == expected.articles[s.PATH].tolist() == ["a.md", "e.md", "b.md"]
    for order in itertools.islice(itertools.permutations(range(5)), 0, 120, 7):
        flat = flatten_parsed(combined, rows=np.array(order))
        for name in ("articles", "topics", "related", "images", "problems"):
            assert_frame_equal(getattr(flat, name), getattr(expected, name))
        assert flat.duplicates == expected.duplicates
        assert sorted(flat.parsed[s.PATH].to_pylist()) == sorted(path for path, _, _ in files)


def test_outlet_names_and_duplicates_read_tables_in_several_pieces():
    records = [
        record("a.md", "https://outlet.test/1", "2026-01-01", name="Outlet"),
        record("b.md", "https://outlet.test/1", "2026-01-02", name="OUTLET"),
        record("c.md", "https://outlet.test/2", "2026-01-03", name="OUTLET"),
        record("d.md", "https://outlet.test/3", "2026-01-04", name="OUTLET"),
        record("e.md", None, "2026-01-05", name="Other", domain="other.test"),
    ]
    whole = flatten_parsed(records_table(records))
    pieces = pa.concat_tables([records_table(records[:2]), records_table(records[2:4]), records_table(records[4:])])
    split = flatten_parsed(pieces)
    assert_frame_equal(split.articles, whole.articles)
    assert split.duplicates == whole.duplicates and [p.path for p in split.duplicates] == ["b.md"]
    assert whole.articles[s.PROVIDER_NAME].astype(str).tolist() == ["OUTLET", "OUTLET", "OUTLET", "Other"]
