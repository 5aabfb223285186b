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
from analytics.measure.filters import ALL, ANY, Filters, outlet_labels
from analytics.measure.metrics import MetricOptions
from analytics.present.views import data_span

PUBLISHED_CHOICES = {"any": None, "yes": True, "no": False}
TOPIC_MODES = {ANY: "any of these topics", ALL: "all of these topics"}
COUNTS = ("articles", "stories")
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
        )


def choices(corpus: Corpus, today: date | None = None) -> Choices:
    """What each control offers: the data's date span (today when nothing is dated), the outlets,
    topics, categories and types found, and the score ranges."""
    articles = corpus.articles
    first, last = data_span(corpus)
    today = today or date.today()
    labels = outlet_labels(articles)
    domains = articles[s.PROVIDER_DOMAIN].dropna().astype(str)
    return Choices(
        first_day=first or today,
        last_day=last or today,
        outlets=sorted(labels, key=lambda domain: labels[domain].lower()),
        outlet_labels=labels,
        topics=corpus.topics[s.TOPIC].astype(str).value_counts().index.tolist(),
        categories=_values(articles[s.CATEGORY]),
        types=_values(articles[s.TYPE]),
        quality=_span(articles[s.QUALITY]),
        heat=_span(articles[s.HEAT]),
        busiest_outlet=domains.value_counts().index[0] if len(domains) else None,
    )


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
    return sorted(column.dropna().astype(str).unique())


def _span(column: pd.Series) -> tuple[float, float] | None:
    values = column.dropna()
    if values.empty or values.min() == values.max():
        return None
    return float(values.min()), float(values.max())


def _narrowed(chosen: tuple[float, float] | None, span: tuple[float, float] | None) -> tuple[float, float] | None:
    if chosen is None or span is None or tuple(chosen) == span:
        return None
    return float(chosen[0]), float(chosen[1])
