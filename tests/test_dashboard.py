"""The dashboard, run headless with Streamlit's AppTest."""

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from conftest import article, document_text, mixed_corpus
from streamlit.testing.v1 import AppTest

from analytics import load_corpus
from analytics.frames.dataset import build_dataset
from analytics.measure import terms as tm
from analytics.measure.filters import Filters, filter_articles
from analytics.present.plain_text import plain

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def sample():
    return load_corpus(SAMPLE)


def run_app(started: Path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("NEWS_ANALYTICS_DATA", str(started))
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def kpi(app: AppTest, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label == label)


VIEWS = ["Overview", "Outlets", "Topics", "Quality vs heat", "Stories", "Articles", "Changes", "Compare", "Terms", "Data health"]


def test_runs_on_the_sample_data(monkeypatch, sample):
    app = run_app(SAMPLE, monkeypatch)
    assert not app.exception
    assert kpi(app, "Articles") == f"{sample.loaded - 1:,}"  # every document but the one conference
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


def test_terms_view_draws_the_terms_of_the_selection(monkeypatch, sample):
    def drawn(view: str) -> tuple[dict, set[str]]:
        app = run_app(SAMPLE, monkeypatch, topic=["Policy"], view=view)
        assert not app.exception
        charts = {json.loads(chart.proto.spec)["layout"]["title"]["text"]: json.loads(chart.proto.spec) for chart in app.get("plotly_chart")}
        return charts, {button.proto.label for button in app.get("download_button")}

    charts, downloads = drawn("Terms")
    policy = filter_articles(sample.articles, sample.topics, Filters(topics=("Policy",)))
    expected = tm.top_terms(tm.term_matrix(sample.articles), policy)
    assert charts["Top terms"]["data"][0]["y"] == expected[tm.TERM].tolist()[::-1]  # the first term on top
    assert {"Distinctive: more used here than in the rest of the data", "Rising: more used than in the previous period"} <= set(charts)
    assert {"Download top-terms (CSV)", "Download distinctive-terms (CSV)", "Download rising-terms (CSV)"} <= downloads
    charts, downloads = drawn("Compare")
    assert any(title.startswith("Terms ") and title.endswith("used more") for title in charts)  # A vs B
    assert "Download compare-terms-a (CSV)" in downloads


def test_bad_annotation_rows_are_reported(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, view="Data health")
    assert any("annotations file could not be used" in w.value for w in app.warning)


def test_changes_view_respects_the_minimum_count(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, view="Changes", dates=["2026-09-01", "2026-10-29"])
    assert not app.exception
    app.slider(key="min_count").set_value(15).run()
    assert not app.exception


def test_dates_at_the_edges_of_the_calendar_do_not_stop_the_page(tmp_path, monkeypatch):
    from conftest import document_text

    for n in range(1, 4):
        (tmp_path / f"n{n}.md").write_text(document_text(article(n)))
    for index, when in enumerate(["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]):
        (tmp_path / f"edge{index}.md").write_text(document_text(article(9 + index, publishedDateTime=when)))
    app = run_app(tmp_path, monkeypatch)
    assert not app.exception, app.exception
    assert kpi(app, "Articles") == "5"


LURE = "[Your session expired: sign in again](https://evil.example/login) ![t](https://evil.example/pixel.png)"


def test_a_folder_outside_the_data_roots_is_refused(tmp_path, monkeypatch):
    root, outside = tmp_path / "root", tmp_path / "outside"
    for folder in (root, outside):
        folder.mkdir()
        (folder / "a.md").write_text(document_text(article(1)))
    (root / "link").symlink_to(outside)  # a link inside a root that leads out of it
    monkeypatch.delenv("NEWS_ANALYTICS_DATA_ROOTS", raising=False)
    for asked in (str(outside), str(root / "link"), str(root / ".." / "outside"), "/etc"):
        app = run_app(root, monkeypatch, data=asked)
        assert not app.exception
        assert [e.value for e in app.error] and "outside the folders this dashboard may read" in app.error[0].value, asked
        assert not app.metric
    assert not run_app(root, monkeypatch, data=str(SAMPLE)).error  # the sample data is always a root
    monkeypatch.setenv("NEWS_ANALYTICS_DATA_ROOTS", str(outside))
    app = run_app(root, monkeypatch, data=str(outside))
    assert not app.error and kpi(app, "Articles") == "1"


def test_uploads_can_be_turned_off(monkeypatch):
    assert run_app(SAMPLE, monkeypatch).get("file_uploader")
    monkeypatch.setenv("NEWS_ANALYTICS_UPLOADS", "off")
    assert not run_app(SAMPLE, monkeypatch).get("file_uploader")


def test_text_from_a_link_is_shown_as_text_not_markdown(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, data=LURE)
    assert app.error[0].value.startswith("The folder \\'\\[Your session expired\\: sign in again\\]\\(https\\:")
    app = run_app(SAMPLE, monkeypatch, q=LURE)
    caption = next(c.value for c in app.caption if "articles from" in c.value)
    assert "search\\: “\\[Your session expired" in caption and "](" not in caption


def test_a_file_name_that_is_not_utf8_is_reported_not_fatal(tmp_path, monkeypatch):
    import os

    (tmp_path / "good.md").write_text(document_text(article(1)))
    with open(os.fsencode(tmp_path) + b"/bad\xff.md", "w") as file:
        file.write(document_text(article(2)))
    app = run_app(tmp_path, monkeypatch)
    assert not app.exception, app.exception
    assert kpi(app, "Articles") == "1"
    app = run_app(tmp_path, monkeypatch, view="Data health")
    assert not app.exception, app.exception
    assert kpi(app, "Files seen") == "2"


def test_last_complete_month_is_compared_with_the_month_before(monkeypatch, sample):
    app = run_app(SAMPLE, monkeypatch)
    app.sidebar.selectbox(key="when").select("last-month").run()
    assert not app.exception
    # The sample data ends on 29 Oct 2026: the last complete month is September.
    september = Filters(start=date(2026, 9, 1), end=date(2026, 9, 30), exclude_types=("conference",))
    assert kpi(app, "Articles") == f"{len(filter_articles(sample.articles, sample.topics, september)):,}"
    card = next(metric for metric in app.metric if metric.label == "Articles")
    assert card.delta.endswith("vs Aug 2026")
    captions = [caption.value for caption in app.caption]
    assert any(text.startswith(plain("Compared with the previous month, Aug 2026 (1 Aug 2026 – 31 Aug 2026): ")) for text in captions)
    assert any(text.startswith(plain("Compared with the same month last year, Sep 2025 (1 Sep 2025 – 30 Sep 2025): ")) for text in captions)
    assert plain("Sep 2026 is a single month, so it is shown by week.") in captions


def test_a_link_with_an_unknown_outlet_says_what_is_shown(monkeypatch):
    app = run_app(SAMPLE, monkeypatch, outlet="Nowhere Times", topic="AI")
    assert not app.exception
    notice = "The link asks for outlet 'Nowhere Times', which is not in this data; every outlet is shown."
    assert plain(notice) in [warning.value for warning in app.warning]  # shown as text, not Markdown


def test_opens_a_dataset_folder(monkeypatch, tmp_path, dask_scheduler):
    one, two = mixed_corpus(tmp_path)
    build_dataset(one, two, out=tmp_path / "ds", scheduler=dask_scheduler)
    expected = load_corpus(one, two, cache=False)
    app = run_app(tmp_path / "ds", monkeypatch)
    assert not app.exception and not app.error
    assert kpi(app, "Articles") == f"{expected.loaded:,}"
    assert kpi(run_app(tmp_path / "ds", monkeypatch, view="Data health"), "Files seen") == f"{expected.files_seen:,}"


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_of_a_dataset_shows_what_the_folder_shows(monkeypatch, sample_dataset, view):
    params = {"view": view, "when": "Last complete month"}
    folder, dataset = run_app(SAMPLE, monkeypatch, **params), run_app(sample_dataset, monkeypatch, **params)
    assert not dataset.exception and not dataset.error
    assert [w.value for w in dataset.warning] == [w.value for w in folder.warning]  # e.g. the notes file's bad row
    assert [(m.label, m.value, m.delta) for m in dataset.metric] == [(m.label, m.value, m.delta) for m in folder.metric]
    assert [c.value for c in dataset.caption][1:] == [c.value for c in folder.caption][1:]  # the first names the folder
    assert chart_titles(dataset) == chart_titles(folder)


def test_a_dataset_overview_reads_only_the_spiking_periods_and_the_events(monkeypatch, sample_dataset):
    from analytics.measure import dataset_rows

    asked, select = [], dataset_rows.select

    def spy(folder, filters, **kwargs):
        asked.append((filters, kwargs.get("within")))
        return select(folder, filters, **kwargs)

    monkeypatch.setattr(dataset_rows, "select", spy)
    app = run_app(sample_dataset, monkeypatch, period="week", split="provider")
    assert not app.exception and kpi(app, "Articles") != "0"
    (spiking, weeks), (events, _) = asked  # one read of the spiking weeks, one of the events
    assert len(weeks) > 1 and all((last - first).days == 6 for first, last in weeks)
    assert events.types == ("conference",) and spiking.types == ()


def test_a_view_needing_more_rows_than_fit_asks_for_narrower_filters(monkeypatch, sample_dataset):
    from analytics.measure import dataset_source

    monkeypatch.setattr(dataset_source, "WINDOW_ROWS", 100)
    st.cache_resource.clear()  # what earlier runs in this process found fitting
    overview = run_app(sample_dataset, monkeypatch)  # from the rollups: shown whatever the size
    assert not overview.exception and not overview.warning and chart_titles(overview)
    assert overview.sidebar.get("download_button")[0].proto.disabled  # the report reads every article
    articles = run_app(sample_dataset, monkeypatch, view="Articles")
    assert not articles.exception
    corpus = load_corpus(SAMPLE)  # the Articles view reads the filters' rows alone: the conference is left out
    shown = len(filter_articles(corpus.articles, corpus.topics, Filters(exclude_types=("conference",))))
    assert [w.value for w in articles.warning] == [
        f"This view needs the articles themselves, and these filters select {shown:,} articles, "
        "more than the 100 a view can hold; narrow the dates, outlets or topics."
    ]
    narrow = run_app(sample_dataset, monkeypatch, view="Articles", when="Last complete week")
    assert not narrow.exception and not narrow.warning and narrow.dataframe


def test_the_served_dashboard_does_not_watch_its_own_source():
    """Streamlit's watcher re-resolves every imported module's path for each new session (0.3 s of the server's time)."""
    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
