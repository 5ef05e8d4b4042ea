"""A yes/no question about a sum, held against a clause's cap.

"一般客户急用钱,能直接给八千块吗?" is answered by comparing 8,000 with the cap the clause sets for
that group of customers (普通客户 5,000元), not by quoting the clause's general line. Only a clause part
that both names a cap word and holds exactly one sum is a cap; when a clause sets caps for several
groups, the question must name the group (or the thesaurus's word for it) for one cap to be chosen.
"""

from __future__ import annotations

import re

from assistant.text.numerals import CN_DIGIT as _DIGIT
from assistant.text.numerals import CN_UNIT as _UNIT
from assistant.text.tokenize import expand, tokens

_CN = "零〇一二两三四五六七八九十百千万"
# a sum: a number and a money word (8,000元, 八千块, 两万块钱), or a bare number in 万 or 千 (两万, 一万五, 5千,
# 1万5); each alternative starts where its run of numerals starts, so a long run is read once. 一块儿 is
# together, not one yuan
_MONEY = r"(?:块钱|块(?![儿来去走])|元)"
_SUM = re.compile(rf"(?<![\d.,{_CN}])(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*(万|千)?\s*{_MONEY}|"
                  rf"(?<![\d.,{_CN}])(\d+(?:\.\d+)?\s*[万千](?:\d(?![\d千百]))?|[{_CN}]+)"
                  rf"(?:{_MONEY}|(?![个次遍回年人位户名张笔天套间层分]))")
# 几千, 上万, 成千, 万一, 千万, 千分之三: a run that starts with 千 or 万 (or follows 几) is no sum
_NO_LEAD = "千万百"
MAX_NUMERALS = 12
_NUMERIC = re.compile(rf"[\d.,{_CN}几]+(?:块钱|块|元)?")
# the ask is for money given or paid out ("能给他支八千吗"), not for a transfer or a balance ("办一笔三万的转账")
_GIVE = re.compile(r"给|支|付|垫|借|领|取|援助")
# "超过五千还能给吗": the sum is a bound, not the payment asked about
_BOUND = re.compile(r"超过|超出|多于|高于|以上|以外|之外")
_CAP_WORD = re.compile(r"上限|最高|最多|不得超过|不超过|不能超过|为限")
# parts of a clause sentence: cut at Chinese punctuation, and at a comma that is no thousands separator
_CUT = re.compile(r"[\uff0c\uff1b;\u3002]|,(?!\d{3})")


def _cn_value(s: str) -> float | None:
    """一万五 -> 15000, 八千 -> 8000, 两万 -> 20000, 三千五 -> 3500; None for what is no number."""
    if len(s) > MAX_NUMERALS or s.count("万") > 1:
        return None  # a run of numerals this long, or 万 twice, is no sum anyone asks about
    if "万" in s:
        high, _, low = s.partition("万")
        head = _cn_value(high) if high else 1.0
        if head is None:
            return None
        tail = (_DIGIT[low] * 1000.0 if len(low) == 1 and low in _DIGIT else _cn_value(low) or 0.0) if low else 0.0
        return head * 10000 + tail
    total, cur = 0, 0
    for i, c in enumerate(s):
        if c in _DIGIT:
            cur = _DIGIT[c]
        elif c in _UNIT:
            total += (cur or 1) * _UNIT[c]
            cur = 0
            if c == "千" and i == len(s) - 2 and s[-1] in _DIGIT:  # 三千五: the last digit is hundreds
                return float(total + _DIGIT[s[-1]] * 100)
        else:
            return None
    return float(total + cur)


def _digits_value(word: str) -> float:
    """5千 -> 5000, 1.5万 -> 15000, 1万5 -> 15000."""
    big = "万" if "万" in word else "千"
    head, _, tail = word.partition(big)
    unit = 10000 if big == "万" else 1000
    return float(head) * unit + (float(tail) * unit / 10 if tail else 0.0)


def amounts(text: str) -> list[float]:
    """The sums of money in the text, in yuan."""
    out = []
    for m in _SUM.finditer(text):
        if m.group(1):
            value = float(m.group(1).replace(",", "")) * {"万": 10000, "千": 1000}.get(m.group(2) or "", 1)
        else:
            word = m.group(3).replace(" ", "")
            money = m.group(0) != m.group(3)  # a money word follows
            if not money and not ("万" in word or "千" in word):
                continue  # 三个, 一下: a bare small number is no sum
            if word[0] in _NO_LEAD or text[max(0, m.start() - 1):m.start()] in ("几", "上", "成", "数"):
                continue
            value = _digits_value(word) if word[0].isdigit() else _cn_value(word)
        if value:
            out.append(value)
    return out


def caps(sentence: str) -> list[tuple[str, float]]:
    """(part, cap) for each part of a clause sentence that sets a cap on a sum."""
    out = []
    for part in (p.strip() for p in _CUT.split(sentence)):
        sums = amounts(part)
        if _CAP_WORD.search(part) and len(sums) == 1:
            out.append((part, sums[0]))
    return out


# a clause of the question: cut at its punctuation, and at a comma that is no thousands separator (8,000元)
_ASK_CUT = re.compile(r"[;\uff1b\u3002!\uff01?\uff1f]|[,\uff0c](?!\d{3})")


def _ask_tail(question: str) -> str:
    """The question's last clause, where the thing asked is ("一般客户要应急,网点能直接给他八千块吗?")."""
    parts = [p for p in _ASK_CUT.split(question) if p.strip()]
    return parts[-1] if parts else question


def _yuan(value: float) -> str:
    return f"{value:,.0f}元"


def _named_part(question: str, pairs: list[tuple[str, float]]) -> tuple[str, float] | None:
    """The one cap whose part names a word group of the question that not every part names."""
    if len(pairs) == 1:
        return pairs[0]
    # the question's own figures are no group ("能给1万块吗": the 1 is in the 10,000 of the clause too)
    groups = [g for g in expand(tokens(question)) if not any(_NUMERIC.fullmatch(w) for w in g)]
    hits = []
    for part, cap in pairs:
        own = [g for g in groups if any(w in part for w in g)
               and not all(any(w in other for w in g) for other, _ in pairs)]
        if own:
            hits.append((part, cap))
    return hits[0] if len(hits) == 1 else None


def cap_answer(question: str, sentences: list[str]) -> str | None:
    """The direct answer to "can we give X?" from the first sentence that sets a cap: over the cap it is
    no; within it, the sum is said to be within the cap (the clause's conditions still hold). None when
    the question names no single sum or no cap fits it."""
    # the sum must be in the asking part: "卡里有五十万存款,能给他应急支付吗" asks about no sum
    asking = _ask_tail(question)
    asked = amounts(asking)
    if len(asked) != 1 or not _GIVE.search(asking) or _BOUND.search(asking):
        return None
    for sentence in sentences:
        pairs = caps(sentence)
        if not pairs:
            continue
        chosen = _named_part(question, pairs)
        if chosen is None:
            # the question names no one group: the sum against each group's cap
            said = "、".join(f"{'超过' if asked[0] > cap else '不超过'}{_CAP_WORD.split(part)[0] or '该项'}的上限"
                            for part, cap in pairs)
            return f"{_yuan(asked[0])}{said}。{','.join(part for part, _ in pairs)}。"
        part, cap = chosen
        if asked[0] > cap:
            return f"不可以,{_yuan(asked[0])}超过上限。{part}。"
        return f"{_yuan(asked[0])}在上限之内。{part}。"
    return None
