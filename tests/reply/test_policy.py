"""Policy answers with the real default embedder over the real knowledge base."""

import pytest

PLAN = "IT蓝图项目投产工作客户投诉处理应急预案"
RULES = "客户投诉和建议处理细则"
ORDER = "银行业保险业消费投诉处理管理办法"

QUESTIONS = [
    ("系统投产期间贵宾客户紧急用款上限是多少?", "10,000", PLAN),
    ("投产停业期间普通客户应急支付最多给多少钱?", "5,000", PLAN),
    ("接到投诉后经办人员多长时间内要到现场?", "1小时", PLAN),
    ("处理情况要在几小时内回复客户?", "4小时", PLAN),
    ("处理结果多久要报本级行投诉处理工作组?", "8小时", PLAN),
    ("停业期间客户要挂失怎么办?口头挂失多久失效?", "5日", PLAN),
    ("同类问题几个人投诉算群体投诉要上报?", "三人以上", PLAN),
    ("客户提出索赔,网点能不能当场答应赔钱?", "不得随意给予承诺", PLAN),
    ("遇到醉酒闹事的客户应该怎么处理?", "视频监控", PLAN),
    ("记者来网点采访,员工能接受吗?", "婉言谢绝", PLAN),
    ("投诉统计口径是怎么规定的?网点自己解决的算不算投诉?", "不纳入投诉统计", PLAN),
    ("投诉按责任怎么分类?", "有责、无责、双方责任", PLAN),
    ("首问责任人要记录哪些内容?", "联系电话", PLAN),
    ("投产期间每天要报送什么统计?", "分类统计", PLAN),
    ("投产期间省行设了几部专线电话?", "4部", PLAN),
    ("客户不能用本行ATM取款怎么办?", "其它银行ATM", PLAN),
    ("投诉处理不好由谁负责?职责怎么认定?", "分行工会", PLAN),
    ("客户投诉由哪个部门受理?", "综合部", RULES),
    ("投诉人要求保密的内容可以透露吗?", "不得透露投诉人要求保密的内容", RULES),
    ("为了息事宁人可以让步吗?", "无原则的让步", RULES),
    ("不符合要求的投诉不予受理时要做什么?", "告知投诉人不予以受理的理由", RULES),
    ("被认定为有效投诉的责任怎么追究?", "通报批评", RULES),
    ("客户意见处理情况和绩效考核有什么关系?", "绩效考核", RULES),
    ("银行收到正式投诉后多少天内要作出处理决定?", "15日", ORDER),
    ("群体投诉推选代表最多几人?", "5名", ORDER),
    ("客户对处理决定不服,多久内可以申请复核?", "30日", ORDER),
]
UNCOVERED = [
    "信用卡年费怎么减免?",
    "理财产品的预期收益率是多少?",
    "网点几点开门?",
    "员工年假有几天?",
    "今天天气怎么样",
]


@pytest.mark.parametrize(("question", "fact", "doc"), QUESTIONS)
def test_policy_answer_quotes_fact_and_cites_document(use_service, question, fact, doc):
    ans = use_service.ask(question)
    assert ans.found, question
    assert fact in ans.answer, (question, ans.answer)
    assert any(doc in c["source"] for c in ans.citations), ans.citations
    for c in ans.citations:
        assert c["quote"] and c["section"]


@pytest.mark.parametrize("question", UNCOVERED)
def test_uncovered_questions_are_not_found(use_service, question):
    ans = use_service.ask(question)
    assert not ans.found, (question, ans.answer)
    assert ans.citations == []
    assert "未找到" in ans.answer and "Not found" in ans.answer
