"""Generator seam: something that streams a reply for chat messages.

Modes: none (template only), local (bundled Qwen GGUF through xllamacpp), openai (any
OpenAI-compatible server through langchain_openai) and ollama (langchain_ollama). Heavy
packages are imported inside their branch; a missing one names its install command.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant.errors import AssistantError, MissingDependency
from assistant.llm.local import REPEAT_PENALTY, STOP, TEMPERATURE, max_tokens
from assistant.settings import Settings

Messages = list[dict[str, str]]
LLM_INSTALL = "pip install -e '.[llm]'"


class Generator(Protocol):
    name: str

    def stream(self, messages: Messages) -> Iterator[str]:
        """Yield pieces of the reply as they are produced."""
        ...


class GeneratorTimeout(AssistantError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"模型在 {seconds:.0f} 秒内没有写完", f"the model did not finish within {seconds:.0f} s")


def with_deadline(produce: Callable[[], Iterator[str]], timeout: float) -> Iterator[str]:
    """Run a producer in a worker thread; stop waiting when the deadline passes, even if it hangs."""
    q: queue.Queue[tuple[str, Any]] = queue.Queue()
    cancel = threading.Event()

    def work() -> None:
        it = produce()
        try:
            for piece in it:
                if cancel.is_set():  # the consumer gave up: stop the model instead of letting it run on
                    break
                q.put(("piece", piece))
            q.put(("done", None))
        except BaseException as exc:  # handed to the consumer, which decides
            q.put(("error", exc))
        finally:
            close = getattr(it, "close", None)
            if close:
                close()

    threading.Thread(target=work, daemon=True, name="generator").start()
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            cancel.set()
            raise GeneratorTimeout(timeout)
        try:
            kind, value = q.get(timeout=left)
        except queue.Empty:
            cancel.set()
            raise GeneratorTimeout(timeout) from None
        if kind == "piece":
            yield value
        elif kind == "error":
            raise value
        else:
            return


def to_langchain(messages: Messages) -> list[BaseMessage]:
    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


class LangChainGenerator:
    """Any LangChain chat model; its objects stay behind this seam."""

    def __init__(self, model: BaseChatModel, name: str) -> None:
        self.model = model
        self.name = name

    def stream(self, messages: Messages) -> Iterator[str]:
        for chunk in self.model.stream(to_langchain(messages)):
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                yield text


class QueuedFakeChatModel(BaseChatModel):
    """Deterministic fake for tests: answers from a queue, records every call.

    A queued item is a reply string, an exception to raise, or ("sleep", seconds, reply).
    """

    responses: list[Any]
    calls: list[list[BaseMessage]] = []
    chunk_size: int = 4

    @property
    def _llm_type(self) -> str:
        return "queued-fake"

    def _next(self, messages: list[BaseMessage]) -> str:
        self.calls.append(list(messages))
        if not self.responses:
            raise AssertionError("QueuedFakeChatModel: no response queued")
        item = self.responses.pop(0)
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, tuple) and item[0] == "sleep":
            time.sleep(item[1])
            return item[2]
        return str(item)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._next(messages)))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        text = self._next(messages)
        for i in range(0, len(text), self.chunk_size):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[i : i + self.chunk_size]))


def make_generator(settings: Settings) -> Generator | None:
    mode = settings.generator
    if mode == "none":
        return None
    if mode == "openai":
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise MissingDependency("langchain-openai", LLM_INSTALL) from None
        model = ChatOpenAI(
            base_url=settings.openai_base_url, model=settings.openai_model,
            api_key=settings.openai_api_key.get_secret_value() or "not-needed",
            timeout=settings.llm_timeout_s, max_retries=0, temperature=TEMPERATURE, max_tokens=max_tokens(settings),
            frequency_penalty=0.3, stop=STOP,
        )
        return LangChainGenerator(model, f"openai:{settings.openai_model}")
    if mode == "ollama":
        try:
            from langchain_ollama import ChatOllama
        except ImportError:
            raise MissingDependency("langchain-ollama", LLM_INSTALL) from None
        model = ChatOllama(base_url=settings.ollama_base_url, model=settings.ollama_model, temperature=TEMPERATURE,
                           num_predict=max_tokens(settings), repeat_penalty=REPEAT_PENALTY, stop=STOP)
        return LangChainGenerator(model, f"ollama:{settings.ollama_model}")
    if mode == "local":
        from assistant.llm.local import LocalGenerator

        return LocalGenerator(settings)
    raise AssistantError(f"未知的生成模式 {mode}", f"unknown generator mode {mode}")
