"""Exemplar utterances the team wrote for nearest-exemplar classification (never eval cases)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.errors import CardError
from assistant.labels import ALL_LABEL_CODES


@dataclass(frozen=True)
class Exemplar:
    text: str
    labels: tuple[str, ...]
    source: str


def load_exemplars(root: Path) -> list[Exemplar]:
    out: list[Exemplar] = []
    for path in sorted(Path(root).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for i, item in enumerate(data):
            labels = tuple(item.get("labels") or ())
            bad = [c for c in labels if c not in ALL_LABEL_CODES]
            if not item.get("text") or bad:
                raise CardError(
                    f"{path.name} 第{i + 1}条示例有误:{bad or '缺少 text'}",
                    f"{path.name} item {i + 1} is invalid: {bad or 'missing text'}",
                )
            out.append(Exemplar(str(item["text"]).strip(), labels, path.name))
    return out
