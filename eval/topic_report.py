"""Topic accuracy per case file, with the confusions: `python -m eval.topic_report [--split dev] [--errors]`.

`--realworld` adds the 58 public complaints of ../shared/realworld: their labels are ids only
(eval/realworld_topics.yaml), their texts are read at run time, and the part is skipped when the folder
is missing. It is a realism check, reported beside the dev split, not a tuning set.

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
from pathlib import Path

import yaml

from eval.cases import CASES_DIR, SuggestCase, load_cases

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld" / "real_complaints.jsonl"
REALWORLD_LABELS = Path(__file__).resolve().parent / "realworld_topics.yaml"
BLIND = Path(__file__).resolve().parent / "topic_blind.yaml"
# written blind before the 盗刷与不明交易 card existed (see its header)
BLIND_UNAUTH = Path(__file__).resolve().parent / "topic_blind_unauth.yaml"
# short counter complaints, written blind to the cards' lines (see its header)
BLIND_SHORT = Path(__file__).resolve().parent / "topic_blind_short.yaml"
# written by writers who saw no topic list at all, labelled afterwards by two annotators (see the headers):
# the first kind of written set that reproduces the test split's gap
FREE_DEV = Path(__file__).resolve().parent / "topic_free_dev.yaml"
FREE_DEV2 = Path(__file__).resolve().parent / "topic_free_dev2.yaml"
FREE_DEV3 = Path(__file__).resolve().parent / "topic_free_dev3.yaml"
FREE_HOLDOUT = Path(__file__).resolve().parent / "topic_free_holdout.yaml"
# written by one more writer after the free-written examples were added, measured once in the final state
FREE_HOLDOUT2 = Path(__file__).resolve().parent / "topic_free_holdout2.yaml"
# 60 of a later batch (session 38), measured before the rest of it was added and once in the final state
FREE_HOLDOUT3 = Path(__file__).resolve().parent / "topic_free_holdout3.yaml"


def realworld_cases(path: Path = REALWORLD, labels: Path = REALWORLD_LABELS) -> list[SuggestCase] | None:
    """The real complaints as cases, their texts read from ../shared/realworld; None when it is missing."""
    if not path.exists() or not labels.exists():
        return None
    topic_of = yaml.safe_load(labels.read_text(encoding="utf-8")) or {}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("id") in topic_of:
            out.append(SuggestCase(id=item["id"], split="dev", domain=item["domain"], topic=topic_of[item["id"]],
                                   scenario="realworld", text=item["text"], expect={}))
    return out


def blind_cases(path: Path = BLIND) -> list[SuggestCase]:
    """Customer words written by writers who saw only the topic list and the conventions (see its header)."""
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [SuggestCase(id=i["id"], split="dev", domain=i["domain"], topic=i["topic"], scenario="blind",
                        text=i["text"], expect={}) for i in items]


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
    ap.add_argument("--realworld", action="store_true", help="also the real complaints of ../shared/realworld")
    ap.add_argument("--blind", action="store_true", help="also the blind-written held-out set (aggregates only)")
    ap.add_argument("--free", action="store_true",
                    help="also the sets written without the topic list: the three dev ones with their errors, the three "
                         "held-out ones as aggregates")
    ap.add_argument("--only", default="", help="only the case files whose name contains this (dev split)")
    ap.add_argument("--file", action="append", default=[], type=Path, metavar="YAML",
                    help="also a new batch in the free sets' form (id, domain, topic, text), read as aggregates: "
                         "how a batch is measured before it is added (repeatable)")
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
        if args.only and args.only not in file_of.get(c.id, "?"):
            continue
        by_file[f"{file_of.get(c.id, '?')}:{c.split}"].append(c)
    if args.realworld:
        rw = realworld_cases()
        if rw is None:
            sys.stderr.write(f"skipped: {REALWORLD} is missing\n")
        else:
            by_file["realworld:dev"] = rw
    if args.blind:
        by_file["blind:holdout"] = blind_cases()
        by_file["blind_unauth:holdout"] = blind_cases(BLIND_UNAUTH)
        by_file["blind_short:holdout"] = blind_cases(BLIND_SHORT)
    if args.free:
        by_file["free:tune"] = blind_cases(FREE_DEV)
        by_file["free2:tune"] = blind_cases(FREE_DEV2)
        by_file["free3:tune"] = blind_cases(FREE_DEV3)
        by_file["blind_free:holdout"] = blind_cases(FREE_HOLDOUT)
        by_file["blind_free2:holdout"] = blind_cases(FREE_HOLDOUT2)
        by_file["blind_free3:holdout"] = blind_cases(FREE_HOLDOUT3)
    for path in args.file:
        by_file[f"blind_{path.stem}:batch"] = blind_cases(path)
    t = time.perf_counter()
    out = {}
    for name, group in by_file.items():
        rows = measure(svc, group)
        s = summary(rows)
        if group[0].split != "dev" or name.startswith("blind"):
            s.pop("confusions")  # aggregates only on test and on the held-out blind set
        elif args.errors:
            s["errors"] = [r for r in rows if r["got"] != r["expected"]]
        out[name] = s
    dev = [out[k] for k in out if k.endswith(":dev") and not k.startswith(("realworld", "blind"))]
    if dev:
        n = sum(s["cases"] for s in dev)
        out["_dev_overall"] = {"cases": n, "accuracy": round(sum(s["accuracy"] * s["cases"] for s in dev) / n, 3)}
    out["_seconds"] = round(time.perf_counter() - t, 1)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
