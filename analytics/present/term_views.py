"""The Terms view and the terms of a comparison: what coverage was about, as frames and bar charts.

Each function returns (frame, figure) pairs keyed by download name, the figure drawn from exactly
that frame, as `views` does for the other views. The document-term matrix comes in from the
caller, who builds it once per load (`analytics.measure.terms.term_matrix`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.measure import compare
from analytics.measure import terms as tm
from analytics.present.charts import LAYOUT
from analytics.present.views import Selection

TERMS_NOTE = (
    "Words and two-word phrases of titles and excerpts, stop words, news boilerplate and outlet names left out. "
    "Distinctive and rising terms are ranked by the weighted log-odds ratio with an informative prior "
    "(Monroe, Colaresi & Quinn 2008): z above 2 is a clear difference. Terms only one outlet uses are listed after "
    "the rest. Click a bar to list its articles."
)
# How each list is drawn: the column its bars show, the axis title, and the chart title.
_BARS = {
    "top-terms": (tm.ARTICLES, "articles using the term", "Top terms"),
    "distinctive-terms": (tm.Z, "z-score against the rest of the data", "Distinctive: more used here than in the rest of the data"),
    "rising-terms": (tm.Z, "z-score against the previous period", "Rising: more used than in the previous period"),
}


def terms_panels(sel: Selection, matrix: tm.TermMatrix, options: tm.TermOptions = tm.TermOptions()) -> dict[str, tuple[pd.DataFrame, go.Figure]]:
    """Top terms, terms distinctive against the rest of the data and rising against the previous period."""
    frames = {
        "top-terms": tm.top_terms(matrix, sel.a, options),
        "distinctive-terms": tm.distinctive_terms(matrix, sel.a, None, options),
        "rising-terms": tm.distinctive_terms(matrix, sel.a, previous_articles(sel), options),
    }
    return {name: (frame, terms_figure(frame, *_BARS[name])) for name, frame in frames.items()}


# Why a list of distinctive terms can be empty: there is nothing to set the selection against.
EMPTY_NOTES = {
    "distinctive-terms": "Distinctive terms need other articles to compare with: the filters keep every article. Choose a period, outlets or topics.",
    "rising-terms": "Rising terms need articles in the period before, with the same filters: there are none. Choose a later period.",
}


def empty_notes(panels: dict[str, tuple[pd.DataFrame, go.Figure]]) -> list[str]:
    """What to tell the reader about each list that came out empty because it had nothing to compare with."""
    return [EMPTY_NOTES[name] for name, (frame, _) in panels.items() if frame.empty and name in EMPTY_NOTES]


def previous_articles(sel: Selection) -> pd.DataFrame:
    """The articles rising terms are measured against: the same filters over the period before."""
    return tm.previous_articles(sel.ws.corpus.articles, sel.ws.corpus.topics, sel.filters)


def compare_terms_panels(
    sel: Selection, pair: compare.Comparison, matrix: tm.TermMatrix, options: tm.TermOptions = tm.TermOptions()
) -> dict[str, tuple[pd.DataFrame, go.Figure]]:
    """The terms A uses more than B, and those B uses more than A, keyed by download name."""
    a, b = compare.sides(sel.ws.corpus.articles, sel.ws.corpus.topics, pair, sel.span)
    panels = {}
    for name, (this, other) in {"compare-terms-a": (a, b), "compare-terms-b": (b, a)}.items():
        frame = tm.distinctive_terms(matrix, this.articles, other.articles, options)
        panels[name] = (frame, terms_figure(frame, tm.Z, f"z-score: {this.label} against {other.label}", f"Terms {this.label} used more"))
    return panels


def terms_figure(frame: pd.DataFrame, value: str, axis: str, title: str) -> go.Figure:
    """Horizontal bars of `value` per term, the first term on top; each bar carries its term for clicks."""
    shown = frame.iloc[::-1]
    figure = go.Figure(go.Bar(
        x=shown[value], y=shown[tm.TERM], orientation="h", marker_color="#4C78A8",
        customdata=list(zip(shown[tm.TERM], shown[tm.COUNT], shown[tm.ARTICLES], shown[tm.OUTLETS])),
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} uses in %{customdata[2]} articles, %{customdata[3]} outlets<extra></extra>",
    ))
    height = 120 + 22 * max(len(frame), 3)
    figure.update_layout(**LAYOUT, title=title, height=height, showlegend=False, xaxis_title=axis, yaxis=dict(type="category", automargin=True))
    return figure


def clicked_term(points: list[dict]) -> str | None:
    """The term of the first clicked bar, if any."""
    return next((point["customdata"][0] for point in points if point.get("customdata")), None)


def clicked_articles(sel: Selection, matrix: tm.TermMatrix, clicked: dict[str, list[dict]], *, everything: bool = False) -> list[tuple[pd.DataFrame, str]]:
    """The articles using each clicked term, with a phrase naming it: of the selection, or of the whole data (`everything`, for comparisons)."""
    terms = [term for points in clicked.values() if (term := clicked_term(points))]
    if not terms:
        return []  # no click: the articles are not filtered for nothing
    rows = sel.ws.corpus.articles if everything else sel.a
    return [(tm.articles_using(matrix, rows, term), f"“{term}”") for term in terms]
