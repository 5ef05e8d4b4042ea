"""Template draft beside the LLM rewrite on the eval suggest cases, in one table.

ASSISTANT_LLM=local python -m eval.llm_compare --split test --out runs.jsonl
Per case it records the template draft, every model output (first try and repair), what shipped
and the checker's findings; --table re-reads a records file and prints the table without a model.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from itertools import zip_longest
from pathlib import Path

import yaml

from eval import metrics as M
from eval.cases import CASES_DIR, SuggestCase, load_cases


def prepare(split: str, out: Path, texts: Path | None = None, sample: int | None = None, seed: int = 7) -> None:
    """Phase 1, no model: the service's template draft, situation line and newest words per case.
    With texts (a YAML list in the free sets' form: id, domain, text), those customer words instead of
    the eval cases, a random sample of them when sample is set: fresh model replies for a checker probe."""
    from assistant.llm.rewriter import situation_line
    from assistant.service import AssistantService
    from assistant.settings import get_settings
    from assistant.text.turns import newest_words

    svc = AssistantService(get_settings().model_copy(update={"generator": "none"}))
    svc.ensure_index()
    if texts is not None:
        items = yaml.safe_load(texts.read_text(encoding="utf-8")) or []
        if sample:
            items = random.Random(seed).sample(items, min(sample, len(items)))
        cases = [SuggestCase(id=i["id"], split=split, domain=i["domain"], topic=i.get("topic"), scenario="free",
                             text=i["text"], expect={}) for i in items]
    else:
        cases = [c for c in load_cases(CASES_DIR, split) if isinstance(c, SuggestCase)]
    # bank and real estate alternate, so a run cut short still covers both
    by = {d: [c for c in cases if c.domain == d] for d in ("bank", "real_estate")}
    cases = [c for pair in zip_longest(by["bank"], by["real_estate"]) for c in pair if c is not None]
    with out.open("w", encoding="utf-8") as fh:
        for case in cases:
            r = svc.suggest(case.text, domain=case.domain, use_llm=False)
            said = newest_words(r.redacted_text) or r.analysis.customer_text or r.redacted_text
            fh.write(json.dumps({"case": case.id, "split": case.split, "domain": case.domain, "customer": said,
                                 "template": r.template_draft, "template_source": r.draft_source,
                                 "analysis": {k: getattr(r.analysis, k) for k in _FIELDS},
                                 "situation": situation_line(r.analysis), "next_steps": r.next_steps},
                                ensure_ascii=False) + "\n")


def run(inputs: Path, out: Path, limit: int | None = None) -> None:
    """Phase 2, in its own process: the guarded rewriter (LLMDrafter.draft, as the service calls it)."""
    from types import SimpleNamespace

    from assistant.llm.generators import make_generator
    from assistant.llm.rewriter import LLMDrafter
    from assistant.settings import get_settings

    settings = get_settings()
    gen = make_generator(settings)
    if gen is None:
        raise SystemExit("needs ASSISTANT_LLM=local|openai|ollama / 需要配置生成模型")
    drafter = LLMDrafter(gen, settings.llm_timeout_s)
    done = {json.loads(x)["case"] for x in out.read_text().splitlines() if x.strip()} if out.exists() else set()
    rows = [json.loads(x) for x in inputs.read_text(encoding="utf-8").splitlines() if x.strip()][:limit]
    for row in rows:
        if row["case"] in done:
            continue
        analysis = SimpleNamespace(**row["analysis"])  # what situation_line reads
        t0 = time.perf_counter()
        d = drafter.draft(analysis, [], row["next_steps"], row["customer"], fallback=row["template"])
        rec = {**row, "shipped": d.text, "source": d.source, "reason": d.reason, "attempts": d.attempts,
               "llm_ms": d.llm_ms, "first_token_ms": d.first_token_ms, "s": round(time.perf_counter() - t0, 1)}
        with out.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        print(row["case"], d.source, rec["s"], d.text[:50], file=sys.stderr, flush=True)


_FIELDS = ("emotion", "purposes", "personality", "difficult_types", "zone", "flags", "domain")


def table(records: list[dict], split: str) -> str:
    from assistant.llm.rewriter import LLMDrafter
    from assistant.reply.checker import check

    cases = {c.id: c for c in load_cases(CASES_DIR, split) if isinstance(c, SuggestCase)}
    rows = {"template": Counter(), "llm mode (shipped)": Counter()}
    for rec in records:
        case = cases.get(rec["case"])
        if case is None:
            continue
        for name, draft in (("template", rec["template"]), ("llm mode (shipped)", rec["shipped"])):
            res = LLMDrafter.judge(draft, rec["customer"], rec["template"]) if name != "template" \
                else check(draft, rec["customer"])
            row = rows[name]
            row["cases"] += 1
            row["model drafts shipped"] += int(name != "template" and rec["source"] in ("llm", "llm_repaired"))
            row["blocking findings"] += len(res.blocking)
            row["warnings"] += len(res.findings) - len(res.blocking)
            row["drafts with a blocking finding"] += int(not res.ok)
            row["draft requirements pass"] += int(all(ok for _, ok in M.draft_requirements(draft, rec["next_steps"],
                                                                                          case.draft)))
    src = Counter(r["source"] for r in records)
    keys = ["cases", "model drafts shipped", "drafts with a blocking finding", "blocking findings", "warnings",
            "draft requirements pass"]
    lines = ["| | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for name, row in rows.items():
        lines.append(f"| {name} | " + " | ".join(str(row[k]) for k in keys) + " |")
    lines.append("")
    lines.append("sources: " + ", ".join(f"{k} {v}" for k, v in sorted(src.items())))
    first_ok = sum(1 for r in records if r["source"] == "llm")
    lines.append(f"model first tries passing: {first_ok}/{len(records)}; repaired: {src['llm_repaired']}; "
                 f"template fall-backs: {src['template'] + src['template_safe']}")
    ms = [r["llm_ms"] for r in records if r.get("llm_ms")]
    if ms:
        lines.append(f"model time per case p50 {M.percentile(ms, 50) / 1000:.1f} s, p95 {M.percentile(ms, 95) / 1000:.1f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "test"], default="test")
    ap.add_argument("--out", type=Path, required=True, help="records file (JSONL); resumed when it exists")
    ap.add_argument("--inputs", type=Path, help="phase-1 file (template drafts); written by --prepare")
    ap.add_argument("--prepare", action="store_true", help="only write --inputs (no model)")
    ap.add_argument("--texts", type=Path, metavar="YAML",
                    help="with --prepare: customer words from this file (id, domain, text) instead of the eval cases")
    ap.add_argument("--sample", type=int, help="with --texts: a random sample of this many (seed 7)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--table", action="store_true", help="only print the table from --out")
    args = ap.parse_args(argv)
    if args.prepare:
        prepare(args.split, args.inputs, args.texts, args.sample)
        return 0
    if not args.table:
        run(args.inputs, args.out, args.limit)
    records = [json.loads(x) for x in args.out.read_text(encoding="utf-8").splitlines() if x.strip()]
    print(table(records, args.split))
    return 0


if __name__ == "__main__":
    sys.exit(main())
