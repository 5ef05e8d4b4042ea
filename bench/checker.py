"""Bench line for the reply checker: milliseconds per draft, warm (budget: 5 ms a draft).

python -m bench.checker
"""

from __future__ import annotations

import sys
import time


def checker_ms(rounds: int = 3) -> dict:
    from assistant.reply.checker import card_promises, check, knowledge_figures
    from eval.metrics import percentile
    from eval.replies import knowledge_replies, load_replies

    pairs = [(i.reply, i.customer) for i in load_replies()] + [(t, "") for _, t in knowledge_replies()]
    t0 = time.perf_counter()
    knowledge_figures()
    card_promises()  # the cards' own promise wordings, also built once
    first_ms = (time.perf_counter() - t0) * 1000
    per: list[float] = []
    for _ in range(rounds):
        for reply, customer in pairs:
            t = time.perf_counter()
            check(reply, customer)
            per.append((time.perf_counter() - t) * 1000)
    return {"drafts": len(pairs), "p50_ms": round(percentile(per, 50), 3), "p95_ms": round(percentile(per, 95), 3),
            "max_ms": round(max(per), 3), "mean_ms": round(sum(per) / len(per), 3),
            "card_lookups_once_ms": round(first_ms, 1)}


def main() -> int:
    r = checker_ms()
    print(f"checker: {r['mean_ms']:.2f} ms per draft (p50 {r['p50_ms']:.2f}, p95 {r['p95_ms']:.2f}, "
          f"max {r['max_ms']:.2f}) over {r['drafts']} drafts; budget 5 ms; "
          f"card figures and promises built once in {r['card_lookups_once_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
