"""Calendar periods: presets, the period before, the same period last year, clamping, at the calendar's ends too."""

from datetime import date

import pytest

from analytics.measure import periods as pr

THU_29_OCT = date(2026, 10, 29)


@pytest.mark.parametrize(
    ("name", "reference", "expected"),
    [
        ("last-week", THU_29_OCT, pr.Period(date(2026, 10, 19), date(2026, 10, 25), pr.WEEK)),
        ("last-week", date(2026, 10, 25), pr.Period(date(2026, 10, 19), date(2026, 10, 25), pr.WEEK)),  # a Sunday completes its week
        ("last-month", THU_29_OCT, pr.Period(date(2026, 9, 1), date(2026, 9, 30), pr.MONTH)),
        ("last-month", date(2026, 10, 31), pr.Period(date(2026, 10, 1), date(2026, 10, 31), pr.MONTH)),
        ("last-month", date(2026, 1, 15), pr.Period(date(2025, 12, 1), date(2025, 12, 31), pr.MONTH)),
        ("last-quarter", THU_29_OCT, pr.Period(date(2026, 7, 1), date(2026, 9, 30), pr.QUARTER)),
        ("this-month", THU_29_OCT, pr.Period(date(2026, 10, 1), THU_29_OCT, pr.MONTH_SO_FAR)),
        ("last-7-days", THU_29_OCT, pr.Period(date(2026, 10, 23), THU_29_OCT)),
        ("last-90-days", THU_29_OCT, pr.Period(date(2026, 8, 1), THU_29_OCT)),
        ("same-month-last-year", THU_29_OCT, pr.Period(date(2025, 9, 1), date(2025, 9, 30), pr.MONTH)),
        ("all", THU_29_OCT, None),
        ("custom", THU_29_OCT, None),
    ],
)
def test_presets(name, reference, expected):
    assert pr.preset_period(name, reference) == expected


def test_an_unknown_preset_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="unknown period 'last-year'.*last-month"):
        pr.preset_period("last-year", THU_29_OCT)


def test_presets_count_back_from_the_datas_last_day_when_it_is_earlier_than_today():
    assert pr.as_of(THU_29_OCT, date(2026, 12, 5)) == THU_29_OCT
    assert pr.as_of(THU_29_OCT, date(2026, 10, 1)) == date(2026, 10, 1)


@pytest.mark.parametrize(
    ("start", "end", "kind", "previous", "year_before"),
    [
        (date(2019, 12, 1), date(2019, 12, 31), pr.MONTH, (date(2019, 11, 1), date(2019, 11, 30)), (date(2018, 12, 1), date(2018, 12, 31))),
        (date(2026, 3, 1), date(2026, 3, 31), pr.MONTH, (date(2026, 2, 1), date(2026, 2, 28)), (date(2025, 3, 1), date(2025, 3, 31))),
        (date(2019, 12, 2), date(2019, 12, 8), pr.WEEK, (date(2019, 11, 25), date(2019, 12, 1)), (date(2018, 12, 3), date(2018, 12, 9))),
        (date(2026, 1, 1), date(2026, 3, 31), pr.QUARTER, (date(2025, 10, 1), date(2025, 12, 31)), (date(2025, 1, 1), date(2025, 3, 31))),
        (date(2026, 3, 1), date(2026, 3, 30), pr.MONTH_SO_FAR, (date(2026, 2, 1), date(2026, 2, 28)), (date(2025, 3, 1), date(2025, 3, 30))),
        (date(2026, 3, 3), date(2026, 3, 12), pr.DAYS, (date(2026, 2, 21), date(2026, 3, 2)), (date(2025, 3, 3), date(2025, 3, 12))),
        (date(2024, 2, 29), date(2024, 3, 5), pr.DAYS, (date(2024, 2, 23), date(2024, 2, 28)), (date(2023, 2, 28), date(2023, 3, 5))),
    ],
)
def test_the_period_before_and_the_year_before_are_calendar_periods(start, end, kind, previous, year_before):
    period = pr.period_of(start, end)
    assert period.kind == kind
    before, last_year = pr.previous(period), pr.year_before(period)
    assert (before.start, before.end) == previous and before.kind == kind
    assert (last_year.start, last_year.end) == year_before


@pytest.mark.parametrize(
    "period",
    [
        pr.Period(date(1, 1, 1), date(1, 1, 31), pr.MONTH),
        pr.Period(date(1, 1, 1), date(1, 1, 7), pr.WEEK),
        pr.Period(date(1, 1, 1), date(1, 3, 31), pr.QUARTER),
        pr.Period(date(1, 1, 1), date(1, 1, 5), pr.DAYS),
        pr.Period(date(1, 1, 1), date(1, 1, 5), pr.MONTH_SO_FAR),
    ],
)
def test_nothing_before_year_1_and_no_overflow(period):
    assert pr.previous(period) is None and pr.year_before(period) is None


def test_the_calendars_last_days_work_too():
    december = pr.period_of(date(9999, 12, 1), date(9999, 12, 31))
    assert pr.previous(december) == pr.Period(date(9999, 11, 1), date(9999, 11, 30), pr.MONTH)
    assert pr.year_before(december).start == date(9998, 12, 1)
    assert pr.preset_period("last-week", date(9999, 12, 31)).end == date(9999, 12, 26)
    assert pr.preset_period("last-month", date(9999, 12, 31)).start == date(9999, 12, 1)
    assert pr.preset_period("last-90-days", date(1, 1, 5)) is None  # would start before year 1
    assert pr.preset_period("last-month", date(1, 1, 5)) is None
    assert pr.clamp(date(1, 1, 1), date(9999, 12, 31), date(2026, 1, 1), date(2026, 10, 29))[:2] == (date(2026, 1, 1), date(2026, 10, 29))
    assert pr.fitting_granularity(pr.period_of(date(9999, 12, 1), date(9999, 12, 31)), "month")[0] == "week"


def test_dates_beyond_the_data_are_clamped_with_a_note_never_refused():
    start, end, note = pr.clamp(date(2026, 10, 1), date(2026, 10, 31), date(2024, 1, 1), THU_29_OCT)
    assert (start, end) == (date(2026, 10, 1), THU_29_OCT)
    assert note == "Asked for 1 Oct 2026 – 31 Oct 2026; the data runs from 1 Jan 2024 to 29 Oct 2026, so 1 Oct 2026 – 29 Oct 2026 is shown."
    assert pr.clamp(date(2026, 10, 1), date(2026, 10, 20), date(2024, 1, 1), THU_29_OCT) == (date(2026, 10, 1), date(2026, 10, 20), None)
    outside = pr.clamp(date(2027, 1, 1), date(2027, 1, 31), date(2024, 1, 1), THU_29_OCT)
    assert outside[:2] == (date(2027, 1, 1), date(2027, 1, 31)) and outside[2].startswith("No articles between 1 Jan 2027 and 31 Jan 2027")


def test_labels_name_the_period():
    assert pr.period_of(date(2019, 12, 1), date(2019, 12, 31)).label() == "Dec 2019"
    assert pr.period_of(date(2019, 12, 2), date(2019, 12, 8)).label() == "week of 2 Dec 2019"
    assert pr.period_of(date(2019, 10, 1), date(2019, 12, 31)).label() == "Q4 2019"
    assert pr.period_of(date(2019, 12, 3), date(2019, 12, 9)).label() == "3 Dec 2019 – 9 Dec 2019"
    assert pr.period_of(date(2019, 12, 1), date(2019, 12, 31)).dates() == "1 Dec 2019 – 31 Dec 2019"


@pytest.mark.parametrize(
    ("start", "end", "asked", "drawn", "noted"),
    [
        (date(2019, 12, 1), date(2019, 12, 31), "month", "week", True),
        (date(2019, 12, 2), date(2019, 12, 8), "week", "day", True),
        (date(2019, 12, 2), date(2019, 12, 8), "month", "day", True),
        (date(2019, 11, 1), date(2019, 12, 31), "month", "month", False),
        (date(2019, 12, 2), date(2019, 12, 2), "day", "day", False),  # one day stays a single, labelled bar
    ],
)
def test_a_single_period_is_drawn_finer_and_says_so(start, end, asked, drawn, noted):
    granularity, note = pr.fitting_granularity(pr.period_of(start, end), asked)
    assert granularity == drawn and (note is not None) == noted
