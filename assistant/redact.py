"""PII redaction before anything is logged or sent to a model. Idempotent: placeholders have no digits."""

from __future__ import annotations

import re

_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)?[- ]?)\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

PLACEHOLDERS = {
    "id_card": "[身份证号]",
    "bank_card": "[银行卡号]",
    "mobile": "[手机号]",
    "landline": "[电话]",
    "email": "[邮箱]",
}
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id_checksum_ok(num: str) -> bool:
    if len(num) != 18 or not num[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(num[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == num[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_pii(text: str) -> list[tuple[str, int, int]]:
    """Non-overlapping (kind, start, end) spans, checked formats first."""
    spans: list[tuple[str, int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for _, s, e in spans)

    for m in _ID.finditer(text):
        if id_checksum_ok(m.group(0)):
            spans.append(("id_card", m.start(), m.end()))
    for m in _EMAIL.finditer(text):
        if free(*m.span()):
            spans.append(("email", m.start(), m.end()))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and free(*m.span()):
            spans.append(("bank_card", m.start(), m.end()))
    for m in _MOBILE.finditer(text):
        if free(*m.span()):
            spans.append(("mobile", m.start(), m.end()))
    for m in _LANDLINE.finditer(text):
        if free(*m.span()):
            spans.append(("landline", m.start(), m.end()))
    return sorted(spans, key=lambda s: s[1])


def redact(text: str) -> str:
    out, last = [], 0
    for kind, start, end in find_pii(text):
        out.append(text[last:start])
        out.append(PLACEHOLDERS[kind])
        last = end
    out.append(text[last:])
    return "".join(out)
