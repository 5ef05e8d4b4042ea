"""LLM drafting as a rewriter, guarded: the model rewrites the template draft to fit the customer's
newest words; stream, time out, check, repair once, else the template draft ships."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.errors import AssistantError
from assistant.labels import DIFFICULT_TYPES, EMOTIONS, FLAGS, PERSONALITIES, PURPOSES, ZONES
from assistant.llm.generators import Generator, GeneratorTimeout, Messages, with_deadline
from assistant.llm.grounding import ground, keeps_commitments, keeps_next_step, speaks_as_staff
from assistant.llm.prompts import load_template
from assistant.reply.analysis import Analysis
from assistant.reply.checker import CheckResult, check, figures, knowledge_figures

CUSTOMER_CHARS = 200
DRAFT_CHARS = 320
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
    attempts: list[str] = field(default_factory=list)  # the model's outputs, first and repair


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

    def messages(self, a: Analysis, techniques: list[tuple[str, str]], steps: list[str], customer: str,
                 draft: str = "") -> Messages:
        """The rewrite prompt: the template draft (which already carries the techniques and the next
        step) and the customer's newest words. Every prompt token costs about 13 ms on 2 cores, so
        there are no few-shot pairs and no technique list."""
        user = load_template("rewrite_user.md").render(
            situation=situation_line(a),
            customer=customer[-CUSTOMER_CHARS:] if len(customer) > CUSTOMER_CHARS else customer,
            draft=draft[:DRAFT_CHARS] or "(无)",
        )
        return [{"role": "system", "content": load_template("rewrite_system.md").text},
                {"role": "user", "content": user}]

    @staticmethod
    def judge(text: str, customer: str, template: str) -> CheckResult:
        """The checker with the customer's words and the model's own shapes; figures in the template draft
        come from the cards."""
        allowed = knowledge_figures() | {k for k, _, _ in figures(template)}
        return check(text, customer, figures_allowed=allowed, model=True)

    @staticmethod
    def needs_repair(result: CheckResult) -> bool:
        # a model draft must also keep the length: staff read it out as it is
        return not result.ok or any(f.rule == "form" for f in result.findings)

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

    def _grounded(self, text: str, source: str, customer: str, fallback: str,
                  done: Callable[..., LLMDraft], domain: str | None = None) -> LLMDraft:
        """A passing rewrite ships only if the template or the customer backs every sentence of it:
        on dev, a rewrite with one made-up sentence was made up throughout, and what was left after
        cutting those sentences out read thinner than the template."""
        g = ground(text, fallback, customer)
        if g.dropped:
            why = "、".join(f"「{d[:20]}」" for d in g.dropped)
            return done(fallback, "template", f"改写有无依据的内容 / the rewrite says what nothing backs: {why}")
        if not keeps_next_step(text, fallback):
            return done(fallback, "template", "改写丢了下一步和时限 / the rewrite drops the next step and its time limit")
        if not keeps_commitments(text, fallback):
            return done(fallback, "template", "改写丢了保密或核实的承诺 / the rewrite drops a promise the template makes "
                                              "(confidentiality, a claim checked first)")
        outsider = speaks_as_staff(text, domain)
        if outsider:
            return done(fallback, "template", outsider)
        return done(text, source)

    def draft(self, a: Analysis, techniques: list[tuple[str, str]], steps: list[str], customer: str,
              fallback: str, on_piece: Callable[[str], None] | None = None) -> LLMDraft:
        t0 = time.perf_counter()
        msgs = self.messages(a, techniques, steps, customer, fallback)
        first = None
        attempts: list[str] = []

        def done(text: str, source: str, reason: str | None = None, result: CheckResult | None = None) -> LLMDraft:
            return LLMDraft(text, source, result or self.judge(text, customer, fallback),
                            round((time.perf_counter() - t0) * 1000, 1), None if first is None else round(first, 1), reason,
                            attempts)

        try:
            text, first = self._run(msgs, on_piece)
            attempts.append(text)
            problem = usable(text)
            if problem:
                return done(fallback, "template", problem)
            result = self.judge(text, customer, fallback)
            if not self.needs_repair(result):
                return self._grounded(text, "llm", customer, fallback, done, a.domain)
            problems = ";".join(f"{f.title}「{f.span[:30]}」→{f.advice}" for f in result.findings
                                if f.blocking or f.rule == "form")
            repair = load_template("repair_user.md").render(problems=problems, draft=text)
            msgs = [*msgs, {"role": "assistant", "content": text}, {"role": "user", "content": repair}]
            fixed, _ = self._run(msgs, on_piece)
            attempts.append(fixed)
            fixed_result = self.judge(fixed, customer, fallback)
            if usable(fixed) is None and not self.needs_repair(fixed_result):
                return self._grounded(fixed, "llm_repaired", customer, fallback, done, a.domain)
            return done(fallback, "template", f"修改后仍未通过话术检查 / still failed the checker: {problems[:120]}")
        except GeneratorTimeout as exc:
            return done(fallback, "template", exc.message)
        except AssistantError as exc:
            return done(fallback, "template", exc.message)
        except Exception as exc:  # a broken endpoint must never break the desk
            return done(fallback, "template", f"模型调用失败 / generator failed: {type(exc).__name__}: {str(exc)[:160]}")
