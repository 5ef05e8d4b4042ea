"""Drafter v2 on the topic, flags, difficult-type cards, register codes and the generic checks (issue 15)."""

from __future__ import annotations

import json
import re

import pytest

from eval.metrics import generic_checks, longest_shared_run, must_mention

_SENT = re.compile(r"[。!?!?]")


def _generic_ok(draft: str) -> bool:
    return all(ok for _, ok in generic_checks(draft))


@pytest.fixture(scope="module")
def svc(hash_service):
    return hash_service


def test_accusations_are_never_read_back_in_first_person(svc):
    for text in ("存的定期到期了,结果现在告诉我是保险,五年都取不出来,你们这是骗老人的钱",
                 "我妈瘫在床上,你们非要本人来才能办,难道让我背她过来",
                 "我就要发到网上,让大家看看你们银行什么服务",
                 "那个柜员说我这种人就是无理取闹,这是什么话"):
        d = svc.suggest(text).draft
        assert "你们" not in d and "骗" not in d and "无理取闹" not in d and "我们这是" not in d, d
        assert "我让她" not in d and "背她" not in d, d
        assert _generic_ok(d), d


def test_real_estate_complaints_are_real_estate(svc):
    r = svc.suggest("买房时销售说南北通透采光好,交房一看对面楼挡得严严实实,这是虚假宣传,我要求退房")
    assert r.analysis.domain == "real_estate"
    assert "哪张卡" not in r.draft and "哪笔钱" not in r.draft and "4小时" not in r.draft


def test_each_matter_gets_its_own_action(svc):
    texts = {"topic-fee": "卡里平白无故被扣了一笔年费和短信服务费,这手续费怎么回事",
             "topic-card-swallowed": "取款机把我的卡吞了,卡没退出来",
             "topic-credit-record": "我的征信报告上多了一条逾期记录,我从来没逾期过",
             "topic-staff-attitude": "那个大堂经理爱答不理的,问两句就不耐烦,什么服务态度"}
    drafts = {}
    for topic, text in texts.items():
        r = svc.suggest(text)
        assert r.analysis.topic.id == topic, (text, r.analysis.topic.id)
        drafts[topic] = r.draft
    assert "手续费" in drafts["topic-fee"] and "取卡" in drafts["topic-card-swallowed"]
    assert "征信" in drafts["topic-credit-record"] and "抱歉" in drafts["topic-staff-attitude"]
    actions = {r.split("。")[1] for r in drafts.values()}
    assert len(actions) == len(drafts)


def test_elderly_who_cannot_come_hear_about_home_service(svc):
    d = svc.suggest("我爸八十多了瘫在床上,存折上的钱要取出来看病,你们非要他本人来").draft
    assert "上门" in d or "代办" in d


def test_moves_fit_purpose(svc):
    d = svc.suggest("我爸在医院等着交住院押金,卡被取款机吞了,赶紧帮我弄出来!").draft
    assert "对其他客户也有帮助" not in d and "看病" in d
    d = svc.suggest("请问一下,这个账户管理费是按什么标准收的?").draft
    assert "站在一边" not in d


def test_the_newest_ask_is_answered_first(svc):
    cases = [("客户:卡被吞了,我妈的住院费今天就得交\n员工:您别急,我先帮您登记\n客户:你先垫付一下行不行", "垫付"),
             ("客户:排了一个多小时了\n员工:今天人比较多,请您再稍等\n客户:叫你们经理出来", "负责人"),
             ("业主:卫生间一直漏水\n物业:我们已经报给工程部了\n业主:三个月了没人来修,到底什么时候修", "负责人")]
    for text, word in cases:
        d = svc.suggest(text).draft
        assert word in d.split("。")[0], d
        assert _generic_ok(d), d


def test_group_and_repeat_flags_in_both_domains(svc):
    a = svc.suggest("全楼业主明天一起去售楼处拉横幅").analysis
    assert "group_complaint" in a.flags
    a = svc.suggest("三个月了没人来修,楼上还在渗水").analysis
    assert "repeat_complaint" in a.flags
    a = svc.suggest("这是我第三次来问这笔转账了").analysis
    assert "repeat_complaint" in a.flags
    for text in ("验房的时候就提了,到现在三个月了还没换", "上次你们也是这么说的,等了二十天人影都没见着"):
        assert "repeat_complaint" in svc.suggest(text).analysis.flags, text
    for text in ("他又不是故意的,我就想问问怎么办", "我们一家人一起来办个卡", "转账三天了还没到账",
                 "我三个月没换过密码,怎么就被盗刷了", "贷款申请交上去五天了还没回复"):
        assert "repeat_complaint" not in svc.suggest(text).analysis.flags, text
    assert "group_complaint" not in svc.suggest("我和老伴来存钱").analysis.flags


def test_a_detected_difficult_type_brings_its_card(svc):
    r = svc.suggest("我已经录音了,按照消费者权益保护法第八条,这笔手续费你们要给我解释清楚")
    assert "prepared" in r.analysis.difficult_types
    assert "nanchan-youbei" in [t.hit.card.id for t in r.techniques]
    cats = [t.hit.card.category for t in r.techniques]
    assert max(cats.count(c) for c in cats) <= 2


def test_drafts_are_short_spoken_and_pass_generic_checks(svc):
    texts = ["手机银行登不上,一直提示验证码错误", "交房半年了房产证还没办下来", "楼下烧烤店油烟太大,窗户都不敢开",
             "排队排了一个钟头还没叫到我", "我不知道该找谁"]
    for text in texts:
        r = svc.suggest(text)
        n = len(_SENT.findall(r.draft))
        assert 2 <= n <= 5 and len(r.draft) <= 200, r.draft
        assert _generic_ok(r.draft) and r.check.ok, r.draft


def test_unknown_topic_gets_a_safe_draft_that_does_not_parrot(svc):
    text = "昨天在你们门口那个花坛边上摔了一跤,膝盖都磕破了"
    r = svc.suggest(text)
    if r.analysis.topic.id == "other":
        assert longest_shared_run(r.draft, text) < 8, r.draft
    assert _generic_ok(r.draft)


def test_generic_checks_catch_each_failure():
    good = "给您添麻烦了,很抱歉。我现在帮您查清楚,4小时内给您回复,您看可以吗?"
    assert _generic_ok(good)
    bad = {"no_nimen": "你们的系统出了问题,我来帮您查一下,4小时内给您回复。",
           "no_blame": "这是您自己没看清楚,我来帮您再查一遍,4小时内给您回复。",
           "no_fault_admission": "这确实是我们的错,我来帮您查一下,4小时内给您回复。",
           "no_money_promise": "给您添麻烦了,我们全额赔偿您的损失,4小时内给您回复。",
           "no_repeat": "我来帮您查一下。我来帮您查一下。4小时内给您回复您看可以吗。",
           "length_30_320": "好的。"}
    for rule, text in bad.items():
        failed = [n for n, ok in generic_checks(text) if not ok]
        assert rule in failed, (rule, failed)
    assert _generic_ok("如果核实是我们的原因,会按流程处理。我现在帮您登记,4小时内给您回复。")


def test_must_mention_groups():
    checks = must_mention("卡还在机器里,知道您急着用钱", [["卡"], ["医院", "用钱"], ["押金"]])
    assert [ok for _, ok in checks] == [True, True, False]


def test_register_stores_codes_and_counts_them(svc, tmp_path):
    from assistant.records.db import open_database
    from assistant.records.register import Register, export_stats, topic_codes
    from assistant.records.users import LOCAL

    reg = Register(open_database(f"sqlite:///{tmp_path / 'register.db'}"), tmp_path)
    topic = svc.suggest("取款机把我的卡吞了").as_dict()["analysis"]["topic"]
    assert topic_codes(topic) == {"topic": "topic-card-swallowed", "business": "银行卡-借记卡",
                                  "cause": "服务设施设备业务系统", "channel": "自助机具"}
    reg.create(LOCAL, branch="一支行", matter="吞卡", topic=topic)
    reg.create(LOCAL, branch="一支行", matter="吞卡", topic=topic)
    reg.create(LOCAL, branch="一支行", matter="别的事")
    stats = reg.report_stats()
    assert stats["business×cause×channel"]["银行卡-借记卡 × 服务设施设备业务系统 × 自助机具"] == 2
    assert stats["channel"]["自助机具"] == 2 and stats["topic"]["未分类"] == 1
    case = reg.list()[0]
    assert {"topic", "business", "cause", "channel"} <= set(case)
    out = export_stats(stats, tmp_path / "stats.csv")
    assert "服务设施设备业务系统" in out.read_text(encoding="utf-8-sig")
    xlsx = reg.export(tmp_path / "reg.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert "channel" in [c.value for c in wb["投诉登记"][1]]
    assert any(r[0].value == "business×cause×channel" for r in wb["统计"].iter_rows())


def test_register_stats_cli_json(home, capsys):
    from assistant.cli import main

    assert main(["register", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 0 and "business×cause×channel" in stats


def test_money_back_today_is_answered_and_retirement_is_no_such_ask():
    from assistant.reply.drafter import _ask_lines

    assert any(line.startswith("今天能不能退") for line in _ask_lines("都查了三天了,今天不给我退我就不走了", "bank"))
    assert any(line.startswith("今天能不能退") for line in _ask_lines("现在就把钱退给我", "real_estate"))
    for said in ("我马上就退休了,这钱是养老的", "钱今天退了吗", "现在退出来的话利息还有吗", "我不想现在退,等到期再说",
                 "这个保险现在退保只能拿回一半", "今天退的款什么时候到账", "我现在退一步说,利息不要了"):
        assert not any(line.startswith("今天能不能退") for line in _ask_lines(said, "bank")), said


def test_paperwork_piled_on_is_heard_but_a_repair_asked_three_times_is_no_paperwork():
    from assistant.reply.drafter import _ask_lines

    for said in ("来挂个失,让我填了三张表,签了七个字", "手续也太繁琐了吧", "这个流程能不能简化一下"):
        assert any("确实费事" in line for line in _ask_lines(said, "bank")), said
    for said in ("报修热水器漏电,维修单都填了三张了", "我签了名就走", "材料太多了吧", "当时签了一个补充协议,现在不认了",
                 "合同签了三个月了还没网签备案", "同一个车位跟我签了两次合同", "表都填了,怎么还不给我办"):
        assert not any("确实费事" in line for line in _ask_lines(said, "real_estate")), said


def test_an_errand_fee_a_neighbour_nobody_checks_and_a_family_with_nowhere_to_live():
    from assistant.reply.drafter import _ask_lines, _urgent_line

    assert not any("代办" in line for line in _ask_lines("交房先交一万块的契税代办费,不交不给钥匙", "real_estate"))
    assert any("代办" in line for line in _ask_lines("能不能让我儿子代办", "real_estate"))
    lines = _ask_lines("对面邻居在公共区域放了好几个柜子也没人管", "real_estate")
    assert lines and "修好" not in lines[0] and "工程" not in lines[0]
    assert "修好" in _ask_lines("楼上渗水三个月了也没人来修", "real_estate")[0]
    assert "等着房子住" in (_urgent_line("说要延期到年底,我已经退了租的房子,一家人住哪里", "real_estate") or "")
    # a hospital the customer works at is no illness at home
    assert "看病" not in _urgent_line("我是县医院的护士,值完通宵过来改个手机号,能快点给我办吗")
    assert "看病" in _urgent_line("我妈在医院等着交钱,这笔转账怎么还不到?")
    # a payday told for context is no wage waiting on the matter
    assert "工资" not in _urgent_line("还款日想改到月底,我们单位每月25号发工资")
    assert "工资" in _urgent_line("厂里让办张卡发工资,柜台说办不了,那我工资往哪发?")


def test_a_death_in_the_family_is_answered_first_and_only_when_told(svc):
    d = svc.suggest("我老伴去世了,他卡里的钱我想取出来给他办后事,你们要这个证明那个证明").draft
    assert d.startswith("先请您节哀"), d
    d = svc.suggest("这是第三趟了,第一回说缺户口本,第二回说要公证书,你们就不能一次说全?").draft
    assert "节哀" not in d, d


def test_a_single_utterance_is_acknowledged_before_its_ask_is_answered(svc):
    d = svc.suggest("昨晚下大雨,我家客厅天花板往下滴水,墙皮都泡鼓了。今天还要下,你们啥时候来人?").draft
    sents = [s for s in _SENT.split(d) if s]
    assert "漏水" in sents[0] or "渗" in sents[0], d
    assert any("什么时候" in s for s in sents[1:3]), d


def test_an_urgent_need_is_not_told_to_take_its_time(svc):
    d = svc.suggest("我妈下午要做手术,医院催着交押金,卡里的钱你们说今天取不了,老人还在医院等着").draft
    assert "看病" in d and "不着急" not in d, d


def test_a_complaint_asked_as_a_question_is_not_greeted_like_an_inquiry(svc):
    d = svc.suggest("我那张卡就剩几十块钱,咋每个月都少一两块?你们说扣就扣?").draft
    assert not d.startswith("您好"), d
    assert svc.suggest("请问大额取现要提前几天预约?").draft.startswith("您好")


def test_a_repeat_complaint_keeps_its_line_when_the_next_step_says_the_same_words(svc):
    d = svc.suggest("客户:底商那个KTV我都反映三回了,震得玻璃嗡嗡响\n员工:我们已经通知物业去跟商户沟通了\n"
                    "客户:沟通有用还用我来第四回?这KTV到底什么时候让它关?").draft
    assert "前面" in d and "对接" in d, d


def test_a_demand_for_an_apology_or_for_the_staff_member_to_be_dealt_with_is_answered(svc):
    d = svc.suggest("你们保安推我还骂人,今天不给我道歉我就不走").draft
    assert "对不起" in d and "核实" in d, d
    d = svc.suggest("那个柜员冲我翻白眼,我要求你们处分那个柜员").draft
    assert "处理当事的同事" in d, d


def test_the_last_sentence_is_found_in_linear_time():
    import time

    from assistant.reply.drafter import _last_sentence

    assert _last_sentence("昨晚下大雨。今天还要下,你们啥时候来人?") == "今天还要下,你们啥时候来人?"
    assert _last_sentence("第一句。\n第二句!!") == "第二句!!" and _last_sentence("?") == ""

    def timed(n: int) -> float:
        t0 = time.perf_counter()
        _last_sentence("啊" * n + "。b")
        return time.perf_counter() - t0

    assert timed(20000) < 0.05  # a search anchored at the end took about 5 s here


def test_someone_hurt_is_asked_after_before_the_matter(svc):
    d = svc.suggest("你们大厅地上全是水也不放个牌子,我一进门就摔了一跤,手腕都肿了").draft
    assert "伤" in d and "医院" in d, d
    assert "伤" not in svc.suggest("你们这个月又多扣了我两块钱短信费").draft


def test_flag_lines_say_the_boss_once(svc):
    for text in ("小区绿化跟宣传的差太远,业主群里都炸了,明天一起去住建局拉横幅",
                 "客户:我是业主群群主,今天是代表一百多户来的\n员工:您好,请问大家主要是反映哪方面的问题?\n"
                 "客户:小区绿化跟宣传的差了十万八千里。今天你们不给答复,明天就去住建局门口拉横幅"):
        d = svc.suggest(text, domain="real_estate").draft
        assert d.count("负责人") == 1, d


def test_a_representative_is_not_asked_to_choose_one(svc):
    d = svc.suggest("我是业主群群主,今天代表一百多户来的,小区绿化跟宣传的差太远,不给答复明天就去拉横幅",
                    domain="real_estate").draft
    assert "推选" not in d and "代表" in d, d


LETTER = ("尊敬的领导:本人于2023年3月在贵行城西支行办理了一笔定期存款,到期后前去支取,柜面人员称系统显示已转为"
          "另一款产品,需要再等半年才能取出。本人从未签过任何转换协议,多次询问均无人给出说法。现提出以下要求:"
          "1.查明当时经办情况;2.按原定期产品本息兑付;3.给予书面答复。望贵行重视,恳请尽快处理。")
RANT = ("哎呀我跟你说啊,我这卡啊前天在那个机器上取钱,机器咔一下就吞了,我在那儿等了半天也没人管啊,我打电话吧"
        "又打不通,昨天又跑一趟吧说是要等,今天我又来了你们还让我等,我这一把年纪了一趟一趟跑,腿都走不动了啊,"
        "你说这叫啥事嘛,今天必须给我弄好,我就在这儿等着,弄不好我不走了啊")


def test_a_letter_is_answered_not_met_at_the_counter(svc):
    from assistant.reply.drafter import written
    assert written(LETTER) and not written(RANT) and not written("我的卡被吞了,你们赶紧给我弄出来!")
    d = svc.suggest(LETTER).draft
    assert "坐下" not in d and "喝口水" not in d and "今天您要办的事" not in d and "陪您办" not in d, d
    assert _generic_ok(d), d
    # the same complaint at the counter, spoken, still gets the counter's lines
    spoken = svc.suggest(RANT)
    assert spoken.draft != d and _generic_ok(spoken.draft)


def test_a_letter_asking_for_the_boss_is_not_told_the_boss_is_coming_over(svc):
    d = svc.suggest(LETTER + "请贵行负责人出面解决。").draft
    assert "过来跟您当面谈" not in d and "负责人" in d, d
    assert "过来跟您当面谈" in svc.suggest("我的钱到底去哪了?叫你们负责人出来!").draft


def test_a_near_miss_is_not_an_injury(svc):
    assert "伤到哪里" not in svc.suggest("门口台阶那么滑,我拄着拐差点摔了,你们就不能铺个垫子?").draft
    assert "伤到哪里" in svc.suggest("门口台阶那么滑,我拄着拐摔了一跤,膝盖都磕破了").draft


def test_a_bill_claimed_back_is_not_a_bill_waiting_to_be_paid(svc):
    assert "急着用钱" not in svc.suggest("你们催收的半夜给我妈打电话,把老人吓得住了院,医药费谁出?").draft
    assert "急着用钱" in svc.suggest("我妈住院等着交押金,卡里的钱怎么还转不出来?").draft


def test_the_next_step_does_not_name_the_boss_the_answer_to_an_ask_already_named(svc):
    d = svc.suggest("我家厨房漏水漏到楼下了,报修一个礼拜没人来,你们今天必须给我个书面说法", domain="real_estate").draft
    assert "书面答复" in d and d.count("负责人") == 1, d


def test_a_customer_who_names_no_matter_is_asked_and_one_back_again_is_spared_the_retelling(use_service):
    rage = use_service.suggest("你算老几?少跟我废话,把你们行长叫出来,今天不给个交代我就不走了!", use_llm=False)
    assert rage.analysis.topic.id == "other" and rage.analysis.topic.unnamed
    assert "遇到了什么事" in rage.draft and "都记下了" not in rage.draft and "这件事我原原本本转给" not in rage.draft, rage.draft
    for words in ("上次说好给我回电话,到现在都没人理我,这都第几回了,你们说话还算不算数?",
                  "你们到底有没有人管?上礼拜说过一次,前天又说一次,今天还是没人给我个说法!我不想再从头讲了"):
        again = use_service.suggest(words, use_llm=False)
        assert again.analysis.topic.unnamed, words
        assert "不用您从头再讲" in again.draft and "遇到了什么事" not in again.draft, again.draft
    named = use_service.suggest("来你们银行办个业务,门口停车场停了二十分钟就收我十块钱停车费,凭什么?", domain="bank",
                                use_llm=False)
    assert named.analysis.topic.id == "other" and not named.analysis.topic.unnamed
    assert "遇到了什么事" not in named.draft and "停车" in named.draft, named.draft


@pytest.mark.parametrize("words", ["柜员办着业务还刷手机,你把你们经理给我叫出来", "去,把你们主管喊过来,我当面跟他讲"])
def test_the_boss_called_out_is_answered_whatever_the_word_order(svc, words):
    assert "请负责人过来" in svc.suggest(words, use_llm=False).draft


def test_our_own_service_as_the_matter_always_opens_with_an_apology():
    from assistant.reply.drafter import TOPIC_OPEN, _openings
    from assistant.reply.topics import TopicResult

    staff = TopicResult("topic-staff-attitude", "服务态度", 0.9, "bank", {"cause": "服务态度及服务质量"})
    fee = TopicResult("topic-fee", "手续费", 0.9, "bank", {"cause": "定价收费"})
    for emotion in (1, 2, 3):
        assert all(re.search("抱歉|对不起", o) for o in _openings(staff, emotion))
        assert _openings(fee, emotion) == TOPIC_OPEN[emotion]
    assert _openings(staff, 0) == TOPIC_OPEN[0]  # an inquiry is answered, not apologised to


def test_a_dare_is_no_retelling_and_a_boss_described_is_no_boss_asked_for():
    from assistant.reply.drafter import _TOLD_BEFORE, ASKS, BOSS_COMES

    assert _TOLD_BEFORE.search("我都说了八百遍了,你们到底管不管?")
    assert _TOLD_BEFORE.search("你们自己翻记录去,我不想再从头讲")
    assert not _TOLD_BEFORE.search("你再说一遍试试?信不信我投诉你")
    boss = next(p for p, answer in ASKS if answer is BOSS_COMES)
    assert boss.search("去,把你们主管喊过来") and boss.search("经理给我叫出来")
    assert not boss.search("上次你们经理叫来的师傅根本没修好")
    assert not boss.search("你们领导请来的那个讲座还办不办")


def test_a_staff_attitude_complaint_is_apologised_to(use_service):
    d = use_service.suggest("那个柜员头都不抬,问两句就甩脸子,这什么服务态度!", use_llm=False)
    assert d.analysis.topic.id == "topic-staff-attitude" and d.analysis.emotion >= 1
    assert re.search("抱歉|对不起", d.draft), d.draft


def test_a_cue_word_of_the_nearest_card_is_a_matter_named_even_when_the_words_fall_short_of_it(use_service):
    # the out-of-scope class edges the credit-card card here; "年费" still names the matter, so the customer
    # is not asked what happened
    r = use_service.suggest("你说,这个事你们到底管不管?年费的事拖了一个月了!", domain="bank", use_llm=False)
    assert not r.analysis.topic.unnamed
    assert "遇到了什么事" not in r.draft, r.draft


def test_a_long_exchange_at_the_desk_is_answered_as_speech_not_as_a_letter(svc):
    from assistant.reply.drafter import WRITTEN_ACTION, written

    point = "本人于2026年3月5日在贵行办理业务,现将情况反映如下:一、柜员未告知风险;二、合同条款未解释;三、事后无人联系。"
    letter_like = point * 4
    assert written(letter_like)
    exchange = f"客户:{letter_like}\n员工:您先坐,我看一下。\n客户:{point}把你们经理叫出来,今天必须给个说法。"
    d = svc.suggest(exchange, use_llm=False).draft
    # the customer stands at the desk: the boss comes over, rather than being asked to call back
    assert "请负责人过来" in d and "直接跟您联系" not in d, d
    alone = svc.suggest(letter_like, use_llm=False).draft
    assert any(line in alone for line in WRITTEN_ACTION["bank"]), alone


def test_a_call_that_never_came_is_not_a_call_asked_for(svc):
    d = svc.suggest("上礼拜说查,一个礼拜都没人给我打电话,今天到底什么时候能退钱?", use_llm=False).draft
    assert "打电话问" not in d and "什么时候" in d, d
    assert "打电话问" in svc.suggest("你帮我打个电话问问别的网点能不能办", use_llm=False).draft


def test_a_sum_of_money_is_a_matter_named(use_service):
    r = use_service.suggest("我卡里的钱怎么少了三千?我根本没动过,你们银行是怎么保管的?", domain="bank", use_llm=False)
    assert not r.analysis.topic.unnamed and "遇到了什么事" not in r.draft, r.draft


@pytest.mark.parametrize("words", ["你们的人天天给我打电话推销贷款,我号码是怎么泄露的?",
                                   "那个置业顾问以前天天给我打电话,现在找他倒把我拉黑了"])
def test_calls_received_are_not_a_call_asked_for(svc, words):
    assert "打电话问" not in svc.suggest(words, use_llm=False).draft


def test_a_parking_space_sold_dear_and_never_let_gets_the_price_line_not_the_tape_measure(svc):
    d = svc.suggest("车位一个卖二十万,比房子还贵,不买还不让租,你们这是强买强卖!", domain="real_estate", use_llm=False).draft
    assert "价格" in d and "尺寸" not in d, d


def test_a_landlord_who_sold_the_flat_is_no_rent_due(svc):
    assert "房租" not in svc.suggest("贷款批下来又说额度减半,房东那边都签了合同了,你们这不是坑人吗?", use_llm=False).draft
    assert "房租" in svc.suggest("房东天天催我交租,你们转账怎么还没到?", use_llm=False).draft


def test_a_family_about_to_lose_its_rented_home_hears_that_it_waits_for_the_flat(svc):
    d = svc.suggest("交房一拖再拖,我租的房子月底就到期了,到时候一家老小住哪?", domain="real_estate", use_llm=False).draft
    assert "等着房子住" in d and "房租" not in d, d


def test_money_deposited_to_the_wrong_account_is_traced_by_its_slip_not_as_a_transfer(svc):
    d = svc.suggest("我昨天在柜台存的钱,今天手机上查不到,是不是给我存错了?", domain="bank", use_llm=False).draft
    assert "凭条" in d and "转账的状态" not in d, d


def test_a_deposit_rate_is_read_back_as_a_deposit_not_a_mortgage(svc):
    d = svc.suggest("客户:我存了三年定期,你们说利率下调了。\n员工:是的,按最新挂牌利率执行。\n"
                    "客户:那我存的时候说好的利率呢?存单上写的是3.5,你们凭什么改?", domain="bank", use_llm=False).draft
    assert "存款利率" in d and "房贷" not in d, d


def test_a_penalty_charged_to_the_customer_is_no_compensation_claim(svc):
    from assistant.reply.rules import FLAG_RULES, find

    def flags(text: str) -> set[str]:
        return {m.code for m in find(FLAG_RULES, text)}

    assert "compensation_claim" not in flags("你们这个贷款提前还款还要收违约金?当初签合同可没人跟我说!")
    assert "compensation_claim" in flags("延期交房三个月,违约金怎么算?")
    assert "compensation_claim" in flags("逾期交房三个月了,按合同你们得支付违约金!")
    assert "compensation_claim" not in flags("提前还款要收多少违约金?")


def test_asking_whether_anyone_is_in_charge_is_not_saying_nobody_came(svc):
    d = svc.suggest("你们营业厅空调那么冷,老人坐着等了一个多小时,冻得直哆嗦,有没有人管?", use_llm=False).draft
    assert "前面没人跟进" not in d, d


def test_a_card_wanted_back_today_hears_that_first_and_keeps_the_cards_own_step(svc):
    d = svc.suggest("客户:我的卡被机器吞了。\n员工:我们登记一下,明天维护的同事来取。\n客户:明天?我下午就要出差,你们今天就给我拿出来!",
                    domain="bank", use_llm=False).draft
    assert d.startswith("能不能今天就拿出来") and "取卡" in d, d


@pytest.mark.parametrize("words", ["我这三年定期现在取出来是不是利息全没了?", "我刚存进去马上就取出来了,凭什么收手续费"])
def test_a_question_about_taking_money_out_is_no_demand_to_have_it_today(svc, words):
    assert "今天就拿出来" not in svc.suggest(words, domain="bank", use_llm=False).draft


@pytest.mark.parametrize("words", ["上周你给我打电话说卡到了,我来了又说没到", "上次说好帮我查,到现在一个电话都没有,钱到底去哪了?",
                                   "刚办完业务就有人打电话问我要不要贷款,号码谁给的?", "我打电话问了三回,都说还在走流程"])
def test_calls_that_came_or_never_came_are_no_call_asked_for(svc, words):
    assert "打电话问" not in svc.suggest(words, domain="bank", use_llm=False).draft


def test_a_call_asked_for_is_answered(svc):
    assert "打电话问" in svc.suggest("麻烦你帮我打个电话问一下那个网点能不能办", domain="bank", use_llm=False).draft


def test_everyday_words_with_numerals_are_no_sum_of_money():
    from assistant.reply.topics import _AMOUNT

    assert not any(_AMOUNT.search(t) for t in ("我跟我老公一块来的", "十万火急", "说了几千遍", "一万个不满意"))
    assert all(_AMOUNT.search(t) for t in ("少了三千", "扣了200元", "两百块钱", "5.5万"))


def test_a_parking_spaces_rent_is_no_home_rent(svc):
    assert "房租" not in svc.suggest("车位的租金一年涨了两次,还让不让人活了", domain="real_estate", use_llm=False).draft


@pytest.mark.parametrize("letter", ["尊敬的领导:{p}\n注:相关凭证复印件附后。", "行长:您好!{p}"])
def test_a_letters_note_or_salutation_is_no_turn_at_the_desk(letter):
    from assistant.text.turns import staff_spoke

    assert not staff_spoke(letter.format(p="本人于3月5日在贵行办理业务,现将情况反映如下。"))


def test_id_copies_made_at_the_counter_are_an_in_branch_privacy_matter(svc):
    d = svc.suggest("你们柜员把我的身份证复印了好几张,复印那么多干什么?我的信息要是泄露了谁负责?", domain="bank",
                    use_llm=False).draft
    assert "复印件" in d and "来电号码" not in d, d


def test_a_demand_for_an_exact_date_is_answered_first(svc):
    d = svc.suggest("客户:房产证到底什么时候下来?\n员工:正在办理中。\n客户:每次都这么说!今天必须给我一个准确的日期!",
                    domain="real_estate", use_llm=False).draft
    assert d.startswith("什么时候能处理好"), d


def test_an_answer_that_shares_words_with_the_action_does_not_crowd_out_its_concrete_step(svc):
    """"三天没人理" is answered first with "报给负责人"; the ATM action also says "报给负责人": the clause
    that repeats goes, the check of the account and the machine stays."""
    d = svc.suggest("客户:我的卡在你们机器上取钱没出钞,扣了两千\n员工:我帮您登记一下\n"
                    "客户:上回也是登记,登记完三天没人理我!我岁数大了跑不动").draft
    assert "没人跟进" in d and ("扣款" in d or "机器编号" in d), d
    assert d.count("报给负责人") == 1, d
    assert _generic_ok(d), d


def test_a_wheelchair_user_is_not_offered_a_seat_and_who_pays_is_a_compensation_claim(svc):
    d = svc.suggest("网点门口台阶那么高,连个坡道都没有,我坐轮椅根本进不来").draft
    assert "坐下" not in d and "慢慢说" in d, d
    from assistant.reply.rules import FLAG_RULES, find

    assert "compensation_claim" in {m.code for m in find(FLAG_RULES, "说好三天放款,半个月了还在审,违约了你们赔吗")}
    for said in ("说好三天放款,半个月了还在审,你们看着办", "你们给我赔不是都不会吗", "谁赔礼道歉都没用"):
        assert "compensation_claim" not in {m.code for m in find(FLAG_RULES, said)}, said


def test_despair_is_met_first_with_someone_beside_the_customer_not_a_calm_down(svc):
    r = svc.suggest("钱全让骗子卷走了,你们说追不回来,我回家怎么交代,我活不下去了")
    assert r.draft.startswith("听您这么说我很担心您"), r.draft
    assert "消消气" not in r.draft, r.draft
    assert "轻生" in r.next_steps[0] and "110" in r.next_steps[0] and "通用做法" in r.next_steps[0]
    assert {"safety_risk", "vulnerable_customer"} <= set(r.analysis.flags)
    assert r.analysis.emotion == 3 and "轻生" in r.analysis.reasons["emotion"][0]
    calm = svc.suggest("我朋友说跳楼价清仓的房子能不能贷款?")
    assert not calm.draft.startswith("听您这么说") or "轻生" in calm.next_steps[0]
    angry = svc.suggest("再不给我办,信不信我把你这电脑给摔了")
    assert not angry.draft.startswith("听您这么说") and not any("轻生" in s for s in angry.next_steps)



def test_a_leap_from_upstairs_is_despair_not_a_neighbour(svc):
    d = svc.suggest("首付是我全部积蓄,房子烂成这样,再拖我就从楼上跳下去", domain="real_estate").draft
    assert "邻居" not in d and d.startswith("听您这么说"), d


def test_a_calm_question_with_a_secret_is_answered_as_a_question_and_kept_secret(svc):
    d = svc.suggest("麻烦问下,我想查一下这个账户的余额,别让我儿子知道我来过").draft
    assert "保密" in d and "添麻烦" not in d, d


def test_water_at_a_socket_or_a_light_brings_the_power_line_first_and_a_plain_leak_does_not(svc):
    d = svc.suggest("阳台顶上的水顺着墙流到了插座那里,面板里都是水,你们快派人来", domain="real_estate").draft
    assert "电闸" in d and "别碰插座" in d, d
    d = svc.suggest("阳台顶上一直渗水,墙皮都泡鼓了,你们快派人来", domain="real_estate").draft
    assert "电闸" not in d, d
