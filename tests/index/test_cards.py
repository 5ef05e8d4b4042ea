import re
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
        "xingshi-yanjun", "mubiao-manyi", "liucheng-zonglan", "yuanyin-qiwang", "xintai-pingchangxin",
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


# Editor notes must never reach staff: a card's user-facing text is its title, source, every
# section and a topic card's matter/action/keywords. These patterns are notes, not content.
_NOTE_PATTERNS = (
    re.compile(r"(?<![a-z])(?:facts|seeds?)(?![a-z])", re.I),  # facts.md, seeds/, "(facts.md 标注…)"
    re.compile(r"(?<![A-Za-z])(?:TODO|FIXME|TBD|XXX)(?![A-Za-z])"),
    re.compile(r"UNCONFIRMED|待核实|待确认|待补充|待查证|编者[按注]|内部(?:备注|笔记)", re.I),
    re.compile(r"(?<![a-z])(?:issues?|tasks?)\s*#?\d*(?![a-z])|#\s*\d+|议题\s*\d+", re.I),  # issue numbers
    re.compile(r"[\w./-]*\.(?:md|py|txt|ya?ml|json|csv)(?![a-z])", re.I),  # file names
    re.compile(r"(?<![a-z])(?:eval|tests|assistant|knowledge|prompts|shared|domain|realworld)/|\.\./", re.I),
)
# words that are notes in an editor's voice but may occur in a clause the procedures word for
# word ("公告内容中必须明确标注本网点负责人……"): checked everywhere except verbatim clause text
_NOTE_WORDS = re.compile(r"标注")


def _user_text(card) -> list[tuple[str, str, bool]]:
    """(where, text, quoted) for every piece of a card that staff can see."""
    parts = [("title", card.title, False), ("source", card.source, False)]
    parts += [(f"## {name}", body, name == "条文" and card.verbatim) for name, body in card.sections.items()]
    parts += [("matter", card.matter, False), ("action", card.action, False)]
    parts += [("keywords", " ".join(card.keywords), False)]
    return parts


def editor_notes(card) -> list[str]:
    found = []
    for where, text, quoted in _user_text(card):
        pats = _NOTE_PATTERNS if quoted else (*_NOTE_PATTERNS, _NOTE_WORDS)
        for pat in pats:
            for m in pat.finditer(text):
                found.append(f"{card.id} {where}: …{text[max(0, m.start() - 15):m.end() + 15]}…")
    return found


@pytest.mark.parametrize(
    "leak",
    [
        "性格分类为课程内容,应对要点为从业者惯例(facts.md 标注未确认)。",
        "应对要点见 seeds 第一篇,仅作参考,这一句写得足够长。",
        "TODO: 补充示例话术,这一句写得足够长,满足正文长度。",
        "首问负责的时限待核实,这一句写得足够长,满足正文长度。",
        "这一条按 issue 17 改过,这一句写得足够长,满足正文长度。",
        "这一条按 #17 改过,这一句写得足够长,满足正文长度要求。",
        "出处见 /work/shared/domain/facts.md,这一句写得足够长。",
        "出处见 eval/cases 里的案例,这一句写得足够长,满足正文长度。",
        "原文标注为从业者惯例,这一句写得足够长,满足正文长度要求。",
    ],
)
def test_editor_note_detector_catches_notes(leak):
    card = parse_card(GOOD.replace("先处理心情,再处理事情,这一句足够长,用来满足正文长度的要求。", leak), "demo.md")
    assert editor_notes(card), leak
    assert not editor_notes(parse_card(GOOD, "demo.md"))


def test_quoted_clause_may_say_biaozhu_but_notes_may_not():
    clause = GOOD.replace("category: technique", "category: emergency\ndoc: 应急预案\nclause: 三、2").replace(
        "## 要点", "## 条文\n公告内容中必须明确标注本网点负责人及业务咨询受理人的办公电话和手机电话。\n## 要点"
    )
    assert not editor_notes(parse_card(clause, "demo.md"))
    assert editor_notes(parse_card(clause.replace("## 要点\n", "## 要点\n资料标注未确认。"), "demo.md"))


def test_no_card_shows_editor_notes():
    found = [note for card in load_cards(KNOWLEDGE) for note in editor_notes(card)]
    assert not found, "\n".join(found)


def test_cards_say_what_the_course_says():
    """Corrections read against the course texts: each stays corrected."""
    cards = {c.id: c for c in load_cards(KNOWLEDGE)}
    # the comment on compensation is quoted as the course words it; the caveat sits in 要点
    assert "赔偿拖得越久成本越低" in cards["liucheng-5-fangan"].section("要点")
    assert "不在现场拍板" in cards["liucheng-5-fangan"].section("要点")
    # the two process variants are kept apart, each named
    shuofu = cards["liucheng-6-shuofu"]
    assert "七步版第六步" in shuofu.source and "六步版第五步" in shuofu.source
    assert "第一篇 第四讲" not in cards["liucheng-3-daoqian"].source  # 第一篇 has no apology step
    overview = cards["liucheng-zonglan"].section("要点")
    assert "5.与客达成一致;6.跟踪服务转化" in overview and "六、说服客户接受方案;七、跟踪服务投诉转化" in overview
    # 平和型 is not in the three-type list of 第二篇
    assert "三类典型性格" not in cards["xingge-pinghe"].source
    # 积极用语 does not claim to be one of the six answering techniques
    assert "不是课程条目" in cards["huida-jiji-yongyu"].source
    # during the cut-over the emergency plan names the branch head / liaison as first responsible
    renren = cards["guanjian-renren"].section("要点")
    assert "网点负责人" in renren and "联络人" in renren and "首问" in renren
    # the plan's purpose says IT蓝图项目, not what the project is
    assert "核心系统" not in cards["yuan-mudi"].section("要点") + cards["yuan-mudi"].section("条文")
    # the bank regulator's representative rule is not applied to real estate
    qunsu = cards["fc-qunsu-daibiao"]
    assert "不适用于房地产企业" in qunsu.section("要点")
    assert not re.search(r"[5五]名", qunsu.index_text())
    # the course's ultimate goal is a card
    assert "只要客户满意就是成功的投诉处理" in cards["mubiao-manyi"].section("要点")
    yanjun = cards["xingshi-yanjun"].section("要点")
    for item in ("范围广、频率高", "投诉量差异较大", "四类问题客户投诉最严重", "三个处理环节最令客户不满"):
        assert item in yanjun, item
