"""The dashboard, run headless with Streamlit's AppTest."""

import json
from pathlib import Path

import pytest
from conftest import article, mixed_corpus
from streamlit.testing.v1 import AppTest

from analytics import load_corpus
from analytics import schema as s
from analytics.frames.dataset import build_dataset
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


def test_runs_on_the_sample_data(monkeypatch, sample):
    app = run_app(SAMPLE, monkeypatch)
    assert not app.exception
    assert kpi(app, "Articles") == f"{sample.loaded:,}"
    assert kpi(app, "Files seen") == f"{sample.files_seen:,}"
    assert [tab.label for tab in app.tabs] == [
        "Overview", "Outlets", "Topics", "Quality vs heat", "Stories", "Articles", "Changes", "Compare", "Data health",
    ]
    assert not app.error


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
    app = run_app(tmp_path, monkeypatch)
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
    app = run_app(SAMPLE, monkeypatch, cmp="period")
    assert not app.exception
    app.radio(key="cmp").set_value("outlets").run()
    assert not app.exception
    assert app.multiselect(key="cmp_outlets").value == ["dailyledger.example"]


def test_bad_annotation_rows_are_reported(monkeypatch):
    app = run_app(SAMPLE, monkeypatch)
    assert any("annotations file could not be used" in w.value for w in app.warning)


def test_changes_view_respects_the_minimum_count(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, dates=["2026-09-01", "2026-10-29"])
    assert not app.exception
    app.slider(key="min_count").set_value(15).run()
    assert not app.exception


def test_opens_a_dataset_folder(monkeypatch, tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    expected = load_corpus(one, two, cache=False)
    app = run_app(tmp_path / "ds", monkeypatch)
    assert not app.exception and not app.error
    assert kpi(app, "Articles") == f"{expected.loaded:,}"
    assert kpi(app, "Files seen") == f"{expected.files_seen:,}"
