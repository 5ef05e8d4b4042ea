"""Calibrate the topic classifier on the cards' own customer lines: `python -m eval.topic_cv [--json]`.

No eval case is read. Two kinds of held-out material stand in for what the classifier will meet:
- complaints about a known topic: a stratified 5-fold split of every card's 客户原话; each held-out
  line is classified by a classifier fitted on the other four folds, alone and joined two or three at a
  time with lines of its own topic (a counter complaint is usually longer than one card line);
- complaints no card covers: each card in turn is left out, and its lines (alone and joined) are
  classified by a classifier fitted on the other cards; the right answer is then `other`;
- the out-of-scope lines (knowledge/topics/out_of_scope.yaml, the class `other` learns from) are
  folded like a card's: held out alone and joined, the right answer is `other`;
- a held-out card line joined with a held-out behaviour line (anger, threats, 叫领导 …): the card's
  topic must still win, since the matter wins over the manner (reported, not optimised).

Every combination of signal weights and `other` bias on a small grid gets the floor that scores
best; a combination's score is 0.85 x accuracy on known topics (joined lines) +
0.15 x accuracy on `other` (left-out cards and held-out out-of-scope lines, half each; about the share
of `other` among counter complaints), over the joined samples. It prints the best combinations and the
current one (assistant/reply/topics.py). Single lines are reported beside, not optimised.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

from assistant.index.common import OUT_OF_SCOPE_SOURCE
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
BIASES = (-np.inf, -0.6, -0.4, -0.2, -0.1, 0.0, 0.1, 0.2)
# sample kinds
KNOWN, LEFT_OUT, OUT_OF_SCOPE, MIXED = 0, 1, 2, 3


def _joined(idx: list[int], rng: np.random.Generator) -> list[list[int]]:
    """Each line alone, then disjoint pairs and triples of the same lines."""
    idx = list(idx)
    rng.shuffle(idx)
    out = [[j] for j in idx]
    out += [idx[i:i + 2] for i in range(0, len(idx) - 1, 2)]
    out += [idx[i:i + 3] for i in range(0, len(idx) - 2, 3)]
    return out


def samples(cards, texts: list[str], topic_of: list[str], vectors: np.ndarray, embed, seed: int = 0,
            behaviour: np.ndarray | None = None) -> dict:
    """Signals of held-out lines: (signals n x S x (topics + other), gold topic index or -1, domain mask,
    lines joined, sample kind). topic_of[i] is a card id or `other` (an out-of-scope line); behaviour[i]
    marks the out-of-scope lines that are behaviour only."""
    cards = [c for c in cards if c.is_topic]
    ids = [c.id for c in cards]
    n = len(ids)
    oos = n  # the out-of-scope class's row in trow and its column in the signals
    trow = np.array([ids.index(t) if t != T.OTHER else oos for t in topic_of])
    behaviour = np.zeros(len(texts), dtype=bool) if behaviour is None else np.asarray(behaviour, dtype=bool)
    rng = np.random.default_rng(seed)
    fold = np.zeros(len(texts), dtype=np.int64)
    for t in range(n + 1):
        idx = np.flatnonzero(trow == t)
        rng.shuffle(idx)
        fold[idx] = np.arange(len(idx)) % FOLDS
    sig, gold, dom, size, length, bm_raw, kind = [], [], [], [], [], [], []

    def run(clf, groups, cols, want, what, domain=None):
        texts_ = ["".join(texts[j] for j in g) for g in groups]
        multi = [i for i, g in enumerate(groups) if len(g) > 1]
        qv = {i: vectors[g[0]] for i, g in enumerate(groups) if len(g) == 1}
        if multi:
            qv.update(zip(multi, embed([texts_[i] for i in multi]), strict=True))
        for i, g in enumerate(groups):
            s, _ = clf.signals(texts_[i], qv[i])
            full = np.full((len(T.SIGNALS), n + 1), -np.inf)
            full[:, cols[:s.shape[1]]] = s
            sig.append(full)
            gold.append(want)
            dom.append(domain or cards[trow[g[0]]].domain[0])
            size.append(len(g))
            length.append(len(texts_[i]))
            bm_raw.append(float(clf.bm25.score_array(expand(tokens(texts_[i]))).max()))
            kind.append(what)

    for f in range(FOLDS):
        keep = fold != f
        clf = T.TopicClassifier(cards, [topic_of[j] for j in np.flatnonzero(keep)], vectors[keep],
                                [texts[j] for j in np.flatnonzero(keep)])
        cols = list(range(n + 1))
        for t in range(n):
            held = list(np.flatnonzero((~keep) & (trow == t)))
            run(clf, _joined(held, rng), cols, t, KNOWN)
            # a card line with a behaviour line before or after it: the matter must still win
            moods = list(rng.permutation(np.flatnonzero((~keep) & behaviour)))
            if moods:
                pairs = [[j, moods[k % len(moods)]] if k % 2 else [moods[k % len(moods)], j] for k, j in enumerate(held)]
                run(clf, pairs, cols, t, MIXED, cards[t].domain[0])
        held = list(np.flatnonzero((~keep) & (trow == oos)))
        for d in ("bank", "real_estate"):  # the same lines, judged among each domain's cards
            run(clf, _joined(held, rng), cols, -1, OUT_OF_SCOPE, d)
        print(f"fold {f + 1}/{FOLDS}", file=sys.stderr, flush=True)
    for t in range(n):
        keep = trow != t
        rest = [c for i, c in enumerate(cards) if i != t]
        clf = T.TopicClassifier(rest, [topic_of[j] for j in np.flatnonzero(keep)], vectors[keep],
                                [texts[j] for j in np.flatnonzero(keep)])
        run(clf, _joined(list(np.flatnonzero(trow == t)[:LEFT_OUT_LINES]), rng),
            [i for i in range(n + 1) if i != t], -1, LEFT_OUT)
    print("left-out cards done", file=sys.stderr, flush=True)
    mask = np.array([[d in c.domain for c in cards] + [True] for d in dom])
    return {"signals": np.stack(sig), "gold": np.array(gold), "mask": mask, "size": np.array(size),
            "length": np.array(length), "bm25_raw": np.array(bm_raw), "kind": np.array(kind), "ids": ids}


def _combined(data: dict, weights, bias: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sample: the best card, its score, and the out-of-scope class's score with the bias."""
    s = np.einsum("s,nst->nt", np.asarray(weights, dtype=np.float64), np.nan_to_num(data["signals"], neginf=-1e9))
    cards = np.where(data["mask"][:, :-1], s[:, :-1], -np.inf)
    other = s[:, -1] + bias if np.isfinite(bias) else np.full(len(s), -np.inf)
    other = np.where(data["signals"][:, 0, -1] > -np.inf, other, -np.inf)  # no out-of-scope lines: no class
    return cards.argmax(1), cards.max(1), other


def _rates(ok: np.ndarray, data: dict, select: np.ndarray | None) -> tuple[float, float, float]:
    sel = np.ones(len(ok), dtype=bool) if select is None else select
    kind = data["kind"]
    known = sel & (data["gold"] >= 0)
    parts = [ok[sel & (kind == k)] for k in (LEFT_OUT, OUT_OF_SCOPE)]
    b = float(np.mean([p.mean() for p in parts if len(p)])) if any(len(p) for p in parts) else 0.0
    a = float(ok[known].mean())
    return a, b, (1 - OTHER_SHARE) * a + OTHER_SHARE * b


def score(data: dict, weights, floor: float, select: np.ndarray | None = None,
          bias: float = -np.inf) -> tuple[float, float, float]:
    """(accuracy on known topics, accuracy on `other`, the weighted score)."""
    top, best, other = _combined(data, weights, bias)
    pred = np.where((best >= floor) & (best > other), top, -1)
    return _rates(pred == data["gold"], data, select)


def best_floor(data: dict, weights, select: np.ndarray | None = None,
               bias: float = -np.inf) -> tuple[float, tuple[float, float, float]]:
    top, best, other = _combined(data, weights, bias)
    floors = np.unique(np.round(np.quantile(best, np.linspace(0.01, 0.6, 119)), 3))
    beats = best > other
    out = []
    for f in floors:
        pred = np.where((best >= f) & beats, top, -1)
        out.append((float(f), _rates(pred == data["gold"], data, select)))
    return max(out, key=lambda x: x[1][2])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--seeds", type=int, default=1, help="repeat with other fold splits and pool the samples")
    ap.add_argument("--no-other", action="store_true", help="without the out-of-scope class (bias -inf)")
    ap.add_argument("--cache", default="", help="an .npz file: the held-out signals are saved there, and read "
                    "from there on the next run (delete it when the cards or the signals change)")
    args = ap.parse_args(argv)
    from assistant.service import AssistantService
    from assistant.settings import get_settings

    keys = ("signals", "gold", "mask", "size", "length", "bm25_raw", "kind")
    if args.cache and Path(args.cache).exists():
        with np.load(args.cache) as z:
            data = {k: z[k] for k in keys}
    else:
        state = AssistantService(get_settings()).ensure_index()
        index = state.index
        lines = index.topic_exemplars
        mood = np.array([e.source == OUT_OF_SCOPE_SOURCE + "behaviour" for e in lines])
        runs = [samples(index.cards, [e.text for e in lines], [e.labels[0] for e in lines], index.topic_vectors,
                        state.retriever.embedder.embed, seed, mood) for seed in range(args.seeds)]
        data = {k: np.concatenate([r[k] for r in runs]) for k in keys}
        if args.cache:
            np.savez_compressed(args.cache, **data)
    # the samples that stand for counter complaints: joined lines. A card line with a behaviour line is
    # reported beside, not optimised: half of its words are the behaviour, where a counter complaint's
    # matter usually takes most of them, and as a target it drags every weight towards the floor's end
    joined = (data["size"] >= 2) & (data["kind"] != MIXED)
    single = (data["size"] == 1) & (data["kind"] != MIXED)
    rows = []
    for w in itertools.product(*GRID.values()):
        for bias in BIASES if not args.no_other else (-np.inf,):
            floor, (a, b, v) = best_floor(data, w, joined, bias)
            rows.append({"weights": dict(zip(T.SIGNALS, w, strict=True)), "bias": bias if np.isfinite(bias) else None,
                         "floor": floor, "known": round(a, 4), "other": round(b, 4), "score": round(v, 4)})
    rows.sort(key=lambda r: -r["score"])
    current = {"weights": dict(zip(T.SIGNALS, T.WEIGHTS.tolist(), strict=True)), "bias": T.OTHER_BIAS,
               "floor": T.MIN_SCORE}
    a, b, v = score(data, T.WEIGHTS, T.MIN_SCORE, joined, T.OTHER_BIAS)
    mixed = score(data, T.WEIGHTS, T.MIN_SCORE, data["kind"] == MIXED, T.OTHER_BIAS)[0]
    current |= {"known": round(a, 4), "other": round(b, 4), "score": round(v, 4), "with_behaviour": round(mixed, 4),
                "single_lines": [round(x, 4) for x in score(data, T.WEIGHTS, T.MIN_SCORE, single, T.OTHER_BIAS)]}
    out = {"seeds": args.seeds, "samples": int(len(data["gold"])), "joined": int(joined.sum()), "current": current, "best": rows[:args.top]}
    if args.json:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        print(f"seeds {args.seeds}, samples {out['samples']} (joined {out['joined']}); score = {1 - OTHER_SHARE:.2f} x known + "
              f"{OTHER_SHARE:.2f} x other, joined samples")
        print("current", json.dumps(current, ensure_ascii=False))
        for r in rows[:args.top]:
            print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
