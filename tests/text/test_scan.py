"""The fast scan finds exactly what finditer finds, and says when it cannot help."""

import random
import re

import pytest

from assistant.reply.checker import _ALL_PATTERNS
from assistant.text.scan import finditer, starter

CASES = [
    r"(确实|的确)?(是)?(我们|银行)的?(错|责任)",
    r"(?<![不没])(保证|包)[^。]{0,4}?(到账|退)",
    r"(^|[。!?])(我|我们)?(也)?不知道(?=[。!?]|$)",
    r"((?<!\d)\d+|[一二三]+)(个)?(小时|天)内",
    r"\s*退(钱|款)",
    r"(?i)abc|x(?-i:Y)",
    r"(?i:vip)客户",
    r"(?i:k)x|(?i:s)y",  # case folding pairs more than lower/upper: the Kelvin sign, the long s
    r"耐心(等待|等着)(吧)?[。!]?$",
]
TEXTS = [
    "确实是我们的错,我们保证今天到账。", "不保证到账。我也不知道。", "3个小时内给您退款,二天内到",
    "这个VIP客户和vip客户", "abcABCxYxy", "请您耐心等待。", "请您耐心等着吧", "是银行的责任\n我不知道",
    "", "我", "。不知道", "\n不知道。", "\u212ax ſy Kx sy",
]


@pytest.mark.parametrize("source", CASES)
def test_same_matches_as_finditer(source):
    pattern = re.compile(source)
    for text in TEXTS:
        assert [(m.span(), m.group(0)) for m in finditer(pattern, text)] == \
               [(m.span(), m.group(0)) for m in pattern.finditer(text)]


def test_same_matches_for_every_checker_pattern_on_shuffled_text():
    rng = random.Random(7)
    alphabet = "我们您你是的错责任保证到账退赔不没也知道耐心等待。!?,规定办法银行公司系统问题确实一定会今天3五元块"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(60)]
    for _code, pattern in _ALL_PATTERNS:
        for text in texts:
            assert [m.span() for m in finditer(pattern, text)] == [m.span() for m in pattern.finditer(text)]


def test_starter_is_the_first_characters_or_none():
    assert set(starter(re.compile(r"(确实)?(是)?(我们|银行)错")).pattern) >= set("确是我银")
    assert starter(re.compile(r"a?")) is None  # can match the empty string
    assert starter(re.compile(r".x")) is None  # any character can start it
    assert starter(re.compile(r"\w+")) is None
    assert starter(re.compile(r"(?<=a)b")).pattern == "[b]"  # a look-behind takes no character
    assert starter(re.compile(r"(?i)ab")).search("A")
