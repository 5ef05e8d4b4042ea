"""The Gradio app: widgets in, service calls, widgets out. Nothing is computed here."""

from __future__ import annotations

import gc
import json
import queue
import sys
import threading
import time

import gradio as gr
import pandas as pd

from assistant.errors import AssistantError
from assistant.labels import CATEGORIES, DOMAINS, FLAGS, POLICY_CATEGORIES
from assistant.records.audit import FEEDBACK, REASON_TAGS
from assistant.records.register import COUNT_CLASSES, RESPONSIBILITY, date_range
from assistant.records.throttle import client_address
from assistant.records.users import PERMISSIONS, ROLES, User
from assistant.service import AssistantService
from ui import render
from ui.api import api_mount
from ui.practice import practice_tab

CHANNEL = "ui"  # what the audit rows of the page's suggestions and questions carry in their channel column

EXAMPLE_QUESTIONS = [
    "系统投产期间贵宾客户紧急用款上限是多少?",
    "接到投诉后多长时间内要到现场、回复客户?",
    "停业期间口头挂失多久失效?",
    "投诉统计口径是怎么规定的?",
    "记者来网点采访,员工能接受吗?",
]
EXAMPLE_COMPLAINTS = [
    "你们这什么破银行!排了一个多小时队,轮到我说系统升级办不了!我要发抖音曝光你们!",
    "我的卡在ATM里被吞了,钱也没出来,我下午还要去医院交费",
    "业主们都商量好了,交房延期三个月,开发商一句话都没有,我们要求按合同赔偿",
]


APP_NAME = "投诉应对助手"
# Enter generates, Shift+Enter is a new line. Gradio's own multi-line box does the opposite (on
# keypress), so its handler never sees the key; an IME composing Chinese (isComposing / 229) keeps Enter.
ENTER_JS = """<script>
(function () {
  function enter(e) {
    var t = e.target;
    if (e.key !== "Enter" || e.isComposing || e.keyCode === 229 || !t || !t.closest || !t.closest("#customer")) return;
    e.stopPropagation();
    if (e.shiftKey || e.type !== "keydown") return;
    e.preventDefault();
    var go = document.getElementById("generate");
    if (go) go.click();
  }
  document.addEventListener("keydown", enter, true);
  document.addEventListener("keypress", enter, true);
})();
</script>"""
CSS = """
footer { display: none !important; }
.app-title h2 { margin: 0 !important; }
.whoami { text-align: right; }
:is(button, textarea, input, select, summary, [role=tab], [tabindex]):focus-visible {
  outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; box-shadow: 0 0 0 5px #bfdbfe !important;
}
#generate:focus, #generate:focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px !important; }
.hint { color: var(--body-text-color-subdued); font-size: 0.85em; margin-top: -6px; }
.chip { display: inline-block; margin: 2px 4px 2px 0; padding: 1px 8px; border-radius: 999px;
  background: var(--block-background-fill); border: 1px solid var(--border-color-primary); font-size: 0.92em; }
.chip.topic { border-color: #1d4ed8; }
.chip.emotion-2, .chip.emotion-3 { border-color: #c2410c; }
#risk { max-height: 300px; overflow-y: auto; border-left: 4px solid #c2410c; padding: 4px 10px !important;
  background: var(--block-background-fill); }
#risk p, #risk li { margin: 1px 0 !important; line-height: 1.45; }
#risk ol, #risk ul { margin: 2px 0 !important; }
#check p, #check li, #source p { margin: 0 !important; }
.draft-marks { border-left: 4px solid #b91c1c; padding: 2px 10px; margin-top: 4px; background: var(--block-background-fill); }
.draft-marks .text { line-height: 1.9; margin: 2px 0; }
.draft-marks mark.block { background: #fecaca; color: inherit; border-bottom: 2px solid #b91c1c; }
.draft-marks mark.warn { background: #fef3c7; color: inherit; }
.draft-marks .tag { font-size: 0.75em; color: #b91c1c; margin: 0 2px; vertical-align: super; }
.draft-marks .tag.warn { color: #92400e; }
.draft-marks ol { margin: 2px 0 0 0 !important; padding-left: 0; list-style: none; }
.draft-marks li { margin: 1px 0 !important; }
.draft-marks .advice { color: var(--body-text-color-subdued); }
#conversation .label-wrap, #conversation [data-testid=block-label] { max-width: calc(100% - 96px); overflow: hidden;
  white-space: nowrap; text-overflow: ellipsis; }
#queue { max-width: 100%; }
#queue table { table-layout: fixed; width: 100% !important; }
#queue td, #queue th { white-space: normal !important; word-break: break-all; }
"""


RISK_PLACEHOLDER = "**风险提示与下一步**:生成建议后显示在这里"
# what on_suggest returns, in order (the fast tests and /on_suggest callers read it so)
OUTPUT_NAMES = ("analysis", "techniques", "draft", "check", "risk", "redacted", "source", "audit_id")


def build(service: AssistantService) -> gr.Blocks:
    def who(request: gr.Request | None) -> User:
        return service.users.get(getattr(request, "username", None))

    def on_suggest(text: str, domain: str, history: list | None = None, request: gr.Request = None):
        """A generator: template result at once, then the LLM draft as it streams, then the final.
        Outputs: analysis, techniques, draft, check, risk flags with next steps, redacted, source, audit id."""
        dom = None if domain == "自动" else ("bank" if domain == "银行" else "real_estate")
        try:
            user = who(request)
            first = service.suggest(text, domain=dom, use_llm=False, record=service.llm is None, user=user,
                                    history=history, channel=CHANNEL).as_dict()
        except AssistantError as exc:
            yield (f"**{exc.message}**", "", "", "", "", "", "", "")
            return
        head = (render.analysis_md(first), render.techniques_md(first))
        tail = (render.risk_md(first), first["redacted_text"])
        if service.llm is None:
            yield (*head, first["draft"], render.check_md(first["check"]), *tail, render.source_md(first),
                   first["audit_id"] or "")
            return
        pieces: queue.Queue = queue.Queue()
        box: dict = {}

        def work() -> None:
            try:
                box["result"] = service.suggest(text, domain=dom, on_piece=pieces.put, record=True, user=user,
                                                history=history, channel=CHANNEL).as_dict()
            except AssistantError as exc:  # the template result already on screen stays
                box["error"] = exc.message
            finally:
                pieces.put(None)

        threading.Thread(target=work, daemon=True).start()
        yield (*head, first["draft"], "", *tail, "✍ 模型正在写草稿……(先显示模板草稿)", "")
        while (piece := pieces.get()) is not None:
            yield (*head, piece, "", *tail, "✍ 模型正在写草稿……", "")
        final = box.get("result") or first
        yield (*head, final["draft"], render.check_md(final["check"]), *tail, render.source_md(final),
               final.get("audit_id") or "")

    def on_customer_said(history: list, text: str, draft: str):
        """After a suggestion: the customer's words join the conversation and the box is cleared."""
        if not draft.strip() or not text.strip():
            return history, history, text, gr.update()  # nothing was suggested: keep what was typed
        history = service.add_turn(history, "assistant", text)  # the customer: left, see turns.SPEAKER_PREFIX
        return history, history, "", ""  # and the last draft's "recorded" note no longer applies

    def on_staff_sent(history: list, draft: str, message: str):
        if not message.startswith("已记录") or not draft.strip():
            return history, history
        history = service.add_turn(history, "user", draft)  # what staff sent: right
        return history, history

    def on_check(draft: str, said: str | None = None, request: gr.Request = None):
        """The verdict and the draft with each finding marked, its Chinese title and message, as
        staff type; said: the (redacted) customer words the draft answers."""
        if not draft.strip():
            return ""
        try:
            return render.check_live_md(draft, service.check(draft, user=who(request), customer=said or None).as_dict())
        except AssistantError as exc:
            return f"**{exc.message}**"

    def on_register(audit_id: str, name: str, phone: str, formal: bool, request: gr.Request = None):
        if not audit_id:
            return "请先生成建议 / generate a suggestion first"
        try:
            cid = service.cases.from_suggestion(audit_id, who(request), name=name, phone=phone, formal=formal)
        except (AssistantError, KeyError) as exc:
            return f"**{getattr(exc, 'message', exc)}**"
        return f"已登记:`{cid}`(首问责任人已记录,时限从现在起算)"

    def on_register_list(overdue_only: bool, date_from: str = "", date_to: str = "", request: gr.Request = None):
        try:
            user = who(request)
            since, until = date_range(date_from, date_to)
            rows = service.cases.list(user, overdue_only=overdue_only, since=since, until=until)
            stats = service.cases.stats(user, since, until) if user.role in PERMISSIONS["review"] else None
        except AssistantError as exc:
            return [], f"**{exc.message}**", None
        chart = None
        md = ""
        if stats:
            chart = pd.DataFrame({"统计口径": list(stats["count_class"]), "件数": list(stats["count_class"].values())})
            def fmt(d: dict) -> str:
                return "、".join(f"{k} {v}" for k, v in d.items()) or "—"

            md = (f"共 {stats['total']} 件 · 按口径:{fmt(stats['count_class'])} · 按类别:{fmt(stats['plan_class'])}"
                  f" · 按网点:{fmt(stats['branch'])} · 按责任:{fmt(stats['responsibility'])}")
        return render.register_rows(rows), render._e(md), chart

    def on_register_move(case_id: str, status: str, request: gr.Request = None):
        try:
            service.cases.move(case_id.strip(), status, who(request))
        except (AssistantError, KeyError) as exc:
            return f"**{getattr(exc, 'message', exc)}**"
        return f"已更新:{status}"

    def on_register_contact(case_id: str, request: gr.Request = None):
        try:
            c = service.cases.contact(case_id.strip(), who(request))
        except (AssistantError, KeyError) as exc:
            return f"**{getattr(exc, 'message', exc)}**"
        return f"{render._e(c['name'])} {render._e(c['phone'])}"

    def on_register_update(case_id: str, hand_over: str, responsibility: str, klass: str, reason: str,
                           request: gr.Request = None):
        try:
            service.cases.update(case_id.strip(), who(request), hand_over=hand_over.strip(),
                                    responsibility="" if responsibility == "不变" else responsibility,
                                    count_class="" if klass == "自动" else klass, reason=reason)
        except (AssistantError, KeyError) as exc:
            return f"**{getattr(exc, 'message', exc)}**"
        return "已保存"

    def on_register_export(date_from: str = "", date_to: str = "", request: gr.Request = None):
        try:
            return str(service.cases.export(who(request), *date_range(date_from, date_to)))
        except AssistantError:
            return None

    def on_feedback(kind: str, audit_id: str, draft_text: str, request: gr.Request = None):
        if not audit_id:
            return "请先生成建议 / generate a suggestion first"
        try:
            service.review.feedback(audit_id, kind, draft_text, user=who(request))
        except AssistantError as exc:
            return f"**{exc.message}**"
        return f"已记录:{FEEDBACK[kind]}"

    def feedback_handler(kind: str):
        # gradio passes the request only to a parameter annotated gr.Request; a lambda's default never gets it
        def handler(audit: str, draft_text: str, request: gr.Request = None):
            return on_feedback(kind, audit, draft_text, request)

        return handler

    def on_new_conversation():
        """新对话: nothing of the last customer stays on the desk."""
        blank = {"analysis": "—", "techniques": "—", "risk": RISK_PLACEHOLDER}
        return ([], [], "", *[blank.get(name, "") for name in OUTPUT_NAMES], "", "", "", "")

    def review_filters(flag: str, feedback: str, days: float, rating: str) -> dict:
        return {"flag": None if flag == "全部" else flag, "feedback": None if feedback == "全部" else feedback,
                "rating": None if rating in ("全部", None) else int(rating),
                "since": time.time() - days * 86400 if days else None}

    def on_review(flag: str, feedback: str, days: float, rating: str = "全部", request: gr.Request = None):
        """The queue (row ids kept beside it for a click), its statistics and the two charts."""
        try:
            rows = service.review.queue(user=who(request), **review_filters(flag, feedback, days or 0, rating))
            stats = service.review.stats(user=who(request))
        except AssistantError as exc:
            return [], f"**{exc.message}**", None, None, []
        share = pd.DataFrame({"反馈": [FEEDBACK[k] for k in stats["share"]], "占比": list(stats["share"].values())})
        dropped = stats["techniques_edited_or_rejected"]
        edited_away = pd.DataFrame({"技巧": list(dropped), "被改掉或不采用次数": list(dropped.values())})
        return (render.review_rows(rows), render.stats_md(stats), share, edited_away, [r["id"] for r in rows])

    def on_pick(audit_id: str, request: gr.Request = None):
        """One item of the queue: the words, the draft, what staff sent and the diff; the technique
        choices for the trainer's correction (the suggested cards and the nearest others)."""
        nothing = ("未找到 / not found", gr.update(choices=[], value=[]), gr.update(value=[]), gr.update(),
                   gr.update(), gr.update())
        try:
            user = who(request)
            service.review.queue(user=user, limit=1)  # role check before showing anything
            row = dict(service.audit.get(audit_id.strip()))
        except (AssistantError, KeyError):
            return nothing
        suggested = json.loads(row["techniques_json"] or "[]")
        choices = {t["id"]: t["title"] for t in suggested}
        try:
            for hit in service.search(row["redacted_text"] or "排队", k=12):
                if hit.card.category not in POLICY_CATEGORIES | {"topic"}:
                    choices.setdefault(hit.card.id, hit.card.title)
        except AssistantError:
            pass
        analysis = json.loads(row["analysis_json"] or "{}")
        flags = [f for f in analysis.get("flags", []) if f in FLAGS]
        detail = (f"**客户原话(已脱敏)**:{render._e(row['redacted_text'])}\n\n"
                  f"**建议的技巧**:{render._e('、'.join(t['title'] for t in suggested) or '—')} · "
                  f"**风险**:{'、'.join(FLAGS[f] for f in flags) or '无'}\n\n"
                  f"**建议草稿**:{render._e(row['draft'] or '')}\n\n"
                  f"**员工最终回复**({FEEDBACK.get(row['feedback'], '未反馈')}):{render._e(row['final_text'] or '—')}"
                  "\n\n**差异**:" + render.diff_html(row["draft"] or "", row["final_text"] or row["draft"] or ""))
        reasons_now = [r for r in json.loads(row["reasons_json"] or "[]") if r in REASON_TAGS]
        return (detail, gr.update(choices=[(title, cid) for cid, title in choices.items()], value=[]),
                gr.update(value=flags), gr.update(value=row["rating"] or 4), gr.update(value=reasons_now),
                gr.update(value=row["comment"] or ""))

    def on_queue_select(ids: list, evt: gr.SelectData, request: gr.Request = None):
        """A click anywhere in a row opens that item."""
        index = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if not ids or not isinstance(index, int) or not 0 <= index < len(ids):
            return (gr.update(), "", gr.update(), gr.update(), gr.update(), gr.update(), gr.update())
        return (ids[index], *on_pick(ids[index], request))

    def on_rate(audit_id: str, rating: float, reasons: list[str], comment: str, request: gr.Request = None):
        if not audit_id.strip():
            return "请先在队列中点选一条 / pick an item first"
        try:
            service.review.rate(audit_id.strip(), int(rating), reasons, comment, user=who(request))
        except (AssistantError, KeyError, ValueError) as exc:
            return f"**{getattr(exc, 'message', exc)}**"
        return "评分已保存"

    def on_export(flag: str, feedback: str, days: float, rating: str = "全部", request: gr.Request = None):
        """Every row that matches the filters on screen, not just the page shown."""
        try:
            return str(service.review.export(user=who(request), **review_filters(flag, feedback, days or 0, rating)))
        except AssistantError:
            return None

    def on_promote(audit_id: str, techniques: list[str] | None = None, flags: list[str] | None = None,
                   request: gr.Request = None):
        """The trainer's correction becomes the case: the marked techniques and flags, and the reply
        staff sent. The case file is offered for download: behind a balancer it lands on one replica's disk."""
        if not audit_id.strip():
            return "请先在队列中点选一条 / pick an item first", None
        try:
            path = service.review.promote(audit_id.strip(), user=who(request), techniques=list(techniques or []),
                                   flags=list(flags or []))
        except (AssistantError, KeyError) as exc:
            return f"**{getattr(exc, 'message', exc)}**", None
        return f"已生成评测用例:`{path.name}`(可下载后放入 eval/cases/)", str(path)

    # gradio injects the progress tracker through this default; that is its documented idiom
    def on_eval(split: str, request: gr.Request = None, progress=gr.Progress()):  # noqa: B008
        from eval.cases import load_cases
        from eval.runner import DEFAULT, run_config

        try:
            who(request).require("eval")
        except AssistantError as exc:
            return [], None, f"**{exc.message}**", []
        cases = load_cases(split=split)
        progress(0, desc="评测中")
        run = run_config(DEFAULT, cases, service.settings, {service.settings.embedder: service})
        progress(1)
        by_domain = pd.DataFrame({"领域": list(DOMAINS.values()),
                                  "技巧命中率": [run.summary["hit@3_by_domain"][d] for d in DOMAINS]})
        titles = {c.id: c.title for c in service.index.cards}
        return (render.metric_rows(run.summary), by_domain, render.eval_failures_md(run.cases),
                render.eval_failure_rows(run.cases, titles))

    def on_ask(question: str, request: gr.Request = None):
        try:
            return render.answer_md(service.ask(question, record=True, user=who(request), channel=CHANNEL).as_dict())
        except AssistantError as exc:
            return f"**{exc.message}**"

    def on_browse(category: str, query: str, request: gr.Request = None):
        code = next((k for k, v in CATEGORIES.items() if v == category), None)
        try:
            cards = service.browse(who(request), code, query)
        except AssistantError as exc:
            return f"**{exc.message}**"
        return "\n\n".join(
            f"<details><summary><b>{render._e(c.title)}</b>({CATEGORIES[c.category]})</summary>\n\n"
            + "\n\n".join(f"**{k}**\n\n{render._e(v)}" for k, v in c.sections.items())
            + f"\n\n*出处:{render._e(c.source)}*\n</details>"
            for c in cards[:60]
        ) or "—"

    def on_reindex(request: gr.Request = None):
        try:
            r = service.reindex(user=who(request))
        except AssistantError as exc:
            return f"**{exc.message}**"
        return (f"索引已更新 / re-indexed: {r.version},{r.cards} 张卡片,新嵌入 {r.embedded},复用 {r.reused},"
                f"{r.seconds:.1f} 秒" + ("。其他实例将在数秒内切换到新版本。" if service.settings.store == "chroma_http" else ""))

    def on_load(request: gr.Request = None):
        """Each role sees the tabs and tools it may use (PERMISSIONS); the service checks the role
        again on every call."""
        hidden = gr.update(visible=False)
        try:
            user = who(request)
        except AssistantError as exc:
            return (f"**{exc.message}**", *[hidden] * 6)
        mode = "单用户本机模式(未配置用户)" if not service.users.enabled else \
            f"{user.name}({ROLES.get(user.role, user.role)})"

        def may(action: str) -> dict:
            return gr.update(visible=user.role in PERMISSIONS[action])

        return (f"<small>{render._e(mode)}</small>", may("review"), may("eval"), may("reindex"), may("rate"),
                may("export"), may("export"))

    # gradio keeps its own copy of every file it serves (exports, promoted cases): drop them as exports expire
    ttl = service.settings.export_ttl_s
    with gr.Blocks(title=APP_NAME, delete_cache=(max(60, ttl // 2), ttl) if ttl > 0 else None) as app:
        with gr.Row(equal_height=True):
            gr.Markdown(f"## {APP_NAME}", elem_classes=["app-title"])
            whoami = gr.Markdown(elem_classes=["whoami"])
        with gr.Tab("回复建议", id="desk"):
            with gr.Row(equal_height=False):
                with gr.Column(scale=2, min_width=300):
                    conversation = gr.State([])
                    chat = gr.Chatbot(label="本次对话", height=250, elem_id="conversation", buttons=["copy_all"],
                                      feedback_options=None,
                                      placeholder="左:客户 右:员工(已脱敏)。客户的话和采用后的回复记在这里,"
                                                  "下一句建议会参考整段对话。")
                    text = gr.Textbox(label="客户刚说的话", lines=3, max_lines=10, elem_id="customer",
                                      placeholder="输入或粘贴客户的话,也可粘贴多轮对话(客户:… 员工:…)")
                    gr.Markdown("Enter 生成建议 · Shift+Enter 换行", elem_classes=["hint"], elem_id="enter-hint")
                    domain = gr.Radio(["自动", "银行", "房地产"], value="自动", label="领域", elem_id="domain")
                    with gr.Row():
                        go = gr.Button("生成建议", variant="primary", elem_id="generate", scale=2)
                        new_conversation = gr.Button("新对话", elem_id="new-conversation", scale=1)
                    gr.Examples(EXAMPLE_COMPLAINTS, inputs=text, label="示例(点击填入)")
                with gr.Column(scale=3, min_width=340):
                    draft = gr.Textbox(label="回复草稿(可编辑,实时检查)", lines=5, max_lines=9, buttons=["copy"],
                                       elem_id="draft")
                    source = gr.Markdown(elem_id="source")
                    check = gr.Markdown(elem_id="check")
                    audit_id = gr.Textbox(visible=False)
                    with gr.Row(elem_id="adopt"):
                        fb_buttons = [gr.Button(label, size="sm") for label in FEEDBACK.values()]
                    fb_msg = gr.Markdown(elem_id="feedback-message")
                    risk = gr.Markdown(elem_id="risk", value=RISK_PLACEHOLDER)
                    with gr.Accordion("一键登记投诉(首问负责)", open=False):
                        with gr.Row():
                            reg_name = gr.Textbox(label="客户姓名", lines=1)
                            reg_phone = gr.Textbox(label="联系电话(加密保存)", lines=1)
                        reg_formal = gr.Checkbox(label="正式投诉(15日内作出处理决定)")
                        reg_btn = gr.Button("登记", size="sm")
                        reg_msg = gr.Markdown()
            with gr.Row(equal_height=False):
                with gr.Column(scale=2, min_width=300):
                    gr.Markdown("### 情境研判")
                    analysis = gr.Markdown(elem_id="analysis", value="—")
                with gr.Column(scale=3, min_width=340):
                    gr.Markdown("### 推荐技巧")
                    techniques = gr.Markdown(elem_id="techniques", value="—")
            redacted = gr.Textbox(label="脱敏后的客户原话", interactive=False, lines=2, elem_id="redacted")
            outputs = [analysis, techniques, draft, check, risk, redacted, source, audit_id]
            go.click(on_suggest, [text, domain, conversation], outputs, api_name="on_suggest").then(
                on_customer_said, [conversation, text, draft], [conversation, chat, text, fb_msg])
            new_conversation.click(on_new_conversation, None,
                                   [conversation, chat, text, *outputs, fb_msg, reg_msg, reg_name, reg_phone],
                                   api_name="on_new_conversation")
            chat.clear(lambda: [], None, conversation)  # the trash icon forgets the conversation, not just the view
            for kind, button in zip(FEEDBACK, fb_buttons, strict=True):
                sent = button.click(feedback_handler(kind), [audit_id, draft], fb_msg, api_name=f"feedback_{kind}")
                if kind != "rejected":  # what staff actually said to the customer joins the conversation
                    sent.then(on_staff_sent, [conversation, draft, fb_msg], [conversation, chat])
            # staff may edit the draft: each change is checked against the customer's words and the
            # problem spans are marked under the box (a check takes well under 5 ms)
            draft.change(on_check, [draft, redacted], check, trigger_mode="always_last", show_progress="hidden")
            reg_btn.click(on_register, [audit_id, reg_name, reg_phone, reg_formal], reg_msg)
        with gr.Tab("政策速查", id="policy"):
            q = gr.Textbox(label="问题", lines=1, placeholder="例如:系统投产期间贵宾客户紧急用款上限是多少?")
            ask = gr.Button("查询", variant="primary")
            answer = gr.Markdown(elem_id="answer")
            gr.Examples(EXAMPLE_QUESTIONS, inputs=q, label="示例问题(点击填入)")
            ask.click(on_ask, q, answer)
            q.submit(on_ask, q, answer)
        with gr.Tab("培训审阅", id="review", visible=False) as review_tab:
            with gr.Row():
                f_flag = gr.Dropdown([("全部", "全部"), *[(v, k) for k, v in FLAGS.items()]], value="全部",
                                     label="风险", min_width=120)
                f_fb = gr.Dropdown([("全部", "全部"), *[(v, k) for k, v in FEEDBACK.items()]], value="全部",
                                   label="反馈", min_width=120)
                f_days = gr.Number(value=30, label="最近天数(0=全部)", min_width=100)
                f_rating = gr.Dropdown(["全部", "1", "2", "3", "4", "5"], value="全部", label="评分", min_width=80)
                load = gr.Button("刷新", min_width=80)
            queue_ids = gr.State([])
            gr.Markdown("点击一行打开该条,在下方评分、标注并提升为评测用例。", elem_classes=["hint"])
            queue_table = gr.Dataframe(headers=render.REVIEW_HEADERS, interactive=False, wrap=True,
                                       column_widths=["11%", "9%", "16%", "40%", "13%", "11%"], max_height=330,
                                       elem_id="queue")
            pick = gr.Textbox(visible=False)  # the id of the open item
            detail = gr.Markdown("—", elem_id="review-detail")
            with gr.Column(visible=False) as trainer_tools:
                with gr.Row():
                    rating = gr.Slider(1, 5, value=4, step=1, label="评分")
                    reasons = gr.CheckboxGroup(REASON_TAGS, label="原因")
                comment = gr.Textbox(label="评语", lines=2)
                right_techniques = gr.CheckboxGroup([], label="正确的技巧(培训师标注,作为评测用例的期望)",
                                                    elem_id="right-techniques")
                right_flags = gr.CheckboxGroup([(v, k) for k, v in FLAGS.items()], label="正确的风险标记",
                                               elem_id="right-flags")
                with gr.Row():
                    rate_btn = gr.Button("保存评分")
                    promote_btn = gr.Button("提升为评测用例")
                review_msg = gr.Markdown()
                promote_file = gr.File(label="评测用例文件", elem_id="promote-file")
            with gr.Row():
                stats = gr.Markdown()
                share_plot = gr.BarPlot(x="反馈", y="占比", title="采用情况", height=220, y_lim=[0, 1])
                edited_plot = gr.BarPlot(x="技巧", y="被改掉或不采用次数", title="常被改掉的技巧", height=220,
                                           y_lim=[0, None])
            with gr.Row(visible=False) as review_export_row:
                export_btn = gr.Button("导出 CSV(按当前筛选)")
                export_file = gr.File(label="导出文件", elem_id="export-file")
            review_inputs = [f_flag, f_fb, f_days, f_rating]
            review_outputs = [queue_table, stats, share_plot, edited_plot, queue_ids]
            load.click(on_review, review_inputs, review_outputs, api_name="on_review")
            review_tab.select(on_review, review_inputs, review_outputs, api_name=False)
            item_outputs = [detail, right_techniques, right_flags, rating, reasons, comment]
            pick.submit(on_pick, pick, item_outputs, api_name="on_pick")
            queue_table.select(on_queue_select, queue_ids, [pick, *item_outputs], api_name=False)
            rate_btn.click(on_rate, [pick, rating, reasons, comment], review_msg)
            promote_btn.click(on_promote, [pick, right_techniques, right_flags], [review_msg, promote_file],
                              api_name="on_promote")
            export_btn.click(on_export, review_inputs, export_file, api_name="on_export")
        with gr.Tab("投诉登记", id="register") as register_tab:
            with gr.Row():
                only_overdue = gr.Checkbox(label="只看超时未办结")
                reg_from = gr.Textbox(label="受理日期从", placeholder="YYYY-MM-DD,可空", max_lines=1)
                reg_to = gr.Textbox(label="到(含当日)", placeholder="YYYY-MM-DD,可空", max_lines=1)
                reg_load = gr.Button("刷新")
                reg_export = gr.Button("导出 Excel", visible=False)
            reg_table = gr.Dataframe(headers=["登记号", "受理时间", "网点", "状态", "时限", "统计口径", "类别", "事由"],
                                     interactive=False, wrap=True, max_height=360)
            with gr.Row():
                reg_stats = gr.Markdown()
                reg_chart = gr.BarPlot(x="统计口径", y="件数", title="按统计口径", height=200, y_lim=[0, None])
            with gr.Row():
                reg_case = gr.Textbox(label="登记号", lines=1)
                reg_status = gr.Dropdown(["处理中", "已回复客户", "上报结果", "已办结", "已回访", "升级"],
                                         value="处理中", label="更新为")
                reg_move = gr.Button("更新")
            reg_move_msg = gr.Markdown()
            with gr.Row():
                reg_handover = gr.Textbox(label="转交给(部门/人)", lines=1)
                reg_resp = gr.Dropdown(["不变", *RESPONSIBILITY], value="不变", label="责任认定")
                reg_class = gr.Dropdown(["自动", *COUNT_CLASSES], value="自动", label="统计口径(人工调整)")
                reg_reason = gr.Textbox(label="调整理由", lines=1)
            with gr.Row():
                reg_save = gr.Button("保存处理信息")
                reg_show_contact = gr.Button("查看联系方式")
            reg_contact = gr.Markdown()
            reg_file = gr.File(label="导出文件")
            reg_save.click(on_register_update, [reg_case, reg_handover, reg_resp, reg_class, reg_reason], reg_move_msg)
            reg_show_contact.click(on_register_contact, reg_case, reg_contact)
            reg_inputs, reg_outputs = [only_overdue, reg_from, reg_to], [reg_table, reg_stats, reg_chart]
            reg_load.click(on_register_list, reg_inputs, reg_outputs, api_name="on_register_list")
            register_tab.select(on_register_list, reg_inputs, reg_outputs, api_name=False)
            reg_move.click(on_register_move, [reg_case, reg_status], reg_move_msg)
            reg_export.click(on_register_export, [reg_from, reg_to], reg_file)
        with gr.Tab("评测", id="eval", visible=False) as eval_tab:
            gr.Markdown("用课程案例评测当前的助手:技巧命中、风险识别、标签、草稿检查和政策问答。开发集(dev)用于调整,"
                        "测试集(test)用于验收。")
            with gr.Row():
                split = gr.Radio([("测试集", "test"), ("开发集", "dev"), ("全部", "all")], value="test", label="用例集")
                run_btn = gr.Button("运行评测", variant="primary")
            with gr.Row():
                metric_table = gr.Dataframe(headers=["指标", "数值"], interactive=False, elem_id="metrics")
                domain_plot = gr.BarPlot(x="领域", y="技巧命中率", title="技巧命中率(前3,按领域)", height=240,
                                         y_lim=[0, 1])
            failures = gr.Markdown()
            failure_table = gr.Dataframe(headers=render.FAILURE_HEADERS, interactive=False, wrap=True,
                                         column_widths=["16%", "9%", "27%", "27%", "21%"], max_height=420,
                                         elem_id="failures")
            run_btn.click(on_eval, split, [metric_table, domain_plot, failures, failure_table], api_name="on_eval")
        with gr.Tab("知识库", id="knowledge") as knowledge_tab:
            with gr.Row():
                cat = gr.Dropdown(["全部", *CATEGORIES.values()], value="全部", label="类别")
                kq = gr.Textbox(label="搜索", lines=1, placeholder="例如:3F法、吞卡、交房延期")
            browse = gr.Markdown(elem_id="browse")
            cat.change(on_browse, [cat, kq], browse)
            kq.submit(on_browse, [cat, kq], browse)
            knowledge_tab.select(on_browse, [cat, kq], browse, api_name=False)
            with gr.Row(visible=False) as reindex_row:
                reindex_btn = gr.Button("重建索引(读取 knowledge/ 的改动)", size="sm")
                reindex_msg = gr.Markdown()
            reindex_btn.click(on_reindex, None, reindex_msg)
        practice_tab(service, who)  # 练习 (issue 20): every role rehearses; its own file holds the rest
        app.load(on_load, None, [whoami, review_tab, eval_tab, reindex_row, trainer_tools, review_export_row,
                                 reg_export])
    app.queue(default_concurrency_limit=service.settings.ui_concurrency)
    return app


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(host: str | None = None, port: int | None = None) -> None:
    service = AssistantService()
    host = host or service.settings.host
    if not service.users.enabled:
        if host not in LOOPBACK:
            raise AssistantError(
                f"未配置用户时不能在 {host} 上对外服务;先运行 python -m assistant user add NAME --role ROLE",
                f"refusing to serve on {host} without users; add one with: python -m assistant user add NAME --role ROLE")
        print("单用户本机模式:只在本机 127.0.0.1 上服务。添加用户后需登录:python -m assistant user add NAME --role staff|manager|trainer|admin\n"
              "single-user local mode on loopback; add users to require a login.", file=sys.stderr, flush=True)
    service.ensure_index()
    service.suggest("排队太久了")  # warm the encoder so the first clerk does not wait for it
    service.ask("投诉多久要回复客户?")  # and the policy search, built on the first question (~0.3 s)
    app = build(service)
    # the index, jieba's dictionary and Gradio are loaded for good: a full collection that walks them
    # (~0.1-0.3 s) stalls every request in flight, so they are moved out of the collector's sight
    gc.freeze()
    s = service.settings
    app.launch(server_name=host, server_port=port or s.port, show_error=False, share=False,
               **launch_options(service))


def launch_options(service: AssistantService) -> dict:
    """What every launch of the app gets, in serve and in tests alike: the sign-in in Chinese (when
    users exist), the look, the Enter key, the health route, the Chinese page shell and the client
    address for the sign-in throttle."""
    from starlette.middleware import Middleware

    auth = (lambda u, p: service.users.authenticate(u, p) is not None) if service.users.enabled else None
    return {"auth": auth, "auth_message": AUTH_MESSAGE, "theme": gr.themes.Soft(font=FONTS, font_mono=["ui-monospace", "monospace"]), "css": CSS, "head": ENTER_JS,
            "footer_links": [],
            "app_kwargs": {"routes": [health_route(service), api_mount(service)],
                           "middleware": [Middleware(ClientAddressMiddleware,
                                                     trusted=frozenset(service.settings.trusted_proxies)),
                                          Middleware(ChinesePageMiddleware, title=APP_NAME)]}}


AUTH_MESSAGE = (f"<p style='font-size:1.6em;font-weight:700;margin:0'>{APP_NAME}</p>"
                "<p>请用您的用户名和密码登录。忘记密码请联系网点负责人或管理员。</p>")
# a built-in theme with the machine's own fonts: nothing is fetched from a font service
FONTS = ["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "ui-sans-serif", "system-ui", "sans-serif"]
# Gradio's own words (登录, 用户名, 示例…) follow the browser's language, and the page shell says
# lang="en" with no title until after sign-in. The desk is Chinese on any browser.
_SHELL_HEAD = ("<title>" + APP_NAME + "</title><script>(function(){try{"
               "Object.defineProperty(Navigator.prototype,'language',{get:function(){return 'zh-CN'},configurable:true});"
               "Object.defineProperty(Navigator.prototype,'languages',{get:function(){return ['zh-CN','zh']},"
               "configurable:true});}catch(e){}})();</script>")


class ChinesePageMiddleware:
    """Serves Gradio's HTML page shell with lang="zh-CN", the app's title and a Chinese locale for
    Gradio's built-in words; every other response passes through untouched."""

    def __init__(self, app, title: str = APP_NAME) -> None:
        self.app = app
        self.head = _SHELL_HEAD.replace(APP_NAME, title).encode()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].endswith("/"):
            await self.app(scope, receive, send)
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                if not any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in message["headers"]):
                    start["pass"] = True
                    await send(message)
                return
            if start.get("pass") or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks).replace(b'lang="en"', b'lang="zh-CN"', 1).replace(b"<head>", b"<head>" + self.head,
                                                                                     1)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send({"type": "http.response.start", "status": start["status"],
                        "headers": [*headers, (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


class ClientAddressMiddleware:
    """Gradio calls the auth function with only (name, password); this lets the sign-in throttle
    count failures per address as well. Behind a trusted proxy (ASSISTANT_TRUSTED_PROXIES) the
    address is the last hop the proxy added to X-Forwarded-For."""

    def __init__(self, app, trusted: frozenset[str] = frozenset()) -> None:
        self.app, self.trusted = app, trusted

    def address(self, scope) -> str:
        peer = scope["client"][0]
        if peer in self.trusted:
            forwarded = dict(scope.get("headers") or []).get(b"x-forwarded-for", b"").decode("latin-1")
            if forwarded.strip():
                return forwarded.split(",")[-1].strip()[:64]
        return peer

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("client"):
            token = client_address.set(self.address(scope))
            try:
                await self.app(scope, receive, send)
            finally:
                client_address.reset(token)
            return
        await self.app(scope, receive, send)


def health_route(service: AssistantService):
    """GET /healthz for a load balancer: 200 when this replica can answer, 503 when not. Outside the
    login, so it says only ok/unavailable per check."""
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    def healthz(_request) -> JSONResponse:
        report = service.health()
        return JSONResponse(report, status_code=200 if report["ok"] else 503)

    return Route("/healthz", healthz, methods=["GET"])
