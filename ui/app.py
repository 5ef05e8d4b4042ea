"""The Gradio app: widgets in, service calls, widgets out. Nothing is computed here."""

from __future__ import annotations

import queue
import threading

import gradio as gr

from assistant.errors import AssistantError
from assistant.labels import CATEGORIES
from assistant.service import AssistantService
from ui import render

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


def build(service: AssistantService) -> gr.Blocks:
    def on_suggest(text: str, domain: str):
        """A generator: template result at once, then the LLM draft as it streams, then the final."""
        dom = None if domain == "自动" else ("bank" if domain == "银行" else "real_estate")
        try:
            first = service.suggest(text, domain=dom, use_llm=False).as_dict()
        except AssistantError as exc:
            yield (f"**{exc.message}**", "", "", "", "", "", "")
            return
        head = (render.analysis_md(first), render.techniques_md(first))
        tail = (render.steps_md(first), first["redacted_text"])
        if service.llm is None:
            yield (*head, first["draft"], render.check_md(first["check"]), *tail, render.source_md(first))
            return
        pieces: queue.Queue = queue.Queue()
        box: dict = {}

        def work() -> None:
            try:
                box["result"] = service.suggest(text, domain=dom, on_piece=pieces.put).as_dict()
            except AssistantError as exc:  # the template result already on screen stays
                box["error"] = exc.message
            finally:
                pieces.put(None)

        threading.Thread(target=work, daemon=True).start()
        yield (*head, first["draft"], "", *tail, "✍ 模型正在写草稿……(先显示模板草稿)")
        while (piece := pieces.get()) is not None:
            yield (*head, piece, "", *tail, "✍ 模型正在写草稿……")
        final = box.get("result") or first
        yield (*head, final["draft"], render.check_md(final["check"]), *tail, render.source_md(final))

    def on_check(draft: str):
        if not draft.strip():
            return ""
        try:
            return render.check_md(service.check(draft).as_dict())
        except AssistantError as exc:
            return f"**{exc.message}**"

    def on_ask(question: str):
        try:
            return render.answer_md(service.ask(question).as_dict())
        except AssistantError as exc:
            return f"**{exc.message}**"

    def on_browse(category: str, query: str):
        cards = [c for c in service.index.cards if category in ("全部", CATEGORIES.get(c.category))]
        if query.strip():
            ids = {h.card.id for h in service.search(query, k=20)}
            cards = [c for c in cards if c.id in ids]
        return "\n\n".join(
            f"<details><summary><b>{render._e(c.title)}</b>({CATEGORIES[c.category]})</summary>\n\n"
            + "\n\n".join(f"**{k}**\n\n{render._e(v)}" for k, v in c.sections.items())
            + f"\n\n*出处:{render._e(c.source)}*\n</details>"
            for c in cards[:60]
        ) or "—"

    with gr.Blocks(title="投诉应对助手") as app:
        gr.Markdown("## 投诉应对助手")
        with gr.Tab("回复建议"):
            with gr.Row():
                with gr.Column(scale=2):
                    text = gr.Textbox(label="客户说的话(可粘贴多轮对话)", lines=5, max_lines=12)
                    domain = gr.Radio(["自动", "银行", "房地产"], value="自动", label="领域")
                    go = gr.Button("生成建议", variant="primary")
                    gr.Examples(EXAMPLE_COMPLAINTS, inputs=text)
                    analysis = gr.Markdown(label="情境研判")
                    steps = gr.Markdown(label="下一步")
                with gr.Column(scale=3):
                    draft = gr.Textbox(label="回复草稿(可编辑,实时检查)", lines=6, buttons=["copy"])
                    source = gr.Markdown()
                    check = gr.Markdown()
                    techniques = gr.Markdown(label="推荐技巧")
                    redacted = gr.Textbox(label="脱敏后的客户原话", interactive=False, lines=2)
            outputs = [analysis, techniques, draft, check, steps, redacted, source]
            go.click(on_suggest, [text, domain], outputs)
            text.submit(on_suggest, [text, domain], outputs)
            draft.change(on_check, draft, check)
        with gr.Tab("政策速查"):
            q = gr.Textbox(label="问题", lines=1)
            ask = gr.Button("查询", variant="primary")
            gr.Examples(EXAMPLE_QUESTIONS, inputs=q)
            answer = gr.Markdown()
            ask.click(on_ask, q, answer)
            q.submit(on_ask, q, answer)
        with gr.Tab("知识库"):
            with gr.Row():
                cat = gr.Dropdown(["全部", *CATEGORIES.values()], value="全部", label="类别")
                kq = gr.Textbox(label="搜索", lines=1)
            browse = gr.Markdown()
            cat.change(on_browse, [cat, kq], browse)
            kq.submit(on_browse, [cat, kq], browse)
    app.queue(default_concurrency_limit=4)
    return app


def serve(host: str | None = None, port: int | None = None) -> None:
    service = AssistantService()
    service.ensure_index()
    service.suggest("排队太久了")  # warm the encoder so the first clerk does not wait for it
    app = build(service)
    s = service.settings
    app.launch(server_name=host or s.host, server_port=port or s.port, theme=gr.themes.Soft(),
               show_error=False, share=False)
