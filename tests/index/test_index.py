import shutil
from pathlib import Path

import pytest

from assistant.errors import CardError, IndexError_
from assistant.index.disk import build_index, open_index
from assistant.index.embedders import HashEmbedder
from assistant.service import AssistantService
from assistant.settings import Settings
from tests.conftest import KNOWLEDGE


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A copy of a slice of the real knowledge base that tests may edit."""
    kb = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE / "techniques", kb / "techniques")
    shutil.copytree(KNOWLEDGE / "exemplars", kb / "exemplars")
    return kb


def _settings(home: Path, kb: Path) -> Settings:
    return Settings(home=home, knowledge_dir=kb, embedder="hash")


def test_build_then_incremental_rebuild(home, small_kb):
    s = _settings(home, small_kb)
    emb = HashEmbedder()
    first = build_index(s, emb)
    assert first.cards == 13 and first.embedded == first.cards + first.exemplars
    second = build_index(s, emb)
    assert second.embedded == 0 and second.reused == first.cards + first.exemplars
    card = small_kb / "techniques" / "huashu-3f.md"
    card.write_text(card.read_text(encoding="utf-8").replace("先认同客户的感受", "先承认客户的感受"), encoding="utf-8")
    third = build_index(s, emb)
    assert third.embedded == 1
    idx = open_index(s)
    assert idx.version == third.version
    assert "先承认客户的感受" in idx.card("huashu-3f").section("要点")


def test_bad_card_fails_and_keeps_previous_index(home, small_kb):
    s = _settings(home, small_kb)
    good = build_index(s, HashEmbedder())
    (small_kb / "techniques" / "broken.md").write_text("---\nid: x\n---\n", encoding="utf-8")
    with pytest.raises(CardError, match="broken.md"):
        build_index(s, HashEmbedder())
    assert open_index(s).version == good.version


def test_bad_off_card_matters_fail_the_build_and_keep_previous_index(home, small_kb):
    s = _settings(home, small_kb)
    good = build_index(s, HashEmbedder())
    (small_kb / "topics").mkdir(exist_ok=True)
    (small_kb / "topics" / "off_card_matters.yaml").write_text("bank:\n  - matter: 没有 when\n", encoding="utf-8")
    with pytest.raises(CardError, match="off_card_matters"):
        build_index(s, HashEmbedder())
    assert open_index(s).version == good.version


@pytest.mark.parametrize("text, named", [("- {q: 1, extra: x}\n", "bad.yaml"),
                                         ('- {q: "年终奖几号发?", near: no-such-card}\n', "no-such-card")])
def test_bad_unanswered_questions_fail_the_build_and_keep_previous_index(home, small_kb, text, named):
    s = _settings(home, small_kb)
    good = build_index(s, HashEmbedder())
    (small_kb / "unanswered").mkdir(exist_ok=True)
    (small_kb / "unanswered" / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CardError, match=named):
        build_index(s, HashEmbedder())
    assert open_index(s).version == good.version


def test_killed_build_leaves_previous_index_usable(home, small_kb):
    s = _settings(home, small_kb)
    good = build_index(s, HashEmbedder())
    # what a kill -9 mid-build leaves: a version folder without a manifest
    partial = s.index_dir / "v29990101000000-1-000001"
    partial.mkdir()
    (partial / "vectors.npy").write_bytes(b"partial")
    assert open_index(s).version == good.version
    build_index(s, HashEmbedder())
    assert not partial.exists(), "the next build sweeps partial folders"


def test_corrupt_index_is_detected_and_rebuilt(home, small_kb, capsys):
    s = _settings(home, small_kb)
    built = build_index(s, HashEmbedder())
    (s.index_dir / built.version / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(IndexError_):
        open_index(s)
    svc = AssistantService(s, embedder=HashEmbedder())
    svc.ensure_index()
    assert svc.index.version != built.version
    assert "rebuilding" in capsys.readouterr().err


def test_missing_index_is_built_on_first_use(home, small_kb):
    svc = AssistantService(_settings(home, small_kb), embedder=HashEmbedder())
    assert svc.search("3F法", k=1)[0].card.id == "huashu-3f"


def test_everything_is_written_under_home(home, small_kb):
    build_index(_settings(home, small_kb), HashEmbedder())
    assert (home / "index" / "CURRENT").exists()
    assert not (small_kb / "index").exists()


def test_real_kill_9_during_build_keeps_previous_index(home, small_kb):
    import os
    import signal
    import subprocess
    import sys
    import time

    s = _settings(home, small_kb)
    good = build_index(s, HashEmbedder())
    script = (
        "import time, sys\n"
        "from assistant.index.embedders import HashEmbedder\n"
        "from assistant.index.disk import build_index\n"
        "from assistant.settings import Settings\n"
        "class Slow(HashEmbedder):\n"
        "    def embed(self, texts):\n"
        "        print('embedding', flush=True); time.sleep(30); return super().embed(texts)\n"
        f"build_index(Settings(home={str(home)!r}, knowledge_dir={str(small_kb)!r}, embedder='hash'), Slow(dim=128))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "embedding"  # the build is under way
    time.sleep(0.3)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    idx = open_index(s)
    assert idx.version == good.version and len(idx.cards) == good.cards
    # and the next build still works (the dead build's lock died with it)
    assert build_index(s, HashEmbedder()).version != good.version
