"""The labelled reply set and the card replies: the checker's precision where it matters most."""

import pytest

from assistant.reply.checker import check
from eval import metrics as M
from eval.replies import RULE_CODES, knowledge_replies, load_replies


def test_labelled_set_loads_with_known_codes_and_both_splits():
    items = load_replies()
    assert len(items) >= 260
    assert {i.split for i in items} == {"dev", "test"}
    assert all(set(i.labels) <= set(RULE_CODES) for i in items)
    assert any(not i.labels for i in items) and any(i.labels for i in items)


def test_every_model_reply_in_the_cards_passes_without_a_blocking_finding():
    replies = knowledge_replies()
    assert len(replies) > 150  # 示例话术 and 示范回复 lines, topics included when present
    noisy = [(f, t, [(x.rule, x.span) for x in check(t).findings if x.blocking]) for f, t in replies]
    noisy = [n for n in noisy if n[2]]
    assert not noisy, noisy[:5]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_good_labelled_replies_pass_clean(split):
    items = [i for i in load_replies(split) if not i.labels]
    blocked = [(i.id, [(f.rule, f.span) for f in check(i.reply, i.customer).findings if f.blocking])
               for i in items]
    blocked = [b for b in blocked if b[1]]
    assert len(blocked) <= len(items) * 0.05, blocked


def test_rule_confusion_and_pooled():
    gold = [{"loop"}, set(), {"promise", "loop"}]
    pred = [{"loop"}, {"promise"}, {"loop"}]
    conf = M.rule_confusion(gold, pred, ["loop", "promise"])
    assert conf == {"loop": (2, 0, 0), "promise": (0, 1, 1)}
    assert M.pooled(conf, ["loop", "promise"]) == (2, 1, 1)
    assert M.clean_pass_rate(gold, [False, True, True]) == 0.0
