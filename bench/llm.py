"""LLM drafting benchmark: cold load, warm first-token latency, whole-draft time, tokens/s, peak RSS.

Usage: ASSISTANT_LLM=local python -m bench.llm [--json] [-n 5]
"""

from __future__ import annotations

import json
import resource
import sys
import time

from assistant.service import AssistantService
from bench.run import COMPLAINTS


def main(json_out: bool = False, n: int = 5) -> int:
    svc = AssistantService()
    if svc.llm is None:
        print("set ASSISTANT_LLM=local|openai|ollama / 需要先配置生成模型", file=sys.stderr)
        return 2
    svc.ensure_index()
    t0 = time.perf_counter()
    cold = svc.suggest(COMPLAINTS[0])
    cold_s = time.perf_counter() - t0
    rows = []
    for text in (COMPLAINTS * 3)[1 : n + 1]:
        r = svc.suggest(text)
        # characters stand in for tokens: Qwen's tokenizer averages about one Chinese character per token
        chars = len(r.draft) if r.draft_source.startswith("llm") else 0
        gen_ms = (r.llm_ms or 0) - (r.llm_first_token_ms or 0)
        rows.append({"source": r.draft_source, "first_token_ms": r.llm_first_token_ms, "draft_ms": r.llm_ms,
                     "chars": chars, "chars_per_s": round(chars / (gen_ms / 1000), 1) if chars and gen_ms > 0 else None,
                     "reason": r.llm_reason})
    firsts = sorted(x["first_token_ms"] for x in rows if x["first_token_ms"])
    out = {
        "generator": svc.llm.generator.name,
        "cold_suggest_s": round(cold_s, 2), "cold_source": cold.draft_source,
        "warm_first_token_ms_median": firsts[len(firsts) // 2] if firsts else None,
        "warm_draft_ms_median": sorted(x["draft_ms"] for x in rows)[len(rows) // 2],
        "chars_per_s_median": sorted(x["chars_per_s"] or 0 for x in rows)[len(rows) // 2],
        "sources": [x["source"] for x in rows],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "runs": rows,
    }
    print(json.dumps(out, ensure_ascii=False, indent=None if json_out else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main("--json" in sys.argv, int(sys.argv[sys.argv.index("-n") + 1]) if "-n" in sys.argv else 5))
