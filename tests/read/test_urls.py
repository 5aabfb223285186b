import pytest

from analytics.read.urls import canonical_url, host_of, normalize_domain


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.Example.com/a/b/", "https://example.com/a/b"),
        ("http://example.com/a/b", "https://example.com/a/b"),
        ("https://example.com/a/b#comments", "https://example.com/a/b"),
        ("https://example.com/a?utm_source=x&utm_medium=y&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?b=2&a=1&fbclid=zz", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?utm_source=x", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?#top", "https://example.com/a"),
        ("https://example.com/a?flag", "https://example.com/a?flag="),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:8080/a", "https://example.com:8080/a"),
        ("https://example.com", "https://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("//example.com/a", "https://example.com/a"),
        ("mailto:desk@example.com", None),
        ("not a url", None),
        ("", None),
        ("https://[broken/", None),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_variants_of_one_article_share_a_canonical_url():
    variants = [
        "https://www.news.test/story/1",
        "http://news.test/story/1/",
        "https://news.test/story/1?utm_campaign=rss#top",
    ]
    assert len({canonical_url(v) for v in variants}) == 1


@pytest.mark.parametrize(
    ("domain", "expected"),
    [("WWW.Forbes.com", "forbes.com"), ("forbes.com.", "forbes.com"), ("https://www.forbes.com/x", "forbes.com"), ("wwwx.com", "wwwx.com")],
)
def test_normalize_domain(domain, expected):
    assert normalize_domain(domain) == expected


def test_host_of():
    assert host_of("https://www.bbc.co.uk/news/1") == "bbc.co.uk"
    assert host_of("no host here") is None


@pytest.mark.parametrize("function", [canonical_url, normalize_domain])
def test_remembered_answers_are_the_answers_and_long_text_is_not_kept(function):
    function.cache_clear()
    texts = ["https://www.Example.com/a/?utm_source=x", "https://example.com/b", "WWW.Example.com."]
    fresh = [function.__wrapped__(text) for text in texts]
    assert [function(text) for text in texts] == fresh and [function(text) for text in texts] == fresh
    assert function.cache_info().hits == len(texts)
    long_text = "https://example.com/" + "a" * 20_000
    assert function(long_text) == function.__wrapped__(long_text)
    assert function.cache_info().currsize == len(texts)
