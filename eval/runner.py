"""Eval runner: `python -m assistant eval [--split dev|test|all] [--baselines] [--json] [--report PATH]`.

A thin adapter over AssistantService, like the CLI and the UI. Cheap deterministic metrics only;
an LLM judge arrives with the LLM drafting work.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from assistant.labels import FLAGS
from assistant.settings import Settings, get_settings
from eval import metrics as M
from eval.cases import CASES_DIR, PolicyCase, SuggestCase, load_cases


@dataclass(frozen=True)
class Config:
    name: str
    embedder: str
    retriever: str


DEFAULT = Config("hybrid+boost (USE)", "use", "hybrid_boost")
BASELINES = [
    Config("BM25 only", "use", "bm25"),
    Config("dense USE", "use", "dense"),
    Config("dense m3e-small", "m3e-small", "dense"),
    Config("dense MiniLM", "minilm", "dense"),
    Config("hybrid (USE)", "use", "hybrid"),
    Config("hybrid+boost m3e-small", "m3e-small", "hybrid_boost"),
    DEFAULT,
]


@dataclass
class Run:
    config: Config
    cases: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def _service(config: Config, base: Settings):
    from assistant.service import AssistantService

    home = base.resolved_home() / "eval" / config.embedder
    return AssistantService(Settings(home=home, embedder=config.embedder, retriever=config.retriever,
                                     knowledge_dir=base.knowledge_dir))


def run_config(config: Config, cases: list, base: Settings, services: dict, judge_with=None) -> Run:
    svc = services.get(config.embedder) or services.setdefault(config.embedder, _service(config, base))
    svc.ensure_index()
    run = Run(config)
    flag_tot: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    latencies = []
    for case in tqdm(cases, desc=config.name, file=sys.stderr, leave=False):
        if isinstance(case, PolicyCase):
            t = time.perf_counter()
            ans = svc.ask(case.question).as_dict()
            ask_ms = (time.perf_counter() - t) * 1000
            run.cases.append({"id": case.id, "kind": "policy", "split": case.split,
                              "fact_ok": M.policy_correct(ans, case.found, case.facts),
                              "cite_ok": M.clause_cited(ans, case.clause, case.source, case.found),
                              "first_ok": M.clause_first(ans, case.clause, case.source, case.found),
                              "found": ans["found"], "confidence": ans.get("confidence"), "ms": round(ask_ms, 2),
                              "cited": [c.get("card_id") for c in ans["citations"]], "answer": ans["answer"][:200],
                              "expected": {"found": case.found, "facts": case.facts, "source": case.source,
                                           "clause": case.clause}})
            continue
        t = time.perf_counter()
        res = svc.suggest(case.text, domain=case.domain, retriever_mode=config.retriever).as_dict()
        latencies.append((time.perf_counter() - t) * 1000)
        ranked = [x["id"] for x in res["techniques"]]
        e = case.expect
        judged = set(FLAGS) if e.flags is not None else set(e.flags_absent)
        counts = M.flag_counts(set(res["analysis"]["flags"]), set(e.flags or []), judged)
        for f, (tp, fp, fn) in counts.items():
            flag_tot[f][0] += tp
            flag_tot[f][1] += fp
            flag_tot[f][2] += fn
        labels = M.label_checks(res["analysis"], e)
        reqs = M.draft_requirements(res["draft"], res["next_steps"], case.draft)
        generic = M.generic_checks(res["draft"])
        topic = res["analysis"].get("topic")
        topic_ok = M.topic_correct(topic, case.topic)
        grade, grade_why = M.draft_grade(
            res["draft"], compliant=all(ok for _, ok in generic) and res["check"]["ok"], requirements=reqs,
            topic_ok=topic_ok, topic_known=(topic or {}).get("id", "other") != "other",
            expected_flags=e.flags, predicted_flags=res["analysis"]["flags"])
        all_ok = all(ranked[:5]) and set(e.techniques_all) <= set(ranked[:5])
        run.cases.append({
            "id": case.id, "kind": "suggest", "domain": case.domain, "split": case.split,
            "topic": (topic or {}).get("id"), "topic_expected": case.topic,
            "topic_ok": topic_ok, "grade": grade, "grade_reasons": grade_why,
            "generic_failed": [n for n, ok in generic if not ok], "draft": res["draft"],
            "hit3": M.hit_at_k(ranked, e.techniques_any, 3) if e.techniques_any else 1.0,
            "recall5": M.recall_at_k(ranked, e.techniques_any, 5),
            "rr": M.reciprocal_rank(ranked, e.techniques_any) if e.techniques_any else 1.0,
            "all_of_ok": all_ok,
            "flags": res["analysis"]["flags"], "flags_expected": e.flags,
            "flag_errors": [f for f, (tp, fp, fn) in counts.items() if fp or fn],
            "labels_failed": [n for n, ok in labels if not ok], "labels_total": len(labels),
            "check_ok": res["check"]["ok"],
            "reqs_failed": [n for n, ok in reqs if not ok], "reqs_total": len(reqs),
            "techniques": ranked, "expected_any": e.techniques_any,
            "judge": _judge(judge_with, case.text, res["draft"]),
        })
    run.summary = summarise(run.cases, flag_tot, latencies)
    splits = sorted({c.get("split") for c in run.cases if c["kind"] == "suggest"} - {None})
    if len(splits) > 1:  # dev beside test
        run.summary["by_split"] = {sp: split_summary([c for c in run.cases if c.get("split") == sp])
                                   for sp in splits}
    judged = [c["judge"] for c in run.cases if c.get("judge")]
    if judge_with is not None:
        run.summary["judge"] = {k: round(M.mean([j[k] for j in judged]), 2) for k in ("empathy", "specificity",
                                                                                      "compliance")} | {
            "judged": len(judged)}
    return run


def _judge(generator, customer: str, reply: str):
    if generator is None:
        return None
    from eval.judge import judge

    try:
        return judge(generator, customer, reply)
    except Exception:  # a judge failure leaves the deterministic metrics intact
        return None


def split_summary(cases: list[dict]) -> dict:
    """Topic accuracy, draft requirements and generic checks over one split's suggest cases."""
    sug = [c for c in cases if c["kind"] == "suggest"]
    judged = [c["topic_ok"] for c in sug if c.get("topic_ok") is not None]
    req_total = sum(c["reqs_total"] for c in sug)
    req_failed = sum(len(c["reqs_failed"]) for c in sug)
    return {"cases": len(sug),
            "topic_accuracy": round(M.mean([float(x) for x in judged]), 3) if judged else None,
            "requirement_pass_rate": round(1 - req_failed / req_total, 3) if req_total else 1.0,
            "requirement_case_rate": round(M.mean([float(not c["reqs_failed"]) for c in sug]), 3),
            "generic_pass_rate": round(M.mean([float(not c.get("generic_failed")) for c in sug]), 3),
            "checker_pass_rate": round(M.mean([float(c["check_ok"]) for c in sug]), 3),
            **grade_summary(sug)}


def grade_summary(sug: list[dict]) -> dict:
    """The supervisor's grade over one split: median, mean and the share a clerk could read out (>= 4)."""
    grades = [c["grade"] for c in sug if "grade" in c]
    if not grades:
        return {}
    return {"grade_median": round(statistics.median(grades), 2), "grade_mean": round(M.mean(grades), 2),
            "grade_4plus": round(M.mean([float(g >= 4) for g in grades]), 3)}


REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld" / "real_complaints.jsonl"


def realworld_generic(svc, path: Path = REALWORLD) -> dict | None:
    """The generic checks over drafts for the public real complaints, read at run time (never copied)."""
    if not path.exists():
        return None
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    failed = []
    for row in rows:
        r = svc.suggest(row["text"], domain=row.get("domain"))
        bad = [n for n, ok in M.generic_checks(r.draft) if not ok] + ([] if r.check.ok else ["checker"])
        if bad:
            failed.append({"id": row.get("id"), "failed": bad})
    return {"drafts": len(rows), "generic_pass_rate": round(1 - len(failed) / len(rows), 3) if rows else 1.0,
            "failed": failed}


def summarise(cases: list[dict], flag_tot: dict, latencies: list[float]) -> dict:
    sug = [c for c in cases if c["kind"] == "suggest"]
    pol = [c for c in cases if c["kind"] == "policy"]
    tp = sum(v[0] for v in flag_tot.values())
    fp = sum(v[1] for v in flag_tot.values())
    fn = sum(v[2] for v in flag_tot.values())
    p, r = M.precision_recall(tp, fp, fn)
    label_total = sum(c["labels_total"] for c in sug)
    label_failed = sum(len(c["labels_failed"]) for c in sug)
    req_total = sum(c["reqs_total"] for c in sug)
    req_failed = sum(len(c["reqs_failed"]) for c in sug)
    per_flag = {f: dict(zip(("precision", "recall"), (round(x, 3) for x in M.precision_recall(*v)), strict=True))
                | {"tp": v[0], "fp": v[1], "fn": v[2]} for f, v in sorted(flag_tot.items()) if any(v)}
    by_domain = {d: round(M.mean([c["hit3"] for c in sug if c["domain"] == d]), 3) for d in ("bank", "real_estate")}
    return {
        "cases": len(sug), "policy_cases": len(pol),
        "hit@3": round(M.mean([c["hit3"] for c in sug]), 3),
        "recall@5": round(M.mean([c["recall5"] for c in sug]), 3),
        "mrr": round(M.mean([c["rr"] for c in sug]), 3),
        "hit@3_by_domain": by_domain,
        "flag_precision": round(p, 3), "flag_recall": round(r, 3), "per_flag": per_flag,
        "label_accuracy": round(1 - label_failed / label_total, 3) if label_total else 1.0,
        "checker_pass_rate": round(M.mean([float(c["check_ok"]) for c in sug]), 3),
        "requirement_pass_rate": round(1 - req_failed / req_total, 3) if req_total else 1.0,
        "topic_accuracy": split_summary(sug)["topic_accuracy"] if sug else None,
        **grade_summary(sug),
        "generic_pass_rate": split_summary(sug)["generic_pass_rate"] if sug else None,
        "policy_fact_accuracy": round(M.mean([float(c["fact_ok"]) for c in pol]), 3) if pol else None,
        "policy_citation_accuracy": round(M.mean([float(c["cite_ok"]) for c in pol]), 3) if pol else None,
        "policy": policy_summary(pol),
        "policy_by_split": {sp: policy_summary([c for c in pol if c.get("split") == sp]) for sp in ("dev", "holdout", "test")
                            if any(c.get("split") == sp for c in pol)},
        "suggest_p50_ms": round(M.percentile(latencies, 50), 2),
        "suggest_p95_ms": round(M.percentile(latencies, 95), 2),
    }


def policy_summary(pol: list[dict]) -> dict:
    """Policy answers: facts found, right clause cited (first and any), "not found" precision and recall."""
    if not pol:
        return {}
    nf_p, nf_r = M.not_found_precision_recall([c["expected"]["found"] for c in pol], [c["found"] for c in pol])
    answerable = [c for c in pol if c["expected"]["found"]]
    return {"questions": len(pol), "out_of_scope": len(pol) - len(answerable),
            "facts_found": round(M.mean([float(c["fact_ok"]) for c in pol]), 3),
            "right_clause": round(M.mean([float(c["cite_ok"]) for c in pol]), 3),
            "right_clause_first": round(M.mean([float(c["first_ok"]) for c in pol]), 3),
            "not_found_precision": round(nf_p, 3), "not_found_recall": round(nf_r, 3),
            "high_confidence_share": round(M.mean([float(c.get("confidence") == "high") for c in answerable]), 3),
            "ask_p50_ms": round(M.percentile([c["ms"] for c in pol], 50), 2)}


POLICY_ROWS = ["questions", "out_of_scope", "facts_found", "right_clause", "right_clause_first", "not_found_precision",
               "not_found_recall", "high_confidence_share", "ask_p50_ms"]


def policy_table(summary: dict) -> list[str]:
    """Dev beside test (or the one split run) for the policy metrics."""
    splits = summary.get("policy_by_split") or {}
    if not splits:
        return []
    names = list(splits)
    lines = ["## Policy answers", "", "| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines += [f"| {k} | " + " | ".join(str(splits[n].get(k)) for n in names) + " |" for k in POLICY_ROWS]
    return [*lines, ""]


COLUMNS = ["hit@3", "recall@5", "mrr", "flag_precision", "flag_recall", "label_accuracy", "checker_pass_rate",
           "requirement_pass_rate", "grade_median", "grade_4plus", "topic_accuracy", "generic_pass_rate", "policy_fact_accuracy", "policy_citation_accuracy", "suggest_p50_ms",
           "suggest_p95_ms"]


def table(runs: list[Run]) -> str:
    head = "| config | " + " | ".join(COLUMNS) + " |"
    sep = "|" + "---|" * (len(COLUMNS) + 1)
    rows = [f"| {r.config.name} | " + " | ".join(str(r.summary.get(c)) for c in COLUMNS) + " |" for r in runs]
    return "\n".join([head, sep, *rows])


def _svg_bars(title: str, items: list[tuple[str, float]], width: int = 520) -> str:
    h = 22 * len(items) + 30
    bars = [f'<text x="0" y="16" font-size="13" font-weight="bold">{title}</text>']
    for i, (label, v) in enumerate(items):
        y = 28 + i * 22
        w = max(1, int(v * (width - 230)))
        bars.append(f'<text x="0" y="{y + 13}" font-size="12">{label}</text>'
                    f'<rect x="180" y="{y}" width="{w}" height="16" fill="#4a7bd0"/>'
                    f'<text x="{185 + w}" y="{y + 13}" font-size="12">{v:.3f}</text>')
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}">{"".join(bars)}</svg>'


def write_report(runs: list[Run], split: str, path: Path | None) -> Path:
    base = get_settings().resolved_home() / "reports"
    base.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = path or base / f"eval-{split}-{stamp}.md"
    main = runs[-1]
    failing = [c for c in main.cases if (c["kind"] == "suggest" and (not c["hit3"] or c["flag_errors"] or c["labels_failed"]
                                                                     or c["reqs_failed"] or not c["check_ok"]
                                                                     or c.get("topic_ok") is False
                                                                     or c.get("generic_failed")))
               or (c["kind"] == "policy" and not (c["fact_ok"] and c["cite_ok"]))]
    charts = [
        _svg_bars("technique hit@3 by config", [(r.config.name, r.summary["hit@3"]) for r in runs]),
        _svg_bars("flag recall per flag (default)", [(f, v["recall"]) for f, v in main.summary["per_flag"].items()]),
        _svg_bars("default pipeline", [(k, main.summary.get(k) or 0.0) for k in COLUMNS[:10]]),
    ]
    lines = [f"# Eval report — split `{split}` — {stamp}", "", table(runs), "", *policy_table(main.summary),
             "## Per flag (default)", "", "| flag | precision | recall | tp | fp | fn |", "|---|---|---|---|---|---|"]
    lines += [f"| {f} | {v['precision']} | {v['recall']} | {v['tp']} | {v['fp']} | {v['fn']} |"
              for f, v in main.summary["per_flag"].items()]
    if main.summary.get("by_split"):
        keys = ["cases", "grade_median", "grade_mean", "grade_4plus", "topic_accuracy", "requirement_case_rate",
                "requirement_pass_rate", "generic_pass_rate", "checker_pass_rate"]
        lines += ["", "## Dev beside test (default)", "", "| split | " + " | ".join(keys) + " |",
                  "|" + "---|" * (len(keys) + 1)]
        lines += [f"| {sp} | " + " | ".join(str(v.get(k)) for k in keys) + " |"
                  for sp, v in main.summary["by_split"].items()]
    rw = main.summary.get("realworld")
    if rw:
        lines += ["", f"## Real complaints (../shared/realworld, read at run time): {rw['drafts']} drafts, "
                      f"generic checks pass {rw['generic_pass_rate']}", ""]
        lines += [f"- {f['id']}: {', '.join(f['failed'])}" for f in rw["failed"]]
    lines += ["", "## Charts", "", *charts, "", f"## Failing cases ({len(failing)})", ""]
    for c in failing:
        lines.append(f"- **{c['id']}**: " + json.dumps({k: v for k, v in c.items() if k not in ("kind",)},
                                                         ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    html = path.with_suffix(".html")
    html.write_text("<meta charset='utf-8'><pre>" + table(runs).replace("<", "&lt;") + "</pre>" + "".join(charts),
                    encoding="utf-8")
    return path


def compare_drafters(cases: list, base: Settings) -> dict:
    """Template and LLM drafts for the same suggest cases, from one suggest call each."""
    from assistant.service import AssistantService

    if base.generator == "none":
        raise SystemExit("--drafter llm/both needs ASSISTANT_LLM=local|openai|ollama / 需要配置生成模型")
    svc = AssistantService(base)
    svc.ensure_index()
    rows = {"template": [], "llm": []}
    sources: dict[str, int] = defaultdict(int)
    for case in tqdm([c for c in cases if isinstance(c, SuggestCase)], desc="drafters", file=sys.stderr):
        r = svc.suggest(case.text, domain=case.domain)
        texts = [t.hit.card.key_line + "".join(t.hit.card.examples) for t in r.techniques[:3]]
        sources[r.draft_source] += 1
        for name, draft, ms in (("template", r.template_draft, r.timings_ms["draft_check"]),
                                ("llm", r.draft, r.llm_ms or 0.0)):
            from assistant.reply.checker import check

            reqs = M.draft_requirements(draft, r.next_steps, case.draft)
            rows[name].append({"check": check(draft).ok, "reqs": all(ok for _, ok in reqs),
                               "coverage": M.technique_coverage(draft, texts), "len": len(draft), "ms": ms})
    out = {}
    for name, rs in rows.items():
        out[name] = {"checker_pass_rate": round(M.mean([float(x["check"]) for x in rs]), 3),
                     "requirement_pass_rate": round(M.mean([float(x["reqs"]) for x in rs]), 3),
                     "technique_coverage": round(M.mean([x["coverage"] for x in rs]), 3),
                     "mean_chars": round(M.mean([x["len"] for x in rs]), 1),
                     "p50_ms": round(M.percentile([x["ms"] for x in rs], 50), 1),
                     "p95_ms": round(M.percentile([x["ms"] for x in rs], 95), 1)}
    out["llm"]["sources"] = dict(sources)
    return out


def main(args) -> int:
    base = get_settings()
    cases = load_cases(args.cases or CASES_DIR, args.split)
    if getattr(args, "drafter", "template") in ("llm", "both"):
        comparison = compare_drafters(cases, base)
        print(json.dumps({"split": args.split, "drafters": comparison}, ensure_ascii=False))
        return 0
    configs = BASELINES if getattr(args, "baselines", False) else [DEFAULT]
    if getattr(args, "retriever", None) or getattr(args, "embedder", None):
        configs = [Config(f"{args.retriever or DEFAULT.retriever} ({args.embedder or DEFAULT.embedder})",
                          args.embedder or DEFAULT.embedder, args.retriever or DEFAULT.retriever)]
    judge_with = None
    if getattr(args, "judge", False):
        from assistant.llm.generators import make_generator

        judge_with = make_generator(base)
        if judge_with is None:
            raise SystemExit("--judge needs ASSISTANT_LLM=local|openai|ollama / 需要配置生成模型")
    services: dict = {}
    runs = [run_config(c, cases, base, services, judge_with) for c in configs]
    if not getattr(args, "cases", None):  # the realism check rides with the default config
        svc = services.get(runs[-1].config.embedder)
        if svc is not None:
            runs[-1].summary["realworld"] = realworld_generic(svc)
    report = write_report(runs, args.split, args.report)
    if args.json:
        sys.stdout.write(json.dumps({"split": args.split, "report": str(report),
                                     "runs": {r.config.name: r.summary for r in runs}}, ensure_ascii=False) + "\n")
    else:
        print(table(runs))
        print("\n" + "\n".join(policy_table(runs[-1].summary)))
        print(f"\nreport: {report}", file=sys.stderr)
    return 0


__all__ = ["main", "run_config", "Config", "DEFAULT", "BASELINES", "SuggestCase"]
