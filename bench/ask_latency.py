"""`ask` latency, warm: p50/p95 wall time, and how much of it is the sentence encoder.

    python -m bench.ask_latency [--n 200] [--json]

Budget (design.md section 9): `ask` p50 ≤ 20 ms on 2 cores. Wall time on a busy machine
overstates it, so the process CPU time per question and the load average are printed beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.run import QUERIES

MANAGER_QUESTIONS = [
    "停业期间客户急用钱,网点最多能先给贵宾客户支付多少?", "口头挂失办完多久不补手续就失效?", "记者来网点采访,员工能接受吗?",
    "业主家卫生间漏水,保修期是几年?", "3F法", "首问负责", "员工年假有几天?", "客户要求赔偿,网点能当场答应吗?",
]


def _pct(values: list[float], p: float) -> float:
    from eval.metrics import percentile

    return round(percentile(values, p), 2)


def main(n: int = 200, json_out: bool = False) -> int:
    from assistant.service import AssistantService
    from assistant.settings import get_settings

    svc = AssistantService(get_settings())
    state = svc.ensure_index()
    questions = QUERIES + MANAGER_QUESTIONS
    for q in questions:  # warm: encoder, jieba, the clause questions' vectors
        svc.ask(q)
    wall, cpu, embed = [], [], []
    for i in range(n):
        q = questions[i % len(questions)]
        t, c = time.perf_counter(), time.process_time()
        svc.ask(q)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        t = time.perf_counter()
        state.retriever.embed_query(q)
        embed.append((time.perf_counter() - t) * 1000)
    out = {"n": n, "ask_p50_ms": _pct(wall, 50), "ask_p95_ms": _pct(wall, 95), "ask_cpu_p50_ms": _pct(cpu, 50),
           "embed_p50_ms": _pct(embed, 50), "load_average_1m": round(os.getloadavg()[0], 2),
           "cores": os.cpu_count(), "embedder": svc.embedder.name}
    print(json.dumps(out, ensure_ascii=False) if json_out else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    raise SystemExit(main(a.n, a.json))
