"""A bounded load run against a real server process on 127.0.0.1 (smaller than bench.load's 200/100)."""

import pytest

pytestmark = pytest.mark.slow


def test_concurrent_staff_no_errors_and_audit_counts_exact():
    from bench.load import main

    r = main(users=20, n_suggest=60, n_ask=30, json_out=True)
    assert r["errors"] == 0, r["error_samples"]
    assert r["audit_suggest_rows"] == 60 and r["audit_ask_rows"] == 30
