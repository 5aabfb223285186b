"""The meeting report's editorial-insight sections: stories, spikes, concentration, A vs B, notes.

Each function turns one insight metric into plain values for the template (which escapes every
text); charts come back as embeddable markup. Nothing here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import schema as s
from analytics.frames import stories as st
from analytics.frames.corpus import Corpus
from analytics.measure import compare as cmp
from analytics.measure import concentration as cc
from analytics.measure import metrics as m
from analytics.measure import spikes as sp
from analytics.measure.selection import Selection
from analytics.present import insight_charts as ic
from analytics.present.report_format import (
    date_text,
    day_text,
    embed,
    label_periods,
    lag_text,
    number,
    period_start_text,
    period_text,
    signed,
    time_text,
    web_address,
)
from analytics.read import annotations as an

# The volume series checked for spikes, and how the report names each.
SPIKE_SERIES = {None: "All articles", "topic": "Topic", "provider": "Outlet"}
SPIKE_OPTIONS = sp.SpikeOptions()
SPIKES_SHOWN = 8
STORIES_PER_SPIKE = 3
TIMELINE_STORIES = 8
FOLLOWERS_SHOWN = 6
OUTSIDE_OUTLETS_SHOWN = 10


@dataclass(frozen=True)
class SpikeFindings:
    """The spikes inside the report's period: per series (None, "topic", "provider") and as table rows."""

    by_series: dict[str | None, pd.DataFrame]
    rows: list[dict]
    not_shown: int = 0


def find_spikes(sel: Selection, options: m.MetricOptions) -> SpikeFindings:
    """Spikes of overall, per-topic and per-outlet volume whose period starts inside the selected dates.

    Each series is what the dashboard draws for the same view (its top groups within the
    selection), and every period is judged by `Selection.spikes` against the whole history.
    """
    counted, counted_t = sel.counted
    by_series: dict[str | None, pd.DataFrame] = {}
    rows: list[dict] = []
    for split, kind in SPIKE_SERIES.items():
        groups = None if split is None else m.volume(counted, counted_t, granularity=options.granularity, split=split, top_n=options.top_n)[m.GROUP].unique().tolist()
        found = sel.spikes(granularity=options.granularity, split=split, top_groups=groups, top_n=options.top_n, options=SPIKE_OPTIONS)
        by_series[split] = found
        behind = sp.spike_stories(
            found, sel.a, sel.ws.story_map, sel.t, granularity=options.granularity, split=split, top_groups=groups, per_spike=STORIES_PER_SPIKE
        )
        for spike in found.itertuples(index=False):
            drivers = behind[(behind[m.PERIOD] == spike.period) & (behind[m.GROUP] == spike.group)]
            if (drivers[sp.ARTICLES] > 1).any():  # single articles are noise beside a story that ran several times
                drivers = drivers[drivers[sp.ARTICLES] > 1]
            rows.append(
                {
                    "when": spike.period,
                    "period": period_start_text(spike.period, options.granularity),
                    "kind": kind,
                    "group": None if split is None else spike.group,
                    "count": number(spike.count),
                    "baseline": number(round(spike.baseline)),
                    "score": float(spike.score),
                    "stories": [
                        {"title": row[s.TITLE], "articles": int(row[sp.ARTICLES]), "outlets": int(row[st.N_OUTLETS])}
                        for _, row in drivers.iterrows()
                    ],
                }
            )
    # Every spike of all articles (each has a marker on the volume chart), then the strongest of the rest.
    shown = sorted(rows, key=lambda row: (row["group"] is not None, -row["score"]))[:SPIKES_SHOWN]
    return SpikeFindings(by_series, sorted(shown, key=lambda row: row["when"]), len(rows) - len(shown))


def story_section(
    articles: pd.DataFrame, corpus: Corpus, story_map: pd.DataFrame, colors: dict[str, str], *, limit: int
) -> dict:
    """The largest stories among `articles` (two articles or more), their timeline and outlets seen only in related items."""
    grouped = st.stories(articles, story_map)
    multi = grouped[grouped[st.SIZE] >= 2]
    top = multi.head(limit)
    followers = st.story_followers(articles, story_map, story_ids=top[st.STORY_ID].tolist())
    urls = articles.drop_duplicates(s.DOC_ID).set_index(s.DOC_ID)[s.WEB_URL]
    by_story = {story: rows for story, rows in followers.groupby(st.STORY_ID, sort=False)}
    rows = [_story_row(story, by_story[story[st.STORY_ID]], urls) for _, story in top.iterrows()]
    shown = top.head(TIMELINE_STORIES)
    timeline = None
    if len(shown):
        labels = {story_id: f"{rank}. {title}" for rank, (story_id, title) in enumerate(zip(shown[st.STORY_ID], shown[s.TITLE]), 1)}
        # Rows in the table's order (largest first), not in the order the stories broke.
        rank = {story_id: index for index, story_id in enumerate(shown[st.STORY_ID])}
        on_timeline = followers[followers[st.STORY_ID].isin(rank)]
        on_timeline = on_timeline.iloc[on_timeline[st.STORY_ID].map(rank).argsort(kind="stable")]
        figure = ic.story_timeline_figure(on_timeline, labels=labels, colors=colors, aligned=True)
        timeline = embed(figure, "story-timeline")
    known = corpus.articles[s.PROVIDER_DOMAIN].dropna().astype(str).unique()
    outside = st.outside_outlets(articles, corpus.related, known_domains=known).head(OUTSIDE_OUTLETS_SHOWN)
    return {
        "rows": rows,
        "count": len(multi),
        "articles": int(multi[st.SIZE].sum()),
        "timeline": timeline,
        "timeline_count": len(shown),
        "outside": [
            {"name": row[s.PROVIDER_NAME], "domain": row[s.PROVIDER_DOMAIN], "mentions": number(row[st.MENTIONS]), "citing": number(row[st.ARTICLES_CITING])}
            for _, row in outside.iterrows()
        ],
    }


def _story_row(story: pd.Series, followers: pd.DataFrame, urls: pd.Series) -> dict:
    """One story for the table: the first article, and each other outlet with how long after it first ran the story."""
    first = followers[followers[st.IS_FIRST]].iloc[0]
    later = followers[~followers[st.IS_FIRST] & (followers[s.PROVIDER_NAME] != first[s.PROVIDER_NAME])]
    later = later.drop_duplicates(s.PROVIDER_NAME)
    return {
        "title": story[s.TITLE],
        "url": web_address(urls.get(first[s.DOC_ID])),
        "size": number(story[st.SIZE]),
        "outlets": number(story[st.N_OUTLETS]),
        "first_outlet": story[st.FIRST_OUTLET],
        "first_time": time_text(story[st.FIRST_PUBLISHED_AT]),
        "followers": [{"outlet": row[s.PROVIDER_NAME], "lag": lag_text(row[st.LAG_HOURS])} for _, row in later.head(FOLLOWERS_SHOWN).iterrows()],
        "more_followers": max(0, len(later) - FOLLOWERS_SHOWN),
    }


def concentration_rows(articles: pd.DataFrame, topics: pd.DataFrame, *, top_n: int) -> list[dict]:
    """The biggest topics with their effective number of outlets and HHI."""
    frame = cc.outlet_concentration(articles, topics, top_n=top_n)
    return [
        {
            "topic": row[s.TOPIC],
            "articles": number(row[cc.ARTICLES]),
            "outlets": number(row[cc.OUTLETS]),
            "effective": f"{row[cc.EFFECTIVE_OUTLETS]:.1f}",
            "hhi": f"{row[cc.HHI]:.2f}",
            "top_outlet": row[cc.TOP_OUTLET],
            "top_share": f"{row[cc.TOP_SHARE]:.0%}",
            "narrow": row[cc.EFFECTIVE_OUTLETS] < 2,
        }
        for _, row in frame.iterrows()
    ]


def comparison_section(a: cmp.Side, b: cmp.Side, name: str, options: m.MetricOptions) -> dict:
    """A vs B (already filtered) for volume, topic mix and quality vs heat, each with the difference A − B."""
    labels = (a.label, b.label)
    volume = cmp.compare_volume(a, b, granularity=options.granularity)
    mix = cmp.compare_topics(a, b, top_n=options.top_n)
    quality = cmp.compare_quality(a, b)
    total_a, total_b = int(volume[cmp.COUNT_A].sum()), int(volume[cmp.COUNT_B].sum())
    figure = ic.compare_volume_figure(volume, labels=labels)
    if volume[cmp.PERIOD_A].equals(volume[cmp.PERIOD_B]):
        label_periods(figure, options.granularity)
    else:
        # Steps are numbered 1, 2, …: whole numbers only, and months named by the two they set side by side.
        figure.update_xaxes(tickformat="d", dtick=1 if len(volume) <= _NAMED_STEPS else None)
        if options.granularity == "month" and len(volume) <= _NAMED_STEPS:
            names = [f"{date_text(x, '%b %Y')}<br>vs {date_text(y, '%b %Y')}" for x, y in zip(volume[cmp.PERIOD_A], volume[cmp.PERIOD_B])]
            figure.update_xaxes(tickmode="array", tickvals=(volume[cmp.STEP] + 1).tolist(), ticktext=names)
    return {
        "name": name,
        "label_a": a.label,
        "label_b": b.label,
        "dates_a": period_text(a.start, a.end),
        "dates_b": period_text(b.start, b.end),
        "total_a": number(total_a),
        "total_b": number(total_b),
        "difference": signed(total_a - total_b),
        "volume": embed(figure, f"compare-{name}-volume"),
        "topics": embed(ic.compare_topics_figure(mix, labels=labels), f"compare-{name}-topics") if len(mix) else None,
        "quality": _quality_rows(quality),
    }


def _quality_rows(frame: pd.DataFrame) -> list[dict]:
    """The quality-vs-heat summary of both sides; quadrants also as a share of each side's scored articles."""
    scored = frame.set_index(m.METRIC).loc["Articles with both scores"]
    rows = []
    for _, row in frame.iterrows():
        metric, a, b, difference = row[m.METRIC], row[cmp.VALUE_A], row[cmp.VALUE_B], row[cmp.DIFFERENCE]
        if metric == "Spearman correlation":
            a_text, b_text = ("–" if pd.isna(v) else f"{v:.2f}" for v in (a, b))
            rows.append({"metric": metric, "a": a_text, "b": b_text, "difference": signed(difference, 2), "points": None})
            continue
        row_text = {"metric": metric, "a": number(a), "b": number(b), "difference": signed(difference, 1 if metric.startswith("Median") else 0), "points": None}
        if metric in _QUADRANTS:
            share_a, share_b = _share(a, scored[cmp.VALUE_A]), _share(b, scored[cmp.VALUE_B])
            row_text.update(a=f"{number(a)} ({share_a:.0%})", b=f"{number(b)} ({share_b:.0%})", points=f"{signed((share_a - share_b) * 100, 1)} pts")
        rows.append(row_text)
    return rows


_NAMED_STEPS = 18
_QUADRANTS = (m.UNDER_PROMOTED, m.DESERVED, m.OVER_EXPOSED, m.LOW_PRIORITY)


def _share(count: float, total: float) -> float:
    return count / total if total else 0.0


def notes_in_period(notes: pd.DataFrame, start: date | None, end: date | None, topics: tuple[str, ...] = ()) -> pd.DataFrame:
    """The notes dated inside [start, end]; with `topics`, only notes without a topic or about one of them."""
    if start is None or end is None:
        return notes.iloc[0:0]
    when = notes[an.DATE]
    keep = (when >= pd.Timestamp(start, tz="UTC")) & (when < pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1))
    if topics:
        keep &= notes[an.TOPIC].isna() | notes[an.TOPIC].isin(list(topics))
    return notes[keep.fillna(False).astype(bool)].sort_values(an.DATE, kind="stable")


def note_rows(notes: pd.DataFrame) -> list[dict]:
    """The notes as the report lists them."""
    return [
        {"date": day_text(row[an.DATE]), "label": row[an.LABEL], "topic": None if pd.isna(row[an.TOPIC]) else row[an.TOPIC]}
        for _, row in notes.iterrows()
    ]
