"""Reading the rows a filter selects from a dataset gives what filtering the whole corpus gives."""

import shutil
from datetime import date

import pytest
from conftest import mixed_corpus, more_documents
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.frames.dataset import build_dataset
from analytics.frames.keys import belongs
from analytics.measure.dataset_rows import (
    SelectionTooLarge,
    date_span,
    outlets,
    select,
    topic_names,
)
from analytics.measure.filters import ALL, Filters, filter_articles, topics_of


@pytest.fixture(scope="module", params=["one build", "a second build adding documents"])
def built(request, tmp_path_factory, dask_scheduler):
    root = tmp_path_factory.mktemp("selection")
    one, two = mixed_corpus(root)
    build_dataset(one, two, out=root / "ds", scheduler=dask_scheduler)
    if request.param != "one build":  # months of two parts, read in article order
        more_documents(one, two)
        build_dataset(one, two, out=root / "ds", scheduler=dask_scheduler)
    return load_corpus(one, two, cache=False), root / "ds"


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(start=date(2026, 3, 5), end=date(2026, 4, 2)),
        Filters(start=date(2026, 4, 1)),
        Filters(end=date(2026, 3, 31)),
        Filters(providers=("example-news.test",), categories=("news",), types=("article",)),
        Filters(topics=("AI",)),
        Filters(topics=("AI", "T1"), topic_mode=ALL),
        Filters(topics=("T1", "T2")),
        Filters(published=True, quality=(42, 46)),
        Filters(heat=(0, 24)),
        Filters(search="NUMBER 4"),
        Filters(search="happened in story 2"),
        Filters(start=date(2027, 1, 1)),  # nothing
    ],
)
def test_a_selection_is_what_filtering_the_corpus_gives(built, filters):
    corpus, folder = built
    chosen = select(folder, filters, related=True)
    expected = filter_articles(corpus.articles, corpus.topics, filters)
    assert_frame_equal(chosen.articles, expected)
    assert_frame_equal(chosen.topics, topics_of(corpus.topics, expected))
    assert_frame_equal(chosen.related, corpus.related[belongs(corpus.related, expected)])


def test_a_topic_filter_with_dates_searches_only_those_months_topics(built, tmp_path):
    corpus, folder = built
    copy = shutil.copytree(folder, tmp_path / "ds")
    for path in (copy / "topics").glob("month=*/*.parquet"):
        if path.parent.name > "month=2026-04":  # later months and the undated: any read of them fails
            path.write_bytes(b"not parquet")
    filters = Filters(start=date(2026, 3, 5), end=date(2026, 4, 2), topics=("AI", "T1"))
    chosen = select(copy, filters, columns=[], topics=False)  # the articles alone: their own topic rows are not read
    assert len(chosen.articles) == len(filter_articles(corpus.articles, corpus.topics, filters)) > 0


def test_only_the_columns_asked_for_are_read(built):
    corpus, folder = built
    chosen = select(folder, Filters(topics=("T2",)), columns=[s.PROVIDER_DOMAIN, s.PUBLISHED_AT])
    assert list(chosen.articles.columns) == [s.DOC_ID, s.PUBLISHED_AT, s.PROVIDER_DOMAIN, s.ARTICLE_KEY]
    expected = filter_articles(corpus.articles, corpus.topics, Filters(topics=("T2",)))
    assert_frame_equal(chosen.articles, expected[list(chosen.articles.columns)])


def test_topic_rows_are_read_only_when_asked(built):
    corpus, folder = built
    chosen = select(folder, Filters(topics=("AI",)), related=True, topics=False)
    assert chosen.topics.empty and list(chosen.topics.columns) == list(corpus.topics.columns)
    assert len(chosen.articles) > 0 and len(chosen.related) > 0


def test_a_selection_too_large_is_refused_with_its_size(built):
    corpus, folder = built
    with pytest.raises(SelectionTooLarge, match=f"select {len(corpus.articles)} articles") as refused:
        select(folder, Filters(), max_rows=10)
    assert refused.value.rows == len(corpus.articles) > 10


def test_outlets_topics_and_dates_of_a_dataset(built):
    corpus, folder = built
    pairs = corpus.articles[[s.PROVIDER_DOMAIN, s.PROVIDER_NAME]].astype(str).drop_duplicates()
    assert sorted(map(tuple, outlets(folder).to_numpy().tolist())) == sorted(map(tuple, pairs.to_numpy().tolist()))
    assert sorted(topic_names(folder)[s.TOPIC]) == sorted(corpus.topics[s.TOPIC].astype(str).unique())
    dates = corpus.articles[s.PUBLISHED_AT]
    assert date_span(folder) == (dates.min(), dates.max())
