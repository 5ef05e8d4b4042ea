"""Timing a checker input that repeats one unit: a pattern that backtracks quadratically on it shows."""

from __future__ import annotations

import time

from assistant.reply.checker import check


def check_seconds(unit: str, n: int) -> float:
    """Best of two (a shared box has load spikes): check() on n characters of the unit repeated."""
    text = (unit * (n // len(unit) + 1))[:n]
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        check(text, text[:4000])
        best = min(best, time.perf_counter() - t0)
    return best


def assert_linear(unit: str, small: int, big: int, ceiling_s: float, tries: int = 3) -> None:
    """big is 4x small: about 4x the time; a quadratic pattern would take 16x.

    A quadratic pattern is slow on every try; a load spike on a shared box (seen once: 4.6 s against
    0.35 s, then 1.4 s alone) passes on the next, so the pair is timed again before failing."""
    seen = []
    for _ in range(tries):
        t_small, t_big = check_seconds(unit, small), check_seconds(unit, big)
        if t_big < ceiling_s and t_big < t_small * 10 + 1.0:
            return
        seen.append((round(t_small, 3), round(t_big, 3)))
    raise AssertionError(f"{unit!r}: {small} vs {big} characters took {seen} s (small, big) on every try")
