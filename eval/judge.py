"""Optional LLM judge: scores a reply for empathy, specificity and compliance (1-5) with the rubric
in prompts/judge_rubric.md. Used only when a generator is configured; cheap checks run first."""

from __future__ import annotations

import json
import re

from assistant.llm.generators import Generator, with_deadline
from assistant.llm.prompts import load_template

AXES = ("empathy", "specificity", "compliance")
_JSON = re.compile(r"\{[^{}]*\}")


def parse_scores(text: str) -> dict[str, int] | None:
    """The first JSON object with the three axes as integers 1-5, else None."""
    for m in _JSON.finditer(text):
        try:
            data = json.loads(m.group(0))
        except json.JSONDecodeError:
            continue
        try:
            scores = {k: int(data[k]) for k in AXES}
        except (KeyError, TypeError, ValueError):
            continue
        if all(1 <= v <= 5 for v in scores.values()):
            return scores
    return None


def judge(generator: Generator, customer: str, reply: str, timeout_s: float = 60.0) -> dict[str, int] | None:
    prompt = load_template("judge_rubric.md").render(customer=customer[:300], reply=reply[:400])
    text = "".join(with_deadline(lambda: generator.stream([{"role": "user", "content": prompt}]), timeout_s))
    return parse_scores(text)
