"""Calendar periods: the date presets an editor picks, and the periods each one is compared with.

Weeks are ISO weeks (Monday to Sunday), months and quarters are calendar ones. A `Period` knows
its kind, so "the period before" a month is the previous month, not a window of equal length;
only a custom range of days falls back to the window of equal length just before it.
Every computation is safe at the ends of the calendar (years 1 and 9999): a period that would
fall outside it is None, never an OverflowError.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
MONTH_SO_FAR = "month so far"
DAYS = "days"

# Preset name (as in links and on the command line) -> label a person sees.
PRESETS: dict[str, str] = {
    "all": "All dates",
    "last-week": "Last complete week",
    "last-month": "Last complete month",
    "last-quarter": "Last complete quarter",
    "this-month": "This month so far",
    "last-7-days": "Last 7 days",
    "last-30-days": "Last 30 days",
    "last-90-days": "Last 90 days",
    "same-month-last-year": "Same month last year",
    "custom": "Custom dates",
}
ALL, CUSTOM = "all", "custom"


@dataclass(frozen=True)
class Period:
    """An inclusive range of days and the kind of calendar period it is (week, month, quarter, days)."""

    start: date
    end: date
    kind: str = DAYS

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """The period for a reader: "Dec 2019", "week of 2 Dec 2019", "Q4 2019" or "1 Dec 2019 – 9 Dec 2019"."""
        if self.kind == MONTH:
            return f"{self.start:%b} {self.start.year}"
        if self.kind == WEEK:
            return f"week of {_day(self.start)}"
        if self.kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        return _day(self.start) if self.start == self.end else f"{_day(self.start)} – {_day(self.end)}"

    def dates(self) -> str:
        """The exact dates, e.g. "1 Nov 2019 – 30 Nov 2019"."""
        return _day(self.start) if self.start == self.end else f"{_day(self.start)} – {_day(self.end)}"


def as_of(last_day: date, today: date) -> date:
    """The day presets count back from: today, or the data's last day when the data stops earlier."""
    return min(last_day, today)


def preset_period(name: str, reference: date) -> Period | None:
    """The period a preset means on `reference` (see `as_of`); None for "all", "custom" or off the calendar."""
    if name not in PRESETS:
        raise ValueError(f"unknown period {name!r}; choose one of {', '.join(PRESETS)}")
    try:
        return _PRESET[name](reference) if name in _PRESET else None
    except (OverflowError, ValueError):  # a preset that falls before year 1
        return None


def kind_of(start: date, end: date) -> str:
    """What a range of days is: exactly one calendar week, month or quarter, a month up to a day, or days."""
    if start.weekday() == 0 and (end - start).days == 6:
        return WEEK
    if start.day == 1 and end.year == start.year:
        if end.month == start.month:
            return MONTH if end.day == _month_days(end) else MONTH_SO_FAR
        if start.month % 3 == 1 and end.month == start.month + 2 and end.day == _month_days(end):
            return QUARTER
    return DAYS


def period_of(start: date, end: date) -> Period:
    """The range as a `Period` of the kind it is."""
    return Period(start, end, kind_of(start, end))


def previous(period: Period) -> Period | None:
    """The calendar period of the same kind just before (the window of equal length for plain days)."""
    try:
        if period.kind == WEEK:
            return Period(period.start - timedelta(days=7), period.start - timedelta(days=1), WEEK)
        if period.kind == MONTH:
            return _month(*_add_months(period.start.year, period.start.month, -1))
        if period.kind == QUARTER:
            return _quarter(*_add_months(period.start.year, period.start.month, -3))
        if period.kind == MONTH_SO_FAR:  # 1–29 Oct against 1–29 Sep (cut at the shorter month's end)
            year, month = _add_months(period.start.year, period.start.month, -1)
            return Period(date(year, month, 1), date(year, month, min(period.end.day, _month_days(date(year, month, 1)))), MONTH_SO_FAR)
        return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1), DAYS)
    except (OverflowError, ValueError):  # before 1 Jan of year 1
        return None


def year_before(period: Period) -> Period | None:
    """The same period one year earlier (29 Feb becomes 28 Feb); None before year 1."""
    if period.start.year <= 1:
        return None
    if period.kind in (MONTH, QUARTER):
        return _month(period.start.year - 1, period.start.month) if period.kind == MONTH else _quarter(period.start.year - 1, period.start.month)
    if period.kind == WEEK:  # the same ISO week number a year earlier, Monday to Sunday
        _, week, _ = period.start.isocalendar()
        try:
            monday = date.fromisocalendar(period.start.year - 1, min(week, _iso_weeks(period.start.year - 1)), 1)
        except ValueError:
            return None
        return Period(monday, monday + timedelta(days=6), WEEK)
    return Period(_same_day_year_before(period.start), _same_day_year_before(period.end), period.kind)


def clamp(start: date, end: date, first: date, last: date) -> tuple[date, date, str | None]:
    """Chosen dates cut to the data's span, with a note saying what changed (None when nothing did).

    A range wholly outside the data is kept as asked (it simply matches nothing), and said so.
    """
    if start > end:
        start, end = end, start
    if end < first or start > last:
        return start, end, f"No articles between {_day(start)} and {_day(end)}: the data runs from {_day(first)} to {_day(last)}."
    cut_start, cut_end = max(start, first), min(end, last)
    if (cut_start, cut_end) == (start, end):
        return start, end, None
    return cut_start, cut_end, (
        f"Asked for {_day(start)} – {_day(end)}; the data runs from {_day(first)} to {_day(last)}, "
        f"so {_day(cut_start)} – {_day(cut_end)} is shown."
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def _month_days(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) moved by `months`; ValueError when it leaves years 1–9999."""
    index = year * 12 + month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError("outside the calendar")
    return year, month + 1


def _month(year: int, month: int) -> Period:
    first = date(year, month, 1)
    return Period(first, date(year, month, _month_days(first)), MONTH)


def _quarter(year: int, month: int) -> Period:
    first_month = (month - 1) // 3 * 3 + 1
    last = date(year, first_month + 2, 1)
    return Period(date(year, first_month, 1), date(year, first_month + 2, _month_days(last)), QUARTER)


def _iso_weeks(year: int) -> int:
    return date(year, 12, 28).isocalendar()[1]


def _same_day_year_before(day: date) -> date:
    return date(day.year - 1, day.month, min(day.day, _month_days(date(day.year - 1, day.month, 1))))


def _last_week(reference: date) -> Period:
    # A week is complete once its Sunday is in: on a Sunday that is this week.
    sunday = reference - timedelta(days=(reference.weekday() + 1) % 7)
    return Period(sunday - timedelta(days=6), sunday, WEEK)


def _last_month(reference: date) -> Period:
    if reference.day == _month_days(reference):
        return _month(reference.year, reference.month)
    return _month(*_add_months(reference.year, reference.month, -1))


def _last_quarter(reference: date) -> Period:
    this = _quarter(reference.year, reference.month)
    if reference == this.end:
        return this
    return _quarter(*_add_months(this.start.year, this.start.month, -3))


def _days_back(days: int):
    return lambda reference: Period(reference - timedelta(days=days - 1), reference, DAYS)


def _same_month_last_year(reference: date) -> Period:
    month = _last_month(reference)
    return _month(month.start.year - 1, month.start.month)


_PRESET = {
    "last-week": _last_week,
    "last-month": _last_month,
    "last-quarter": _last_quarter,
    "this-month": lambda reference: Period(reference.replace(day=1), reference, MONTH_SO_FAR if reference.day < _month_days(reference) else MONTH),
    "last-7-days": _days_back(7),
    "last-30-days": _days_back(30),
    "last-90-days": _days_back(90),
    "same-month-last-year": _same_month_last_year,
}


# Finer granularities to fall back on, coarsest first.
_FINER = {"month": ("week", "day"), "week": ("day",), "day": ()}


def periods_in(start: date, end: date, granularity: str) -> int:
    """How many calendar days, ISO weeks or months the range touches."""
    if granularity == "month":
        return (end.year - start.year) * 12 + end.month - start.month + 1
    if granularity == "week":
        return ((end - timedelta(days=end.weekday())) - (start - timedelta(days=start.weekday()))).days // 7 + 1
    return (end - start).days + 1


def fitting_granularity(period: Period | None, granularity: str) -> tuple[str, str | None]:
    """The granularity to chart a period by, and a note when it had to be finer than asked.

    A range inside one month drawn by month is a single bar; it is drawn by week instead (by day
    when it is inside one week), and the note says so.
    """
    if period is None or periods_in(period.start, period.end, granularity) > 1:
        return granularity, None
    for finer in _FINER[granularity]:
        if periods_in(period.start, period.end, finer) > 1:
            return finer, f"{period.label()} is a single {granularity}, so it is shown by {finer}."
    return granularity, None
