"""The labelled reply set for the reply checker (design.md section 7), and the model replies in the cards.

eval/replies/written.yaml: replies the team wrote; eval/replies/model.yaml: real outputs of the
bundled model on eval situations, labelled by reading. labels = rule codes the reply violates
([] = a good reply that must pass clean). Tune rules on dev only; report on test.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

REPLIES_DIR = Path(__file__).resolve().parent / "replies"
KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"
RULE_CODES = ("apology_excuse", "apology_conditional", "fault_admission", "blame_customer", "promise",
              "invented_fact", "customer_voice", "loop", "parrot", "brush_off", "rhetorical_question",
              "media_statement", "echoed_pii", "form", "calm_down")


class ReplyItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    split: Literal["dev", "test"]
    domain: Literal["bank", "real_estate"]
    customer: str = Field("", description="the customer's (newest) words the reply answers")
    reply: str
    labels: list[str] = Field(default_factory=list)
    note: str = ""
    source: Literal["written", "model"] = "written"
    case: str = Field("", description="eval case the model reply was generated for")

    @field_validator("labels")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        bad = [c for c in v if c not in RULE_CODES]
        if bad:
            raise ValueError(f"unknown rule codes {bad}")
        return v


_ITEMS = TypeAdapter(list[ReplyItem])


def load_file(path: Path) -> list[ReplyItem]:
    """The replies of one YAML file; items without a split (the probe files) count as dev. model*.yaml hold
    the bundled model's real outputs, every other file replies the team wrote."""
    source = "model" if path.stem.startswith("model") else "written"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return _ITEMS.validate_python([{"source": source, "split": "dev", **r} for r in raw])


def load_replies(split: str | None = None, root: Path = REPLIES_DIR) -> list[ReplyItem]:
    items: list[ReplyItem] = []
    for path in sorted(root.glob("*.yaml")):
        items += load_file(path)
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate reply ids")
    return [i for i in items if split in (None, i.split)]


_SECTIONS = ("示例话术", "示范回复")
_HEAD = re.compile(r"^##\s+(.+?)\s*$")


def knowledge_replies(root: Path = KNOWLEDGE_DIR) -> list[tuple[str, str]]:
    """(file, reply) for every model reply line in the cards: bullets under 示例话术 / 示范回复."""
    out: list[tuple[str, str]] = []
    for path in sorted(root.rglob("*.md")):
        section = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            head = _HEAD.match(line)
            if head:
                section = head.group(1)
                continue
            if section in _SECTIONS and line.strip().startswith(("-", "•")):
                text = line.strip().lstrip("-• ").strip()
                # "平静(情绪1):“……”" — the reply is the quoted part
                quoted = re.findall(r"[“\"]([^”\"]{6,})[”\"]", text)
                for q in quoted or [text]:
                    out.append((str(path.relative_to(root.parent)), q.strip()))
    return out
