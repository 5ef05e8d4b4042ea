"""The learned per-sentence judge (seventh pass, on by default since the eighth): loads, is deterministic, stays
off the cards' replies, speaks only where the rules are silent and a cue word of its family is present."""

from __future__ import annotations

from assistant.reply.checker import check
from assistant.reply.checker_judge import THRESHOLD, WEIGHTS, _weights, cue_mask, features, judge, sentences
from eval.replies import knowledge_replies


def test_weights_ship_with_the_knowledge() -> None:
    families, w, b = _weights()
    assert WEIGHTS.exists() and len(families) == w.shape[0] == b.shape[0] >= 10
    assert "loop" not in families and "echoed_pii" not in families  # the rules' own, exact checks


def test_features_are_stable() -> None:
    a, b = features(["让您久等了,真的很抱歉。"]), features(["让您久等了,真的很抱歉。"])
    assert (a == b).all() and abs(float((a * a).sum()) - 1.0) < 1e-5


def test_sentences_keep_offsets() -> None:
    text = "您好。我马上帮您查!查到告诉您"
    assert [text[s:e].strip() for s, e, _ in sentences(text)] == ["您好。", "我马上帮您查!", "查到告诉您"]


def test_card_replies_raise_nothing() -> None:
    assert [t for _, t in knowledge_replies() if judge(t)] == []


def test_judge_speaks_only_where_the_rules_are_silent(monkeypatch) -> None:
    text = "这事说到底还是您自己没看清楚,我们也没办法。"
    ruled = check(text, judge=False)
    if not ruled.ok:  # the rules block it: the judge adds nothing
        assert check(text).findings == ruled.findings
    monkeypatch.setenv("ASSISTANT_CHECKER_JUDGE", "0")  # switched off: the rules alone
    assert check(text).findings == ruled.findings
    assert 0.5 <= THRESHOLD < 1


def test_judge_needs_a_cue_word_of_its_family() -> None:
    families, _, _ = _weights()
    mask = cue_mask(["您的卡今天就能办好。"], families)
    assert mask[0, families.index("calm_down")] == 0 and mask[0, families.index("promise")] == 1


def test_the_templates_own_openings_pass_the_judge():
    """What the template says must pass what staff's edits are checked by: staff who change one word of a
    draft must not see its untouched opening flagged (the judge had read 很抱歉,您的心情我能理解 as an excuse)."""
    from assistant.reply.checker import check
    from assistant.reply.drafter import GENERIC_OPEN, TOPIC_OPEN, UNNAMED_OPEN

    lines = [o.format(m="您的卡在自助机上被吞的事") for group in TOPIC_OPEN.values() for o in group]
    lines += [o for table in (GENERIC_OPEN, UNNAMED_OPEN) for group in table.values() for o in group]
    for line in lines:
        result = check(line, judge=True)
        assert result.ok, (line, [(f.rule, f.span) for f in result.findings])
