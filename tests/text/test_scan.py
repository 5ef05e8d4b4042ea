"""The fast scan finds exactly what finditer finds, and says when it cannot help."""

import random
import re

import pytest

from assistant.reply.checker import _ALL_PATTERNS
from assistant.text.scan import MAX_MISSES, finditer, starter

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


def test_many_misses_hand_over_to_finditer_with_the_same_matches():
    # past MAX_MISSES starters that do not match, the scan hands over to finditer at the next position;
    # a look-behind right after the handover still reads the text before it
    pattern = re.compile(r"(?<!不)一(个|次)|第[二三]次")
    for text in ("一" * (MAX_MISSES + 5) + "不一次,一次,第二次", "一" * (3 * MAX_MISSES) + "一个", "一二" * 400 + "第三次"):
        assert [m.span() for m in finditer(pattern, text)] == [m.span() for m in pattern.finditer(text)]
    assert [m.span() for m in finditer(pattern, "一" * (MAX_MISSES + 5) + "不一次")] == []


def test_the_rules_and_the_asks_scan_as_finditer_does():
    from assistant.reply import drafter, rules

    rng = random.Random(11)
    alphabet = "又再第二三四五次趟跑了说找赔偿补业主一起去几十户记者曝光经理叫你们我要今天退钱多久什么时候,。!?"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300))) for _ in range(40)]
    patterns = [r.pattern for r in rules.LABEL_RULES + rules.FLAG_RULES] + [p for p, _ in drafter.ASKS]
    for pattern in patterns:
        for text in texts:
            assert [m.span() for m in finditer(pattern, text)] == [m.span() for m in pattern.finditer(text)]
