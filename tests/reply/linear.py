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


def assert_linear(unit: str, small: int, big: int, ceiling_s: float) -> None:
    """big is 4x small: about 4x the time; a quadratic pattern would take 16x."""
    t_small, t_big = check_seconds(unit, small), check_seconds(unit, big)
    assert t_big < ceiling_s, (unit, t_big)
    assert t_big < t_small * 10 + 1.0, (unit, t_small, t_big)
