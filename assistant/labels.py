"""The closed label vocabulary of design.md §4: codes in JSON, Chinese names in the UI."""

from __future__ import annotations

EMOTIONS = {0: "平静", 1: "不满", 2: "生气", 3: "暴怒/失控"}

PURPOSES = {
    "explanation": "获得合理解释",
    "quick_fix": "尽快解决问题",
    "no_recurrence": "问题不再发生",
    "vent": "发泄不满",
    "compensation": "求补偿",
}

PERSONALITIES = {"peaceful": "平和型", "lively": "活泼型", "perfect": "完美型", "powerful": "力量型"}

DIFFICULT_TYPES = {
    "emotional": "感情用事者",
    "righteous": "滥用正义感者",
    "stubborn": "固执己见者",
    "prepared": "有备而来者",
    "publicity": "有宣传能力者",
    "unreasonable": "无理取闹者",
}

ZONES = {
    "guidance": "咨询引导区",
    "waiting": "客户等候区",
    "counter": "业务办理区",
    "self_service": "自助服务区",
}

FLAGS = {
    "media_exposure": "媒体/网络曝光",
    "compensation_claim": "索赔/要求补偿",
    "group_complaint": "群体投诉",
    "repeat_complaint": "重复投诉",
    "regulator_escalation": "监管/越级投诉",
    "safety_risk": "安全风险",
    "confidentiality": "要求保密",
    "vulnerable_customer": "特殊/弱势客户",
}

DOMAINS = {"bank": "银行", "real_estate": "房地产"}

CATEGORIES = {
    "technique": "话术技巧",
    "apology": "道歉",
    "refusal": "拒绝与冷处理",
    "customer_type": "难缠客户",
    "personality": "性格类型",
    "questioning": "提问技巧",
    "answering": "回答技巧",
    "process": "处理流程",
    "policy": "制度条款",
    "emergency": "应急预案",
    "real_estate": "房地产交付",
    "regulation": "法规",
    "topic": "投诉主题",
}

# policy answers search only these: they carry clauses with numbers and sources
POLICY_CATEGORIES = frozenset({"policy", "emergency", "regulation"})

ALL_LABEL_CODES = (
    set(PURPOSES) | set(PERSONALITIES) | set(DIFFICULT_TYPES) | set(ZONES) | set(FLAGS)
)


def label_name(code: str) -> str:
    for table in (PURPOSES, PERSONALITIES, DIFFICULT_TYPES, ZONES, FLAGS, DOMAINS):
        if code in table:
            return table[code]
    return code


def label_kind(code: str) -> str:
    if code in FLAGS:
        return "flag"
    if code in DIFFICULT_TYPES:
        return "difficult"
    if code in ZONES:
        return "zone"
    if code in PERSONALITIES:
        return "personality"
    if code in PURPOSES:
        return "purpose"
    return "other"


# where a draft came from (suggest result "draft_source"; the audit log's column of the same name)
DRAFT_SOURCES = {"template": "模板草稿", "template_safe": "模板草稿(保守版)", "llm": "模型草稿",
                 "llm_repaired": "模型草稿(已按检查意见修改)"}

# the three JR/T 0169-2018 codes a bank topic carries, and the real-estate course's category
TOPIC_CODES = {"business": "业务", "business_type": "业务", "cause": "原因", "channel": "渠道", "category": "类别"}

# eval metrics as the trainer reads them (eval.runner summary keys)
METRICS = {
    "hit@3": "技巧命中率(前3)", "recall@5": "技巧召回率(前5)", "mrr": "技巧平均倒数排名",
    "flag_precision": "风险识别精确率", "flag_recall": "风险识别召回率", "label_accuracy": "标签准确率",
    "checker_pass_rate": "草稿话术检查通过率", "requirement_pass_rate": "草稿要求达成率",
    "policy_fact_accuracy": "政策问答事实正确率", "policy_citation_accuracy": "政策问答出处正确率",
    "suggest_p50_ms": "建议耗时中位数(毫秒)", "suggest_p95_ms": "建议耗时P95(毫秒)",
}
# eval checks that can fail on a case (eval.metrics label_checks / draft_requirements names)
EVAL_CHECKS = {"emotion": "情绪等级", "zone": "区域", "personality": "性格", "purposes": "目的",
               "difficult": "难缠类型", "topic": "主题", "must_contain_any": "草稿须含关键词",
               "must_mention": "草稿须提到", "must_not_contain": "草稿不得含", "next_step": "须有下一步"}


def labelled(text: str) -> str:
    """Free text the analysis wrote for people ("提到'抖音' → media_exposure") with every label code
    in it replaced by its Chinese name."""
    import re

    return re.sub(r"(?<![A-Za-z_])[a-z]+(?:_[a-z]+)*(?![A-Za-z_])",
                  lambda m: label_name(m.group(0)), text)
