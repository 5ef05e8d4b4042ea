"""Per-rule precision and recall of the reply checker on the labelled reply set.

python -m eval.checker_report --split test [--source model|written] [--errors]
python -m eval.checker_report --file tests/reply/probes_v5.yaml [--file eval/replies/written_v6.yaml]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from assistant.reply.checker import RULES_INFO, card_promises, check, knowledge_figures
from eval.metrics import clean_pass_rate, pooled, precision_recall, rule_confusion
from eval.replies import RULE_CODES, ReplyItem, knowledge_replies, load_file, load_replies


def predict(items: list[ReplyItem], blocking_only: bool = False) -> tuple[list[set[str]], list[set[str]], list[bool], float]:
    gold, pred, blocked = [], [], []
    knowledge_figures()  # built once, lazily: not a per-reply cost
    card_promises()
    t0 = time.perf_counter()
    for it in items:
        r = check(it.reply, it.customer, model=it.source == "model")  # as the rewriter checks model drafts
        gold.append(set(it.labels))
        pred.append({f.rule for f in r.findings if f.blocking or not blocking_only})
        blocked.append(not r.ok)
    ms = (time.perf_counter() - t0) * 1000 / max(1, len(items))
    return gold, pred, blocked, ms


def report(items: list[ReplyItem], errors: bool = False, blocking_only: bool = False) -> str:
    gold, pred, blocked, ms = predict(items, blocking_only)
    conf = rule_confusion(gold, pred, RULE_CODES)
    lines = [f"replies: {len(items)} (good {sum(1 for g in gold if not g)}, bad {sum(1 for g in gold if g)}); "
             f"checker {ms:.2f} ms/reply",
             f"{'rule':22} {'severity':8} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}"]
    for rule in RULE_CODES:
        tp, fp, fn = conf[rule]
        p, r = precision_recall(tp, fp, fn)
        lines.append(f"{rule:22} {RULES_INFO[rule].severity:8} {tp:4} {fp:4} {fn:4} {p:6.2f} {r:6.2f}")
    blocking = [r for r in RULE_CODES if RULES_INFO[r].severity == "blocking"]
    p, r = precision_recall(*pooled(conf, blocking))
    lines.append(f"{'all rules (micro)':31} {p:>20.2f} {r:6.2f}")
    # reply level: does the checker block exactly the bad replies?
    tp = sum(1 for g, b in zip(gold, blocked, strict=True) if g and b)
    fp = sum(1 for g, b in zip(gold, blocked, strict=True) if not g and b)
    fn = sum(1 for g, b in zip(gold, blocked, strict=True) if g and not b)
    p, r = precision_recall(tp, fp, fn)
    lines.append(f"reply level (blocked vs bad): precision {p:.2f} recall {r:.2f}; "
                 f"good replies passing clean {clean_pass_rate(gold, blocked):.2f}")
    if errors:
        for it, g, pr in zip(items, gold, pred, strict=True):
            if g != pr:
                lines.append(f"  {it.id} gold={sorted(g)} pred={sorted(pr)} | {it.reply[:90]}")
    return "\n".join(lines)


# probe rounds no judge may be trained on (aggregates only): G, H, J and K
HELD_OUT = frozenset({"probes_v10.yaml", "probes_v11.yaml", "probes_v15.yaml", "probes_v16.yaml"})

JUDGED = ("apology_excuse", "apology_conditional", "fault_admission", "blame_customer", "promise", "invented_fact",
          "customer_voice", "brush_off", "rhetorical_question", "media_statement")


def judge_report(train: list[ReplyItem], scored: list[ReplyItem]) -> str:
    """An experiment, not part of the checker: a character n-gram logistic regression per rule, trained
    on `train` (and the card replies as good ones), OR'd with the rules. Its threshold is the lowest of
    0.5..0.9 whose 5-fold cross-validated micro precision on `train` (rules OR judge) reaches 0.95."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer  # the st extra brings scikit-learn
    from sklearn.linear_model import LogisticRegression

    cards = [t for _, t in knowledge_replies()]
    texts = [i.reply for i in train] + cards
    gold = [set(i.labels) for i in train] + [set()] * len(cards)
    rule_pred = [{f.rule for f in check(t.reply, t.customer).findings if f.blocking} for t in train] + \
                [{f.rule for f in check(t).findings if f.blocking} for t in cards]
    thresholds = (0.5, 0.6, 0.7, 0.8, 0.9)

    def fit_predict(tr: list[int], te: list[int], docs: list[str]) -> dict[str, np.ndarray]:
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        x = vec.fit_transform([texts[i] for i in tr])
        out = {}
        for rule in JUDGED:
            y = np.array([rule in gold[i] for i in tr])
            clf = LogisticRegression(C=4, class_weight="balanced", max_iter=2000).fit(x, y)
            out[rule] = clf.predict_proba(vec.transform(docs))[:, 1]
        return out

    def micro(g: list[set], p: list[set]) -> tuple[float, float]:
        tp = sum(len(a & b) for a, b in zip(g, p, strict=True))
        fp = sum(len(b - a) for a, b in zip(g, p, strict=True))
        fn = sum(len(a - b) for a, b in zip(g, p, strict=True))
        return precision_recall(tp, fp, fn)

    rng = np.random.default_rng(0)
    order = rng.permutation(len(texts))
    folds = [order[k::5] for k in range(5)]
    cv = {t: [set() for _ in texts] for t in thresholds}
    for k in range(5):
        te = list(folds[k])
        tr = [i for j, f in enumerate(folds) if j != k for i in f]
        probs = fit_predict(tr, te, [texts[i] for i in te])
        for t in thresholds:
            for n, i in enumerate(te):
                cv[t][i] = rule_pred[i] | {r for r in JUDGED if probs[r][n] > t}
    chosen = next((t for t in thresholds if micro(gold, cv[t])[0] >= 0.95), thresholds[-1])
    lines = [f"judge threshold {chosen} (cross-validated on {len(train)} replies + {len(cards)} card replies: "
             + ", ".join(f"{t}: P {micro(gold, cv[t])[0]:.2f} R {micro(gold, cv[t])[1]:.2f}" for t in thresholds) + ")"]
    probs = fit_predict(list(range(len(texts))), [], [i.reply for i in scored])
    g = [set(i.labels) & set(JUDGED) for i in scored]
    rules_only = [{f.rule for f in check(i.reply, i.customer, model=i.source == "model").findings if f.blocking}
                  & set(JUDGED) for i in scored]
    both = [r | {x for x in JUDGED if probs[x][n] > chosen} for n, r in enumerate(rules_only)]
    for name, pred in (("rules", rules_only), ("rules OR judge", both)):
        p, r = micro(g, pred)
        lines.append(f"{name:15} on {len(scored)} scored replies ({len(JUDGED)} rules): micro precision {p:.2f} recall {r:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "test", "all"], default="test")
    ap.add_argument("--source", choices=["model", "written", "all"], default="all")
    ap.add_argument("--errors", action="store_true", help="list every reply whose rules differ from its labels")
    ap.add_argument("--file", action="append", default=[],
                    help="score the replies of this YAML file (any split, or none) instead of the set")
    ap.add_argument("--blocking-only", action="store_true",
                    help="count only blocking findings (the probes are short: no length warnings)")
    ap.add_argument("--note", default="", help="only replies whose note contains this text")
    ap.add_argument("--judge", action="store_true",
                    help="experiment: a learned judge trained on dev and the probes less the scored replies, OR'd with the rules")
    args = ap.parse_args(argv)
    if args.file:
        items = [it for f in args.file for it in load_file(Path(f))]
        args.split = "+".join(Path(f).stem for f in args.file)
    else:
        items = load_replies(None if args.split == "all" else args.split)
    if args.source != "all":
        items = [i for i in items if i.source == args.source]
    if args.note:
        items = [i for i in items if args.note in i.note]
    print(f"split {args.split}, source {args.source}")
    if args.judge:
        # rounds G and H (probes_v10, probes_v11) are held out of every judge, this experiment's too
        probes = sorted(p for p in (Path(__file__).resolve().parents[1] / "tests" / "reply").glob("probes_*.yaml")
                        if p.name not in HELD_OUT)
        held_out = {i.id for i in items}  # dev and every probe file, less the replies scored
        train = [i for i in load_replies("dev") + [i for p in probes for i in load_file(p)] if i.id not in held_out]
        print(judge_report(train, items))
        return 0
    print(report(items, args.errors, args.blocking_only))
    cards = knowledge_replies()
    noisy = [(f, t, [x.rule for x in check(t).findings if x.blocking]) for f, t in cards]
    noisy = [n for n in noisy if n[2]]
    print(f"model replies in the cards: {len(cards)}, with a blocking finding: {len(noisy)}")
    for f, t, rules in noisy[:20]:
        print(f"  {f}: {rules} {t[:60]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
