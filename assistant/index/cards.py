"""Load knowledge cards: one Markdown file each, YAML front matter, short '## ' sections."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import CardError
from assistant.labels import ALL_LABEL_CODES, CATEGORIES, DOMAINS

PARAPHRASE_MARK = "(转述要点,非原文)"
REQUIRED = ("id", "title", "category", "applies_to", "domain", "source")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SECTION_RE = re.compile(r"^##\s+(.+?)\s*$", re.M)
# a card is never only its title: at least this much body text
MIN_BODY_CHARS = 30


@dataclass(frozen=True)
class MatterVariant:
    when: tuple[str, ...]  # cue words in the customer's words
    matter: str
    action: str = ""  # empty: the card's own action fits this matter too
    # the codes that differ from the card's (a deposit's rate is 人民币储蓄, not the card's 贷款): the
    # register counts the complaint under what was actually said
    codes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Card:
    id: str
    title: str
    category: str
    applies_to: tuple[str, ...]
    domain: tuple[str, ...]
    source: str
    sections: dict[str, str]
    path: str
    doc: str = ""
    clause: str = ""
    regulation: bool = False
    content_hash: str = field(default="", compare=False)
    # topic cards (category topic): classification codes, the neutral read-back phrase, cue words
    codes: dict = field(default_factory=dict, compare=False)
    matter: str = ""
    keywords: tuple[str, ...] = ()
    action: str = ""  # what staff do about the matter, in spoken form (the drafter's middle sentence)
    # narrower read-backs for a card that covers several matters ("假币收缴" and "残损兑换"): the
    # customer's words pick one, so staff never read back the whole catalogue
    variants: tuple[MatterVariant, ...] = ()

    @property
    def is_policy(self) -> bool:
        return self.category in ("policy", "emergency", "regulation")

    def section(self, name: str) -> str:
        return self.sections.get(name, "")

    @property
    def is_topic(self) -> bool:
        return self.category == "topic"

    @property
    def utterances(self) -> list[str]:
        """A topic card's customer lines (## 客户原话), the topic classifier's examples."""
        lines = self.section("客户原话").splitlines()
        return [ln.lstrip("-• ").strip() for ln in lines if ln.strip().startswith("-") and ln.strip("-• ")]

    @property
    def key_line(self) -> str:
        """First line of 要点 (or 条文): what a UI chip or a prompt shows."""
        if self.is_topic and not self.section("要点"):
            return self.matter or self.title
        text = self.section("要点") or self.section("条文") or next(iter(self.sections.values()), "")
        return text.strip().splitlines()[0] if text.strip() else ""

    @property
    def examples(self) -> list[str]:
        lines = self.section("示例话术").splitlines()
        return [ln.lstrip("-• ").strip().strip("“”\"") for ln in lines if ln.strip().startswith("-")]

    @property
    def quote(self) -> str:
        text = (self.section("条文") or self.section("要点")).strip()
        return text.removeprefix(PARAPHRASE_MARK).strip()

    @property
    def verbatim(self) -> bool:
        """Bank procedure clauses are quoted word for word; regulation cards are paraphrased."""
        return not (self.section("条文") or "").startswith(PARAPHRASE_MARK)

    def dense_text(self, limit: int = 240) -> str:
        """Shorter text for the sentence encoder: averaging encoders blur long bodies."""
        body = self.section("要点") if not self.is_policy else self.section("要点") + self.section("条文")
        return f"{self.title}:{body}"[:limit]

    def index_text(self) -> str:
        """Text that retrieval sees: title, source and every section, heading kept with body."""
        parts = [self.title, self.clause, self.doc]
        for name, body in self.sections.items():
            if name == "问法" and not self.is_policy:
                continue  # a course item's 问法 are managers' questions for `ask`, not what customers say
            parts.append(f"{name}:{body}")
        return "\n".join(p for p in parts if p)


def _as_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    raise TypeError(type(value).__name__)


def parse_card(text: str, path: str) -> Card:
    name = Path(path).name
    if not text.startswith("---"):
        raise CardError(f"{name}: 缺少 YAML 头(---)", f"{name}: missing YAML front matter (---)")
    try:
        _, head, body = text.split("---", 2)
    except ValueError:
        raise CardError(f"{name}: YAML 头没有结束的 ---", f"{name}: front matter is not closed") from None
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0]
        raise CardError(f"{name}: YAML 头无法解析:{first}", f"{name}: bad YAML: {first}") from None
    if not isinstance(meta, dict):
        raise CardError(f"{name}: YAML 头必须是键值对", f"{name}: front matter must be a mapping")
    missing = [k for k in REQUIRED if k not in meta or meta[k] in (None, "")]
    if missing:
        raise CardError(f"{name}: 缺少字段 {missing}", f"{name}: missing fields {missing}")
    card_id = str(meta["id"])
    if not _ID_RE.match(card_id):
        raise CardError(f"{name}: id '{card_id}' 只能用小写字母数字和 - _", f"{name}: bad id '{card_id}'")
    category = str(meta["category"])
    if category not in CATEGORIES:
        raise CardError(f"{name}: 未知类别 '{category}'", f"{name}: unknown category '{category}'")
    try:
        applies = _as_tuple(meta["applies_to"])
        domains = _as_tuple(meta["domain"])
    except TypeError as exc:
        raise CardError(f"{name}: applies_to/domain 须为列表", f"{name}: applies_to/domain must be lists ({exc})") from None
    unknown = [c for c in applies if c not in ALL_LABEL_CODES and c not in CATEGORIES]
    if unknown:
        raise CardError(f"{name}: 未知标签 {unknown}", f"{name}: unknown label codes {unknown}")
    bad_domain = [d for d in domains if d not in DOMAINS]
    if bad_domain or not domains:
        raise CardError(f"{name}: 领域须为 bank/real_estate", f"{name}: domain must be bank/real_estate")
    sections = _split_sections(body)
    if not sections:
        raise CardError(f"{name}: 正文没有 ## 小节", f"{name}: body has no '## ' sections")
    if sum(len(v) for v in sections.values()) < MIN_BODY_CHARS:
        raise CardError(f"{name}: 正文过短,卡片不能只有标题", f"{name}: body too short; a card is never just a title")
    if category == "topic":
        _check_topic(meta, sections, name)
    elif category not in ("policy", "emergency", "regulation") and "要点" not in sections:
        raise CardError(f"{name}: 缺少 ## 要点", f"{name}: missing '## 要点' section")
    if category in ("policy", "emergency", "regulation") and not (meta.get("doc") and meta.get("clause")):
        raise CardError(f"{name}: 条款须有 doc 与 clause", f"{name}: a clause needs doc and clause")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Card(
        id=card_id,
        title=str(meta["title"]),
        category=category,
        applies_to=applies,
        domain=domains,
        source=str(meta["source"]),
        sections=sections,
        path=str(path),
        doc=str(meta.get("doc", "")),
        clause=str(meta.get("clause", "")),
        regulation=bool(meta.get("regulation", category == "regulation")),
        content_hash=digest,
        codes={str(k): str(v) for k, v in (meta.get("codes") or {}).items()},
        matter=str(meta.get("matter") or ""),
        keywords=_as_tuple(meta.get("keywords")),
        action=str(meta.get("action") or ""),
        variants=parse_variants(meta.get("variants"), name),
    )


def parse_variants(raw: object, name: str) -> tuple[MatterVariant, ...]:
    if raw is None:
        return ()
    ok = isinstance(raw, list) and all(
        isinstance(v, dict) and isinstance(v.get("when"), list) and v["when"] and str(v.get("matter") or "").strip()
        and set(v) <= {"when", "matter", "action", "codes"} and isinstance(v.get("codes", {}), dict) for v in raw)
    if not ok:
        raise CardError(f"{name}: variants 须为列表,每项有 when(词表)与 matter,可选 action 与 codes",
                        f"{name}: variants must be a list of {{when: [words], matter, action?, codes?}}")
    return tuple(MatterVariant(_as_tuple(v["when"]), str(v["matter"]), str(v.get("action") or ""),
                               {str(k): str(c) for k, c in (v.get("codes") or {}).items()}) for v in raw)


TOPIC_SECTIONS = ("客户原话", "怎么做")
MIN_UTTERANCES = 8


def _check_topic(meta: dict, sections: dict[str, str], name: str) -> None:
    """A topic card needs no 要点; it needs its codes, a matter phrase and ≥ 8 customer lines."""
    missing = [s for s in TOPIC_SECTIONS if s not in sections]
    if missing:
        raise CardError(f"{name}: 主题卡缺少小节 {missing}", f"{name}: topic card misses sections {missing}")
    if not isinstance(meta.get("codes"), dict) or not meta["codes"]:
        raise CardError(f"{name}: 主题卡须有 codes(分类编码)", f"{name}: a topic card needs codes")
    if not str(meta.get("matter") or "").strip():
        raise CardError(f"{name}: 主题卡须有 matter(复述用语)", f"{name}: a topic card needs a matter phrase")
    if not isinstance(meta.get("keywords", []), list):
        raise CardError(f"{name}: keywords 须为列表", f"{name}: keywords must be a list")
    lines = [ln for ln in sections["客户原话"].splitlines() if ln.strip().startswith("-")]
    if len(lines) < MIN_UTTERANCES:
        raise CardError(f"{name}: 客户原话少于 {MIN_UTTERANCES} 条", f"{name}: fewer than {MIN_UTTERANCES} utterances")


def _split_sections(body: str) -> dict[str, str]:
    matches = list(_SECTION_RE.finditer(body))
    sections: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        content = body[m.end() : end].strip()
        if content:
            sections[m.group(1)] = content
    return sections


def load_cards(root: Path) -> list[Card]:
    """Load every card under root; any bad card fails the whole load with its file name."""
    files = sorted(p for p in Path(root).rglob("*.md") if p.name.lower() != "readme.md")
    cards = [parse_card(p.read_text(encoding="utf-8"), str(p)) for p in files]
    _check_unique(cards)
    return cards


def _check_unique(cards: Iterable[Card]) -> None:
    seen: dict[str, str] = {}
    for card in cards:
        if card.id in seen:
            a, b = Path(seen[card.id]).name, Path(card.path).name
            raise CardError(f"卡片 id 重复:{card.id}({a}, {b})", f"duplicate card id {card.id} ({a}, {b})")
        seen[card.id] = card.path


# matters no topic card covers, named in drafts while the topic stays `other` (knowledge/topics/README.md)
OFF_CARD_FILE = Path("topics") / "off_card_matters.yaml"


@functools.lru_cache(maxsize=8)
def _read_off_card(path: Path, mtime: float) -> dict[str, tuple[MatterVariant, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not set(data) <= set(DOMAINS):
        raise CardError(f"{path.name}: 须按领域(bank / real_estate)列出事项",
                        f"{path.name}: matters must be listed under a domain (bank / real_estate)")
    return {dom: parse_variants(raw, path.name) for dom, raw in data.items()}


def off_card_matters(knowledge_dir: Path) -> dict[str, tuple[MatterVariant, ...]]:
    """knowledge/topics/off_card_matters.yaml by domain; re-read when the file changes."""
    path = Path(knowledge_dir) / OFF_CARD_FILE
    if not path.exists():
        return {}
    return _read_off_card(path, path.stat().st_mtime)
