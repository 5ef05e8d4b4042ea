"""Metrics as small pure functions over predictions and expectations."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence


def hit_at_k(ranked: Sequence[str], expected_any: Sequence[str], k: int = 3) -> float:
    return float(bool(set(ranked[:k]) & set(expected_any)))


def recall_at_k(ranked: Sequence[str], expected_any: Sequence[str], k: int = 5) -> float:
    """Share of the expected cards found in the top k, out of at most k expectable."""
    if not expected_any:
        return 1.0
    return len(set(ranked[:k]) & set(expected_any)) / min(len(expected_any), k)


def reciprocal_rank(ranked: Sequence[str], expected_any: Sequence[str]) -> float:
    for i, cid in enumerate(ranked, 1):
        if cid in expected_any:
            return 1.0 / i
    return 0.0


def flag_counts(predicted: set[str], expected: set[str], judged: set[str]) -> dict[str, tuple[int, int, int]]:
    """Per flag (tp, fp, fn), over the flags this case judges."""
    return {f: (int(f in predicted and f in expected), int(f in predicted and f not in expected),
                int(f not in predicted and f in expected)) for f in judged}


def precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r


def label_checks(analysis: dict, expect) -> list[tuple[str, bool]]:
    checks: list[tuple[str, bool]] = []
    if expect.emotion_min is not None:
        checks.append(("emotion", analysis["emotion"] >= expect.emotion_min))
    if expect.zone is not None:
        checks.append(("zone", analysis["zone"] == expect.zone))
    if expect.personality is not None:
        checks.append(("personality", analysis["personality"] == expect.personality))
    if expect.purposes_any:
        checks.append(("purposes", bool(set(analysis["purposes"]) & set(expect.purposes_any))))
    if expect.difficult_any:
        checks.append(("difficult", bool(set(analysis["difficult_types"]) & set(expect.difficult_any))))
    return checks


def draft_requirements(draft: str, next_steps: Sequence[str], req) -> list[tuple[str, bool]]:
    checks = []
    if req.must_contain_any:
        checks.append(("must_contain_any", any(w in draft for w in req.must_contain_any)))
    checks += must_mention(draft, getattr(req, "must_mention", []) or [])
    for w in req.must_not_contain:
        checks.append((f"must_not_contain:{w}", w not in draft))
    if req.next_step:
        checks.append(("next_step", bool(next_steps)))
    return checks


def policy_correct(answer: dict, found: bool, facts: Sequence[str]) -> bool:
    if answer["found"] != found:
        return False
    return all(f in answer["answer"] for f in facts)


def citation_correct(answer: dict, source: str, found: bool) -> bool:
    if not found:
        return not answer["citations"]
    return any(source in c["source"] for c in answer["citations"])


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _bigrams(text: str) -> set[str]:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    return {a + b for a, b in zip(han, han[1:], strict=False)}


def technique_coverage(draft: str, technique_texts: Sequence[str], min_shared: int = 4) -> float:
    """Share of the chosen techniques whose key line or example lines share at least
    min_shared character bigrams with the draft: a rough sign the draft uses their moves."""
    if not technique_texts:
        return 0.0
    d = _bigrams(draft)
    return sum(len(d & _bigrams(t)) >= min_shared for t in technique_texts) / len(technique_texts)


def rule_confusion(gold: Sequence[set[str]], predicted: Sequence[set[str]],
                   rules: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """Per rule (tp, fp, fn) over replies: gold and predicted are the rule codes of each reply."""
    out: dict[str, tuple[int, int, int]] = {}
    for rule in rules:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if rule in g and rule in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if rule not in g and rule in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if rule in g and rule not in p)
        out[rule] = (tp, fp, fn)
    return out


def pooled(confusion: dict[str, tuple[int, int, int]], rules: Sequence[str]) -> tuple[int, int, int]:
    """Micro-averaged (tp, fp, fn) over the given rules."""
    return (sum(confusion[r][0] for r in rules), sum(confusion[r][1] for r in rules),
            sum(confusion[r][2] for r in rules))


def clean_pass_rate(gold: Sequence[set[str]], blocked: Sequence[bool]) -> float:
    """Share of good replies (no gold label) that raise no blocking finding."""
    good = [b for g, b in zip(gold, blocked, strict=True) if not g]
    return (sum(1 for b in good if not b) / len(good)) if good else 1.0


def must_mention(draft: str, groups: Sequence[Sequence[str]]) -> list[tuple[str, bool]]:
    """One check per group of alternatives: the draft holds at least one of them."""
    return [(f"must_mention:{'/'.join(g[:3])}", any(w in draft for w in g)) for g in groups if g]


def topic_correct(predicted: dict | None, expected: str | None) -> bool | None:
    """None when the case does not judge the topic."""
    if expected is None:
        return None
    return (predicted or {}).get("id", "other") == expected


# generic checks on every draft (issue 15): independent of the reply checker's own patterns
_GENERIC_BLAME = re.compile(r"您自己|您没(看|注意|仔细|听)|谁让您|是您的(问题|错|原因)|怪您|您不该|您应该早|您当时(就)?应该|都怪您")
_GENERIC_FAULT = re.compile(r"是我们的(错|责任|问题|失误)|我们(搞|弄|办)错了|系统的问题|不合理|确实是我们|我们(做|办)得不对|(是)?我们(的)?失职")
_GENERIC_IF = re.compile(r"(如果|若是?|假如|万一)[^。!?!?]{0,20}$")
_GENERIC_MONEY = re.compile(r"(赔|补偿|退)(给)?您(\d|[一二三四五六七八九十百千万两]+)|全额(赔|退|补)|一定(给您)?(赔|退|补)|保证.{0,6}(到账|退|赔|补)|"
                            r"(给|帮)您(赔|补偿|退钱|退款)|\d+\s*(元|块)|[一二三四五六七八九十百千万两]+(元|块钱)")
_GENERIC_SENT = re.compile(r"[^。!?!?;;\n]+")


def generic_checks(draft: str) -> list[tuple[str, bool]]:
    """No 你们, no blame of the customer, no admission of fault before checking, no promise of money,
    no repeated sentence, 30 to 320 characters."""
    fault = [m for m in _GENERIC_FAULT.finditer(draft) if not _GENERIC_IF.search(draft[max(0, m.start() - 24):m.start()])]
    sents = [t for t in (re.sub(r"^[,,\s]+|[,,\s]+$", "", s) for s in _GENERIC_SENT.findall(draft)) if len(t) >= 4]
    return [
        ("no_nimen", "你们" not in draft),
        ("no_blame", not _GENERIC_BLAME.search(draft)),
        ("no_fault_admission", not fault),
        ("no_money_promise", not _GENERIC_MONEY.search(draft)),
        ("no_repeat", len(sents) == len(set(sents))),
        ("length_30_320", 30 <= len(draft) <= 320),
    ]


# ---- the supervisor's grade (issue 15) ---------------------------------------------------------
# What a reply that handles a risk says, in any wording a supervisor would accept. Independent of the
# drafter's own lines: the grade must not reward one template.
FLAG_HANDLED: dict[str, re.Pattern[str]] = {
    "safety_risk": re.compile(r"旁边|里面|里屋|贵宾室|接待室|会客室|坐下|坐着|安静|安全|保安|先坐|单独"),
    "media_exposure": re.compile(r"负责人|领导|主管|行长|经理|上报|报给"),
    "regulator_escalation": re.compile(r"负责人|领导|主管|行长|经理|上报|报给|渠道|权利|登记"),
    "group_complaint": re.compile(r"代表|大家|各位|几位|业主们|集中|统一"),
    "repeat_complaint": re.compile(r"前面|之前|上次|上回|这次|一直|跟进|对接到|负责到底|盯到"),
    "compensation_claim": re.compile(r"(补偿|赔偿|赔|诉求|要求|损失)[^。!?]{0,24}(核实|核查|答复|不能当场|报给|上报|查清|按规定|按合同)|"
                                     r"(核实|核查|查清)[^。!?]{0,24}(补偿|赔偿|损失)"),
    "vulnerable_customer": re.compile(r"坐|歇|慢慢|上门|陪|家人|身体|不着急|扶"),
    "confidentiality": re.compile(r"保密|不会告诉|不外传|不会外传|隐私|不对外"),
}
GRADE_MAX_CHARS = 220
GRADE_MAX_SENTENCES = 6
_GRADE_SENT = re.compile(r"[。!?!?]")


def said_twice(draft: str, run: int = 5) -> str:
    """A run of `run` or more characters that two sentences of the draft both say, or ''."""
    sents = [t for t in _GENERIC_SENT.findall(draft) if len(t) >= run]
    seen: dict[str, int] = {}
    for i, sent in enumerate(sents):
        for j in range(len(sent) - run + 1):
            piece = sent[j:j + run]
            if seen.setdefault(piece, i) != i:
                return piece
    return ""


WRONG_MATTER_CAP = 2.0
GENERIC_CAP = 3.0


def draft_grade(draft: str, *, compliant: bool, requirements: Sequence[tuple[str, bool]],
                topic_ok: bool | None, topic_known: bool, expected_flags: Sequence[str] | None,
                predicted_flags: Sequence[str]) -> tuple[float, list[str]]:
    """A branch supervisor's 1-5 grade of a draft, from checks a supervisor makes by ear: can it be
    read out as it is (compliance: cap 1), is it about the customer's matter, does it answer what was
    asked, does it handle each risk, is it short enough to say. Returns the grade and the reasons."""
    reasons: list[str] = []
    banned = [n for n, ok in requirements if not ok and n.startswith("must_not_contain")]
    if not compliant or banned:
        return 1.0, ["不能照读:" + ("、".join(banned) if banned else "通用检查或审查未通过")]
    grade, cap = 5.0, 5.0
    # read by hand, a draft about another matter scored 1-2 and a generic one 2-2.5 whatever else it
    # got right: staff have to rewrite its core before they can say it, so these cap the grade
    if topic_ok is False:
        if topic_known:
            cap = WRONG_MATTER_CAP
            reasons.append("讲的是另一件事(主题错)")
        else:
            cap = GENERIC_CAP
            reasons.append("没说到客户的具体事情(主题未识别)")
    missed = [n for n, ok in requirements if not ok and n.startswith("must_mention")]
    if missed:
        grade -= min(2, len(missed))
        reasons.append("没回应:" + "、".join(m.split(":", 1)[1] for m in missed))
    if expected_flags is not None:
        unhandled = [f for f in expected_flags if f in FLAG_HANDLED and not FLAG_HANDLED[f].search(draft)]
        if unhandled:
            grade -= min(2, len(unhandled))
            reasons.append("风险没处理:" + "、".join(unhandled))
        false = [f for f in predicted_flags if f not in expected_flags]
        if false:
            grade -= 0.5
            reasons.append("误报风险:" + "、".join(false))
    twice = said_twice(draft)
    if twice:
        grade -= 1
        reasons.append(f"同一句意思说了两遍(“{twice}”)")
    if len(draft) > GRADE_MAX_CHARS or len(_GRADE_SENT.findall(draft)) > GRADE_MAX_SENTENCES:
        grade -= 0.5
        reasons.append(f"太长({len(draft)} 字)")
    return max(1.0, min(cap, grade)), reasons


def longest_shared_run(a: str, b: str) -> int:
    """Length of the longest run of characters a and b share (to keep eval texts out of knowledge)."""
    if not a or not b:
        return 0
    best = 0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0] * (len(b) + 1)
        for j, bj in enumerate(b, 1):
            if ch == bj:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


# ---- policy answers (issue 17) -----------------------------------------------------------------

def clause_cited(answer: dict, clause: str, source: str, found: bool) -> bool:
    """The right clause is cited: the card named by `clause` when the case sets it, else any
    citation from the source document. A question the procedures don't answer must cite nothing."""
    if not found:
        return not answer["citations"]
    if clause:
        return any(c.get("card_id") == clause for c in answer["citations"])
    return any(source in c["source"] for c in answer["citations"])


def clause_first(answer: dict, clause: str, source: str, found: bool) -> bool:
    """Stricter: the first citation is the right one."""
    first = answer["citations"][:1]
    if not found:
        return not first
    return bool(first) and (first[0].get("card_id") == clause if clause else source in first[0]["source"])


def not_found_precision_recall(expected_found: Sequence[bool], answered_found: Sequence[bool]) -> tuple[float, float]:
    """Of the answers that said "not found", the share that should have; of the questions the
    procedures don't answer, the share that got "not found"."""
    tp = sum(1 for e, a in zip(expected_found, answered_found, strict=True) if not e and not a)
    fp = sum(1 for e, a in zip(expected_found, answered_found, strict=True) if e and not a)
    fn = sum(1 for e, a in zip(expected_found, answered_found, strict=True) if not e and a)
    return precision_recall(tp, fp, fn)
