"""Chinese tokenisation for keyword retrieval: jieba plus the course's own terms."""

from __future__ import annotations

import logging
import re
import threading

from assistant.settings import PROJECT_ROOT, get_settings

USER_DICT = PROJECT_ROOT / "knowledge" / "userdict.txt"

_STOP = set(
    ["的", "了", "是", "在", "我", "你", "您", "他", "她", "它", "们", "我们", "你们", "他们", "这", "那", "就", "都", "也", "还", "和", "与", "及", "或", "而", "又", "吧", "吗", "呢", "啊", "呀", "哦", "嘛", "么", "个", "一个", "有", "没", "不", "要", "会", "能", "可以", "把", "被", "给", "让", "对", "为", "从", "到", "上", "下", "中", "里", "去", "来", "说", "很", "太", "再", "才", "啦", "么", "什么", "怎么", "怎么办", "多少", "如何", "为什么", "哪", "哪里", "哪些", "是否", "时", "时候", "期间", "应该", "应当", "需要", "的话", "之", "其", "该", "等", "这个", "那个", "这样", "那样", "自己"]
)
_KEEP = re.compile(r"[\w\u4e00-\u9fff]")
_lock = threading.Lock()
_tokenizer = None


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
            if USER_DICT.exists():
                tk.load_userdict(str(USER_DICT))
            _tokenizer = tk
    return _tokenizer


def tokens(text: str) -> list[str]:
    """Content words of text, lower-cased, stopwords and punctuation dropped."""
    out = []
    for word in _get().lcut(text.lower(), HMM=True):
        word = word.strip()
        if not word or word in _STOP or not _KEEP.search(word):
            continue
        out.append(word)
    return out
