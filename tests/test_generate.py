import pandas as pd

from analytics import load_corpus
from analytics import schema as s
from analytics.generate import generate_corpus, write_odd_documents


def test_same_seed_same_corpus(tmp_path):
    first = generate_corpus(tmp_path / "a", 30, seed=5)
    second = generate_corpus(tmp_path / "b", 30, seed=5)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_generated_corpus_has_the_shape_of_real_data(tmp_path):
    generate_corpus(tmp_path, 600, seed=11)
    corpus = load_corpus(tmp_path)
    articles = corpus.articles
    assert corpus.files_seen == 600 and corpus.skipped == 0
    assert corpus.duplicates > 0  # some articles arrive twice
    assert (corpus.problems[s.SEVERITY] == s.DUPLICATE).all()
    missing = articles[s.QUALITY].isna().mean()
    assert 0.2 < missing < 0.45
    assert (articles[s.QUALITY].isna() == articles[s.PUBLISHED].isna()).all()
    assert articles.loc[articles[s.HEAT].isna() & articles[s.QUALITY].notna(), s.PUBLISHED].eq(False).all()
    shares = articles[s.PROVIDER_DOMAIN].value_counts(normalize=True)
    assert shares.iloc[0] > 3 * shares.iloc[-1]  # skewed outlets
    weekday = articles[s.PUBLISHED_AT].dt.day_of_week
    assert (weekday < 5).mean() > 0.8  # quiet weekends
    assert articles[s.PUBLISHED_AT].dt.year.nunique() >= 3
    assert len(corpus.related) > 0 and corpus.related[s.PROVIDER_DOMAIN].isin(["wireservices.example"]).any()
    sizes = pd.Series([p.stat().st_size for p in tmp_path.rglob("*.md")])
    assert 4000 < sizes.mean() < 7000


def test_odd_documents_each_end_in_a_problem_or_load(tmp_path):
    write_odd_documents(tmp_path)
    corpus = load_corpus(tmp_path)
    assert corpus.ignored == 1 and corpus.skipped == 5
    assert corpus.files_seen == corpus.loaded + corpus.skipped + corpus.duplicates + corpus.ignored
    titles = set(corpus.articles[s.TITLE])
    assert "Why AI systems\u2019 mistakes matter" in titles and "Caf\u00e9 owners try \u201csmart\u201d tills" in titles
    assert "Applied AI Summit 2026" in titles


def test_themes_rise_and_fall_and_unrelated_articles_do_not_share_headlines(tmp_path):
    generate_corpus(tmp_path, 1500, seed=3, body_paragraphs=(1, 1))
    corpus = load_corpus(tmp_path)
    articles = corpus.articles
    text = (articles[s.TITLE] + " " + articles[s.EXCERPT]).str.lower()
    position = (articles[s.PUBLISHED_AT] - articles[s.PUBLISHED_AT].min()) / (articles[s.PUBLISHED_AT].max() - articles[s.PUBLISHED_AT].min())
    # "humanoid robots" bursts near 88% of the span and is quiet before: its share there is many times its share elsewhere.
    robots = text.str.contains("humanoid robots|warehouse automation|robot arms|factory pilots")
    burst = position.between(0.84, 0.92)
    assert robots[burst].mean() > 3 * robots[~burst].mean() > 0
    # Headlines repeat only within a story's few days of coverage (or for an article delivered twice,
    # under its own address): unrelated articles, weeks apart, do not share one.
    address = articles[s.WEB_URL].str.replace(r"^https?://(www\.)?|\?.*$|/$", "", regex=True)
    once = articles[~address.duplicated(keep=False)]
    headline = once[s.TITLE].str.removesuffix(": what we know")
    days = once.groupby(headline.to_numpy())[s.PUBLISHED_AT].agg(lambda when: (when.max() - when.min()).days)
    assert (days > 14).sum() <= 0.005 * len(days), days[days > 14]
    assert len(days) > 0.6 * len(articles)
