import pandas as pd
import pytest

from analytics.present.report_format import date_text, plural


@pytest.mark.parametrize(
    ("count", "one", "many", "expected"),
    [
        (1, "article", None, "1 article"),
        (0, "article", None, "0 articles"),
        (1200, "article", None, "1,200 articles"),
        (1, "story", "stories", "1 story"),
        (3, "story", "stories", "3 stories"),
    ],
)
def test_plural(count, one, many, expected):
    assert plural(count, one, many) == expected


@pytest.mark.parametrize(
    ("when", "pattern", "expected"),
    [
        (pd.Timestamp("2026-03-02"), "%b %Y", "Mar 2026"),
        (pd.Timestamp("2026-03-02"), "%d %b %Y", "02 Mar 2026"),
        (pd.Timestamp("2026-03-02T08:00:00Z"), "%Y-%m-%d", "2026-03-02"),
        (pd.NaT, "%b %Y", "–"),
        (None, "%d %b %Y", "–"),
    ],
)
def test_date_text(when, pattern, expected):
    assert date_text(when, pattern) == expected


def test_chart_labels_from_documents_are_drawn_as_text():
    import plotly.graph_objects as go

    from analytics.present.report_format import embed, inert_labels

    lure = '<a href="https://evil.example/x">click</a>'
    figure = go.Figure(go.Bar(x=[lure, "plain"], y=[1, 2], name=lure, customdata=[[lure], ["plain"]]))
    inert_labels(inert_labels(figure))  # twice: nothing is escaped twice
    assert figure.data[0].name == '&lt;a href="https://evil.example/x">click&lt;/a>'
    assert list(figure.data[0].x) == [figure.data[0].name, "plain"] and list(figure.data[0].y) == [1, 2]
    assert figure.data[0].customdata[0][0] == lure  # what a click hands back stays the raw name
    assert "&lt;a href" in str(embed(go.Figure(go.Bar(x=[lure], y=[1])), "t"))  # the report's charts too
