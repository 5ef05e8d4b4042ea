"""suggest and the desk's live check judge a draft against the customer's own words (issue 16)."""

from assistant.service.core import SAFE_DRAFT, customer_words

SAID = "我昨天在手机银行上买的那个理财产品怎么显示收益是负的,当时说好的稳赚不赔"


class CopyingDrafter:
    """A template drafter that parrots the customer (what a bad drafter would do)."""

    def draft(self, analysis, card_ids, red):
        return "您是说昨天在手机银行上买的那个理财产品怎么显示收益是负的,我帮您打开看看具体的净值。"


def test_suggest_checks_the_template_draft_with_the_customer_words(hash_service, monkeypatch):
    monkeypatch.setattr(hash_service, "drafter", CopyingDrafter())
    r = hash_service.suggest(SAID, use_llm=False)
    # the copy is caught only with the customer's words: the safe draft ships instead
    assert r.draft_source == "template_safe" and r.draft == SAFE_DRAFT[r.analysis.domain]
    assert r.check.ok


def test_a_good_template_draft_still_passes_clean(hash_service):
    r = hash_service.suggest(SAID, use_llm=False)
    assert r.draft_source == "template" and r.check.ok and not r.check.findings, r.check.findings


def test_the_desk_check_takes_the_customer_words(hash_service):
    draft = "您是说昨天在手机银行上买的那个理财产品怎么显示收益是负的,我帮您打开看看具体的净值。"
    assert hash_service.check(draft).ok
    found = hash_service.check(draft, customer=SAID)
    assert not found.ok and {f.rule for f in found.findings} == {"parrot"}
    # a pasted exchange: only the customer's newest words count
    convo = f"客户:{SAID}\n员工:您先别急。\n客户:那你们赶紧给我查"
    assert customer_words(convo) == "那你们赶紧给我查"
    assert hash_service.check(draft, customer=convo).ok
    # a figure the customer gave may be said back; one nobody gave may not
    assert hash_service.check("您说被扣了三十七块,我现在就把扣费明细打出来,跟您一笔一笔核对清楚。",
                              customer="这个月莫名其妙扣了我三十七块").ok
    assert not hash_service.check("您说被扣了三十七块,我现在就把扣费明细打出来,跟您一笔一笔核对清楚。",
                                  customer="这个月莫名其妙扣了我一笔钱").ok


def test_no_eval_situation_falls_back_to_the_safe_draft(hash_service):
    """Every eval situation's template draft passes the checker with the customer's words (about 3 s)."""
    import yaml

    from assistant.settings import PROJECT_ROOT

    texts = [c["text"] for p in sorted((PROJECT_ROOT / "eval" / "cases").glob("*.yaml")) if "policy" not in p.name
             for c in yaml.safe_load(p.read_text(encoding="utf-8")) or [] if c.get("text")]
    assert len(texts) > 100
    fell_back = [t[:30] for t in texts if hash_service.suggest(t, use_llm=False).draft_source == "template_safe"]
    assert not fell_back, fell_back
