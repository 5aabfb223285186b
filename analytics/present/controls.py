"""What the dashboard's sidebar offers, and the `Filters` its chosen values mean.

Kept out of `dashboard.py` so that the choices and their reading are plain, tested functions;
the dashboard only draws the widgets.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import schema as s
from analytics.frames.corpus import Corpus
from analytics.measure import periods as pr
from analytics.measure.filters import ALL, ANY, Filters, event_types, names_by_count, outlet_labels
from analytics.measure.metrics import MetricOptions
from analytics.present.views import data_span

PUBLISHED_CHOICES = {"any": None, "yes": True, "no": False}
TOPIC_MODES = {ANY: "any of these topics", ALL: "all of these topics"}
COUNTS = ("articles", "stories")
# The date presets offered in the sidebar ("custom" first: a link with only `dates=` means those dates).
DATE_PRESETS = {pr.CUSTOM: pr.PRESETS[pr.CUSTOM]} | {name: label for name, label in pr.PRESETS.items() if name not in (pr.CUSTOM, pr.ALL)}
# The widest dates a custom range may be typed as; anything beyond the data is clamped, never refused.
TYPED_RANGE = (date(1, 1, 1), date(9999, 12, 31))
# Link parameters whose values must be among the data's, with how a notice names them.
LINK_LISTS = {"outlet": "outlet", "topic": "topic", "category": "category", "type": "type"}
# (A link carries what a widget shows: the outlet's label, the topic mode's and the preset's wording.)
LINK_CHOICES = {"count": COUNTS, "period": ("day", "week", "month"), "topic_mode": tuple(TOPIC_MODES.values()), "published": tuple(PUBLISHED_CHOICES)}
SPLIT_CHOICES = ("none", "provider", "topic", "category")


@dataclass(frozen=True)
class ViewChoices:
    """The sidebar's "View" choices as the views take them."""

    options: MetricOptions
    split: str | None  # what volume is split by (None: not split)
    count_stories: bool  # count syndicated copies and follow-ups of one story once


def view_choices(count: str | None, granularity: str | None, top_n: int, rolling: int, split: str) -> ViewChoices:
    """What the chosen view widgets mean: an unset period is a month, a rolling mean of 0 and a split of "none" are off."""
    options = MetricOptions(top_n=top_n, granularity=granularity or "month", rolling=rolling or None)
    return ViewChoices(options, None if split == "none" else split, count == "stories")


@dataclass(frozen=True)
class Choices:
    """The values each sidebar control offers for one corpus."""

    first_day: date
    last_day: date
    outlets: list[str]  # domains, ordered by their labels
    outlet_labels: dict[str, str]
    topics: list[str]  # most frequent first
    categories: list[str]
    types: list[str]
    quality: tuple[float, float] | None  # None: no range to choose from
    heat: tuple[float, float] | None
    busiest_outlet: str | None
    events: tuple[str, ...] = ()  # event types in the data (left out of article counts unless asked)

    def filters(
        self,
        days: tuple[date | None, date | None],
        *,
        outlets: list[str] = (),
        topics: list[str] = (),
        topic_mode: str = "any",
        categories: list[str] = (),
        types: list[str] = (),
        published: str = "any",
        quality: tuple[float, float] | None = None,
        heat: tuple[float, float] | None = None,
        search: str = "",
        include_events: bool = False,
    ) -> Filters:
        """The filters the chosen values mean: a control left at its full range filters nothing,
        so undated articles and articles without scores stay in."""
        start, end = days
        if (start, end) == (self.first_day, self.last_day):
            start = end = None
        return Filters(
            start=start, end=end, providers=tuple(outlets), topics=tuple(topics), topic_mode=topic_mode,
            categories=tuple(categories), types=tuple(types), published=PUBLISHED_CHOICES[published],
            quality=_narrowed(quality, self.quality), heat=_narrowed(heat, self.heat), search=search,
            exclude_types=() if include_events else tuple(kind for kind in self.events if kind not in types),
        )


def choices(corpus: Corpus, today: date | None = None) -> Choices:
    """What each control offers: the data's date span (today when nothing is dated), the outlets,
    topics, categories and types found, and the score ranges."""
    articles = corpus.articles
    first, last = data_span(corpus)
    today = today or date.today()
    labels = outlet_labels(articles)
    domains = names_by_count(articles[s.PROVIDER_DOMAIN])
    return Choices(
        first_day=first or today,
        last_day=last or today,
        outlets=sorted(labels, key=lambda domain: labels[domain].lower()),
        outlet_labels=labels,
        topics=names_by_count(corpus.topics[s.TOPIC]),
        categories=_values(articles[s.CATEGORY]),
        types=_values(articles[s.TYPE]),
        quality=_span(articles[s.QUALITY]),
        heat=_span(articles[s.HEAT]),
        busiest_outlet=domains[0] if domains else None,
        events=event_types(articles),
    )


@dataclass(frozen=True)
class DateChoice:
    """The dates a preset or typed range means, and a note when they are not exactly what was asked."""

    start: date | None
    end: date | None
    note: str | None = None
    period: pr.Period | None = None  # the preset's calendar period (None for custom dates)


def dates_chosen(preset: str | None, typed: tuple[date | None, date | None], offer: Choices, today: date | None = None) -> DateChoice:
    """What the date controls mean: a preset counted back from today (or from the data's last day
    when it ends earlier), else the typed range clamped to the data with a note. Never refused."""
    first, last = offer.first_day, offer.last_day
    if preset and preset != pr.CUSTOM:
        reference = pr.as_of(last, today or date.today())
        period = pr.preset_period(preset, reference)
        if period is None:
            return DateChoice(None, None, f"“{pr.PRESETS[preset]}” falls outside the calendar; every date is shown.")
        start, end, note = pr.clamp(period.start, period.end, first, last)
        shown = f"{pr.PRESETS[preset]}: {period.label()}" + (f" ({period.dates()})" if period.label() != period.dates() else "")
        if reference < (today or date.today()):
            shown += f", counted back from {pr.Period(reference, reference).dates()}, the last day with articles"
        return DateChoice(start, end, shown + "." + (f" {note}" if note else ""), period)
    start, end = typed
    if start is None or end is None:
        return DateChoice(start, end)
    # The dates stay as asked (October is still compared with September when the data stops on
    # the 29th); the note says which days actually hold articles.
    _, _, note = pr.clamp(start, end, first, last)
    return DateChoice(min(start, end), max(start, end), note)


def link_notices(params: Mapping[str, list[str]], offer: Choices) -> list[str]:
    """A sentence for each value in a shared link that does not apply to this data, saying what is shown instead."""
    notes = []
    known = {"outlet": set(offer.outlet_labels.values()), "topic": set(offer.topics), "category": set(offer.categories), "type": set(offer.types)}
    for key, noun in LINK_LISTS.items():
        unknown = [value for value in params.get(key, []) if value not in known[key]]
        if unknown:
            kept = len(params.get(key, [])) - len(unknown)
            instead = f"the other chosen {noun}s are shown" if kept else f"every {noun} is shown"
            notes.append(f"The link asks for {noun} {', '.join(map(repr, unknown))}, which {'is' if len(unknown) == 1 else 'are'} not in this data; {instead}.")
    for key, allowed in LINK_CHOICES.items():
        bad = [value for value in params.get(key, []) if value not in allowed]
        if bad:
            notes.append(f"The link’s {key}={bad[0]!r} is not one of {', '.join(allowed)}; the default is shown.")
    dates = params.get("dates", [])
    try:
        [date.fromisoformat(value) for value in dates]
    except ValueError:
        notes.append(f"The link’s dates {', '.join(dates)} are not dates like 2019-12-31; every date is shown.")
    preset = params.get("when", [])
    if preset and preset[0] not in DATE_PRESETS.values():
        notes.append(f"The link’s period {preset[0]!r} is not one of the presets; custom dates are shown.")
    return notes


def link_dates(params: Mapping[str, list[str]]) -> tuple[date | None, date | None] | None:
    """The dates a link asks for (`dates=START&dates=END`), whatever the data holds; None without valid ones."""
    try:
        days = [date.fromisoformat(value) for value in params.get("dates", [])]
    except ValueError:
        return None
    return (days[0], days[-1]) if days else None


def data_folder(argv: Sequence[str], environ: Mapping[str, str], default: str) -> str:
    """The folder to open: `-- --data PATH`, else $NEWS_ANALYTICS_DATA, else `default`."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data")
    args, _ = parser.parse_known_args(list(argv))
    return args.data or environ.get("NEWS_ANALYTICS_DATA") or default


def date_pair(picked: object) -> tuple[date | None, date | None]:
    """A date input's value as (start, end): it gives one date while the second is being picked."""
    if isinstance(picked, (tuple, list)):
        return (tuple(picked) + (None, None))[:2]
    return picked, picked


def _values(column: pd.Series) -> list[str]:
    return sorted(names_by_count(column))


def _span(column: pd.Series) -> tuple[float, float] | None:
    values = column.dropna()
    if values.empty or values.min() == values.max():
        return None
    return float(values.min()), float(values.max())


def _narrowed(chosen: tuple[float, float] | None, span: tuple[float, float] | None) -> tuple[float, float] | None:
    if chosen is None or span is None or tuple(chosen) == span:
        return None
    return float(chosen[0]), float(chosen[1])
