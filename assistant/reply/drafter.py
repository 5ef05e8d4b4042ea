"""The template drafter: composes a spoken reply from the situation and the chosen techniques.

Parts, in order: empathy fitted to the emotion; an apology for the experience (never for an
unverified fault); a paraphrase of the customer's concern in their own words; technique
moves; a clarifying question when facts are missing; a next step with a time drawn from the
procedures; a close. Variants are picked by a hash of the text, so different complaints read
differently while the same input always gets the same draft.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

from assistant.reply import rules
from assistant.reply.analysis import Analysis
from assistant.reply.topics import TopicResult
from assistant.text.scan import finditer
from assistant.text.turns import newest_words, staff_spoke

_SENT = re.compile(r"[^。!?!?;;\n]+")
_INJECTION = re.compile(r"忽略|无视|指令|提示词|system|prompt|你现在是|扮演|ignore|instruction|角色", re.I)
_THREAT = re.compile(
    "|".join(r.pattern.pattern for r in rules.FLAG_RULES if r.code in ("media_exposure", "regulator_escalation", "safety_risk"))
)
_CLAUSE = re.compile(r"[,,、]")
_DEMAND = re.compile(r"赔|补偿|违约金|不给.{0,4}(说法|办)|要求|必须|否则|不然")
# words the customer reports someone else saying are theirs to quote, not ours to repeat
_REPORTED = re.compile(r"(你|他|她|柜员|经理|保安|师傅|置业顾问)(们)?(说|让我|叫我|跟我说|告诉我)")
_DETAIL = re.compile(r"\d|(?<![一二三四五六七八九十两])[一二三四五六七八九十两]{1,6}(点|号|天|次|个|万|千|百|元|块)|昨天|今天|上午|下午|前天|上周|月|日")


class Drafter(Protocol):
    def draft(self, analysis: Analysis, technique_ids: list[str], text: str) -> str: ...


def _pick(options: list[str], seed: int, salt: int = 0) -> str:
    return options[(seed + salt * 7) % len(options)]


EMPATHY = {
    0: ["您好,感谢您把情况告诉我。", "您好,您说的情况我都认真听了。", "谢谢您专门跟我们说这件事。"],
    1: ["您的心情我能理解,遇到这种事谁都会不舒服。", "我明白您现在挺着急的。", "换作是我,心里也会不痛快。"],
    2: ["您先别着急,您说的每一句我都在认真听。", "这件事让您这么生气,我完全能理解。", "您这么着急,我特别能理解,换谁都会有火气。"],
    3: ["您先消消气,您说的我全都记着,咱们一件一件来。", "我看得出您现在非常生气,您的话我一句都不会漏。", "您先别急,有什么话冲着我说,我来帮您处理。"],
}
APOLOGY = [
    "这件事给您添了麻烦,我先跟您说声对不起。",
    "让您受累了,真的很抱歉。",
    "耽误了您的时间,给您带来这么多不便,我很抱歉。",
]
TECHNIQUE_MOVES = {
    "huashu-3f": ["不少客户遇到同样的事,一开始也跟您一样着急,后来把情况一项项查清楚,心里就踏实多了。"],
    "qiwang-tongyizhanxian": ["这件事我跟您站在一边,咱们一起把它弄清楚。"],
    "qiwang-lijie": ["您这么在意这件事,换了是我也一样。"],
    "nuhuo-yindao": ["谁的原因我们一定查清楚,眼下最要紧的是先把您的事解决。"],
    "huashu-liangjie": ["您说的有道理,我这边能做的,我一定马上去做。"],
    "huashu-sandiming": ["您想尽快把事情办好,这个想法完全合理;同时有些环节需要核实,我会把每一步都跟您说清楚。"],
    "nanchan-youbei": ["您说的几点我都一字一句记下来了,我们会按规定核实。"],
    "nanchan-zhengyi": ["您提的问题对其他客户也有帮助,谢谢您说出来。"],
    "qiwang-qingjiao": ["您对这事看得很清楚,也想听听您觉得怎样处理最合适。"],
}
CONFIDENTIAL = "您放心,您跟我说的内容我们会保密,不会告诉其他人。"
SAFETY = {
    "bank": "这边人多说话不方便,您到里面坐下,喝口水,我们慢慢说。",
    "real_estate": "这边人多说话不方便,您到会议室坐下,喝口水,我们慢慢说。",
}
GROUP = {
    "bank": "人多大家的话我怕听漏,麻烦大家推选几位代表,我们到里面坐下把每个人的情况都记下来。",
    "real_estate": "各位业主的意见都很重要,人多怕听漏,麻烦大家推选几位代表,我们到会议室把每一条诉求都记下来。",
}
GROUP_REP = {
    "bank": "您代表大家来,我们到里面坐下,把每个人的情况都一条条记下来。",
    "real_estate": "您代表大家来,我们到会议室坐下,把每一条诉求都记下来。",
}
VULNERABLE = "您慢慢说,先坐下歇一歇,不着急。"
# someone in a wheelchair is not offered a seat
SEATED_LINE = "您慢慢说,不着急,需要我帮忙的地方您随时说。"
# a complaint put in writing (a letter, a post the regulator or a hotline forwards) is answered, not met
# at the counter: nobody is asked to sit down, and the story it tells is followed up, not "办" today
_LETTER = re.compile(r"尊敬的|领导(您|你)?好|相关部门|本人|贵行|贵公司|贵单位|特此|恳请|此致|望(贵|有关|相关|领导)|如下|[1-9一二三四五][.、．]|[0-9]{4}年")
_SPOKEN = re.compile(r"[啊呀嘛吧咋啥俺哎唉呗]")
WRITTEN_SHORT_CHARS = 80  # a short letter shows it by many marks
WRITTEN_MIN_CHARS = 150  # one breath at a counter rarely runs longer
WRITTEN_LONG_CHARS = 300
WRITTEN_ACTION = {
    "bank": ["您反映的每一点我都登记下来,交给负责的同事逐项核实,核实结果按规定答复您。",
             "您说的情况我原原本本转给负责的同事调查,每一项都会给您答复。"],
    "real_estate": ["您反映的每一点我都登记下来,请工程和客服的同事逐项核实,需要上门查看的我们约好时间。",
                    "您说的情况我原原本本转给项目上负责的同事核实,每一项都会给您答复。"],
}
WRITTEN_BOSS = {"bank": "您要找负责人,我把您反映的情况报给负责人,请他直接跟您联系。",
                "real_estate": "您要找负责人,我把您反映的情况报给项目负责人,请他直接跟您联系。"}
WRITTEN_GROUP = {"bank": "大家反映的情况我逐条登记,统一核实后一并答复。",
                 "real_estate": "各位业主反映的情况我逐条登记,统一核实后一并答复。"}


def written(text: str) -> bool:
    """Letter-like: long, with a letter's marks (尊敬的, 本人, numbered points, dated events) and few of
    speech's particles (啊, 吧, 咋, 俺)."""
    if len(text) < WRITTEN_SHORT_CHARS:
        return False
    marks = len({m.group(0)[:2] for m in _LETTER.finditer(text)}) - len(_SPOKEN.findall(text))
    if len(text) < WRITTEN_MIN_CHARS:
        return marks >= 3
    return marks >= 1 or (len(text) >= WRITTEN_LONG_CHARS and marks >= 0)


QUESTIONS = {
    "bank": ["为了尽快帮您查,方便说一下是哪天、哪一笔业务吗?", "我先确认一下:这是什么时候发生的、涉及哪张卡或哪笔钱?",
             "您希望我们先处理哪件事?我好马上安排。"],
    "real_estate": ["方便告诉我是哪栋哪户、问题是从什么时候开始的吗?", "我先确认一下房号和具体位置,好让工程部对着查。",
                    "您希望我们先处理哪一项?我好马上安排。"],
}
NEXT = {
    "bank": [
        "我现在就把情况报给负责人,4小时内给您回复处理情况。",
        "我马上登记并交给负责的同事,4小时之内一定给您回个准信。",
    ],
    "real_estate": [
        "我今天就把情况登记好交给工程部,约好上门查看的时间后第一时间告诉您。",
        "我今天就报给项目负责人,明确处理办法和时间后马上回复您。",
    ],
}
COMPENSATION = "您提出的补偿要求我已经记下来了,需要会同业务部门核实后才能答复您,我不能在这儿随口应承。"
COMPENSATION_RE = "您提出的补偿诉求我已经记下来了,会对照合同报公司核实后答复您,我不能在这儿随口应承。"
ESCALATE = "这件事我马上报告负责人,请他亲自跟您谈。"
CLOSE = {
    "powerful": ["您看这样安排行吗?您定。"],
    "peaceful": ["您看这样可以吗?有哪里不合适您尽管跟我说。"],
    "perfect": ["处理的每一步我都会跟您说清楚,您看可以吗?"],
    "lively": ["您看这样行不行?有什么想法随时叫我。"],
    None: ["您看这样安排可以吗?", "您看这样处理行吗?", "这样安排您看合适吗?"],
}


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "little")


_PRONOUNS = [("你们", "我们"), ("我们", "您这边"), ("我的", "您的"), ("我", "您"), ("你", "我")]


_EDGE = re.compile(r"^[\s,,、]+|[\s,,、]+$")


def _trim(text: str) -> str:
    return _EDGE.sub("", text)


_CODE = re.compile(r"[<>{}=;$`\\]|--|drop\s+table|select\s|script", re.I)


def _spoken_chinese(clause: str) -> bool:
    """Only plain Chinese speech is echoed back: never markup, code or another language."""
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in clause)
    return not _CODE.search(clause) and han >= max(2, len(clause.strip()) * 0.6)


def _concern_score(sent: str) -> int:
    score = 3 * len(rules.cues(rules.UNHAPPY, sent)) + 2 * len(rules.cues(_DETAIL, sent))
    score += len(rules.cues(rules.BANK, sent)) + len(rules.cues(rules.REAL_ESTATE, sent))
    score -= 6 * len(rules.cues(rules.ANGER, sent) + rules.cues(rules.RAGE, sent))
    return score + (2 if 8 <= len(sent) <= 60 else 0)


def _second_person(text: str) -> str:
    # swap through markers so 你们->我们 is not turned back by 我们->您这边
    for i, (a, _) in enumerate(_PRONOUNS):
        text = text.replace(a, f"\x00{i}\x00")
    for i, (_, b) in enumerate(_PRONOUNS):
        text = text.replace(f"\x00{i}\x00", b)
    return text


def paraphrase(customer_text: str, skip_questions: bool = False) -> str:
    """The customer's concrete concern in their own words, turned to second person, without threats or insults.

    skip_questions: mid-conversation a question is answered, not read back ("人多就是你们的理由?").
    """
    candidates = []
    for m in _SENT.finditer(customer_text):
        sent = m.group()
        asked = customer_text[m.end():m.end() + 1] in ("?", "?") or sent.rstrip().endswith("吗")
        if _INJECTION.search(sent) or (skip_questions and asked):
            continue
        # keep the clauses that state the problem; threats and demands are answered elsewhere
        kept = [c for c in _CLAUSE.split(sent)
                if c.strip() and not _THREAT.search(c) and not _DEMAND.search(c) and not _REPORTED.search(c)
                and _spoken_chinese(c)]
        s = _trim(",".join(c.strip() for c in kept))
        if len(s) >= 4:
            candidates.append((_concern_score(s), s))
    if not candidates:
        return ""
    best = max(candidates, key=lambda c: c[0])[1]
    best = rules.ANGER.sub("", rules.RAGE.sub("", best))
    best = _second_person(best)
    best = _trim(re.sub(r"[吗呢吧啊呀嘛]+$", "", best))
    if len(best) > 40:
        cut = max(best.rfind(",", 0, 40), best.rfind(",", 0, 40))
        best = best[:cut] if cut >= 12 else best[:40] + "……"
    return best


# ---- drafter v2: built on the topic -------------------------------------------------------
# the first sentence: empathy fitted to the emotion, read back through the topic's neutral matter
# phrase (never the customer's own accusation turned to first person)
TOPIC_OPEN = {
    0: ["您好,{m},我来帮您看一下。", "您好,{m}我清楚了,我给您说明一下。", "您好,{m},我这就帮您弄清楚。"],
    1: ["{m}给您添麻烦了,很抱歉,您的心情我能理解。", "{m}让您不痛快了,给您添麻烦了,很抱歉。",
        "{m}我听明白了,给您添麻烦了,真对不起。"],
    2: ["{m}让您这么着急,换谁都会上火,给您添麻烦了。", "{m}让您生气了,我完全理解,给您添麻烦了,很抱歉。",
        "您这么着急我能理解,{m}我都记下了,给您添麻烦了。"],
    3: ["您先消消气,{m}我都记下了,给您添麻烦了,很抱歉。", "我看得出您非常生气,{m}我一句都不会漏,给您添麻烦了。"],
}
# our own people's service is the matter (JR/T 0169 cause 服务态度及服务质量: a rude reply, a long wait):
# the course's first move there is a plain apology, so the opening always says 抱歉 or 对不起
APOLOGY_CAUSES = {"服务态度及服务质量"}
_APOLOGY = re.compile(r"抱歉|对不起")


def _openings(topic: TopicResult, emotion: int) -> list[str]:
    pool = TOPIC_OPEN[emotion]
    if emotion >= 1 and topic.codes.get("cause") in APOLOGY_CAUSES:
        return [o for o in pool if _APOLOGY.search(o)] or pool
    return pool


GENERIC_OPEN = {
    0: ["您好,您说的情况我都认真听了。", "您好,感谢您把情况告诉我。"],
    1: ["给您添麻烦了,很抱歉,您反映的情况我都记下了。", "您的心情我能理解,给您添麻烦了,很抱歉。"],
    2: ["您这么着急我能理解,给您添麻烦了,您说的我都记下了。", "这件事让您这么生气,我完全理解,您说的我都记下了。"],
    3: ["您先消消气,您说的每一句我都记着,咱们一件一件来。", "我看得出您非常生气,您的话我一句都不会漏。"],
}
# an unknown topic: ask for the facts instead of reading back words the checker cannot vouch for
GENERIC_ACTION = {
    "bank": ["为了尽快帮您查清楚,方便说一下是哪天、办的哪项业务吗?", "我先帮您把经过登记下来,具体是哪项业务、什么时候的事,您跟我说一下。"],
    "real_estate": ["方便告诉我房号和具体情况吗?我好马上安排核实。", "我先把房号和问题登记下来,请负责的同事核实情况。"],
}
# ...but a customer who has told the whole story is not asked for it again, nor offered business they
# did not come for ("今天您要办的事,我先帮您办" read oddly to someone who came only to complain)
GENERIC_ACTION_TOLD = {
    "bank": ["每一点我都登记好,交给负责的同事一项项核实,查清楚了给您一个明确的说法。",
             "这件事我原原本本转给负责的同事去查,查到哪一步都跟您说。"],
    "real_estate": ["每一点我都登记好,请工程和客服的同事去现场核实;需要上门的,我帮您约好时间。",
                    "这件事我原原本本转给项目上负责的同事核实处理,每一步都跟您说清楚。"],
}
TOLD_CHARS = 30  # a customer who said this much has told what happened
# ...unless all they said is anger, a threat or "叫领导" with no matter named: then they are asked, and a
# customer back again about it ("第四回了,我不想再从头讲") is spared telling it all again
UNNAMED_ASK = {
    "bank": ["您跟我说说遇到了什么事,我了解清楚,马上帮您处理。"],
    "real_estate": ["您跟我说说是什么问题、您家是哪栋哪户,我马上安排处理。"],
}
# ...and not greeted with "您说的我都记下了" just before being asked what happened
UNNAMED_OPEN = {
    0: ["您好,您别着急。"],
    1: ["给您添麻烦了,很抱歉,您别着急。"],
    2: ["您这么着急我能理解,您先消消气。", "让您这么生气,很抱歉,您先消消气。"],
    3: ["我看得出您非常生气,您先消消气。", "您先消消气,有话咱们慢慢说。"],
}
UNNAMED_ASK_CHARS = 120
# "我不想再从头讲了", "你们自己翻记录", "我都说了八百遍了": told before, whether or not the repeat flag
# caught it; "你再说一遍试试?" is a dare, not a retelling asked for
_TOLD_BEFORE = re.compile(r"(从头|重新)再?(讲|说)|(让|要|叫)我再(说|讲)一遍|翻.?记录|"
                          r"(说|讲)(过|了)(好几|多少|八百|几|[一二三四五六七八九十两百])(次|回|遍)")
UNNAMED_AGAIN = {
    "bank": ["我先把您之前的登记记录调出来看,不用您从头再讲;办到哪一步了,我看完当面跟您说清楚。"],
    "real_estate": ["我先把您之前的报修和登记记录调出来看,不用您从头再讲;办到哪一步了,我看完当面跟您说清楚。"],
}
OVERLAP_RUN = 5  # two lines sharing this many characters say the same thing twice


def _runs(text: str, n: int = OVERLAP_RUN) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def _fresh(line: str, said: set[str]) -> bool:
    """The line says nothing the draft already said."""
    return not (_runs(line) & said)
GO_FIRST = re.compile(r"(插个?(空|队)|先给我办|让我先办|先办我的|加个塞)")
# mid-conversation: what the newest words ask for is answered first
# the answer to "叫你们经理来": at the counter the boss comes over; a letter is told he will get in touch
BOSS_COMES = {"bank": "您要找负责人,我这就去请负责人过来跟您当面谈。",
              "real_estate": "您要找负责人,我这就请项目负责人过来跟您当面谈。"}
NOBODY_FOLLOWED_UP = "前面没人跟进,这次我直接报给负责人,由我跟您对接到办完。"
ASKS_WHY = "您愿意的话跟我说说"
_SHOWN = {"哪一条": "条款"}  # how a thing asked to see is said back
SHOW_RECORD = "您要看的{x},我报给负责人,按规定能给您看的给您看,不能给的也跟您说明原因。"
FRAUD_TOPIC = "topic-identity-fraud"
# a family member spoken of who is not here ("我妈八十多了下不了楼"): the one at the counter is not offered a seat
_RELATIVE = re.compile(r"我(妈|爸|母亲|父亲|奶奶|爷爷|外婆|姥姥|外公|姥爷|老伴|岳母|岳父|婆婆|公公|娘|爹)|俺(妈|娘|爹|爸)|家里老人")
_RELATIVE_HERE = re.compile(r"(带|陪|推|扶|领)(着)?(我|俺|她|他)|(一起|都)(来|在)|(她|他)(也)?(来了|在(旁边|门口|外面|车里))|"
                            r"在(旁边|门口|外面|车里)(等|坐)|"
                            # the speaker frail themself: the seat is for them
                            r"我(的)?(腿|腰|身体|年纪|岁数)|我[^。!?!?]{0,4}(站不住|走不动|站不了)")


# the words by which a topic's action already answers an ask (ask answer line -> its key)
_ASK_KEY = re.compile(r"上门|明细|监控|录像")
_SAME_KEY = {"监控": ("监控", "录像"), "录像": ("监控", "录像"), "明细": ("明细", "流水"), "上门": ("上门",)}


def _covered(answer: str, action: str) -> bool:
    key = _ASK_KEY.search(answer)
    return bool(key) and any(k in action for k in _SAME_KEY[key.group()])


def _absent_relative(said: str) -> bool:
    return bool(_RELATIVE.search(said)) and not _RELATIVE_HERE.search(said)


ASKS: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(r"(叫|找|喊|请|见)(你们)?(的)?(经理|领导|负责人|行长|主任|主管|老板|老总|总经理|工程部)|"
                r"(经理|领导|负责人|行长|主任|主管|老板|老总|总经理)(给我)?(呢|在哪|出来|过来|必须|得|来见|"
                r"[叫喊请](出来|过来|下来)(?![的了])|[叫喊请]来(?=[,,。!!??]|$|跟我|见我|给我|说话|当面))|"
                # "行长认识我的,把他叫来": the boss named, then fetched by pronoun
                r"(?<!客户)(?<!理财)(经理|领导|负责人|行长|主任|主管|老板|老总)[^。!?!?]{0,10}把(他|她)(给我)?[叫喊请](来|出来|过来)(?![的了])"),
     BOSS_COMES),
    (GO_FIRST,
     {"bank": "插队这件事我做不了主,对后面排着的客户不公平;您办的业务简单的话,我陪您到自助设备上办,能省不少时间。",
      "real_estate": "顺序这件事我做不了主,对其他业主不公平;我先帮您看看能不能另约时间,尽量不耽误您。"}),
    # a call asked of staff ("你帮我打个电话问问"); "没人给我打电话", "有人打电话问我要不要贷款", "上周你给我打电话
    # 说卡到了", "打电话问就说在采购" are calls received or made before
    (re.compile(r"(帮我|替我|你|您)(去)?打(一)?(个)?电话(去)?问|(帮我|你给我|你帮我|你|给我)(查|问).{0,12}(网点|那边)"),
     {"bank": "我这就帮您打电话问附近网点能不能办,确认了马上告诉您。",
      "real_estate": "我这就帮您打电话问清楚,确认了马上告诉您。"}),
    (re.compile(r"书面|盖(个|公)?章|出个?(书面|证明|说明|东西)|白纸黑字"),
     {"bank": "您要的书面答复,我报给负责人,按规定出具给您。",
      "real_estate": "您要的书面答复,我报给负责人,按规定出具给您。"}),
    (re.compile(r"(先|给我|能不能)(取|拿|提)(一部分|一点|一些|部分|点)|(取|拿)一部分"),
     {"bank": "今天能先取多少,我马上按网点备的现金帮您问清楚,剩下的帮您预约好时间。",
      "real_estate": "能不能先处理一部分,我马上跟负责的同事确认,剩下的约好时间告诉您。"}),
    (re.compile(r"垫付|垫(一下|上|点)|先借|先给我.{0,4}(钱|拿)|先把(这|那)?.{0,3}(钱|块|万)给我|先把钱给我"),
     {"bank": "垫付这件事我做不了主,我马上问负责人今天有没有应急的办法,尽量不耽误您用钱。",
      "real_estate": "垫付这件事我做不了主,我马上报给负责人,看有没有应急的办法。"}),
    # "有没有人管?" asks whether anyone is in charge; it does not say nobody came
    (re.compile(r"(?<!有)(没人|没有人|也没人)(来)?(修|上门)|(还|一直|到现在)(是)?没(人)?(来)?修"),
     {"bank": NOBODY_FOLLOWED_UP,
      "real_estate": "前面一直没人来,这次我直接报给工程负责人,由我跟您对接到修好为止。"}),
    # nobody dealing with it is no repair ("对面邻居放了柜子也没人管")
    (re.compile(r"(?<!有)(没人|没有人|也没人)(来)?(管|理|联系|处理)"),
     {"bank": NOBODY_FOLLOWED_UP,
      "real_estate": "前面没人跟进,这次我直接报给负责人,由我跟您对接到处理好为止。"}),
    (re.compile(r"(多久|什么时候|几天|哪天|啥时候|几点)(能|才|来|给|到|修|办|有|停)|给(我)?(个|一个)?准(日子|话|信|时间|数)|"
                r"给(我)?(个|一个)(具体|确切|准确)?(日子|时间)|(准确|具体|确切)的?(日期|日子|时间)"),
     {"bank": "什么时候能办好,我查清楚进度后给您一个准确的答复。",
      "real_estate": "什么时候能处理好,我查清楚进度后给您一个准确的答复。"}),
    # a fee for an errand (契税代办费) asks for no errand
    (re.compile(r"代(领|办|取|签)(?!费)|替(我|他|她)(来)?(领|办|取|拿)|(寄|邮)(给|到)我|给我寄|寄过去|我一个人.{0,4}办|"
                r"让(我)?(家里人|家人|亲戚|表哥|表姐|表弟|老婆|老公|爱人|儿子|女儿|闺女|朋友|同事).{0,4}(来)?(领|办|取|拿)"),
     {"bank": "能不能由家人代办、能不能邮寄,要看本行对这项业务的规定,我现在就帮您问清楚;不行的话,别的办法和要带的材料我一次给您写全。",
      "real_estate": "能不能由家人代办、能不能寄给您,我现在就跟负责的同事问清楚,要带的材料我一次给您写全。"}),
    (re.compile(r"(礼拜|星期|周)[六日天末].{0,6}(开不开|开门|营业|上班|能办|能不能办|办不办)|周末.{0,6}(开不开|开门|营业|上班|能办)"),
     {"bank": "周末哪些网点营业、这项业务能不能办,我现在帮您查好,连要带的材料一起告诉您。",
      "real_estate": "周末能不能办,我跟负责的同事确认好,连时间和要带的材料一起告诉您。"}),
    (re.compile(r"(写|开|给|打)(我)?(个|张|一张)(字据|回执|凭证|收据|证明)|立(个)?字据"),
     {"bank": "我给您开一张受理凭证,写清登记的时间和事项,您收好。",
      "real_estate": "我给您开一张受理单,写清登记的时间和事项,您收好。"}),
    # a demand ("今天必须给我把卡拿出来"), not a question about taking money out early ("现在取出来是不是利息全没了")
    # nor something done ("马上就取出来了")
    (re.compile(r"((今天|今晚|现在|马上|立刻)(就|必须|一定要|能不能)|(今天|今晚)(?=给我|帮我))(给我|帮我)?(把.{0,3}?)?"
                r"(拿|取|弄|抠)出来(?!了)(?![^。!?!?\n]{0,8}(是不是|会不会|划算|亏|利息|吗))"),
     {"bank": "能不能今天就拿出来,我马上跟负责的同事确认,定下来马上告诉您。",
      "real_estate": "能不能今天就处理,我马上跟负责的同事确认,定下来马上告诉您。"}),
    # forms and signatures piled on whatever the matter ("填了三张表,签了七个字"): the burden itself is heard
    # ("维修单都填了三张了" is a repair asked for three times, not paperwork)
    (re.compile(r"填了(好几|十几|几|[一二三四五六七八九十两\d]+)(张|份|遍)表|表(都)?填了(好几|几|[一二三四五六七八九十两\d]+)(遍|张|份)|"
                r"签了(好几|十几|几|[一二三四五六七八九十两\d]+)(个|次|遍)(字|名)|"
                r"(手续|流程|表格)(也)?(太|这么|那么|也太|实在)(多|繁琐|麻烦|复杂)|(能不能|就不能|不能)简化"),
     {"bank": "要填的表、要签的字多,确实费事;能替您填的我先填好,您核对后签字就行,您的意见我也如实报上去。",
      "real_estate": "手续多,确实费事;能替您准备的我先准备好,您核对后签字就行,您的意见我也如实报上去。"}),
    # money back today demanded ("今天不给我退我就不走了"); not a retirement (退休) nor a refund done (退了)
    # (a demand, not "不想现在退", "今天退的款", "现在退保只拿回一半", "我现在退一步说")
    (re.compile(r"(?<!不想)(?<!不要)(?<!不用)(今天|今晚|马上|现在|立刻)(就|必须|一定要|能不能|不)(给我|帮我)?(把钱|把款)?退"
                r"(?![休役出了的保]|一步|回来了)"),
     {"bank": "今天能不能退,我马上跟负责的同事确认;这笔钱查到哪一步、卡在哪里,我当面跟您说清楚。",
      "real_estate": "今天能不能退,我马上跟负责的同事确认;办到哪一步、卡在哪里,我当面跟您说清楚。"}),
    (re.compile(r"(今天|今晚|下午|马上|现在|尽快).{0,6}(来|派)(个)?人|先来个人"),
     {"bank": "能不能今天派人过来,我马上跟负责人确认,定下来马上告诉您。",
      "real_estate": "今天能不能先派人来临时处理,我马上跟工程部确认,定下几点到马上告诉您。"}),
    # a visit asked for with no day named is not promised for today (one asked for today is the ask above)
    (re.compile(r"^(?!.*?(今天|今晚|下午|马上|现在|尽快).{0,6}(来|派)(个)?人).*?派(个)?人(来|过来|上门|去家|到家)(?!过|了)",
                re.S),
     {"bank": "能不能派人上门,我马上跟负责人确认,定下来马上告诉您。",
      "real_estate": "派人过来的事,我马上跟工程部确认,定下时间马上告诉您。"}),
    # "换一套新的,不是修": the remedy asked for is heard, and left to the warranty rules and a look on site
    (re.compile(r"(柜|门|窗|地板|瓷砖|墙|马桶|洁具|灶|锁|龙头|热水器|家电|空调|插座|开关)[^。!?!?]{0,12}?"
                r"(换(一套|一个|个|一扇|一块|整面|整个)?新的?(?!师傅|销售|顾问|人|房)|不要(再)?修(补|理)?(了)?(?=[,,。!!]|$)|别修了)|"
                r"(不要(再)?修(补|理)?|别修)(了)?[,,]?(要|给我)?(你们)?(直接)?换(一套|一个|个|一扇|一块|整面|整个)?(新的)?(?!师傅|销售|顾问|人|房)"),
     {"bank": "您要换新的,我如实报给负责人,核实后按规定答复您。",
      "real_estate": "您要换新的,我如实报给负责的同事,看过现场后按保修规定答复您。"}),
    (re.compile(r"换(个|一个|一位)?人(跟我|给我|来)?(对接|办|接待|服务|跟进)|不想再见(到)?(他|她)|别让(他|她)(再)?(跟我|给我|来)"),
     {"bank": "给您换一位同事对接,我马上报给负责人安排;您反映的情况我们也会核实清楚。",
      "real_estate": "给您换一位同事对接,我马上报给负责人安排;您反映的情况我们也会核实清楚。"}),
    (re.compile(r"(要|得|必须|不给我|给我|跟我|向我|当面)[^。!?!?]{0,6}(道歉|赔(个)?不是)"),
     {"bank": "让您受了委屈,我先跟您说声对不起;当时的经过我们核实清楚,该怎么处理给您一个明确的答复。",
      "real_estate": "让您受了委屈,我先跟您说声对不起;当时的经过我们核实清楚,该怎么处理给您一个明确的答复。"}),
    (re.compile(r"(处分|开除|辞退|辞掉|换掉|处理)(一下)?(那个|这个|那位|这位)?(人|柜员|员工|保安|经理|姑娘|小伙子|销售|置业顾问|师傅)"),
     {"bank": "您要求处理当事的同事,我如实报给负责人,核实后按规定处理,结果告诉您。",
      "real_estate": "您要求处理当事的同事,我如实报给负责人,核实后按规定处理,结果告诉您。"}),
    (re.compile(r"(先|提前)(把|给我|交)?钥匙|(先|提前)(让我)?(进去|进场)?装修"),
     {"bank": "能不能先办,要看规定的条件,我问清楚后马上答复您。",
      "real_estate": "能不能提前进场装修,要看验收和安全条件,我报公司确认后给您答复。"}),
    # "换一套新的" of a cabinet or a door is a part replaced, not a flat
    (re.compile(r"换(到|成)?(同一层|那一?套|另一套|别的房|一套(?!新的?(?![房的]))(?![^。!?!?]{0,4}(柜|门|窗|家具|家电|洁具|马桶|灶|锁)))|"
                r"调换(房|户型|楼层)"),
     {"bank": "能不能换,我按规定问清楚后答复您。",
      "real_estate": "能不能换房,我把您的合同和那套房的情况报给销售负责人确认,再给您答复。"}),
    # closing the account is the customer's right: it is done, and why they leave is asked, not what happened
    # ("我不想销户", "是不是想逼我销户", "销户要带什么", "上个月刚销户的卡" are no demand)
    # an account opened in the customer's name by someone else is the fraud card's to close, not a leaving customer's
    (re.compile(r"^(?!.*?(冒用|冒名|盗用|不是我(本人)?(开|办)的))(?=.*?(?:"
                r"(?<!不想)(?<!不要)(?<!逼我)(?<!想让我)(给我|帮我|我要|我想|今天就|现在就|马上)(把)?[^。!?!?,,]{0,4}?(销户|销(了|掉)|注销(了|掉)?)(?![^。!?!?]{0,8}(吗|什么|怎么|多久))|"
                r"(把|这张)(卡|账户|户头)(给|给我)?(销|注销)(了|掉)(?![^。!?!?]{0,8}(吗|什么|怎么|多久))|销户吧|"
                # "把钱都转走,销户,以后不来了": a clause of its own
                r"(?<![不想要逼])[,,]销户(?=[,,。!!]|$)))", re.S),
     {"bank": "您要销户,我这就帮您办;是哪里让您不满意," + ASKS_WHY + ",我如实报给负责人。",
      "real_estate": "您的决定我尊重;是哪里让您不满意," + ASKS_WHY + ",我如实报给负责人。"}),
    # "我要看监控", "把录像调出来": whether and how it is shown is the bank's rule to state, not staff's to promise
    (re.compile(r"(看|调|查|拿)[^。!?!?,,]{0,8}?(监控|录像)|(监控|录像)(调|拿|放)(出来|给我)"),
     {"bank": "您要看监控录像,我报给负责人按规定调取核实;能不能给您当面看、怎么看,按本行规定答复您。",
      "real_estate": "您要看监控录像,我报给负责人按规定调取核实;能不能给您看、怎么看,按公司规定答复您。"}),
    # a record, report or rule the customer wants to see: shown where the rules allow, the reason given where not
    # (the thing named is said back: "您要看的报告")
    # ("你们非要看我的合同", "已经给我看过报告了", "你们要查清楚交易记录" ask nothing of the kind)
    (re.compile(r"(我要|我想|我得|给我|让我|我们要|业主要)(看|瞅|瞧)(?!过)(一下|一眼|看)?[^。!?!?,,]{0,8}?"
                r"(?P<x>报告|记录|依据|文件|条款|哪一条|合同|单据|规定)|"
                r"(?P<y>报告|记录|依据|文件|合同)(拿|调|找)出来(给)(我|业主|大家)看"),
     {"bank": SHOW_RECORD, "real_estate": SHOW_RECORD}),
    # a statement printed at the counter is staff's own step
    (re.compile(r"(打|出|拉|给我)(一份|一张|个|份|张)?(明细|流水|对账单|交易记录)|(明细|流水|对账单)(打|拉)(出来|一份|给我)(?!了)"),
     {"bank": "明细我现在就给您打出来,一笔一笔跟您对清楚。",
      "real_estate": "相关的明细我找负责的同事调出来,一项一项跟您对清楚。"}),
    # at the door in a wheelchair, or unable to get in: staff go out to the customer
    (re.compile(r"(轮椅|拐杖|台阶|腿脚|走不了路)[^。!?!?,,]{0,12}?(进不去|进不来|上不去|(叫|派)(个)?人出来|出来(帮|接|扶)(我|一下))|"
                r"(叫|派)(个)?人出来(帮|接|扶)(我|一下)"),
     {"bank": "我这就出来帮您,能在门口办的当场给您办,要进厅里办的我们想办法帮您进来。",
      "real_estate": "我这就出来帮您,能在门口办的当场给您办。"}),
    (re.compile(r"我要投诉|投诉(他|她|这个人|那个人)"),
     {"bank": "您要投诉,我现在就帮您登记,按规定处理并把结果告诉您。",
      "real_estate": "您要投诉,我现在就帮您登记,按规定处理并把结果告诉您。"}),
]
FLAG_LINES = {
    "confidentiality": "您放心,您跟我说的内容我们会保密,不会告诉其他人。",
    "vulnerable_customer": "您慢慢说,先坐下歇一歇,不着急。",
}
COMPENSATION_SHORT = {
    "bank": "您提的补偿要求我记下了,要会同业务部门核实后才能答复,我不能当场随口应承。",
    "real_estate": "您提的补偿诉求我记下了,会对照合同报公司核实后答复,我不能当场随口应承。",
}
ESCALATE_LINE = {
    "repeat_complaint": "前面没处理好,这次我直接报给负责人,由我跟您对接到办完。",
    "other": "这件事我马上报告负责人,请他亲自跟进。",
}
# an action done at the counter today: the 4-hour reply is for what is left, not for all of it
NEXT_NOW = {"bank": "当场办不完的部分,我4小时内给您回复", "real_estate": "当场定不下来的部分,我第一时间回复您"}
_DONE_NOW = re.compile(r"现在就|当场|马上办|现在先")
NEXT_V2 = {
    "bank": ["处理进度我4小时内给您回复", "查清楚后我4小时内给您回个准信", "有进展我4小时内打电话告诉您"],
    "real_estate": ["约好时间我第一时间告诉您", "有了处理办法我第一时间回复您", "今天我就报给负责人,有结果第一时间告诉您"],
}
CLOSE_V2 = {
    "powerful": ["您看这样行吗?"],
    "perfect": ["每一步我都会跟您说清楚,您看可以吗?"],
    None: ["您看这样可以吗?", "您看这样安排行吗?", "这样安排您看合适吗?"],
}
# one course move, only where it fits the purpose and the customer: (technique id, condition, line)
MOVES: list[tuple[str, str, str]] = [
    ("nanchan-youbei", "prepared", "您说的几点我都一字一句记下来了,会按规定核实。"),
    ("nanchan-zhengyi", "righteous", "您提的意见对其他客户也有帮助,谢谢您说出来。"),
    ("nuhuo-yindao", "blame", "谁的原因一定查清楚,眼下最要紧的是先把您的事解决。"),
    ("huashu-liangjie", "vent", "您说的我都听进去了,我这边能做的马上去做。"),
    ("qiwang-lijie", "explanation", "您这么在意这件事,换了是我也一样。"),
]
MAX_SENTENCES = 5
TARGET_CHARS = 160
_SENT_END = re.compile(r"[。!?!?]")
# a plain inquiry ("请问大额取现要预约吗?") is greeted; a question asked in complaint ("凭啥少给?") is not
_INQUIRY = re.compile(r"请问|问一下|问问|问下|问个|问一句|想了解|咨询|打听|麻烦(您|你)|想知道|需要带什么|要带(些)?什么|"
                      r"需要(准备)?什么(证件|材料|手续)|什么价|从哪天(开始)?算|(要|需要)注意(点)?(啥|什么)")
# a calm question the topic is not sure of is answered as a question, not handled as that card's complaint
INQUIRY_CONFIDENCE = 0.8
INQUIRY_CHARS = 80
CALM_QUESTION_CHARS = 30
_CALM_QUESTION = re.compile(r"(还能|能不能|可以|可不可以|能否)[^。!?!?,,]{0,12}((吗|么)[??]?|[??])$|是多少[,,??]|多少钱|要多久[??]?$")
# money or a card harmed: a complaint however calmly asked
_HARM = re.compile(r"被(人)?(转|刷|盗|骗|扣|吞|冒)|少(给|了|算)|没(给|到|收到)|丢了|错了|不见了|多扣|乱扣")
_POLITE = re.compile(r"麻烦(您|你)?(问|帮|一下)")
INQUIRY_OPEN = {"bank": "您好,您问的这个我来帮您查清楚。", "real_estate": "您好,您问的这个我来帮您问清楚。"}
INQUIRY_ACTION = {"bank": "具体怎么办、要带哪些证件,我按本行现在的规定给您说明,要准备的一次写给您,能当场办的现在就办。",
                  "real_estate": "具体怎么办、要注意和准备什么,我跟负责的同事按公司规定确认好,一次跟您说清楚。"}
INQUIRY_NEXT = {"bank": "查清楚了我当场告诉您", "real_estate": "确认好了我第一时间告诉您"}
_BLAME_ASK = re.compile(r"谁负责|谁的责任|谁来负责|算谁的|负一半|怪谁")


_ENDS = "。!?!?"


def _last_sentence(text: str) -> str:
    """The last sentence with its closing marks. A search anchored at the end would retry every start
    in a long run of words: string scans stay linear."""
    said = text.strip()
    body = said.rstrip(_ENDS)
    cut = max(body.rfind(ch) for ch in _ENDS + "\n")
    return said[cut + 1:] if body[cut + 1:] else ""


def _sentences(text: str) -> int:
    return len(_SENT_END.findall(text))


def _move(analysis: Analysis, technique_ids: list[str], text: str) -> str:
    conds = set(analysis.difficult_types) | set(analysis.purposes)
    if _BLAME_ASK.search(text):
        conds.add("blame")
    if analysis.emotion < 2:
        conds.discard("vent")
    for tid, cond, line in MOVES:
        if tid in technique_ids and cond in conds:
            return line
    return ""


# a need the customer is up against: acknowledged before the action
URGENT: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"押金|医药费|住院费|救命钱|手术费"), "知道您家里看病急着用钱"),
    # a hospital the customer works at is no illness at home ("我是人民医院的护士,刚下大夜班")
    (re.compile(r"医院(?!的?(护士|医生|大夫|同事|职工|上班|值班|工作))|住院|看病|手术|复查"), "知道家里有人看病,耽误不得"),
    (re.compile(r"学费"), "知道孩子的学费等着交"),
    # a landlord alone may be the seller of a flat the loan was for ("房东那边都签了合同")
    # rent as such (a parking space's or a shop's 租金 is not a home's)
    (re.compile(r"房租|交租|给房东(打|转|交)|房东(催|要|赶)"), "知道您房租等着交"),
    (re.compile(r"租的房子?.{0,6}(到期|退了)|退了租的房|没(地方|房子)住|一家(老小|人|子)?住哪"), "知道您一家等着房子住"),
    (re.compile(r"货款|生意|进货"), "知道您生意上等着用钱"),
    # "我每月10号发工资" is a schedule told for context, not wages waiting on the matter
    (re.compile(r"(?<![号月])[发领打][工薪](资|钱)"), "知道这关系到您领工资"),
    (re.compile(r"(上班|赶时间|赶车|火车|飞机|请假|夜班)"), "知道您赶时间"),
]
# someone got hurt (a fall on a wet floor, a dog bite, a barrier on a car): the person comes first
INJURED = re.compile(r"摔(倒|了|地|下|一跤|跤|伤|断|破)|磕(青|破|伤|着)|咬(了|伤)|受(了)?伤|流血|烫伤|划伤|骨折")
_WHAT_IF = ("万一", "要是", "哪天", "以后", "会不会", "怕", "小心", "差点", "险些", "差一点")


def _hurt(text: str) -> bool:
    """Someone was hurt, not might be ("万一摔了谁负责")."""
    return any(not any(w in text[max(0, m.start() - 8):m.start()] for w in _WHAT_IF) for m in INJURED.finditer(text))
INJURY_LINE = "人要紧,伤到哪里了我先问清楚,需要去医院的我们马上帮着安排。"
# water at a socket, a switch or a light is a shock risk before it is a repair (bounded gaps: linear)
_ELECTRIC = r"(插座|插头|电线|电闸|电箱|配电|开关面板|灯罩|吊灯|顶灯|灯具|灯里|电器)"
_WET = r"(漏水|渗水|滴水|进水|积水|泡水|湿了|湿透|往下滴|全是水|都是水|有水|水顺着|水流到)"
WATER_POWER = re.compile(_WET + r"[^。!?！？]{0,16}" + _ELECTRIC + "|" + _ELECTRIC + r"[^。!?！？]{0,16}" + _WET)
WATER_POWER_LINE = "有水的地方先别碰插座和电器,能关的话先把这一路的电闸关上,安全要紧。"
# a death in the family is answered before anything else is said, the apology for trouble included
BEREAVED = re.compile(r"去世|过世|病逝|离世|逝世|办后事|丧事|(老伴|老头|老太太|爸|妈|父亲|母亲|爷爷|奶奶|丈夫|妻子)"
                      r"(前几天|前些天|上个月|上周|去年|刚|已经)?(走了|不在了)|人不在了")
BEREAVED_LINE = "先请您节哀,这个时候还要您来办这些事,辛苦您了。"
# despair is met before anything else, and not with "消消气"
SELF_HARM_LINE = "听您这么说我很担心您,您先别往这上头想,我就在这儿陪着您,事情再难咱们一起想办法。"
# at a bank counter the matter is usually done today; a house's matter is followed up, not done now
URGENT_TAIL = {"bank": ",我抓紧给您办。", "real_estate": ",这件事我会抓紧跟进。"}


# "医药费谁出?" claims the money back; it is not a bill waiting to be paid
_CLAIMED = ("谁出", "谁赔", "谁负责", "谁管", "你们出", "你们赔", "你们掏", "你们报", "得赔", "要赔", "算谁")


def _urgent_line(text: str, dom: str = "bank") -> str:
    for pattern, line in URGENT:
        if any(not any(w in text[m.end():m.end() + 6] for w in _CLAIMED) for m in pattern.finditer(text)):
            return line + URGENT_TAIL[dom]
    return ""


# a customer who may be served first (pregnant, elderly, unwell) asking to go first is not refused
PRIORITY_LINE = {"bank": "您身体要紧,我这就去跟柜台说,按优先服务的安排尽快给您办。",
                 "real_estate": "您身体要紧,我这就跟同事说,先给您安排。"}


MAX_ASKS = 2  # a draft answers at most two asks first; more would bury the rest


def _ask_lines(newest: str, dom: str, vulnerable: bool = False) -> list[str]:
    """Answers to what the newest words ask for, in the order the customer asked them."""
    found: list[tuple[int, str]] = []
    for pattern, answer in ASKS:
        m = next(finditer(pattern, newest), None)
        if m:
            line = PRIORITY_LINE[dom] if vulnerable and pattern is GO_FIRST else answer[dom]
            if "{x}" in line:
                named = next((g for g in (m.groupdict().get("x"), m.groupdict().get("y")) if g), "资料")
                line = line.format(x=_SHOWN.get(named, named))
            found.append((m.start(), line))
    return [line for _, line in sorted(found)[:MAX_ASKS]]


class TemplateDrafter:
    """Drafter v2: empathy fitted to the emotion; a read-back through the topic's matter phrase; the
    topic's concrete action; flag lines; one course move that fits; the next step with its time limit
    and a close. Mid-conversation the newest ask is answered first. An unknown topic gets a safe
    generic draft that asks for the facts and never parrots the customer."""

    def draft(self, analysis: Analysis, technique_ids: list[str], text: str) -> str:
        seed = _seed(text)
        dom = analysis.domain if analysis.domain in NEXT_V2 else "bank"
        flags = set(analysis.flags)
        # an `other` topic may still name a matter no card covers (knowledge/topics/off_card_matters.yaml)
        topic = analysis.topic if analysis.topic is not None and (analysis.topic.known or analysis.topic.matter) \
            else None
        emotion = max(0, min(3, analysis.emotion))
        said = analysis.customer_text or text
        # however long it runs, an exchange with staff's turns in it happened at the desk: no letter
        letter = written(said) and not staff_spoke(text)
        # a calm question ("麻烦问下,外币能换吗", "身份证过期了还能取钱吗?") is greeted and answered, not apologised for
        # (a bare "…可以吗?" is a question only when short; our own people's service is apologised for whatever
        # the wording, as the course says)
        # ...but a complaint put as a question ("请问我卡里的钱被人转走了怎么办?", "请问说好的利息怎么没给我?"),
        # anything asked of staff, and an exchange already under way are not
        plain = _POLITE.sub("", said)
        inquiry = (emotion <= 1 and not flags - {"vulnerable_customer", "confidentiality"} and len(said) <= INQUIRY_CHARS
                   and not staff_spoke(text)
                   and bool(_INQUIRY.search(said) or (_CALM_QUESTION.search(said) and len(said) <= CALM_QUESTION_CHARS))
                   and not (rules.UNHAPPY.search(plain) or rules.COMPLAINT.search(plain) or rules.CHALLENGE.search(plain)
                            or rules.ANGER.search(plain) or _HARM.search(plain))
                   and not _ask_lines(said, dom)
                   and not (topic is not None and topic.codes.get("cause") in APOLOGY_CAUSES))
        if inquiry:
            emotion = 0
        elif emotion == 0:
            emotion = 1  # a calm complaint, not an inquiry: still an apology for the experience
        newest = newest_words(text)
        # in one utterance the ask is the last sentence ("……今天还要下,你们啥时候来人?")
        asking = newest or _last_sentence(said)
        head = _ask_lines(asking, dom, "vulnerable_customer" in flags) if asking else []
        if not head and ("书面" in said or "盖章" in said or "公章" in said):
            head = _ask_lines("书面", dom)
        if letter:  # the boss cannot come over to a letter
            head = [WRITTEN_BOSS[dom] if h == BOSS_COMES[dom] else h for h in head]
        on_card = topic is not None and bool(topic.matter) and topic.domain == dom
        asked = False  # a customer who named no matter is asked what happened, and greeted for that
        if on_card:
            action = topic.action
        else:
            unnamed = analysis.topic is not None and analysis.topic.unnamed and not analysis.topic.matter
            told = len(said) >= TOLD_CHARS
            again = "repeat_complaint" in flags or bool(_TOLD_BEFORE.search(said))
            # a long story names something even when no line of ours fits it: it is not asked for again
            ask = len(said) <= UNNAMED_ASK_CHARS
            asked = unnamed and ask and not again and not letter
            actions = (WRITTEN_ACTION if letter else UNNAMED_AGAIN if unnamed and again
                       else UNNAMED_ASK if asked else GENERIC_ACTION_TOLD if told else GENERIC_ACTION)
            action = _pick(actions[dom], seed, 4)
        despair = bool(rules.SELF_HARM.search(said))
        if despair:
            emotion = min(emotion, 1)  # the opening apologises; "您先消消气" would answer anger, not despair
        generic_open = (UNNAMED_OPEN if asked else GENERIC_OPEN)[emotion]
        opening = _pick(_openings(topic, emotion), seed).format(m=topic.matter) if on_card else _pick(generic_open, seed)
        inquiry = inquiry and not letter
        if inquiry and not (on_card and topic.confidence >= INQUIRY_CONFIDENCE):
            opening, action = INQUIRY_OPEN[dom], INQUIRY_ACTION[dom]
        # optional lines: (priority, before the action?, line); the most important fill the room
        extra: list[tuple[int, bool, str]] = []
        if ("safety_risk" in flags or emotion >= 3) and not letter:
            extra.append((1, True, SAFETY[dom]))
        elif "group_complaint" in flags and not (topic and topic.id == "topic-re-group"):
            # a representative has already been chosen: asking for one again tells them nobody listened
            extra.append((3, True, WRITTEN_GROUP[dom] if letter else GROUP_REP[dom] if "代表" in said else GROUP[dom]))
        if _hurt(said):
            extra.append((0, True, INJURY_LINE))
        elif WATER_POWER.search(said):
            extra.append((0, True, WATER_POWER_LINE))
        urgent = _urgent_line(said, dom)
        if urgent:
            extra.append((6, True, urgent))
        # "不着急" beside "我抓紧给您办" says two opposite things: the urgent need wins
        if "vulnerable_customer" in flags and not urgent and not ("safety_risk" in flags or emotion >= 3) \
                and "group_complaint" not in flags and not letter and not _absent_relative(said):
            extra.append((8, True, SEATED_LINE if "轮椅" in said else FLAG_LINES["vulnerable_customer"]))
        if "compensation_claim" in flags:
            extra.append((2, False, COMPENSATION_SHORT[dom]))
        if "confidentiality" in flags:
            extra.append((4, False, FLAG_LINES["confidentiality"]))
        if "repeat_complaint" in flags:
            extra.append((7, False, ESCALATE_LINE["repeat_complaint"]))
        elif flags & {"media_exposure", "regulator_escalation", "group_complaint"} or (letter and "safety_risk" in flags):
            extra.append((7, False, ESCALATE_LINE["other"]))
        move = None if inquiry else _move(analysis, technique_ids, said)
        if move:
            extra.append((9, False, move))
        escalated = bool(flags & {"repeat_complaint", "media_exposure", "regulator_escalation", "group_complaint"})
        reply_by = NEXT_NOW[dom] if _DONE_NOW.search(action) and not escalated else _pick(NEXT_V2[dom], seed, 5)
        if action == INQUIRY_ACTION[dom]:
            reply_by = INQUIRY_NEXT[dom]
        nxt = reply_by + "," + _pick(CLOSE_V2.get(analysis.personality, CLOSE_V2[None]), seed, 6)
        # an ask the topic's own action already answers is not answered twice ("派人上门" beside 上门服务)
        head = [h for h in head if h and not (on_card and _covered(h, action))]
        # an account the customer says is not theirs is closed by the fraud card's steps, not as a farewell
        if topic is not None and topic.id == FRAUD_TOPIC:
            head = [h for h in head if ASKS_WHY not in h]
        # an answer that already asks why ("是哪里让您不满意…跟我说说") is not followed by a second question
        if not on_card and any(ASKS_WHY in h for h in head) and action in (*UNNAMED_ASK[dom], *GENERIC_ACTION[dom]):
            action = ""
        core = [line for line in (*head, opening, action, nxt) if line]
        chosen: list[tuple[int, bool, str]] = []
        for item in sorted(extra):
            lines = core + [x[2] for x in chosen] + [item[2]]
            if (sum(_sentences(x) for x in lines) <= MAX_SENTENCES and len("".join(lines)) <= TARGET_CHARS + 30) \
                    or (not chosen and item[0] <= 2):
                chosen.append(item)
        order = [x for x in extra if x in chosen]
        before = [x[2] for x in order if x[1]]
        after = [x[2] for x in order if not x[1]]
        # the next step must stay, and would crowd out a flag's line that says the same words ("报给负责人"):
        # it takes the wording that repeats none of them
        if not reply_by.startswith(NEXT_NOW[dom]) and reply_by != INQUIRY_NEXT[dom]:
            said_extra = set().union(*(_runs(x) for x in before + after)) if before or after else set()
            boss = any("负责人" in x for x in before + after + head)  # "报告负责人" then "报给负责人" says it twice
            fresh = [o for i in range(len(NEXT_V2[dom])) if _fresh(o := _pick(NEXT_V2[dom], seed, 5 + i), said_extra)
                     and not (boss and "负责人" in o)]
            if fresh and fresh[0] != reply_by:
                nxt = fresh[0] + nxt[len(reply_by):]
        openings = TOPIC_OPEN[emotion] if on_card else generic_open
        # the opening may fall back to a wording without the matter when the action names it too;
        # the topic's action gives way to the answer to a direct ask when both say the same
        others = [o.format(m=topic.matter) if topic else o for o in openings] + generic_open
        # mid-conversation the answer comes first (the customer has heard the greeting); to a first
        # utterance staff acknowledge it before they answer what it asks
        asks = [(h, None) for h in head]
        first, second = (asks, []) if newest else ([], asks)
        body = [*first, (opening, others), *second, *((b, []) for b in before),
                (action, TRIM if head else None), *((a, []) for a in after), (nxt, None)]
        if despair:
            body.insert(0, (SELF_HARM_LINE, None))
        elif BEREAVED.search(said):
            body.insert(0, (BEREAVED_LINE, None))
        return "".join(_say_once(body))


# an optional line that may keep its fresh clauses when one of them repeats what is said (the topic's
# action after an answer: "……登记好,报给负责人按流程对账" keeps its check when the answer already said
# "报给负责人")
TRIM: list[str] = []
_CLAUSES = re.compile(r"[^,，;；。]+[,，;；。]?")
_TRAILING = re.compile(r"[,，;；]$")
MIN_TRIMMED = 12  # a shorter remainder is no concrete step


def _trimmed(line: str, said: set[str]) -> str:
    """The line less its clauses that repeat what is said; empty when too little is left."""
    kept = [c for c in _CLAUSES.findall(line) if _fresh(c, said)]
    text = _TRAILING.sub("", "".join(kept))
    if len(text) < MIN_TRIMMED:
        return ""
    return text if text.endswith("。") else text + "。"


def _say_once(body: list[tuple[str, list[str] | None]]) -> list[str]:
    """The lines in order, none repeating another. A line comes with None when it must stay, its
    other wordings (the first fresh one is taken), [] when it is optional (left out if it repeats),
    or TRIM when it is optional but keeps its fresh clauses."""
    fixed = [line for line, others in body if others is None]
    said: set[str] = set().union(*(_runs(x) for x in fixed)) if fixed else set()
    out: list[str] = []
    for line, others in body:
        if others is not None:
            if not _fresh(line, said):
                line = (_trimmed(line, said) if others is TRIM
                        else next((o for o in others if _fresh(o, said)), line if others else ""))
            said |= _runs(line)
        if line and line not in out:
            out.append(line)
    return out
