"""Practice mode (issue 20): the scenarios, the customer's state machine and the scoring of fixed transcripts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assistant.index.cards import load_cards
from assistant.labels import DIFFICULT_TYPES, FLAGS
from assistant.reply.practice import (
    PERSONAS_FILE,
    PRACTICE_DIR,
    TECHNIQUE_CUES,
    ScenarioError,
    library,
    load_scenarios,
    play,
    recognise,
    score_reply,
    start,
)
from assistant.settings import PROJECT_ROOT
from eval.cases import load_cases

QUEUE_GOOD = [
    "大爷,让您站了这么久,真是对不起。您先到这边坐下歇歇,我给您倒杯水,您的号我来帮您盯着。",
    "您着急我特别理解,换谁站一上午都受不了。之前也有位阿姨跟您一样急,后来我们帮她走了优先办理,十来分钟就办完了。"
    "我这就去请我们负责人给您安排优先办理,您看行吗?",
    "您放心,我现在就陪您到柜台那边,负责人已经同意给您优先办理,取养老金很快的。",
    "您慢点走,我陪您到窗口,办完了我再送您出门。",
]
QUEUE_BAD = [
    "大家都在排,您也得排,这是规定,我也没办法。",
    "您自己不会用手机预约,怪不得要排这么久。",
    "我也不知道还要多久,您下午再来吧。",
    "请您耐心等待。",
]
LEAK_GOOD = [
    "这已经是第三次了,换作是我也受不了,真的很抱歉让您和楼下邻居反复受影响。这次我请工程负责人专人跟进,负责到底。",
    "我理解您要的是彻底解决。我们明天先上门做闭水试验,把渗漏点排查清楚,再出书面的维修方案给您看,您看明天上午方便吗?",
    "维修完我们和您一起验收,楼下天花板的情况工程负责人也会上门查看,核实后按保修的规定处理,结果我会打电话告诉您。",
    "我把上门时间和工程负责人的电话都发给您,有任何情况您直接找我,我负责跟到修好为止。",
]
LEAK_BAD = [
    "对不起,但是我们师傅都很忙,您再等等吧。",
    "是不是您装修的时候弄坏的?楼下的事您自己处理。",
    "我们保证下周全部修好,楼下的损失都由我们承担。",
    "难道我们不想修好吗?您别激动。",
]


@pytest.fixture(scope="module")
def lib():
    return library()


@pytest.fixture(scope="module")
def cards():
    return {c.id: c for c in load_cards(PROJECT_ROOT / "knowledge")}


def test_twenty_scenarios_cover_both_domains_the_six_types_and_every_flag(lib, cards):
    scenarios, personas = lib
    s = list(scenarios.values())
    assert len(s) >= 20
    assert sum(x.domain == "bank" for x in s) >= 12 and sum(x.domain == "real_estate" for x in s) >= 8
    assert {x.difficult_type for x in s} == set(DIFFICULT_TYPES)
    assert {f for x in s for f in x.flags} == set(FLAGS)
    assert all(3 <= x.turns <= 5 for x in s)
    assert all(x.topic in cards for x in s if x.topic), [x.id for x in s if x.topic and x.topic not in cards]
    assert set(DIFFICULT_TYPES) | {"peaceful", "lively", "perfect", "powerful"} <= set(personas)


def test_technique_cues_name_course_cards_by_their_own_titles(cards):
    for card_id, (title, groups) in TECHNIQUE_CUES.items():
        assert card_id in cards and cards[card_id].title == title, card_id
        assert groups and all(groups)


def _runs(text: str, n: int = 12) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def test_customer_lines_are_written_for_practice_not_copied(lib):
    """No line shares 12 characters with an eval case or a real complaint (design.md §8)."""
    taken: set[str] = set()
    for case in load_cases():
        for text in (getattr(case, "text", ""), getattr(case, "question", ""), getattr(case, "reference", "")):
            taken |= _runs(text or "")
    real = Path("/work/shared/realworld/real_complaints.jsonl")
    if real.exists():
        for line in real.read_text(encoding="utf-8").splitlines():
            taken |= _runs(json.dumps(json.loads(line), ensure_ascii=False))
    for s in lib[0].values():
        for line in [s.opening, s.closing_calm, s.closing_angry, *[x for lines in s.lines.values() for x in lines]]:
            assert not _runs(line) & taken, (s.id, line)


def test_a_good_transcript_scores_high_and_calms_the_customer(lib):
    scenarios, personas = lib
    s = play(scenarios["bank-queue-elderly"], personas, QUEUE_GOOD, seconds=[20, 25, 15, 10])
    assert s.finished and s.score >= 80, s.score
    assert s.mood < s.start_mood and s.closing == scenarios["bank-queue-elderly"].closing_calm
    texts = [r.text for e in s.exchanges for r in e.reasons]
    assert any("道歉得体" in t for t in texts)
    assert any(t.startswith("给出了对的下一步") for t in texts)
    assert any("用了3F法" in t for t in texts)
    assert any(t.startswith("做到了:先请老人坐下休息") for t in texts)
    assert any("降到" in r.text for r in s.reasons)
    assert not any(r.kind == "checker" for e in s.exchanges for r in e.reasons)


def test_a_bad_transcript_scores_low_with_each_mistake_named(lib):
    scenarios, personas = lib
    s = play(scenarios["bank-queue-elderly"], personas, QUEUE_BAD)
    assert s.finished and s.score <= 30, s.score
    assert s.mood == 3 and s.closing == scenarios["bank-queue-elderly"].closing_angry
    texts = [r.text for e in s.exchanges for r in e.reasons]
    assert any(t.startswith("话术检查:推诿/搪塞") for t in texts)
    assert any(t.startswith("话术检查:指责客户") for t in texts)
    assert any(t == "说了不该说的话「大家都在排」" for t in texts)
    assert any(t == "第1轮前应做到却没做到:先请老人坐下休息" for t in texts)
    assert any(r.text == "整场都没做到:说清能办的分流或优先办法" for r in s.reasons)


def test_real_estate_transcripts_good_above_bad(lib):
    scenarios, personas = lib
    good = play(scenarios["re-leak-repeat"], personas, LEAK_GOOD)
    bad = play(scenarios["re-leak-repeat"], personas, LEAK_BAD)
    assert good.score >= 75 and bad.score <= 30, (good.score, bad.score)
    bad_texts = [r.text for e in bad.exchanges for r in e.reasons]
    for title in ("边道歉边辩解", "越权承诺", "反问/质问"):
        assert any(t.startswith(f"话术检查:{title}") for t in bad_texts), title
    assert "说了不该说的话「您装修的时候弄坏的」" in bad_texts


def test_mood_moves_with_what_staff_said(lib):
    scenarios, personas = lib
    sc = scenarios["bank-card-swallowed"]
    calm = play(sc, personas, ["真抱歉让您这么着急,我先帮您在柜台把急用的钱取出来,卡的事我马上联系机具管理员。"])
    assert calm.mood == sc.mood - 1
    angry = play(sc, personas, ["您自己没操作好吧,明天再来。"])
    assert angry.mood == sc.mood + 1
    # the angrier customer speaks as their difficult type first, then the line of the new mood
    said = angry.exchanges[-1].customer
    assert any(said.startswith(x) for x in personas[sc.difficult_type].worse)
    assert said.endswith(tuple(sc.lines[angry.mood]))


def test_difficulty_shifts_the_opening_and_the_calm_needed(lib):
    scenarios, personas = lib
    sc = scenarios["bank-card-swallowed"]
    assert start(sc, "easy").mood == sc.mood - 1 and start(sc, "hard").mood == sc.mood + 1
    reply = ["真抱歉让您这么着急,我先帮您在柜台把急用的钱取出来。"]  # an apology and a next step: 2 points
    assert play(sc, personas, reply, "normal").mood == sc.mood - 1
    assert play(sc, personas, reply, "hard").mood == start(sc, "hard").mood  # hard needs a calming technique too
    with pytest.raises(ScenarioError):
        start(sc, "extreme")


def test_time_to_answer_is_a_named_reason(lib):
    sc = lib[0]["bank-card-swallowed"]
    quick = score_reply(sc, "真抱歉让您着急了,我先帮您看看。", 1, seconds=12)
    slow = score_reply(sc, "真抱歉让您着急了,我先帮您看看。", 1, seconds=140)
    assert any(r.text == "回应及时(12 秒)" for r in quick.reasons)
    assert any(r.text.startswith("回应慢了(140 秒") for r in slow.reasons)
    assert quick.score - slow.score == 10


def test_a_second_apology_is_not_rewarded_again(lib):
    sc = lib[0]["bank-card-swallowed"]
    r = score_reply(sc, "真抱歉让您着急了,我马上帮您查一下这笔。", 2, apologised_before=True)
    assert any(x.kind == "apology" and x.points < 0 for x in r.reasons)


def test_recognise_names_the_cues():
    found = {title: cues for _, title, cues in recognise("您心里着急我理解。之前也有位客户一样着急,后来发现预约更快。")}
    assert found["3F法"] == ["理解", "也有位", "后来"]  # the first cue of each group
    assert recognise("好的。") == []


def test_a_broken_scenario_names_the_file_and_the_field(tmp_path):
    good = yaml.safe_load((PRACTICE_DIR / "bank-card-swallowed.yaml").read_text(encoding="utf-8"))
    (tmp_path / PERSONAS_FILE).write_text((PRACTICE_DIR / PERSONAS_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    cases = {
        "missing.yaml": ({k: v for k, v in good.items() if k != "opening"}, "opening"),
        "code.yaml": ({**good, "difficult_type": "angry"}, "difficult_type"),
        "moods.yaml": ({**good, "lines": {0: ["好"], 1: ["嗯"]}}, "lines"),
        "turns.yaml": ({**good, "turns": 7}, "turns"),
        "extra.yaml": ({**good, "mood_level": 2}, "mood_level"),
    }
    for name, (data, field) in cases.items():
        for p in tmp_path.glob("*.yaml"):
            if p.name != PERSONAS_FILE:
                p.unlink()
        (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        with pytest.raises(ScenarioError) as err:
            load_scenarios(tmp_path)
        assert name in err.value.zh and field in err.value.zh and name in err.value.en and field in err.value.en
    (tmp_path / "extra.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="YAML"):
        load_scenarios(tmp_path)


def test_every_scenario_can_be_won_and_lost(lib):
    """A reply built from the scenario's own requirements and next steps calms the customer and scores
    high; a brush-off angers them and scores low. Guards against a scenario no one can pass (say, a next
    step the checker flags)."""
    scenarios, personas = lib
    for sc in scenarios.values():
        musts = "".join(f"我这边会{r.any_of[0]}。" for r in sc.must_mention)
        good = [("真抱歉让您这么着急,我理解您的心情。" if i == 0 else "换作是我也会着急,我完全理解。") + musts
                + f"接下来{sc.next_steps[i % len(sc.next_steps)]},有结果我第一时间告诉您,您看这样可以吗?"
                for i in range(sc.turns)]
        won, lost = play(sc, personas, good), play(sc, personas, ["这是规定,我也没办法。"] * sc.turns)
        assert won.finished and won.mood == 0 and won.score >= 80, (sc.id, won.score)
        assert lost.finished and lost.mood == 3 and lost.score <= 30, (sc.id, lost.score)
