"""The blind audit of the reply labels: what the annotator sees, and how the readers are combined."""

from __future__ import annotations

import json

import yaml

from eval import reply_label_audit as A


def test_the_majority_is_more_than_half_of_the_readers():
    assert A.majority([{"promise"}, {"promise", "brush_off"}, {"brush_off"}]) == {"promise", "brush_off"}
    assert A.majority([{"promise"}, set(), set()]) == set()
    assert A.majority([{"loop"}, {"loop"}]) == {"loop"}


def test_agreement_scores_the_checker_against_labels_and_majority():
    key = {"C1": {"split": "test", "id": "r1", "labels": ["promise"]},
           "C2": {"split": "test", "id": "r2", "labels": []}}
    annotations = {"a": {"C1": {"promise"}, "C2": {"brush_off"}}, "b": {"C1": {"promise"}, "C2": {"brush_off"}}}
    predicted = {"C1": {"promise"}, "C2": {"brush_off"}}
    row = A.agreement(key, annotations, predicted, {"promise", "brush_off"})["test"]
    assert row["checker_vs_label"] == {"precision": 0.5, "recall": 1.0}
    assert row["checker_vs_majority"] == {"precision": 1.0, "recall": 1.0}
    assert row["majority_differs_from_label"] == 1 and row["rules_added_by_majority"] == 1


def test_the_pack_shows_no_label_split_or_id(tmp_path):
    A.pack(tmp_path, seed=1, n_dev=5, include_test=False)
    items = yaml.safe_load((tmp_path / "items.yaml").read_text(encoding="utf-8"))
    assert len(items) == 5 and all(set(i) == {"id", "domain", "customer", "reply"} for i in items)
    key = json.loads((tmp_path / ".key.json").read_text(encoding="utf-8"))
    assert {k["split"] for k in key.values()} == {"dev"}
    rules = (tmp_path / "rules.md").read_text(encoding="utf-8")
    assert "| `brush_off` |" in rules and "split" not in rules
