"""Topic examples (knowledge/topics/examples/*.yaml): labelled customer texts the classifier learns from."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import CardError
from assistant.index.cards import load_cards
from assistant.index.common import (
    EXAMPLE_SOURCE,
    OUT_OF_SCOPE_SOURCE,
    check_example_topics,
    examples_dir,
    knowledge_exemplars,
    knowledge_fingerprint,
    topic_example_exemplars,
)
from assistant.reply import topics as T
from assistant.settings import PROJECT_ROOT

KNOWLEDGE = PROJECT_ROOT / "knowledge"


def _write(root: Path, name: str, text: str) -> None:
    folder = examples_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_examples_carry_their_topic_and_kind_in_the_source(tmp_path):
    _write(tmp_path, "bank.yaml", "- topic: topic-fee\n  style: calm\n  text: 这个月卡里扣了十二块钱是什么费\n"
                                  "- topic: other\n  kind: behaviour\n  text: 叫你们头儿出来\n"
                                  "- topic: other\n  kind: uncovered\n  text: 门口的车位谁给占了\n")
    got = topic_example_exemplars(tmp_path)
    assert [(e.labels, e.source) for e in got] == [
        (("topic-fee",), EXAMPLE_SOURCE + "bank"),
        (("other",), OUT_OF_SCOPE_SOURCE + "behaviour"),
        (("other",), OUT_OF_SCOPE_SOURCE + "uncovered"),
    ]
    assert topic_example_exemplars(tmp_path / "none") == []


@pytest.mark.parametrize("body", [
    "- topic: other\n  text: 没写是哪一类\n",
    "- topic: topic-fee\n",
    "- text: 没有主题\n",
    "topic: topic-fee\n",
])
def test_a_malformed_example_is_refused_in_both_languages(tmp_path, body):
    _write(tmp_path, "bad.yaml", body)
    with pytest.raises(CardError) as err:
        topic_example_exemplars(tmp_path)
    assert "bad.yaml" in err.value.zh and "bad.yaml" in err.value.en


def test_an_example_for_a_topic_no_card_has_is_refused(tmp_path):
    cards = load_cards(KNOWLEDGE)
    _write(tmp_path, "x.yaml", "- topic: topic-no-such-card\n  text: 随便一句话\n")
    with pytest.raises(CardError, match="topic-no-such-card"):
        check_example_topics(topic_example_exemplars(tmp_path), cards)
    check_example_topics(topic_example_exemplars(KNOWLEDGE), cards)  # the shipped ones are all known


def test_changing_an_example_changes_the_knowledge_fingerprint(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    cards = load_cards(root)
    before = knowledge_fingerprint(cards, knowledge_exemplars(root))
    _write(root, "zz_more.yaml", "- topic: topic-fee\n  text: 短信通知费一个月两块是谁让开的\n")
    assert knowledge_fingerprint(cards, knowledge_exemplars(root)) != before


def test_the_classifier_reads_an_exchange_example_by_the_customers_turns():
    cards = [c for c in load_cards(KNOWLEDGE) if c.is_topic]
    lines = [(c.id, u) for c in cards for u in c.utterances]
    example = "客户:我那张存折上的钱怎么少了\n员工:麒麟鹦鹉您稍等我查一下\n客户:少了整整三百"
    texts = [u for _, u in lines] + [example]
    clf = T.TopicClassifier(cards, [t for t, _ in lines] + ["topic-fee"],
                            np.zeros((len(texts), 4), dtype=np.float32), texts)
    fee = clf.ids.index("topic-fee")
    # the customer's turns count for the topic, staff's words do not
    assert clf.chars.score("存折上的钱少了整整三百")[fee] > 0
    assert clf.chars.score("麒麟鹦鹉")[fee] == pytest.approx(0.0, abs=1e-6)
