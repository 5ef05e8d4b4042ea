"""Risk flags per flag on a labelled utterance set: `python -m eval.flag_report FILE [--errors]`.

The situation cases carry few risk flags (dev holds 3 safety and 2 confidentiality labels), so the flags
have their own sets: customer words written for them, with hard negatives (保密柜, 砸核桃, 我是报社的), and
a flag holds where two of three readers (the writer and two blind readers) give it. The flags are the
analysis's rules alone, so no index is needed and a run takes about a second.

`--errors` lists the misses and false alarms of a dev set; a held-out set (`*_holdout.yaml`) is printed
as aggregates only, so that nobody tunes on it by reading it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.labels import FLAGS
from assistant.reply.analysis import analyse
from eval.metrics import precision_recall

EVAL_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class FlagCase:
    id: str
    domain: str
    text: str
    flags: frozenset[str]


def load_flag_cases(path: Path) -> list[FlagCase]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for item in raw:
        unknown = set(item["flags"]) - set(FLAGS)
        if unknown:
            raise ValueError(f"{path.name} {item['id']}: 未知风险标记 / unknown flags {sorted(unknown)}")
        out.append(FlagCase(str(item["id"]), item["domain"], item["text"], frozenset(item["flags"])))
    return out


def score(cases: list[FlagCase]) -> dict:
    """Per-flag and micro precision / recall of the analysis's flags against the labels."""
    counts = {f: [0, 0, 0] for f in FLAGS}
    errors = []
    for case in cases:
        got = frozenset(analyse(case.text, domain=case.domain).flags)
        for f in FLAGS:
            counts[f][0] += f in got and f in case.flags
            counts[f][1] += f in got and f not in case.flags
            counts[f][2] += f not in got and f in case.flags
        if got != case.flags:
            errors.append({"id": case.id, "text": case.text, "missed": sorted(case.flags - got),
                           "false_alarm": sorted(got - case.flags)})
    per = {}
    for f, (tp, fp, fn) in counts.items():
        p, r = precision_recall(tp, fp, fn)
        per[f] = {"precision": round(p, 3), "recall": round(r, 3), "tp": tp, "fp": fp, "fn": fn}
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    p, r = precision_recall(tp, fp, fn)
    exact = sum(1 for c in cases if not any(e["id"] == c.id for e in errors))
    return {"cases": len(cases), "precision": round(p, 3), "recall": round(r, 3),
            "exact": round(exact / len(cases), 3) if cases else 1.0, "per_flag": per, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--errors", action="store_true", help="list the errors (dev sets only)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    held_out = args.file.stem.endswith("_holdout")
    if args.errors and held_out:
        print("held-out set: aggregates only / 留出集只报汇总", file=sys.stderr)
        return 2
    result = score(load_flag_cases(args.file))
    if not args.errors:
        result.pop("errors")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"{args.file.name}: {result['cases']} utterances; micro precision {result['precision']} "
          f"recall {result['recall']}; all flags right {result['exact']}")
    for f, v in result["per_flag"].items():
        print(f"  {f:22s} {v['tp']:4d} {v['fp']:4d} {v['fn']:4d}   {v['precision']:.2f} {v['recall']:.2f}")
    for e in result.get("errors", []):
        print(f"- {e['id']} missed {e['missed']} false {e['false_alarm']}: {e['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
