from assistant.text.turns import GIST_CHARS, gist


def test_short_text_is_its_own_gist():
    text = "我的卡被吞了" * 10
    assert gist(text) is text


def test_long_text_keeps_its_opening_and_its_end():
    text = "尊敬的领导:我的卡在自助机上被吞了。" + "后来又" * 2000 + "请今天给我答复。"
    got = gist(text)
    assert len(got) == GIST_CHARS + 1
    assert got.startswith("尊敬的领导:我的卡在自助机上被吞了")
    assert got.endswith("请今天给我答复。")
