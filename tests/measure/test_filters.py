from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from inline_frames import articles_frame, topics_frame, with_keys

from analytics import schema as s
from analytics.measure.filters import (
    ALL,
    Filters,
    filter_articles,
    names_by_count,
    outlet_labels,
    outlet_names,
    previous_period,
    topics_of,
)

A = articles_frame([
    {s.PUBLISHED_AT: "2026-03-01T23:30", s.PROVIDER_NAME: "Alpha", s.QUALITY: 10.0, s.HEAT: 5.0, s.PUBLISHED: True, s.TITLE: "Chips shortage eases"},
    {s.PUBLISHED_AT: "2026-03-05T00:00", s.PROVIDER_NAME: "Beta", s.QUALITY: 50.0, s.PUBLISHED: False, s.EXCERPT: "about CHIPS too"},
    {s.PUBLISHED_AT: "2026-03-10T12:00", s.PROVIDER_NAME: "Alpha", s.CATEGORY: "opinion", s.TYPE: "conference"},
    {s.PUBLISHED_AT: None, s.PROVIDER_NAME: "Gamma"},
])
T = topics_frame([("d0", "AI"), ("d0", "Chips"), ("d1", "AI"), ("d2", "Chips")])
KEYED_A, KEYED_T = with_keys(A, T)  # as a load gives them: matched by article key, not by id


def ids(filters: Filters) -> list[str]:
    found = filter_articles(A, T, filters)[s.DOC_ID].tolist()
    assert filter_articles(KEYED_A, KEYED_T, filters)[s.DOC_ID].tolist() == found
    return found


def test_default_keeps_everything_including_undated_and_unscored():
    assert ids(Filters()) == ["d0", "d1", "d2", "d3"]


def test_date_range_is_inclusive_by_day_in_utc():
    assert ids(Filters(start=date(2026, 3, 1), end=date(2026, 3, 5))) == ["d0", "d1"]
    assert ids(Filters(end=date(2026, 3, 4))) == ["d0"]


def test_outlets_categories_types():
    assert ids(Filters(providers=("alpha.test",))) == ["d0", "d2"]
    assert ids(Filters(categories=("opinion",))) == ["d2"]
    assert ids(Filters(types=("conference",))) == ["d2"]


def test_topics_any_or_all():
    assert ids(Filters(topics=("AI", "Chips"))) == ["d0", "d1", "d2"]
    assert ids(Filters(topics=("AI", "Chips"), topic_mode=ALL)) == ["d0"]


def test_published_flag_leaves_out_unknown():
    assert ids(Filters(published=True)) == ["d0"]
    assert ids(Filters(published=False)) == ["d1"]


def test_score_ranges_drop_unscored_articles():
    assert ids(Filters(quality=(0, 20))) == ["d0"]
    assert ids(Filters(heat=(0, 100))) == ["d0"]


def test_search_is_case_insensitive_over_title_and_excerpt():
    assert ids(Filters(search="chips")) == ["d0", "d1"]
    assert ids(Filters(search="(")) == []  # plain text, not a pattern


def test_topics_of_follows_the_articles():
    assert topics_of(T, A.iloc[:1])[s.TOPIC].astype(str).tolist() == ["AI", "Chips"]
    assert topics_of(KEYED_T, KEYED_A.iloc[[2, 1]])[s.TOPIC].astype(str).tolist() == ["AI", "Chips"]


@pytest.mark.parametrize("keyed", ["articles", "topics"])
def test_frames_with_keys_on_one_side_only_are_matched_by_id(keyed):
    articles, topics = (KEYED_A, T) if keyed == "articles" else (A, KEYED_T)
    assert filter_articles(articles, topics, Filters(topics=("Chips",)))[s.DOC_ID].tolist() == ["d0", "d2"]
    assert topics_of(topics, articles.iloc[[1]])[s.TOPIC].astype(str).tolist() == ["AI"]


def test_topics_filter_with_articles_listed_twice():
    twice = pd.concat([A, A.iloc[[0]]])
    keyed, topics = with_keys(twice, T)
    for mode, expected in (("any", ["d0", "d1", "d0"]), (ALL, ["d0", "d0"])):
        filters = Filters(topics=("AI", "Chips") if mode == ALL else ("AI",), topic_mode=mode)
        assert filter_articles(twice, T, filters)[s.DOC_ID].tolist() == expected
        assert filter_articles(keyed, topics, filters)[s.DOC_ID].tolist() == expected


def test_previous_period_has_equal_length():
    before = previous_period(Filters(start=date(2026, 3, 8), end=date(2026, 3, 14), providers=("x",)), date(2020, 1, 1), date(2030, 1, 1))
    assert (before.start, before.end, before.providers) == (date(2026, 3, 1), date(2026, 3, 7), ("x",))


def test_describe():
    assert Filters().describe() == []
    assert Filters(topics=("AI", "Chips"), topic_mode=ALL, quality=(1, 2)).describe() == ["topics: AI and Chips", "quality 1–2"]


_filters = st.builds(
    Filters,
    start=st.one_of(st.none(), st.dates(date(2026, 2, 25), date(2026, 3, 12))),
    providers=st.lists(st.sampled_from(["alpha.test", "beta.test", "nope.test"]), max_size=2).map(tuple),
    topics=st.lists(st.sampled_from(["AI", "Chips", "Nope"]), max_size=2).map(tuple),
    topic_mode=st.sampled_from(["any", "all"]),
    published=st.sampled_from([None, True, False]),
    quality=st.one_of(st.none(), st.tuples(st.floats(0, 30), st.floats(30, 60))),
    search=st.sampled_from(["", "chips", "zzz"]),
)


@settings(max_examples=80, deadline=None)
@given(filters=_filters)
def test_property_filters_never_add_rows(filters):
    got = filter_articles(A, T, filters)
    pd.testing.assert_frame_equal(filter_articles(KEYED_A, KEYED_T, filters).drop(columns=s.ARTICLE_KEY), got.drop(columns=s.ARTICLE_KEY))
    assert len(got) <= len(A)
    assert set(got[s.DOC_ID]) <= set(A[s.DOC_ID])
    assert got.index.is_monotonic_increasing
    pd.testing.assert_frame_equal(filter_articles(got, T, filters), got)


def test_describe_names_outlets_when_names_are_given():
    filters = Filters(providers=("alpha.test", "unknown.test"))
    assert filters.describe(outlet_names(A)) == ["outlets: Alpha, unknown.test"]
    assert outlet_names(A) == {"alpha.test": "Alpha", "beta.test": "Beta", "gamma.test": "Gamma"}


def test_outlet_labels_add_the_domain_only_when_names_clash():
    clash = articles_frame([
        {s.PROVIDER_NAME: "Herald", s.PROVIDER_DOMAIN: "herald.test"},
        {s.PROVIDER_NAME: "Herald", s.PROVIDER_DOMAIN: "herald.example"},
        {s.PROVIDER_NAME: "Alpha"},
    ])
    assert outlet_labels(clash) == {"herald.test": "Herald (herald.test)", "herald.example": "Herald (herald.example)", "alpha.test": "Alpha"}


def test_left_out_types_keep_documents_without_a_type():
    from analytics.measure.filters import event_types, without_events

    frame = articles_frame([{s.TYPE: "article"}, {s.TYPE: None}, {s.TYPE: "conference"}, {s.TYPE: "Webinar"}])
    assert event_types(frame) == ("Webinar", "conference")
    kept = filter_articles(frame, topics_frame([]), without_events(Filters(), frame))
    assert kept[s.TYPE].tolist()[:1] == ["article"] and len(kept) == 2
    chosen = without_events(Filters(types=("conference",)), frame)
    assert chosen.exclude_types == ("Webinar",)


@pytest.mark.parametrize("dtype", ["category", s.STRING])
def test_names_by_count_lists_the_values_found_most_frequent_first(dtype):
    column = pd.Series(["b", None, "a", "b", "c", "b", "a"], dtype=dtype)
    if dtype == "category":
        column = column.cat.add_categories(["never used"])
    assert names_by_count(column) == ["b", "a", "c"]
    assert names_by_count(column.iloc[:0]) == []
