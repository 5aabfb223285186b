from analytics import schema as s


def test_frames_carry_the_article_key_last_and_given_keys_are_kept():
    assert s.empty_frame(s.TOPIC_DTYPES).columns.tolist() == [s.DOC_ID, s.TOPIC, s.ARTICLE_KEY]
    assert s.ARTICLE_COLUMNS[-1] == s.ARTICLE_KEY
    topics = s.typed_frame({s.DOC_ID: ["d0", "d1"], s.TOPIC: ["AI", "AI"], s.ARTICLE_KEY: [7, None]}, s.TOPIC_DTYPES)
    assert topics[s.ARTICLE_KEY].tolist()[0] == 7 and topics[s.ARTICLE_KEY].isna().tolist() == [False, True]
    assert str(topics[s.ARTICLE_KEY].dtype) == s.INT
