"""Our pipeline against a plain LangChain baseline, side by side on an eval split (dev unless told).

The baseline is what a quick LangChain build would be: Chroma `similarity_search` top-3 over the
same cards with the same embedder (USE), no situation analysis, and one fixed reply template.
Each side runs in its own process so peak RSS is its own.

Usage: python -m bench.baseline [--json] [--split dev|test]

The routine bench (`assistant bench`) compares on dev: whoever runs it while tuning must not see test
figures. The documented table (docs/deployment.md) is the end-of-round `--split test` run.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXED_REPLY = "您好,非常抱歉给您带来不便,我们会尽快为您处理,请您耐心等待。"


def _cases(split: str):
    from eval.cases import SuggestCase, load_cases

    return [c for c in load_cases(split=split) if isinstance(c, SuggestCase)]


def _score(rows: list[dict], latencies: list[float]) -> dict:
    from eval import metrics as M

    tp = sum(r["tp"] for r in rows)
    fn = sum(r["fn"] for r in rows)
    fp = sum(r["fp"] for r in rows)
    p, rec = M.precision_recall(tp, fp, fn)
    return {
        "hit@3": round(M.mean([r["hit3"] for r in rows]), 3),
        "flag_recall": round(rec, 3), "flag_precision": round(p, 3),
        "checker_pass_rate": round(M.mean([float(r["check"]) for r in rows]), 3),
        "requirement_pass_rate": round(M.mean([float(r["reqs"]) for r in rows]), 3),
        "suggest_p50_ms": round(M.percentile(latencies, 50), 2),
        "suggest_p95_ms": round(M.percentile(latencies, 95), 2),
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """VmHWM of this process: ru_maxrss survives exec and would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _row(case, ranked: list[str], flags: list[str], draft: str, steps: list[str]) -> dict:
    from assistant.reply.checker import check
    from eval import metrics as M

    expected = set(case.expect.flags or [])
    return {"hit3": M.hit_at_k(ranked, case.expect.techniques_any, 3) if case.expect.techniques_any else 1.0,
            "tp": len(expected & set(flags)), "fn": len(expected - set(flags)),
            "fp": len(set(flags) - expected) if case.expect.flags is not None else 0,
            "check": check(draft).ok,
            "reqs": all(ok for _, ok in M.draft_requirements(draft, steps, case.draft))}


def run_baseline(home: Path, split: str = "dev") -> dict:
    from langchain_chroma import Chroma

    from assistant.index.cards import load_cards
    from assistant.index.embedders import USEEmbedder
    from assistant.index.lc import LangChainEmbeddings
    from assistant.settings import get_settings

    cards = [c for c in load_cards(get_settings().knowledge_dir) if not c.is_policy]
    store = Chroma(collection_name="baseline", embedding_function=LangChainEmbeddings(USEEmbedder()),
                   persist_directory=str(home / "baseline_chroma"))
    store.add_texts([c.index_text() for c in cards], metadatas=[{"id": c.id} for c in cards],
                    ids=[c.id for c in cards])
    store.similarity_search("热身", k=3)
    rows, lat = [], []
    for case in _cases(split):
        t = time.perf_counter()
        docs = store.similarity_search(case.text, k=3)
        draft = FIXED_REPLY
        lat.append((time.perf_counter() - t) * 1000)
        rows.append(_row(case, [d.metadata["id"] for d in docs], [], draft, []))
    return _score(rows, lat)


def run_ours(home: Path, split: str = "dev") -> dict:
    from assistant.service import AssistantService
    from assistant.settings import Settings

    svc = AssistantService(Settings(home=home))
    svc.ensure_index()
    svc.suggest("热身")
    rows, lat = [], []
    for case in _cases(split):
        t = time.perf_counter()
        r = svc.suggest(case.text, domain=case.domain)
        lat.append((time.perf_counter() - t) * 1000)
        rows.append(_row(case, [x.hit.card.id for x in r.techniques], r.analysis.flags, r.draft, r.next_steps))
    return _score(rows, lat)


def compare(split: str = "dev") -> dict:
    out = {}
    for part in ("baseline", "ours"):
        proc = subprocess.run([sys.executable, "-m", "bench.baseline", "--part", part, "--split", split],
                              capture_output=True, text=True, check=True)
        out[part] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def main(json_out: bool = False) -> int:
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "dev"
    if split not in ("dev", "test"):
        raise SystemExit(f"--split must be dev or test, not {split!r}")
    if "--part" in sys.argv:
        part = sys.argv[sys.argv.index("--part") + 1]
        home = Path(tempfile.mkdtemp(prefix=f"assistant-{part}-"))
        print(json.dumps(run_baseline(home, split) if part == "baseline" else run_ours(home, split)))
        return 0
    out = compare(split)
    if json_out:
        print(json.dumps(out, ensure_ascii=False))
    else:
        keys = list(out["ours"])
        print("| | " + " | ".join(keys) + " |\n|---|" + "---|" * len(keys))
        for name, v in out.items():
            print(f"| {name} | " + " | ".join(str(v[k]) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main("--json" in sys.argv))
