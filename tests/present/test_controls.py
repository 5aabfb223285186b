from datetime import date
from pathlib import Path

import pytest

from analytics import schema as s
from analytics.frames.workspace import open_workspace
from analytics.measure import metrics as m
from analytics.measure.filters import Filters
from analytics.present import controls as ct

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def corpus():
    return open_workspace(SAMPLE).corpus


def test_the_choices_are_what_the_data_holds(corpus):
    offer = ct.choices(corpus)
    dates = corpus.articles[s.PUBLISHED_AT].dropna()
    assert (offer.first_day, offer.last_day) == (dates.min().date(), dates.max().date())
    assert set(offer.outlets) == set(corpus.articles[s.PROVIDER_DOMAIN].dropna().astype(str))
    assert [offer.outlet_labels[d].lower() for d in offer.outlets] == sorted(offer.outlet_labels[d].lower() for d in offer.outlets)
    counts = corpus.topics[s.TOPIC].astype(str).value_counts()
    assert offer.topics[0] == counts.index[0] and len(offer.topics) == len(counts)
    assert offer.busiest_outlet == corpus.articles[s.PROVIDER_DOMAIN].astype(str).value_counts().index[0]
    assert offer.quality == (corpus.articles[s.QUALITY].min(), corpus.articles[s.QUALITY].max())


def test_controls_left_at_their_full_range_filter_nothing(corpus):
    offer = ct.choices(corpus)
    assert offer.filters((offer.first_day, offer.last_day), quality=offer.quality, heat=offer.heat) == Filters()


def test_chosen_values_become_filters(corpus):
    offer = ct.choices(corpus)
    lo, hi = offer.quality
    chosen = offer.filters(
        (offer.first_day, offer.first_day), outlets=[offer.outlets[0]], topics=offer.topics[:2], topic_mode="all",
        published="no", quality=(lo + 1, hi), search="energy",
    )
    assert chosen == Filters(
        start=offer.first_day, end=offer.first_day, providers=(offer.outlets[0],), topics=tuple(offer.topics[:2]),
        topic_mode="all", published=False, quality=(lo + 1, hi), search="energy",
    )


def test_a_date_input_gives_one_date_while_the_second_is_picked():
    day = date(2026, 3, 1)
    assert ct.date_pair((day,)) == (day, None)
    assert ct.date_pair([day, date(2026, 3, 5)]) == (day, date(2026, 3, 5))
    assert ct.date_pair(day) == (day, day)


def test_the_data_folder_comes_from_the_arguments_then_the_environment():
    assert ct.data_folder(["--data", "/x"], {"NEWS_ANALYTICS_DATA": "/y"}, "/z") == "/x"
    assert ct.data_folder(["--other"], {"NEWS_ANALYTICS_DATA": "/y"}, "/z") == "/y"
    assert ct.data_folder([], {}, "/z") == "/z"


def test_view_choices_read_unset_and_off_values():
    chosen = ct.view_choices(count="stories", granularity=None, top_n=5, rolling=0, split="none")
    assert chosen.options == m.MetricOptions(top_n=5, granularity="month", rolling=None)
    assert chosen.split is None and chosen.count_stories
    chosen = ct.view_choices(count=None, granularity="week", top_n=8, rolling=3, split="topic")
    assert (chosen.options.granularity, chosen.options.rolling, chosen.split, chosen.count_stories) == ("week", 3, "topic", False)
