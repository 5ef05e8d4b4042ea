"""The Gradio app served on 127.0.0.1 and driven through gradio_client, as a browser would."""

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import app_with_login


@pytest.fixture(scope="module")
def client(hash_service):
    from gradio_client import Client

    from ui.app import build

    app = build(hash_service)
    app.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True)
    try:
        yield Client(app.local_url, verbose=False)
    finally:
        app.close()


def test_suggest_through_the_app(client):
    analysis, techniques, draft, check, risk, redacted, source, audit_id = client.predict(
        "我要发抖音曝光你们,电话13812345678", "自动", api_name="/on_suggest")
    assert "模板草稿" in source and audit_id
    assert "媒体" in risk and "四(三)14" in risk and "下一步" in risk  # the flags with their steps, beside the draft
    assert "情绪" in analysis and "有宣传能力者" in analysis
    shown = analysis + techniques + risk
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bvent\b|·生气", shown), shown  # no label codes on screen
    assert draft and "〔通过〕" in check
    assert "13812345678" not in redacted and "[手机号]" in redacted


def test_live_check_and_policy_lookup(client):
    assert "边道歉边辩解" in client.predict("对不起,但是今天人多", api_name="/on_check")
    assert "10,000" in client.predict("贵宾客户紧急用款上限是多少", api_name="/on_ask")
    assert "未找到" in client.predict("员工年假有几天", api_name="/on_ask")


def test_injection_is_rendered_as_text(client):
    analysis, *_ = client.predict("<script>alert(1)</script>排队太久了!", "银行", api_name="/on_suggest")
    assert "<script>" not in analysis


def test_bad_input_shows_bilingual_message(client):
    analysis, *_ = client.predict("   ", "自动", api_name="/on_suggest")
    assert "empty" in analysis and "空" in analysis


def test_llm_draft_streams_into_the_desk(hash_service):
    """With a generator the desk shows the template first, then the streamed LLM draft."""
    from gradio_client import Client

    from assistant.llm.generators import LangChainGenerator, QueuedFakeChatModel
    from assistant.service import AssistantService
    from ui.app import build

    reply = "让您久等了,真的很抱歉。我马上帮您查,4小时内给您回电话,您看可以吗?"
    fake = QueuedFakeChatModel(responses=[reply], calls=[])
    svc = AssistantService(hash_service.settings, embedder=hash_service.embedder,
                           generator=LangChainGenerator(fake, "fake"))
    svc._state = hash_service.ensure_index()
    app = build(svc)
    app.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True)
    try:
        job = Client(app.local_url, verbose=False).submit("排队太久了", "银行", api_name="/on_suggest")
        outputs = list(job)
        final = job.result()
    finally:
        app.close()
    assert final[2] == reply and "模型草稿" in final[6] and "〔通过〕" in final[3] and final[7]
    assert len(outputs) >= 2  # template first, then the model's draft


def test_feedback_review_and_eval_tabs(client, hash_service):
    *_, audit_id = client.predict("排队排了一个多小时!", "银行", api_name="/on_suggest")
    assert hash_service.audit.get(audit_id)["channel"] == "ui"
    edited = "让您久等了,真抱歉,我现在就帮您办。"
    assert "修改后采用" in client.predict(audit_id, edited, api_name="/feedback_edited")
    table, stats, _plot, _edited = client.predict("全部", "edited", 0, "全部", api_name="/on_review")
    assert table["headers"][:3] == ["时间", "用户", "风险"]
    assert [row[4] for row in table["data"]] == ["修改后采用"]  # feedback in Chinese, the id is not shown
    assert "修改后采用" in stats
    detail, choices, flags, *_ = client.predict(audit_id, api_name="/on_pick")
    assert "<ins" in detail or "<del" in detail
    assert "评分已保存" in client.predict(audit_id, 2, ["话术不当"], "太生硬", api_name="/on_rate")
    rated, *_ = client.predict("全部", "全部", 0, "2", api_name="/on_review")
    assert [row[5] for row in rated["data"]] == [2]
    msg, case_file = client.predict(audit_id, [], [], api_name="/on_promote")
    assert "请勾选" in msg and case_file is None  # the trainer's correction is required
    marked = choices["choices"][-1][1]  # a card the trainer marks among the item's candidates
    msg, case_file = client.predict(audit_id, [marked], ["media_exposure"], api_name="/on_promote")
    case = yaml.safe_load(Path(case_file).read_text(encoding="utf-8"))[0]
    assert "评测用例" in msg and case["id"].startswith("promoted-")
    assert case["expect"] == {"techniques_any": [marked], "flags": ["media_exposure"]}
    assert case["reference"] == edited  # what staff sent, not the assistant's draft
    export = client.predict("全部", "全部", 0, "全部", api_name="/on_export")
    assert export != case_file
    header = Path(export).read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("编号,时间,用户,领域,风险") and "修改后采用" in Path(export).read_text(encoding="utf-8-sig")
    metrics, _plot, failures, failure_rows = client.predict("dev", api_name="/on_eval")
    names = [row[0] for row in metrics["data"]]
    assert "技巧命中率(前3)" in names and "hit@3" not in names and "未通过" in failures
    shown = str(metrics["data"]) + str(failure_rows["data"])
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|huashu-", shown), shown  # card titles and Chinese flags


def test_staff_login_cannot_reach_trainer_endpoints(hash_service, tmp_path):
    from gradio_client import Client

    with app_with_login(hash_service, tmp_path, [("amy", "staff", "amy-password", None),
                                                  ("tom", "trainer", "tom-password", None)]) as (app, svc):
        staff = Client(app.local_url, auth=("amy", "amy-password"), verbose=False)
        *_, audit_id = staff.predict("排队太久了", "银行", api_name="/on_suggest")
        assert audit_id
        table, stats, *_ = staff.predict("全部", "全部", 0, "全部", api_name="/on_review")
        assert not any(row and row[0] for row in table["data"])  # no rows leak to staff
        assert "无权" in stats
        assert "无权" in staff.predict(audit_id, 5, [], "", api_name="/on_rate")
        assert "无权" in staff.predict(audit_id, [], [], api_name="/on_promote")[0]
        assert "无权" in staff.predict("test", api_name="/on_eval")[2]
        trainer = Client(app.local_url, auth=("tom", "tom-password"), verbose=False)
        table, stats, *_ = trainer.predict("全部", "全部", 0, "全部", api_name="/on_review")
        assert [row[1] for row in table["data"]] == ["amy"]
        with pytest.raises(ValueError, match="Could not login"):
            Client(app.local_url, auth=("amy", "wrong"), verbose=False)
        svc.users.remove("amy")  # her open session stops working at once
        analysis, *_ = staff.predict("排队太久了", "银行", api_name="/on_suggest")
        assert "unknown user" in analysis


def test_serve_refuses_open_host_without_users(tmp_path, monkeypatch):
    from assistant.errors import AssistantError
    from assistant.settings import get_settings
    from ui.app import serve

    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    get_settings.cache_clear()
    try:
        with pytest.raises(AssistantError, match="refusing"):
            serve(host="0.0.0.0", port=1)
    finally:
        get_settings.cache_clear()


def test_register_from_a_suggestion_and_overdue_after_the_clock_moves(clocked_app, tmp_path):
    from gradio_client import Client

    app, svc, clock = clocked_app
    c = Client(app.local_url, verbose=False)
    *_, audit_id = c.predict("ATM吞了我的卡,赶紧帮我取出来", "银行", api_name="/on_suggest")
    msg = c.predict(audit_id, "王丽", "13812345678", False, api_name="/on_register")
    case_id = msg.split("`")[1]
    rows, stats, _ = c.predict(True, "", "", api_name="/on_register_list")
    assert case_id not in [r[0] for r in rows["data"] if r]  # nothing overdue yet
    clock.advance(hours=1, minutes=5)
    rows, stats, _ = c.predict(True, "", "", api_name="/on_register_list")
    row = next(r for r in rows["data"] if r[0] == case_id)
    assert "超时" in row[4] and "1小时到场" in row[4] and "投诉" in stats
    rows, stats, _ = c.predict(False, "2099-01-01", "", api_name="/on_register_list")
    assert not any(r and r[0] for r in rows["data"]) and "共 0 件" in stats  # the date range narrows both
    _, stats, _ = c.predict(False, "2026/11/27", "", api_name="/on_register_list")
    assert "YYYY-MM-DD" in stats
    assert "已更新" in c.predict(case_id, "处理中", api_name="/on_register_move")
    assert c.predict("", "", api_name="/on_register_export").endswith(".xlsx")
    assert c.predict(case_id, "信用卡中心", "无责", "咨询类", "客户当场确认已解决",
                     api_name="/on_register_update") == "已保存"
    assert "13812345678" in c.predict(case_id, api_name="/on_register_contact")  # local admin may see it
    case = svc.register.get(case_id)
    assert case["handler"] == "信用卡中心" and case["owner"] == "local" and case["responsibility"] == "无责"
    assert svc.register.count_class(case_id) == "咨询类"
    assert b"13812345678" not in b"".join(p.read_bytes() for p in tmp_path.rglob("*.db*"))


def test_new_conversation_clears_the_desk(client):
    out = client.predict(api_name="/on_new_conversation")
    chat, text, analysis, techniques, draft, check, risk, redacted, source, audit_id, fb, reg, name, phone = out
    assert (chat, text, draft, check, redacted, source, audit_id, fb, reg, name, phone) == ([], "", "", "", "", "", "",
                                                                                       "", "", "", "")
    assert analysis == techniques == "—" and "生成建议后" in risk


def test_a_pasted_exchange_is_not_prefixed_twice():
    from assistant.text.turns import transcript

    pasted = "客户:排队太久了\n员工:您别急\n客户:我要投诉"
    said = transcript([{"role": "assistant", "content": pasted}, {"role": "user", "content": "真抱歉"}], "还要多久")
    assert "客户:客户:" not in said and said.splitlines() == [*pasted.splitlines(), "员工:真抱歉", "客户:还要多久"]
    assert transcript([{"role": "assistant", "content": "经理:你过来"}], "快点").startswith("客户:经理:")


def test_topic_chip_when_the_analysis_has_one():
    from ui import render

    chip = render.topic_chip({"id": "bank-atm-card", "title": "吞卡", "confidence": 0.9,
                              "codes": {"business": "银行卡", "cause": "服务设施", "channel": "自助渠道"}})
    assert "主题" in chip and "吞卡" in chip and "业务 银行卡" in chip and "渠道 自助渠道" in chip
    assert render.topic_chip(None) == "" and render.topic_chip({"id": "other", "title": "其他"}) == ""


def test_the_draft_is_marked_with_each_finding_and_its_message(client):
    said = "我昨天在手机银行上买的那个理财产品怎么显示收益是负的"
    md = client.predict("您放心,我保证今天下午钱就能到账,您是说昨天在手机银行上买的那个理财产品怎么显示收益是负的。",
                        said, api_name="/on_check")
    assert "〔有问题〕" in md and "<mark class='block'" in md and "越权承诺" in md and "照抄客户原话" in md
    assert "承诺了流程没有给的金额、结果或时间" in md and "建议:" in md
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", re.sub(r"<[^>]+>", "", md))  # Chinese titles, no rule codes
    clean = client.predict("让您久等了,真的很抱歉。我现在就帮您查这笔转账走到哪一步了,查到后马上告诉您。",
                           api_name="/on_check")
    assert "话术检查通过" in clean and "<mark" not in clean
    assert client.predict("", api_name="/on_check") == ""


def test_draft_marks_escape_and_keep_the_text():
    from ui.render import draft_marks_html

    d = {"ok": False, "findings": [
        {"rule": "promise", "title": "越权承诺", "span": "保证", "start": 3, "end": 5, "blocking": True,
         "message": "承诺了 / promises", "advice": "别承诺"},
        {"rule": "form", "title": "格式", "span": "", "start": 0, "end": 13, "blocking": False,
         "message": "短 / short", "advice": "写长些"}]}
    html = draft_marks_html("<b>我保证到账\n\n好吗", d)
    assert "&lt;b&gt;" in html and "<mark class='block'" in html and "格式(提示)" in html
    assert html.count("<mark") == 1  # the whole-draft length note is listed, not marked
    assert "\n" not in html  # one line: it sits inside the check's Markdown
    assert draft_marks_html("好的", {"ok": True, "findings": []}) == ""
