"""Prompt templates are files under prompts/; a template refuses to render with a missing variable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.errors import AssistantError
from assistant.settings import get_settings

_VAR = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    text: str

    @property
    def variables(self) -> set[str]:
        return set(_VAR.findall(self.text))

    def render(self, **values: str) -> str:
        missing = self.variables - set(values)
        if missing:
            raise AssistantError(f"提示模板 {self.name} 缺少变量 {sorted(missing)}",
                                 f"prompt template {self.name} is missing {sorted(missing)}")
        # substitute only our own {names}: customer text may contain braces of its own
        return _VAR.sub(lambda m: str(values[m.group(1)]), self.text)


@lru_cache(maxsize=16)
def load_template(name: str, root: Path | None = None) -> PromptTemplate:
    path = (root or get_settings().prompts_dir) / name
    return PromptTemplate(name, path.read_text(encoding="utf-8").strip())


@lru_cache(maxsize=4)
def load_fewshot(root: Path | None = None) -> list[dict[str, str]]:
    path = (root or get_settings().prompts_dir) / "fewshot.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []
