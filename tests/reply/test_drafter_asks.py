"""Explicit asks are answered in the draft (issue 15, session 34): the boss fetched by 叫来, closing the
account, the CCTV, a printed statement, a new part rather than a repair, a visit with no day named, a time
of day; and what is not asked is not answered (a relative who is not here is not offered a seat)."""

from __future__ import annotations

import pytest

from assistant.reply import drafter
from assistant.reply.rules import FLAG_RULES, find
from eval.metrics import generic_checks


@pytest.fixture(scope="module")
def svc(hash_service):
    return hash_service


def _asks(text: str, dom: str = "bank") -> list[str]:
    return drafter._ask_lines(text, dom)


def _ok(draft: str) -> bool:
    return all(ok for _, ok in generic_checks(draft))


@pytest.mark.parametrize("said", ["等了快两个钟头,去把你们主任叫来", "你们行长认识我,把他叫来跟我说",
                                  "我不跟你说,你们经理叫来"])
def test_the_boss_fetched_with_jiaolai_is_the_boss_ask(said):
    assert drafter.BOSS_COMES["bank"] in _asks(said), said


@pytest.mark.parametrize("said", ["这是经理叫来的人", "刚才那个保安呢?把他叫来", "经理叫来保安要把我赶出去",
                                  "你们客户经理办错的,把他叫来"])
def test_jiaolai_without_a_boss_asked_for_is_not(said):
    assert drafter.BOSS_COMES["bank"] not in _asks(said), said


@pytest.mark.parametrize("said", ["我不想销户,就想把钱取出来", "我要把钱全部取出来", "你们是不是想逼我销户",
                                  "销户要带什么材料", "我上个月刚销户的卡怎么还扣年费"])
def test_closing_the_account_mentioned_is_not_asked_for(said):
    assert not any("销户" in a for a in _asks(said)), said


def test_closing_the_account_is_done_and_not_followed_by_what_happened(svc):
    d = svc.suggest("行了,这卡我不要了,给我销户").draft
    assert "销户" in d and "哪项业务" not in d and "遇到了什么事" not in d, d
    assert d.count("跟我说说") == 1 and _ok(d), d


def test_cctv_printout_and_a_new_part_are_answered_without_a_promise():
    assert any("监控录像" in a and "按规定" in a for a in _asks("我存的钱对不上,把那天的录像调出来给我看"))
    assert any("打出来" in a for a in _asks("你给我拉一份流水,我自己对"))
    new = _asks("这扇入户门我不要修了,给我换个新的", "real_estate")
    assert any("换新的" in a and "保修" in a for a in new), new
    for said in ("我不要修的,要赔钱", "那个师傅不是修水管的吗", "给我换个新的师傅", "给我换一个新的销售顾问"):
        assert not any("换新的" in a for a in _asks(said, "real_estate")), said
    assert any("换房" in a for a in _asks("要给我换一套新的房子", "real_estate"))
    # a new cabinet is no new flat
    assert not any("换房" in a for a in _asks("橱柜门关不严,我要换一套新的", "real_estate"))
    assert any("换房" in a for a in _asks("这套朝北,我要换一套朝南的", "real_estate"))


def test_a_visit_with_no_day_named_is_not_promised_for_today():
    lines = _asks("老人走不动,你们能不能派个人上门")
    assert lines and "今天" not in lines[0], lines
    assert any("今天" in a for a in _asks("现在就派个人来,水都漫到客厅了", "real_estate"))


def test_a_time_of_day_asked_for_is_answered():
    assert any("准确的答复" in a for a in _asks("那我明天几点来能办?"))


def test_a_visit_the_action_offers_is_said_once(svc):
    d = svc.suggest("我爸躺在床上起不来,存折要本人来?你们能不能派人上门").draft
    assert d.count("上门") == 1, d


def test_an_ask_the_topic_action_answers_is_not_said_twice():
    assert drafter._covered("能不能派人上门,我马上跟负责人确认。", "能不能上门服务或由家属代办,我马上帮您问负责人。")
    assert not drafter._covered("您要看监控录像,我报给负责人。", "我先把这笔交易调出来核对。")
    assert drafter._covered("您要看监控录像,我报给负责人。", "把当时的销售录音录像调出来。")


def test_a_relative_who_is_not_here_is_not_offered_a_seat():
    assert drafter._absent_relative("我爸八十多了下不了楼,存折要本人来?")
    assert not drafter._absent_relative("我推着我妈来的,她腿脚不好")
    assert not drafter._absent_relative("我腿脚不好,站不了太久")
    # the speaker is frail themself, whoever came with them
    assert not drafter._absent_relative("我妈陪我来的,我腿脚不好站不住,这个业务怎么办这么久")


def test_the_customer_at_the_door_in_a_wheelchair_is_met_at_the_door(svc):
    d = svc.suggest("我坐着轮椅,你们门口那几级台阶我上不去,叫个人出来帮我办一下").draft
    assert "我这就出来帮您" in d and "老人自己的意愿" not in d and "坐下" not in d, d
    assert _ok(d), d
    for said in ("网银上不去", "手机银行登录进不去", "门禁卡进不去"):
        assert not _asks(said), said


@pytest.mark.parametrize("said", ["上次也是你这么说的,回去等电话,结果呢", "等了一个礼拜也没人给我打电话"])
def test_the_same_answer_given_before_is_a_repeat_complaint(said):
    assert "repeat_complaint" in {m.code for m in find(FLAG_RULES, said)}, said


def test_a_parcel_a_day_late_is_no_repeat():
    assert "repeat_complaint" not in {m.code for m in find(FLAG_RULES, "快递等了一天还没人来送")}


def test_fangben_is_a_cue_word_of_the_certificate(svc):
    card = next(c for c in svc.index.cards if c.id == "topic-re-certificate")
    assert "房本" in card.keywords


def test_wider_wordings_of_the_cctv_and_the_statement():
    assert any("监控录像" in a for a in _asks("我要看那台机器的监控"))
    assert any("打出来" in a for a in _asks("把那天的流水打给我看看"))
    assert not any("监控录像" in a for a in _asks("你们监控都装好几个了,还防着谁"))


@pytest.mark.parametrize("said", ["车在你们车库泡了两回,你们说怎么赔", "楼上漏水把我家柜子泡坏了,咋赔?"])
def test_how_will_you_pay_is_a_compensation_claim(said):
    assert "compensation_claim" in {m.code for m in find(FLAG_RULES, said)}, said


@pytest.mark.parametrize("said", ["卫生间顶上滴水,下午能派人过来吗", "墙上插座周围都湿了,你们今天能不能派个人来看看",
                                  "老人走不动路,能不能派个人上门", "这卡我不要了,给我销户,再把流水打给我"])
def test_two_asks_never_make_the_draft_fall_back_to_the_safe_line(svc, said):
    from assistant.service.core import SAFE_DRAFT

    dom = "real_estate" if "滴水" in said or "插座" in said else "bank"
    d = svc.suggest(said, domain=dom).draft
    assert d != SAFE_DRAFT[dom] and _ok(d), d
    assert len([a for a in _asks(said, dom) if "派人" in a]) <= 1


def test_an_account_opened_by_an_impostor_is_not_closed_as_a_leaving_customer_s():
    said = "有人冒用我的身份证在你们这开了个户,我要你们把这个户给我注销掉"
    assert not any("销户" in a for a in _asks(said)), said



def test_an_account_not_the_customer_s_is_not_closed_as_a_farewell_whatever_the_wording(svc):
    r = svc.suggest("我名下多了一张卡,根本不是我办的,你们给我销户,还要查清楚是谁办的")
    assert r.analysis.topic.id == drafter.FRAUD_TOPIC, r.analysis.topic
    assert drafter.ASKS_WHY not in r.draft, r.draft


@pytest.mark.parametrize("said", ["今天你得给我个准日子", "你别跟我说在处理,给个准话", "师傅说等配件,给我个具体时间"])
def test_a_straight_date_or_answer_demanded_is_answered(said):
    assert any("准确的答复" in a for a in _asks(said, "real_estate")), said


@pytest.mark.parametrize("said", ["我要看结构检测报告", "你给我看看合同上哪一条写了", "把收费依据拿出来给业主看看",
                                  "我要看当时的验收记录"])
@pytest.mark.parametrize("dom", ["bank", "real_estate"])
def test_a_record_or_rule_asked_to_see_is_answered_without_a_promise(said, dom):
    lines = _asks(said, dom)
    # (another customer's record may not be shown: nothing is promised "now")
    assert any("按规定" in a and "说明原因" in a and "现在就" not in a for a in lines), (said, lines)
    assert any(w in lines[0] for w in ("报告", "合同", "依据", "记录")), lines


def test_closing_said_as_a_clause_of_its_own():
    assert any("销户" in a for a in _asks("行,我不办了,把钱都转走,销户,以后不来了"))


@pytest.mark.parametrize("said", ["麻烦问下,港币能在这儿换成人民币吗", "请问老年卡要带户口本吗?", "身份证过期了还能取钱吗?"])
def test_a_calm_question_is_greeted_and_answered_not_apologised_for(svc, said):
    d = svc.suggest(said, domain="bank").draft
    assert d.startswith("您好") and "抱歉" not in d and "对不起" not in d and "不痛快" not in d, d
    assert "止付" not in d and _ok(d), d


def test_a_question_about_our_people_s_service_still_gets_the_apology(svc):
    d = svc.suggest("那个柜员冲我翻白眼,你们就这么服务的?请问这合适吗?", domain="bank").draft
    assert "抱歉" in d or "对不起" in d, d



@pytest.mark.parametrize("said", ["上次你们已经给我看过检测报告了,说没问题,结果墙又裂了", "你们物业非要看我的购房合同才给办门禁卡",
                                  "你们要查清楚交易记录,别再扣错了"])
def test_a_record_not_asked_to_see_is_not_answered_as_one(said):
    assert not any("您要看的" in a for a in _asks(said, "real_estate")), said


@pytest.mark.parametrize("said", ["请问我卡里的钱被人转走了怎么办?", "请问说好的利息怎么没给我?", "你们能不能快点",
                                  "能否请你们经理过来一下?",
                                  "客户:请问这张卡还能用吗?\n员工:这卡已经过期作废了。\n客户:那你们也没提前通知我啊"])
def test_a_complaint_put_as_a_question_is_not_answered_as_an_inquiry(svc, said):
    d = svc.suggest(said, domain="bank").draft
    assert "您问的这个" not in d and ("抱歉" in d or "对不起" in d), d
