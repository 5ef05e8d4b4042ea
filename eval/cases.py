"""Typed eval cases loaded from YAML under eval/cases/. The schema file is generated from these models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

CASES_DIR = Path(__file__).resolve().parent / "cases"
SCHEMA_PATH = Path(__file__).resolve().parent / "schema.json"


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    techniques_any: list[str] = Field(default_factory=list, description="hit if any of these is suggested")
    techniques_all: list[str] = Field(default_factory=list, description="all of these must be in the top 5")
    flags: list[str] | None = Field(None, description="exactly these risk flags (None: not judged)")
    flags_absent: list[str] = Field(default_factory=list, description="flags that must not fire")
    emotion_min: int | None = None
    zone: str | None = None
    personality: str | None = None
    purposes_any: list[str] = Field(default_factory=list)
    difficult_any: list[str] = Field(default_factory=list)


class DraftReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    must_contain_any: list[str] = Field(default_factory=list)
    must_mention: list[list[str]] = Field(default_factory=list, description="groups of alternatives: the draft "
                                          "holds at least one word of every group")
    must_not_contain: list[str] = Field(default_factory=list)
    next_step: bool = True


class SuggestCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Literal["suggest"] = "suggest"
    split: Literal["dev", "test"]
    domain: Literal["bank", "real_estate"]
    topic: str | None = Field(None, description="topic card id (knowledge/topics) or 'other'; None: not judged")
    scenario: str
    text: str
    expect: Expect
    draft: DraftReq = Field(default_factory=DraftReq)
    reference: str = Field("", description="a reply a trainer accepted (what staff sent); read, not scored")
    notes: str = ""


class PolicyCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: Literal["policy"]
    # holdout: written by someone who saw no other question set; measured beside dev, never tuned on
    split: Literal["dev", "holdout", "test"]
    question: str
    found: bool = True
    facts: list[str] = Field(default_factory=list)
    source: str = ""
    clause: str = Field("", description="id of the card whose text holds the facts (right clause cited)")
    notes: str = ""


Case = SuggestCase | PolicyCase
_ADAPTER = TypeAdapter(list[Case])


def load_cases(root: Path = CASES_DIR, split: str = "all") -> list[Case]:
    cases: list[Case] = []
    for path in sorted(Path(root).glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for item in raw:
            item.setdefault("kind", "suggest")
        cases.extend(_ADAPTER.validate_python(raw))
    ids = [c.id for c in cases]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate eval case ids: {sorted(dupes)}")
    return [c for c in cases if split == "all" or c.split == split]


def write_schema(path: Path = SCHEMA_PATH) -> None:
    path.write_text(json.dumps(_ADAPTER.json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_schema()
