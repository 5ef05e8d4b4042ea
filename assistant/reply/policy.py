"""Policy answers: a direct one-line answer, the quoted clause with its citation, a confidence,
or an honest "not found" with the nearest clauses to look at.

Retrieval here is over the clause cards only (a few dozen), so every clause is scored:
- keywords: BM25 over title, clause text and 要点, and over each 问法 on its own (the better of the two),
  the query expanded with the thesaurus;
- meaning: the question against each of the card's 问法 (the way people ask) and the card itself;
- names: a question that is a clause's name ranks it first;
- domain: a question about houses, owners or handover looks at real-estate clauses first.

Whether the best clause answers at all is judged on: the combined score against a floor; a question
for a figure needs a clause sentence with a figure of the unit asked that is about the question's
topic; a who question needs a clause that names someone; a fee or sum asked about must be named by
the clause; and the thing asked about (the specific nouns of the asking part, or of the part before
it when the asking part names only scene words) must be mentioned by the clause, or the score must
be higher. The asking part (the question's last part) decides what kind of fact is asked.

`python -m eval.policy_cv` checks the floors on the cards' own 问法 held out one at a time (and on
whole cards left out), without reading an eval case.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.index.bm25 import BM25
from assistant.index.cards import Card
from assistant.index.retrieval import Hit, HybridRetriever, cached_embed, route_domain
from assistant.index.unanswered import load_unanswered
from assistant.reply.policy_caps import cap_answer
from assistant.settings import get_settings
from assistant.text.tokenize import USER_DICT, expand, tokens

NOT_FOUND = "制度文件中未找到相关规定,请咨询上级或合规部门。(Not found in the procedures.)"
LOW_PREFIX = "可能相关(置信度低,请核对原文):"
PARTIAL_HEAD = "其中「{ask}」制度里有答案,见下;「{rest}」制度文件中未找到。(Only the earlier part is answered.)"
PARTIAL_SHOWN_CHARS = 40  # of each part named in that line
_LEAD_PUNCT = frozenset(",\uff0c;\uff1b\u3002\u3001 ")


@dataclass
class PolicyAnswer:
    answer: str
    found: bool
    citations: list[dict] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    audit_id: str | None = None
    audit_error: str | None = None
    confidence: str = "none"  # high | low | none (not found)
    direct: str = ""
    nearest: list[dict] = field(default_factory=list)
    # a question that asks twice, of which the procedures answer only an earlier ask: that ask's answer
    # (ask, rest, direct, citations); the question as a whole stays not found
    partial: dict | None = None

    def as_dict(self) -> dict:
        out = {"answer": self.answer, "found": self.found, "citations": self.citations,
               "confidence": self.confidence, "direct": self.direct, "nearest": self.nearest}
        if self.partial:
            out["partial"] = self.partial
        if self.audit_id or self.audit_error:
            out |= {"audit_id": self.audit_id, "audit_error": self.audit_error}
        return out


# ---- clause text -------------------------------------------------------------------------------

_SENT = re.compile(r"[^。;;\n]+[。;;]?")
_ENUM = re.compile(r"^\s*(\d+、|[((][一二三四五六七八九十]+[))])\s*")
_CONTINUES = ("但", "同时", "并", "否则", "如", "对于", "其中")
WHOLE_CLAUSE_CHARS = 150
_STOPCHARS = set("的了是在和与及或我你您他们这那就都也还吗呢啊吧有没不要会能可以什么怎么多少如何为哪几,,。??!!、")


def _sentences(text: str) -> list[str]:
    """Clause sentences without list numbers (a "3、" is not a figure the question asks for).

    A sentence opening with 但/同时/并… completes the one before, so they stay together.
    """
    out: list[str] = []
    for s in _SENT.findall(text):
        s = _ENUM.sub("", s.strip())
        if len(s) <= 3:
            continue
        if out and s.startswith(_CONTINUES) and len(out[-1]) > 9:  # not onto a bare name ("责任追究。")
            out[-1] += s
        else:
            out.append(s)
    return out


_HEAD_MODAL = re.compile(r"应当|应|必须|须|要|可以|可|不得|不能|负责|由|为")


def _opens_with_heading(text: str) -> bool:
    """The clause opens with a numbered item's name ("3、保证客户投诉处理渠道畅通。"): short, no modal."""
    first = next(iter(_SENT.findall(text.strip())), "").strip()
    numbered = bool(_ENUM.match(first))
    first = re.sub(r"[。;;\s]+$", "", _ENUM.sub("", first))
    # numbered, or a bare name of a few characters ("责任追究。")
    return len(first) <= (34 if numbered else 8) and not _HEAD_MODAL.search(first)


def _bigrams(text: str) -> set[str]:
    chars = [ch for ch in text if ch not in _STOPCHARS]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)} | set(chars)


def card_questions(card: Card) -> list[str]:
    return [ln.lstrip("-•* ").strip() for ln in card.section("问法").splitlines() if ln.strip().lstrip("-•* ")]


@dataclass
class _Text:
    text: str
    tokens: set[str]
    bigrams: set[str]
    lead: str = ""  # the lead-in a list item reads under ("最低保修期限:"), counted as its words

    def __post_init__(self) -> None:
        self.low = (self.lead + self.text).lower()


class _CardText:
    """A clause's words, tokenised once: the whole card and each sentence of the clause."""

    def __init__(self, card: Card) -> None:
        # a course item's 问法 find it, they don't say what it covers: a word only they hold is not the item's
        asked = card.section("问法") if card.is_policy else ""
        whole = (card.title + "\n" + card.quote + "\n" + card.section("要点") + "\n" + asked).lower()
        self.whole = _Text(whole, set(tokens(whole)), set())
        self.sentences = [_Text(s, set(tokens(s)), _bigrams(s)) for s in _sentences(card.quote)]
        # "4、蓝图投产停业期间需紧急用款的客户投诉。": the item's name, which answers nothing
        self.heading = _opens_with_heading(card.quote) and len(self.sentences) > 1
        self.spans: list[_Text] | None = None
        self.bm25_tokens: list[str] | None = None


_card_texts: dict[tuple[str, str], _CardText] = {}


def _card_text(card: Card) -> _CardText:
    key = (card.id, card.content_hash or card.quote)
    got = _card_texts.get(key)
    if got is None:
        got = _card_texts[key] = _CardText(card)
    return got


def _covers(t: _Text, group: frozenset[str]) -> bool:
    return bool(group & t.tokens) or any(len(w) >= 2 and w in t.low for w in group)


# ---- what the question asks --------------------------------------------------------------------

_ASK_AMOUNT = re.compile(r"多少|(?:(?<=提前)|(?<![哪那这前头后好第]))几(个工作日|个月|个小时|个人|个|天|日|小时|年|人|部|次|点|号|名|岁|倍)|多久|多长|多大|"
                         r"下限|最多|最少|最长|最迟|最晚|最短|顶多|撑死|封顶|至多|[百千万]分之|号码|地址|网址")
_ASK_NUMBER = re.compile(r"多少|多久|多长|最多|最少|最长|最迟|最晚|顶多|撑死|封顶|至多")
# nouns that name a limit: they ask for it only when nothing else in the part asks ("在时限内化解的算什么类")
_QUANTITY = re.compile(r"(好几|几|多|很多|不少|一些|若干|好些)(个|位|名|次|天|回)?")  # "好几个客户": how many, no topic
_ASK_LIMIT = re.compile(r"上限|时限|期限|限额|金额|比例")
_ASK_YESNO = re.compile(r"能不能|能否|可不可以|可否|是否|要不要|需不需要|需要不需要|用不用|算不算|会不会|有没有|行不行|"
                        r"是不是|让不让|管不管|管得着|(?<![什怎干那这多要])[吗么嘛][??]?\s*$|(?<![什怎那这多要])[吗么][,,]")
_ASK_WHO = re.compile(r"谁|哪个部门|哪一级|哪级|哪个领导|由哪")
# "办到哪了", "处理到哪一步" ask how far a matter has got, not where
_ASK_WHERE = re.compile(r"哪里|哪儿|去哪|(?<![办理行查做弄展])到哪(?!一步|步)|往哪|报哪|哪些地方|什么地方")
# a run of numerals is only tried where it starts, so a long run is read once, not once per numeral
_FIGURE = re.compile(r"\d[\d,,.]*\s*(%|个工作日|个月|个|日|天|小时|年|元|人|名|部|次|期)?|"
                     r"(?<![一二两三四五六七八九十百千万])[一二两三四五六七八九十百千万]+"
                     r"(个工作日|个月|个|日|天|小时|年|元|人以上|人|名|部|次|期)")
# words that state a time or a limit without a figure: "合理使用年限", "随时上报", "即时解决"
_SPAN = re.compile(r"年限|即时|当日|当天|随时|立即|第一时间|之日起|以上|以内|不超过|上限")
_NEGATIVE = re.compile(r"不得|不可|不能随意|禁止|严禁|不予|不应|决不|绝不|不准|谢绝|不计入|不纳入|不再纳入|无须|不需|不必")
_POSITIVE = re.compile(r"应当|应|必须|须|要|可以|可|有权|准予|负责")
# someone a clause can name: a department, a team, a level of the bank, a role, the police
_AGENT = re.compile(r"部门|小组|工作组|受理组|中心|[省市分支总本]行|工会|综合部|负责人|经理|柜员|员工|人员|机构|企业|"
                    r"出卖人|开发商|派出所|监管部门|责任人|[由向]")
# "谁能申请复核" may be answered by a person the clause names; "哪个部门" only by a body or a role
_PERSON = re.compile(r"投诉人|消费者|买受人|当事人|业主|客户")
_ASK_BODY = re.compile(r"部门|单位|哪一级|哪级|领导|哪个组|哪个小组|机构")
_DUTY = re.compile(r"负责|牵头|由.{1,12}(受理|处理|协调|承担)|为.{0,12}(第一责任人|责任单位|首要环节|部门)")


_ASK_HOW = re.compile(r"怎么|怎样|如何|咋|什么|啥|哪些|哪一|哪类|哪种|哪个")
# what a where question is answered by: a room or an area, a level or a body things are sent to, a channel,
# a mailbox, a category things are counted under
# (whole words only where a part would also be read in other words: 类 in 各类, 组 in 组织, 银行 in 银行卡)
_PLACE_WORD = re.compile(r"室|区域|区|场所|网点|银行(?!卡|股份)|[省市分支总本]行|兄弟行|小组|工作组|中心|部门|信箱|邮箱|派出所|媒体|"
                         r"渠道|统计|分类|类别|附件|工会|办公室|网站|官网|客户端|柜台|大厅|现场|地方|单位|机构|95566|12378")


def names_agent(question: str, card: Card) -> bool:
    """A who question is answered by a clause that names a body or a role ("由哪个部门复核"), or, when
    no body is asked for, a person ("谁能申请复核": 投诉人)."""
    return bool(_AGENT.search(card.quote) or (not _ASK_BODY.search(question) and _PERSON.search(card.quote)))


_WHOSE = re.compile(r"谁的[^,,。??]{0,4}(号码|电话|手机|联系方式)")
# "柜员能当场说赔多少吗": may one name a sum, not which sum; the modal comes before the amount word
_YESNO_AMOUNT = re.compile(r"((?<!可)能|可以|可不可以|能不能)[^,,。??]{0,8}(多少|几)[^,,。??]{0,3}[吗么][??]?\s*$")


def _kind(text: str) -> str:
    if _WHOSE.search(text):
        return "who"  # "留个谁的号码": whose number, answered by the role the clause names
    if _YESNO_AMOUNT.search(text):
        return "yesno"
    if _ASK_AMOUNT.search(text):
        return "amount"
    if _ASK_WHO.search(text):
        return "who"
    if _ASK_WHERE.search(text):
        return "where"
    if _ASK_YESNO.search(text) or _A_NOT_A.search(text):
        return "yesno"
    if _ASK_HOW.search(text):
        return "how"
    return "amount" if _ASK_LIMIT.search(text) else ""


def question_kind(question: str) -> str:
    """amount | who | where | yesno | how: what kind of fact the first sentence must give.

    The part that asks decides: "…打听他卡里还有多少存款,柜员能说吗?" is a yes/no question, the
    多少 belongs to the story before it. Only when the asking part says nothing is the whole read."""
    parts = [p for p in _ASK_SPLIT.split(question) if p.strip()]
    last = _kind(parts[-1]) if parts else ""
    if last == "how":
        # "…最多能给多少,要走什么流程?": a figure asked in an earlier part is still asked
        return "amount" if any(_ASK_NUMBER.search(p) for p in parts[:-1]) else "how"
    return last or _kind(ask_part(question)) or _kind(question) or "how"


_VERDICTS = [("要不要", "要", "不需要"), ("要", "要", "不要"), ("得", "要", "不必"), ("需不需要", "需要", "不需要"), ("需要不需要", "需要", "不需要"),
             ("用不用", "要", "不用"), ("算不算", "算", "不算"), ("是不是", "是", "不是"), ("会不会", "会", "不会"),
             ("有没有", "有", "没有"), ("让不让", "可以", "不可以"), ("管不管", "管", "不管"),
             ("可不可以", "可以", "不可以"), ("能不能", "能", "不能"), ("能否", "能", "不能"), ("可否", "可以", "不可以"),
             ("可以", "可以", "不可以"), ("能", "能", "不能")]


_A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1")  # 给不给, 办不办, 行不行
_NEGATED_ASK = re.compile(r"(能|可以|可否|是否|要|得)不(.)")


def _asks_negation(question: str) -> bool:
    """"能不让他进吗" asks about a negation; "能不能" / "让不让" (A-not-A) do not."""
    return any(m.group(2) != m.group(1)[0] for m in _NEGATED_ASK.finditer(question))


def verdict(question: str, sentence: str) -> str:
    """Yes or no in the question's own verb, when the clause sentence says it plainly; else "".

    A question that asks about a negation ("我们能不让进吗?") gets no verdict: 能 would be ambiguous.
    """
    if _asks_negation(question):
        return ""
    # an A-not-A form ("要不要写上客户还能去调解") is the one asked; else the modal nearest the end
    # ("当场能办的要马上办吗": 要)
    cues = [("不" in cue or "没" in cue, question.rfind(cue), len(cue), yes, no)
            for cue, yes, no in _VERDICTS if cue in question]
    cues += [(True, m.start(), 3, m.group(1), "不" + m.group(1)) for m in _A_NOT_A.finditer(question)
             if m.group(0) not in {c for c, _, _ in _VERDICTS}]
    _, _, _, yes, no = max(cues) if cues else (False, 0, 0, "", "不能")
    if _NEGATIVE.search(sentence):
        return no
    if _POSITIVE.search(sentence):
        return yes
    return ""


_ASK_SPLIT = re.compile(r"[,,;;。??!!]")


# a question mark not inside quotes: "客户质问我们“你们还讲不讲理?”" quotes the customer, it asks nothing
_QMARK = re.compile(r"[??](?![”\"」』’])")
MIN_ASK_CHARS = 3  # after a question mark, fewer Chinese characters than this ("对吧?") ask nothing new ("用什么表?" does)
# a tag after a question mark asks for agreement, not for anything new ("是不是这样?", "您说对不对?")
_TAG_ASK = re.compile(r"[^\u4e00-\u9fff]*((您|你|我)说)?(是不是这样|是这样的?吧|是这样吗|对不对|是不是|对吧|是吧|没错吧|行不行|好不好|"
                      r"对么|是么|没问题吧|可以吧|我理解得?对吗|我说得?对吗)[呢啊呀嘛]?[^\u4e00-\u9fff]*|"
                      r"[^\u4e00-\u9fff]*(谢谢了?|多谢|在线等|急急急|急)[^\u4e00-\u9fff]*")
MAX_TAG_CHARS = 16  # a tag is short: a longer tail is read as an ask without matching it
MAX_EARLIER_ASKS = 3  # the asks judged besides the last: each is judged in full, so a pasted list stays cheap


def earlier_asks(question: str) -> list[str]:
    """The question cut at every question mark (not one closing a quote) that MIN_ASK_CHARS or more
    Chinese characters follow, the last MAX_EARLIER_ASKS of them."""
    return ask_prefixes(question)[-MAX_EARLIER_ASKS:]


def ask_prefixes(question: str) -> list[str]:
    """The question cut at every question mark that asks something before its last ask, shortest first."""
    ends = [m.end() for m in _QMARK.finditer(question)]
    # Chinese characters after each position, counted in one pass from the end (a pasted list of question
    # marks stays linear)
    after = [0] * (len(question) + 1)
    for i in range(len(question) - 1, -1, -1):
        after[i] = after[i + 1] + ("\u4e00" <= question[i] <= "\u9fff")
    return [question[:e] for e in ends
            if after[e] >= MIN_ASK_CHARS
            and not (len(question) - e <= MAX_TAG_CHARS and _TAG_ASK.fullmatch(question[e:]))]


def ask_part(question: str) -> str:
    """The last part of a question, where the thing asked about is: "…,物业费从哪天开始交?"."""
    parts = [p for p in _ASK_SPLIT.split(question) if p.strip()]
    if not parts:
        return question
    out = parts[-1]
    if len(out) < 6 and len(parts) > 1:
        out = parts[-2] + out
    return out


# nouns this common in general Chinese (问题, 情况, 公司) name no topic of their own
GENERAL_WORD_FREQ = 3000
_nouns: frozenset[str] | None = None
_nouns_lock = threading.Lock()


def specific_nouns() -> frozenset[str]:
    """Nouns of jieba's dictionary rarer than GENERAL_WORD_FREQ, plus the user dictionary's nouns.

    Read once from jieba's dict.txt (which posseg would take seconds to load) and kept in a small
    file under the data folder.
    """
    global _nouns
    if _nouns is not None:
        return _nouns
    with _nouns_lock:
        if _nouns is not None:
            return _nouns
        import jieba

        cache = get_settings().tmp_dir / "jieba" / f"nouns_{GENERAL_WORD_FREQ}.txt"
        words: set[str] = set()
        common: set[str] = set()
        try:
            rare, _, often = cache.read_text(encoding="utf-8").partition("\n--\n")
            words, common = set(rare.split()), set(often.split())
        except OSError:
            src = Path(jieba.__file__).parent / "dict.txt"
            with open(src, encoding="utf-8") as fh:
                for line in fh:
                    parts = line.split()
                    if len(parts) == 3 and parts[2][0] == "n" and len(parts[0]) >= 2:
                        (words if int(parts[1]) < GENERAL_WORD_FREQ else common).add(parts[0].lower())
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
                tmp.write_text("\n".join(sorted(words)) + "\n--\n" + "\n".join(sorted(common)), encoding="utf-8")
                os.replace(tmp, cache)
            except OSError:
                pass
        # a common noun the thesaurus names (面积, 物业) is a topic here all the same
        from assistant.text.tokenize import read_synonyms

        words |= {t for g in read_synonyms() for t in g if t in common}
        if USER_DICT.exists():
            for line in USER_DICT.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) >= 3 and parts[2].startswith("n"):
                    words.add(parts[0].lower())
        _nouns = frozenset(words)
    return _nouns


def focus_parts(question: str) -> tuple[list[str], list[str]]:
    """Specific nouns of the asking part, and of the part before it."""
    last = ask_part(question)
    before = question[: question.rfind(last)] if last in question else ""
    return _nouns_in(last), (_nouns_in(ask_part(before)) if before.strip() else [])


def focus_nouns(question: str, context: frozenset[str] = frozenset()) -> list[str]:
    """Specific nouns in the asking part of a question: the topic the clause must talk about.

    When the asking part has none but scene words (`context`: "…,交房时是不是一起送?"), the topic is
    in the part before it.
    """
    asked, before = focus_parts(question)
    return [w for w in asked if w not in context] or [w for w in before if w not in context]


# particles, and pronouns, numerals, adverbs and prepositions: glued to a neighbour ("先劝", "留谁",
# "发点") they make no word
_PARTICLES = set("着了过得地个啥嘛呗哈呢吧吗么咋" "谁人些这那哪一点先都也就还再又才去来给让被把跟和与及或对向往从在")


# asking words jieba's dictionary tags as nouns ("该干嘛", "多长时间") and a time the story points at ("那阵子"):
# they name no topic
_ASK_NOUN = re.compile(r"干嘛|干啥|咋办|怎么办|事儿|多长时间|多少时间|那阵子|这阵子|那段时间|这段时间|那会儿|那几天|这几天")


_NEG_OPEN = re.compile(r"^[不没别]")


def _predicate_like(word: str) -> bool:
    """jieba's dictionary tags some spoken predicates as nouns: a negated one ("不算数", "没谱") or a
    reduplicated verb ("问问", "看看") names no thing the clause must mention."""
    return bool(_NEG_OPEN.match(word)) or (len(word) == 2 and word[0] == word[1])


# a localiser closes the phrase before it ("几天内跑来": 内 belongs to 几天), it opens no noun
_LOCALIZERS = set("内外前后里中")


def _a_not_a_after(words: list[str], i: int) -> bool:
    """words[i] is the verb of an A-not-A ask ("钱赔不赔": 赔): it is the doing asked, not part of a noun."""
    return words[i + 1:i + 3] == ["不", words[i]]


def _nouns_in(text: str) -> list[str]:
    """Specific nouns of text; a word jieba cut into single characters ("年假" -> 年/假) is joined
    back when the pair is no common word."""
    from assistant.text.tokenize import _get

    nouns, freq = specific_nouns(), _get().FREQ
    words = _get().lcut(text.lower(), HMM=True)
    out = [w for w in tokens(text) if w in nouns and not _ASK_NOUN.fullmatch(w) and not _predicate_like(w)]
    for i, (a, b) in enumerate(zip(words, words[1:], strict=False)):
        pair = a + b
        if (len(a) == len(b) == 1 and all("\u4e00" <= ch <= "\u9fff" and ch not in _PARTICLES for ch in pair)
                and a not in _LOCALIZERS and not _a_not_a_after(words, i + 1)
                and tokens(a) and tokens(b) and not freq.get(pair)):
            out.append(pair)
    return out


# a charge or sum by name (医药费, 契税, 定金, 差价): a clause that never names it does not say who pays it
# (息 only as interest: 平息, 信息, 休息 name no charge), or money paid by its doing (交钱, 收钱)
_CHARGE = re.compile(r"(费|税|(利|罚|本|贴|付|年|月|日|复|计|结|收)息|差价|价款|房款|首付|(定|订|押|违约|保证|罚|奖|租|佣)金"
                     r"|(交|缴|收|付|掏|出)钱)$")


def uncovered_focus(question: str, card: Card, context: frozenset[str] = frozenset()) -> list[str]:
    """The asked-about nouns that the clause (its text, 要点 and 问法, with synonyms) never mentions.

    Words in `context` (what most clauses of the domain say anyway: 开发商, 业主 for houses) name no
    topic of their own and are left out.
    """
    whole = _card_text(card).whole
    return [w for w in focus_nouns(question, context) if not noun_covered(whole, w)]


def _rest_of_compound(word: str) -> str:
    """The characters of a compound noun that none of the thesaurus terms inside it spans: "优秀员工"
    holds 员工 and leaves 优秀; "喝醉酒" is spanned by 喝醉 and 醉酒 and leaves nothing."""
    from assistant.text.tokenize import _inner_terms, synonyms

    if len(synonyms(word)) > 1 or len(word) < 4:
        return ""
    spans = [(word.find(t), word.find(t) + len(t)) for t in _inner_terms(word)]
    if not spans:
        return ""
    return "".join(ch for i, ch in enumerate(word) if not any(a <= i < b for a, b in spans))


def noun_covered(t: _Text, word: str) -> bool:
    """The clause text mentions the noun or a synonym. A compound named by a term inside it
    ("优秀员工" by 员工) counts only when the clause also says the rest of it (优秀): a rule about 员工
    says nothing of 优秀员工."""
    if not any(_covers(t, g) for g in expand([word])):
        return False
    rest = _rest_of_compound(word)
    return len(rest) < 2 or word in t.low or rest in t.low


_domain_terms: dict[str, frozenset[str]] = {}


def domain_terms(domain: str) -> frozenset[str]:
    """The words of the thesaurus section headed by the domain's name ("# 银行 · 投产与网点")."""
    got = _domain_terms.get(domain)
    if got is None:
        from assistant.text.tokenize import read_synonym_sections

        head = DOMAIN_SECTIONS.get(domain, domain)
        got = _domain_terms[domain] = frozenset(t for name, groups in read_synonym_sections().items()
                                                if name.startswith(head) for g in groups for t in g)
    return got


def unnamed_charges(question: str, card: Card) -> list[str]:
    """Words of the asking part that name a charge or sum (罚息, 医药费, 契税) the clause never names.
    Read from all its words: jieba tags some charges as verbs."""
    whole = _card_text(card).whole
    return [w for w in tokens(ask_part(question)) if len(w) >= 2 and _CHARGE.search(w)
            and not any(_covers(whole, g) for g in expand([w]))]


# another bank as the one acting ("工行升级时是怎么赔的"), not as a place the customer goes ("去工行取")
_OTHER_BANK = re.compile(r"(工行|建行|农行|中行|交行|招行|邮储|他行|工商银行|建设银行|农业银行|中国银行|交通银行|招商银行|"
                         r"别的银行|其他银行|其它银行|别家银行)")
_PLACE_BEFORE = re.compile(r"[去到在往跑上用找向从给]$")


def other_bank_asked(question: str, card: Card) -> bool:
    """The question asks what another bank does or rules, and the clause names no other bank."""
    if any(w in card.quote for w in ("其它银行", "其他银行", "他行", "兄弟行")):
        return False
    return any(not _PLACE_BEFORE.search(question[max(0, m.start() - 2):m.start()])
               and not question[m.end():m.end() + 3].startswith(("的atm", "的ATM", "取款机", "ATM", "atm", "网点"))
               for m in _OTHER_BANK.finditer(question))


# ---- the figure asked for ----------------------------------------------------------------------

# customer groups a clause may set its rule for: a group asked about that the clause leaves out, while it
# names another, is a case the clause does not cover
_GROUPS = {"corporate": re.compile(r"对公|公司户|企业户|单位户|(?<!有限)(公司|企业|单位)(的)?(客户|账户|户头)"),
           "vip": re.compile(r"贵宾(?![室厅区])|VIP(?![室厅区])|vip(?![室厅区])|大客户"),
           # a depositor, a private customer: the ordinary customer of a bank rule
           "ordinary": re.compile(r"普通客户|个人客户|个人账户|储户|一般客户")}


def other_group_asked(question: str, card: Card) -> bool:
    """For a figure asked (a limit set per group): a group named by the question and not by the clause,
    while the clause names groups ("对公的VIP" of a clause for 普通 and 贵宾 customers)."""
    if question_kind(question) != "amount":
        return False
    text = card.quote
    asked = {g for g, p in _GROUPS.items() if p.search(question)}
    named = {g for g, p in _GROUPS.items() if p.search(text)}
    return bool(named) and bool(asked - named)


# a role the clause leaves unnamed ("组长:***"): asked for by name, it is not answered
_MASKED = re.compile(r"([\u4e00-\u9fff]{1,6})[::]\s*\*{2,}")
_ROLE = re.compile(r"([\u4e00-\u9fff]{1,6})[::]")


def masked_role_asked(question: str, card: Card) -> bool:
    """Only a masked role is asked for: "组长和副组长分别是谁" is half answered by the 副组长 the clause names."""
    text = card.quote
    masked = {m.group(1) for m in _MASKED.finditer(text)}
    named = {m.group(1) for m in _ROLE.finditer(text)} - masked
    # ("副组长是谁" names a role the clause fills, so it is answered though 组长 is inside it)
    return not any(role in question for role in named) and any(role in question for role in masked)


_HOW_MANY = r"(?:(?<=提前)|(?<![那这前头后好]))(几|多少)"  # "那几天" names a time, it asks for no number
_NUM = r"(?:\d[\d,,.]*|[一二两三四五六七八九十百千万]+)\s*"
# who pays a cost (not who bears the blame: "责任谁来承担"): answered only by a clause that says who bears,
# pays or makes good a cost
_WHO_ = r"(谁|哪方|哪边|哪个部门|哪家)(来)?"
_ASK_PAYER = re.compile(r"(费用|费|钱|损失|开销)[^,,。??]{0,6}" + _WHO_ + r"(承担|出|掏|付|负担|买单|报销|赔)"
                        + r"|" + _WHO_ + r"(出钱|掏钱|付钱|买单|报销)|从哪[儿里]?出|(掏|出|付)还是")
_PAYER = re.compile(r"承担|负担|支付|赔偿|赔付|费用由|出资|垫付|报销|补偿")
# which papers (not which contact details or help: "提供哪些联系方式"): answered only by a clause that names
# a paper, a form, a document or the identity to check
_ASK_PAPERS = re.compile(r"(哪些|什么|啥|哪几样|几样)(材料|证件|证明材料|单据)|申请表|固定(的)?(格式|表)")
_PAPERS = re.compile(r"材料|证件|身份|证明|表|书面|凭证|单据|文件|书》|格式")
_STAFF = r"(员工|柜员|网点|部门|个人|同事|行里|单位|经办人|首问)"
_AUTHORITY = r"(派出所|公安|警察|法院|检察院?|税务|审计|纪委|监察委?)"
_KIN = r"(家里人|家人|家属|老婆|老公|爱人|媳妇|丈夫|妻子|子女|儿子|女儿|闺女|亲戚|朋友|别人)"
# what an ask needs the clause to speak of, read in the asking part: who pays, which papers, may someone
# else do the customer's errand ("让他老婆来替他挂失", not "朋友帮他曝光"), must someone sign, who approves
_SIDE_CONDITIONS = [
    (_ASK_PAYER, _PAYER),
    (_ASK_PAPERS, _PAPERS),
    (re.compile(_KIN + r"[^,,。??]{0,5}(替|代)|" + _KIN + r"[^,,。??]{0,5}帮(他|她)?(来)?(办|挂|取|签|领|交|开)"
                r"|代办|代签|代理人|委托"), re.compile(r"代办|代理|委托|家属|亲属|本人|他人")),
    (re.compile(r"(要|得|需要|用不用|要不要|让)[^,,。??]{0,6}签(个)?字|签字(吗|确认)|签名|盖章"), re.compile(r"签|章")),
    (re.compile(_WHO_ + r"(批|审批|拍板)|拍板|(能|可以|自己)[^,,。??]{0,4}批(吗|不)|批不批|(要|得|需要)[^,,。??]{0,4}(批准|审批)(?!流程|程序|手续)"),
     re.compile(r"批|同意|决定|拍板|承诺|答应|做主|自行|权限")),
    # in what form or system ("用啥表格", "有统一模板吗", "要录到哪个系统", "走哪个科目", "得交书面申请吗"); not
    # 什么表述 (wording), 纸质存折 (a thing that is paper); a clause answers by naming a form, never by 代表/表达
    (re.compile(r"表(格|单)|(什么|哪张|啥)表(?=[吗呢??,,]|$|填|报|登)|模板|(什么|哪个|哪种|啥)(系统|科目|台账|格式|样式)"
                r"|纸质(的|版)?(吗|还是)|电子版|书面(的|申请|材料|形式)?(吗|还是|不)"),
     re.compile(r"表格|表单|报表|登记表|申请表|模板|格式|信息系统|业务系统|录入|科目|书面|纸质|电子|台账|登记簿")),
    # a reward for staff ("办得快的员工有没有奖励"), not a gift to calm a customer: the clauses say who is to
    # blame, not who is praised
    (re.compile(_STAFF + r"[^,,。??]{0,8}(奖励|表彰|嘉奖|奖金)|(奖励|表彰|嘉奖)[^,,。??]{0,2}" + _STAFF),
     re.compile(r"奖|表彰")),
    # off hours as the point of the ask ("夜里有没有例外", "节假日也受理吗", "夜里呢"), answered only by a clause
    # that speaks of them; a night in the story is scene ("半夜醉酒来闹事,该找谁"), and weekends count days
    # ("周末算不算": the clause on 自然日 answers that)
    (re.compile(r"(夜里|夜间|半夜|深夜|凌晨|下班(后|以后|时间)|节假日|法定假日?)[^,,。??]{0,3}?(也|还|呢|照样|照常|算不算|有没有例外)"),
     re.compile(r"夜|晚|节假日|假日|周末|休息日|工作日(?!志)|自然日|非工作|下班|24小时|全天|昼夜|值守|值班")),
    # an authority that demands or receives something ("派出所来调取材料,能给吗": what the law compels is not
    # what a confidentiality rule says), not one the customer may turn to (起诉, 仲裁: the remedies clauses)
    (re.compile(r"(?<![去到向找上])" + _AUTHORITY + r"[^,,。??]{0,4}(来|调取|调|要|查)"
                r"|(给|交给|提供给|告诉|报给?)[^,,。??]{0,3}" + _AUTHORITY),
     re.compile(r"派出所|公安|(?<!预)警|法院|检察|税务|审计|纪委|监察|司法|有权机关|诉讼|起诉|仲裁|救济")),
    # a go-between as the one who acts or receives ("能找中介担责吗"), which a rule on telling no one else
    # covers ("业主名单能给中介吗": 严格保密)
    (re.compile(r"中介[^,,。??]{0,6}(担责|负责|赔|承担|拿|调取)|(给|找|让|交给|提供给)[^,,。??]{0,3}中介"),
     re.compile(r"中介|二手|他人|第三方|保密|泄露")),
    # a second review or extension ("能不能再申请第二次复核", "复核完了还能再复核吗"), answered by a clause that
    # speaks of doing it again; "重新申请复核" may name the first review, so it alone is no such ask
    (re.compile(r"第二次(申请|复核|复议|延长)|二次(复核|申请|复议)|再(申请|提)?(一次|第二次)(复核|复议)?|再(复核|复议)一(次|回)"
                r"|(复核|复议)(完|过|以后|之后)[^,,。??]{0,8}(再|重新)(申请|提)?(复核|复议)"),
     re.compile(r"再次|第二次|二次|重新|重复|多次|再延长|再申请")),
]
# a time of day (几点, but not 十几点 / 2几点, which are no asks)
_ASK_CLOCK = re.compile(r"(?<![一二两三四五六七八九十\d])几点|什么时段|哪个时段")
_CLOCK = re.compile(r"\d{1,2}(:\d{2}|点|时)|[一二两三四五六七八九十]{1,3}点|上午|下午|早上|晚上|中午|营业时间|24小时|全天|昼夜")
# "最晚几点前": a deadline, which a span from the event answers
_DEADLINE = re.compile(r"最晚|最迟|最慢")
_HOURS = re.compile(_NUM + r"(个)?小时|随时|立即|第一时间|即时")
# what a number question asks for, and the figures that answer it
_UNIT_ASKS: list[tuple[re.Pattern, re.Pattern]] = [
    (re.compile(_HOW_MANY + r"(个|位|名|号)?(人|名|位)|人数"), re.compile(_NUM + r"(人|名|位)")),
    (re.compile(r"多少[^,,。??]{0,4}?(钱|元|块|工资|薪|费|金|款|价)|几(块|千|万|百)(钱|块|元)?|金额|费率|差价"),
     re.compile(_NUM + r"元|\d{1,3}[,,]\d{3}")),
    (re.compile(_HOW_MANY + r"(个)?分钟"), re.compile(_NUM + r"分钟")),
    # "投诉一次扣几分": points, answered by a score the clause writes out
    (re.compile(r"(扣|加|减|记|得|打)(几|多少)分(?![钟之])"), re.compile(_NUM + r"分(?![钟之行])")),
    (re.compile(_HOW_MANY + r"(个)?(小时|钟头)"), _HOURS),
    (re.compile(_HOW_MANY + r"(个)?(工作日|天|日)(?!志)"), re.compile(_NUM + r"(个)?(工作日|日|天)|当日|当天|每天|随时|立即")),
    (re.compile(_HOW_MANY + r"(个)?(星期|周)"), re.compile(_NUM + r"(个)?(星期|周|日|天)")),
    (re.compile(_HOW_MANY + r"(个)?月"), re.compile(_NUM + r"(个)?(月|日)")),
    (re.compile(_HOW_MANY + r"(个)?年|多少年"), re.compile(_NUM + r"(个)?年|年限")),
    (re.compile(_HOW_MANY + r"(个)?(采暖期|供冷期|供暖期)"), re.compile(_NUM + r"(个)?(采暖期|供冷期)")),
    (re.compile(_HOW_MANY + r"度"), re.compile(_NUM + r"度")),
    (re.compile(r"百分之|[千万]分之|比例|多少%|几成"), re.compile(_NUM + r"(%|‰|成)|[百千万]分之")),
    (re.compile(r"(多少|几)(个)?(平方米|平方|平米|米)|面积多大"), re.compile(_NUM + r"(平方米|平方|平米|米)")),
    # "多久 / 多长时间" asks for a span of time: an amount or a head count does not answer it
    (re.compile(r"多久|多长时间|多长的?期限|多少时间"),
     re.compile(_NUM + r"(个)?(工作日|日|天|小时|分钟|星期|周|月|年|采暖期|供冷期)|年限|即时|当日|当天|随时|立即|"
                r"第一时间|之日起")),
    # a phone number or an address is answered only by one written out (the cards name nobody's)
    (re.compile(r"号码|电话(是)?多少|热线(是)?多少"), re.compile(r"\d{5,}")),
    (re.compile(r"地址|网址|邮箱(是)?多少"), re.compile(r"[路街巷]\d|\d+号|@|www|http")),
    # "几点之前要报": a time of day, answered by a clock time the clause writes out, or by a span when
    # the question gives the clock time it starts from ("下午两点来投诉的,最晚几点前回话": 4小时)
    (_ASK_CLOCK, _CLOCK),
    # "违约金一天按多少算": a rate per day, answered by a figure said to be per day
    (re.compile(r"(一天|每天|每日|按天|按日)((按|算|收|付|赔|罚)(多少|几)|(多少|几)(钱|元|块))"),
     re.compile(r"(每日|每天|按日|按天|日)[^。;;]{0,12}(" + _NUM + r"(元|%|‰)|[百千万]分之)")),
]


# "多久报一次": how often, answered by a recurrence (每天, 每周, 定期), not by a time limit (4小时内)
_ASK_FREQUENCY = re.compile(r"(多久|多长时间|几天|多少天|隔多久)[^,,。;;??]{0,6}一次|频率|频次")
_FREQUENCY = re.compile(r"每(天|日|周|星期|月|季|年|半年|个?工作日|\d|[一二两三四五六七八九十])|定期")


def _asked_units(question: str) -> list[re.Pattern]:
    """The figures that answer a number question of a given unit (days, people, money), if one is asked."""
    if _ASK_FREQUENCY.search(question):
        return [_FREQUENCY]
    units = ([fig for ask, fig in _UNIT_ASKS if ask.search(ask_part(question))]
             or [fig for ask, fig in _UNIT_ASKS if ask.search(question)])
    if _CLOCK in units and (_DEADLINE.search(question) or _CLOCK.search(_ASK_CLOCK.sub("", question))):
        units.append(_HOURS)
    return units


def figure_fits(question: str, text: str) -> bool:
    """A number question is answered only by a clause with a figure of the kind asked: a question
    for days by days, for people by a head count, for money by an amount. Other number questions
    ("最多多少", "多久") take any figure or a stated limit ("年限", "随时")."""
    asks = _asked_units(question)
    if asks:
        return any(fig.search(text) for fig in asks)
    if _FIGURE.search(text) or _LIMIT_SPAN.search(text):
        return True
    # "立即 / 随时" state a time: they answer "多久 / 最迟", not "餐补标准是多少"
    return bool(_ASK_TIME.search(question) and _SPAN.search(text))


_LIMIT_SPAN = re.compile(r"以上|以内|不超过|上限")
_ASK_TIME = re.compile(r"多久|多长|最迟|最晚|最短|最长|什么时候|啥时候|何时|几时|时限|期限")


_ASK_COUNT = re.compile(r"(?<![哪那这])几(个|类|种|项|条|方面|件|步|大)(?!人|工作日|月|小时|星期|钟头|采暖期|供冷期)")
_ITEM = re.compile(r"(?:^|[。;;::\s])(?:\d+、|[((][一二三四五六七八九十]+[))]|[一二三四五六七八九十]是)")


_LIST = re.compile(r"[^,,。;;::、]{2,8}(?:、[^,,。;;::、]{2,8}){1,}(?:和|及|与|、)[^,,。;;::、]{2,8}[。;;]")


def counts_items(question: str, card: Card) -> bool:
    """"有几类 / 几个部门" is answered by a clause that lists its items (1、… 2、…; 一是… 二是…; or a
    run of three or more short names, "依法合规、便捷高效、标本兼治和多元化解")."""
    if not _ASK_COUNT.search(question):
        return False
    return len(_ITEM.findall(card.quote)) >= 2 or bool(_LIST.search(card.quote))


# ---- retrieval over the clauses ----------------------------------------------------------------

class PolicySearch:
    """Every clause card, scored on keywords, meaning and name for one question."""

    def __init__(self, retriever: HybridRetriever, cards: list[Card] | None = None,
                 card_vecs: np.ndarray | None = None) -> None:
        """cards / card_vecs replace the index's clause cards (eval.policy_cv holds some out)."""
        index = retriever.index
        self.retriever = retriever
        self.cards = [c for c in index.cards if c.is_policy] if cards is None else list(cards)
        self.bm25 = BM25([self.card_tokens(c) for c in self.cards])
        if card_vecs is not None:
            self.card_vecs = card_vecs
        else:
            rows = [index.position[c.id] for c in self.cards]
            self.card_vecs = index.vectors[rows] if rows else np.zeros((0, 1), np.float32)
        owners, texts = [], []
        for i, c in enumerate(self.cards):
            for q in card_questions(c):
                owners.append(i)
                texts.append(q)
        self.q_owner = np.array(owners, dtype=int)
        self.q_vecs = cached_embed(retriever.embedder, texts)
        # each 问法 its own BM25 document, as each is its own vector: one bag of all a card's 问法 would
        # let the story words of one ("老太太", "住院") match questions about something else
        self.q_bm25 = BM25([tokens(t) for t in texts])
        # the near misses are the clauses' other side: the course items have none (their clause ids are
        # checked when the index is built; here only the questions are read)
        unanswered = load_unanswered(get_settings().knowledge_dir) if cards is None else []
        self.neg_vecs = cached_embed(retriever.embedder, [u.q for u in unanswered])
        self._last: tuple[str, dict[str, np.ndarray]] | None = None
        self._pos = {c.id: i for i, c in enumerate(self.cards)}
        self.real_estate = np.array(["real_estate" in c.domain for c in self.cards])
        self._context: dict[str, frozenset[str]] = {}
        self._mentioned: dict[str, bool] = {}
        self._hits: dict[frozenset[str], np.ndarray] = {}
        for c in self.cards:
            _card_text(c)
        specific_nouns()

    def context_words(self, card: Card) -> frozenset[str]:
        """Words of the thesaurus that most clauses of this card's domain mention (开发商, 业主 among
        the house rules): in a question they set the scene, they don't name what is asked."""
        key = "real_estate" if "real_estate" in card.domain and "bank" not in card.domain else "bank"
        got = self._context.get(key)
        if got is None:
            from assistant.text.tokenize import read_synonyms

            same = [_card_text(c).whole for c in self.cards
                    if ("real_estate" in c.domain and "bank" not in c.domain) == (key == "real_estate")]
            words: set[str] = set()
            for group in read_synonyms():
                g = frozenset(group)
                if same and sum(_covers(t, g) for t in same) >= CONTEXT_SHARE * len(same):
                    words |= g
            got = self._context[key] = frozenset(words)
        return got

    def common(self, group: frozenset[str]) -> bool:
        """Many clauses mention the word (客户, 投诉, 网点): it names no topic of a question."""
        return int(self.hits(group).sum()) >= COMMON_SHARE * max(1, len(self.cards))

    def topic_groups(self, question: str, card: Card) -> list[frozenset[str]]:
        """The question's words (as synonym groups) that name its topic: not the domain's scene words,
        not words most clauses say, not the asking words (上限, 期限, 多少)."""
        context = self.context_words(card)
        return [g for g in expand(tokens(question))
                if any(len(w) >= 2 for w in g) and not g & context and not self.common(g)
                and not any(_ASK_AMOUNT.fullmatch(w) or _ASK_LIMIT.fullmatch(w) or _QUANTITY.fullmatch(w) for w in g)]

    def mentioned(self, word: str) -> bool:
        """Some clause mentions the word (or a synonym): the procedures know the thing, so a clause that
        leaves it out may still answer; a word no clause knows points to a question they don't cover."""
        got = self._mentioned.get(word)
        if got is None:
            got = self._mentioned[word] = any(noun_covered(_card_text(c).whole, word) for c in self.cards)
        return got

    def marks_domain(self, word: str, domain: str) -> bool:
        """The word (or a synonym) is one of the thesaurus' words of that domain's own section (网点,
        柜员 of the bank; 业主, 交房 of the houses) and no clause of the other domain mentions it."""
        key = domain + "\x00" + word
        got = self._mentioned.get(key)
        if got is None:
            terms = domain_terms(domain)
            groups = [g for g in expand([word]) if g & terms]
            theirs = np.array([domain not in c.domain for c in self.cards])
            got = self._mentioned[key] = bool(groups) and not any(self.hits(g)[theirs].any() for g in groups)
        return got

    @staticmethod
    def card_tokens(card: Card) -> list[str]:
        """The clause's own words for BM25: its name (twice), text and 要点; the 问法 are scored one by one."""
        ct = _card_text(card)
        if ct.bm25_tokens is None:  # kept per card content: a re-index of unchanged cards costs nothing
            ct.bm25_tokens = tokens(card.title) * 2 + tokens(card.quote) + tokens(card.section("要点"))
        return ct.bm25_tokens

    def features(self, question: str, qvec: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Per clause: bm25, dense_card, dense_q, title, cover; and neg, the question's likeness to the
        nearest unanswered question (-1 with none). The last question's are kept: judging reads them."""
        last = self._last
        if qvec is None and last is not None and last[0] == question:
            return last[1]
        groups = expand(tokens(question))
        bm = self.bm25.score_array(groups)
        if len(self.q_owner):
            # a card's keyword score is that of its text or of its best-matching 问法, whichever is higher
            np.maximum.at(bm, self.q_owner, self.q_bm25.score_array(groups))
        vec = qvec if qvec is not None else self.retriever.embed_query(question)
        dense_card = self.card_vecs @ vec
        dense_q = np.full(len(self.cards), -1.0)
        if len(self.q_vecs):
            np.maximum.at(dense_q, self.q_owner, self.q_vecs @ vec)
        names = self.retriever.titles.match(question)
        title = np.array([names.get(c.id, 0.0) for c in self.cards])
        neg = np.asarray(float((self.neg_vecs @ vec).max()) if len(self.neg_vecs) else -1.0)
        f = {"bm25": bm, "dense_card": dense_card, "dense_q": dense_q, "title": title,
             "cover": self.coverage(question), "neg": neg}
        if qvec is None:
            self._last = (question, f)
        return f

    def unanswered_closer(self, question: str, card: Card) -> bool:
        """The question is more like a question the procedures don't answer than like the clause's own
        问法, by UNANSWERED_MARGIN."""
        i = self._pos.get(card.id)
        if not len(self.neg_vecs) or i is None:
            return False
        f = self.features(question)
        return float(f["neg"]) >= float(f["dense_q"][i]) + UNANSWERED_MARGIN

    def coverage(self, question: str) -> np.ndarray:
        """For each clause, the share of the question's words (with synonyms) its own words mention,
        each word weighted by how few clauses mention it: siblings of one plan are told apart by the
        words only one of them has."""
        groups = [g for g in expand(tokens(question)) if any(len(w) >= 2 for w in g)]
        if not groups or not self.cards:
            return np.zeros(len(self.cards))
        hit = np.array([self.hits(g) for g in groups], dtype=float)
        weight = np.log((len(self.cards) + 1) / (hit.sum(axis=1) + 1))
        total = weight.sum()
        return weight @ hit / total if total > 0 else np.zeros(len(self.cards))

    HITS_CACHE = 20_000  # word groups remembered; a question's words are mostly the thesaurus' and the clauses'

    def hits(self, group: frozenset[str]) -> np.ndarray:
        """Which clauses mention the word group (their text, 要点 and 问法), remembered per group."""
        got = self._hits.get(group)
        if got is None:
            if len(self._hits) >= self.HITS_CACHE:
                self._hits.clear()
            got = self._hits[group] = np.array([_covers(_card_text(c).whole, group) for c in self.cards], dtype=bool)
        return got


# ---- scoring and the answer --------------------------------------------------------------------

BM25_SCALE = 12.0      # a BM25 score this high counts as full keyword evidence
W_DENSE_Q = 1.0        # the question against the 问法 (the way people ask)
W_DENSE_CARD = 0.35    # the question against the clause text
W_BM25 = 0.35
W_TITLE = 2.0          # a question that is a clause's name puts it first
W_COVER = 0.4          # the share of the question's words the clause mentions (rare words count more)
COVER_CENTRE = 0.2     # … counted above or below this share, so the floors keep their meaning
FLOOR = 0.80           # below this combined score: not found
HIGH = 1.0             # at or above (and nothing asked left uncovered): high confidence
STORY_UNCOVERED_FLOOR = FLOOR  # … when that noun is only in the story before a figure question
# (eval.policy_cv: 0.8, 0.9 and 1.0 score alike on held-out 问法, so no extra floor)
STORY_LEAD = 0.25      # … or, in the story of a question of any kind, when the clause leads the next by this
UNCOVERED_FLOOR = 1.08  # a clause that never mentions the thing asked about, which no clause knows, must be this strong
FIGURE_RATIO = 0.85    # a clause with the figure asked answers in place of a first without one this close
FIGURE_DEPTH = 5       # … among this many
SECOND_RATIO = 0.93    # a second clause is cited only this close to the first, and when it adds
COMMON_SHARE = 0.15    # a word this share of all clauses mention names no topic of a number question
CONTEXT_SHARE = 0.3    # a word this share of a domain's clauses mention is scene, not topic
NAMED_CLOSENESS = 0.8  # a question this close to a card's name is answered from that card
TIE_RATIO = 0.97       # clauses this close are told apart by their best sentence
COURSE_FLOOR = 0.5     # a course item answers, when no clause does, at this score (see course_score) …
W_COURSE_Q = 1.0       # a course item's 问法 like the question lifts it this much per unit above …
COURSE_Q_CENTRE = 0.6  # … this likeness
COURSE_COVER = 0.25    # … and when it mentions this share of the question's (rarity-weighted) words
TIE_DEPTH = 3
UNANSWERED_MARGIN = 0.12  # a question this much more like an unanswered question than like the clause's 问法: 未找到
DOMAIN_SECTIONS = {"bank": "银行", "real_estate": "房地产"}  # the thesaurus sections whose words mark a domain


def course_score(f: dict[str, np.ndarray]) -> np.ndarray:
    """A course item's score: the clause score without the 问法 term, plus what a close 问法 adds above
    COURSE_Q_CENTRE (an item without 问法 has dense_q -1 and gets nothing)."""
    return combined(f, questions=False) + W_COURSE_Q * np.maximum(f["dense_q"] - COURSE_Q_CENTRE, 0.0)


def combined(f: dict[str, np.ndarray], questions: bool = True) -> np.ndarray:
    """The clause score; questions=False leaves out the 问法 term (course_score adds its own)."""
    return ((W_DENSE_Q * f["dense_q"] if questions else 0.0) + W_DENSE_CARD * f["dense_card"]
            + W_BM25 * np.minimum(f["bm25"] / BM25_SCALE, 1.0) + W_TITLE * f["title"]
            + W_COVER * (f["cover"] - COVER_CENTRE))


class PolicyAnswerer:
    def __init__(self, retriever: HybridRetriever, min_bm25: float = 0.0, min_dense: float = 0.0) -> None:
        # min_bm25 / min_dense were single-signal floors; the floors now apply to the combined score
        self.retriever = retriever
        self.min_bm25 = min_bm25
        self.min_dense = min_dense
        self._search: PolicySearch | None = None
        self._course: PolicySearch | None = None
        self._lock = threading.Lock()

    @property
    def search(self) -> PolicySearch:
        """Built at the first question: embedding the 问法 is cached on disk, but suggest never needs it."""
        if self._search is None:
            with self._lock:
                if self._search is None:
                    self._search = PolicySearch(self.retriever)
        return self._search

    @property
    def course(self) -> PolicySearch:
        """The course items (the bank course's steps and areas, the house course's items): asked only when
        no clause answers, so a rule always wins over a course's advice."""
        if self._course is None:
            with self._lock:
                if self._course is None:
                    self._course = PolicySearch(self.retriever, course_cards(self.retriever.index))
        return self._course

    def course_item(self, question: str) -> tuple[float, Card] | None:
        """The course item that answers a question no clause answers: it must say nearly all of the
        question's words, as well as pass the clause gates (figure, who, the thing asked about)."""
        cs = self.course
        if not cs.cards:
            return None
        f = cs.features(question)
        score = course_score(f)
        i = int(np.argmax(score))
        if f["cover"][i] < COURSE_COVER:
            return None
        if self.judge(question, float(score[i]), cs.cards[i], cs, COURSE_FLOOR)[0] == "none":
            return None
        return float(score[i]), cs.cards[i]

    def rank(self, question: str) -> list[tuple[float, Card]]:
        ps = self.search
        score = combined(ps.features(question))
        order = list(np.argsort(-score))
        if route_domain(question) == "real_estate":
            # real-estate clauses first: the best of them answers unless it is below the floor
            re_order = [i for i in order if ps.real_estate[i]]
            if re_order and score[re_order[0]] >= FLOOR:
                order = re_order + [i for i in order if not ps.real_estate[i]]
        return [(float(score[i]), ps.cards[i]) for i in order]

    def named_card(self, question: str) -> Card | None:
        """A course item asked by its name (3F法, 太极法): exact names win, clause or not."""
        index = self.retriever.index
        # topic cards classify what customers complain about; they hold no rule to quote
        names = {cid: c for cid, c in self.retriever.titles.match(question, NAMED_CLOSENESS).items()
                 if index.card(cid).category != "topic"}
        if not names:
            return None
        return index.card(max(names, key=lambda cid: (names[cid], index.card(cid).is_policy)))

    def partial_answer(self, question: str) -> dict | None:
        """Of a question that asks twice or more and is not answered as a whole ("紧急用款上限多少?节假日呢?"),
        the answer to the first ask the procedures answer on their own with high confidence (read with the
        story before it), and what is left unanswered. The question is cut at its first MAX_EARLIER_ASKS
        question marks only, and each cut is answered without a partial answer of its own: a pasted list of
        asks costs at most that many answers."""
        start = 0
        for ask in ask_prefixes(question)[:MAX_EARLIER_ASKS]:
            got = self.answer(ask, partial=False)
            rest = question[len(ask):].strip()
            if got.found and got.confidence == "high" and rest:
                # the part that made this cut answerable: the cuts before it were not
                said = question[start:len(ask)].strip()
                lead = next((i for i, ch in enumerate(said) if ch not in _LEAD_PUNCT), len(said))
                said = said[lead:].rstrip("?").rstrip("?")
                return {"ask": said[-PARTIAL_SHOWN_CHARS:], "rest": rest[:PARTIAL_SHOWN_CHARS],
                        "direct": got.direct, "confidence": got.confidence, "citations": got.citations}
            start = len(ask)
        return None

    def _answer_named(self, card: Card) -> PolicyAnswer:
        quote = card.quote if card.is_policy else card.key_line
        section = card.clause if card.is_policy else card.title
        source = card.doc if card.is_policy else card.source
        citation = {"source": source, "section": section, "quote": quote, "card_id": card.id, "title": card.title,
                    "verbatim": card.verbatim if card.is_policy else False}
        direct = f"{card.title}:{card.key_line}"
        answer = f"{direct}\n「{quote}」(《{source}》{section})" if card.is_policy else f"{direct}\n(出处:{source})"
        return PolicyAnswer(answer, True, [citation], [Hit(card, 1.0, title_match=1.0)], confidence="high",
                            direct=direct)

    def _answer_course(self, question: str, score: float, card: Card, hits: list[Hit]) -> PolicyAnswer:
        """A course item's advice, quoted from its 要点 and cited by its place in the course; never high
        confidence, since it is teaching, not a rule."""
        direct = direct_answer(question, card, verdicts=False)
        quote = "".join(best_sentences(card, question, backs=direct))
        citation = {"source": card.source, "section": card.title, "quote": quote, "card_id": card.id,
                    "title": card.title, "verbatim": False}
        answer = f"{LOW_PREFIX}{direct}\n「{quote}」(出处:{card.source})"
        return PolicyAnswer(answer, True, [citation], [Hit(card, score), *hits], confidence="low", direct=direct)

    def judge(self, question: str, score: float, card: Card, search: PolicySearch | None = None,
              floor: float | None = None, lead: float = 0.0) -> tuple[str, list[str]]:
        """high | low | none for the best clause, and the asked-about words it leaves out; search and
        floor are the course items' when a course item is judged.

        A question that asks twice ("…几点之前要报?用什么表?") is answered only when every ask is: each
        earlier ask is judged as the question up to its question mark, the story before it included,
        unless another clause ranks first for that ask alone (it is then left to that clause, which is
        cited only when the second-clause rule picks it: the answer may cover one ask of the two)."""
        last = self._judge_one(question, score, card, search, floor, lead)
        verdicts = []
        for q in earlier_asks(question) if last[0] != "none" else []:
            v = self._judge_one(q, score, card, search, floor, lead)
            # ranking the ask alone costs a search: only for an ask this clause would leave unanswered
            if v[0] == last[0] or search is not None or self.rank(q)[0][1] is card:
                verdicts.append(v)
        # the weakest verdict, the earliest of its level
        return next((v for level in ("none", "low") for v in verdicts if v[0] == level), last)

    def _judge_one(self, question: str, score: float, card: Card, search: PolicySearch | None = None,
                   floor: float | None = None, lead: float = 0.0) -> tuple[str, list[str]]:
        ps = search or self.search
        if score < (FLOOR if floor is None else floor):
            return "none", []
        kind = question_kind(question)
        if kind == "amount" and not self.figure_answers(question, card, ps):
            return "none", []  # a question for a figure is not answered by a clause without one of its kind
        if kind == "who" and not names_agent(question, card):
            return "none", []  # "由哪个部门复核" is not answered by a clause that names nobody
        asking = ask_part(question)
        if any(ask.search(asking) and not says.search(card.quote) for ask, says in _SIDE_CONDITIONS):
            return "none", []  # "费用谁来承担", "得交哪些材料", "让他老婆来替他挂失" of a clause silent on it
        if kind == "where" and not _PLACE_WORD.search(card.quote):
            return "none", []  # "房产证去哪儿领" is not answered by a clause that names no place, body or channel
        missing = uncovered_focus(question, card, ps.context_words(card))
        asked = set(focus_parts(question)[0])
        if any(_CHARGE.search(w) for w in missing if w in asked) or unnamed_charges(question, card):
            return "none", missing  # a fee, tax or sum asked about that the clause never names
        if other_bank_asked(question, card):
            return "none", missing  # how another bank does it: our procedures don't say
        if other_group_asked(question, card):
            return "none", missing  # "对公客户最多支多少" of a clause that sets limits for 普通 and 贵宾 customers only
        if kind == "who" and masked_role_asked(question, card):
            return "none", missing  # "组长是谁" of a clause whose 组长 is left as ***
        if self.other_scene(card, missing, ps):
            return "none", missing  # a bank scene (网点) asked of a house rule, or the reverse
        unknown = [w for w in missing if not ps.mentioned(w)]
        # a noun no clause knows, asked about, needs a strong match; one only in the story before a
        # number question the clause answers with the figure asked ("孩子学费等着交,…最多能支多少") less
        # ("割接那几天客户钱包被偷了,卡能先冻上吗"): so is one in the story of any question when the
        # clause leads the next by a clear margin, the story's thing is then scene, not topic
        story = not asked & set(unknown) and (question_kind(question) == "amount" or lead >= STORY_LEAD)
        if unknown and score < (STORY_UNCOVERED_FLOOR if story else UNCOVERED_FLOOR):
            return "none", missing
        if kind == "yesno" and (missing or score < HIGH) and not predicate_covered(question, card):
            # "网点员工能调休吗": a weak match whose clause never names the doing asked about (at any
            # strength the rule would lose paraphrased verbs: 关手机 for 开机)
            return "none", missing
        if self.off_domain(question, card) and (missing or score < HIGH):
            return "none", missing  # a house question answered from a bank rule (or the reverse) must be plain
        return ("high" if score >= HIGH and not missing else "low"), missing

    def other_scene(self, card: Card, missing: list[str], search: PolicySearch | None = None) -> bool:
        """The question names a word of the other domain's scene (网点 of a house rule, 业主 of a bank
        rule) that the clause leaves out: it is about the other domain's affairs."""
        houses = "real_estate" in card.domain and "bank" not in card.domain
        bank_only = "bank" in card.domain and "real_estate" not in card.domain
        return (houses or bank_only) and any((search or self.search).marks_domain(w, "bank" if houses else "real_estate")
                                             for w in missing)

    def figure_answers(self, question: str, card: Card, search: PolicySearch | None = None) -> bool:
        """A number question is answered by a clause sentence that holds a figure of the kind asked and
        names something the question names besides the domain's scene words ("新核心上线要停业几天" is
        not answered by "务必在5日内办理正式挂失"), or by a clause listing the items counted."""
        if counts_items(question, card):
            return True
        groups = (search or self.search).topic_groups(question, card)
        sents = _card_text(card).sentences
        if not card.is_policy and groups:
            # a course item's title names what all its sentences are about ("隔离客户": "至少两名员工在场")
            title = _Text(card.title.lower(), set(tokens(card.title)), set())
            if any(_covers(title, g) for g in groups):
                groups = []
        # a sentence's subject may be in the one before it ("对于不能劝退的客户……援助。普通客户上限5,000元")
        return any(figure_fits(question, t.text)
                   and (not groups or any(_covers(u, g) for u in sents[max(0, i - 1):i + 1] for g in groups))
                   for i, t in enumerate(sents))

    def figure_first(self, question: str, ranked: list[tuple[float, Card]]) -> list[tuple[float, Card]]:
        """A question for a figure is answered by the best clause that holds a figure of its kind, when
        that clause scores close to the first ("处理结果要在几天内告诉他": the clause with the days); a
        who question by the best clause that names someone ("赔不赔谁说了算")."""
        kind = question_kind(question) if ranked else ""
        if ranked and _ASK_FREQUENCY.search(question):
            kind = "amount"  # "多久报一次, 报到哪": how often is asked in whichever part it is
        if kind not in ("amount", "who"):
            return ranked
        top = ranked[0][0]

        def fits(card: Card) -> bool:
            return self.figure_answers(question, card) if kind == "amount" else names_agent(question, card)

        if fits(ranked[0][1]):
            return ranked
        for i, (s, c) in enumerate(ranked[1:FIGURE_DEPTH], 1):
            if s < top * FIGURE_RATIO:
                break
            if fits(c):
                return [ranked[i], *ranked[:i], *ranked[i + 1:]]
        return ranked

    def sentence_first(self, question: str, ranked: list[tuple[float, Card]]) -> list[tuple[float, Card]]:
        """Of clauses scored almost alike, the one with the sentence that says most of the question."""
        if len(ranked) < 2 or TIE_RATIO >= 1.0:
            return ranked
        top_score = ranked[0][0]
        close = [i for i, (s, _) in enumerate(ranked[:TIE_DEPTH]) if s >= top_score * TIE_RATIO]
        if len(close) < 2:
            return ranked
        best = max(close, key=lambda i: (sentence_score(ranked[i][1], question), -i))
        return ranked if best == 0 else [ranked[best], *ranked[:best], *ranked[best + 1:]]

    @staticmethod
    def off_domain(question: str, card: Card) -> bool:
        """The question is about houses and the clause is a bank rule, or the reverse."""
        about_houses = route_domain(question) == "real_estate"
        return about_houses != ("real_estate" in card.domain) and (about_houses or "bank" not in card.domain)

    def answer(self, question: str, partial: bool = True) -> PolicyAnswer:
        named = self.named_card(question)
        if named is not None:
            return self._answer_named(named)
        ranked = self.figure_first(question, self.sentence_first(question, self.rank(question)))
        hits = [Hit(c, s) for s, c in ranked[:8]]
        lead = ranked[0][0] - ranked[1][0] if len(ranked) > 1 else 0.0
        confidence = self.judge(question, *ranked[0], lead=lead)[0] if ranked else "none"
        unanswered = confidence != "none" and self.search.unanswered_closer(question, ranked[0][1])
        if unanswered:
            confidence = "none"
        if confidence == "none":
            item = None if unanswered else self.course_item(question)
            if item is not None:
                return self._answer_course(question, *item, hits)
            nearest = [{"source": c.doc, "section": c.clause, "title": c.title, "card_id": c.id}
                       for _, c in ranked[:3]]
            partial = self.partial_answer(question) if partial and not unanswered else None
            lines = [NOT_FOUND]
            if partial:
                lines += [PARTIAL_HEAD.format(ask=partial["ask"], rest=partial["rest"]),
                          (LOW_PREFIX if partial["confidence"] == "low" else "") + partial["direct"],
                          *(f"「{c['quote']}」(《{c['source']}》{c['section']})" for c in partial["citations"])]
            elif nearest:
                lines.append("可以查看这几条相近的规定:")
                lines += [f"{i}. 《{n['source']}》{n['section']} {n['title']}" for i, n in enumerate(nearest, 1)]
            return PolicyAnswer("\n".join(lines), False, [], hits, nearest=nearest, partial=partial)
        top_score, top = ranked[0]
        cited = [top]
        if len(ranked) > 1:
            s2, second = ranked[1]
            if s2 >= max(FLOOR, top_score * SECOND_RATIO) and adds(second, top, question):
                cited.append(second)
        direct = direct_answer(question, top, verdicts=confidence == "high")
        citations, parts = [], []
        for c in cited:
            quote = "".join(best_sentences(c, question, backs=direct if c is top else ""))
            citations.append({"source": c.doc, "section": c.clause, "quote": quote, "card_id": c.id,
                              "title": c.title, "verbatim": c.verbatim})
            parts.append(f"「{quote}」(《{c.doc}》{c.clause})")
        head = LOW_PREFIX + direct if confidence == "low" else direct
        return PolicyAnswer("\n".join([head, *parts]), True, citations, hits, confidence=confidence, direct=direct)


# ---- picking sentences and the direct answer ---------------------------------------------------

ASK_WEIGHT = 1.0  # a word of the asking part ("…,副组长都有谁?") counts this much more


def _relevance(t: _Text, q_groups: list[frozenset[str]], q_bigrams: set[str],
               ask_groups: list[frozenset[str]] = ()) -> float:
    return (sum(1.0 for g in q_groups if _covers(t, g)) + ASK_WEIGHT * sum(1.0 for g in ask_groups if _covers(t, g))
            + 0.25 * sum(len(b) == 2 for b in q_bigrams & t.bigrams))


def _ask_groups(question: str) -> list[frozenset[str]]:
    """The words of the part that asks, when the question has a part before it."""
    if len([p for p in _ASK_SPLIT.split(question) if p.strip()]) < 2:
        return []
    return expand(tokens(ask_part(question)))


def _bonus(text: str, kind: str) -> float:
    if kind == "amount" and (_FIGURE.search(text) or _SPAN.search(text)):
        return 2.0
    if kind == "yesno" and (_NEGATIVE.search(text) or _POSITIVE.search(text)):
        return 0.5
    if kind == "who" and _DUTY.search(text):
        return 1.0
    if kind == "where" and _PLACE.search(text):
        return 2.0
    return 0.0


# a place or a level something is taken or sent to: "引导到贵宾室", "上报省行", "报送分行工会信箱"
_PLACE = re.compile(r"(引导到|引导至|带到|带至|前往|报送|上报|报至|报给|转交|转到|转至|送到|送至)[^,,。;;]{0,10}"
                    r"(室|区域|场所|网点|银行|[省市分支总]行|组|中心|部门|信箱|派出所)")


_ASK_LIST = re.compile(r"哪些|哪几|几类|几种|几项|有什么")
_LISTED = re.compile(r"、[^、,,。;;]{1,10}、")
LIST_BONUS = 1.0  # a sentence that lists things answers "哪些 / 哪几类"


def _sentence_scores(card: Card, question: str) -> list[tuple[float, int, str]]:
    q_groups = expand(tokens(question))
    q_bigrams = _bigrams(question.lower())
    kind = question_kind(question)
    a_groups = _ask_groups(question)
    ct = _card_text(card)
    units = _asked_units(question) if kind == "amount" else []
    lists = bool(_ASK_LIST.search(ask_part(question)))
    return [(-1.0 if ct.heading and i == 0 else
             _relevance(t, q_groups, q_bigrams, a_groups) + _bonus(t.text, kind)
             + _condition_bonus(t.text, q_groups)
             + (UNIT_BONUS if units and any(f.search(t.text) for f in units) else 0.0)
             + (LIST_BONUS if lists and _LISTED.search(t.text) else 0.0), -i, t.text)
            for i, t in enumerate(ct.sentences)]


UNIT_BONUS = 1.5  # a sentence with a figure of the unit asked (days for 几天, an amount for 多少钱)
CONDITION_BONUS = 1.0  # a rule whose condition ("对没有及时处理的,") is the question's situation
_LEADING_CONDITION = re.compile(r"^(?:对于?|凡|如|若|当)?([^,,。;;]{2,24}?)(?:的|时|后)[,,]")


def _condition_bonus(text: str, q_groups: list[frozenset[str]]) -> float:
    """A sentence that opens with a condition ("对没有及时处理的, …") answers the question whose story
    is that condition ("…一直没动静, 首问的人该干嘛"): its condition must say a question word."""
    m = _LEADING_CONDITION.match(text)
    if not m or not CONDITION_BONUS:
        return 0.0
    cond = _Text(m.group(1), set(tokens(m.group(1))), set())
    return CONDITION_BONUS if any(_covers(cond, g) for g in q_groups if any(len(w) >= 2 for w in g)) else 0.0


_ASK_WHEN = re.compile(r"什么时候|啥时候|何时|哪天|几时|什么时间|从哪|多会儿")
_WHEN = re.compile(r"之日起|当日|当天|即时|随时|立即|第一时间|年末|年底|每天|每日|" + _NUM
                   + r"(个)?(工作日|日|天|小时|星期|周|月|年|采暖期)")
_ASK_CONDITION = re.compile(r"什么情况|哪种情况|哪些情况|什么条件|前提|满足什么|在什么")
_CONDITION = re.compile(r"的[,,]|^对于|^对|^凡|^如|情况下|条件|前提")


def answers_kind(question: str, kind: str, text: str) -> bool:
    """The sentence holds the kind of fact asked: a figure of the unit asked, someone's duty, a place,
    a time ("保修期从哪天起算": 之日起), a condition ("在什么情况下": "…的,")."""
    ask = ask_part(question)
    if kind == "amount":
        return figure_fits(question, text)
    if _ASK_WHEN.search(ask):
        return bool(_WHEN.search(text))
    if _ASK_CONDITION.search(ask):
        return bool(_CONDITION.search(text))
    if kind == "who":
        return bool(_DUTY.search(text))
    if kind == "where":
        return bool(_PLACE.search(text))
    return False


def best_sentences(card: Card, question: str, limit: int = 3, backs: str = "") -> list[str]:
    """The clause sentences that bear on the question, in clause order (the whole clause if short).

    A question for a figure, a time, a condition, someone or a place always gets a sentence that
    holds one (the best such); the sentence the direct answer `backs` is always quoted."""
    sents = [t.text for t in _card_text(card).sentences]
    if not sents:
        return [card.key_line]
    if sum(map(len, sents)) <= WHOLE_CLAUSE_CHARS:
        return sents
    scored = sorted(_sentence_scores(card, question), reverse=True)
    top = scored[:limit]
    best = top[0][0]
    keep = [s for score, _, s in top if score > 0 and score >= best * 0.5] or [sents[0]]
    kind = question_kind(question)
    fits = [s for _, _, s in scored if answers_kind(question, kind, s)]
    if fits and not any(s in fits for s in keep):
        keep.append(fits[0])
    core = _PUNCT_END.sub("", backs.split("。")[-2] if backs.count("。") > 1 else backs)
    core = core.split(":", 1)[-1] if core not in "".join(sents) else core
    if core and not any(core in s for s in keep):
        keep += [s for s in sents if core in s][:1]
    return sorted(keep, key=sents.index)


def sentence_score(card: Card, question: str) -> float:
    return max((s for s, _, _ in _sentence_scores(card, question)), default=0.0)


DIRECT_MAX_CHARS = 80
_PUNCT_END = re.compile(r"[。;;,,::\s]+$")
_RAW_SENT = re.compile(r"[^。;;\n]+")
_MODAL = re.compile(r"不得|不可|不能|禁止|严禁|不予|不应|应当|应|必须|须|可以")


PREDICATE_BONUS = 2.0  # a sentence whose modal governs the verb asked answers a yes/no question
_ASK_MODAL = re.compile(r"能不能|可不可以|要不要|需不需要|算不算|是不是|会不会|能否|可否|是否|可以|(?<![可功])能(?!力)|"
                        r"要(?![求是])|(?<![觉记值获取懂])得(?!到)|([\u4e00-\u9fff])不\1")


def predicate_groups(question: str) -> list[frozenset[str]]:
    """The words after the question's modal: what a yes/no question asks may or must be done.

    The modal nearest the end is the one asked ("客户要求赔偿,负责人能当场答应吗": 能 答应)."""
    found = list(_ASK_MODAL.finditer(question))
    return expand(tokens(question[found[-1].end():])) if found else []


def predicate_covered(question: str, card: Card) -> bool:
    """The clause names the doing a yes/no question asks about ("网点员工能调休吗": 调休), or the
    question's verb is too short to tell (one character: "能给他看吗")."""
    groups = [g for g in predicate_groups(question) if any(len(w) >= 2 for w in g)
              and not any(_ASK_AMOUNT.fullmatch(w) or _ASK_HOW.fullmatch(w) for w in g)]
    if not groups:
        return True
    whole = _card_text(card).whole
    if any(_covers(whole, g) for g in groups):
        return True
    # jieba may cut the words wrongly ("把手机关了" -> 把手/机关): two characters of the asked part
    # side by side in the clause count as well
    found = list(_ASK_MODAL.finditer(question))
    tail = question[found[-1].end():].lower() if found else ""
    return any(a not in _STOPCHARS and b not in _STOPCHARS and a + b in whole.low
               for a, b in zip(tail, tail[1:], strict=False))


def _predicate_bonus(text: str, p_groups: list[frozenset[str]]) -> float:
    """A yes/no question is about its verb: "能当场答应吗" is answered where a modal governs 承诺."""
    for m in _MODAL.finditer(text):
        window = text[m.end():m.end() + 8]
        if any(len(w) >= 2 and w in window for g in p_groups for w in g):
            return PREDICATE_BONUS
    return 0.0


def _direct_spans(card: Card) -> list[_Text]:
    """Candidate answer sentences, tokenised once per card (see _spans)."""
    ct = _card_text(card)
    if ct.spans is None:
        ct.spans = [_Text(sp, set(tokens(lead + sp)), _bigrams(lead + sp), lead) for sp, lead in _spans(card)]
    return ct.spans


_LEAD = re.compile(r"^([^,,。;;::]{2,24}[::])(.{4,})$")


def _spans(card: Card) -> list[tuple[str, str]]:
    """Candidate answer sentences and the lead-in each reads under: each sentence of the clause, and
    for a long one every run of its comma pieces short enough to read as one line. The items of a
    list after a lead-in ("最低保修期限:A为…年;B为5年;C为2年。") are lines of their own under it."""
    out: list[tuple[str, str]] = []
    lead = ""
    for m in _RAW_PIECE.finditer("".join(t.text for t in _card_text(card).sentences)):
        raw, end = _ENUM.sub("", m.group(1).strip().lstrip("”’\"'")), m.group(2)
        if len(raw) > 3:
            out.append((raw, ""))
            head = _LEAD.match(raw) if end in ";;" else None  # a lead-in opens a list of items
            if head:
                lead = head.group(1)
                out.append((_ENUM.sub("", head.group(2)), lead))
            elif lead:
                out.append((raw, lead))
            if len(raw) > DIRECT_MAX_CHARS:
                pieces = [p for p in re.split(r"(?<=[,,::])", raw) if _PUNCT_END.sub("", p)]
                for i in range(len(pieces)):
                    for j in range(i + 1, len(pieces) + 1):
                        span = _PUNCT_END.sub("", "".join(pieces[i:j]))
                        if len(span) > DIRECT_MAX_CHARS:
                            break
                        out.append((span, ""))
        if end not in ";;":  # a list under a lead-in ends with its sentence
            lead = ""
    return out


_RAW_PIECE = re.compile(r"([^。;;\n]+)([。;;\n]?)")


_HEADING = re.compile(r"^[^,,。]{2,30}[::]\s*(\d+、|[((][一二三四五六七八九十]+[))])?\s*[^,,。]{0,8}$|"
                      r"^[^,,。]{2,30}[((][一二三四五六七八九十]+[))][^,,。]{0,6}$")


def _is_heading(text: str) -> bool:
    """"…处理原则:3、要讲究原则", "…处理流程(三)处理": the clause's title line, which answers nothing."""
    return bool(_HEADING.match(text))


def direct_answer(question: str, card: Card, verdicts: bool = True) -> str:
    """One sentence with the fact asked, in the clause's own words: the figure or limit, who, or
    yes/no with its condition. Only the 能/不能-style verdict in front is added (when verdicts)."""
    spans = [t for t in _direct_spans(card) if len(t.text) <= DIRECT_MAX_CHARS] or _direct_spans(card)
    ct = _card_text(card)
    head = _PUNCT_END.sub("", ct.sentences[0].text) if ct.heading else None
    spans = [t for t in spans if not _is_heading(t.text) and t.text != head] or spans
    if not spans:
        return card.key_line
    kind = question_kind(question)
    if kind == "yesno" and verdicts:
        # "能直接给八千块吗": the sum asked held against the clause's cap, not the clause's general line
        capped = cap_answer(question, [t.lead + t.text for t in spans])
        if capped:
            return capped
    if kind == "amount":
        # what is asked is the figure: a line without one is no answer, however on topic; a line with
        # a figure of the unit asked (days for 几天) before one with any figure
        spans = ([t for t in spans if figure_fits(question, t.text)]
                 or [t for t in spans if _FIGURE.search(t.text) or _SPAN.search(t.text)] or spans)
    q_groups = expand(tokens(question))
    q_bigrams = _bigrams(question.lower())
    p_groups = predicate_groups(question) if kind == "yesno" else []
    a_groups = _ask_groups(question)

    lists = bool(_ASK_LIST.search(ask_part(question)))

    def score(t: _Text) -> tuple[float, int]:
        s = _relevance(t, q_groups, q_bigrams, a_groups) + _bonus(t.text, kind) + _condition_bonus(t.text, q_groups)
        if p_groups:
            s += _predicate_bonus(t.text, p_groups)
        if lists and _LISTED.search(t.text):
            s += LIST_BONUS
        return s, -len(t.text)  # on a tie, the shorter line

    best = max(spans, key=score)
    sentence = _PUNCT_END.sub("", best.text)
    # yes or no only where the sentence's own modal governs the verb asked: otherwise it would be a guess
    v = verdict(question, sentence) if (kind == "yesno" and verdicts and p_groups
                                        and _predicate_bonus(sentence, p_groups)) else ""
    sentence = best.lead + sentence  # a list item is read under its lead-in
    return f"{v}。{sentence}。" if v else f"{sentence}。"


def adds(second: Card, first: Card, question: str) -> bool:
    """A second clause earns its place when it covers words of the question the first does not."""
    q_groups = expand(tokens(question))
    a, b = _card_text(first).whole, _card_text(second).whole
    return any(_covers(b, g) and not _covers(a, g) for g in q_groups)


__all__ = ["PolicyAnswer", "PolicyAnswerer", "PolicySearch", "NOT_FOUND", "direct_answer", "best_sentences",
           "question_kind", "verdict", "uncovered_focus", "focus_nouns"]


# ---- course items (the two course outlines), asked when no clause answers ----------------------

COURSE_CATEGORIES = frozenset({"process", "real_estate"})


def course_cards(index) -> list[Card]:
    return [c for c in index.cards if c.category in COURSE_CATEGORIES]
