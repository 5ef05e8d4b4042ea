"""Questions the procedures don't answer: near misses of the clauses, written for the purpose
(knowledge/unanswered/*.yaml: "贵宾客户的信用卡额度最高能提到多少?" sounds like the 贵宾 cash-help
limit and is not it). A question that is more like one of them than like its best clause's own 问法
is answered with 未找到: they are the other side of the 问法.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import CardError

UNANSWERED = "unanswered"  # the folder under the knowledge folder


class UnansweredQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q: str
    near: str = "none"  # the clause it sounds like, or none
    why: str = ""       # why that clause does not answer it (for the people who edit the file)


def load_unanswered(knowledge_dir: Path) -> list[UnansweredQuestion]:
    """Every file's questions; a malformed file is named in the error, in Chinese and English."""
    folder = knowledge_dir / UNANSWERED
    out: list[UnansweredQuestion] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            if not isinstance(items, list):
                raise ValueError("not a list")
            out += [UnansweredQuestion.model_validate(item) for item in items]
        except (yaml.YAMLError, ValidationError, ValueError) as exc:
            raise CardError(f"未答问题文件格式错误:{path.name}({exc.__class__.__name__})",
                            f"unanswered questions file is malformed: {path.name} ({exc})") from None
    return out


def check_near(questions: list[UnansweredQuestion], card_ids: set[str]) -> None:
    """A near clause that is no card is a typo in the file."""
    bad = sorted({u.near for u in questions if u.near != "none"} - card_ids)
    if bad:
        raise CardError(f"未答问题指向不存在的条款卡:{', '.join(bad)}",
                        f"unanswered questions name unknown clause cards: {', '.join(bad)}")
