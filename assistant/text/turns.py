"""Split a pasted exchange into customer and staff turns; only the customer's words are read for labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

# the bracket's spaces belong to the bracket: two "\s*" side by side split a long run of spaces
# in quadratically many ways before the timestamp is found missing
_TS = re.compile(r"^\s*(?:[\[(【]\s*)?(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*)?\d{1,2}:\d{2}(:\d{2})?\s*(?:[\])】]\s*)?")
_CUSTOMER = re.compile(r"^\s*(客户|顾客|业主|客人|来访人|投诉人|customer|client|甲方?)\s*[::]\s*", re.I)
_ROLE = r"员工|柜员|大堂经理|大堂|客服|经理|主管|行长|我方|工作人员|置业顾问|销售|物业|保安|staff|agent"
_NOTE = r"备注|记录|注|按|说明|小结|note"
_STAFF = re.compile(rf"^\s*(?:(?:{_ROLE})(?:{_NOTE})?|(?:{_NOTE}))\s*[::]\s*", re.I)


@dataclass(frozen=True)
class Turn:
    speaker: str  # "customer" | "staff"
    text: str


def split_turns(text: str) -> list[Turn]:
    turns: list[Turn] = []
    speaker = "customer"
    for raw in text.splitlines():
        line = _TS.sub("", raw).strip()
        if not line:
            continue
        if m := _STAFF.match(line):
            speaker, line = "staff", line[m.end() :]
        elif m := _CUSTOMER.match(line):
            speaker, line = "customer", line[m.end() :]
        if line:
            turns.append(Turn(speaker, line))
    return turns


def customer_text(text: str) -> str:
    turns = split_turns(text)
    said = [t.text for t in turns if t.speaker == "customer"]
    return "\n".join(said)


_SPEAKING_STAFF = re.compile(rf"^\s*(?:{_ROLE})\s*[::]", re.I)


def staff_spoke(text: str) -> bool:
    """The text is an exchange at the desk: staff said something (a labelled role, not a note: a letter's
    "注:" or "备注:" is no turn) and so did the customer (a letter opening "行长:您好!" has no customer turn)."""
    if not any(t.speaker == "customer" for t in split_turns(text)):
        return False
    return any(_SPEAKING_STAFF.match(_TS.sub("", raw)) for raw in text.splitlines())


def newest_words(text: str) -> str:
    """In a conversation, the customer's words since staff last spoke; empty when staff never spoke."""
    turns = split_turns(text)
    last_staff = max((i for i, t in enumerate(turns) if t.speaker == "staff"), default=None)
    if last_staff is None:
        return ""
    return "\n".join(t.text for t in turns[last_staff + 1:] if t.speaker == "customer")


# a conversation at the desk, as chat messages. Staff use the desk, so what they sent is "user"
# (shown on the right, as one's own messages are) and the customer is "assistant" (on the left).
SPEAKER_PREFIX = {"assistant": "客户", "user": "员工"}


def transcript(history: list[dict], new_customer_text: str) -> str:
    """The whole exchange so far plus the customer's new words, in the prefixed form split_turns reads."""
    if not history:
        return new_customer_text
    lines = [_said(SPEAKER_PREFIX[m["role"]], m["content"]) for m in history]
    return "\n".join([*lines, _said("客户", new_customer_text)])


def _said(speaker: str, text: str) -> str:
    """One message with its speaker in front, unless it already names its speakers (a pasted log):
    "客户:客户:..." would read the customer's own label as their words."""
    lines = text.strip().splitlines() or [""]
    pasted = _CUSTOMER.match(lines[0]) or (len(lines) > 1 and _STAFF.match(lines[0]))
    return text if pasted else f"{speaker}:{text}"


# the meaning signals (embedding, BM25, character n-grams) read at most this many characters: the
# embedding costs grow faster than the length (20,000 characters took 1.5 s against a 100 ms budget
# for a whole suggest at the input limit), and a complaint's subject and its newest ask sit at its two
# ends. Longer than any eval case or real complaint (≤ 400), so no measured figure depends on it.
GIST_CHARS = 600


def gist(text: str, limit: int = GIST_CHARS) -> str:
    """The text itself, or, when longer than limit, its opening and its end: a letter names its matter
    first, a pasted conversation ends with the newest words. The rules still read the whole text."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + "\n" + text[-half:]
