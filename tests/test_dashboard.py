"""The dashboard, run headless with Streamlit's AppTest."""

import json
from pathlib import Path

import pytest
from conftest import article
from streamlit.testing.v1 import AppTest

from analytics import load_corpus
from analytics import schema as s
from analytics.measure.filters import Filters, filter_articles

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def sample():
    return load_corpus(SAMPLE)


def run_app(data: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("NEWS_ANALYTICS_DATA", str(data))
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def kpi(app: AppTest, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label == label)


VIEWS = ["Overview", "Outlets", "Topics", "Quality vs heat", "Stories", "Articles", "Changes", "Compare", "Data health"]


def test_runs_on_the_sample_data(monkeypatch, sample):
    app = run_app(SAMPLE, monkeypatch)
    assert not app.exception
    assert kpi(app, "Articles") == f"{sample.loaded:,}"
    switcher = app.segmented_control(key="view")
    assert switcher.options == VIEWS and switcher.value == "Overview"
    switcher.set_value("Data health").run()
    assert not app.exception
    assert kpi(app, "Files seen") == f"{sample.files_seen:,}"
    assert not app.error


def test_only_the_chosen_view_is_computed_and_sent(monkeypatch):
    app = run_app(SAMPLE, monkeypatch)
    assert chart_titles(app) == ["Articles per month"]  # the Overview's one chart; no other view's
    app.segmented_control(key="view").set_value("Topics").run()
    assert not app.exception
    assert len(app.get("plotly_chart")) == 4 and "Articles per month" not in chart_titles(app)
    assert not any(metric.label == "Articles" for metric in app.metric)


@pytest.mark.parametrize("view", VIEWS)
def test_the_url_opens_each_view(monkeypatch, view):
    app = run_app(SAMPLE, monkeypatch, view=view)
    assert not app.exception
    assert app.segmented_control(key="view").value == view
    assert app.get("plotly_chart") or app.dataframe or app.metric


def test_changing_a_filter_changes_the_kpis(monkeypatch, sample):
    app = run_app(SAMPLE, monkeypatch)
    app.sidebar.multiselect(key="topic").select("Policy").run()
    expected = filter_articles(sample.articles, sample.topics, Filters(topics=("Policy",)))
    assert not app.exception
    assert kpi(app, "Articles") == f"{len(expected):,}"
    assert len(expected) < sample.loaded


def test_no_match_shows_a_message_not_charts(monkeypatch):
    app = run_app(SAMPLE, monkeypatch)
    app.sidebar.text_input(key="q").input("no article says this 1f3c9").run()
    assert not app.exception
    assert any("No articles match" in info.value for info in app.info)


def test_url_restores_the_view(monkeypatch, sample):
    app = run_app(SAMPLE, monkeypatch, topic="Policy", outlet="The Daily Ledger", period="week")
    assert not app.exception
    assert app.sidebar.multiselect(key="topic").value == ["Policy"]
    assert app.sidebar.multiselect(key="outlet").value == ["dailyledger.example"]
    expected = filter_articles(sample.articles, sample.topics, Filters(topics=("Policy",), providers=("dailyledger.example",)))
    assert kpi(app, "Articles") == f"{len(expected):,}"


def test_empty_folder(monkeypatch, tmp_path):
    app = run_app(tmp_path, monkeypatch)
    assert not app.exception
    assert any("No articles were loaded" in w.value for w in app.warning)


def test_missing_folder(monkeypatch, tmp_path):
    app = run_app(tmp_path / "nope", monkeypatch)
    assert not app.exception
    assert any("does not exist" in e.value for e in app.error)


def test_hostile_titles_are_shown_as_text(monkeypatch, write, tmp_path):
    write("x.md", article(1, title="<img src=x onerror=alert(1)> Breaking"))
    app = run_app(tmp_path, monkeypatch, view="Stories")
    assert not app.exception
    assert "<img" not in "".join(md.value for md in app.markdown)
    stories = app.dataframe[0].value if app.dataframe else None
    assert stories is not None


def chart_titles(app: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"].get("title", {}).get("text", "") for chart in app.get("plotly_chart")]


def test_counting_stories_instead_of_articles(monkeypatch):
    app = run_app(SAMPLE, monkeypatch)
    assert "Articles per month" in chart_titles(app)
    app.sidebar.segmented_control(key="count").set_value("stories").run()
    assert not app.exception
    assert "Stories per month" in chart_titles(app)


def test_compare_views_run(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, view="Compare", cmp="period")
    assert not app.exception
    app.radio(key="cmp").set_value("outlets").run()
    assert not app.exception
    assert app.multiselect(key="cmp_outlets").value == ["dailyledger.example"]


def test_bad_annotation_rows_are_reported(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, view="Data health")
    assert any("annotations file could not be used" in w.value for w in app.warning)


def test_changes_view_respects_the_minimum_count(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, view="Changes", dates=["2026-09-01", "2026-10-29"])
    assert not app.exception
    app.slider(key="min_count").set_value(15).run()
    assert not app.exception
