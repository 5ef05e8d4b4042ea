"""The eval harness: case loading, pure metrics, leakage guard, and honest floors on the test split."""

import argparse
import json
import re

import pytest

from assistant.index.cards import load_cards
from assistant.index.exemplars import load_exemplars
from eval import metrics as M
from eval.cases import _ADAPTER, SCHEMA_PATH, PolicyCase, SuggestCase, load_cases
from tests.conftest import KNOWLEDGE


def test_cases_load_and_cover_the_course():
    cases = load_cases()
    suggest = [c for c in cases if isinstance(c, SuggestCase)]
    policy = [c for c in cases if isinstance(c, PolicyCase)]
    assert len(cases) >= 90
    assert len(policy) >= 25
    real_estate = [c for c in suggest if c.domain == "real_estate"]
    # the share is judged per kind: the managers' policy questions (issue 17) are mostly about the bank plan
    assert len(real_estate) >= len(suggest) / 4
    re_docs = ("最高人民法院", "建设工程", "商品房", "消费者权益保护法")
    re_policy = [c for c in policy if any(d in c.source for d in re_docs) or "业主" in c.question or "房" in c.question]
    assert len(re_policy) >= len(policy) / 8
    # issue 17: ≥ 80 questions in managers' words, about half in test, ≥ 10 the procedures don't answer
    managers = [c for c in policy if c.id.startswith("pm-")]
    assert len(managers) >= 80 and abs(sum(c.split == "test" for c in managers) - len(managers) / 2) <= 2
    assert sum(not c.found for c in managers) >= 10
    assert all(c.clause for c in managers if c.found)
    assert {c.split for c in suggest} == {"dev", "test"} and {c.split for c in policy} == {"dev", "holdout", "test"}
    scenarios = " ".join(c.scenario for c in suggest)
    for named in ["象源丽都", "玉荣广场", "东源名都", "验房师", "找关系", "不收房", "化解老大爷的愤怒", "又来要赠品",
                  "反复投诉", "媒体曝光", "排队", "虚荣心"]:
        assert named in scenarios, named
    # every situation class of the IT plan's classification
    plan = {m.group(1) for c in suggest for m in re.finditer(r"四\(三\)(\d+)", c.scenario)}
    assert plan == {str(i) for i in range(1, 16)}, sorted(plan, key=int)


def test_schema_file_matches_the_models():
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == json.loads(
        json.dumps(_ADAPTER.json_schema(), ensure_ascii=False))


def _normalise(text: str) -> str:
    return re.sub(r"[\s,,。!!??、“”\"']", "", text)


def test_no_eval_text_leaks_into_exemplars_or_cards():
    eval_texts = [_normalise(c.text) for c in load_cases() if isinstance(c, SuggestCase)]
    eval_texts += [_normalise(c.question) for c in load_cases() if isinstance(c, PolicyCase)]
    known = [_normalise(e.text) for e in load_exemplars(KNOWLEDGE / "exemplars")]
    known += [_normalise(line) for card in load_cards(KNOWLEDGE) for line in card.examples]
    # a course item's 问法 are outside index_text (customer-side retrieval does not read them): checked too
    corpus = "\n".join(_normalise(card.index_text() + "\n" + card.section("问法")) for card in load_cards(KNOWLEDGE))
    for text in eval_texts:
        assert text not in known
        # no 20-character run of an eval text appears in the knowledge base
        for i in range(0, max(1, len(text) - 20)):
            assert text[i:i + 20] not in corpus or len(text) < 20, text


def test_metrics_are_pure_and_exact():
    assert M.hit_at_k(["a", "b", "c", "d"], ["d"], 3) == 0.0
    assert M.hit_at_k(["a", "b", "c", "d"], ["c"], 3) == 1.0
    assert M.recall_at_k(["a", "b"], ["a", "x", "y"], 5) == pytest.approx(1 / 3)
    assert M.reciprocal_rank(["a", "b", "c"], ["c"]) == pytest.approx(1 / 3)
    assert M.precision_recall(3, 1, 2) == (0.75, 0.6)
    assert M.flag_counts({"a", "b"}, {"a", "c"}, {"a", "b", "c"}) == {"a": (1, 0, 0), "b": (0, 1, 0), "c": (0, 0, 1)}
    assert M.percentile([5, 1, 3, 2, 4], 50) == 3
    assert M.policy_correct({"found": True, "answer": "上限10,000元", "citations": []}, True, ["10,000"])
    assert not M.citation_correct({"found": False, "answer": "", "citations": [{"source": "x"}]}, "", False)


# Floors a little below the figures measured on the test split with the default pipeline (USE,
# hybrid + label boost, template drafter) after the topic, checker and policy work, on the larger case
# set (68 situations, 87 policy questions): hit@3 0.544, flag recall 0.611 at precision 0.815, label
# accuracy 0.576, topic accuracy 0.676, checker 1.0, generic checks 1.0, requirements 0.923. After the
# second policy pass (issue 17, commit 6d8801e): policy facts 0.805, right clause 0.828, "未找到"
# precision 0.529 and recall 0.90 (10 out-of-scope questions), hit@3 0.529, requirements 0.912. After
# round 2 (issue 17, coverage score, figure-first, graded 未找到): policy facts 0.851, right clause
# 0.874, "未找到" precision 0.80 and recall 0.80; hit@3 0.544, flag recall 0.667 at precision 0.828.
# Final state of issue 15 (2026-12-06, ridge topic signal, 30 customer lines a card, drafts that answer
# the newest asks and say each thing once): topic accuracy 0.691, requirements 0.923, the supervisor's
# grade median 4.0 / mean 4.02 / share >= 4 0.691, flag recall 0.667 at precision 0.828, hit@3 0.544.
# Round 3 of issue 17 (the asking part, the figure's topic, charges, who): policy facts 0.862, right
# clause 0.885, "未找到" precision 0.80 and recall 0.80; hit@3 0.529, flag recall 0.667 at 0.828.
# Topic generalisation pass (character signal, weights from eval/topic_cv.py): topic accuracy 0.706,
# requirements 0.931, grade 4.0 / 4.08 / 0.691 (one run of --split all).
# Merged state of that session (all four branches, then the grade's caps for a draft about another
# matter (2) or a generic one (3), set after reading 20 test drafts by hand): topic accuracy 0.735,
# requirements 0.931, grade 4.0 / 3.96 / 0.632, hit@3 0.544, policy facts 0.862, right clause 0.885.
# They catch regressions; they are not the goals (docs/evaluation.md). Policy round 11 (unanswered near
# misses, more 问法, BM25 per 问法): policy facts 0.908, right clause 0.920, "未找到" 0.80 / 0.80.
FLOORS = {
    "hit@3": 0.50, "flag_recall": 0.60, "flag_precision": 0.78, "label_accuracy": 0.52,
    "topic_accuracy": 0.68, "checker_pass_rate": 1.0, "generic_pass_rate": 1.0, "requirement_pass_rate": 0.88,
    "policy_fact_accuracy": 0.88, "policy_citation_accuracy": 0.89, "grade_mean": 3.75, "grade_4plus": 0.58,
}
POLICY_FLOORS = {"facts_found": 0.88, "right_clause": 0.89, "not_found_precision": 0.70, "not_found_recall": 0.75}


@pytest.mark.slow
def test_test_split_meets_floors(capsys):
    from eval.runner import main

    args = argparse.Namespace(cases=None, split="test", report=None, json=True, baselines=False)
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    summary = out["runs"]["hybrid+boost (USE)"]
    for key, floor in FLOORS.items():
        assert summary[key] >= floor, (key, summary[key], floor)
    policy = summary["policy_by_split"]["test"]
    for key, floor in POLICY_FLOORS.items():
        assert policy[key] >= floor, (key, policy[key], floor)


def test_judge_parses_scores_from_a_queued_fake():
    from assistant.llm.generators import LangChainGenerator, QueuedFakeChatModel
    from eval.judge import judge, parse_scores

    fake = QueuedFakeChatModel(responses=['好的:{"empathy": 4, "specificity": 3, "compliance": 5, "reason": "ok"}'],
                               calls=[])
    assert judge(LangChainGenerator(fake, "fake"), "排队太久", "让您久等了") == {
        "empathy": 4, "specificity": 3, "compliance": 5}
    assert "排队太久" in fake.calls[0][0].content and "让您久等了" in fake.calls[0][0].content
    assert parse_scores('{"empathy": 9, "specificity": 3, "compliance": 5}') is None
    assert parse_scores("no json") is None


def test_runner_with_a_chosen_retriever_and_embedder(capsys, tmp_path, monkeypatch):
    from assistant.settings import get_settings
    from eval.runner import main

    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path))
    get_settings.cache_clear()
    try:
        args = argparse.Namespace(cases=None, split="dev", report=tmp_path / "r.md", json=True, baselines=False,
                                  retriever="bm25", embedder="use", judge=False, drafter="template")
        assert main(args) == 0
    finally:
        get_settings.cache_clear()
    out = json.loads(capsys.readouterr().out)
    assert list(out["runs"]) == ["bm25 (use)"]
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# Eval report")
    assert (tmp_path / "r.html").exists()


def test_draft_grade_reads_like_a_supervisor():
    from eval.metrics import draft_grade, said_twice

    ok_reqs = [("must_mention:卡", True), ("next_step", True)]
    good = "您的卡被机器吞了,换谁都着急。我现在登记,按流程取卡,核对您本人身份后交还给您。处理进度我4小时内给您回复,您看行吗?"
    assert draft_grade(good, compliant=True, requirements=ok_reqs, topic_ok=True, topic_known=True,
                       expected_flags=[], predicted_flags=[]) == (5.0, [])
    # can't be read out: capped at 1 whatever else is right
    assert draft_grade(good, compliant=False, requirements=ok_reqs, topic_ok=True, topic_known=True,
                       expected_flags=[], predicted_flags=[])[0] == 1.0
    assert draft_grade(good, compliant=True, requirements=[("must_not_contain:保证", False)], topic_ok=True,
                       topic_known=True, expected_flags=[], predicted_flags=[])[0] == 1.0
    # about another matter, the ask unanswered, a risk not handled
    grade, why = draft_grade(good, compliant=True, requirements=[("must_mention:代领/委托", False)], topic_ok=False,
                             topic_known=True, expected_flags=["compensation_claim"], predicted_flags=[])
    assert grade == 2.0 and len(why) == 3
    # a draft about another matter is capped at 2 and a generic one at 3, however right the rest is
    assert draft_grade(good, compliant=True, requirements=ok_reqs, topic_ok=False, topic_known=True,
                       expected_flags=None, predicted_flags=[])[0] == 2.0
    assert draft_grade(good, compliant=True, requirements=ok_reqs, topic_ok=False, topic_known=False,
                       expected_flags=None, predicted_flags=[])[0] == 3.0
    grade, why = draft_grade(good, compliant=True, requirements=[("must_mention:代领/委托", False)], topic_ok=False,
                             topic_known=False, expected_flags=None, predicted_flags=[])
    assert grade == 3.0 and len(why) == 2  # the deductions still name what is missing
    twice = "我陪您到自助机上办。您好,排队的事我记下了。简单业务我现在就陪您到自助设备上办,您看行吗?"
    assert said_twice(twice) == "陪您到自助"
    assert draft_grade(twice, compliant=True, requirements=ok_reqs, topic_ok=True, topic_known=True,
                       expected_flags=[], predicted_flags=[])[0] == 4.0
    assert said_twice(good) == ""


def test_label_audit_agreement_counts_per_split():
    from eval.label_audit import agreement

    key = {"A1": {"split": "test", "gold": "t-a"}, "A2": {"split": "test", "gold": "t-b"},
           "A3": {"split": "dev", "gold": "other"}}
    labels = {"A1": "t-a", "A2": "t-c", "A3": "other"}
    predicted = {"A1": "t-b", "A2": "t-c", "A3": "other"}
    got = agreement(key, labels, {"A2": ["t-c", "t-b"]}, predicted)
    assert got["test"] == {"items": 2, "unsure": 1, "annotator_vs_label": 0.5, "classifier_vs_label": 0.0,
                           "classifier_vs_annotator": 0.5, "agreed_items": 1, "classifier_on_agreed": 0.0}
    assert got["dev"]["classifier_on_agreed"] == 1.0


def test_label_audit_pack_hides_split_and_label(tmp_path):
    import yaml

    from eval.label_audit import pack

    pack(tmp_path, seed=1, per_split=5)  # dev only: a test run never copies test texts anywhere
    items = yaml.safe_load((tmp_path / "items.yaml").read_text(encoding="utf-8"))
    assert len(items) == 5 and all(set(i) == {"id", "domain", "text"} for i in items)
    key = json.loads((tmp_path / ".key.json").read_text(encoding="utf-8"))
    assert {k["split"] for k in key.values()} == {"dev"}
    assert "other" in (tmp_path / "topics.md").read_text(encoding="utf-8")
