from datetime import date

import pandas as pd
from conftest import article
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.frames.workspace import with_insights
from analytics.measure import compare
from analytics.measure import terms as tm
from analytics.measure.filters import Filters
from analytics.present import term_views as tv
from analytics.present.views import Selection

MARCH = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))


def _workspace(write, tmp_path):
    for day in range(1, 7):
        outlet = {"name": f"Outlet {day % 3}", "domain": f"outlet{day % 3}.test"}
        write(f"feb-{day}.md", article(day, title=f"Tariffs squeeze exporters {day}", publishedDateTime=f"2026-02-{day:02d}T09:00:00Z", webUrl=f"https://x.test/feb-{day}", provider=outlet))
        write(f"mar-{day}.md", article(day, title=f"Drought hits farms {day}", webUrl=f"https://x.test/mar-{day}", provider=outlet))
    corpus = load_corpus(tmp_path)
    return with_insights(corpus, corpus.sources)


def test_each_chart_draws_exactly_its_downloadable_frame(write, tmp_path):
    ws = _workspace(write, tmp_path)
    matrix = tm.term_matrix(ws.corpus.articles)
    panels = tv.terms_panels(Selection(ws, MARCH), matrix)
    assert list(panels) == ["top-terms", "distinctive-terms", "rising-terms"]
    for name, (frame, figure) in panels.items():
        bars = figure.data[0]
        assert list(bars.y) == frame[tm.TERM].tolist()[::-1]  # the first term on top
        assert [point[0] for point in bars.customdata] == list(bars.y)  # a click names its term
    assert list(panels["top-terms"][0][tm.TERM][:3]) == ["drought", "drought hits", "farms"]
    assert list(panels["top-terms"][1].data[0].x)[-1] == 6  # articles using "drought"
    rising = panels["rising-terms"][0]
    assert "drought" in set(rising[tm.TERM]) and "tariffs" not in set(rising[tm.TERM])
    assert rising[tm.REFERENCE_COUNT].eq(0).all()


def test_rising_terms_are_measured_against_the_period_before(write, tmp_path):
    ws = _workspace(write, tmp_path)
    before = tv.previous_articles(Selection(ws, MARCH))
    assert before[s.PUBLISHED_AT].dt.month.eq(2).all() and len(before) == 6


def test_a_comparison_lists_what_each_side_used_more(write, tmp_path):
    ws = _workspace(write, tmp_path)
    matrix = tm.term_matrix(ws.corpus.articles)
    pair = compare.period_vs_previous(MARCH, date(2026, 2, 1), date(2026, 3, 31))
    panels = tv.compare_terms_panels(Selection(ws, MARCH), pair, matrix)
    a, b = panels["compare-terms-a"][0], panels["compare-terms-b"][0]
    assert "drought" in set(a[tm.TERM]) and "tariffs" in set(b[tm.TERM])
    assert not set(a[tm.TERM]) & set(b[tm.TERM])
    assert panels["compare-terms-a"][1].layout.title.text.startswith("Terms ")


def test_a_clicked_term_lists_the_articles_using_it(write, tmp_path):
    ws = _workspace(write, tmp_path)
    articles = ws.corpus.articles
    matrix = tm.term_matrix(articles)
    term = tv.clicked_term([{"x": 6}, {"customdata": ["farms", 6, 6, 3]}])
    using = tm.articles_using(matrix, articles, term)
    assert_frame_equal(using, articles[articles[s.TITLE].str.contains("farms")])
    assert tm.articles_using(matrix, articles, "no such term").empty
    assert tv.clicked_term([]) is None
    march = articles[articles[s.PUBLISHED_AT].dt.month == 3].iloc[::2]
    assert tm.articles_using(matrix, march, "drought")[s.DOC_ID].tolist() == march[s.DOC_ID].tolist()
    assert pd.api.types.is_string_dtype(using[s.TITLE])


def test_with_nothing_to_compare_with_the_lists_are_empty_and_say_why(write, tmp_path):
    ws = _workspace(write, tmp_path)
    panels = tv.terms_panels(Selection(ws, Filters()), tm.term_matrix(ws.corpus.articles))
    assert len(panels["top-terms"][0]) > 0
    assert panels["distinctive-terms"][0].empty and panels["rising-terms"][0].empty
    assert tv.empty_notes(panels) == [tv.EMPTY_NOTES["distinctive-terms"], tv.EMPTY_NOTES["rising-terms"]]
    assert list(panels["rising-terms"][0].columns) == tm.DISTINCTIVE_COLUMNS
