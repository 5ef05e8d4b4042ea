"""The topic classifier's character signal, its held-out fitting and its cross-validated calibration (#15)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from assistant.index.cards import load_cards
from assistant.reply import topics as T
from assistant.settings import PROJECT_ROOT

LINES = {
    0: ["排了一个钟头队还没轮到我", "前面还有二十个号,窗口就开了俩", "等号等得腿都麻了"],
    1: ["取款机把我的卡吞了", "卡插进去就没退出来", "机器吃卡了,卡里有工资"],
}


def _char_ridge():
    texts = [t for k in LINES for t in LINES[k]]
    rows = [k for k in LINES for _ in LINES[k]]
    return T.CharRidge(texts, rows, 2)


def test_char_ridge_reads_words_no_segmenter_knows():
    model = _char_ridge()
    # dialect and a cut jieba does not make: still the queue, and the swallowed card
    assert np.argmax(model.score("搁这儿排队排老半天了,号咋不动")) == 0
    assert np.argmax(model.score("机子把俺卡吃进去不吐")) == 1


def test_char_ridge_is_deterministic_and_empty_text_scores_zero():
    a, b = _char_ridge(), _char_ridge()
    assert np.array_equal(a.score("卡被吞了"), b.score("卡被吞了"))
    assert not _char_ridge().score("!!").any() and _char_ridge().score("").shape == (2,)


def test_char_ridge_kernel_matches_the_plain_formula():
    """The kernel is built in two parts (common grams dense, rare grams pair by pair): same result."""
    texts = [t for k in LINES for t in LINES[k]]
    rows = [k for k in LINES for _ in LINES[k]]
    model = T.CharRidge(texts, rows, 2, lam=0.5)
    grams = sorted(model.vocab, key=model.vocab.get)
    x = np.zeros((len(texts), len(grams)))
    for i, t in enumerate(texts):
        for g, k in Counter(T._grams(t)).items():
            x[i, model.vocab[g]] = (1 + np.log(k)) * model.idf[model.vocab[g]]
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    y = np.eye(2)[rows]
    w = x.T @ np.linalg.solve(x @ x.T + 0.5 * np.eye(len(texts)), y)
    assert np.allclose(model.w, w, atol=1e-5)


@pytest.fixture(scope="module")
def topic_cards():
    return [c for c in load_cards(PROJECT_ROOT / "knowledge") if c.is_topic]


def test_signals_have_one_row_per_signal(topic_cards):
    lines = [(c.id, u) for c in topic_cards for u in c.utterances]
    vecs = np.random.default_rng(0).normal(size=(len(lines), 8)).astype(np.float32)
    clf = T.TopicClassifier(topic_cards, [t for t, _ in lines], vecs)
    sig, _ = clf.signals("取款机把我的卡吞了", vecs[0])
    assert sig.shape == (len(T.SIGNALS), len(topic_cards)) == (len(T.WEIGHTS), len(clf.ids))


def test_held_out_lines_are_not_read_by_the_keyword_signals(topic_cards):
    """A classifier fitted without some lines (cross-validation) must not see them through BM25 or
    the character signal: the held-out line's own rare words score no better than chance."""
    swallowed = next(c for c in topic_cards if c.id == "topic-card-swallowed")
    held = swallowed.utterances[0]
    kept = [(c.id, u) for c in topic_cards for u in c.utterances if u != held]
    vecs = np.zeros((len(kept), 4), dtype=np.float32)
    full = T.TopicClassifier(topic_cards, [t for t, _ in kept] + ["topic-card-swallowed"],
                             np.zeros((len(kept) + 1, 4), dtype=np.float32), [u for _, u in kept] + [held])
    part = T.TopicClassifier(topic_cards, [t for t, _ in kept], vecs, [u for _, u in kept])
    i = part.ids.index("topic-card-swallowed")
    assert full.chars.score(held)[i] > part.chars.score(held)[i]
    assert sum(len(g) for g in part.groups) == len(kept)


def test_calibration_scores_known_topics_left_out_cards_and_out_of_scope_lines():
    from eval import topic_cv

    # two topics and the out-of-scope column last: sample 0 a known-topic line read right, sample 1 a
    # left-out card's line (no out-of-scope lines in that fit), sample 2 a held-out out-of-scope line
    data = {"signals": np.array([[[2.0, 0.1, 0.5]], [[0.5, 0.2, -np.inf]], [[0.9, 0.3, 1.2]]]),
            "gold": np.array([0, -1, -1]), "mask": np.ones((3, 3), dtype=bool), "size": np.array([2, 2, 2]),
            "kind": np.array([topic_cv.KNOWN, topic_cv.LEFT_OUT, topic_cv.OUT_OF_SCOPE])}
    assert topic_cv.score(data, [1.0], 1.0)[:2] == (1.0, 1.0)
    assert topic_cv.score(data, [1.0], 0.1)[:2] == (1.0, 0.0)
    assert topic_cv.score(data, [1.0], 0.1, bias=0.0)[:2] == (1.0, 0.5)  # the class wins sample 2 only
    floor, (a, b, _) = topic_cv.best_floor(data, [1.0])
    assert a == b == 1.0 and 0.9 < floor <= 2.0


def test_out_of_scope_lines_are_one_more_class(topic_cards):
    lines = [(c.id, u) for c in topic_cards for u in c.utterances]
    mood = ["叫你们头儿出来,我不跟你说", "我要去报社曝光你们", "今天不给说法我就不走了"] * 3
    texts = [u for _, u in lines] + mood
    vecs = np.zeros((len(texts), 4), dtype=np.float32)
    clf = T.TopicClassifier(topic_cards, [t for t, _ in lines] + [T.OTHER] * len(mood), vecs, texts)
    sig, _ = clf.signals("取款机把我的卡吞了", vecs[0])
    assert clf.other_col == len(clf.ids) and sig.shape == (len(T.SIGNALS), len(clf.ids) + 1)
    assert clf.classify("叫你们头儿出来,今天不给说法我就不走了", vecs[0], "bank").id == T.OTHER
    assert clf.classify("取款机把我的卡吞了,卡没退出来", vecs[0], "bank").id == "topic-card-swallowed"


def test_weights_and_floor_are_the_calibrated_ones():
    assert len(T.WEIGHTS) == len(T.SIGNALS) and T.MIN_SCORE > 0
    assert T.W_CHARS > 0  # the character signal takes part


def test_the_newest_words_weigh_more_in_a_conversation(hash_service):
    from assistant.reply.topics import classifier_for

    clf = classifier_for(hash_service.ensure_index().index)
    said = "我老伴的卡密码忘了,想重新设一个\n他中风瘫在床上好几年了,下不了楼,你们能不能派个人到家里给他办?"
    newest = "他中风瘫在床上好几年了,下不了楼,你们能不能派个人到家里给他办?"
    assert clf.classify(said, None, "bank", newest=newest).id == "topic-in-person"
    # the same words without a conversation are read once: no error, a topic or other
    assert clf.classify(said, None, "bank").id in {*clf.ids, "other"}


def test_suggest_passes_the_newest_words_to_the_topic(hash_service):
    text = ("客户:我老伴的卡密码忘了,想重新设一个\n员工:重置密码需要持卡人本人带身份证到柜台办理\n"
            "客户:他中风瘫在床上好几年了,下不了楼,你们能不能派个人到家里给他办?")
    assert hash_service.suggest(text).analysis.topic.id == "topic-in-person"


def test_a_large_fit_is_kept_on_disk_and_read_back_the_same(tmp_path, monkeypatch):
    """The character fit and the BM25 tokens of a few thousand lines cost seconds at every start; the
    second start reads them from ASSISTANT_HOME/cache instead of fitting again."""
    monkeypatch.setattr(T, "_fit_path", lambda kind, key: tmp_path / f"topic-{kind}-{key}.npz")
    texts = tuple(f"第{i}位客户说卡被吞了{i % 7}次" if i % 2 else f"第{i}位业主说家里漏水{i % 5}回" for i in range(600))
    topics = tuple(i % 2 for i in range(600))
    first = T._char_ridge.__wrapped__(texts, topics, 2)
    assert len(list(tmp_path.glob("topic-chars-*.npz"))) == 1

    def no_fit(*_a, **_k):
        raise AssertionError("fitted again")

    monkeypatch.setattr(T.CharRidge, "__init__", no_fit)
    again = T._char_ridge.__wrapped__(texts, topics, 2)
    for q in ("卡被吞了", "家里漏水", "别的事"):
        assert np.allclose(first.score(q), again.score(q))
    docs = [" ".join(texts[::2]) * 3, " ".join(texts[1::2]) * 3]
    got = T._topic_docs(docs, True)
    assert T._topic_docs(docs, True) == got and len(list(tmp_path.glob("topic-tokens-*.npz"))) == 1
    (next(tmp_path.glob("topic-chars-*.npz"))).write_bytes(b"damaged")
    monkeypatch.undo()
    monkeypatch.setattr(T, "_fit_path", lambda kind, key: tmp_path / f"topic-{kind}-{key}.npz")
    assert np.allclose(T._char_ridge.__wrapped__(texts, topics, 2).score("卡被吞了"), first.score("卡被吞了"))
