"""Metrics as small pure functions over predictions and expectations."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def hit_at_k(ranked: Sequence[str], expected_any: Sequence[str], k: int = 3) -> float:
    return float(bool(set(ranked[:k]) & set(expected_any)))


def recall_at_k(ranked: Sequence[str], expected_any: Sequence[str], k: int = 5) -> float:
    """Share of the expected cards found in the top k, out of at most k expectable."""
    if not expected_any:
        return 1.0
    return len(set(ranked[:k]) & set(expected_any)) / min(len(expected_any), k)


def reciprocal_rank(ranked: Sequence[str], expected_any: Sequence[str]) -> float:
    for i, cid in enumerate(ranked, 1):
        if cid in expected_any:
            return 1.0 / i
    return 0.0


def flag_counts(predicted: set[str], expected: set[str], judged: set[str]) -> dict[str, tuple[int, int, int]]:
    """Per flag (tp, fp, fn), over the flags this case judges."""
    return {f: (int(f in predicted and f in expected), int(f in predicted and f not in expected),
                int(f not in predicted and f in expected)) for f in judged}


def precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r


def label_checks(analysis: dict, expect) -> list[tuple[str, bool]]:
    checks: list[tuple[str, bool]] = []
    if expect.emotion_min is not None:
        checks.append(("emotion", analysis["emotion"] >= expect.emotion_min))
    if expect.zone is not None:
        checks.append(("zone", analysis["zone"] == expect.zone))
    if expect.personality is not None:
        checks.append(("personality", analysis["personality"] == expect.personality))
    if expect.purposes_any:
        checks.append(("purposes", bool(set(analysis["purposes"]) & set(expect.purposes_any))))
    if expect.difficult_any:
        checks.append(("difficult", bool(set(analysis["difficult_types"]) & set(expect.difficult_any))))
    return checks


def draft_requirements(draft: str, next_steps: Sequence[str], req) -> list[tuple[str, bool]]:
    checks = []
    if req.must_contain_any:
        checks.append(("must_contain_any", any(w in draft for w in req.must_contain_any)))
    for w in req.must_not_contain:
        checks.append((f"must_not_contain:{w}", w not in draft))
    if req.next_step:
        checks.append(("next_step", bool(next_steps)))
    return checks


def policy_correct(answer: dict, found: bool, facts: Sequence[str]) -> bool:
    if answer["found"] != found:
        return False
    return all(f in answer["answer"] for f in facts)


def citation_correct(answer: dict, source: str, found: bool) -> bool:
    if not found:
        return not answer["citations"]
    return any(source in c["source"] for c in answer["citations"])


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def _bigrams(text: str) -> set[str]:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    return {a + b for a, b in zip(han, han[1:], strict=False)}


def technique_coverage(draft: str, technique_texts: Sequence[str], min_shared: int = 4) -> float:
    """Share of the chosen techniques whose key line or example lines share at least
    min_shared character bigrams with the draft: a rough sign the draft uses their moves."""
    if not technique_texts:
        return 0.0
    d = _bigrams(draft)
    return sum(len(d & _bigrams(t)) >= min_shared for t in technique_texts) / len(technique_texts)
