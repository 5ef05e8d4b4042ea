"""The reply desk in a real browser (Debian chromium): laptop and narrow windows. Slow; CI runs it."""

import shutil

import pytest

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def url(hash_service):
    from ui.app import build

    app = build(hash_service)
    app.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True)
    yield app.local_url
    app.close()


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is installed by .ci/run")
@pytest.mark.parametrize("size", [(1366, 768), (420, 860)])
def test_desk_in_browser(url, size, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    from assistant.settings import get_settings

    shots = get_settings().resolved_home() / "screenshots"  # kept with the session's data for a human look
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run"])
        page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        page.goto(url)
        page.locator("#customer textarea").fill("你们再不处理我就发抖音曝光!<b>排队</b>一个小时了")
        page.get_by_role("button", name="生成建议").click()
        page.get_by_text("媒体/网络曝光").first.wait_for(timeout=20_000)
        draft = page.locator("#draft textarea")
        page.wait_for_function("document.querySelector('#draft textarea').value.length > 20", timeout=20_000)
        assert len(draft.input_value()) > 20
        assert "<b>" not in page.locator("#redacted textarea").input_value()
        draft.fill("对不起,但是今天人太多了。")
        page.get_by_text("边道歉边辩解").first.wait_for(timeout=10_000)
        page.screenshot(path=str(shots / f"desk-{size[0]}.png"), full_page=True)
        page.get_by_role("button", name="修改后采用").click()
        page.get_by_text("已记录:修改后采用").wait_for(timeout=10_000)
        # the conversation keeps what the customer said and what staff sent; the next suggestion reads it all
        chat = page.locator("#conversation")
        page.wait_for_function("document.querySelector('#conversation').innerText.includes('今天人太多了')",
                               timeout=10_000)
        assert "发抖音曝光" in chat.inner_text() and page.locator("#customer textarea").input_value() == ""
        page.locator("#customer textarea").fill("人多就是你们的理由?那我就活该等吗")
        page.get_by_role("button", name="生成建议").click()
        page.wait_for_function("document.querySelector('#redacted textarea').value.includes('员工:')",
                               timeout=20_000)
        page.wait_for_function("document.querySelector('#conversation').innerText.includes('活该等吗')",
                               timeout=10_000)
        page.screenshot(path=str(shots / f"conversation-{size[0]}.png"), full_page=True)
        page.get_by_role("tab", name="培训审阅").click()
        page.get_by_role("button", name="刷新").click()
        # innerText holds only what is rendered: the queue shows the complaint, the stats its feedback
        page.wait_for_function(
            "document.body.innerText.includes('发抖音曝光') && document.body.innerText.includes('修改后采用 100%')",
            timeout=15_000)
        page.screenshot(path=str(shots / f"review-{size[0]}.png"), full_page=True)
        # nothing overflows sideways on a narrow window
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0] + 1
        browser.close()


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is installed by .ci/run")
def test_register_case_then_overdue_in_browser(clocked_app):
    from playwright.sync_api import sync_playwright

    from assistant.settings import get_settings

    app, svc, clock = clocked_app
    shots = get_settings().resolved_home() / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(app.local_url)
        page.locator("#customer textarea").fill("ATM吞了我的卡,钱也没吐出来,赶紧帮我处理")
        page.get_by_role("button", name="生成建议").click()
        page.wait_for_function("document.querySelector('#draft textarea').value.length > 20", timeout=20_000)
        page.get_by_text("一键登记投诉(首问负责)").click()
        page.get_by_label("客户姓名").fill("王丽")
        page.get_by_label("联系电话(加密保存)").fill("13812345678")
        page.get_by_role("button", name="登记", exact=True).click()
        page.get_by_text("已登记").wait_for(timeout=10_000)
        page.get_by_role("tab", name="投诉登记").click()
        page.get_by_label("只看超时未办结").check()
        page.get_by_role("button", name="刷新").first.click()
        page.wait_for_timeout(1500)
        assert "⚠ 超时" not in page.evaluate("document.body.innerText")
        clock.advance(hours=1, minutes=5)
        page.get_by_role("button", name="刷新").first.click()
        page.wait_for_function("document.body.innerText.includes('⚠ 超时') && "
                               "document.body.innerText.includes('1小时到场')", timeout=10_000)
        page.screenshot(path=str(shots / "register-overdue.png"), full_page=True)
        browser.close()


@pytest.fixture(scope="module")
def login_url(hash_service, tmp_path_factory):
    from assistant.service import AssistantService
    from ui.app import build, launch_options

    svc = AssistantService(hash_service.settings.model_copy(update={"home": tmp_path_factory.mktemp("login")}),
                           embedder=hash_service.embedder)
    svc._state = hash_service.ensure_index()
    for name, role in (("amy", "staff"), ("max", "manager"), ("tom", "trainer")):
        svc.users.add(name, role, f"{name}-password", "东城")
    app = build(svc)
    app.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True, **launch_options(svc))
    yield app.local_url, svc
    app.close()


def _sign_in(browser, url: str, name: str):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url)
    page.locator("input[type=text], input:not([type])").first.fill(name)
    page.locator("input[type=password]").fill(f"{name}-password")
    page.locator("input[type=password]").press("Enter")
    page.locator("#customer textarea").wait_for(timeout=20_000)
    return page


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is installed by .ci/run")
def test_feedback_buttons_with_login_on_for_each_role(login_url):
    """Staff, manager and trainer each sign in, suggest and press a feedback button; what was sent
    joins the chat, and the trainer sees every diff in the review queue."""
    from playwright.sync_api import sync_playwright

    url, svc = login_url
    rounds = [("amy", "采用", "排队一个多钟头了还没轮到我", None),
              ("max", "修改后采用", "卡被机器吞了我下午还要去医院交钱", "真抱歉让您着急了,我马上联系机具管理员帮您取卡,您先坐。"),
              ("tom", "不采用", "你们收的这个年费我根本不知道", None)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, button, said, edited in rounds:
            page = _sign_in(browser, url, name)
            page.locator("#customer textarea").fill(said)
            page.get_by_role("button", name="生成建议").click()
            page.wait_for_function("document.querySelector('#draft textarea').value.length > 20", timeout=20_000)
            if edited:
                page.locator("#draft textarea").fill(edited)
            sent = page.locator("#draft textarea").input_value()
            page.get_by_role("button", name=button, exact=True).click()
            page.get_by_text(f"已记录:{button}").wait_for(timeout=10_000)
            if button != "不采用":
                page.wait_for_function(
                    f"document.querySelector('#conversation').innerText.includes({sent[:12]!r})", timeout=10_000)
            page.close()
        rows = {r["user"]: r for r in svc.audit.query(limit=None)}
        assert {u: rows[u]["feedback"] for u in rows} == {"amy": "adopted", "max": "edited", "tom": "rejected"}
        page = _sign_in(browser, url, "tom")
        page.get_by_role("tab", name="培训审阅").click()
        page.get_by_role("button", name="刷新").click()
        page.wait_for_function("document.body.innerText.includes('医院交钱')", timeout=15_000)
        page.get_by_label("审阅的 id").fill(rows["max"]["id"])
        page.get_by_label("审阅的 id").press("Enter")
        page.wait_for_function("document.body.innerText.includes('机具管理员')", timeout=10_000)
        assert page.locator("ins, del").count() > 0  # the diff between draft and what was sent
        browser.close()
