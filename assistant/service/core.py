"""AssistantService owns the flow; the CLI, the Gradio app and the eval runner are thin adapters."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.errors import AssistantError, EmbedderMismatch, IndexError_
from assistant.index.cards import Card, load_cards
from assistant.index.common import BuildReport, LoadedIndex, Progress, knowledge_exemplars, knowledge_fingerprint
from assistant.index.disk import build_index, open_index
from assistant.index.embedders import Embedder, make_embedder
from assistant.index.retrieval import Hit, HybridRetriever
from assistant.llm.generators import Generator, make_generator
from assistant.llm.rewriter import LLMDrafter
from assistant.records.audit import AuditLog, open_audit, sweep_exports
from assistant.records.practice import PracticeLog, open_practice
from assistant.records.register import Clock, Register, open_register
from assistant.records.users import LOCAL, User, open_user_store
from assistant.reply.analysis import Analysis, analyse
from assistant.reply.checker import CheckResult, check
from assistant.reply.drafter import Drafter, TemplateDrafter
from assistant.reply.next_steps import next_steps
from assistant.reply.policy import PolicyAnswer, PolicyAnswerer
from assistant.reply.techniques import Technique, select
from assistant.reply.topics import classifier_for
from assistant.service.cases import CaseService
from assistant.service.practice import PracticeService
from assistant.service.review import ReviewService
from assistant.settings import Settings, get_settings
from assistant.text.redact import redact
from assistant.text.turns import SPEAKER_PREFIX, customer_text, gist, newest_words, transcript
from assistant.text.validate import EMPTY_DRAFT, EMPTY_QUESTION, validate

# how much of a desk conversation goes with each new customer message
HISTORY_MESSAGES = 12
SAFE_DRAFT = {
    "bank": "您好,您反映的情况我已经记下了,给您添麻烦了,很抱歉。我马上报告负责人,4小时内给您回复处理情况。您看可以吗?",
    "real_estate": "您好,您反映的情况我已经记下了,给您添麻烦了,很抱歉。我今天就报给项目负责人,明确处理办法后第一时间回复您。您看可以吗?",
}


def customer_words(red: str) -> str:
    """What the customer said in a redacted text: the newest words mid-conversation, else every
    customer line of a pasted exchange, else the text itself."""
    return newest_words(red) or customer_text(red) or red


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
        self.cases = CaseService(self.settings, lambda: self.audit, lambda: self.register)
        self.review = ReviewService(self.settings, lambda: self.audit, lambda: self.index)
        self._practice: PracticeLog | None = None
        # the model reply after each practice turn is the template suggestion: quick, and never the LLM's
        self.practice = PracticeService(
            self.settings, lambda: self.practice_log,
            lambda text, domain, user, history: self.suggest(text, domain=domain, use_llm=False, user=user,
                                                             history=history).draft)

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
    def practice_log(self) -> PracticeLog:
        """Practice scores, in the audit log's database; opened on first use like the audit log."""
        if self._practice is None:
            from assistant.records.db import store_failure, unreadable_errors

            try:
                self._practice = open_practice(self.settings)
            except unreadable_errors() as exc:
                raise store_failure(self.settings.database_url("audit.db"), "练习成绩库", "practice store",
                                    exc) from None
        return self._practice

    @property
    def register(self) -> Register:
        if self._register is None:
            self._register = open_register(self.settings, self.clock)
        return self._register

    def _record(self, fn: Callable[[], str]) -> tuple[str | None, str | None]:
        """Log without ever failing the caller: a locked or full disk is reported, not raised."""
        try:
            return fn(), None
        except Exception as exc:
            message = f"审计日志写入失败 / audit log write failed: {type(exc).__name__}: {exc}"
            _log(message)
            return None, message

    # ---- index -------------------------------------------------------------------------
    def rebuild(self, progress: Progress | None = None) -> BuildReport:
        report = build_index(self.settings, self.embedder, progress)
        classifier_for(self._load().index)  # a first build has no swap to fit before: fit it here
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
        if self._state is not None:  # a swap: fit before queries see the new version, not while they wait
            classifier_for(index)
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
            classifier_for(state.index)  # kept, so fitted now, once, not by the first question
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
            exemplars = knowledge_exemplars(self.settings.knowledge_dir)
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
        return state.retriever.search(gist(query), k=k, mode=mode or self.settings.retriever)

    def ask(self, question: str | bytes, record: bool = False, user: User = LOCAL,
            channel: str | None = None) -> PolicyAnswer:
        """channel marks the audit row with where the question came from: "ui", "cli" or "api"."""
        user.require("ask")
        question = redact(validate(question, self.settings.max_input_chars, EMPTY_QUESTION))
        answer = self.ensure_index().policy.answer(gist(question))  # a question's ask is at its end
        if record:
            answer.audit_id, answer.audit_error = self._record(
                lambda: self.audit.record_ask(user.name, question, answer.as_dict(), channel))
        return answer

    def add_turn(self, history: list[dict], role: str, text: str) -> list[dict]:
        """The desk's conversation grows by one redacted message; the caller keeps the list."""
        if role not in SPEAKER_PREFIX:
            raise ValueError(role)
        return [*history, {"role": role, "content": redact(validate(text, self.settings.max_input_chars))}]

    def check(self, text: str | bytes, user: User = LOCAL, customer: str | bytes | None = None) -> CheckResult:
        """Check a draft staff typed; with the customer's words (raw or redacted, a pasted exchange
        or the desk's transcript) the invented-figure, parroting and read-back rules apply too."""
        user.require("suggest")
        said = customer_words(redact(validate(customer, self.settings.max_input_chars))) if customer else ""
        return check(validate(text, self.settings.max_input_chars, EMPTY_DRAFT), said)

    def browse(self, user: User = LOCAL, category: str | None = None, query: str = "", limit: int = 60) -> list:
        """Knowledge cards for the browse tab: a category filter and an optional search."""
        user.require("suggest")
        cards = [c for c in self.index.cards if category in (None, c.category)]
        if query.strip():
            rank = {h.card.id: i for i, h in enumerate(self.search(query, k=20))}
            cards = sorted((c for c in cards if c.id in rank), key=lambda c: rank[c.id])
        return cards[:limit]

    def card(self, card_id: str, user: User = LOCAL) -> Card:
        """One knowledge card by id, for whoever may browse them; KeyError when there is none."""
        user.require("suggest")
        found = next((c for c in self.index.cards if c.id == card_id), None)
        if found is None:
            raise KeyError(card_id)
        return found

    def suggest(self, text: str | bytes, domain: str | None = None, retriever_mode: str | None = None,
                use_llm: bool = True, on_piece: Callable[[str], None] | None = None,
                record: bool = False, user: User = LOCAL, history: list[dict] | None = None,
                channel: str | None = None) -> SuggestResult:
        """Analysis, techniques, a checked draft and next steps. With a generator configured the
        LLM writes the draft (streamed to on_piece) and the template draft is the fall-back.
        channel marks the audit row with where the request came from: "ui", "cli" or "api"."""
        user.require("suggest")
        t0 = time.perf_counter()
        text = validate(text, self.settings.max_input_chars)
        if history:  # the conversation so far gives the new words their context
            text = transcript(history[-HISTORY_MESSAGES:], text)[-self.settings.max_input_chars:]
        state = self.ensure_index()
        red = redact(text)
        t1 = time.perf_counter()
        qvec = state.retriever.embed_query(gist(red))
        t2 = time.perf_counter()
        analysis = analyse(red, domain=domain, qvec=qvec, exemplars=state.index.exemplars,
                           exemplar_vectors=state.index.exemplar_vectors, topics=classifier_for(state.index),
                           knowledge_dir=self.settings.knowledge_dir)
        techniques = select(state.retriever, analysis, gist(analysis.customer_text or red), qvec,
                            k=self.settings.top_k, mode=retriever_mode or self.settings.retriever)
        t3 = time.perf_counter()
        steps = [s.render() for s in next_steps(analysis, red)]
        draft = self.drafter.draft(analysis, [t.hit.card.id for t in techniques], red)
        # the words the draft answers: mid-conversation the newest ones, so a read-back, a copy or a
        # figure the customer never said is judged against what they actually said
        said = newest_words(red) or analysis.customer_text or red
        # the template is assembled from the cards' vetted wordings: the rules judge it, the learned judge
        # (for free text: model rewrites, what staff type) does not
        result = check(draft, said, judge=False)
        source = "template"
        if not result.ok:
            draft, source = SAFE_DRAFT[analysis.domain], "template_safe"
            result = check(draft, said, judge=False)
        template_draft = draft
        t4 = time.perf_counter()
        llm = None
        if self.llm is not None and use_llm:
            # mid-conversation the model answers the newest words; the situation line carries the rest
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
            out.audit_id, out.audit_error = self._record(
                lambda: self.audit.record_suggest(user.name, out.as_dict(), channel))
        return out
