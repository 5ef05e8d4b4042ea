from pathlib import Path

import pytest

from assistant.errors import CardError
from assistant.index.cards import load_cards, parse_card
from tests.conftest import KNOWLEDGE

GOOD = """---
id: demo-card
title: 示例卡
category: technique
applies_to: [vent, emotional]
domain: [bank]
source: 测试
---
## 要点
先处理心情,再处理事情,这一句足够长,用来满足正文长度的要求。
## 示例话术
- “您先别急,我们慢慢说。”
"""


def test_parse_good_card():
    card = parse_card(GOOD, "demo.md")
    assert card.id == "demo-card"
    assert card.applies_to == ("vent", "emotional")
    assert card.examples == ["您先别急,我们慢慢说。"]
    assert card.key_line.startswith("先处理心情")


@pytest.mark.parametrize(
    ("broken", "needle"),
    [
        (GOOD.replace("id: demo-card\n", ""), "id"),
        (GOOD.replace("category: technique", "category: nonsense"), "nonsense"),
        (GOOD.replace("[vent, emotional]", "[vent, angryish]"), "angryish"),
        (GOOD.replace("domain: [bank]", "domain: [moon]"), "bank/real_estate"),
        (GOOD.replace("applies_to: [vent, emotional]", "applies_to: [vent"), "YAML"),
        ("no front matter", "YAML"),
        (GOOD.split("## 要点")[0] + "## 要点\n短\n", "正文过短"),
    ],
)
def test_bad_cards_name_file_and_problem(broken, needle):
    with pytest.raises(CardError) as err:
        parse_card(broken, "/x/bad-card.md")
    assert "bad-card.md" in err.value.message
    assert needle in err.value.message


def test_duplicate_ids_fail(tmp_path: Path):
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CardError, match="demo-card"):
        load_cards(tmp_path)


def test_real_knowledge_base_is_complete():
    cards = load_cards(KNOWLEDGE)
    ids = {c.id for c in cards}
    assert len(cards) > 100
    # every item the course outlines names is a card
    must = {
        "huashu-taiji", "huashu-3f", "huashu-sandiming", "huashu-liangjie", "huashu-xunwen",
        "qiwang-suku", "qiwang-lijie", "qiwang-qingjiao", "qiwang-tongyizhanxian",
        "nuhuo-xiexie", "nuhuo-daoqian", "nuhuo-yindao", "nuhuo-xunsu", "daoqian-zhengque",
        "nanchan-ganqing", "nanchan-zhengyi", "nanchan-guzhi", "nanchan-youbei", "nanchan-xuanchuan", "nanchan-wuli",
        "xingge-pinghe", "xingge-huopo", "xingge-wanmei", "xingge-liliang",
        "jujue-lengchuli", "quyu-zixun", "quyu-dengdai", "quyu-banli", "quyu-zizhu",
        "yuan-5", "yuan-4-3-3", "yuan-4-3-4", "yuan-4-3-9", "yuan-4-3-14", "yuan-4-2",
        "fc-guanzhudian", "fc-hongxian", "fc-qunsu-daibiao", "fc-baoxiu", "fagui-2020-18",
    }
    assert must <= ids, must - ids
    assert sum(c.category == "questioning" for c in cards) == 6
    assert sum(c.category == "answering" for c in cards) >= 6
    assert sum(c.id.startswith("daoqian-jihui") for c in cards) == 5
    assert sum(c.id.startswith("liucheng-") and c.id[9].isdigit() for c in cards) == 7
    assert sum(c.id.startswith("yuan-4-3-") for c in cards) == 15
    assert sum(c.id.startswith("xize-") for c in cards) >= 9


def test_technique_cards_carry_example_lines_and_clauses_carry_citations():
    for card in load_cards(KNOWLEDGE):
        if card.category in ("technique", "questioning", "answering", "customer_type", "personality"):
            assert card.examples, card.id
        if card.is_policy:
            assert card.doc and card.clause and card.quote, card.id


def test_clause_figures_are_exact():
    cards = {c.id: c for c in load_cards(KNOWLEDGE)}
    assert "1小时内" in cards["yuan-5"].quote and "4小时内" in cards["yuan-5"].quote and "8小时" in cards["yuan-5"].quote
    assert "5日内" in cards["yuan-4-3-3"].quote
    assert "5,000元" in cards["yuan-4-3-4"].quote and "10,000元" in cards["yuan-4-3-4"].quote
    assert "三人以上" in cards["yuan-4-3-9"].quote
