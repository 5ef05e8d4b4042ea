"""The JSON HTTP API for the branch systems (counter terminal, IM, CRM): /api/v1 on the same app and the
same AssistantService as the page. Each endpoint is one service call; roles, branches, redaction and
limits are the service's, so the API answers what the page answers. Only the wire is here: bearer
tokens, pydantic models for the OpenAPI schema, and bilingual errors with HTTP status codes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Literal

import anyio
from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import Mount

from assistant.errors import AssistantError, IndexError_, InputError, PermissionDenied, StoreUnavailable, TooLong
from assistant.records.audit import FEEDBACK
from assistant.records.db import unreadable_errors
from assistant.records.users import User
from assistant.service import AssistantService
from assistant.service.core import HISTORY_MESSAGES

PREFIX = "/api/v1"
CHANNEL = "api"  # what the audit rows of API requests carry in their channel column
# a request holds a text and a few turns of at most max_input_chars each; a body past this is not one,
# and it is refused before it is read whole
MAX_BODY_BYTES = 1 << 20
# older turns than the service reads (HISTORY_MESSAGES) are accepted and ignored; past this, a client bug
MAX_HISTORY = 100


# ---- request and response models (the OpenAPI schema is built from these) -------------------------
class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    speaker: Literal["customer", "staff"] = Field(description="who said it")
    text: str


class SuggestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="the customer's newest words (or a whole pasted exchange)")
    domain: Literal["bank", "real_estate"] | None = Field(None, description="empty: detected from the text")
    history: list[Turn] = Field(default_factory=list, max_length=MAX_HISTORY,
                                description=f"the conversation so far, oldest first; the last {HISTORY_MESSAGES}"
                                            " turns give the new words their context")


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: str


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="a reply staff wrote")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    audit_id: str = Field(max_length=64, description="audit_id of one of your own suggestions")
    kind: Literal[tuple(FEEDBACK)] = Field(description="adopted, edited or rejected")  # type: ignore[valid-type]
    final_text: str = Field("", description="what was finally sent; empty means the draft as suggested")


class _Open(BaseModel):
    # the CLI contract (design §5) names the keys that must exist; extra keys are part of it too
    model_config = ConfigDict(extra="allow")


class Analysis(_Open):
    emotion: int
    purposes: list[str]
    personality: str | None
    difficult_types: list[str]
    zone: str | None
    flags: list[str]
    domain: str


class Technique(_Open):
    id: str
    title: str
    category: str
    source: str
    why: str


class Finding(_Open):
    rule: str
    title: str
    span: str
    advice: str


class CheckOut(_Open):
    ok: bool
    findings: list[Finding]


class SuggestOut(_Open):
    analysis: Analysis
    techniques: list[Technique]
    draft: str
    check: CheckOut
    next_steps: list[str]
    redacted_text: str
    audit_id: str | None = Field(description="for feedback; null when the audit log could not be written")
    audit_error: str | None


class Citation(_Open):
    source: str
    section: str
    quote: str


class AskOut(_Open):
    answer: str
    found: bool
    citations: list[Citation]
    audit_id: str | None = None
    audit_error: str | None = None


class FeedbackOut(BaseModel):
    ok: bool
    audit_id: str
    kind: str


class CardOut(BaseModel):
    id: str
    title: str
    category: str
    applies_to: list[str]
    domain: list[str]
    source: str
    sections: dict[str, str]


class ApiError(BaseModel):
    code: str = Field(description="bad_input, too_long, unauthorized, forbidden, not_found, store_unavailable,"
                                  " internal")
    message_zh: str
    message_en: str


ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ApiError} for status in (400, 401, 403, 413, 503)}


# ---- errors -------------------------------------------------------------------------------------
class ApiFailure(Exception):
    def __init__(self, status: int, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.status, self.code, self.zh, self.en = status, code, zh, en


def _error(status: int, code: str, zh: str, en: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"code": code, "message_zh": zh, "message_en": en}, status_code=status, headers=headers)


def _from_assistant(exc: AssistantError) -> JSONResponse:
    """The service's bilingual errors, each with its status: the same words the page shows."""
    for kind, status, code in ((TooLong, 413, "too_long"), (InputError, 400, "bad_input"),
                               (PermissionDenied, 403, "forbidden"), (StoreUnavailable, 503, "store_unavailable"),
                               (IndexError_, 503, "store_unavailable")):
        if isinstance(exc, kind):
            return _error(status, code, exc.zh, exc.en)
    return _error(500, "internal", exc.zh, exc.en)


def _invalid(request, exc: RequestValidationError) -> JSONResponse:
    if request.method == "POST" and "json" not in request.headers.get("content-type", ""):
        # the body is read as JSON only when it says so (no form posts from a browser page)
        return _error(400, "bad_input", "请求体须为 JSON,并带 Content-Type: application/json",
                      "the body must be JSON sent with Content-Type: application/json")
    problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
    return _error(400, "bad_input", f"请求格式不对:{problems}", f"bad request: {problems}")


_HTTP_CODES = {404: ("not_found", "没有这个接口", "no such endpoint"),
               405: ("bad_input", "不支持这个请求方法", "method not allowed")}


def _http(exc: HTTPException) -> JSONResponse:
    code, zh, en = _HTTP_CODES.get(exc.status_code, ("bad_input", "请求有误", str(exc.detail)))
    return _error(exc.status_code, code, zh, en)


def _store_down(exc: Exception) -> JSONResponse:
    """A database error the service did not turn into StoreUnavailable (a locked or vanished SQLite
    file, a dropped connection): the request is not half-done, and it may be tried again."""
    detail = f"{type(exc).__name__}: {getattr(exc, 'orig', None) or exc}".splitlines()[0][:200]
    print(f"API 数据库错误 / API database error: {detail}", file=sys.stderr, flush=True)
    return _error(503, "store_unavailable", f"数据库暂不可用:{detail}", f"database unavailable: {detail}")


def _internal(exc: Exception) -> JSONResponse:
    print(f"API 内部错误 / API internal error: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    return _error(500, "internal", "内部错误", "internal error")


class BodyLimit:
    """413 for a body over MAX_BODY_BYTES, decided from Content-Length before reading, or while reading
    a chunked one; the body is then handed to the app whole."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        too_long = _error(413, "too_long", f"请求体超过 {self.limit} 字节", f"request body over {self.limit} bytes")
        if not length.isdigit() or int(length) > self.limit:
            await too_long(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)  # a disconnect: let the app see it as usual
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.limit:
                await too_long(scope, receive, send)
                return
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


# ---- the app ------------------------------------------------------------------------------------
def create_api(service: AssistantService) -> FastAPI:
    api = FastAPI(title="投诉应对助手 API", version="1", openapi_url="/openapi.json", docs_url=None,
                  redoc_url=None, description="Bearer tokens from `python -m assistant token create NAME`. "
                  "Errors are {code, message_zh, message_en}.")
    api.add_exception_handler(AssistantError, lambda _r, e: _from_assistant(e))
    api.add_exception_handler(ApiFailure, lambda _r, e: _error(e.status, e.code, e.zh, e.en))
    api.add_exception_handler(RequestValidationError, _invalid)
    api.add_exception_handler(HTTPException, lambda _r, e: _http(e))
    for kind in unreadable_errors():  # sqlite3, SQLAlchemy and OS errors of the stores
        if not issubclass(kind, AssistantError):
            api.add_exception_handler(kind, lambda _r, e: _store_down(e))
    api.add_exception_handler(Exception, lambda _r, e: _internal(e))
    bearer = HTTPBearer(auto_error=False, description="an API token: python -m assistant token create NAME")
    token = Depends(bearer)
    pool: list[anyio.CapacityLimiter] = []  # made on first use, inside the server's event loop

    def user(credentials: HTTPAuthorizationCredentials | None) -> User:
        """The token's user as the store holds it now (role and branch); 401 for none or a bad one.
        The address the throttle counts is the one ClientAddressMiddleware put in client_address."""
        found = service.users.authenticate_token(credentials.credentials) if credentials else None
        if found is None:
            raise ApiFailure(401, "unauthorized", "缺少或无效的 API 令牌(Authorization: Bearer …)",
                             "missing or invalid API token (Authorization: Bearer …)")
        return found

    async def as_user(credentials: HTTPAuthorizationCredentials | None, work: Callable[[User], Any]) -> Any:
        """The token check and the service call in a worker thread, at most api_concurrency at once
        (the page's queue bounds its handlers the same way): they are CPU-bound, so 20 threads at once
        only fight over the GIL and the SQLite write lock (whose busy wait sleeps up to 100 ms)."""
        if not pool:
            pool.append(anyio.CapacityLimiter(service.settings.api_concurrency))
        return await anyio.to_thread.run_sync(lambda: work(user(credentials)), limiter=pool[0])

    @api.post("/suggest", response_model=SuggestOut, responses=ERRORS)
    async def suggest(body: SuggestIn, credentials: HTTPAuthorizationCredentials | None = token) -> dict:
        """Analysis, techniques, a checked draft and next steps: the CLI's `suggest --json` object."""
        def work(caller: User) -> dict:
            history: list[dict] = []
            for turn in body.history:  # each turn validated and redacted as the desk's conversation is
                role = "assistant" if turn.speaker == "customer" else "user"
                history = service.add_turn(history, role, turn.text)
            return service.suggest(body.text, domain=body.domain, record=True, user=caller, history=history,
                                   channel=CHANNEL).as_dict()

        return await as_user(credentials, work)

    @api.post("/ask", response_model=AskOut, responses=ERRORS)
    async def ask(body: AskIn, credentials: HTTPAuthorizationCredentials | None = token) -> dict:
        """A policy answer quoting its clauses, or found=false: never an invented rule."""
        return await as_user(credentials, lambda caller: service.ask(body.question, record=True, user=caller,
                                                                     channel=CHANNEL).as_dict())

    @api.post("/check", response_model=CheckOut, responses=ERRORS)
    async def check(body: CheckIn, credentials: HTTPAuthorizationCredentials | None = token) -> dict:
        """The reply checker on a draft staff wrote."""
        return await as_user(credentials, lambda caller: service.check(body.text, user=caller).as_dict())

    @api.post("/feedback", response_model=FeedbackOut, responses=ERRORS)
    async def feedback(body: FeedbackIn, credentials: HTTPAuthorizationCredentials | None = token) -> dict:
        """What staff did with one of their own suggestions (an administrator: anyone's)."""
        await as_user(credentials, lambda caller: service.review.feedback(body.audit_id, body.kind, body.final_text,
                                                                          user=caller))
        return {"ok": True, "audit_id": body.audit_id, "kind": body.kind}

    @api.get("/cards/{card_id}", response_model=CardOut, responses={**ERRORS, 404: {"model": ApiError}})
    async def card(card_id: str, credentials: HTTPAuthorizationCredentials | None = token) -> dict:
        """One knowledge card: a technique, a policy clause or a topic, with its sections and source."""
        try:
            c = await as_user(credentials, lambda caller: service.card(card_id, user=caller))
        except KeyError:
            raise ApiFailure(404, "not_found", f"没有这张卡片 {card_id[:64]}", f"no such card {card_id[:64]}") \
                from None
        return {"id": c.id, "title": c.title, "category": c.category, "applies_to": list(c.applies_to),
                "domain": list(c.domain), "source": c.source, "sections": dict(c.sections)}

    return api


def api_mount(service: AssistantService) -> Mount:
    """The API as one route of the Gradio app (launch_options adds it beside /healthz): the app's
    middleware (client address behind a proxy) applies to it; Gradio's sign-in does not, tokens do."""
    return Mount(PREFIX, app=BodyLimit(create_api(service)))
