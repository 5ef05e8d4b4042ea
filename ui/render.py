"""Turn service results into Markdown for widgets. Pure functions; no computation of answers here."""

from __future__ import annotations

import html

from assistant.labels import (
    DIFFICULT_TYPES,
    DRAFT_SOURCES,
    EMOTIONS,
    EVAL_CHECKS,
    FLAGS,
    METRICS,
    PERSONALITIES,
    PURPOSES,
    TOPIC_CODES,
    ZONES,
    label_name,
    labelled,
)


def _e(text: str) -> str:
    # customer text is data: escape it so pasted HTML or script renders as text
    return html.escape(text, quote=False)


def _chip(kind: str, text: str, extra: str = "") -> str:
    return f"<span class='chip{extra}'><b>{kind}</b> {_e(text)}</span>"


def topic_chip(topic: dict | None) -> str:
    """The complaint's topic with its classification codes; empty when the analysis has none."""
    if not isinstance(topic, dict) or not topic.get("title") or topic.get("id") in (None, "other"):
        return ""
    codes = topic.get("codes") or {}
    if isinstance(codes, dict):
        parts = [f"{TOPIC_CODES.get(k, '')}{' ' if k in TOPIC_CODES else ''}{v}" for k, v in codes.items() if v]
    else:
        parts = [str(c) for c in codes if c]
    text = str(topic["title"]) + (f"({' · '.join(parts)})" if parts else "")
    conf = topic.get("confidence")
    if isinstance(conf, int | float) and conf < 0.5:
        text += " · 待确认"
    return _chip("主题", labelled(text), " topic")


# analysis reasons filed under something other than a label code
REASON_KINDS = {"emotion": "情绪", "topic": "主题", "domain": "领域"}


def _reason(text: str) -> str:
    """An analysis reason for people: label codes as their names, emotion levels as words."""
    import re

    return _e(re.sub(r"情绪(?:等级)? ?([0-3])", lambda m: f"情绪“{EMOTIONS[int(m.group(1))]}”", labelled(text)))


def analysis_md(d: dict) -> str:
    """The situation: emotion in words, purposes, type, zone and topic as chips, and why."""
    a = d["analysis"]
    chips = [_chip("情绪", EMOTIONS[a["emotion"]], f" emotion-{a['emotion']}"), _chip("领域", label_name(a["domain"]))]
    chips += [_chip("目的", PURPOSES[p]) for p in a["purposes"]]
    if a["personality"]:
        chips.append(_chip("性格", PERSONALITIES[a["personality"]]))
    chips += [_chip("难缠", DIFFICULT_TYPES[t]) for t in a["difficult_types"]]
    if a["zone"]:
        chips.append(_chip("区域", ZONES[a["zone"]]))
    if topic := topic_chip(a.get("topic")):
        chips.insert(0, topic)
    lines = [" ".join(chips)]
    why = [f"{REASON_KINDS.get(k) or label_name(k)}:{_reason(v[0])}" for k, v in a["reasons"].items()
           if k not in FLAGS and k != "domain" and v]
    if why:
        lines.append("\n<details><summary>判断依据</summary>\n\n" + "\n".join(f"- {w}" for w in why) + "\n</details>")
    return "\n".join(lines)


def risk_md(d: dict) -> str:
    """The risk flags with what triggered them, then the procedural next steps: what staff must not miss."""
    a = d["analysis"]
    lines = []
    if a["flags"]:
        lines.append("**⚠ 风险提示**")
        for f in a["flags"]:
            lines.append(f"- **{FLAGS[f]}** — {_reason('; '.join(a['reasons'].get(f, [])))}")
    else:
        lines.append("**风险提示**:未发现风险标记")
    if d["next_steps"]:
        lines += ["", "**下一步**", steps_md(d)]
    return "\n".join(lines)


def techniques_md(d: dict) -> str:
    out = []
    for t in d["techniques"]:
        ex = "".join(f"\n  - “{_e(x)}”" for x in t.get("examples", []))
        out.append(f"<details><summary><b>{_e(t['title'])}</b> — {_reason(t['why'])}</summary>\n\n"
                   f"- 要点:{_e(t.get('key_line', ''))}{ex}\n- 出处:{_e(t['source'])}\n</details>")
    return "\n\n".join(out) or "—"


def steps_md(d: dict) -> str:
    return "\n".join(f"{i}. {_e(s)}" for i, s in enumerate(d["next_steps"], 1))


def check_md(d: dict) -> str:
    if d["ok"] and not d["findings"]:
        return "**〔通过〕** 话术检查通过"
    lines = ["**〔有问题〕** 话术检查发现问题:" if not d["ok"] else "**〔提示〕**"]
    for f in d["findings"]:
        lines.append(f"- **{_e(f['title'])}**:「{_e(f['span'])}」→ {_e(f['advice'])}")
    return "\n".join(lines)


def check_summary_md(d: dict) -> str:
    """One line beside the marked draft (which carries the spans, messages and advice)."""
    if d["ok"] and not d["findings"]:
        return "**〔通过〕** 话术检查通过"
    titles = list(dict.fromkeys(f["title"] + ("" if f.get("blocking", True) else "(提示)") for f in d["findings"]))
    head = "**〔有问题〕** 话术检查" if not d["ok"] else "**〔提示〕** 话术检查"
    return f"{head}:{_e('、'.join(titles))}(已在下方标出,请改写)"


_MARKS = "①②③④⑤⑥⑦⑧⑨⑩"


def _zh(message: str) -> str:
    """The Chinese half of a bilingual message ("中文 / English")."""
    return message.split(" / ", 1)[0].strip()


def draft_marks_html(draft: str, d: dict | None) -> str:
    """The draft as typed, each finding's span marked with its Chinese rule title, and under it one
    line a finding: the title, what is wrong and a better wording. Warnings that cover the whole
    draft (its length) have nothing to point at and are listed only. Empty for an empty draft."""
    if not draft.strip() or not d:
        return ""
    findings = sorted(d.get("findings") or [], key=lambda f: (f["start"], -f["end"]))
    if not findings:
        return ""
    parts, items, pos = [], [], 0
    for i, f in enumerate(findings):
        n = _MARKS[i] if i < len(_MARKS) else f"({i + 1})"
        kind = "block" if f.get("blocking", True) else "warn"
        title = f["title"] + ("" if kind == "block" else "(提示)")
        items.append(f"<li class='{kind}'><b>{n} {_e(title)}</b>:{_e(_zh(f.get('message') or ''))}"
                     f"<br><span class='advice'>建议:{_e(f.get('advice') or '')}</span></li>")
        start, end = max(f["start"], pos), f["end"]
        whole = f["start"] == 0 and end >= len(draft) and not f.get("blocking", True)
        if whole or end <= start:
            continue  # nothing left to point at (a length note, or a span inside an earlier one)
        parts.append(_lines(draft[pos:start]))
        parts.append(f"<mark class='{kind}' title='{_e(title)}:{_e(_zh(f.get('message') or ''))}'>"
                     f"{_lines(draft[start:end])}</mark><span class='tag {kind}'>{n}{_e(title)}</span>")
        pos = end
    parts.append(_lines(draft[pos:]))
    # one line of HTML: it is shown inside the check's Markdown, where a blank line would end the block
    return f"<div class='draft-marks'><div class='text'>{''.join(parts)}</div><ol>{''.join(items)}</ol></div>"


def _lines(text: str) -> str:
    return _e(text).replace("\n", "<br>")


def check_live_md(draft: str, d: dict) -> str:
    """What the desk shows under the draft as staff type: the one-line verdict, then the draft with
    each problem marked and its message (nothing more when the draft passes clean)."""
    marks = draft_marks_html(draft, d)
    return check_summary_md(d) + (f"\n\n{marks}" if marks else "")


CONFIDENCE = {"high": "**〔较确定〕**", "low": "**〔可能相关〕** 未能确定条文直接回答了这个问题,请核对原文。"}


def answer_md(d: dict) -> str:
    """The direct answer first, then the quoted clauses with their citations; "not found" lists
    the nearest clauses to look at."""
    if not d["found"]:
        lines = ["**未找到** — 制度文件中未找到相关规定,请咨询上级或合规部门。(Not found in the procedures.)"]
        part = d.get("partial")
        if part:
            lines.append(f"\n其中「{_e(part['ask'])}」制度里有答案;「{_e(part['rest'])}」制度文件中未找到。"
                         "(Only the earlier part is answered.)")
            lines.append(f"\n{CONFIDENCE.get(part.get('confidence', ''), '')} {_e(part['direct'])}".rstrip())
            lines += ["\n" + _citation_md(c) for c in part["citations"]]
        elif d.get("nearest"):
            lines.append("\n可以查看这几条相近的规定:")
            lines += [f"{i}. 《{_e(n['source'])}》{_e(n['section'])} {_e(n.get('title', ''))}"
                      for i, n in enumerate(d["nearest"], 1)]
        return "\n".join(lines)
    parts = []
    confidence = CONFIDENCE.get(d.get("confidence", ""), "")
    if d.get("direct"):
        parts.append(f"{confidence} {_e(d['direct'])}".strip())
    elif confidence:
        parts.append(confidence)
    parts += [_citation_md(c) for c in d["citations"]]
    return "\n\n".join(parts)


def _citation_md(c: dict) -> str:
    kind = "原文" if c.get("verbatim", True) else "要点转述"
    return f"> {_e(c['quote'])}\n\n—— 《{_e(c['source'])}》{_e(c['section'])}({kind})"


SOURCES = DRAFT_SOURCES


def source_md(d: dict) -> str:
    text = f"草稿来源:**{SOURCES.get(d.get('draft_source', 'template'), d.get('draft_source'))}**"
    if d.get("llm_ms"):
        text += f" · 模型用时 {d['llm_ms'] / 1000:.1f} 秒"
    if d.get("llm_reason"):
        text += f" · 改用模板:{_e(d['llm_reason'])}"
    return text


def diff_html(suggested: str, final: str) -> str:
    """Character diff of what was suggested and what staff sent: deletions struck, insertions marked."""
    import difflib

    out = []
    sm = difflib.SequenceMatcher(a=suggested or "", b=final or "", autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.append(_e(suggested[i1:i2]))
        if tag in ("delete", "replace"):
            out.append(f"<del style='color:#b00'>{_e(suggested[i1:i2])}</del>")
        if tag in ("insert", "replace"):
            out.append(f"<ins style='color:#070'>{_e(final[j1:j2])}</ins>")
    return "".join(out)


REVIEW_HEADERS = ["时间", "用户", "风险", "客户原话(已脱敏)", "反馈", "评分"]


def review_rows(rows: list[dict]) -> list[list]:
    """The review queue as the trainer reads it; the row ids travel separately (a click opens one)."""
    import time

    from assistant.records.audit import FEEDBACK

    return [[time.strftime("%m-%d %H:%M", time.localtime(r["ts"])), r["user"],
             "、".join(FLAGS.get(f, f) for f in (r["flags"] or "").split(",") if f) or "—",
             r["redacted_text"][:60], FEEDBACK.get(r["feedback"], "未反馈"), r["rating"] or ""] for r in rows]


def stats_md(stats: dict) -> str:
    s = stats["share"]
    lines = [f"共 {stats['suggestions']} 条建议,{stats['with_feedback']} 条有反馈:",
             f"- 采用 {s['adopted']:.0%} · 修改后采用 {s['edited']:.0%} · 不采用 {s['rejected']:.0%}",
             f"- 修改后采用的平均编辑距离:{stats['mean_edit_distance']:.1f} 字"]
    if stats["techniques_edited_or_rejected"]:
        lines.append("- 常被改掉/不采用的技巧:" + "、".join(
            f"{_e(k)}({v})" for k, v in stats["techniques_edited_or_rejected"].items()))
    return "\n".join(lines)


def metric_rows(summary: dict) -> list[list]:
    """The eval summary as 指标/数值 rows: rates as percentages, times in ms, no cases as —."""
    def shown(key: str, value) -> str:
        if value is None:
            return "—"
        return f"{value:.1f}" if key.endswith("_ms") else f"{value:.1%}"

    return [[name, shown(key, summary[key])] for key, name in METRICS.items() if key in summary]


def _failed(c: dict) -> bool:
    if c["kind"] == "policy":
        return not (c["fact_ok"] and c["cite_ok"])
    return bool(not c["hit3"] or c["flag_errors"] or c["labels_failed"] or c["reqs_failed"] or not c["check_ok"])


def _check_name(name: str) -> str:
    key, _, word = name.partition(":")
    return EVAL_CHECKS.get(key, "其他检查") + (f"“{word}”" if word else "")


FAILURE_HEADERS = ["用例", "类型", "期望", "实际", "未通过项"]


def eval_failure_rows(cases: list[dict], titles: dict[str, str]) -> list[list]:
    """One row per failing case, card ids shown as the cards' titles and flags in Chinese."""
    def names(ids: list[str], n: int) -> str:
        return "、".join(titles.get(i, i) for i in ids[:n]) or "—"

    def flags(codes: list[str] | None) -> str:
        return "不判定" if codes is None else ("、".join(FLAGS.get(f, f) for f in codes) or "无")

    out = []
    for c in cases:
        if not _failed(c):
            continue
        if c["kind"] == "policy":
            e = c["expected"]
            want = ("应找到:" + "、".join(e.get("facts", [])) if e.get("found") else "应答“未找到”") + (
                f"(出处 {e['source']})" if e.get("source") else "")
            problems = [p for p, ok in (("事实", c["fact_ok"]), ("出处", c["cite_ok"])) if not ok]
            out.append([c["id"], "政策问答", want, c["answer"][:80], "、".join(problems)])
            continue
        problems = []
        if not c["hit3"]:
            problems.append("技巧未命中前3")
        if c["flag_errors"]:
            problems.append("风险:" + "、".join(FLAGS.get(f, f) for f in c["flag_errors"]))
        problems += [_check_name(n) for n in c["labels_failed"] + c["reqs_failed"]]
        if not c["check_ok"]:
            problems.append("草稿未过话术检查")
        out.append([c["id"], "回复建议", f"技巧之一:{names(c['expected_any'], 4)};风险:{flags(c['flags_expected'])}",
                    f"技巧:{names(c['techniques'], 3)};风险:{flags(c['flags'])}", ";".join(problems)])
    return out


def eval_failures_md(cases: list[dict]) -> str:
    bad = sum(_failed(c) for c in cases)
    return f"**未通过的用例({bad} / {len(cases)})**" + ("" if bad else " — 全部通过")


def register_rows(rows: list[dict]) -> list[list]:
    from assistant.records.register import PLAN_CLASSES

    out = []
    for r in rows:
        if r["overdue"] and r["status"] not in ("已办结", "已回访"):
            badge = "⚠ 超时:" + "、".join(r["overdue"])
        elif r.get("next_due"):
            left = r["next_due"]["seconds_left"]
            badge = f"{r['next_due']['name']} 剩 {left // 3600}:{left % 3600 // 60:02d}"
        else:
            badge = "—"
        out.append([r["id"], r["received_at"][:16].replace("T", " "), r["branch"], r["status"], badge,
                    r["count_class"], PLAN_CLASSES[r["plan_class"]], r["matter"][:40]])
    return out
