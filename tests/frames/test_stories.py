from itertools import combinations

import pandas as pd
import pytest
from conftest import article
from hypothesis import given, settings
from hypothesis import strategies as st
from inline_frames import articles_frame
from pandas.testing import assert_frame_equal

from analytics import load_corpus
from analytics import schema as s
from analytics.frames import stories as sto
from analytics.measure import metrics as m


def related_frame(*rows: dict) -> pd.DataFrame:
    """A `related` frame: each row names the citing `doc_id` and the item's columns."""
    return s.typed_frame({column: [row.get(column) for row in rows] for column in s.RELATED_COLUMNS}, s.RELATED_DTYPES)


NO_RELATED = related_frame()


def groups(story_map: pd.DataFrame) -> set[frozenset[str]]:
    """The partition of doc_ids into stories, independent of the ids chosen."""
    return {frozenset(rows[s.DOC_ID]) for _, rows in story_map.groupby(sto.STORY_ID)}


def when(day: float) -> pd.Timestamp:
    return pd.Timestamp("2026-03-01T00:00:00Z") + pd.Timedelta(days=day)


# --- rules ----------------------------------------------------------------------------------


def test_same_canonical_url_is_one_story():
    a = articles_frame([
        {s.DOC_ID: "a", s.CANONICAL_URL: "https://x.test/1", s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "b", s.CANONICAL_URL: "https://x.test/1", s.PUBLISHED_AT: when(40)},
        {s.DOC_ID: "c", s.CANONICAL_URL: "https://x.test/2", s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "d", s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "e", s.PUBLISHED_AT: when(0)},
    ])
    assert groups(sto.story_ids(a, NO_RELATED)) == {frozenset("ab"), frozenset("c"), frozenset("d"), frozenset("e")}


def test_related_links_join_a_loaded_article_and_articles_citing_the_same_address():
    a = articles_frame([
        {s.DOC_ID: "a", s.CANONICAL_URL: "https://x.test/a", s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "b", s.CANONICAL_URL: "https://y.test/b", s.PUBLISHED_AT: when(1)},
        {s.DOC_ID: "c", s.CANONICAL_URL: "https://y.test/c", s.PUBLISHED_AT: when(2)},
        {s.DOC_ID: "d", s.CANONICAL_URL: "https://z.test/d", s.PUBLISHED_AT: when(2)},
        {s.DOC_ID: "e", s.CANONICAL_URL: "https://z.test/e", s.PUBLISHED_AT: when(3)},
        {s.DOC_ID: "f", s.CANONICAL_URL: "https://z.test/f", s.PUBLISHED_AT: when(3)},
    ])
    related = related_frame(
        {s.DOC_ID: "b", s.CANONICAL_URL: "https://x.test/a"},  # b lists a, which is loaded
        {s.DOC_ID: "d", s.CANONICAL_URL: "https://elsewhere.test/story"},  # d and e cite the same outside page
        {s.DOC_ID: "e", s.CANONICAL_URL: "https://elsewhere.test/story"},
        {s.DOC_ID: "f", s.CANONICAL_URL: "https://elsewhere.test/other"},
    )
    assert groups(sto.story_ids(a, related)) == {frozenset("ab"), frozenset("c"), frozenset("de"), frozenset("f")}


def test_related_links_respect_the_window_and_ignore_hubs():
    a = articles_frame([
        {s.DOC_ID: "old", s.CANONICAL_URL: "https://x.test/background", s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "new", s.PUBLISHED_AT: when(30)},
        *({s.DOC_ID: f"h{i}", s.PUBLISHED_AT: when(i / 10)} for i in range(4)),
    ])
    related = related_frame(
        {s.DOC_ID: "new", s.CANONICAL_URL: "https://x.test/background"},
        *({s.DOC_ID: f"h{i}", s.CANONICAL_URL: "https://x.test/"} for i in range(4)),
    )
    strict = sto.StoryOptions(max_citing_articles=3)
    assert groups(sto.story_ids(a, related, options=strict)) == {frozenset([d]) for d in a[s.DOC_ID]}
    loose = sto.StoryOptions(related_window_days=None, max_citing_articles=4)
    assert groups(sto.story_ids(a, related, options=loose)) == {frozenset(["old", "new"]), frozenset(["h0", "h1", "h2", "h3"])}


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Regulators push back on facial recognition", "REGULATORS push back on facial-recognition!", True),
        ("Regulators push back on facial recognition", "Push back on facial recognition, regulators", True),
        ("Apple’s new chip beats the rest", "Apples new chip beats the rest", True),
        ("Regulators push back on facial recognition", "Regulators push back on facial recognition - Daily Ledger", True),
        ("Regulators push back on facial recognition", "Regulators push back on facial recognition in Europe", False),  # 6/8
        ("Banks fund new energy use study", "Banks fund new energy use study - Ledger", True),  # 6/7 words shared
        ("Banks fund new energy use study", "Banks fund new energy use", True),  # 5/6
        ("Banks fund new energy use", "Banks fund old energy use", False),  # 4/6
        ("Banks fund energy use", "Banks fund energy use: what we know", True),  # a headline and its follow-up
        ("Banks fund energy", "Banks fund energy: the background", False),  # headline too short to count
        ("Live updates", "Live updates", False),  # too short to match by title at all
        ("Hospitals test medical imaging", "Chipmakers bet on edge devices", False),
    ],
)
def test_near_identical_titles_within_the_window(first, second, same):
    a = articles_frame([
        {s.DOC_ID: "a", s.TITLE: first, s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "b", s.TITLE: second, s.PUBLISHED_AT: when(1.5)},
    ])
    assert (len(groups(sto.story_ids(a, NO_RELATED))) == 1) is same


def test_title_window_counts_from_the_first_article_so_a_recurring_title_does_not_chain():
    title = "The weekly robotics roundup is here"
    a = articles_frame([{s.DOC_ID: d, s.TITLE: title, s.PUBLISHED_AT: when(day)} for d, day in zip("abcd", (0, 2, 4, 5))])
    a = pd.concat([a, articles_frame([{s.DOC_ID: "undated", s.TITLE: title}])], ignore_index=True)
    assert groups(sto.story_ids(a, NO_RELATED)) == {frozenset("ab"), frozenset("cd"), frozenset(["undated"])}
    wide = sto.StoryOptions(title_window_days=10)
    assert groups(sto.story_ids(a, NO_RELATED, options=wide)) == {frozenset("abcd"), frozenset(["undated"])}


def test_a_headline_shared_by_many_titles_is_a_label_not_a_story():
    a = articles_frame([
        {s.DOC_ID: f"d{i}", s.TITLE: f"Morning tech news briefing: {news}", s.PUBLISHED_AT: when(i / 24)}
        for i, news in enumerate(["chips rally", "banks stumble", "vote delayed", "models leak"])
    ])
    options = sto.StoryOptions(max_titles_per_headline=3)
    assert len(groups(sto.story_ids(a, NO_RELATED, options=options))) == 4
    assert len(groups(sto.story_ids(a, NO_RELATED, options=sto.StoryOptions(max_titles_per_headline=4)))) == 1


def test_rules_can_be_switched_off():
    a = articles_frame([
        {s.DOC_ID: "a", s.TITLE: "Universities scale up hiring tools", s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "b", s.TITLE: "Universities scale up hiring tools", s.PUBLISHED_AT: when(1)},
        {s.DOC_ID: "c", s.PUBLISHED_AT: when(1)},
    ])
    a.loc[0, s.CANONICAL_URL] = "https://x.test/a"
    related = related_frame({s.DOC_ID: "c", s.CANONICAL_URL: "https://x.test/a"})
    assert groups(sto.story_ids(a, related)) == {frozenset("abc")}
    assert groups(sto.story_ids(a, related, options=sto.StoryOptions(link_titles=False))) == {frozenset("ac"), frozenset("b")}
    assert groups(sto.story_ids(a, related, options=sto.StoryOptions(link_related=False))) == {frozenset("ab"), frozenset("c")}


def test_story_id_is_the_first_article_and_undated_articles_come_last():
    a = articles_frame([
        {s.DOC_ID: "undated", s.CANONICAL_URL: "https://x.test/1"},
        {s.DOC_ID: "later", s.CANONICAL_URL: "https://x.test/1", s.PUBLISHED_AT: when(2)},
        {s.DOC_ID: "first", s.CANONICAL_URL: "https://x.test/1", s.PUBLISHED_AT: when(1)},
        {s.DOC_ID: "alone"},
    ])
    expected = pd.DataFrame({s.DOC_ID: ["undated", "later", "first", "alone"], sto.STORY_ID: ["first", "first", "first", "alone"]}, dtype=s.STRING)
    assert_frame_equal(sto.story_ids(a, NO_RELATED), expected)


def test_empty_corpus():
    empty = articles_frame([])
    assert sto.story_ids(empty, NO_RELATED).empty
    assert sto.stories(empty, sto.story_ids(empty, NO_RELATED)).empty
    assert sto.story_followers(empty, sto.story_ids(empty, NO_RELATED)).empty


# --- per story ------------------------------------------------------------------------------


@pytest.fixture
def syndicated():
    """A story run by three outlets (one twice), plus an unrelated article."""
    title = "Chipmakers bet on edge devices"
    articles = articles_frame([
        {s.DOC_ID: "lead", s.TITLE: title, s.PROVIDER_NAME: "Wire", s.PUBLISHED_AT: when(0)},
        {s.DOC_ID: "copy", s.TITLE: f"{title}: what we know", s.PROVIDER_NAME: "Ledger", s.PUBLISHED_AT: when(0.25)},
        {s.DOC_ID: "late", s.TITLE: title, s.PROVIDER_NAME: "Herald", s.PUBLISHED_AT: when(2)},
        {s.DOC_ID: "again", s.TITLE: title, s.PROVIDER_NAME: "Wire", s.PUBLISHED_AT: when(2.5)},
        {s.DOC_ID: "other", s.TITLE: "Hospitals test medical imaging", s.PROVIDER_NAME: "Herald", s.PUBLISHED_AT: when(1)},
    ])
    return articles, sto.story_ids(articles, NO_RELATED)


def test_stories_frame(syndicated):
    articles, story_map = syndicated
    expected = pd.DataFrame(
        {
            sto.STORY_ID: ["lead", "other"],
            s.TITLE: ["Chipmakers bet on edge devices", "Hospitals test medical imaging"],
            sto.SIZE: [4, 1],
            sto.OUTLETS: ["Wire; Ledger; Herald", "Herald"],
            sto.N_OUTLETS: [3, 1],
            sto.FIRST_OUTLET: ["Wire", "Herald"],
            sto.FIRST_PUBLISHED_AT: [when(0), when(1)],
            sto.LAST_PUBLISHED_AT: [when(2.5), when(1)],
        }
    ).astype({sto.STORY_ID: s.STRING, s.TITLE: s.STRING, sto.OUTLETS: s.STRING, sto.FIRST_OUTLET: s.STRING,
              sto.FIRST_PUBLISHED_AT: s.TIMESTAMP, sto.LAST_PUBLISHED_AT: s.TIMESTAMP})
    assert_frame_equal(sto.stories(articles, story_map), expected)


def test_stories_of_a_filtered_view_keep_the_corpus_story_ids(syndicated):
    articles, story_map = syndicated
    view = articles[articles[s.DOC_ID] != "lead"]
    table = sto.stories(view, story_map)
    assert table[sto.STORY_ID].tolist() == ["lead", "other"]
    assert table[sto.FIRST_OUTLET].tolist() == ["Ledger", "Herald"]  # first within the view
    assert table[sto.SIZE].tolist() == [3, 1]


def test_story_followers_timeline(syndicated):
    articles, story_map = syndicated
    expected = pd.DataFrame(
        {
            sto.STORY_ID: ["lead"] * 4,
            s.DOC_ID: ["lead", "copy", "late", "again"],
            s.TITLE: ["Chipmakers bet on edge devices", "Chipmakers bet on edge devices: what we know",
                      "Chipmakers bet on edge devices", "Chipmakers bet on edge devices"],
            s.PROVIDER_NAME: ["Wire", "Ledger", "Herald", "Wire"],
            s.PUBLISHED_AT: [when(0), when(0.25), when(2), when(2.5)],
            sto.LAG_HOURS: [0.0, 6.0, 48.0, 60.0],
            sto.IS_FIRST: [True, False, False, False],
        }
    ).astype({sto.STORY_ID: s.STRING, s.DOC_ID: s.STRING, s.TITLE: s.STRING, s.PROVIDER_NAME: s.STRING,
              s.PUBLISHED_AT: s.TIMESTAMP, sto.LAG_HOURS: "Float64"})
    assert_frame_equal(sto.story_followers(articles, story_map), expected)
    assert sto.story_followers(articles, story_map, min_size=1)[sto.STORY_ID].tolist() == ["lead"] * 4 + ["other"]
    assert sto.story_followers(articles, story_map, min_size=1, story_ids=["other"])[s.DOC_ID].tolist() == ["other"]


def test_one_per_story_makes_volume_count_stories(syndicated):
    articles, story_map = syndicated
    firsts = sto.one_per_story(articles, story_map)
    assert firsts[s.DOC_ID].tolist() == ["lead", "other"]
    assert m.volume(firsts, granularity="month")[m.COUNT].sum() == 2
    assert m.volume(articles, granularity="month")[m.COUNT].sum() == 5
    unknown = articles_frame([{s.DOC_ID: "new", s.PUBLISHED_AT: when(0)}])
    assert sto.one_per_story(unknown, story_map)[s.DOC_ID].tolist() == ["new"]  # missing from the map: its own story


def test_outside_outlets():
    articles = articles_frame([
        {s.DOC_ID: "a", s.PROVIDER_NAME: "Ledger", s.PROVIDER_DOMAIN: "ledger.test"},
        {s.DOC_ID: "b", s.PROVIDER_NAME: "Herald", s.PROVIDER_DOMAIN: "herald.test"},
    ])
    related = related_frame(
        {s.DOC_ID: "a", s.PROVIDER_DOMAIN: "wire.test", s.PROVIDER_NAME: "Wire"},
        {s.DOC_ID: "a", s.PROVIDER_DOMAIN: "wire.test", s.PROVIDER_NAME: "Wire"},
        {s.DOC_ID: "b", s.PROVIDER_DOMAIN: "wire.test", s.PROVIDER_NAME: "WIRE"},
        {s.DOC_ID: "b", s.PROVIDER_DOMAIN: "times.test", s.PROVIDER_NAME: None},
        {s.DOC_ID: "b", s.PROVIDER_DOMAIN: "ledger.test", s.PROVIDER_NAME: "Ledger"},  # in the corpus
        {s.DOC_ID: "gone", s.PROVIDER_DOMAIN: "other.test", s.PROVIDER_NAME: "Other"},  # not among the articles
        {s.DOC_ID: "a", s.PROVIDER_DOMAIN: None, s.PROVIDER_NAME: "Nobody"},
    )
    expected = pd.DataFrame(
        {
            s.PROVIDER_DOMAIN: ["wire.test", "times.test"],
            s.PROVIDER_NAME: ["Wire", "times.test"],
            sto.MENTIONS: [3, 1],
            sto.ARTICLES_CITING: [2, 1],
        }
    ).astype({s.PROVIDER_DOMAIN: s.STRING, s.PROVIDER_NAME: s.STRING})
    assert_frame_equal(sto.outside_outlets(articles, related), expected)
    known = sto.outside_outlets(articles, related, known_domains=["ledger.test", "herald.test", "wire.test"])
    assert known[s.PROVIDER_DOMAIN].tolist() == ["times.test"]


def test_a_story_planted_in_documents_is_grouped(write, tmp_path):
    """Related links and a same-title follow-up join; the duplicate delivery never loads twice."""
    lead = article(1, title="Regulators question facial recognition pilots", provider={"name": "Wire", "domain": "wire.test"})
    write("lead.md", lead)
    write("lead-copy.md", {**lead, "webUrl": "http://example-news.test/story-1/?utm_source=x"})
    write("follow.md", article(2, title="Regulators question facial recognition pilots", provider={"name": "Ledger", "domain": "ledger.test"}))
    write("linked.md", article(3, title="Police trials draw criticism", provider={"name": "Herald", "domain": "herald.test"},
                               related=[{"title": "Original", "webUrl": "https://www.example-news.test/story-1"}]))
    write("unrelated.md", article(4, title="Banks fund energy use"))
    corpus = load_corpus(tmp_path)
    assert corpus.duplicates == 1
    story_map = sto.story_ids(corpus.articles, corpus.related)
    by_title = dict(zip(corpus.articles[s.TITLE] + corpus.articles[s.PROVIDER_NAME].astype(str), story_map[sto.STORY_ID]))
    assert len(set(story_map[sto.STORY_ID])) == 2
    assert by_title["Banks fund energy useExample News"] != by_title["Regulators question facial recognition pilotsWire"]
    table = sto.stories(corpus.articles, story_map)
    assert table[sto.SIZE].tolist() == [3, 1]
    assert table.loc[0, sto.OUTLETS] == "Wire; Ledger; Herald"


# --- invariants -----------------------------------------------------------------------------

WORDS = ["chips", "banks", "fund", "rules", "models", "ai", "vote"]
titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
urls = st.sampled_from([None, "https://x.test/1", "https://x.test/2", "https://x.test/3"])
rows = st.lists(st.tuples(titles, st.one_of(st.none(), st.floats(0, 12)), urls), min_size=1, max_size=12)
links = st.lists(st.tuples(st.integers(0, 11), urls), max_size=6)


@given(rows, links)
@settings(max_examples=150, deadline=None)
def test_stories_match_a_brute_force_reading_of_the_rules(rows, links):
    articles = articles_frame([
        {s.DOC_ID: f"d{i}", s.TITLE: title, s.PUBLISHED_AT: None if day is None else when(day), s.CANONICAL_URL: url}
        for i, (title, day, url) in enumerate(rows)
    ])
    related = related_frame(*({s.DOC_ID: f"d{i}", s.CANONICAL_URL: url} for i, url in links if i < len(rows)))
    options = sto.StoryOptions()
    story_map = sto.story_ids(articles, related, options=options)
    # Every article is in exactly one story, and each story is named after one of its own articles.
    assert story_map[s.DOC_ID].tolist() == articles[s.DOC_ID].tolist()
    named = dict(zip(story_map[s.DOC_ID], story_map[sto.STORY_ID]))
    assert all(named[story] == story for story in named.values())
    assert groups(story_map) == _brute_force(articles, related, options)


@given(st.lists(st.floats(0, 30), min_size=1, max_size=12))
@settings(max_examples=50, deadline=None)
def test_articles_with_nothing_in_common_are_never_merged(days):
    # Distinct addresses, titles without a shared word, no related items.
    articles = articles_frame([
        {s.DOC_ID: f"d{i}", s.TITLE: f"alpha{i} beta{i} gamma{i} delta{i}", s.PUBLISHED_AT: when(day)} for i, day in enumerate(days)
    ])
    assert len(groups(sto.story_ids(articles, NO_RELATED))) == len(days)


def _brute_force(articles: pd.DataFrame, related: pd.DataFrame, options: sto.StoryOptions) -> set[frozenset[str]]:
    """The stories by the README's rules, pair by pair (no prefix filtering, no hashing)."""
    docs = articles[s.DOC_ID].tolist()
    urls = [None if pd.isna(u) else u for u in articles[s.CANONICAL_URL]]
    times = articles[s.PUBLISHED_AT].tolist()
    words = [frozenset(t.lower().split()) for t in articles[s.TITLE]]
    parent = {d: d for d in docs}

    def find(d):
        while parent[d] != d:
            d = parent[d]
        return d

    def union(a, b):
        parent[find(a)] = find(b)

    def close(i, j, days):
        return not (pd.isna(times[i]) or pd.isna(times[j])) and abs(times[i] - times[j]) <= pd.Timedelta(days=days)

    for i, j in combinations(range(len(docs)), 2):
        if urls[i] is not None and urls[i] == urls[j]:
            union(docs[i], docs[j])
    cited = related.dropna(subset=[s.CANONICAL_URL]).drop_duplicates([s.DOC_ID, s.CANONICAL_URL])
    for url, who in cited.groupby(s.CANONICAL_URL)[s.DOC_ID]:
        if len(who) > options.max_citing_articles:
            continue
        index = [docs.index(d) for d in who]
        for i in index:  # a citing article joins the loaded articles at that address
            for j in (k for k, u in enumerate(urls) if u == url):
                if close(i, j, options.related_window_days):
                    union(docs[i], docs[j])
        anchor = previous = None  # articles citing the same address: windows from the first of them
        for k in sorted((k for k in index if not pd.isna(times[k])), key=lambda k: times[k]):
            if anchor is not None and close(anchor, k, options.related_window_days):
                union(docs[previous], docs[k])
            else:
                anchor = k
            previous = k
    # Titles: similar word sets join title keys; each key's dated articles split into windows.
    title_parent = list(range(len(docs)))

    def title_root(i):
        while title_parent[i] != i:
            i = title_parent[i]
        return i

    eligible = [len(w) >= options.min_title_words for w in words]
    for i, j in combinations(range(len(docs)), 2):
        if eligible[i] and eligible[j] and len(words[i] & words[j]) >= options.min_title_similarity * len(words[i] | words[j]) - 1e-9:
            title_parent[title_root(i)] = title_root(j)
    keys: dict[int, list[int]] = {}
    for i in range(len(docs)):
        if eligible[i] and not pd.isna(times[i]):
            keys.setdefault(title_root(i), []).append(i)
    for members in keys.values():
        members.sort(key=lambda k: (times[k], k))
        anchor = members[0]
        for previous, k in zip(members, members[1:]):
            if close(anchor, k, options.title_window_days):
                union(docs[previous], docs[k])
            else:
                anchor = k
    found: dict[str, set[str]] = {}
    for d in docs:
        found.setdefault(find(d), set()).add(d)
    return {frozenset(g) for g in found.values()}
