"""A blind audit of the reply labels: is a checker figure the checker's, or the labels'?

    python -m eval.reply_label_audit pack  --out DIR [--seed 31] [--dev 80] [--include-test]
    python -m eval.reply_label_audit score --out DIR

A reply was labelled with the rules its writer had in mind; the checker may find another rule the
reply also breaks, and that counts as a false alarm. `pack` writes DIR/items.yaml (labelled replies,
shuffled under neutral ids: domain, the customer's words and the reply; no split, label, note or id)
and DIR/rules.md (the rule table of docs/checker.md, which is what the checker is built to); the key
goes to DIR/.key.json. Annotators who see only those two files each write DIR/labels_<name>.yaml
(`C001: [rule, ...]`, `[]` for a clean reply): every blocking rule the reply breaks.

`score` prints aggregates per split (no item, text or label): each annotator against the labels, and
the checker's micro precision / recall of the blocking rules against the labels and against the
majority of the labels and every annotator (a rule holds for a reply when most readers say so).
Dev agreement says how well the rule table can be followed; --include-test is for the lead's
end-of-round audit only: nothing of it is printed per item, and nobody tunes on it.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from eval.label_audit import audit_cli
from eval.metrics import precision_recall
from eval.replies import RULE_CODES, ReplyItem, load_replies

ROOT = Path(__file__).resolve().parents[1]
CHECKER_DOC = ROOT / "docs" / "checker.md"
RULES_HEADING = "## Rules"

INSTRUCTIONS = """# How to label

Each item is a reply a bank or property-company employee gave (or might give) to the customer words
shown. List **every** rule code from the table below that the reply breaks, as they are written
there (what each rule catches, and what it allows). A reply may break none (`[]`), one or several
rules. Judge each rule on its own: a reply that breaks one rule may still break another.

- Only the blocking rules count. `form` is blocking for Markdown, English words (ATM, APP, VIP … are
  allowed) and placeholders, not for length.
- Judge the reply as something staff would say to this customer now.
- Write your answer to the file you were told, one line per item: `C001: [promise, brush_off]`
  or `C002: []`. Every item needs a line.
"""


def rule_table() -> str:
    doc = CHECKER_DOC.read_text(encoding="utf-8")
    start = doc.find(RULES_HEADING)
    if start < 0:
        raise SystemExit(f"{CHECKER_DOC} has no '{RULES_HEADING}' section")
    lines = doc[start:].splitlines()
    # the heading, the blank line and the table, up to the first line after it that is not a row
    out = lines[:2]
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        out.append(line)
    return "\n".join(out) + "\n"


def pack(out: Path, seed: int, n_dev: int, include_test: bool = False) -> int:
    items = load_replies()
    rng = random.Random(seed)
    test = [i for i in items if i.split == "test"] if include_test else []
    dev = [i for i in items if i.split == "dev"]
    chosen = test + rng.sample(dev, min(n_dev, len(dev)))
    rng.shuffle(chosen)
    out.mkdir(parents=True, exist_ok=True)
    rows, key = [], {}
    for n, item in enumerate(chosen, 1):
        item_id = f"C{n:03d}"
        rows.append({"id": item_id, "domain": item.domain, "customer": item.customer, "reply": item.reply})
        key[item_id] = {"split": item.split, "id": item.id, "labels": sorted(item.labels)}
    (out / "items.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=200),
                                    encoding="utf-8")
    (out / "rules.md").write_text(INSTRUCTIONS + "\n" + rule_table(), encoding="utf-8")
    (out / ".key.json").write_text(json.dumps(key, ensure_ascii=False), encoding="utf-8")
    sys.stdout.write(f"{len(rows)} items in {out / 'items.yaml'}\n")
    return 0


def majority(votes: list[set[str]]) -> set[str]:
    """The rules more than half of the readers give."""
    counts: dict[str, int] = defaultdict(int)
    for v in votes:
        for rule in v:
            counts[rule] += 1
    return {rule for rule, c in counts.items() if 2 * c > len(votes)}


def micro(gold: list[set[str]], pred: list[set[str]], rules: set[str]) -> tuple[float, float]:
    tp = sum(len(g & p & rules) for g, p in zip(gold, pred, strict=True))
    fp = sum(len((p - g) & rules) for g, p in zip(gold, pred, strict=True))
    fn = sum(len((g - p) & rules) for g, p in zip(gold, pred, strict=True))
    return precision_recall(tp, fp, fn)


def agreement(key: dict, annotations: dict[str, dict], predicted: dict[str, set[str]], blocking: set[str]) -> dict:
    """Aggregates per split from the key, the annotators' labels and the checker's blocking rules."""
    by_split: dict[str, list[str]] = defaultdict(list)
    for item_id, k in key.items():
        by_split[k["split"]].append(item_id)
    out = {}
    for split, ids in sorted(by_split.items()):
        label = [set(key[i]["labels"]) & blocking for i in ids]
        pred = [predicted[i] & blocking for i in ids]
        row: dict = {"items": len(ids), "labelled_bad": sum(bool(g) for g in label)}
        votes = [label]
        for name, ann in sorted(annotations.items()):
            a = [set(ann[i]) & blocking for i in ids]
            votes.append(a)
            p, r = micro(label, a, blocking)
            row[f"{name}_vs_label"] = {"same_set": round(sum(x == y for x, y in zip(a, label, strict=True)) / len(ids), 3),
                                       "precision": round(p, 3), "recall": round(r, 3),
                                       "good_bad_agree": round(sum(bool(x) == bool(y) for x, y in
                                                                   zip(a, label, strict=True)) / len(ids), 3)}
        major = [majority([v[n] for v in votes]) for n in range(len(ids))]
        row["majority_differs_from_label"] = sum(m != g for m, g in zip(major, label, strict=True))
        row["rules_added_by_majority"] = sum(len(m - g) for m, g in zip(major, label, strict=True))
        row["rules_removed_by_majority"] = sum(len(g - m) for m, g in zip(major, label, strict=True))
        p, r = micro(label, pred, blocking)
        row["checker_vs_label"] = {"precision": round(p, 3), "recall": round(r, 3)}
        p, r = micro(major, pred, blocking)
        row["checker_vs_majority"] = {"precision": round(p, 3), "recall": round(r, 3)}
        reply_tp = sum(bool(m) and bool(x) for m, x in zip(major, pred, strict=True))
        reply_fp = sum(not m and bool(x) for m, x in zip(major, pred, strict=True))
        reply_fn = sum(bool(m) and not x for m, x in zip(major, pred, strict=True))
        p, r = precision_recall(reply_tp, reply_fp, reply_fn)
        row["checker_vs_majority_reply_level"] = {"precision": round(p, 3), "recall": round(r, 3)}
        out[split] = row
    return out


def load_annotations(out: Path, key: dict) -> dict[str, dict]:
    annotations = {}
    for path in sorted(out.glob("labels_*.yaml")):
        ann = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        missing = sorted(set(key) - set(ann))
        if missing:
            raise SystemExit(f"{path.name} lacks {len(missing)} items, e.g. {missing[:3]}")
        unknown = sorted({r for v in ann.values() for r in (v or []) if r not in RULE_CODES})
        if unknown:
            raise SystemExit(f"{path.name} has unknown rule codes {unknown}")
        annotations[path.stem.removeprefix("labels_")] = {k: set(v or []) for k, v in ann.items()}
    if not annotations:
        raise SystemExit(f"no labels_*.yaml in {out}")
    return annotations


def score(out: Path) -> int:
    from assistant.reply.checker import BLOCKING_RULES, check

    key = json.loads((out / ".key.json").read_text(encoding="utf-8"))
    annotations = load_annotations(out, key)
    by_id: dict[str, ReplyItem] = {i.id: i for i in load_replies()}
    predicted = {}
    for item_id, k in key.items():
        item = by_id[k["id"]]
        predicted[item_id] = {f.rule for f in check(item.reply, item.customer).findings if f.blocking}
    result = agreement(key, annotations, predicted, set(BLOCKING_RULES))
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    return audit_cli(__doc__, pack, score, 31, ("--dev", 80, "dev replies mixed in beside the test ones"), argv)


if __name__ == "__main__":
    raise SystemExit(main())
