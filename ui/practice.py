"""The 练习 tab (issue 20): staff rehearse a scripted difficult customer; trainers assign scenarios and
read the scores. Widgets in, svc.practice calls, Markdown and tables out: nothing is scored here."""

from __future__ import annotations

import time
from collections.abc import Callable

import gradio as gr
import pandas as pd

from assistant.errors import AssistantError
from assistant.labels import DIFFICULT_TYPES, DOMAINS, EMOTIONS, FLAGS, PERSONALITIES
from assistant.records.users import PERMISSIONS, User
from assistant.reply.practice import DIFFICULTIES, Session
from assistant.service import AssistantService
from ui.render import _e

SCORE_HEADERS = ["完成时间", "员工", "网点", "场景", "难度", "得分", "用到的技巧"]
PLACEHOLDER = "选好场景和难度,点“开始练习”。客户先开口,您在下面输入回复。"


def _chat(s: Session) -> list[dict]:
    """The customer on the left, staff on the right, as on the desk."""
    out: list[dict] = []
    for e in s.exchanges:
        out.append({"role": "assistant", "content": e.customer})
        if e.score is not None:
            out.append({"role": "user", "content": e.reply})
    if s.finished and s.closing:
        out.append({"role": "assistant", "content": s.closing})
    return out


def _mood(s: Session, turns: int) -> str:
    state = "练习结束" if s.finished else f"第 {s.replies + 1}/{turns} 轮,请回复"
    return f"**客户情绪**:{EMOTIONS[s.mood]}({s.mood}/3) · {state}"


def _reasons(reasons) -> str:
    return "\n".join(f"- {'+' if r.points >= 0 else '−'}{abs(r.points)} {_e(r.text)}" for r in reasons) or "- (无加减分)"


def _turn_md(s: Session) -> str:
    done = [e for e in s.exchanges if e.score is not None]
    if not done:
        return ""
    e = done[-1]
    took = f",用时 {e.seconds:.0f} 秒" if e.seconds is not None else ""
    md = f"### 本轮得分 {e.score}{took}\n{_reasons(e.reasons)}"
    if e.model_reply:
        md += f"\n\n**参考回复(助手建议,对照用)**:{_e(e.model_reply)}"
    return md


def _result_md(s: Session, error: str | None) -> str:
    if not s.finished:
        return ""
    turns = " · ".join(str(e.score) for e in s.exchanges if e.score is not None)
    md = f"## 总分 {s.score}\n各轮:{turns}\n\n{_reasons(s.reasons)}"
    return md + (f"\n\n**{_e(error)}**" if error else "\n\n成绩已保存,培训师可以看到。")


def _score_rows(rows: list[dict], titles: dict[str, str]) -> list[list]:
    return [[time.strftime("%m-%d %H:%M", time.localtime(r["ts"])), r["user"], r["branch"] or "—",
             r["scenario_title"] or "", DIFFICULTIES.get(r["difficulty"], ""), r["score"],
             "、".join(titles.get(t, t) for t in (r["techniques"] or "").split(",") if t) or "—"] for r in rows]


def _filters(person: str | None, branch: str | None, days: float | None) -> dict:
    # a hidden filter row (staff) sends None, not ""
    return {"person": (person or "").strip() or None, "branch": (branch or "").strip() or None, "days": days or None}


def practice_tab(service: AssistantService, who: Callable[[gr.Request | None], User]) -> gr.Tab:
    """Build the tab inside the app's Blocks. Role-only parts show when the tab opens (the service
    checks the role again on every call)."""
    scenarios = service.practice.scenarios()
    choices = [(f"{DOMAINS[s.domain]} · {DIFFICULT_TYPES[s.difficult_type]} · {s.title}", s.id) for s in scenarios]
    by_id = {s.id: s for s in scenarios}
    titles = service.practice.technique_titles()

    def on_start(scenario_id: str, difficulty: str, assignment: str, request: gr.Request = None):
        try:
            s = service.practice.start(scenario_id, difficulty, who(request), assignment_id=assignment or None)
        except AssistantError as exc:
            return None, [], f"**{exc.message}**", "", "", "", ""
        sc = by_id[scenario_id]
        flags = "、".join(FLAGS[f] for f in sc.flags) or "无"
        situation = (f"**{_e(sc.title)}**({_e(sc.source)})\n\n{_e(sc.situation)}\n\n"
                     f"客户类型:{DIFFICULT_TYPES[sc.difficult_type]} · 性格:{PERSONALITIES[sc.personality]} · "
                     f"风险:{flags} · 难度:{DIFFICULTIES[difficulty]} · {sc.turns} 轮")
        return s, _chat(s), situation, _mood(s, sc.turns), "", "", ""

    def on_send(s: Session | None, text: str, request: gr.Request = None):
        if s is None or s.finished:
            return s, gr.update(), gr.update(), "请先开始练习 / start a practice first", gr.update(), text
        if not (text or "").strip():
            return s, gr.update(), gr.update(), "请输入回复 / type a reply", gr.update(), text
        try:
            s, error = service.practice.reply(s, text, who(request))
        except AssistantError as exc:
            return s, gr.update(), gr.update(), f"**{exc.message}**", gr.update(), text
        return s, _chat(s), _mood(s, by_id[s.scenario_id].turns), _turn_md(s), _result_md(s, error), ""

    def on_open(request: gr.Request = None):
        """Assignments for this person, and the parts their role may use."""
        try:
            user = who(request)
            rows = service.practice.assignments(user)
        except AssistantError as exc:
            hidden = gr.update(visible=False)
            return f"**{exc.message}**", gr.update(choices=[]), hidden, hidden, hidden
        todo = [r for r in rows if not r["done"]] if user.role not in PERMISSIONS["assign"] else rows
        lines = [f"- {_e(r['title'])}({DIFFICULTIES.get(r['difficulty'], '')}"
                 f"{',' + _e(r['assignee']) if r['assignee'] else ''}{',' + _e(r['branch']) + '网点' if r['branch'] and not r['assignee'] else ''}"
                 f"{',已完成 ' + str(r['done']) + ' 次' if r['done'] else ''}){' · ' + _e(r['note']) if r['note'] else ''}"
                 for r in todo[:20]]
        head = "**已指派的练习**" if user.role in PERMISSIONS["assign"] else "**指派给我的练习**"
        md = head + "\n" + ("\n".join(lines) if lines else "\n暂无")
        picks = [(f"{r['title']}({DIFFICULTIES.get(r['difficulty'], '')})", r["id"]) for r in todo
                 if r["scenario_id"] in by_id]
        return (md, gr.update(choices=[("自选练习", ""), *picks], value=""),
                gr.update(visible=user.role in PERMISSIONS["review"]),
                gr.update(visible=user.role in PERMISSIONS["export"]),
                gr.update(visible=user.role in PERMISSIONS["assign"]))

    def on_pick_assignment(assignment: str, request: gr.Request = None):
        if not assignment:
            return gr.update(), gr.update()
        try:
            row = next(r for r in service.practice.assignments(who(request)) if r["id"] == assignment)
        except (AssistantError, StopIteration):
            return gr.update(), gr.update()
        return gr.update(value=row["scenario_id"]), gr.update(value=row["difficulty"])

    def on_scores(person: str, branch: str, days: float, request: gr.Request = None):
        try:
            board = service.practice.scores(who(request), **_filters(person, branch, days))
        except AssistantError as exc:
            return [], f"**{exc.message}**", None
        people = "、".join(f"{_e(p)} {v['sessions']} 次 平均 {v['mean']} 分(最近 {v['latest']})"
                          for p, v in board["per_person"].items()) or "暂无成绩"
        tech = "、".join(f"{_e(t)} {v['sessions']} 次 平均 {v['mean']}" for t, v in board["per_technique"].items())
        md = f"**按员工**:{people}\n\n**按技巧**(用到该技巧的练习):{tech or '—'}"
        # the time as text: a time axis over one instant has no readable ticks; points show single sessions
        trend = pd.DataFrame([{"时间": time.strftime("%m-%d %H:%M", time.localtime(ts)), "得分": score, "员工": p}
                              for p, v in board["per_person"].items() for ts, score in v["series"]],
                             columns=["时间", "得分", "员工"])
        return _score_rows(board["sessions"][:200], titles), md, trend if len(trend) else None

    def on_export(fmt: str, person: str, branch: str, days: float, request: gr.Request = None):
        try:
            return str(service.practice.export(who(request), fmt, **_filters(person, branch, days)))
        except AssistantError:
            return None

    def on_assign(scenario_id: str, difficulty: str, assignee: str, branch: str, note: str,
                  request: gr.Request = None):
        assignee, branch = assignee or "", branch or ""
        try:
            service.practice.assign(scenario_id, who(request), assignee=assignee, branch=branch,
                                    difficulty=difficulty, note=note)
        except AssistantError as exc:
            return f"**{exc.message}**"
        target = f"员工 {assignee.strip()}" if assignee.strip() else f"{branch.strip()} 网点"
        return f"已指派给{_e(target)}:{_e(by_id[scenario_id].title)}"

    difficulty_choices = [(v, k) for k, v in DIFFICULTIES.items()]
    with gr.Tab("练习", id="practice") as tab:
        session = gr.State(None)
        assigned = gr.Markdown(elem_id="practice-assigned")
        with gr.Row():
            assignment = gr.Dropdown([("自选练习", "")], value="", label="指派的练习", min_width=160, scale=1)
            scenario = gr.Dropdown(choices, value=choices[0][1], label="场景(课程案例 / 投诉主题)", scale=3,
                                   min_width=340, elem_id="practice-scenario")
        with gr.Row(equal_height=True):
            difficulty = gr.Radio(difficulty_choices, value="normal", label="难度", scale=3)
            begin = gr.Button("开始练习", variant="primary", scale=1, min_width=120, elem_id="practice-start")
        situation = gr.Markdown(PLACEHOLDER, elem_id="practice-situation")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chat = gr.Chatbot(label="练习对话(左:客户 右:您)", height=300, elem_id="practice-chat",
                                  feedback_options=None)
                mood = gr.Markdown(elem_id="practice-mood")
                reply = gr.Textbox(label="您的回复", lines=3, max_lines=8, elem_id="practice-reply",
                                   placeholder="像在柜台一样说出您的回复,写完点“发送回复”")
                send = gr.Button("发送回复", variant="primary", elem_id="practice-send")
            with gr.Column(scale=2, min_width=300):
                feedback = gr.Markdown(elem_id="practice-feedback")
                result = gr.Markdown(elem_id="practice-result")
        with gr.Accordion("练习成绩", open=True):
            with gr.Row(visible=False) as filters:
                f_person = gr.Textbox(label="员工(空=全部)", max_lines=1, min_width=120)
                f_branch = gr.Textbox(label="网点(空=全部)", max_lines=1, min_width=120)
            with gr.Row():
                f_days = gr.Number(value=90, label="最近天数(0=全部)", min_width=100)
                refresh = gr.Button("刷新成绩", min_width=80, elem_id="practice-refresh")
            board = gr.Markdown(elem_id="practice-board")
            table = gr.Dataframe(headers=SCORE_HEADERS, interactive=False, wrap=True, max_height=300,
                                 elem_id="practice-scores")
            trend = gr.ScatterPlot(x="时间", y="得分", color="员工", title="得分趋势(每次练习一个点)", height=220,
                                   y_lim=[0, 100])
            with gr.Row(visible=False) as export_row:
                fmt = gr.Radio([("Excel", "xlsx"), ("CSV", "csv")], value="xlsx", label="导出格式")
                export_btn = gr.Button("导出成绩")
                export_file = gr.File(label="导出文件")
        with gr.Accordion("指派练习(培训师)", open=False, visible=False) as assign_box:
            with gr.Row():
                a_scenario = gr.Dropdown(choices, value=choices[0][1], label="场景", scale=3)
                a_difficulty = gr.Radio(difficulty_choices, value="normal", label="难度", scale=1)
            with gr.Row():
                a_person = gr.Textbox(label="员工用户名(或留空指派给整个网点)", max_lines=1)
                a_branch = gr.Textbox(label="网点", max_lines=1)
                a_note = gr.Textbox(label="备注", max_lines=1)
            a_btn = gr.Button("指派")
            a_msg = gr.Markdown()

        begin.click(on_start, [scenario, difficulty, assignment],
                    [session, chat, situation, mood, feedback, result, reply], api_name="practice_start")
        sent = [session, chat, mood, feedback, result, reply]
        score_inputs, score_outputs = [f_person, f_branch, f_days], [table, board, trend]
        # a finished session shows in the scores below at once
        send.click(on_send, [session, reply], sent, api_name="practice_reply").then(
            on_scores, score_inputs, score_outputs, api_name=False).then(
            on_open, None, [assigned, assignment, filters, export_row, assign_box], api_name=False)
        reply.submit(on_send, [session, reply], sent, api_name=False)
        refresh.click(on_scores, score_inputs, score_outputs, api_name="practice_scores")
        tab.select(on_open, None, [assigned, assignment, filters, export_row, assign_box], api_name=False).then(
            on_scores, score_inputs, score_outputs, api_name=False)
        assignment.change(on_pick_assignment, assignment, [scenario, difficulty], api_name=False)
        export_btn.click(on_export, [fmt, *score_inputs], export_file, api_name="practice_export")
        a_btn.click(on_assign, [a_scenario, a_difficulty, a_person, a_branch, a_note], a_msg, api_name="practice_assign")
    return tab
