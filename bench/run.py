"""Benchmark: index build time, query and suggest latency (warm, template drafter), peak RSS.

Figures are printed, never asserted: budgets live in the README and the issue notes.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant.settings import PROJECT_ROOT, get_settings

QUERIES = [
    "系统投产期间贵宾客户紧急用款上限是多少?", "接到投诉后多长时间要到现场?", "临时挂失多久失效?",
    "客户要发抖音曝光怎么办", "三明治法怎么用", "群诉代表怎么接待", "客户喝醉了在大厅闹", "投诉统计口径",
]
COMPLAINTS = [
    "你们这什么破银行!排了一个多小时队,轮到我说系统升级办不了!",
    "我的卡在ATM里被吞了,钱也没出来,我下午还要给孩子交学费",
    "上个月莫名其妙扣了我两百块手续费,你们必须退给我,还要赔偿我的损失",
    "我要打12378投诉你们,再不解决就去法院起诉",
    "业主们都说好了,交房延期三个月,开发商一句话都没有",
    "我家卫生间往楼下渗水,报修三次了都没人来",
]


def _pct(values: list[float], p: float) -> float:
    from eval.metrics import percentile

    return round(percentile(values, p), 2)


def _real_complaints() -> list[str]:
    path = PROJECT_ROOT.parent / "shared" / "realworld" / "real_complaints.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(json_out: bool = False, n: int = 200, baseline: bool = True, adversarial: bool = True) -> int:
    from assistant.service import AssistantService
    from assistant.settings import Settings

    base = get_settings()
    with tempfile.TemporaryDirectory(dir=base.resolved_home().parent if base.resolved_home().exists() else None) as tmp:
        settings = Settings(home=Path(tmp), embedder=base.embedder, embedder_path=base.embedder_path)
        svc = AssistantService(settings)
        t0 = time.perf_counter()
        report = svc.rebuild()
        build_s = time.perf_counter() - t0

        texts = COMPLAINTS + _real_complaints()
        svc.suggest(texts[0])  # warm: encoder weights and jieba dictionary
        svc.ask(QUERIES[0])
        ask_ms, suggest_ms = [], []
        for i in range(n):
            q = QUERIES[i % len(QUERIES)]
            t = time.perf_counter()
            svc.ask(q)
            ask_ms.append((time.perf_counter() - t) * 1000)
        for i in range(n):
            t = time.perf_counter()
            svc.suggest(texts[i % len(texts)])
            suggest_ms.append((time.perf_counter() - t) * 1000)
        # before the hostile inputs, so the figure stays the RSS of ordinary work
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        hostile = {}
        if adversarial:
            # max-length hostile input and 1 MB of redaction (design.md §9): no regex may be quadratic
            from bench.adversarial import measure

            hostile = measure(svc)
    out = {
        "embedder": svc.embedder.name,
        "cards": report.cards,
        "exemplars": report.exemplars,
        "index_build_s": round(build_s, 2),
        "query_p50_ms": _pct(ask_ms, 50),
        "query_p95_ms": _pct(ask_ms, 95),
        "suggest_p50_ms": _pct(suggest_ms, 50),
        "suggest_p95_ms": _pct(suggest_ms, 95),
        "suggest_mean_ms": round(statistics.mean(suggest_ms), 2),
        "n": n,
        "peak_rss_mb": round(rss_mb, 1),
        "rss_mb": round(rss_mb, 1),
        **hostile,
    }
    if baseline:
        # quality and cost on the eval test split, ours against a plain LangChain build, each in its own process
        from bench.baseline import compare

        out["vs_baseline"] = compare()
    if json_out:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        for k, v in out.items():
            print(f"{k:>16}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main("--json" in sys.argv))
