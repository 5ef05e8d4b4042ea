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
        return "✅ 话术检查通过"
    lines = ["❌ 话术检查发现问题:" if not d["ok"] else "⚠ 提示:"]
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
