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
    assert offer.filters((offer.first_day, offer.last_day), quality=offer.quality, heat=offer.heat, include_events=True) == Filters()


def test_events_are_left_out_unless_asked_or_chosen(corpus):
    offer = ct.choices(corpus)
    assert offer.events == ("conference",)  # the sample data's one conference
    assert offer.filters((offer.first_day, offer.last_day)) == Filters(exclude_types=("conference",))
    assert offer.filters((offer.first_day, offer.last_day), types=["conference"]).exclude_types == ()


def test_chosen_values_become_filters(corpus):
    offer = ct.choices(corpus)
    lo, hi = offer.quality
    chosen = offer.filters(
        (offer.first_day, offer.first_day), outlets=[offer.outlets[0]], topics=offer.topics[:2], topic_mode="all",
        published="no", quality=(lo + 1, hi), search="energy",
    )
    assert chosen == Filters(
        start=offer.first_day, end=offer.first_day, providers=(offer.outlets[0],), topics=tuple(offer.topics[:2]),
        topic_mode="all", published=False, quality=(lo + 1, hi), search="energy", exclude_types=offer.events,
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


def test_a_preset_counts_back_from_the_datas_last_day(corpus):
    offer = ct.choices(corpus)  # sample data ends on Thursday 29 Oct 2026
    chosen = ct.dates_chosen("last-month", (None, None), offer, today=date(2026, 12, 5))
    assert (chosen.start, chosen.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert chosen.note == "Last complete month: Sep 2026 (1 Sep 2026 – 30 Sep 2026), counted back from 29 Oct 2026, the last day with articles."
    week = ct.dates_chosen("last-week", (None, None), offer, today=date(2026, 10, 29))
    assert (week.start, week.end) == (date(2026, 10, 19), date(2026, 10, 25)) and "counted back" not in week.note


def test_typed_dates_beyond_the_data_are_kept_with_a_note_never_refused(corpus):
    offer = ct.choices(corpus)
    october = ct.dates_chosen("custom", (date(2026, 10, 1), date(2026, 10, 31)), offer)
    assert (october.start, october.end) == (date(2026, 10, 1), date(2026, 10, 31))  # still a whole month: compared with September
    assert "the data runs from 1 Nov 2023 to 29 Oct 2026, so 1 Oct 2026 – 29 Oct 2026 is shown" in october.note
    inside = ct.dates_chosen("custom", (date(2026, 10, 1), date(2026, 10, 20)), offer)
    assert inside == ct.DateChoice(date(2026, 10, 1), date(2026, 10, 20))


def test_a_links_values_that_do_not_apply_are_named(corpus):
    offer = ct.choices(corpus)
    label = offer.outlet_labels[offer.outlets[0]]
    assert ct.link_notices({"outlet": [label], "topic": ["AI"], "count": ["stories"], "period": ["week"], "dates": ["2019-12-01", "2019-12-31"]}, offer) == []
    notes = ct.link_notices({"outlet": [label, "Nowhere Times"], "topic": ["Knitting"], "count": ["pages"], "dates": ["2019-13-01"], "when": ["Next year"]}, offer)
    assert notes == [
        "The link asks for outlet 'Nowhere Times', which is not in this data; the other chosen outlets are shown.",
        "The link asks for topic 'Knitting', which is not in this data; every topic is shown.",
        "The link’s count='pages' is not one of articles, stories; the default is shown.",
        "The link’s dates 2019-13-01 are not dates like 2019-12-31; every date is shown.",
        "The link’s period 'Next year' is not one of the presets; custom dates are shown.",
    ]
