"""One selection, computed once, for every front door: the dashboard, the report and the CLI.

A `Selection` is the workspace narrowed by one `Filters` value. Everything a view needs beside
the filtered articles hangs off it and is worked out at most once: what is counted (articles or
stories), the calendar periods it is compared with, and the history the spikes are judged
against. The dashboard's views, the meeting report and the command line all read from it, so the
same view gives the same numbers, comparisons and spikes wherever it is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

import pandas as pd

from analytics import schema as s
from analytics.frames import stories
from analytics.frames.workspace import Workspace
from analytics.measure import periods as pr
from analytics.measure import spikes as sp
from analytics.measure.filters import Filters, article_mask, filter_articles, selected_period, topics_of
from analytics.measure.metrics import MetricOptions

PREVIOUS = "previous"
# What is counted, one and many, when counting stories (True) or articles (False).
UNITS = {False: ("article", "articles"), True: ("story", "stories")}
YEAR_BEFORE = "year before"

# How each comparison is named, by the kind of the selected period.
_PREVIOUS_NAMES = {
    pr.WEEK: "previous week", pr.MONTH: "previous month", pr.QUARTER: "previous quarter",
    pr.MONTH_SO_FAR: "same days of the previous month", pr.DAYS: "same number of days before",
}
_YEAR_NAMES = {pr.WEEK: "same week last year", pr.MONTH: "same month last year", pr.QUARTER: "same quarter last year"}


def filtered_period(filters: Filters, span: tuple[date | None, date | None]) -> pr.Period | None:
    """The filters' dates as a calendar period, the data's `span` standing in for a missing start or end."""
    start, end = selected_period(filters, None, span)
    return None if start is None or end is None else pr.period_of(start, end)


def comparison_periods(period: pr.Period | None) -> list[tuple[str, str, pr.Period]]:
    """What a period is compared with, as (key, name, period): the previous one of its kind and the same one a year before."""
    if period is None:
        return []
    found = []
    for key, shift, names in ((PREVIOUS, pr.previous, _PREVIOUS_NAMES), (YEAR_BEFORE, pr.year_before, _YEAR_NAMES)):
        other = shift(period)
        if other is not None:
            found.append((key, names.get(period.kind, "same dates last year"), other))
    return found


def drawn_options(period: pr.Period | None, options: MetricOptions) -> tuple[MetricOptions, str | None]:
    """The options charts of `period` are drawn with (a finer granularity when it is one period), and a note when finer."""
    granularity, note = pr.fitting_granularity(period, options.granularity)
    return replace(options, granularity=granularity), note


@dataclass(frozen=True, eq=False)
class Baseline:
    """A period the selection is compared with: its name, exact dates and the (counted) articles in it.

    The articles are taken when first asked for: most views only need how many there are.
    """

    key: str  # PREVIOUS or YEAR_BEFORE
    name: str  # "previous month"
    period: pr.Period
    within: Selection  # the same filters over the period's dates

    @property
    def articles(self) -> pd.DataFrame:
        return self.within.counted[0]

    @property
    def topics(self) -> pd.DataFrame:
        return self.within.counted[1]

    @property
    def count(self) -> int:
        """How many articles (or stories) the period holds."""
        return self.within.count

    @property
    def empty(self) -> bool:
        return self.count == 0

    def phrase(self) -> str:
        """The comparison for a reader, e.g. "previous month, Nov 2019 (1 Nov 2019 – 30 Nov 2019)"."""
        return comparison_phrase(self.name, self.period)


def comparison_phrase(name: str, period: pr.Period) -> str:
    """A comparison period for a reader: its `name`, label and, when the label does not say them, its dates."""
    label, dates = period.label(), period.dates()
    return f"{name}, {label}" + (f" ({dates})" if label != dates else "")


@dataclass(frozen=True)
class Selection:
    """The workspace narrowed by the filters; every derived frame computed once and shared."""

    ws: Workspace
    filters: Filters
    count_stories: bool = False
    # The articles' volume over the filters' whole history (as `metrics.volume` takes its options), when the
    # workspace holds only part of it: a dataset's rollups. Spikes are judged against it when counting articles.
    history_volume: Callable[..., pd.DataFrame] | None = None

    @cached_property
    def a(self) -> pd.DataFrame:
        """The filtered articles."""
        return filter_articles(self.ws.corpus.articles, self.ws.corpus.topics, self.filters)

    @cached_property
    def t(self) -> pd.DataFrame:
        """The topic rows of the filtered articles."""
        return topics_of(self.ws.corpus.topics, self.a)

    @property
    def unit(self) -> str:
        return UNITS[self.count_stories][1]

    @property
    def unit_one(self) -> str:
        return UNITS[self.count_stories][0]

    @cached_property
    def counted(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What volume and share charts count: every article, or the first article of each story."""
        return self._counted(self.a, self.t)

    @cached_property
    def count(self) -> int:
        """How many articles (or stories) the selection counts; articles are counted without copying their rows."""
        if self.count_stories or "a" in self.__dict__:
            return len(self.counted[0])
        return int(article_mask(self.ws.corpus.articles, self.ws.corpus.topics, self.filters).sum())

    @cached_property
    def span(self) -> tuple[date | None, date | None]:
        """The first and last publication dates in the whole data (None, None when nothing is dated)."""
        if self.ws.span is not None:  # the workspace holds part of a dataset: the dataset's dates
            return self.ws.span
        dates = self.ws.corpus.articles[s.PUBLISHED_AT].dropna()
        return (dates.min().date(), dates.max().date()) if len(dates) else (None, None)

    @cached_property
    def period(self) -> pr.Period | None:
        """The selected dates as a calendar period: the filters' dates, else the data's span."""
        return filtered_period(self.filters, self.span)

    @cached_property
    def baselines(self) -> list[Baseline]:
        """The previous calendar period of the same kind and the same period last year, each filtered when first needed."""
        return [
            Baseline(key, name, other, Selection(self.ws, replace(self.filters, start=other.start, end=other.end), self.count_stories))
            for key, name, other in comparison_periods(self.period)
        ]

    def baseline(self, key: str = PREVIOUS) -> Baseline | None:
        """One of the comparison periods by key (None when it falls off the calendar)."""
        return next((b for b in self.baselines if b.key == key), None)

    @cached_property
    def before(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Articles and topics of the previous calendar period (empty frames when there is none)."""
        found = self.baseline(PREVIOUS)
        return (found.articles, found.topics) if found else (self.a.iloc[0:0], self.t.iloc[0:0])

    @cached_property
    def history(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What the spikes are judged against: the counted articles of the filters without a start date.

        Up to the start this is every earlier article (one per story when counting stories); from
        the start on it is exactly what the selection counts, so the chart and the spikes agree.
        """
        if self.filters.start is None:
            return self.counted
        earlier = filter_articles(self.ws.corpus.articles, self.ws.corpus.topics, replace(self.filters, start=None))
        earlier = earlier[earlier[s.PUBLISHED_AT] < pd.Timestamp(self.filters.start, tz="UTC")]
        before, _ = self._counted(earlier, topics_of(self.ws.corpus.topics, earlier))
        articles = pd.concat([before, self.counted[0]]) if len(before) else self.counted[0]
        return articles, topics_of(self.ws.corpus.topics, articles)

    def spikes(self, *, granularity: str, split: str | None = None, top_groups: list[str] | None = None, top_n: int = 8, options: sp.SpikeOptions = sp.SpikeOptions()) -> pd.DataFrame:
        """The spikes inside the selected dates, each period judged against every period before it."""
        first, last = self.period.start if self.period else None, self.period.end if self.period else None
        if self.history_volume is not None and not self.count_stories:
            volume = self.history_volume(granularity=granularity, split=split, top_n=top_n, top_groups=None if split is None else top_groups)
            return sp.spikes_within(volume, start=first, end=last, options=options)
        return sp.spikes_between(
            *self.history, start=first, end=last, granularity=granularity, split=split, top_groups=top_groups, top_n=top_n, options=options
        )

    @cached_property
    def events(self) -> pd.DataFrame:
        """The events (conferences and the like) the filters leave out of the counts, to list on their own."""
        if not self.filters.exclude_types:
            return self.a.iloc[0:0]
        return self.narrow(replace(self.filters, types=self.filters.exclude_types, exclude_types=()))[0]

    def drawn_options(self, options: MetricOptions) -> tuple[MetricOptions, str | None]:
        """The options charts are drawn with (a finer granularity when the dates hold one period), and a note when finer."""
        return drawn_options(self.period, options)

    def narrow(self, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The articles and topic rows another set of filters keeps."""
        articles = filter_articles(self.ws.corpus.articles, self.ws.corpus.topics, filters)
        return articles, topics_of(self.ws.corpus.topics, articles)

    def _counted(self, articles: pd.DataFrame, topics: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        if not self.count_stories:
            return articles, topics
        firsts = stories.one_per_story(articles, self.ws.story_map)
        return firsts, topics_of(topics, firsts)
