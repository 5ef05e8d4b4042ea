"""One typed settings model. Defaults live here; ASSISTANT_* environment variables override."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

EmbedderName = Literal["use", "m3e-small", "minilm", "st", "hash"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", populate_by_name=True)

    home: Path = Field(default=Path("./data"), description="everything the app writes lives here")
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    eval_dir: Path = PROJECT_ROOT / "eval"

    # embedder: bundled USE by default; "st" loads any local sentence-transformers folder
    embedder: EmbedderName = "use"
    embedder_path: Path | None = None

    # vector store: embedded Chroma under home, or a Chroma server shared by several replicas
    store: Literal["chroma", "chroma_http"] = "chroma"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8000
    # sent as "Authorization: Bearer <token>" when set (a Chroma server or proxy that checks tokens)
    chroma_token: SecretStr = SecretStr("")
    # a replica looks at the server's current index version at most this often
    index_refresh_s: float = 5.0

    # audit log, users and register: SQLite files under home by default; one URL such as
    # postgresql+psycopg://assistant:***@10.0.0.5:5432/assistant puts all three in a shared database
    db_url: SecretStr = SecretStr("")
    # the name written with each audit row; defaults to host:port
    replica: str = ""

    # retrieval
    retriever: Literal["hybrid_boost", "hybrid", "bm25", "dense"] = "hybrid_boost"
    rrf_k: int = 60
    label_boost: float = 0.03
    top_k: int = 5

    # policy answers: below these the answer is "not in the procedures"
    policy_min_bm25: float = 6.0
    policy_min_dense: float = 0.42

    # generator (LLM drafting); none keeps the template drafter
    generator: Literal["none", "local", "openai", "ollama"] = Field(
        default="none", validation_alias=AliasChoices("ASSISTANT_GENERATOR", "ASSISTANT_LLM"))
    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_model: str = "qwen2.5"
    openai_api_key: SecretStr = SecretStr("")
    ollama_base_url: str = "http://127.0.0.1:11434"
    ollama_model: str = "qwen2.5:1.5b"
    llm_timeout_s: float = 30.0
    llm_max_tokens: int = 160
    llm_threads: int = 2
    # where the bundled GGUF is assembled; an operator may point at any local GGUF instead
    local_model_path: Path | None = None

    # the reply checker's learned per-sentence judge beside its rules (free text: what staff type, model
    # rewrites; the template draft is judged by the rules alone); ASSISTANT_CHECKER_JUDGE=0 turns it off
    checker_judge: bool = True

    # input limits
    max_input_chars: int = 20_000
    # the other free-text fields: names, phone, hand-over, reasons; and a trainer's comment
    max_field_chars: int = 200
    max_comment_chars: int = 2_000

    # server
    host: str = "127.0.0.1"
    port: int = 7860
    # CPU-bound handlers of ~10 ms: a few at once keeps both cores busy without thrashing
    ui_concurrency: int = 4
    # HTTP API calls run in this many worker threads: the handlers hold the GIL, so more threads than
    # cores only add switching (measured on 2 busy cores: 4 threads cost ~1.5x the CPU per suggestion of 2)
    api_concurrency: int = 2
    # exported CSV/Excel files under home/exports are removed after this many seconds (0 keeps them)
    export_ttl_s: int = 1800
    # proxies whose X-Forwarded-For names the client for the sign-in throttle (env: a JSON list)
    trusted_proxies: list[str] = ["127.0.0.1", "::1"]

    def resolved_home(self) -> Path:
        return self.home.expanduser().resolve()

    @property
    def index_dir(self) -> Path:
        return self.resolved_home() / "index"

    def database_url(self, sqlite_name: str) -> str:
        url = self.db_url.get_secret_value()
        return url or f"sqlite:///{self.resolved_home() / sqlite_name}"

    @property
    def tmp_dir(self) -> Path:
        return self.resolved_home() / "tmp"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
