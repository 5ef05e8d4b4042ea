"""Chinese tokenisation for keyword retrieval: jieba plus the course's own terms and the thesaurus.

knowledge/userdict.txt and every term of knowledge/synonyms.txt are loaded into jieba, lower-cased
(text is lower-cased before it is cut, so "3F法" must be in the dictionary as "3f法"). The thesaurus
also expands queries: `expand` turns each query token into the group of words that mean the same
thing here (VIP ↔ 贵宾, 上线 ↔ 投产, 喝醉 ↔ 醉酒 …), which BM25 scores as one term.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from pathlib import Path

from assistant.settings import PROJECT_ROOT, get_settings

USER_DICT = PROJECT_ROOT / "knowledge" / "userdict.txt"
SYNONYMS = PROJECT_ROOT / "knowledge" / "synonyms.txt"

_STOP = set(
    ["的", "了", "是", "在", "我", "你", "您", "他", "她", "它", "们", "我们", "你们", "他们", "这", "那", "就", "都", "也", "还", "和", "与", "及", "或", "而", "又", "吧", "吗", "呢", "啊", "呀", "哦", "嘛", "么", "个", "一个", "有", "没", "不", "要", "会", "能", "可以", "把", "被", "给", "让", "对", "为", "从", "到", "上", "下", "中", "里", "去", "来", "说", "很", "太", "再", "才", "啦", "么", "什么", "怎么", "怎么办", "多少", "如何", "为什么", "哪", "哪里", "哪些", "是否", "时", "时候", "期间", "应该", "应当", "需要", "的话", "之", "其", "该", "等", "这个", "那个", "这样", "那样", "自己"]
)
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_lock = threading.Lock()
_tokenizer = None


def read_synonym_sections(path: Path = SYNONYMS) -> dict[str, list[tuple[str, ...]]]:
    """Groups of the thesaurus under their '# ' heading, canonical term first, lower-cased."""
    if not path.exists():
        return {}
    sections: dict[str, list[tuple[str, ...]]] = {"": []}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#"):
            current = line.lstrip("#").strip()
            sections.setdefault(current, [])
            continue
        if ">" in line:  # a broader-term line (read_broader), not a group
            continue
        terms = tuple(dict.fromkeys(t.lower() for t in line.split()))
        if len(terms) > 1:
            sections[current].append(terms)
    return sections


def read_synonyms(path: Path = SYNONYMS) -> list[tuple[str, ...]]:
    """Groups of the thesaurus, canonical term first, lower-cased; '#' lines are comments."""
    return [g for groups in read_synonym_sections(path).values() for g in groups]


def read_broader(path: Path = SYNONYMS) -> list[tuple[tuple[str, ...], str]]:
    """Lines "柜员 大堂经理 > 员工": the words on the left are kinds of the word on the right. A question
    about a 柜员 is also about 员工 (a rule for all staff covers a teller); not the reverse."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#") or line.count(">") != 1:
            continue
        narrow, broad = (part.split() for part in line.lower().split(">"))
        if narrow and len(broad) == 1:
            out.append((tuple(narrow), broad[0]))
    return out


def _read_userdict(path: Path = USER_DICT) -> list[tuple[str, int | None, str | None]]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        out.append((parts[0].lower(), freq, parts[2] if len(parts) > 2 else None))
    return out


def _get():
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tmp = get_settings().tmp_dir / "jieba"
            tmp.mkdir(parents=True, exist_ok=True)
            tk.tmp_dir = str(tmp)
            tk.cache_file = str(tmp / "jieba.cache")
            tk.initialize()
            for word, freq, tag in _read_userdict():
                tk.add_word(word, freq, tag)
            for group in read_synonyms() + [(*n, b) for n, b in read_broader()]:
                for term in group:
                    # words jieba already knows keep their frequency; new ones are made cuttable
                    if not tk.FREQ.get(term) and (_KEEP.search(term) and len(term) > 1):
                        tk.add_word(term)
            _tokenizer = tk
    return _tokenizer


SHORT_TEXT = 200  # a question this short is cut once and remembered: one `ask` cuts it a dozen times


def tokens(text: str) -> list[str]:
    """Content words of text, lower-cased, stopwords and punctuation dropped."""
    if len(text) <= SHORT_TEXT:
        return list(_short_tokens(text))
    return list(_long_tokens(text))


@lru_cache(maxsize=4096)
def _short_tokens(text: str) -> tuple[str, ...]:
    return tuple(_cut(text))


@lru_cache(maxsize=8)
def _long_tokens(text: str) -> tuple[str, ...]:
    """A letter is cut by the topic reader and again by the technique search of the same suggestion;
    a few are remembered, so memory stays bounded by the input limit."""
    return tuple(_cut(text))


def _cut(text: str) -> list[str]:
    out = []
    for word in _get().lcut(text.lower(), HMM=True):
        word = word.strip()
        if not word or word in _STOP or not _KEEP.search(word):
            continue
        out.append(word)
    return out


@lru_cache(maxsize=1)
def _thesaurus() -> dict[str, frozenset[str]]:
    by_term: dict[str, set[str]] = {}
    for group in read_synonyms():
        for term in group:
            by_term.setdefault(term, set()).update(group)
    return {t: frozenset(g) for t, g in by_term.items()}


@lru_cache(maxsize=1)
def _broader() -> dict[str, tuple[frozenset[str], ...]]:
    """Each term (and its synonyms) -> the groups of the broader words it is a kind of."""
    th = _thesaurus()
    out: dict[str, list[frozenset[str]]] = {}
    for narrow, broad in read_broader():
        group = th.get(broad, frozenset((broad,)))
        for n in narrow:
            for t in th.get(n, frozenset((n,))):
                if group not in out.setdefault(t, []):
                    out[t].append(group)
    return {t: tuple(gs) for t, gs in out.items()}


def synonyms(term: str) -> frozenset[str]:
    """The words that mean the same as term here (term included); just term when it has none."""
    return _thesaurus().get(term.lower(), frozenset((term.lower(),)))


def expand(query_tokens: list[str]) -> list[frozenset[str]]:
    """Each query token as its synonym group, in order, without repeating a group.

    A token the thesaurus lacks but that holds one of its terms ("喝醉酒" holds 喝醉 and 醉酒) keeps
    its own form and also brings the groups of the terms inside it. A kind of a broader word (柜员 of
    员工) brings the broader word's group too.
    """
    out: list[frozenset[str]] = []
    seen: set[frozenset[str]] = set()
    broader = _broader()
    for t in query_tokens:
        groups = [synonyms(t)]
        if len(groups[0]) == 1 and len(t) >= 3:
            groups += [_thesaurus()[term] for term in _inner_terms(t)]
        groups += [b for g in list(groups) for b in broader.get(next(iter(g)), ())]
        for g in groups:
            if g not in seen:
                seen.add(g)
                out.append(g)
    return out


@lru_cache(maxsize=1)
def _longest_term() -> int:
    return max(map(len, _thesaurus()), default=0)


def _inner_terms(token: str) -> list[str]:
    th = _thesaurus()
    n = len(token)
    # a substring longer than the longest thesaurus term cannot be one: the scan stays linear in n
    longest = _longest_term()
    return [token[i:j] for i in range(n) for j in range(i + 2, min(n, i + longest) + 1)
            if (i, j) != (0, n) and token[i:j] in th]
