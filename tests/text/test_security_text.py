"""Hostile text: code points UTF-8 cannot encode, and inputs that made a regex super-linear.

The time bounds are generous (seconds, where the fixed code takes milliseconds): they catch a
quadratic or cubic pattern coming back, which took from seconds to hours on these inputs, and
stay clear of a busy machine. A deadline stops the test rather than let a regression hang it.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from assistant.reply.analysis import analyse
from assistant.reply.checker import check
from assistant.settings import Settings
from assistant.text.redact import redact
from assistant.text.turns import split_turns
from assistant.text.validate import validate

MAX = Settings().max_input_chars


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail once seconds have passed; regex matching checks for signals, so a slow pattern stops too."""

    def expire(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fill(unit: str, n: int = MAX) -> str:
    return (unit * (n // len(unit) + 1))[:n]


# --- row 10: lone surrogates -------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("排队\ud800太久", "排队太久"),
    ("等了\udfff半天\ud83d", "等了半天"),
    ("好评\ud83d\ude00", "好评\U0001f600"),  # a pair that arrived split is joined, not dropped
])
def test_validate_output_always_encodes_as_utf8(raw, expected):
    out = validate(raw, MAX)
    assert out == expected
    out.encode("utf-8")


def test_a_lone_surrogate_alone_is_empty_input():
    from assistant.errors import InputError

    with pytest.raises(InputError):
        validate("\ud800", MAX)


def test_suggest_survives_a_lone_surrogate(hash_service):
    result = hash_service.suggest("排队\ud800太久")
    assert "\ud800" not in result.redacted_text
    json.dumps(result.as_dict(), ensure_ascii=False).encode("utf-8")


# --- row 11: no super-linear regex -------------------------------------------------------------

def test_redaction_of_200k_adversarial_characters_is_fast():
    # runs the e-mail pattern used to read once per position (quadratic), and the other shapes
    runs = ["a" * 25_000, "1" * 25_000, "a." * 12_500, "x@" * 12_500, "1-" * 12_500, "_%+" * 8_000,
            "一" * 20_000, "我叫张三" * 5_000, "建设路8号" * 4_000, "138.1234." * 2_000]
    text = " ".join(runs)
    assert len(text) >= 200_000
    with deadline(2):
        out = redact(text)
    assert redact(out) == out


# A sentence with no end, a run of digits or numerals, many short quotes: each made a label or
# flag rule read the rest of the text again from every position.
LIMIT_SHAPES = {
    "commas": fill("我等了很久,"),
    "full-width commas": fill("服务太差了，"),
    "question words": fill("什么"),
    "question words and commas": fill("为什么,"),
    "digits": fill("1"),
    "numerals": fill("一"),
    "quotes": fill("“”排队"),
}


@pytest.mark.parametrize("shape", LIMIT_SHAPES)
def test_analysis_at_the_input_limit_is_fast(shape):
    text = LIMIT_SHAPES[shape]
    with deadline(1.5):
        analyse(redact(text))


def test_question_words_in_a_sentence_with_no_end_are_not_cubic():
    # 2,000 characters took about 13 s before: every start, every question word, every end
    with deadline(1):
        analyse("什么" * 1_000)


@pytest.mark.parametrize("text", ["我的卡呢?", "钱到底去哪了?", "什么" * 1_000 + "?"])
def test_question_sentences_are_still_found(text):
    assert "explanation" in analyse(text).purposes


def test_a_line_of_spaces_does_not_split_quadratically():
    # "\s*[\[(]?\s*" split a run of spaces in every way before finding no timestamp
    with deadline(1):
        turns = split_turns(" " * 60_000 + "排队太久")
    assert turns[0].text == "排队太久"


@pytest.mark.parametrize("unit", ["1", "一", "两"])
def test_checker_reads_long_number_runs_in_linear_time(unit):
    # linear, but 33 long alternations tried at 20,000 numeral positions: 0.7-1.8 s on 2 quiet cores
    # (2026-12-07, the same before and after that session's rules), which a loaded CI box once pushed
    # past 2 s; a pattern gone quadratic takes minutes here, so 4 s still catches it
    with deadline(4):
        check(fill(unit))


SUGGEST_SHAPES = {
    "commas": fill("我等了很久,"),
    "full-width commas": fill("服务太差了，"),
    "question words": fill("为什么,"),
    "e-mail-like": fill("x@"),
    "chat paste": fill("客户:我等了一个小时了,你们怎么回事,为什么没人管\n员工:您好,请稍等\n"),
}


@pytest.mark.parametrize("shape", SUGGEST_SHAPES)
def test_max_length_adversarial_suggest_is_fast(hash_service, shape):
    # 3 s to minutes each before; 0.2-0.6 s now, most of it word segmentation for retrieval
    text = SUGGEST_SHAPES[shape]
    assert len(text) <= hash_service.settings.max_input_chars
    hash_service.suggest("排队太久了")  # dictionaries load on first use: not what is measured
    with deadline(2):
        result = hash_service.suggest(text)
    assert result.draft
