"""Validate and clean what users paste: empty, binary and oversized input gets a bilingual error."""

from __future__ import annotations

import html
import re
import unicodedata

from assistant.errors import InputError, TooLong

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[^>\n]{1,200}>")
_MD = re.compile(r"(^|\n)\s{0,3}(#{1,6}\s+|>\s+|[-*]\s+)")
# surrogates are the only code points a str can hold that UTF-8 cannot encode; a lone one (a
# broken paste, a JSON \ud800 escape) passed validation and crashed the embedder
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise InputError("输入是二进制内容,请粘贴文字", "input looks binary; paste text instead")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError("输入不是有效的文字编码", "input is not valid UTF-8/GB18030 text") from None


EMPTY_CUSTOMER = ("输入为空,请粘贴客户说的话", "input is empty; paste what the customer said")
EMPTY_QUESTION = ("问题为空,请输入要查的制度问题", "the question is empty; type the policy question")
EMPTY_DRAFT = ("草稿为空,请输入要检查的回复", "the draft is empty; type the reply to check")


def validate(text: str | bytes, max_chars: int, empty: tuple[str, str] = EMPTY_CUSTOMER) -> str:
    """Return cleaned text or raise InputError. Cleaning keeps the words, drops markup and controls;
    `empty` is what to say when nothing is left (a question, a draft or the customer's words)."""
    if isinstance(text, bytes):
        text = decode(text)
    if "\x00" in text:
        raise InputError("输入是二进制内容,请粘贴文字", "input looks binary; paste text instead")
    if len(text) > max_chars:
        raise TooLong(
            f"输入过长({len(text)} 字),上限 {max_chars} 字,请只粘贴相关对话",
            f"input too long ({len(text)} chars, limit {max_chars}); paste only the relevant part",
        )
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 10):
        raise InputError("输入含大量控制字符,像是二进制内容", "input is mostly control characters; looks binary")
    cleaned = clean(text)
    if not cleaned:
        raise InputError(*empty)
    return cleaned


def well_formed(text: str) -> str:
    """text that encodes as UTF-8: a surrogate pair becomes its character, a lone surrogate is dropped."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")


def clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", well_formed(text))
    text = _CONTROL.sub("", text)
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", html.unescape(text))
    text = _MD.sub(r"\1", text)
    text = re.sub(r"[ \t\u3000]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text)
    return text.strip()
