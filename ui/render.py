"""Turn service results into Markdown for widgets. Pure functions; no computation of answers here."""

from __future__ import annotations

import html

from assistant.labels import DIFFICULT_TYPES, EMOTIONS, FLAGS, PERSONALITIES, PURPOSES, ZONES, label_name


def _e(text: str) -> str:
    # customer text is data: escape it so pasted HTML or script renders as text
    return html.escape(text, quote=False)


def analysis_md(d: dict) -> str:
    a = d["analysis"]
    chips = [f"**情绪** {a['emotion']}·{EMOTIONS[a['emotion']]}", f"**领域** {label_name(a['domain'])}"]
    chips += [f"**目的** {PURPOSES[p]}" for p in a["purposes"]]
    if a["personality"]:
        chips.append(f"**性格** {PERSONALITIES[a['personality']]}")
    chips += [f"**难缠** {DIFFICULT_TYPES[t]}" for t in a["difficult_types"]]
    if a["zone"]:
        chips.append(f"**区域** {ZONES[a['zone']]}")
    lines = [" · ".join(chips)]
    if a["flags"]:
        lines.append("\n**⚠ 风险提示**")
        for f in a["flags"]:
            lines.append(f"- **{FLAGS[f]}** — {_e('; '.join(a['reasons'].get(f, [])))}")
    why = [f"{label_name(k)}:{_e(v[0])}" for k, v in a["reasons"].items() if k not in FLAGS and k != "domain"]
    if why:
        lines.append("\n<details><summary>判断依据</summary>\n\n" + "\n".join(f"- {w}" for w in why) + "\n</details>")
    return "\n".join(lines)


def techniques_md(d: dict) -> str:
    out = []
    for t in d["techniques"]:
        ex = "".join(f"\n  - “{_e(x)}”" for x in t.get("examples", []))
        out.append(f"<details><summary><b>{_e(t['title'])}</b> — {_e(t['why'])}</summary>\n\n"
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


def answer_md(d: dict) -> str:
    if not d["found"]:
        return f"**未找到** — {_e(d['answer'])}"
    parts = []
    for c in d["citations"]:
        kind = "原文" if c.get("verbatim", True) else "要点转述"
        parts.append(f"> {_e(c['quote'])}\n\n—— 《{_e(c['source'])}》{_e(c['section'])}({kind})")
    return "\n\n".join(parts)


SOURCES = {"template": "模板草稿", "template_safe": "模板草稿(保守版)", "llm": "模型草稿", "llm_repaired": "模型草稿(已按检查意见修改)"}


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


def review_rows(rows: list[dict]) -> list[list]:
    import time

    fb = {"adopted": "采用", "edited": "修改后采用", "rejected": "不采用", None: ""}
    return [[r["id"], time.strftime("%m-%d %H:%M", time.localtime(r["ts"])), r["user"], r["flags"],
             r["redacted_text"][:60], fb.get(r["feedback"], r["feedback"]), r["rating"] or ""] for r in rows]


def stats_md(stats: dict) -> str:
    s = stats["share"]
    lines = [f"共 {stats['suggestions']} 条建议,{stats['with_feedback']} 条有反馈:",
             f"- 采用 {s['adopted']:.0%} · 修改后采用 {s['edited']:.0%} · 不采用 {s['rejected']:.0%}",
             f"- 修改后采用的平均编辑距离:{stats['mean_edit_distance']:.1f} 字"]
    if stats["techniques_edited_or_rejected"]:
        lines.append("- 常被改掉/不采用的技巧:" + "、".join(
            f"{_e(k)}({v})" for k, v in stats["techniques_edited_or_rejected"].items()))
    return "\n".join(lines)


def eval_failures_md(cases: list[dict]) -> str:
    bad = [c for c in cases if (c["kind"] == "suggest" and (not c["hit3"] or c["flag_errors"] or c["labels_failed"]
                                                             or c["reqs_failed"] or not c["check_ok"]))
           or (c["kind"] == "policy" and not (c["fact_ok"] and c["cite_ok"]))]
    lines = [f"**未通过的用例({len(bad)})**"]
    for c in bad:
        if c["kind"] == "policy":
            lines.append(f"- `{c['id']}` 政策问答:期望 {_e(str(c['expected']))};实际 {_e(c['answer'][:80])}")
        else:
            lines.append(f"- `{c['id']}` 期望技巧之一 {c['expected_any'][:4]},实际 {c['techniques'][:3]};"
                         f"风险 {c['flags']}/期望 {c['flags_expected']};标签未过 {c['labels_failed']};"
                         f"草稿要求未过 {c['reqs_failed']}")
    return "\n".join(lines)


def register_rows(rows: list[dict]) -> list[list]:
    from assistant.register import PLAN_CLASSES

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
