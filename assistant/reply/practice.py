"""Practice mode (issue 20): scripted difficult customers and the scoring of what staff reply.

A scenario is a small YAML state machine under knowledge/practice/. The state is the customer's
mood, 0 (calm) to 3 (out of control). Each staff reply moves it: up for a checker finding, a
forbidden phrase or a requirement missed by its turn; down when the reply brings enough of what
calms (a fitting apology, the scenario's right next step, a calming technique); otherwise it stays.
The customer then says the scenario's line for the new mood, led by their persona's reaction.

Everything here is a pure function of the scenario, the reply and the seconds it took: no LLM, no
index. The same reply always gets the same score and the same named reasons.
"""

from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import AssistantError
from assistant.labels import DIFFICULT_TYPES, EMOTIONS, FLAGS, PERSONALITIES
from assistant.reply.checker import check
from assistant.settings import PROJECT_ROOT

PRACTICE_DIR = PROJECT_ROOT / "knowledge" / "practice"
PERSONAS_FILE = "personas.yaml"
DIFFICULTIES = {"easy": "入门", "normal": "标准", "hard": "困难"}
# how the difficulty shifts the opening mood, and how many calming points one reply needs
START_SHIFT = {"easy": -1, "normal": 0, "hard": 1}
CALM_NEEDED = {"easy": 1, "normal": 2, "hard": 3}
MIN_TURNS, MAX_TURNS = 3, 5

# points of a reply: a neutral reply scores BASE; every adjustment below is a named reason
BASE = 50
BLOCKING_FINDING, WARNING_FINDING, CHECKER_FLOOR = -15, -3, -45
FORBIDDEN, REQUIREMENT_MET, REQUIREMENT_MISSED = -20, 10, -10
APOLOGY_FITS, APOLOGY_REPEATED, NEXT_STEP = 10, -5, 10
TECHNIQUE, MAX_TECHNIQUES = 6, 3
QUICK_S, SLOW_S, QUICK, SLOW = 30, 90, 5, -5
CALMER, ANGRIER = 10, -10  # over the session: where the customer's mood ended against where it began

APOLOGY_WORDS = ("对不起", "抱歉", "不好意思", "道歉", "对不住")
# checker rules that make an apology not fit: an excuse after it, a conditional one, or owning fault too early
_APOLOGY_RULES = {"apology_excuse", "apology_conditional", "fault_admission"}

# Techniques recognised in a reply, from the course cards (knowledge/techniques, communication,
# process). Each is a card id, its title and cue groups: the technique counts when every group has
# one of its phrases. The cues follow facts.md §1: simple on purpose, so a trainee can see why.
TECHNIQUE_CUES: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    "huashu-3f": ("3F法", (
        ("理解", "着急", "换谁都", "心情", "窝火", "生气", "难受", "不舒服", "委屈"),  # feel
        ("也有客户", "不少客户", "也有位", "也有一位", "有几位", "之前有", "其他业主", "好几位", "很多客户", "也有业主"),  # felt
        ("后来", "发现", "结果"))),  # found
    "huashu-sandiming": ("三明治法", (
        ("我理解", "我明白", "我能理解", "您的心情", "您的想法"), ("同时",),
        ("我帮您", "我马上", "我现在", "我这就", "我来", "我们一起"))),
    "huashu-xunwen": ("询问法", (
        ("您希望", "您看怎么", "您想怎么", "您最关心", "您最担心", "您看怎么处理", "您的想法是", "您最想"),)),
    "huashu-taiji": ("太极法", (("正因为", "正是因为"), ("所以",))),
    "huashu-liangjie": ("谅解法", (("理解",), ("体谅", "也请您理解", "希望您能理解"))),
    "qiwang-lijie": ("表示理解法", (
        ("我理解您", "我能理解", "我完全理解", "我特别理解", "换谁都", "换了我", "我明白您", "理解您的心情"),)),
    "qiwang-tongyizhanxian": ("同一战线法", (
        ("换作是我", "要是我", "我也会", "站在您这边", "跟您一起", "和您一起", "咱们一起", "陪您"),)),
    "qiwang-suku": ("巧妙诉苦法", (("我们也很着急", "我们也着急", "说实话我们也", "我们也希望", "我们也不愿意"),)),
    "qiwang-qingjiao": ("巧妙请教法", (("您有什么建议", "请教您", "听听您的意见", "听听您的想法", "您觉得怎么改"),)),
    "tiwen-chengqing": ("澄清性提问", (("您是说", "我确认一下", "我没理解错的话", "我理解得对吗", "我复述一下"),)),
    "tiwen-xuanze": ("选择性提问", (("还是",), ("您看", "您选", "哪种", "哪个"), ("?", "?", "吗", "呢"))),
    "liucheng-geli": ("隔离客户", (("贵宾室", "里边坐", "里面坐", "到这边坐", "会客室", "安静的地方", "休息室", "洽谈室"),)),
    "nuhuo-xunsu": ("迅速解决问题", (("马上", "现在就", "这就", "立刻"), ("帮您", "给您", "为您", "去"))),
}
# the techniques that calm as well as score (facts.md: handle the mood before the matter)
CALMING_TECHNIQUES = frozenset({"huashu-3f", "qiwang-lijie", "qiwang-tongyizhanxian", "liucheng-geli"})


class ScenarioError(AssistantError):
    """A practice scenario or the persona file is malformed; names the file and the field."""


class Requirement(BaseModel):
    """What a good reply must say, by a turn: any one of the phrases counts."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2, description="shown in the reasons, e.g. 请负责人出面")
    any_of: list[str] = Field(min_length=1)
    by_turn: int | None = Field(None, ge=1, le=MAX_TURNS, description="reply number it is due by; None: by the end")


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,60}$")
    domain: Literal["bank", "real_estate"]
    title: str
    source: str = Field(description="the course case or topic card it rehearses")
    topic: str | None = Field(None, description="topic card id (knowledge/topics), if any")
    situation: str = Field(description="what the trainee is told before the customer speaks")
    difficult_type: str
    personality: str
    flags: list[str] = Field(default_factory=list)
    turns: int = Field(4, ge=MIN_TURNS, le=MAX_TURNS, description="staff replies in a full session")
    mood: int = Field(2, ge=0, le=3, description="the customer's mood at the opening (standard difficulty)")
    opening: str
    lines: dict[int, list[str]] = Field(description="what the customer says at each mood 0-3, in turn order")
    closing_calm: str
    closing_angry: str
    must_mention: list[Requirement] = Field(default_factory=list)
    must_not_say: list[str] = Field(default_factory=list)
    next_steps: list[str] = Field(min_length=1, description="phrases that show the right next step; they calm")

    @field_validator("difficult_type")
    @classmethod
    def _type(cls, v: str) -> str:
        return _known(v, DIFFICULT_TYPES)

    @field_validator("personality")
    @classmethod
    def _personality(cls, v: str) -> str:
        return _known(v, PERSONALITIES)

    @field_validator("flags")
    @classmethod
    def _flags(cls, v: list[str]) -> list[str]:
        return [_known(f, FLAGS) for f in v]

    @field_validator("lines")
    @classmethod
    def _lines(cls, v: dict[int, list[str]]) -> dict[int, list[str]]:
        if set(v) != set(EMOTIONS) or not all(v.values()):
            raise ValueError("needs at least one line for each mood 0, 1, 2 and 3")
        return v

    @model_validator(mode="after")
    def _deadlines(self) -> Scenario:
        for r in self.must_mention:
            if r.by_turn is not None and r.by_turn > self.turns:
                raise ValueError(f"requirement {r.name!r} is due by reply {r.by_turn}, after the last ({self.turns})")
        return self


def _known(code: str, table: dict) -> str:
    if code not in table:
        raise ValueError(f"unknown code {code!r}; one of {sorted(table)}")
    return code


class Persona(BaseModel):
    """How one persona reacts to a reply before saying the scenario's line: worse, same or better."""

    model_config = ConfigDict(extra="forbid")
    worse: list[str] = Field(min_length=1)
    same: list[str] = Field(min_length=1)
    better: list[str] = Field(min_length=1)


# ---- loading ----------------------------------------------------------------------------------
def _invalid(path: Path, exc: ValidationError) -> ScenarioError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"]) or "(整个文件)"
    more = f"(另有 {len(exc.errors()) - 1} 处)" if len(exc.errors()) > 1 else ""
    more_en = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return ScenarioError(f"练习场景文件 {path.name} 的字段 {field} 有误:{err['msg']}{more}",
                         f"practice file {path.name}, field {field}: {err['msg']}{more_en}")


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioError(f"练习场景文件 {path.name} 不是有效的 YAML:{first}",
                            f"practice file {path.name} is not valid YAML: {first}") from None


def load_scenario(path: Path) -> Scenario:
    try:
        return Scenario.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise _invalid(path, exc) from None


def load_personas(folder: Path = PRACTICE_DIR) -> dict[str, Persona]:
    path = folder / PERSONAS_FILE
    raw = _read_yaml(path)
    try:
        personas = {str(k): Persona.model_validate(v) for k, v in (raw or {}).items()} if isinstance(raw, dict) else {}
    except ValidationError as exc:
        raise _invalid(path, exc) from None
    missing = sorted((set(DIFFICULT_TYPES) | set(PERSONALITIES)) - set(personas))
    if missing:
        raise ScenarioError(f"{PERSONAS_FILE} 缺少人物:{'、'.join(missing)}", f"{PERSONAS_FILE} lacks personas: {missing}")
    return personas


def load_scenarios(folder: Path = PRACTICE_DIR) -> dict[str, Scenario]:
    scenarios: dict[str, Scenario] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        if path.name == PERSONAS_FILE:
            continue
        s = load_scenario(path)
        if s.id in scenarios:
            raise ScenarioError(f"练习场景编号重复:{s.id}({path.name})", f"duplicate practice scenario id {s.id} ({path.name})")
        scenarios[s.id] = s
    return scenarios


@lru_cache(maxsize=4)
def library(folder: Path = PRACTICE_DIR) -> tuple[dict[str, Scenario], dict[str, Persona]]:
    """Scenarios and personas, read once per folder; the files change with a release, not at run time."""
    return load_scenarios(folder), load_personas(folder)


# ---- scoring one reply ------------------------------------------------------------------------
class Reason(BaseModel):
    points: int
    kind: Literal["checker", "forbidden", "requirement", "apology", "next_step", "technique", "time", "outcome"]
    text: str


class ReplyScore(BaseModel):
    score: int
    reasons: list[Reason]
    techniques: list[str] = Field(default_factory=list, description="card ids recognised")
    met: list[str] = Field(default_factory=list, description="requirements met by this reply (names)")
    apologised: bool = False
    anger: int = 0
    calm: int = 0


def recognise(text: str) -> list[tuple[str, str, list[str]]]:
    """(card id, title, the cue phrases found) for every technique whose cue groups all appear."""
    found = []
    for card_id, (title, groups) in TECHNIQUE_CUES.items():
        cues = [next((c for c in group if c in text), None) for group in groups]
        if all(cues):
            found.append((card_id, title, [c for c in cues if c]))
    return found


def score_reply(scenario: Scenario, reply: str, turn: int, *, customer: str = "", met_before: set[str] | None = None,
                apologised_before: bool = False, seconds: float | None = None) -> ReplyScore:
    """One reply scored against the checker, the scenario's requirements, the techniques and the time.
    turn is 1-based; met_before names the requirements earlier replies already met."""
    met_before = met_before or set()
    reasons: list[Reason] = []
    anger = calm = 0

    result = check(reply, customer)
    penalty = 0
    for f in result.findings:
        pts = BLOCKING_FINDING if f.blocking else WARNING_FINDING
        if penalty + pts < CHECKER_FLOOR:
            pts = CHECKER_FLOOR - penalty  # one bad reply is not scored below the floor by its many spans
        penalty += pts
        reasons.append(Reason(points=pts, kind="checker", text=f"话术检查:{f.title}「{f.span[:24]}」——{f.advice}"))
    anger += 1 if result.blocking else 0

    said = [p for p in scenario.must_not_say if p in reply]
    for p in said:
        reasons.append(Reason(points=FORBIDDEN, kind="forbidden", text=f"说了不该说的话「{p}」"))
    anger += 1 if said else 0

    met: list[str] = []
    for r in scenario.must_mention:
        if r.name in met_before:
            continue
        hit = next((p for p in r.any_of if p in reply), None)
        if hit:
            met.append(r.name)
            reasons.append(Reason(points=REQUIREMENT_MET, kind="requirement", text=f"做到了:{r.name}(「{hit}」)"))
        elif r.by_turn == turn:
            reasons.append(Reason(points=REQUIREMENT_MISSED, kind="requirement",
                                  text=f"第{turn}轮前应做到却没做到:{r.name}"))
            anger += 1

    apologised = any(w in reply for w in APOLOGY_WORDS)
    spoiled = any(f.rule in _APOLOGY_RULES for f in result.findings)
    if apologised and not spoiled and not apologised_before:
        reasons.append(Reason(points=APOLOGY_FITS, kind="apology", text="道歉得体:为客户的经历道歉,没有辩解或过早认错"))
        calm += 1
    elif apologised and apologised_before and not spoiled:
        reasons.append(Reason(points=APOLOGY_REPEATED, kind="apology",
                              text="又一次道歉:反复说抱歉显得缺乏诚意,这一轮该给办法了"))

    step = next((p for p in scenario.next_steps if p in reply), None)
    if step:
        reasons.append(Reason(points=NEXT_STEP, kind="next_step", text=f"给出了对的下一步(「{step}」)"))
        calm += 1

    techniques = recognise(reply)[:MAX_TECHNIQUES]
    for _, title, cues in techniques:
        reasons.append(Reason(points=TECHNIQUE, kind="technique", text=f"用了{title}(线索:{'、'.join(cues)})"))
    calm += 1 if any(card_id in CALMING_TECHNIQUES for card_id, _, _ in techniques) else 0

    if seconds is not None:
        if seconds <= QUICK_S:
            reasons.append(Reason(points=QUICK, kind="time", text=f"回应及时({seconds:.0f} 秒)"))
        elif seconds > SLOW_S:
            reasons.append(Reason(points=SLOW, kind="time", text=f"回应慢了({seconds:.0f} 秒,超过 {SLOW_S} 秒)"))

    score = max(0, min(100, BASE + sum(r.points for r in reasons)))
    return ReplyScore(score=score, reasons=reasons, techniques=[t[0] for t in techniques], met=met,
                      apologised=apologised and not spoiled, anger=anger, calm=calm)


# ---- the session: a state machine over the customer's mood ------------------------------------
class Exchange(BaseModel):
    customer: str
    mood: int
    reply: str = ""
    seconds: float | None = None
    score: int | None = None
    reasons: list[Reason] = Field(default_factory=list)
    techniques: list[str] = Field(default_factory=list)
    mood_after: int | None = None
    model_reply: str = ""


class Session(BaseModel):
    """One rehearsal. Kept by the caller between replies (server-side state), stored when finished."""

    id: str
    scenario_id: str
    difficulty: Literal["easy", "normal", "hard"]
    user: str = Field("", description="who plays it: only they may answer")
    assignment_id: str | None = None
    started: float | None = None
    start_mood: int
    mood: int
    exchanges: list[Exchange]
    met: list[str] = Field(default_factory=list)
    apologised: bool = False
    finished: bool = False
    closing: str = ""
    score: int | None = None
    reasons: list[Reason] = Field(default_factory=list)
    shown_at: float | None = Field(None, description="when the customer's latest words were shown (server clock)")

    @property
    def replies(self) -> int:
        return sum(1 for e in self.exchanges if e.score is not None)

    @property
    def pending(self) -> Exchange | None:
        return None if self.finished else self.exchanges[-1]

    def techniques_used(self) -> list[str]:
        seen: dict[str, None] = {}
        for e in self.exchanges:
            seen.update(dict.fromkeys(e.techniques))
        return list(seen)


def start(scenario: Scenario, difficulty: str = "normal") -> Session:
    if difficulty not in DIFFICULTIES:
        shown = str(difficulty)[:10]
        raise ScenarioError(f"未知难度 {shown},可选:{'、'.join(DIFFICULTIES.values())}",
                            f"unknown difficulty {shown}; one of {list(DIFFICULTIES)}")
    mood = max(1, min(3, scenario.mood + START_SHIFT[difficulty]))
    return Session(id=uuid.uuid4().hex[:16], scenario_id=scenario.id, difficulty=difficulty, start_mood=mood, mood=mood,
                   exchanges=[Exchange(customer=scenario.opening, mood=mood)])


def _pick(lines: list[str], n: int) -> str:
    return lines[n % len(lines)]


def respond(session: Session, scenario: Scenario, personas: dict[str, Persona], reply: str,
            seconds: float | None = None, model_reply: str = "") -> Session:
    """Score the reply to the pending customer line, move the mood and let the customer answer (or
    close). Returns a new Session; the one passed in is left as it was."""
    if session.finished:
        raise ScenarioError("这次练习已经结束,请重新开始", "this practice session is over; start a new one")
    s = session.model_copy(deep=True)
    turn = s.replies + 1
    r = score_reply(scenario, reply, turn, customer=s.exchanges[-1].customer, met_before=set(s.met),
                    apologised_before=s.apologised, seconds=seconds)
    if r.anger:
        direction, mood = "worse", min(3, s.mood + 1)
    elif r.calm >= CALM_NEEDED[s.difficulty]:
        direction, mood = "better", max(0, s.mood - 1)
    else:
        direction, mood = "same", s.mood
    pending = s.exchanges[-1]
    pending.reply, pending.seconds, pending.score, pending.reasons = reply, seconds, r.score, r.reasons
    pending.techniques, pending.mood_after, pending.model_reply = r.techniques, mood, model_reply
    s.mood, s.apologised = mood, s.apologised or r.apologised
    s.met = [*s.met, *r.met]
    # the customer is satisfied early once calm after the minimum turns; otherwise the scenario runs its length
    if turn >= scenario.turns or (mood == 0 and turn >= MIN_TURNS):
        s.finished = True
        s.closing = scenario.closing_calm if mood <= 1 else scenario.closing_angry
        s.score, s.reasons = _session_score(s, scenario)
        return s
    # worse: the difficult type shows; better or same: the personality does
    persona = personas[scenario.difficult_type if direction == "worse" else scenario.personality]
    reaction = _pick(getattr(persona, direction), turn)
    said_at_mood = sum(1 for e in s.exchanges[1:] if e.mood == mood)  # the next line of this mood, not a repeat
    s.exchanges.append(Exchange(customer=f"{reaction}{_pick(scenario.lines[mood], said_at_mood)}", mood=mood))
    return s


def _session_score(s: Session, scenario: Scenario) -> tuple[int, list[Reason]]:
    scores = [e.score for e in s.exchanges if e.score is not None]
    mean = round(sum(scores) / len(scores)) if scores else 0
    reasons: list[Reason] = []
    if s.mood < s.start_mood:
        reasons.append(Reason(points=CALMER, kind="outcome",
                              text=f"客户情绪从「{EMOTIONS[s.start_mood]}」降到「{EMOTIONS[s.mood]}」"))
    elif s.mood > s.start_mood:
        reasons.append(Reason(points=ANGRIER, kind="outcome",
                              text=f"客户情绪从「{EMOTIONS[s.start_mood]}」升到「{EMOTIONS[s.mood]}」"))
    elif s.mood == 3:
        reasons.append(Reason(points=ANGRIER, kind="outcome", text=f"客户情绪始终是「{EMOTIONS[3]}」,没有降下来"))
    for r in scenario.must_mention:
        if r.name not in s.met and r.by_turn is None:
            reasons.append(Reason(points=REQUIREMENT_MISSED, kind="requirement", text=f"整场都没做到:{r.name}"))
    return max(0, min(100, mean + sum(r.points for r in reasons))), reasons


def play(scenario: Scenario, personas: dict[str, Persona], replies: list[str], difficulty: str = "normal",
         seconds: list[float | None] | None = None) -> Session:
    """A fixed transcript played to its end (or until the replies run out): for tests and --replies."""
    s = start(scenario, difficulty)
    for i, reply in enumerate(replies):
        if s.finished:
            break
        s = respond(s, scenario, personas, reply, seconds[i] if seconds and i < len(seconds) else None)
    return s
