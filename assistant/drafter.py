"""The template drafter: composes a spoken reply from the situation and the chosen techniques.

Parts, in order: empathy fitted to the emotion; an apology for the experience (never for an
unverified fault); a paraphrase of the customer's concern in their own words; technique
moves; a clarifying question when facts are missing; a next step with a time drawn from the
procedures; a close. Variants are picked by a hash of the text, so different complaints read
differently while the same input always gets the same draft.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

from assistant import rules
from assistant.analysis import Analysis
from assistant.checker import check
from assistant.turns import newest_words

_SENT = re.compile(r"[^。!?!?;;\n]+")
_INJECTION = re.compile(r"忽略|无视|指令|提示词|system|prompt|你现在是|扮演|ignore|instruction|角色", re.I)
_THREAT = re.compile(
    "|".join(r.pattern.pattern for r in rules.FLAG_RULES if r.code in ("media_exposure", "regulator_escalation", "safety_risk"))
)
_CLAUSE = re.compile(r"[,,、]")
_DEMAND = re.compile(r"赔|补偿|违约金|不给.{0,4}(说法|办)|要求|必须|否则|不然")
# words the customer reports someone else saying are theirs to quote, not ours to repeat
_REPORTED = re.compile(r"(你|他|她|柜员|经理|保安|师傅|置业顾问)(们)?(说|让我|叫我|跟我说|告诉我)")
_DETAIL = re.compile(r"\d|[一二三四五六七八九十两]+(点|号|天|次|个|万|千|百|元|块)|昨天|今天|上午|下午|前天|上周|月|日")


class Drafter(Protocol):
    def draft(self, analysis: Analysis, technique_ids: list[str], text: str) -> str: ...


def _pick(options: list[str], seed: int, salt: int = 0) -> str:
    return options[(seed + salt * 7) % len(options)]


EMPATHY = {
    0: ["您好,感谢您把情况告诉我。", "您好,您说的情况我都认真听了。", "谢谢您专门跟我们说这件事。"],
    1: ["您的心情我能理解,遇到这种事谁都会不舒服。", "我明白您现在挺着急的。", "换作是我,心里也会不痛快。"],
    2: ["您先别着急,您说的每一句我都在认真听。", "这件事让您这么生气,我完全能理解。", "您这么着急,我特别能理解,换谁都会有火气。"],
    3: ["您先消消气,您说的我全都记着,咱们一件一件来。", "我看得出您现在非常生气,您的话我一句都不会漏。", "您先别急,有什么话冲着我说,我来帮您处理。"],
}
APOLOGY = [
    "这件事给您添了麻烦,我先跟您说声对不起。",
    "让您受累了,真的很抱歉。",
    "耽误了您的时间,给您带来这么多不便,我很抱歉。",
]
TECHNIQUE_MOVES = {
    "huashu-3f": ["不少客户遇到同样的事,一开始也跟您一样着急,后来把情况一项项查清楚,心里就踏实多了。"],
    "qiwang-tongyizhanxian": ["这件事我跟您站在一边,咱们一起把它弄清楚。"],
    "qiwang-lijie": ["您为什么这么在意,我能理解。"],
    "nuhuo-yindao": ["谁的原因我们一定查清楚,眼下最要紧的是先把您的事解决。"],
    "huashu-liangjie": ["您说的有道理,我这边能做的,我一定马上去做。"],
    "huashu-sandiming": ["您想尽快把事情办好,这个想法完全合理;同时有些环节需要核实,我会把每一步都跟您说清楚。"],
    "nanchan-youbei": ["您说的几点我都一字一句记下来了,我们会按规定核实。"],
    "nanchan-zhengyi": ["您提的问题对其他客户也有帮助,谢谢您说出来。"],
    "qiwang-qingjiao": ["您对这事看得很清楚,也想听听您觉得怎样处理最合适。"],
}
CONFIDENTIAL = "您放心,您跟我说的内容我们会保密,不会告诉其他人。"
SAFETY = {
    "bank": "这边人多说话不方便,您到里面坐下,喝口水,我们慢慢说。",
    "real_estate": "这边人多说话不方便,您到会议室坐下,喝口水,我们慢慢说。",
}
GROUP = {
    "bank": "人多大家的话我怕听漏,麻烦大家推选几位代表,我们到里面坐下把每个人的情况都记下来。",
    "real_estate": "各位业主的意见都很重要,人多怕听漏,麻烦大家推选几位代表,我们到会议室把每一条诉求都记下来。",
}
VULNERABLE = "您慢慢说,先坐下歇一歇,不着急。"
QUESTIONS = {
    "bank": ["为了尽快帮您查,方便说一下是哪天、哪一笔业务吗?", "我先确认一下:这是什么时候发生的、涉及哪张卡或哪笔钱?",
             "您希望我们先处理哪件事?我好马上安排。"],
    "real_estate": ["方便告诉我是哪栋哪户、问题是从什么时候开始的吗?", "我先确认一下房号和具体位置,好让工程部对着查。",
                    "您希望我们先处理哪一项?我好马上安排。"],
}
NEXT = {
    "bank": [
        "我现在就把情况报给负责人,4小时内给您回复处理情况。",
        "我马上登记并交给负责的同事,4小时之内一定给您回个准信。",
    ],
    "real_estate": [
        "我今天就把情况登记好交给工程部,约好上门查看的时间后第一时间告诉您。",
        "我今天就报给项目负责人,明确处理办法和时间后马上回复您。",
    ],
}
COMPENSATION = "您提出的补偿要求我已经记下来了,需要会同业务部门核实后才能答复您,我不能在这儿随口应承。"
COMPENSATION_RE = "您提出的补偿诉求我已经记下来了,会对照合同报公司核实后答复您,我不能在这儿随口应承。"
ESCALATE = "这件事我马上报告负责人,请他亲自跟您谈。"
CLOSE = {
    "powerful": ["您看这样安排行吗?您定。"],
    "peaceful": ["您看这样可以吗?有哪里不合适您尽管跟我说。"],
    "perfect": ["处理的每一步我都会跟您说清楚,您看可以吗?"],
    "lively": ["您看这样行不行?有什么想法随时叫我。"],
    None: ["您看这样安排可以吗?", "您看这样处理行吗?", "这样安排您看合适吗?"],
}


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "little")


_PRONOUNS = [("你们", "我们"), ("我们", "您这边"), ("我的", "您的"), ("我", "您"), ("你", "我")]


_EDGE = re.compile(r"^[\s,,、]+|[\s,,、]+$")


def _trim(text: str) -> str:
    return _EDGE.sub("", text)


_CODE = re.compile(r"[<>{}=;$`\\]|--|drop\s+table|select\s|script", re.I)


def _spoken_chinese(clause: str) -> bool:
    """Only plain Chinese speech is echoed back: never markup, code or another language."""
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in clause)
    return not _CODE.search(clause) and han >= max(2, len(clause.strip()) * 0.6)


def _concern_score(sent: str) -> int:
    score = 3 * len(rules.cues(rules.UNHAPPY, sent)) + 2 * len(rules.cues(_DETAIL, sent))
    score += len(rules.cues(rules.BANK, sent)) + len(rules.cues(rules.REAL_ESTATE, sent))
    score -= 6 * len(rules.cues(rules.ANGER, sent) + rules.cues(rules.RAGE, sent))
    return score + (2 if 8 <= len(sent) <= 60 else 0)


def _second_person(text: str) -> str:
    # swap through markers so 你们->我们 is not turned back by 我们->您这边
    for i, (a, _) in enumerate(_PRONOUNS):
        text = text.replace(a, f"\x00{i}\x00")
    for i, (_, b) in enumerate(_PRONOUNS):
        text = text.replace(f"\x00{i}\x00", b)
    return text


def paraphrase(customer_text: str, skip_questions: bool = False) -> str:
    """The customer's concrete concern in their own words, turned to second person, without threats or insults.

    skip_questions: mid-conversation a question is answered, not read back ("人多就是你们的理由?").
    """
    candidates = []
    for m in _SENT.finditer(customer_text):
        sent = m.group()
        asked = customer_text[m.end():m.end() + 1] in ("?", "?") or sent.rstrip().endswith("吗")
        if _INJECTION.search(sent) or (skip_questions and asked):
            continue
        # keep the clauses that state the problem; threats and demands are answered elsewhere
        kept = [c for c in _CLAUSE.split(sent)
                if c.strip() and not _THREAT.search(c) and not _DEMAND.search(c) and not _REPORTED.search(c)
                and _spoken_chinese(c)]
        s = _trim(",".join(c.strip() for c in kept))
        if len(s) >= 4:
            candidates.append((_concern_score(s), s))
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: c[0])[1]
    best = rules.ANGER.sub("", rules.RAGE.sub("", best))
    best = _second_person(best)
    best = _trim(re.sub(r"[吗呢吧啊呀嘛]+$", "", best))
    if len(best) > 40:
        cut = max(best.rfind(",", 0, 40), best.rfind(",", 0, 40))
        best = best[:cut] if cut >= 12 else best[:40] + "……"
    return best


class TemplateDrafter:
    def draft(self, analysis: Analysis, technique_ids: list[str], text: str) -> str:
        seed = _seed(text)
        dom = analysis.domain
        flags = set(analysis.flags)
        parts = [_pick(EMPATHY[analysis.emotion], seed)]
        if "safety_risk" in flags or analysis.emotion >= 3:
            parts.append(SAFETY[dom])
        elif "group_complaint" in flags:
            parts.append(GROUP[dom])
        elif "vulnerable_customer" in flags:
            parts.append(VULNERABLE)
        if analysis.emotion >= 1 or flags:
            parts.append(_pick(APOLOGY, seed, 1))
        # mid-conversation the reply answers the newest words; their concern if they state one,
        # else the concern of the whole exchange
        newest = newest_words(text)
        concern = (paraphrase(newest, skip_questions=True) if newest else "") or paraphrase(
            analysis.customer_text or text)
        # the customer's own words can carry blame or rhetoric once turned to "您": drop them then
        if concern and check(concern).ok:
            parts.append(_pick([f"您说的是“{concern}”,这个情况我记下了。", f"我听明白了:{concern}。",
                                f"我确认一下,您遇到的是“{concern}”,对吧?"], seed, 2))
        for tid in technique_ids:
            if tid in TECHNIQUE_MOVES:
                parts.append(_pick(TECHNIQUE_MOVES[tid], seed, 3))
                break
        if "confidentiality" in flags:
            parts.append(CONFIDENTIAL)
        if not _DETAIL.search(analysis.customer_text or text):
            parts.append(_pick(QUESTIONS[dom], seed, 4))
        if "compensation_claim" in flags:
            parts.append(COMPENSATION_RE if dom == "real_estate" else COMPENSATION)
        if flags & {"media_exposure", "regulator_escalation", "repeat_complaint", "group_complaint"}:
            parts.append(ESCALATE)
        parts.append(_pick(NEXT[dom], seed, 5))
        parts.append(_pick(CLOSE.get(analysis.personality, CLOSE[None]), seed, 6))
        return "".join(parts)
