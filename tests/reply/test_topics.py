"""Topic cards, the topic classifier, the eval cases' topic labels and the no-copy rule (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import CardError
from assistant.index.cards import load_cards, off_card_matters, parse_card
from assistant.index.common import out_of_scope_exemplars, topic_example_exemplars
from assistant.settings import PROJECT_ROOT
from eval.cases import load_cases
from eval.topic_report import (
    BLIND_SHORT,
    BLIND_UNAUTH,
    FREE_DEV,
    FREE_DEV2,
    FREE_DEV3,
    FREE_HOLDOUT,
    FREE_HOLDOUT2,
    FREE_HOLDOUT3,
    blind_cases,
)

KNOWLEDGE = PROJECT_ROOT / "knowledge"
TOPICS_MD = PROJECT_ROOT.parent / "staging" / "TOPICS.md"


@pytest.fixture(scope="module")
def topic_cards():
    return [c for c in load_cards(KNOWLEDGE) if c.is_topic]


def test_at_least_40_topic_cards_with_codes_matter_and_utterances(topic_cards):
    bank = [c for c in topic_cards if "bank" in c.domain]
    estate = [c for c in topic_cards if "real_estate" in c.domain]
    assert len(topic_cards) >= 40 and len(bank) >= 25 and len(estate) >= 15
    for c in topic_cards:
        assert len(c.utterances) >= 8, c.id
        assert c.matter and c.action and c.keywords, c.id
        assert c.section("示范回复").count("- ") >= 2, c.id
        assert c.section("忌讳"), c.id
        if "bank" in c.domain:
            assert {"business", "cause", "channel"} <= set(c.codes), c.id
            assert "JR/T 0169-2018" in c.source, c.id
        else:
            assert c.codes.get("category"), c.id


def test_topic_card_needs_no_yaodian_but_needs_its_own_fields():
    head = ("---\nid: topic-x\ntitle: X\ncategory: topic\napplies_to: [quick_fix]\ndomain: [bank]\nsource: s\n"
            "codes: {business: 其他, cause: 其他, channel: 营业现场}\nmatter: 您说的这件事\nkeywords: [x]\n---\n")
    lines = "\n".join(f"- 客户的第{i}句话,说的是一件事" for i in range(8))
    card = parse_card(head + f"## 客户原话\n{lines}\n## 怎么做\n1. 先登记再核实。\n", "topic-x.md")
    assert card.is_topic and len(card.utterances) == 8 and card.key_line == "您说的这件事"
    with pytest.raises(CardError, match="客户原话"):
        parse_card(head + "## 客户原话\n- 只有一句客户的原话\n## 怎么做\n1. 先登记再核实,查清楚以后再回复客户。\n",
                   "topic-x.md")
    with pytest.raises(CardError, match="matter"):
        parse_card(head.replace("matter: 您说的这件事\n", "") + f"## 客户原话\n{lines}\n## 怎么做\n1. 登记。\n",
                   "topic-x.md")


def test_topic_ids_match_the_fixed_list(topic_cards):
    if not TOPICS_MD.exists():
        pytest.skip("staging/TOPICS.md not present")
    listed = {ln.split("|")[1].strip() for ln in TOPICS_MD.read_text(encoding="utf-8").splitlines()
              if ln.startswith("| topic-")}
    assert {c.id for c in topic_cards} == listed


def test_every_situation_case_has_a_known_topic(topic_cards):
    ids = {c.id for c in topic_cards} | {"other"}
    cases = [c for c in load_cases() if c.kind == "suggest"]
    assert cases and all(c.topic in ids for c in cases), [c.id for c in cases if c.topic not in ids]
    new = [c for c in cases if c.id.startswith("s-")]
    assert len(new) >= 60 and sum(c.split == "test" for c in new) >= 30
    assert all(c.draft.must_mention for c in new)


def _runs(text: str, n: int = 12) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def test_no_topic_utterance_shares_12_characters_with_an_eval_case(topic_cards):
    """The classifier's examples (the cards' lines, the out-of-scope lines and the topic examples) were
    written for it, never copied from eval."""
    eval_runs: set[str] = set()
    for case in load_cases():
        for text in (getattr(case, "text", ""), getattr(case, "question", "")):
            eval_runs |= _runs(text or "")
    blind = [*blind_cases(), *blind_cases(BLIND_UNAUTH), *blind_cases(BLIND_SHORT)]
    free = (FREE_DEV, FREE_DEV2, FREE_DEV3, FREE_HOLDOUT, FREE_HOLDOUT2, FREE_HOLDOUT3)
    blind += [case for path in free for case in blind_cases(path)]
    assert len(blind) > 800
    for case in blind:
        eval_runs |= _runs(case.text)
    lines = [(card.id, line) for card in topic_cards for line in card.utterances]
    lines += [("out_of_scope", e.text) for e in out_of_scope_exemplars(KNOWLEDGE)]
    lines += [(f"example/{e.labels[0]}", e.text) for e in topic_example_exemplars(KNOWLEDGE)]
    lines += [(f"off_card/{dom}", line) for dom, matters in off_card_matters(KNOWLEDGE).items()
              for v in matters for line in (v.matter, v.action)]
    assert any(who == "out_of_scope" for who, _ in lines) and any(who.startswith("off_card") for who, _ in lines)
    assert any(who.startswith("example/") for who, _ in lines)
    for who, line in lines:
        shared = _runs(line) & eval_runs
        assert not shared, (who, line, sorted(shared)[:1])


def test_topic_cards_stay_out_of_techniques_and_policy(hash_service):
    r = hash_service.suggest("取款机把我的卡吞了,里面还有工资")
    assert all(t.hit.card.category != "topic" for t in r.techniques)
    answer = hash_service.ask("吞卡以后怎么处理?")
    assert all(not c["source"].startswith("第二篇 第三篇 一、营业厅四大投诉区域应对技巧(自助服务区); 第四篇")
               for c in answer.citations)
    assert all(h.card.category != "topic" for h in hash_service.ensure_index().policy.retriever.search(
        "吞卡", k=10, categories=("policy", "emergency", "regulation")))


def test_topic_in_the_analysis_with_confidence_runner_up_and_codes(hash_service):
    d = hash_service.suggest("取款机把我的卡吞了,卡没退出来,我下午还要用钱").as_dict()
    topic = d["analysis"]["topic"]
    assert set(topic) == {"id", "title", "confidence", "runner_up", "codes"}
    assert topic["id"] == "topic-card-swallowed" and topic["codes"]["channel"] == "自助机具"
    assert 0 < topic["confidence"] <= 1 and topic["runner_up"]["id"] != topic["id"]


def test_the_domain_follows_the_topic(hash_service):
    r = hash_service.suggest("售楼时说好的学区,现在学校不收,这是虚假宣传,我要退房退款")
    assert r.analysis.domain == "real_estate" and r.analysis.topic.domain == "real_estate"
    assert "哪张卡" not in r.draft


def test_something_no_card_covers_is_other(hash_service):
    r = hash_service.suggest("你好")
    assert r.analysis.topic is not None and r.analysis.topic.id == "other"
    assert r.as_dict()["analysis"]["topic"]["codes"] == {}


def test_behaviour_with_no_matter_is_other_and_the_matter_still_wins(hash_service):
    assert hash_service.suggest("你们经理呢?我不跟你讲,让能拍板的人出来见我").analysis.topic.id == "other"
    r = hash_service.suggest("你们经理呢?取款机把我的卡吞了,卡没退出来,让能拍板的人出来见我")
    assert r.analysis.topic.id == "topic-card-swallowed"


def test_a_given_domain_limits_the_topics(hash_service):
    r = hash_service.suggest("又漏水了,卫生间顶上往下滴", domain="real_estate")
    assert r.analysis.topic.id == "topic-re-leak"
    r = hash_service.suggest("又漏水了,卫生间顶上往下滴", domain="bank")
    assert r.analysis.topic.id == "other" or r.analysis.topic.domain == "bank"


def test_index_keeps_topic_lines_apart_from_label_exemplars(hash_service):
    index = hash_service.ensure_index().index
    assert index.topic_exemplars and len(index.topic_vectors) == len(index.topic_exemplars)
    assert all(not e.source.startswith("topic:") for e in index.exemplars)
    assert any(e.labels == ("other",) for e in index.topic_exemplars)
    assert len(index.exemplar_vectors) == len(index.exemplars)


def test_stale_check_is_stable_with_topic_cards(hash_service):
    assert hash_service._stale_reason(hash_service.ensure_index().index) is None


def test_topic_accuracy_metric():
    from eval.metrics import topic_correct

    assert topic_correct({"id": "topic-fee"}, "topic-fee") is True
    assert topic_correct(None, "other") is True
    assert topic_correct({"id": "topic-fee"}, "other") is False
    assert topic_correct({"id": "topic-fee"}, None) is None


def test_staged_files_were_moved():
    assert (KNOWLEDGE / "topics" / "bank").is_dir() and (KNOWLEDGE / "topics" / "real_estate").is_dir()
    assert (Path(PROJECT_ROOT) / "eval" / "cases" / "situations_dev.yaml").exists()
