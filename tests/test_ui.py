"""The Gradio app served on 127.0.0.1 and driven through gradio_client, as a browser would."""

import pytest


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
    analysis, techniques, draft, check, steps, redacted = client.predict(
        "我要发抖音曝光你们,电话13812345678", "自动", api_name="/on_suggest")
    assert "媒体" in analysis and "四(三)14" in steps
    assert draft and "✅" in check
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
