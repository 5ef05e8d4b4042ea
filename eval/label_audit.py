"""A blind audit of the topic labels: is a topic figure the classifier's, or the labels' ambiguity?

    python -m eval.label_audit pack  --out DIR [--seed 29] [--per-split 68] [--include-test]
    python -m eval.label_audit score --out DIR

`pack` writes DIR/items.yaml (dev cases, and with --include-test the test split's topic cases beside
them, shuffled under neutral ids, with no split, label or case id), DIR/topics.md (every card's id, title and read-back) and
DIR/conventions.md (the labelling conventions of knowledge/topics/README.md); the key is written to
DIR/.key.json: hand the annotator the three files, not the folder. An annotator who sees only the first three writes DIR/labels.yaml (`A001: topic-id`)
and may list close calls in DIR/unsure.yaml (`A001: [first, second]`).

`score` prints, per split and as aggregates only (no case, text or label is printed): the annotator
against the labels, the classifier against the labels, the classifier against the annotator, and the
classifier on the cases where annotator and label agree. Dev agreement says how well the conventions
can be followed; a gap between the annotator's and the classifier's agreement on test is the
classifier's, not the labels'. --include-test is for the lead's end-of-round audit only: the annotator
reads test texts (and changes no code); nothing of it is printed per case, and nobody tunes on it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from eval.cases import CASES_DIR, SuggestCase, load_cases

ROOT = Path(__file__).resolve().parents[1]
TOPICS_DIR = ROOT / "knowledge" / "topics"
CONVENTIONS_HEADING = "## 标注约定"


def topic_cases() -> list[SuggestCase]:
    return [c for c in load_cases(CASES_DIR) if isinstance(c, SuggestCase) and c.topic is not None]


def topic_list() -> str:
    from assistant.index.cards import load_cards

    cards = sorted((c for c in load_cards(ROOT / "knowledge") if c.is_topic), key=lambda c: c.path)
    lines = ["# Topic ids (choose exactly one per item, or `other`)", ""]
    lines += [f"- `{c.id}` ({'/'.join(c.domain)}): {c.title} — read-back: {c.matter}" for c in cards]
    lines.append("- `other`: no card's matter leads (behaviour only, or a matter no card covers)")
    return "\n".join(lines) + "\n"


def conventions() -> str:
    readme = (TOPICS_DIR / "README.md").read_text(encoding="utf-8")
    start = readme.find(CONVENTIONS_HEADING)
    if start < 0:
        raise SystemExit(f"{TOPICS_DIR / 'README.md'} has no '{CONVENTIONS_HEADING}' section")
    return readme[start:]


def pack(out: Path, seed: int, per_split: int, include_test: bool = False) -> int:
    cases = topic_cases()
    rng = random.Random(seed)
    test = [c for c in cases if c.split == "test"] if include_test else []
    dev = [c for c in cases if c.split == "dev"]
    chosen = [(c, "test") for c in test[:per_split]] + [(c, "dev") for c in rng.sample(dev, min(per_split, len(dev)))]
    rng.shuffle(chosen)
    out.mkdir(parents=True, exist_ok=True)
    items, key = [], {}
    for i, (case, split) in enumerate(chosen, 1):
        item_id = f"A{i:03d}"
        items.append({"id": item_id, "domain": case.domain, "text": case.text})
        key[item_id] = {"split": split, "gold": case.topic, "case": case.id}
    (out / "items.yaml").write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    (out / "topics.md").write_text(topic_list(), encoding="utf-8")
    (out / "conventions.md").write_text(conventions(), encoding="utf-8")
    (out / ".key.json").write_text(json.dumps(key, ensure_ascii=False), encoding="utf-8")
    sys.stdout.write(f"{len(items)} items in {out / 'items.yaml'}\n")
    return 0


def agreement(key: dict, labels: dict, unsure: dict, predicted: dict) -> dict:
    """Aggregates per split from the key, the annotator's labels and the classifier's topics (by item id)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item_id, k in key.items():
        c = counts[k["split"]]
        gold, ann, got = k["gold"], labels.get(item_id), predicted[item_id]
        c["items"] += 1
        c["annotator_vs_label"] += ann == gold
        c["classifier_vs_label"] += got == gold
        c["classifier_vs_annotator"] += got == ann
        c["unsure"] += item_id in unsure
        if ann == gold:
            c["agreed"] += 1
            c["classifier_on_agreed"] += got == gold
    out = {}
    for split, c in counts.items():
        n = c["items"]
        out[split] = {"items": n, "unsure": c["unsure"],
                      "annotator_vs_label": round(c["annotator_vs_label"] / n, 3),
                      "classifier_vs_label": round(c["classifier_vs_label"] / n, 3),
                      "classifier_vs_annotator": round(c["classifier_vs_annotator"] / n, 3),
                      "agreed_items": c["agreed"],
                      "classifier_on_agreed": round(c["classifier_on_agreed"] / max(1, c["agreed"]), 3)}
    return out


def score(out: Path) -> int:
    from assistant.service import AssistantService

    key = json.loads((out / ".key.json").read_text(encoding="utf-8"))
    labels = yaml.safe_load((out / "labels.yaml").read_text(encoding="utf-8")) or {}
    unsure_path = out / "unsure.yaml"
    unsure = (yaml.safe_load(unsure_path.read_text(encoding="utf-8")) or {}) if unsure_path.exists() else {}
    missing = sorted(set(key) - set(labels))
    if missing:
        raise SystemExit(f"labels.yaml lacks {len(missing)} items, e.g. {missing[:3]}")
    items = {i["id"]: i for i in yaml.safe_load((out / "items.yaml").read_text(encoding="utf-8"))}
    svc = AssistantService()
    svc.ensure_index()
    predicted = {}
    for item_id, item in items.items():
        topic = svc.suggest(item["text"], domain=item["domain"], use_llm=False).analysis.topic
        predicted[item_id] = topic.id if topic is not None else "other"
    sys.stdout.write(json.dumps(agreement(key, labels, unsure, predicted), ensure_ascii=False, indent=1) + "\n")
    return 0


def audit_cli(doc: str, pack_fn, score_fn, seed: int, size: tuple[str, int, str], argv: list[str] | None) -> int:
    """The pack / score command line both blind audits share; size is (flag, default, help) of how many
    non-test items to pack."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("action", choices=["pack", "score"])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument(size[0], type=int, default=size[1], help=size[2])
    ap.add_argument("--include-test", action="store_true", help="the lead's end-of-round audit: test items too")
    args = ap.parse_args(argv)
    if args.action == "pack":
        return pack_fn(args.out, args.seed, getattr(args, size[0].lstrip("-").replace("-", "_")), args.include_test)
    return score_fn(args.out)


def main(argv: list[str] | None = None) -> int:
    return audit_cli(__doc__, pack, score, 29, ("--per-split", 68, "cases per split"), argv)


if __name__ == "__main__":
    raise SystemExit(main())
