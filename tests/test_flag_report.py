"""eval.flag_report: per-flag figures on a labelled utterance set; a held-out set gives aggregates only."""

import json
import re

import pytest

from eval import flag_report


def _write(path, items):
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return path


def test_per_flag_counts_and_errors(tmp_path, capsys):
    f = _write(tmp_path / "flags_dev.yaml", [
        {"id": "x1", "domain": "bank", "text": "我要打12378投诉你们", "flags": ["regulator_escalation"]},
        {"id": "x2", "domain": "bank", "text": "保密柜一年多少钱?", "flags": []},
        {"id": "x3", "domain": "bank", "text": "办个存折要多久?", "flags": ["safety_risk"]},
    ])
    result = flag_report.score(flag_report.load_flag_cases(f))
    assert result["per_flag"]["regulator_escalation"] == {"precision": 1.0, "recall": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert result["per_flag"]["safety_risk"]["fn"] == 1 and result["exact"] == round(2 / 3, 3)
    assert [e["id"] for e in result["errors"]] == ["x3"]
    assert flag_report.main([str(f), "--errors"]) == 0
    assert "x3 missed ['safety_risk']" in capsys.readouterr().out


def test_a_held_out_set_refuses_errors_and_unknown_flags_are_refused(tmp_path, capsys):
    held = _write(tmp_path / "flags_holdout.yaml", [{"id": "h1", "domain": "bank", "text": "你好", "flags": []}])
    assert flag_report.main([str(held), "--errors"]) == 2
    assert "留出集" in capsys.readouterr().err
    bad = _write(tmp_path / "bad.yaml", [{"id": "b1", "domain": "bank", "text": "你好", "flags": ["angry"]}])
    with pytest.raises(ValueError, match="unknown flags"):
        flag_report.load_flag_cases(bad)


@pytest.mark.parametrize("name", ["flags_dev.yaml", "flags_holdout.yaml"])
def test_the_shipped_sets_load(name):
    cases = flag_report.load_flag_cases(flag_report.EVAL_DIR / name)
    assert len(cases) == 160 and len({c.id for c in cases}) == 160


def _runs(text: str, n: int = 12) -> set[str]:
    t = re.sub(r"[\s,,。!!??、“”\"'：:;；…]", "", text)
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def test_the_held_out_set_repeats_no_dev_text():
    # 16 characters: two writers may both say "违约金,这钱你们得给我出", which is no copy
    def load(name):
        return flag_report.load_flag_cases(flag_report.EVAL_DIR / name)

    dev = set().union(*(_runs(c.text, 16) for c in load("flags_dev.yaml") + load("flags_dev2.yaml")))
    assert len(load("flags_dev2.yaml")) == 400 and len(dev) > 1000
    shared = [c.text for c in load("flags_holdout.yaml") if _runs(c.text, 16) & dev]
    assert not shared, shared[:3]
