"""AssistantService owns the flow; the CLI, the Gradio app and the eval runner are thin adapters."""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import AssistantError, EmbedderMismatch, IndexError_, InputError, PermissionDenied
from assistant.index.cards import load_cards
from assistant.index.common import BuildReport, LoadedIndex, Progress, knowledge_fingerprint
from assistant.index.disk import build_index, open_index
from assistant.index.embedders import Embedder, make_embedder
from assistant.index.exemplars import load_exemplars
from assistant.index.retrieval import Hit, HybridRetriever
from assistant.labels import PURPOSES
from assistant.llm.generators import Generator, make_generator
from assistant.llm.rewriter import LLMDrafter
from assistant.records.audit import FEEDBACK, AuditLog, open_audit, promote_to_case, sweep_exports
from assistant.records.register import Clock, Register, open_register
from assistant.records.users import LOCAL, User, open_user_store
from assistant.reply.analysis import Analysis, analyse
from assistant.reply.checker import CheckResult, check
from assistant.reply.drafter import Drafter, TemplateDrafter
from assistant.reply.next_steps import next_steps
from assistant.reply.policy import PolicyAnswer, PolicyAnswerer
from assistant.reply.techniques import Technique, select
from assistant.reply.topics import classifier_for
from assistant.settings import Settings, get_settings
from assistant.text.redact import redact
from assistant.text.turns import SPEAKER_PREFIX, newest_words, transcript
from assistant.text.validate import validate

# how much of a desk conversation goes with each new customer message
HISTORY_MESSAGES = 12
SAFE_DRAFT = {
    "bank": "您好,您反映的情况我已经记下了,给您添麻烦了,很抱歉。我马上报告负责人,4小时内给您回复处理情况。您看可以吗?",
    "real_estate": "您好,您反映的情况我已经记下了,给您添麻烦了,很抱歉。我今天就报给项目负责人,明确处理办法后第一时间回复您。您看可以吗?",
}


@dataclass
class SuggestResult:
    analysis: Analysis
    techniques: list[Technique]
    draft: str
    check: CheckResult
    next_steps: list[str]
    redacted_text: str
    draft_source: str = "template"
    timings_ms: dict[str, float] = field(default_factory=dict)
    template_draft: str = ""
    llm_ms: float | None = None
    llm_first_token_ms: float | None = None
    llm_reason: str | None = None
    audit_id: str | None = None
    audit_error: str | None = None

    def as_dict(self) -> dict:
        return {
            "analysis": self.analysis.as_dict(),
            "techniques": [t.as_dict() for t in self.techniques],
            "draft": self.draft,
            "draft_source": self.draft_source,
            "template_draft": self.template_draft,
            "llm_ms": self.llm_ms,
            "llm_first_token_ms": self.llm_first_token_ms,
            "llm_reason": self.llm_reason,
            "check": self.check.as_dict(),
            "next_steps": self.next_steps,
            "redacted_text": self.redacted_text,
            "timings_ms": self.timings_ms,
            "audit_id": self.audit_id,
            "audit_error": self.audit_error,
        }


@dataclass
class _State:
    index: LoadedIndex
    retriever: HybridRetriever
    policy: PolicyAnswerer


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class AssistantService:
    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None,
                 drafter: Drafter | None = None, generator: Generator | None = None,
                 clock: Clock | None = None) -> None:
        self.settings = settings or get_settings()
        self.embedder = embedder or make_embedder(self.settings)
        self.drafter = drafter or TemplateDrafter()
        gen = generator if generator is not None else make_generator(self.settings)
        self.llm = LLMDrafter(gen, self.settings.llm_timeout_s) if gen is not None else None
        self.users = open_user_store(self.settings)  # an unreadable store fails closed, it does not stop us
        self._audit: AuditLog | None = None  # opened on first use; a broken one is reported per request
        sweep_exports(self.settings.resolved_home() / "exports", self.settings.export_ttl_s)
        self._register: Register | None = None
        self.clock = clock
        self._state: _State | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    # ---- audit and roles ------------------------------------------------------------------
    @property
    def audit(self) -> AuditLog:
        """The audit log, opened on first use. One that cannot be opened raises StoreUnavailable with
        the reason (and, for a broken file, the command that moves it aside) and is tried again next time."""
        if self._audit is None:
            from assistant.records.db import log_store_failure, store_failure, unreadable_errors

            try:
                self._audit = open_audit(self.settings)
            except unreadable_errors() as exc:
                error = store_failure(self.settings.database_url("audit.db"), "审计库", "audit store", exc)
                log_store_failure(error)
                raise error from None
        return self._audit

    @property
    def register(self) -> Register:
        if self._register is None:
            self._register = open_register(self.settings, self.clock)
        return self._register

    def register_from_suggestion(self, audit_id: str, user: User = LOCAL, *, name: str = "", phone: str = "",
                                 branch: str = "", formal: bool = False) -> str:
        """One click from a logged suggestion: matter, demand and flags pre-filled, staff add name and phone.
        Only from one's own suggestion, and into one's own branch (the administrator excepted)."""
        user.require("feedback")
        row = self._own_interaction(audit_id, user)
        name = self._field(name, "客户姓名", "name")
        phone = self._field(phone, "联系电话", "phone")
        if user.role != "admin":
            branch = ""
        analysis = json.loads(row["analysis_json"] or "{}")
        demand = "、".join(PURPOSES[p] for p in analysis.get("purposes", []))
        return self.register.create(user, branch=branch or user.branch or "本网点", matter=row["redacted_text"],
                                    demand=demand, flags=analysis.get("flags", []), name=name, phone=phone,
                                    formal=formal, audit_id=audit_id, topic=analysis.get("topic"))

    def register_list(self, user: User = LOCAL, overdue_only: bool = False, since=None, until=None) -> list[dict]:
        """Staff see their branch; managers and trainers see every branch."""
        branch = None if user.role in ("manager", "trainer", "admin") else (user.branch or None)
        rows = self.register.list(since, until, branch=branch)
        return [r for r in rows if r["overdue"] and r["status"] not in ("已办结", "已回访")] if overdue_only else rows

    def register_move(self, case_id: str, status: str, user: User = LOCAL) -> None:
        user.require("feedback")
        if status == "上报结果":
            self.register.report(case_id, user)
        else:
            self.register.move(case_id, status, user)

    def register_stats(self, user: User = LOCAL, since=None, until=None) -> dict:
        user.require("review")
        return self.register.report_stats(since, until)

    def register_contact(self, case_id: str, user: User = LOCAL) -> dict[str, str]:
        return self.register.contact(case_id, user)

    def register_update(self, case_id: str, user: User = LOCAL, *, hand_over: str = "", responsibility: str = "",
                        count_class: str = "", reason: str = "") -> None:
        user.require("feedback")
        hand_over = self._field(hand_over, "转交对象", "hand-over")
        reason = self._field(reason, "调整理由", "reason")
        if hand_over:
            self.register.hand_over(case_id, hand_over, user)
        if responsibility:
            self.register.set_responsibility(case_id, responsibility, user)
        if count_class:
            self.register.override_count(case_id, count_class, reason, user)

    def register_export(self, user: User = LOCAL, since=None, until=None) -> Path:
        user.require("export")
        return self.register.export(self._export_path("register", "xlsx"), since, until)

    def _export_path(self, prefix: str, suffix: str) -> Path:
        out = self.settings.resolved_home() / "exports"
        out.mkdir(parents=True, exist_ok=True)
        # an export is downloaded now; older ones go so they are not there for whoever has the link
        sweep_exports(out, self.settings.export_ttl_s)
        # two people exporting in the same second must not get each other's file
        return out / f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}.{suffix}"

    def _record(self, fn: Callable[[], str]) -> tuple[str | None, str | None]:
        """Log without ever failing the caller: a locked or full disk is reported, not raised."""
        try:
            return fn(), None
        except Exception as exc:
            message = f"审计日志写入失败 / audit log write failed: {type(exc).__name__}: {exc}"
            _log(message)
            return None, message

    def _own_interaction(self, audit_id: str, user: User) -> dict:
        """A suggestion is acted on by the person it was made for; the administrator may act on any."""
        try:
            row = self.audit.get(audit_id)
        except KeyError:
            raise InputError("找不到这条建议记录", "no such suggestion") from None
        if user.role != "admin" and row["user"] != user.name:
            raise PermissionDenied("只能处理自己的建议记录", "may only act on your own suggestions")
        return row

    def _field(self, text: str, zh: str, en: str, limit: int | None = None) -> str:
        """Free-text fields beside the customer's words get their own length limit."""
        text = (text or "").strip()
        limit = limit or self.settings.max_field_chars
        if len(text) > limit:
            raise InputError(f"{zh}过长({len(text)} 字),上限 {limit} 字", f"{en} too long ({len(text)} chars, "
                             f"limit {limit})")
        return text

    def feedback(self, audit_id: str, kind: str, final_text: str, user: User = LOCAL) -> None:
        user.require("feedback")
        if kind not in FEEDBACK:
            raise InputError(f"未知的反馈类型 {kind[:20]}", f"unknown feedback kind {kind[:20]}")
        self._own_interaction(audit_id, user)
        final_text = self._field(final_text, "最终回复", "final reply", self.settings.max_input_chars)
        self.audit.feedback(audit_id, kind, final_text)

    def rate(self, audit_id: str, rating: int, reasons: list[str], comment: str, user: User = LOCAL) -> None:
        user.require("rate")
        comment = self._field(comment, "评语", "comment", self.settings.max_comment_chars)
        self.audit.rate(audit_id, rating, reasons, comment)

    def review_queue(self, user: User = LOCAL, **filters) -> list[dict]:
        user.require("review")
        return self.audit.query(**filters)

    def review_stats(self, user: User = LOCAL) -> dict:
        user.require("review")
        return self.audit.stats()

    def export_review(self, user: User = LOCAL, **filters) -> Path:
        user.require("export")
        return self.audit.export_csv(self._export_path("review", "csv"), self.audit.query(**filters, limit=None))

    def promote(self, audit_id: str, user: User = LOCAL, techniques: list[str] | None = None,
                flags: list[str] | None = None) -> Path:
        """Turn a reviewed interaction into a dev eval case (a YAML file under ASSISTANT_HOME/eval).
        The trainer's correction is the expected answer: the card ids and flags the trainer marked
        (None keeps the assistant's own), and the reply staff finally sent."""
        user.require("promote")
        from assistant.labels import FLAGS

        if techniques is not None:
            known = {c.id for c in self.index.cards}
            if not techniques or set(techniques) - known:
                raise InputError("请勾选至少一个正确的技巧", "mark at least one known technique")
        if flags is not None and set(flags) - set(FLAGS):
            raise InputError("未知的风险标记", "unknown risk flag")
        return promote_to_case(self.audit.get(audit_id), self.settings.resolved_home() / "eval" / "promoted",
                               techniques, flags)

    # ---- index -------------------------------------------------------------------------
    def rebuild(self, progress: Progress | None = None) -> BuildReport:
        report = build_index(self.settings, self.embedder, progress)
        self._load()
        return report

    def reindex(self, user: User = LOCAL, progress: Progress | None = None) -> BuildReport:
        """Re-read knowledge/ and switch every reader to the new version (all replicas, on a server)."""
        user.require("reindex")
        return self.rebuild(progress)

    def _load(self) -> _State:
        index = open_index(self.settings)
        if self._shared and index.embedder_name != self.embedder.name:
            # rebuilding here would switch every other replica to this one's model
            raise EmbedderMismatch(f"共享索引由 {index.embedder_name} 生成,本实例的嵌入模型为 {self.embedder.name};"
                              "请统一 ASSISTANT_EMBEDDER",
                              f"the shared index was built with {index.embedder_name} but this replica embeds "
                              f"with {self.embedder.name}; set the same ASSISTANT_EMBEDDER everywhere")
        retriever = HybridRetriever(index, self.embedder, self.settings.rrf_k, self.settings.label_boost)
        state = _State(index, retriever, PolicyAnswerer(retriever, self.settings.policy_min_bm25,
                                                        self.settings.policy_min_dense))
        self._state = state  # one assignment: queries in flight keep the state they started with
        self._checked = time.monotonic()
        return state

    @property
    def _shared(self) -> bool:
        return self.settings.store == "chroma_http"

    def ensure_index(self, progress: Progress | None = None) -> _State:
        """Open the index, building it when missing, corrupt, stale or built by another embedder.
        On a shared server the index belongs to every replica: it is only built when absent, and a
        newer version written by another replica is picked up within index_refresh_s."""
        state = self._state
        if state is not None:
            if self._shared and time.monotonic() - self._checked > self.settings.index_refresh_s:
                return self._follow_server(state)
            return state
        with self._lock:
            if self._state is not None:
                return self._state
            try:
                state = self._load()
            except EmbedderMismatch:
                raise
            except IndexError_ as exc:
                _log(f"{exc.message};正在重建索引 / rebuilding the index")
                self.rebuild(progress)
                return self._state
            reason = self._stale_reason(state.index)
            if reason and self._shared:
                _log(f"{reason};共享索引只在 `index` 命令或管理员重建时更新 / "
                     "the shared index changes only by `index` or an admin re-index")
            elif reason:
                _log(f"{reason};正在更新索引 / updating the index")
                self.rebuild(progress)
            return self._state

    def _follow_server(self, state: _State) -> _State:
        from assistant.index.server import read_pointer

        if not self._lock.acquire(blocking=False):
            return state  # another request is already looking; this one uses what is loaded
        try:
            self._checked = time.monotonic()
            pointer = read_pointer(self.settings)  # StoreUnavailable reaches the caller as a clear error
            if pointer and pointer["version"] != state.index.version:
                _log(f"共享索引已更新为 {pointer['version']} / following the shared index to {pointer['version']}")
                return self._load()
            return state
        finally:
            self._lock.release()

    def _stale_reason(self, index: LoadedIndex) -> str | None:
        if index.embedder_name != self.embedder.name:
            return f"索引由 {index.embedder_name} 生成,当前嵌入模型为 {self.embedder.name}"
        try:
            cards = load_cards(self.settings.knowledge_dir)
            exemplars = load_exemplars(self.settings.knowledge_dir / "exemplars")
        except AssistantError:
            return None  # a broken card is reported by `index`; keep serving the last good index
        if knowledge_fingerprint(cards, exemplars) != index.fingerprint:
            return "知识库已有改动"
        return None

    @property
    def index(self) -> LoadedIndex:
        return self.ensure_index().index

    def health(self) -> dict:
        """For a load balancer: can this replica answer now? Details go to the log, not the
        (unauthenticated) response."""
        checks: dict[str, str] = {}
        version = None
        try:
            state = self.ensure_index()
            if self._shared:
                from assistant.index.server import read_pointer

                read_pointer(self.settings)  # the server itself, not the copy in memory
            version = state.index.version
            checks["index"] = "ok"
        except AssistantError as exc:
            checks["index"] = "unavailable"
            _log(f"health: {exc.message}")
        from assistant.records.db import log_store_failure
        from assistant.records.users import ClosedUserStore

        try:
            if isinstance(self.users, ClosedUserStore) and not self.users.available:
                raise self.users.error  # sign-ins are refused until the store reads again
            self.users.ping()  # one query against the shared database
            checks["database"] = "ok"
        except Exception as exc:  # any driver error means this replica cannot log or sign in
            checks["database"] = "unavailable"
            _log(f"health: {type(exc).__name__}: {exc}")
        try:
            self.audit.db.one("SELECT id FROM interactions LIMIT 1")  # opened, and its file still reads
            checks["audit"] = "ok"
        except Exception as exc:  # logged at most once a minute: load balancers poll this
            checks["audit"] = "unavailable"
            log_store_failure(exc if isinstance(exc, AssistantError) else AssistantError(
                f"审计库不可用:{type(exc).__name__}: {exc}", f"audit store unavailable: {type(exc).__name__}: {exc}"))
        return {"ok": all(v == "ok" for v in checks.values()), "index_version": version, **checks}

    # ---- queries -----------------------------------------------------------------------
    def search(self, query: str, k: int = 10, mode: str | None = None) -> list[Hit]:
        query = validate(query, self.settings.max_input_chars)
        state = self.ensure_index()
        return state.retriever.search(query, k=k, mode=mode or self.settings.retriever)

    def ask(self, question: str | bytes, record: bool = False, user: User = LOCAL) -> PolicyAnswer:
        user.require("ask")
        question = redact(validate(question, self.settings.max_input_chars))
        answer = self.ensure_index().policy.answer(question)
        if record:
            answer.audit_id, answer.audit_error = self._record(
                lambda: self.audit.record_ask(user.name, question, answer.as_dict()))
        return answer

    def add_turn(self, history: list[dict], role: str, text: str) -> list[dict]:
        """The desk's conversation grows by one redacted message; the caller keeps the list."""
        if role not in SPEAKER_PREFIX:
            raise ValueError(role)
        return [*history, {"role": role, "content": redact(validate(text, self.settings.max_input_chars))}]

    def check(self, text: str | bytes, user: User = LOCAL) -> CheckResult:
        user.require("suggest")
        return check(validate(text, self.settings.max_input_chars))

    def browse(self, user: User = LOCAL, category: str | None = None, query: str = "", limit: int = 60) -> list:
        """Knowledge cards for the browse tab: a category filter and an optional search."""
        user.require("suggest")
        cards = [c for c in self.index.cards if category in (None, c.category)]
        if query.strip():
            rank = {h.card.id: i for i, h in enumerate(self.search(query, k=20))}
            cards = sorted((c for c in cards if c.id in rank), key=lambda c: rank[c.id])
        return cards[:limit]

    def suggest(self, text: str | bytes, domain: str | None = None, retriever_mode: str | None = None,
                use_llm: bool = True, on_piece: Callable[[str], None] | None = None,
                record: bool = False, user: User = LOCAL, history: list[dict] | None = None) -> SuggestResult:
        """Analysis, techniques, a checked draft and next steps. With a generator configured the
        LLM writes the draft (streamed to on_piece) and the template draft is the fall-back."""
        user.require("suggest")
        t0 = time.perf_counter()
        text = validate(text, self.settings.max_input_chars)
        if history:  # the conversation so far gives the new words their context
            text = transcript(history[-HISTORY_MESSAGES:], text)[-self.settings.max_input_chars:]
        state = self.ensure_index()
        red = redact(text)
        t1 = time.perf_counter()
        qvec = state.retriever.embed_query(red)
        t2 = time.perf_counter()
        analysis = analyse(red, domain=domain, qvec=qvec, exemplars=state.index.exemplars,
                           exemplar_vectors=state.index.exemplar_vectors, topics=classifier_for(state.index))
        techniques = select(state.retriever, analysis, analysis.customer_text or red, qvec,
                            k=self.settings.top_k, mode=retriever_mode or self.settings.retriever)
        t3 = time.perf_counter()
        steps = [s.render() for s in next_steps(analysis, red)]
        draft = self.drafter.draft(analysis, [t.hit.card.id for t in techniques], red)
        result = check(draft)
        source = "template"
        if not result.ok:
            draft, source = SAFE_DRAFT[analysis.domain], "template_safe"
            result = check(draft)
        template_draft = draft
        t4 = time.perf_counter()
        llm = None
        if self.llm is not None and use_llm:
            # mid-conversation the model answers the newest words; the situation line carries the rest
            said = newest_words(red) or analysis.customer_text or red
            llm = self.llm.draft(analysis, [(t.hit.card.title, t.hit.card.key_line) for t in techniques], steps,
                                 said, fallback=template_draft, on_piece=on_piece)
            draft, result = llm.text, llm.check
            source = llm.source if llm.source != "template" else source
        t5 = time.perf_counter()
        timings = {"validate_redact": t1 - t0, "embed": t2 - t1, "analyse_retrieve": t3 - t2, "draft_check": t4 - t3,
                   "llm": t5 - t4, "total": t5 - t0}
        out = SuggestResult(analysis, techniques, draft, result, steps, red, source,
                            {k: round(v * 1000, 2) for k, v in timings.items()}, template_draft,
                            llm.llm_ms if llm else None, llm.first_token_ms if llm else None,
                            llm.reason if llm else None)
        if record:
            out.audit_id, out.audit_error = self._record(lambda: self.audit.record_suggest(user.name, out.as_dict()))
        return out
