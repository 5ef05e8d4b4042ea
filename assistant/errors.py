"""Errors that reach users carry one line in Chinese and one in English."""

from __future__ import annotations


class AssistantError(Exception):
    """Base error with a bilingual message."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"


class InputError(AssistantError):
    """Bad user input: empty, binary, oversized."""


class TooLong(InputError):
    """Input over a length limit: the HTTP API answers it with 413 where other bad input gets 400."""


class CardError(AssistantError):
    """A knowledge card is malformed; names the file and the problem."""


class IndexError_(AssistantError):
    """The index is missing or unusable."""


class EmbedderMismatch(IndexError_):
    """A shared index was built with another embedder; rebuilding it would switch every replica."""


class MissingDependency(AssistantError):
    def __init__(self, package: str, install: str) -> None:
        super().__init__(
            f"缺少可选依赖 {package},请运行:{install}",
            f"optional dependency {package} is missing; install it with: {install}",
        )


class PermissionDenied(AssistantError):
    """The caller's role may not do this."""


class StoreUnavailable(AssistantError):
    """A shared server (Chroma, PostgreSQL) cannot be reached; the request is not half-done."""
