"""Topic accuracy per case file, with the confusions: `python -m eval.topic_report [--split dev] [--errors]`.

A quick look at the topic classifier alone (the whole suggest pipeline runs, as in the eval). Per-case
errors are printed for the dev split only: the test split is reported as aggregates, so that nobody
tunes on it by reading it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict

import yaml

from eval.cases import CASES_DIR, SuggestCase, load_cases


def measure(svc, cases: list[SuggestCase]) -> list[dict]:
    rows = []
    for case in cases:
        topic = svc.suggest(case.text, domain=case.domain, use_llm=False).analysis.topic
        got = topic.id if topic is not None else "other"
        rows.append({"id": case.id, "split": case.split, "expected": case.topic, "got": got,
                     "runner_up": (topic.runner_up or {}).get("id") if topic is not None else None})
    return rows


def summary(rows: list[dict]) -> dict:
    judged = [r for r in rows if r["expected"] is not None]
    wrong = [r for r in judged if r["got"] != r["expected"]]
    pairs = Counter(f"{r['expected']} -> {r['got']}" for r in wrong)
    return {"cases": len(judged), "accuracy": round(1 - len(wrong) / len(judged), 3) if judged else None,
            "other_missed": sum(r["expected"] == "other" for r in wrong),
            "other_wrongly": sum(r["got"] == "other" for r in wrong),
            "confusions": dict(pairs.most_common())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    ap.add_argument("--errors", action="store_true", help="list the dev cases read wrong")
    args = ap.parse_args(argv)
    from assistant.service import AssistantService
    from assistant.settings import get_settings

    svc = AssistantService(get_settings())
    svc.ensure_index()
    by_file: dict[str, list[SuggestCase]] = defaultdict(list)
    cases = [c for c in load_cases(CASES_DIR, args.split) if isinstance(c, SuggestCase) and c.topic is not None]
    file_of = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            file_of[item["id"]] = path.stem
    for c in cases:
        by_file[f"{file_of.get(c.id, '?')}:{c.split}"].append(c)
    t = time.perf_counter()
    out = {}
    for name, group in by_file.items():
        rows = measure(svc, group)
        s = summary(rows)
        if group[0].split != "dev":
            s.pop("confusions")  # aggregates only on test
        elif args.errors:
            s["errors"] = [r for r in rows if r["got"] != r["expected"]]
        out[name] = s
    out["_seconds"] = round(time.perf_counter() - t, 1)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
