"""What the dashboard shows of a dataset without reading its articles: choices, colours, caption and the Overview.

A dataset (`measure.dataset_source.DatasetSource`) may hold more articles than one process can.
The sidebar's choices, the colour of every outlet and topic and the header come from its
manifest and rollups; so does the Overview when articles (not stories) are counted: the same
KPIs, comparisons, volume chart and spikes as `views.overview_view` gives on the rows. For
topic, score or text filters the rollups are made from the selected rows, read with only the
columns rollups need (`DatasetSource.rollup_rows`). Only the stories behind the spikes and the
events of the period are read as whole rows, and only theirs. The other views, and the
Overview when counting stories, run the ordinary view models on a window of rows
(`DatasetSource.window`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from analytics import schema as s
from analytics.frames import rollups as r
from analytics.frames.stories import story_ids
from analytics.measure import dataset_rows as dr
from analytics.measure import metrics as m
from analytics.measure import overview as ov
from analytics.measure import periods as pr
from analytics.measure import spikes as sp
from analytics.measure.dataset_source import DatasetSource
from analytics.measure.filters import (
    Filters,
    event_types,
    outlet_labels,
    outlet_names,
    topics_of,
)
from analytics.measure.selection import (
    PREVIOUS,
    comparison_periods,
    comparison_phrase,
    filtered_period,
)
from analytics.present import charts
from analytics.present import controls as ct
from analytics.present import insight_charts as ic
from analytics.present import views as vw
from analytics.present.report_format import label_periods

# Spike stories and events are read as rows; past this many a period's rows are not listed.
LISTED_ROWS = 200_000
# What grouping stories and listing a spike's stories read of each article (not its text).
STORY_COLUMNS = [s.TITLE, s.PUBLISHED_AT, s.CANONICAL_URL, s.PROVIDER_DOMAIN, s.PROVIDER_NAME, s.CATEGORY]


def choices(src: DatasetSource, today: date | None = None) -> ct.Choices:
    """What each sidebar control offers for a dataset (as `controls.choices` for a loaded corpus)."""
    first, last = src.span
    today = today or date.today()
    labels = outlet_labels(src.outlets)
    types = src.values[s.TYPE]
    return ct.Choices(
        first_day=first or today,
        last_day=last or today,
        outlets=sorted(labels, key=lambda domain: labels[domain].lower()),
        outlet_labels=labels,
        topics=src.topics,
        categories=src.values[s.CATEGORY],
        types=types,
        quality=src.score_spans[s.QUALITY],
        heat=src.score_spans[s.HEAT],
        busiest_outlet=str(src.outlets[s.PROVIDER_DOMAIN].iloc[0]) if len(src.outlets) else None,
        events=event_types(pd.DataFrame({s.TYPE: types})),
    )


def colors(src: DatasetSource) -> dict[str, str]:
    """One colour per outlet and per topic, most frequent first (as `charts.corpus_colors`)."""
    return charts.color_map(src.outlets[s.PROVIDER_NAME].astype(str).tolist() + src.topics)


def rollups_answer(filters: Filters, count_stories: bool) -> bool:
    """Whether the Overview of these filters comes from rollups (else from a window of rows): unless stories are counted."""
    return not count_stories


def caption(src: DatasetSource, filters: Filters, source: str) -> str:
    """The header of the page, as `views.header_caption` writes it."""
    return vw.caption_text(src.count(filters), src.articles, source, filters.describe(outlet_names(src.outlets)))


def overview(src: DatasetSource, filters: Filters, o: m.MetricOptions, split: str | None, palette: dict[str, str]) -> vw.OverviewPage:
    """KPIs against the previous calendar period, volume with spikes and notes, and the stories behind the spikes, from the rollups."""
    period = filtered_period(filters, src.span)
    granularity, note = pr.fitting_granularity(period, o.granularity)
    now = src.rollup_rows(filters)
    volume = ov.volume(now, granularity=granularity, split=split, top_n=o.top_n, rolling=o.rolling)
    groups = vw.top_groups(volume) if split else None
    found = sp.spikes_within(
        src.history_volume(filters, granularity=granularity, split=split, top_n=o.top_n, top_groups=groups),
        start=period.start if period else None, end=period.end if period else None,
    )
    figure = charts.volume_figure(volume, colors=palette, title=f"Articles per {granularity}", unit=m.ARTICLES)
    ic.add_annotation_lines(ic.add_spike_markers(figure, found), src.notes)
    label_periods(figure, granularity)
    compared = [(key, comparison_phrase(name, other), src.rollup_rows(replace(filters, start=other.start, end=other.end))) for key, name, other in comparison_periods(period)]
    before = next((rows for key, _, rows in compared if key == PREVIOUS), None)
    kpis = ov.kpis(now, before if before is not None else dr.RollupRows(pd.DataFrame(), pd.DataFrame(), pd.DataFrame()))
    undated = int(now.articles.loc[now.articles[r.DAY].isna(), r.ARTICLES].sum()) if len(now.articles) else 0
    view = vw.Overview(kpis, volume, figure, found, _spike_stories(src, filters, found, granularity, split, groups), undated, granularity, note)
    count = int(kpis.loc[kpis[m.METRIC] == "Articles", m.VALUE].iloc[0])
    notes = vw.comparison_lines(count, [(phrase, int(rows.articles[r.ARTICLES].sum()) if len(rows.articles) else 0) for _, phrase, rows in compared], "article", m.ARTICLES)
    previous = next((other for key, _, other in comparison_periods(period) if key == PREVIOUS), None)
    return vw.OverviewPage(view, vw.card_texts(kpis, m.ARTICLES, previous), notes, _events(src, filters))


def _spike_stories(src: DatasetSource, filters: Filters, found: pd.DataFrame, granularity: str, split: str | None, groups: list[str] | None) -> pd.DataFrame:
    """The stories behind each spike, from the rows of the spiking periods only (stories grouped within them)."""
    if found.empty:
        return pd.DataFrame()
    spans = [pd.Period(pd.Timestamp(start), freq=m.GRANULARITIES[granularity]) for start in sorted(found[m.PERIOD].unique())]
    try:
        rows = dr.select(
            src.reader, filters, columns=STORY_COLUMNS, related=True, topics=split == "topic", max_rows=LISTED_ROWS,
            within=[(p.start_time.date(), p.end_time.date()) for p in spans],
        )  # the topic rows only when the chart's groups are topics
    except dr.SelectionTooLarge:
        return pd.DataFrame()
    articles, topics, related = rows.articles, rows.topics, rows.related
    stories = story_ids(articles, related)
    return sp.spike_stories(found, articles, stories, topics, granularity=granularity, split=split, top_groups=groups)


def within_period(filters: Filters, start: object, granularity: str) -> Filters:
    """The filters narrowed to the period of `granularity` that starts at `start` (a chart's bar)."""
    span = pd.Period(pd.Timestamp(start), freq=m.GRANULARITIES[granularity])
    first, last = span.start_time.date(), span.end_time.date()
    return replace(filters, start=max(first, filters.start or first), end=min(last, filters.end or last))


def _events(src: DatasetSource, filters: Filters) -> pd.DataFrame:
    """The events the filters leave out of the counts, as `views.events_in_period` lists them."""
    if not filters.exclude_types:
        return pd.DataFrame()
    try:
        rows = dr.select(src.reader, replace(filters, types=filters.exclude_types, exclude_types=()), max_rows=LISTED_ROWS)
    except dr.SelectionTooLarge:
        return pd.DataFrame()
    return m.top_stories(rows.articles, topics_of(rows.topics, rows.articles), limit=None) if len(rows.articles) else pd.DataFrame()
