"""Calibrate policy answers on the clause cards' own 问法: `python -m eval.policy_cv [--grid] [--json]`.

No eval case is read. Two kinds of held-out material stand in for managers' new wordings:
- a question a clause answers, worded as nobody wrote it down: each 问法 line in turn is taken out of
  its card (BM25, the 问法 vectors, the card vector and the words the gates read) and asked; the right
  answer is that card, found and cited first;
- a question no clause answers but whose words the procedures know: each card in turn is left out, and
  its 问法 lines are asked of the others; the right answer is 未找到. Sibling clauses sometimes answer
  a left-out card's question as well, so this side is a lower bound on the true 未找到 rate.

With --grid every combination of the floors on a small grid is scored as 0.8 x right on held-out lines
+ 0.2 x 未找到 on left-out cards (about the share of out-of-scope questions managers ask) and the best
combinations are printed beside the current one (assistant/reply/policy.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from collections.abc import Iterator

import numpy as np

from assistant.index.cards import Card
from assistant.reply import policy as P

OOS_SHARE = 0.2
GRID = {
    "FLOOR": (0.7, 0.75, 0.8, 0.85, 0.9),
    "UNCOVERED_FLOOR": (0.95, 1.0, 1.08, 1.15, 1.25),
    "STORY_UNCOVERED_FLOOR": (0.8, 0.9, 1.0),
}


def _without_line(card: Card, line: str) -> Card:
    """The card with one 问法 line taken out (a new content hash, so no cached text is reused)."""
    kept = [ln for ln in card.section("问法").splitlines() if ln.lstrip("-•* ").strip() != line]
    sections = dict(card.sections) | {"问法": "\n".join(kept)}
    return dataclasses.replace(card, sections=sections, content_hash=f"{card.content_hash}-cv-{hash(line)}")


def held_out(answerer: P.PolicyAnswerer) -> Iterator[tuple[str, str, str, P.PolicySearch]]:
    """(kind, card id, question, search without it): "line" for a held-out 问法, "card" for a left-out card."""
    base = P.PolicySearch(answerer.retriever)
    cards, vecs = base.cards, base.card_vecs
    embed = answerer.retriever.embedder.embed
    for i, card in enumerate(cards):
        lines = P.card_questions(card)
        if len(lines) < 3:
            continue
        for line in lines:
            alt = _without_line(card, line)
            v = vecs.copy()
            v[i] = embed([alt.index_text()])[0]
            yield "line", card.id, line, P.PolicySearch(answerer.retriever, [*cards[:i], alt, *cards[i + 1:]], v)
        rest = P.PolicySearch(answerer.retriever, [*cards[:i], *cards[i + 1:]], np.delete(vecs, i, axis=0))
        for line in lines:
            yield "card", card.id, line, rest


def _outcome(answerer: P.PolicyAnswerer, kind: str, card_id: str, question: str) -> bool:
    ans = answerer.answer(question)
    if kind == "card":
        return not ans.found
    return ans.found and bool(ans.citations) and ans.citations[0]["card_id"] == card_id


def run(answerer: P.PolicyAnswerer, grid: bool) -> dict:
    names = list(GRID)
    current = tuple(getattr(P, n) for n in names)
    combos = [current, *[c for c in itertools.product(*GRID.values()) if c != current]] if grid else [current]
    scores: dict[tuple, dict[str, list[bool]]] = {c: {"line": [], "card": []} for c in combos}
    saved = answerer._search
    try:
        for kind, card_id, question, search in held_out(answerer):
            answerer._search = search
            for combo in combos:
                for n, v in zip(names, combo, strict=True):
                    setattr(P, n, v)
                scores[combo][kind].append(_outcome(answerer, kind, card_id, question))
    finally:
        for n, v in zip(names, current, strict=True):
            setattr(P, n, v)
        answerer._search = saved

    def summary(combo: tuple) -> dict:
        line, card = float(np.mean(scores[combo]["line"])), float(np.mean(scores[combo]["card"]))
        return dict(zip(names, combo, strict=True)) | {
            "held_out_lines_right": round(line, 3), "left_out_cards_not_found": round(card, 3),
            "score": round((1 - OOS_SHARE) * line + OOS_SHARE * card, 4),
            "lines": len(scores[combo]["line"]), "cards_lines": len(scores[combo]["card"])}

    ranked = sorted((summary(c) for c in combos), key=lambda r: -r["score"])
    return {"current": summary(current), "best": ranked[:8]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", action="store_true", help="score every combination of the floors on the grid")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="try another value of a constant of assistant/reply/policy.py (repeatable)")
    args = ap.parse_args(argv)
    for item in args.set:
        name, _, value = item.partition("=")
        setattr(P, name, float(value))
    from assistant.settings import get_settings
    from eval.runner import DEFAULT, _service

    answerer = _service(DEFAULT, get_settings()).ensure_index().policy  # the eval's configuration
    out = run(answerer, args.grid)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        print("current:", out["current"])
        for row in out["best"] if args.grid else []:
            print("  ", row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
