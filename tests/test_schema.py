from analytics import schema as s


def test_a_new_articles_table_numbers_its_rows_and_child_rows_without_keys_stay_missing():
    articles = s.typed_frame({name: [None, None] for name in s.ARTICLE_COLUMNS if name != s.ARTICLE_KEY}, s.ARTICLE_DTYPES)
    topics = s.typed_frame({s.DOC_ID: ["d0", "d1"], s.TOPIC: ["AI", "AI"]}, s.TOPIC_DTYPES)
    assert articles[s.ARTICLE_KEY].tolist() == [0, 1] and str(articles[s.ARTICLE_KEY].dtype) == s.INT
    assert topics[s.ARTICLE_KEY].isna().all() and str(topics[s.ARTICLE_KEY].dtype) == s.INT
    assert s.empty_frame(s.TOPIC_DTYPES).columns.tolist() == [s.DOC_ID, s.TOPIC, s.ARTICLE_KEY]


def test_given_keys_are_kept():
    topics = s.typed_frame({s.DOC_ID: ["d0"], s.TOPIC: ["AI"], s.ARTICLE_KEY: [7]}, s.TOPIC_DTYPES)
    assert topics[s.ARTICLE_KEY].tolist() == [7]
