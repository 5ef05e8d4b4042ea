"""Calibrate the topic classifier on the cards' own customer lines: `python -m eval.topic_cv [--json]`.

No eval case is read. Two kinds of held-out material stand in for what the classifier will meet:
- complaints about a known topic: a stratified 5-fold split of every card's 客户原话; each held-out
  line is classified by a classifier fitted on the other four folds, alone and joined two or three at a
  time with lines of its own topic (a counter complaint is usually longer than one card line);
- complaints no card covers: each card in turn is left out, and its lines (alone and joined) are
  classified by a classifier fitted on the other cards; the right answer is then `other`.

Every combination of signal weights on a small grid gets the floor that scores best; a combination's
score is 0.85 x accuracy on known topics + 0.15 x accuracy on left-out cards (about the share of
`other` among counter complaints), over the joined samples. It prints the best combinations and the
current one (assistant/reply/topics.py). Single lines are reported beside, not optimised.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from assistant.reply import topics as T
from assistant.text.tokenize import expand, tokens

FOLDS = 5
LEFT_OUT_LINES = 12  # lines of a left-out card used as `other` samples
OTHER_SHARE = 0.15
GRID = {
    "dense": (0.25, 0.5, 0.75, 1.0),
    "bm25": (0.25, 0.5, 0.75),
    "keywords": (0.0, 0.15, 0.3),
    "ridge": (0.3, 0.6, 0.9),
    "chars": (0.0, 1.0, 2.0, 3.0, 4.0),
}


def _joined(idx: list[int], rng: np.random.Generator) -> list[list[int]]:
    """Each line alone, then disjoint pairs and triples of the same lines."""
    idx = list(idx)
    rng.shuffle(idx)
    out = [[j] for j in idx]
    out += [idx[i:i + 2] for i in range(0, len(idx) - 1, 2)]
    out += [idx[i:i + 3] for i in range(0, len(idx) - 2, 3)]
    return out


def samples(cards, texts: list[str], topic_of: list[str], vectors: np.ndarray, embed, seed: int = 0) -> dict:
    """Signals of held-out lines: (signals n x S x topics, gold topic index or -1, domain mask, lines joined)."""
    cards = [c for c in cards if c.is_topic]
    ids = [c.id for c in cards]
    trow = np.array([ids.index(t) for t in topic_of])
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(texts), dtype=np.int64)
    for t in range(len(ids)):
        idx = np.flatnonzero(trow == t)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % FOLDS
    sig, gold, dom, size, length, bm_raw = [], [], [], [], [], []

    def run(clf, groups, cols, want):
        texts_ = ["".join(texts[j] for j in g) for g in groups]
        multi = [i for i, g in enumerate(groups) if len(g) > 1]
        qv = {i: vectors[g[0]] for i, g in enumerate(groups) if len(g) == 1}
        if multi:
            qv.update(zip(multi, embed([texts_[i] for i in multi]), strict=True))
        for i, g in enumerate(groups):
            s, _ = clf.signals(texts_[i], qv[i])
            full = np.full((len(T.SIGNALS), len(ids)), -np.inf)
            full[:, cols] = s
            sig.append(full)
            gold.append(want)
            dom.append(cards[trow[g[0]]].domain[0])
            size.append(len(g))
            length.append(len(texts_[i]))
            bm_raw.append(float(clf.bm25.score_array(expand(tokens(texts_[i]))).max()))

    for f in range(FOLDS):
        keep = fold != f
        clf = T.TopicClassifier(cards, [topic_of[j] for j in np.flatnonzero(keep)], vectors[keep],
                                [texts[j] for j in np.flatnonzero(keep)])
        for t in range(len(ids)):
            run(clf, _joined(list(np.flatnonzero((~keep) & (trow == t))), rng), list(range(len(ids))), t)
        print(f"fold {f + 1}/{FOLDS}", file=sys.stderr, flush=True)
    for t in range(len(ids)):
        keep = trow != t
        rest = [c for i, c in enumerate(cards) if i != t]
        clf = T.TopicClassifier(rest, [topic_of[j] for j in np.flatnonzero(keep)], vectors[keep],
                                [texts[j] for j in np.flatnonzero(keep)])
        run(clf, _joined(list(np.flatnonzero(trow == t)[:LEFT_OUT_LINES]), rng),
            [i for i in range(len(ids)) if i != t], -1)
    print("left-out cards done", file=sys.stderr, flush=True)
    mask = np.array([[d in c.domain for c in cards] for d in dom])
    return {"signals": np.stack(sig), "gold": np.array(gold), "mask": mask, "size": np.array(size),
            "length": np.array(length), "bm25_raw": np.array(bm_raw), "ids": ids}


def score(data: dict, weights, floor: float, select: np.ndarray | None = None) -> tuple[float, float, float]:
    """(accuracy on known topics, accuracy on left-out cards, the weighted score)."""
    s = np.einsum("s,nst->nt", np.asarray(weights, dtype=np.float64), np.nan_to_num(data["signals"], neginf=-1e9))
    s = np.where(data["mask"], s, -np.inf)
    top = s.argmax(1)
    pred = np.where(s.max(1) >= floor, top, -1)
    ok = pred == data["gold"]
    sel = np.ones(len(ok), dtype=bool) if select is None else select
    known, out = sel & (data["gold"] >= 0), sel & (data["gold"] < 0)
    a, b = float(ok[known].mean()), float(ok[out].mean())
    return a, b, (1 - OTHER_SHARE) * a + OTHER_SHARE * b


def best_floor(data: dict, weights, select: np.ndarray | None = None) -> tuple[float, tuple[float, float, float]]:
    s = np.einsum("s,nst->nt", np.asarray(weights, dtype=np.float64), np.nan_to_num(data["signals"], neginf=-1e9))
    tops = np.where(data["mask"], s, -np.inf).max(1)
    floors = np.unique(np.round(np.quantile(tops, np.linspace(0.01, 0.6, 119)), 3))
    return max(((f, score(data, weights, f, select)) for f in floors), key=lambda x: x[1][2])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--seeds", type=int, default=1, help="repeat with other fold splits and pool the samples")
    ap.add_argument("--cache", default="", help="an .npz file: the held-out signals are saved there, and read "
                    "from there on the next run (delete it when the cards or the signals change)")
    args = ap.parse_args(argv)
    from assistant.service import AssistantService
    from assistant.settings import get_settings

    keys = ("signals", "gold", "mask", "size", "length", "bm25_raw")
    if args.cache and Path(args.cache).exists():
        with np.load(args.cache) as z:
            data = {k: z[k] for k in keys}
    else:
        state = AssistantService(get_settings()).ensure_index()
        index = state.index
        lines = index.topic_exemplars
        runs = [samples(index.cards, [e.text for e in lines], [e.labels[0] for e in lines], index.topic_vectors,
                        state.retriever.embedder.embed, seed) for seed in range(args.seeds)]
        data = {k: np.concatenate([r[k] for r in runs]) for k in keys}
        if args.cache:
            np.savez_compressed(args.cache, **data)
    joined = data["size"] >= 2
    rows = []
    for w in itertools.product(*GRID.values()):
        floor, (a, b, v) = best_floor(data, w, joined)
        rows.append({"weights": dict(zip(T.SIGNALS, w, strict=True)), "floor": floor, "known": round(a, 4),
                     "left_out": round(b, 4), "score": round(v, 4)})
    rows.sort(key=lambda r: -r["score"])
    current = {"weights": dict(zip(T.SIGNALS, T.WEIGHTS.tolist(), strict=True)), "floor": T.MIN_SCORE}
    a, b, v = score(data, T.WEIGHTS, T.MIN_SCORE, joined)
    current |= {"known": round(a, 4), "left_out": round(b, 4), "score": round(v, 4),
                "single_lines": [round(x, 4) for x in score(data, T.WEIGHTS, T.MIN_SCORE, ~joined)]}
    out = {"seeds": args.seeds, "samples": int(len(data["gold"])), "joined": int(joined.sum()), "current": current, "best": rows[:args.top]}
    if args.json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        print(f"seeds {args.seeds}, samples {out['samples']} (joined {out['joined']}); score = {1 - OTHER_SHARE:.2f} x known + "
              f"{OTHER_SHARE:.2f} x left-out, joined samples")
        print("current", json.dumps(current, ensure_ascii=False))
        for r in rows[:args.top]:
            print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
