"""Practice mode as staff and trainers use it: roles, branches and ownership checked here.

Staff play scenarios and see only their own scores; roles that review (manager, trainer, admin) see
everyone's, as the review queue does; trainers assign scenarios to a person or a branch. The model
reply shown after each turn is the assistant's own template suggestion for the customer's words:
wording may vary by LLM elsewhere, but no LLM ever touches the scoring (and practice asks none).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from assistant.errors import AssistantError, InputError, PermissionDenied
from assistant.labels import DOMAINS, EMOTIONS
from assistant.records.practice import PracticeLog, export, summary, xlsx_available
from assistant.records.users import LOCAL, PERMISSIONS, User
from assistant.reply.practice import (
    DIFFICULTIES,
    TECHNIQUE_CUES,
    Persona,
    Scenario,
    Session,
    library,
    respond,
    start,
)
from assistant.service.guards import export_path, limited
from assistant.settings import Settings
from assistant.text.validate import validate

# suggest(text, domain, user, history) -> the draft the assistant would give; "" when it cannot
ModelReply = Callable[[str, str, User, list[dict]], str]


class PracticeService:
    def __init__(self, settings: Settings, store: Callable[[], PracticeLog], model_reply: ModelReply | None = None,
                 folder: Path | None = None) -> None:
        self.settings = settings
        self._store = store
        self._model_reply = model_reply
        self._folder = folder

    @property
    def store(self) -> PracticeLog:
        return self._store()

    def _library(self) -> tuple[dict[str, Scenario], dict[str, Persona]]:
        return library(self._folder) if self._folder else library()

    def scenarios(self, user: User = LOCAL) -> list[Scenario]:
        user.require("suggest")
        return list(self._library()[0].values())

    def scenario(self, scenario_id: str) -> Scenario:
        found = self._library()[0].get(scenario_id or "")
        if found is None:
            shown = str(scenario_id or "")[:40]
            raise InputError(f"没有这个练习场景:{shown}", f"no practice scenario {shown}")
        return found

    # ---- playing --------------------------------------------------------------------------
    def start(self, scenario_id: str, difficulty: str = "normal", user: User = LOCAL,
              assignment_id: str | None = None) -> Session:
        user.require("suggest")
        if assignment_id and assignment_id not in {a["id"] for a in self.assignments(user)}:
            raise PermissionDenied("这项练习没有指派给您", "this practice was not assigned to you")
        s = start(self.scenario(scenario_id), difficulty)
        now = time.time()
        return s.model_copy(update={"user": user.name, "assignment_id": assignment_id or None, "started": now,
                                    "shown_at": now})

    def reply(self, session: Session, text: str, user: User = LOCAL, seconds: float | None = None,
              model: bool = True, timed: bool = True) -> tuple[Session, str | None]:
        """Score one reply and let the customer answer. seconds: time taken (default: since the customer's
        words were shown; timed=False for a script, whose time means nothing). A finished session is
        stored; the second value says why when storing failed (the score on screen stays)."""
        user.require("suggest")
        if session.user != user.name:
            raise PermissionDenied("只能回复自己的练习", "may only answer your own practice session")
        text = validate(text, self.settings.max_input_chars)
        scenario = self.scenario(session.scenario_id)
        now = time.time()
        if not timed:
            seconds = None
        elif seconds is None and session.shown_at is not None:
            seconds = max(0.0, now - session.shown_at)
        model_reply = self._model(scenario, session, user) if model else ""
        s = respond(session, scenario, self._library()[1], text, seconds, model_reply)
        s.shown_at = time.time()
        error = None
        if s.finished:
            try:
                self.store.record(user=user.name, branch=user.branch, session=s.model_dump(),
                                  scenario_title=scenario.title, domain=scenario.domain,
                                  assignment_id=s.assignment_id)
            except Exception as exc:  # a locked or full store must not take the score off the screen
                error = f"练习成绩保存失败 / practice score not saved: {type(exc).__name__}: {exc}"
        return s, error

    def _model(self, scenario: Scenario, session: Session, user: User) -> str:
        """The assistant's suggestion for the customer's latest words, with the conversation so far."""
        if self._model_reply is None:
            return ""
        history: list[dict] = []
        for e in session.exchanges[:-1]:
            history += [{"role": "assistant", "content": e.customer}, {"role": "user", "content": e.reply}]
        try:
            return self._model_reply(session.exchanges[-1].customer, scenario.domain, user, history)
        except AssistantError:
            return ""  # no index yet, say: the practice goes on without the comparison

    # ---- trainers -------------------------------------------------------------------------
    def assign(self, scenario_id: str, user: User = LOCAL, *, assignee: str = "", branch: str = "",
               difficulty: str = "normal", note: str = "") -> str:
        user.require("assign")
        self.scenario(scenario_id)
        if difficulty not in DIFFICULTIES:
            raise InputError("未知难度", f"unknown difficulty; one of {list(DIFFICULTIES)}")
        assignee = limited(assignee, "员工", "assignee", self.settings.max_field_chars)
        branch = limited(branch, "网点", "branch", self.settings.max_field_chars)
        if not assignee and not branch:
            raise InputError("请填写员工或网点", "name a person or a branch")
        note = limited(note, "备注", "note", self.settings.max_comment_chars)
        return self.store.assign(scenario_id=scenario_id, difficulty=difficulty, assignee=assignee, branch=branch,
                                 assigned_by=user.name, note=note)

    def assignments(self, user: User = LOCAL) -> list[dict]:
        """Staff: what was assigned to them or their branch. Trainers: every assignment."""
        user.require("suggest")
        rows = self.store.assignments() if user.role in PERMISSIONS["assign"] else \
            self.store.assignments(user=user.name, branch=user.branch)
        scenarios = self._library()[0]
        return [{**r, "title": scenarios[r["scenario_id"]].title if r["scenario_id"] in scenarios else r["scenario_id"]}
                for r in rows]

    def _scope(self, user: User, person: str | None, branch: str | None) -> tuple[str | None, str | None]:
        """Staff see only their own sessions; reviewing roles see everyone's, filtered as they ask."""
        if user.role in PERMISSIONS["review"]:
            return person or None, branch or None
        return user.name, None

    def scores(self, user: User = LOCAL, person: str | None = None, branch: str | None = None,
               days: float | None = None) -> dict:
        user.require("suggest")
        person, branch = self._scope(user, person, branch)
        since = time.time() - days * 86400 if days else None
        rows = self.store.sessions(user=person, branch=branch, since=since)
        return {"sessions": rows, **summary(rows, self.technique_titles())}

    def session(self, session_id: str, user: User = LOCAL) -> dict:
        user.require("suggest")
        try:
            row = self.store.get(session_id)
        except KeyError:
            raise InputError("找不到这次练习", "no such practice session") from None
        if user.role not in PERMISSIONS["review"] and row["user"] != user.name:
            raise PermissionDenied("只能查看自己的练习", "may only see your own practice sessions")
        return row

    def export(self, user: User = LOCAL, fmt: str = "xlsx", person: str | None = None, branch: str | None = None,
               days: float | None = None) -> Path:
        """XLSX when openpyxl is installed (a sheet per person and per technique beside the rows), else CSV."""
        user.require("export")
        person, branch = self._scope(user, person, branch)
        suffix = "xlsx" if fmt == "xlsx" and xlsx_available() else "csv"
        since = time.time() - days * 86400 if days else None
        rows = self.store.sessions(user=person, branch=branch, since=since, limit=None)
        return export(export_path(self.settings, "practice", suffix), rows, self.technique_titles(),
                      {"domain": DOMAINS, "difficulty": DIFFICULTIES, "start_mood": EMOTIONS, "final_mood": EMOTIONS})

    @staticmethod
    def technique_titles() -> dict[str, str]:
        return {card_id: title for card_id, (title, _) in TECHNIQUE_CUES.items()}
