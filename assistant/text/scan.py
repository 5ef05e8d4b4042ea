"""Leftmost-first regex scans that jump to the characters a match can start with.

The checker's rule patterns are long alternations whose branches open with optional groups
("(确实|的确)?(是)?(我们|…)的?错"), so `re` cannot find a literal prefix and tries every branch at
every position of the draft: four such patterns cost about 1.5 ms each on a 200-character draft.
The set of characters a match can start with is computed once from the parsed pattern; a scan then
searches that set (one C loop) and tries the pattern only where a match can begin. The matches are
exactly those of `pattern.finditer`: `match(text, pos)` keeps the look-behind context, and `^` only
matches at the real start, as in a scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

try:  # CPython 3.11+: the parser the compiler itself uses
    from re import _parser as P  # noqa: N812
except ImportError:  # pragma: no cover - older interpreters: plain finditer
    P = None

# a first-character set this large finds a candidate at nearly every position: no gain
_MAX_SET = 3000
# candidates that did not match before the scan hands over to finditer; a finditer that starts at pos
# still sees the text before it, so look-behinds read the same context
MAX_MISSES = 48
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


class _Any(Exception):
    """The pattern can start with any character (., a category, a negated set, a backreference)."""


def _first(items, ignorecase: bool) -> tuple[set[str], bool]:
    """(characters a match of this sequence can start with, whether it can match the empty string)."""
    chars: set[str] = set()
    for op, av in items:
        got, nullable = _first_item(op, av, ignorecase)
        chars |= got
        if not nullable:
            return chars, False
    return chars, True


def _first_item(op, av, ignorecase: bool) -> tuple[set[str], bool]:
    name = str(op)
    if name == "LITERAL":
        return _cased(chr(av), ignorecase), False
    if name == "IN":
        out: set[str] = set()
        for iop, iav in av:
            iname = str(iop)
            if iname == "LITERAL":
                out |= _cased(chr(iav), ignorecase)
            elif iname == "RANGE" and iav[1] - iav[0] < _MAX_SET:
                for c in range(iav[0], iav[1] + 1):
                    out |= _cased(chr(c), ignorecase)
            elif iname == "CATEGORY":
                out |= _category(str(iav))
            else:  # NEGATE, a wide range
                raise _Any
        return out, False
    if name == "SUBPATTERN":  # (group, added flags, removed flags, body): (?i:…) may switch case
        _group, add, remove, body = av
        return _first(body, (ignorecase or bool(add & re.IGNORECASE)) and not (remove & re.IGNORECASE))
    if name == "ATOMIC_GROUP":
        return _first(av, ignorecase)
    if name == "BRANCH":
        out, nullable = set(), False
        for branch in av[1]:
            got, null = _first(branch, ignorecase)
            out |= got
            nullable = nullable or null
        return out, nullable
    if name in _REPEATS:
        lo, _hi, body = av
        got, null = _first(body, ignorecase)
        return got, null or lo == 0
    if name == "CATEGORY":
        return _category(str(av)), False
    if name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero width: the next item starts the match
        return set(), True
    raise _Any  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS …


# \d and \s kept as class escapes in the starter, so they mean what the pattern's own flags make them
_CATEGORIES = {"CATEGORY_DIGIT": "\\d", "CATEGORY_SPACE": "\\s"}


def _category(name: str) -> set[str]:
    if name not in _CATEGORIES:  # \w and the negated classes match nearly anything
        raise _Any
    return {_CATEGORIES[name]}


# a case-insensitive part ((?i:…) or the whole pattern) makes the starter case-insensitive too: Unicode
# case folding pairs more than lower()/upper() (K and the Kelvin sign, s and ſ)
_FOLDED = "\x00ignorecase"


def _cased(c: str, ignorecase: bool) -> set[str]:
    return {c, c.lower(), c.upper(), _FOLDED} if ignorecase else {c}


@lru_cache(maxsize=1024)
def starter(pattern: re.Pattern) -> re.Pattern | None:
    """A one-class pattern of the characters a match of `pattern` can start with, or None when any
    character can (or the pattern can match the empty string): then scan with finditer."""
    if P is None or not isinstance(pattern.pattern, str):
        return None
    try:
        chars, nullable = _first(P.parse(pattern.pattern, pattern.flags), bool(pattern.flags & re.IGNORECASE))
    except Exception:  # _Any, or a parse tree this module does not know: the plain scan is always right
        return None
    if nullable or not chars or len(chars) > _MAX_SET:
        return None
    folded = _FOLDED in chars
    chars.discard(_FOLDED)
    escapes = "".join(c if c in _CATEGORIES.values() else re.escape(c) for c in sorted(chars))
    return re.compile("[" + escapes + "]", (pattern.flags & re.ASCII) | (re.IGNORECASE if folded else 0))


def finditer(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """The matches of `pattern.finditer(text)`, found faster where a match can start with few characters."""
    start = starter(pattern)
    if start is None:
        yield from pattern.finditer(text)
        return
    pos, n, misses = 0, len(text), 0
    search, match = start.search, pattern.match
    while pos < n:
        cand = search(text, pos)
        if cand is None:
            return
        m = match(text, cand.start())
        if m is None:
            misses += 1
            if misses > MAX_MISSES:  # starters nearly everywhere (一一一…): the C scan is faster from here
                yield from pattern.finditer(text, cand.start() + 1)
                return
            pos = cand.start() + 1
            continue
        yield m
        pos = m.end() if m.end() > m.start() else m.start() + 1
