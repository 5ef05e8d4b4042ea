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
