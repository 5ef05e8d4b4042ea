"""LLM drafting, guarded: stream, time out, check, repair once, else fall back to the template."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.analysis import Analysis
from assistant.checker import CheckResult, check
from assistant.errors import AssistantError
from assistant.generators import Generator, GeneratorTimeout, Messages, with_deadline
from assistant.labels import DIFFICULT_TYPES, EMOTIONS, FLAGS, PERSONALITIES, PURPOSES, ZONES
from assistant.prompts import load_fewshot, load_template

CUSTOMER_CHARS = 200
KEY_CHARS = 32
STEP_CHARS = 40
_PREFIX = re.compile(r"^\s*(回复|员工|草稿|答|reply)\s*[::]\s*", re.I)
_ECHO = re.compile(r"忽略|指令|提示词|system|prompt|扮演", re.I)
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class LLMDraft:
    text: str
    source: str  # "llm" | "llm_repaired" | "template"
    check: CheckResult
    llm_ms: float | None = None
    first_token_ms: float | None = None
    reason: str | None = None


def situation_line(a: Analysis) -> str:
    bits = [f"情绪{a.emotion} {EMOTIONS[a.emotion]}"]
    if a.purposes:
        bits.append("目的 " + "、".join(PURPOSES[p] for p in a.purposes))
    if a.personality:
        bits.append("性格 " + PERSONALITIES[a.personality])
    if a.difficult_types:
        bits.append("类型 " + "、".join(DIFFICULT_TYPES[d] for d in a.difficult_types))
    if a.zone:
        bits.append("区域 " + ZONES[a.zone])
    if a.flags:
        bits.append("风险 " + "、".join(FLAGS[f] for f in a.flags))
    bits.append("领域 " + ("房地产交付" if a.domain == "real_estate" else "银行网点"))
    return ";".join(bits)


def clean_output(text: str) -> str:
    text = text.strip().strip("“”\"'「」")
    text = _PREFIX.sub("", text)
    # a model that keeps going after the reply starts a new paragraph: keep the first
    return text.split("\n\n")[0].strip()


def usable(text: str) -> str | None:
    """Why an output cannot be shown, or None when it can."""
    if len(text) < 10 or not _HAN.search(text):
        return "输出过短或不是中文 / output too short or not Chinese"
    if len(text) > 400:
        return "输出过长 / output too long"
    if _ECHO.search(text):
        return "输出复述了指令 / output echoes instructions"
    return None


class LLMDrafter:
    def __init__(self, generator: Generator, timeout_s: float) -> None:
        self.generator = generator
        self.timeout_s = timeout_s

    def messages(self, a: Analysis, techniques: list[tuple[str, str]], steps: list[str], customer: str) -> Messages:
        user = load_template("draft_user.md").render(
            situation=situation_line(a),
            # every prompt token costs about 13 ms on 2 cores: two techniques, one step, trimmed
            techniques="\n".join(f"- {t}:{k[:KEY_CHARS]}" for t, k in techniques[:2]) or "- (无)",
            next_steps=re.sub(r"〔依据:.*?〕", "", steps[0])[:STEP_CHARS] if steps else "按流程上报并回复客户",
            customer=customer[:CUSTOMER_CHARS],
        )
        msgs: Messages = [{"role": "system", "content": load_template("draft_system.md").text}]
        for shot in load_fewshot():
            msgs += [{"role": "user", "content": shot["user"]}, {"role": "assistant", "content": shot["assistant"]}]
        msgs.append({"role": "user", "content": user})
        return msgs

    def _run(self, msgs: Messages, on_piece: Callable[[str], None] | None) -> tuple[str, float | None]:
        t0 = time.perf_counter()
        first = None
        pieces: list[str] = []
        for piece in with_deadline(lambda: self.generator.stream(msgs), self.timeout_s):
            if first is None:
                first = (time.perf_counter() - t0) * 1000
            pieces.append(piece)
            if on_piece:
                on_piece("".join(pieces))
        return clean_output("".join(pieces)), first

    def draft(self, a: Analysis, techniques: list[tuple[str, str]], steps: list[str], customer: str,
              fallback: str, on_piece: Callable[[str], None] | None = None) -> LLMDraft:
        t0 = time.perf_counter()
        msgs = self.messages(a, techniques, steps, customer)
        first = None

        def done(text: str, source: str, reason: str | None = None) -> LLMDraft:
            return LLMDraft(text, source, check(text), round((time.perf_counter() - t0) * 1000, 1),
                            None if first is None else round(first, 1), reason)

        try:
            text, first = self._run(msgs, on_piece)
            problem = usable(text)
            if problem:
                return done(fallback, "template", problem)
            result = check(text)
            if result.ok:
                return done(text, "llm")
            problems = ";".join(f"{f.title}「{f.span}」→{f.advice}" for f in result.findings if f.blocking)
            repair = load_template("repair_user.md").render(problems=problems, draft=text)
            msgs = [*msgs, {"role": "assistant", "content": text}, {"role": "user", "content": repair}]
            fixed, _ = self._run(msgs, on_piece)
            if usable(fixed) is None and check(fixed).ok:
                return done(fixed, "llm_repaired")
            return done(fallback, "template", f"修改后仍未通过话术检查 / still failed the checker: {problems[:120]}")
        except GeneratorTimeout as exc:
            return done(fallback, "template", exc.message)
        except AssistantError as exc:
            return done(fallback, "template", exc.message)
        except Exception as exc:  # a broken endpoint must never break the desk
            return done(fallback, "template", f"模型调用失败 / generator failed: {type(exc).__name__}: {str(exc)[:160]}")
