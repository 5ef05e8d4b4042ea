"""The timing helper behind the linear-time tests: a spike passes on the next try, slowness on every
try fails."""

import pytest

from tests.reply import linear


def _timings(monkeypatch, values):
    it = iter(values)
    monkeypatch.setattr(linear, "check_seconds", lambda unit, n: next(it))


def test_a_load_spike_on_one_try_passes_on_the_next(monkeypatch):
    _timings(monkeypatch, [0.35, 4.6, 0.35, 1.4])
    linear.assert_linear("我这就去", 10_000, 40_000, 8.0)


def test_quadratic_time_on_every_try_fails(monkeypatch):
    _timings(monkeypatch, [0.4, 6.4] * 3)
    with pytest.raises(AssertionError, match="every try"):
        linear.assert_linear("我这就去", 10_000, 40_000, 8.0)


def test_over_the_ceiling_on_every_try_fails(monkeypatch):
    _timings(monkeypatch, [1.0, 9.0] * 3)
    with pytest.raises(AssertionError):
        linear.assert_linear("我这就去", 10_000, 40_000, 8.0)
