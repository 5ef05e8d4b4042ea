"""The bundled local model: assembly refuses a wrong hash; one real draft (slow, CI runs it)."""

import hashlib
import json
from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.llm.local import assemble
from assistant.settings import PROJECT_ROOT, Settings


def _parts(tmp_path: Path) -> list[Path]:
    parts = []
    for i, chunk in enumerate([b"GGUF", b"-fake-", b"weights"]):
        p = tmp_path / f"part{i}.bin"
        p.write_bytes(chunk)
        parts.append(p)
    return parts


def test_assembly_checks_the_pinned_hash(tmp_path):
    parts = _parts(tmp_path)
    good = hashlib.sha256(b"GGUF-fake-weights").hexdigest()
    s = Settings(home=tmp_path / "home")
    path = assemble(s, expected_sha256=good, parts=parts)
    assert path.read_bytes() == b"GGUF-fake-weights"
    assert path.parent == (tmp_path / "home" / "models").resolve()
    # a second call trusts the verified marker and does not rewrite
    assert assemble(s, expected_sha256=good, parts=[]) == path


def test_assembly_refuses_a_mismatch_and_leaves_nothing(tmp_path):
    s = Settings(home=tmp_path / "home")
    with pytest.raises(AssistantError, match="mismatch"):
        assemble(s, expected_sha256="0" * 64, parts=_parts(tmp_path))
    assert list((tmp_path / "home" / "models").iterdir()) == []


@pytest.mark.slow
def test_real_bundled_model_drafts_a_reply_for_a_real_complaint(tmp_path_factory, hash_service):
    from assistant.service import AssistantService

    path = PROJECT_ROOT.parent / "shared" / "realworld" / "real_complaints.jsonl"
    text = "我在你们网点排了一个多小时队,轮到我却说系统升级办不了,又让我明天再来"
    if path.exists():
        text = json.loads(path.read_text(encoding="utf-8").splitlines()[0])["text"]
    home = tmp_path_factory.mktemp("llm-home")
    s = Settings(home=home, embedder="hash", generator="local", llm_timeout_s=120)
    svc = AssistantService(s, embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    r = svc.suggest(text)
    assert r.check.ok
    assert r.draft_source in ("llm", "llm_repaired", "template")
    if r.draft_source == "template":
        assert r.llm_reason  # the fall-back always says why
    else:
        assert r.llm_first_token_ms and r.llm_ms
