"""PII redaction before anything is logged or sent to a model.

What is masked and how:
- checked formats are replaced whole by a placeholder: ID numbers (18 digits with a valid
  checksum, or the 15-digit first generation: area + YYMMDD + 3 digits), Luhn-valid bank cards,
  mobiles (also written 138 1234 5678, 138-1234-5678 or 135.0000.4444), landlines and e-mail;
- a person's name after a cue is masked in part, keeping the surname: 我叫张三丰 -> 我叫张**;
- an address keeps its street or community and every digit or Chinese numeral of the house
  number becomes '*': 建设路88号3单元502室 -> 建设路**号*单元***室, 阳光小区5栋2单元1801 ->
  阳光小区*栋*单元****. The kind of place stays readable (a flat, a street) for the analysis and
  for staff; the number that finds the door does not.

Redaction is idempotent, redact(redact(x)) == redact(x): placeholders and masks hold no digit or
Chinese numeral, and a name with a '*' after it counts as masked already.

Every pattern is linear in the input: runs are bounded or may only start where a run starts,
since the text comes from the public (design.md §9: 1 MB in 200 ms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from operator import itemgetter, mul

# Each pattern consumes its first character before it looks behind: a pattern that starts with a
# character (class) lets the engine skip in C to where that character occurs, a leading
# lookbehind makes it try every position (a megabyte took 0.5 s instead of 0.1 s).
_NOT_AFTER_DIGIT = r"(?<!\d.)"  # put after a pattern's first character: the one before it is no digit
_DATE = r"(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"
# an ID number, 18 digits with a checksum or the first generation's 15, whose date in the middle is its
# only check; one pattern, since a digit run can be only one of the two: one pass of a megabyte, not two
_ID = re.compile(r"[1-9]" + _NOT_AFTER_DIGIT + r"\d{5}(?:(?:18|19|20)\d{2}" + _DATE + r"\d{3}[0-9Xx]|\d{2}" + _DATE
                 + r"\d{3})(?!\d)")
_CARD = re.compile(r"\d" + _NOT_AFTER_DIGIT + r"(?:[ -]?\d){15,18}(?!\d)")
# 138 1234 5678, 138-1234-5678, 135.0000.4444, +86 ...; one branch per first character
_MOBILE_TAIL = r"[-. ]?1[3-9]\d[-. ]?\d{4}[-. ]?\d{4}(?!\d)"
_MOBILE = re.compile(rf"\+{_NOT_AFTER_DIGIT}86{_MOBILE_TAIL}|8{_NOT_AFTER_DIGIT}6{_MOBILE_TAIL}|"
                     rf"1{_NOT_AFTER_DIGIT}[3-9]\d[-. ]?\d{{4}}[-. ]?\d{{4}}(?!\d)")
_LANDLINE_TAIL = r"\d{2,3}\)?[- ]?\d{7,8}(?!\d)"
_LANDLINE = re.compile(rf"\({_NOT_AFTER_DIGIT}0{_LANDLINE_TAIL}|0{_NOT_AFTER_DIGIT}{_LANDLINE_TAIL}")
_LOCAL = "A-Za-z0-9._%+-"
_EMAIL_AT = re.compile(rf"[{_LOCAL}]+@[A-Za-z0-9.-]+\.[A-Za-z]{{2,}}")
# searching, the local part may start only where a run of its characters starts: a long run with
# no '@' is then read once, not once per position (see _emails for the one other start)
_EMAIL = re.compile(rf"[{_LOCAL}](?<![{_LOCAL}].)[{_LOCAL}]*@[A-Za-z0-9.-]+\.[A-Za-z]{{2,}}")

PLACEHOLDERS = {
    "id_card": "[身份证号]",
    "bank_card": "[银行卡号]",
    "mobile": "[手机号]",
    "landline": "[电话]",
    "email": "[邮箱]",
}
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"

# --- names -------------------------------------------------------------------------------------
# Chinese writes no space after a name, so precision comes from the cue and the surname:
# - 姓名: (a form field): any 2-4 Chinese characters;
# - 我叫 / 名叫 / 姓名是 / 名字是|叫: the name starts with a known surname;
# - 我是 / 本人 (most often followed by a role: 我是业主, 我是来办业务的, 本人要求): a common
#   surname, the whole name 2-3 characters long (4 with a compound surname) and ending at
#   punctuation, neither a stop word after the cue nor a role word at the end.
# A name that runs on into the next words (我叫王芳今天来的) ends where a common follower
# starts; with none, surname + two characters are masked: a word too many is the safe mistake.
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符"
    "舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农卓"
    "古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘闻厉伊仝郜"
    "阚花权帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计索宣晋初芮庹"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯", "尉迟", "公孙",
                      "长孙", "宇文", "端木", "独孤", "南宫", "西门", "轩辕", "澹台")
# surnames that more often start the word after 我是/本人: 我是万科的, 本人曾多次, 我是高管, 我是车主
_WEAK_SURNAMES = _SURNAMES - set("万曾成向余路安方白金石文常高马车房包华党管关解都时全应平国公原门相信元江苏吉")
# after 我是/本人 come roles, places and verbs, not names
_AFTER_SELF = re.compile(r"来|老|业主|客户|顾客|用户|储户|不|在|说|真|这|那|个|一|想|要|从|为|被|给|跟|和|替|专门|特意|"
                         r"外地|本地|第|按|卖|买|农|某|学生|员工|退休|做|开|搞|干")
# a character after the surname that starts no given name: 我叫车来的, 我叫你们经理, 我叫号
_NOT_GIVEN = set("来了的过去在到着给你我他她们人号也都就是说个些")
_ROLE = r"先生|女士|小姐|老师|师傅|经理|主任|总|工"
_STRONG_ROLE_END = re.compile(rf"(?:{_ROLE})$")
# 我是王先生, 我是吉林人, 我是房东: a role, a kinship word or a place, not a name
_WEAK_ROLE_END = re.compile(rf"(?:{_ROLE}|姐|哥|叔|姨|爷|奶|妈|爸|家|主|客|户|人|员|们|的|管|长|头|东|子|生|领|机)$")
# words that follow a name with nothing between: 我叫王芳今天来的
_AFTER_NAME = re.compile(r"今天|昨天|前天|刚才|上午|下午|晚上|早上|去年|今年|上个?月|上周|在|是|的|了|要|想|住|已经|从|被|"
                         r"把|给|跟|和|也|就|都|说|来自|过来|身份证|电话|手机|卡号")
_NOT_A_NAME = set("某不未无空略见详")  # 姓名:某某, 姓名:不详
# flat, each branch starting with a character: the engine then skips to the cue characters
_NAME_CUE = re.compile(r"姓名\s*[:：]\s*|姓名是|名字是|名字叫|我叫|名叫|我是|本人是|本人")
_STRONG_CUES = {"姓名是", "名字是", "名字叫", "我叫", "名叫"}
_WEAK_CUES = {"我是", "本人是", "本人"}
_NAME_RUN = 8  # the longest stretch of Chinese read after a cue: the scan stays bounded


def _surname_len(name: str) -> int:
    # 欧阳 alone is a surname 欧 and a given name 阳
    return 2 if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES else 1


def _name_at(text: str, cue: re.Match[str]) -> tuple[int, int] | None:
    """The span of the name after cue, or None when what follows does not look like a name."""
    start = end = cue.end()
    limit = min(len(text), start + _NAME_RUN)
    while end < limit and _CJK.match(text, end):
        end += 1
    run = text[start:end]
    # a '*' right after means a mask is there already: redaction stays idempotent
    if len(run) < 2 or (end < len(text) and text[end] == "*"):
        return None
    weak = cue.group() in _WEAK_CUES
    form = not weak and cue.group() not in _STRONG_CUES
    sl = _surname_len(run)
    runs_on = end < len(text) and bool(_CJK.match(text, end))
    if weak:
        if runs_on or len(run) > sl + 2 or _AFTER_SELF.match(run) or _WEAK_ROLE_END.search(run):
            return None
        return (start, end) if sl == 2 or run[0] in _WEAK_SURNAMES else None
    if form:
        if run[0] in _NOT_A_NAME:
            return None
    elif (sl == 1 and run[0] not in _SURNAMES) or run[sl] in _NOT_GIVEN:
        return None
    if not runs_on and len(run) <= max(4, sl + 2):
        return None if _STRONG_ROLE_END.search(run) else (start, end)
    for given in (2, 1):
        if _AFTER_NAME.match(text, start + sl + given):
            name_end = start + sl + given
            break
    else:
        name_end = start + sl + 2
    return None if _STRONG_ROLE_END.search(text, start, name_end) else (start, name_end)


def _find_names(text: str) -> list[tuple[int, int, str]]:
    out = []
    for cue in _NAME_CUE.finditer(text):
        span = _name_at(text, cue)
        if span:
            a, b = span
            sl = _surname_len(text[a:b])
            out.append((a, b, text[a : a + sl] + "*" * (b - a - sl)))
    return out


# --- addresses ---------------------------------------------------------------------------------
_CN_DIGITS = "一二三四五六七八九十百零〇两"
# a number starts where its run starts (linear), its first character before the lookbehind (fast)
_NUM = rf"(?:\d{_NOT_AFTER_DIGIT}\d{{0,4}}|[{_CN_DIGITS}](?<![{_CN_DIGITS}].)[{_CN_DIGITS}]{{0,3}})"
# 3室2厅 is a flat's layout, not its door
_UNIT = r"(?:号楼|号院|号|栋|幢|座|单元|层|楼|室(?![0-9一二三四五六七八九十两]{1,2}厅)|组)"
_ADDR_NUMBER = re.compile(rf"{_NUM}{_UNIT}[-—]?(?:{_NUM}{_UNIT}[-—]?){{0,5}}(?:\d{{3,5}}(?!\d))?")
_COMPONENT = re.compile(rf"{_NUM}{_UNIT}")
# a street or village before a single 12号 makes it a door, not a date or a queue ticket
_STREETS = ("路", "街", "大道", "巷", "弄", "胡同", "村", "组")
_PLACES = ("小区", "花园", "家园", "新村", "公寓", "大厦", "广场", "苑", "社区", "期", "城", "园", "庄", "府", "公馆",
           "区", "座")
_BUILDING_UNITS = ("号楼", "号院", "栋", "幢", "单元", "室")
_NUMERALS = re.compile(rf"[\d{_CN_DIGITS}]")


def _find_addresses(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _ADDR_NUMBER.finditer(text):
        part = m.group(0)
        before = text[max(0, m.start() - 2) : m.start()]
        # a street before settles it; the parts are read only when it does not (a dense paste has thousands)
        ok = before.endswith(_STREETS)
        if not ok:
            parts = _COMPONENT.findall(part)
            first = parts[0] if parts else part
            many = len(parts) > 1 or part[-1].isdigit()
            if before.endswith(_PLACES):
                ok = many or first.endswith(_BUILDING_UNITS)
            else:
                # no place name: two parts (3栋2单元), or one building part in digits (13栋);
                # 一栋楼 and 3楼 are a count and a floor
                ok = (many and any(p.endswith(_BUILDING_UNITS) for p in parts)) or (
                    first[0].isdigit() and first.endswith(_BUILDING_UNITS))
        if ok:
            out.append((m.start(), m.end(), _NUMERALS.sub("*", part)))
    return out


def _emails(text: str) -> Iterator[tuple[int, int]]:
    """The spans _EMAIL_AT.finditer would give, in linear time.

    finditer may also start a match right where the previous one ended, inside a run
    (a@b.com.x@c.com); the guarded search cannot, so that one start is tried anchored.
    """
    if "@" not in text:
        return
    pos = 0
    while True:
        m = (_EMAIL_AT.match(text, pos) if pos else None) or _EMAIL.search(text, pos)
        if not m:
            return
        yield m.span()
        pos = m.end()


def id_checksum_ok(num: str) -> bool:
    if len(num) != 18 or not num[:17].isdigit():
        return False
    # map/mul stay in C: a dense megabyte holds thousands of ID numbers to check
    total = sum(map(mul, map(int, num[:17]), _WEIGHTS))
    return _CHECK[total % 11] == num[17].upper()


_LUHN_DOUBLED = str.maketrans("0123456789", "0246813579")  # 2d, less 9 when that has two digits


def luhn_ok(digits: str) -> bool:
    # by table over the two halves, in C: a dense megabyte holds thousands of 16-19 digit runs to check
    return (sum(map(int, digits[-1::-2])) + sum(map(int, digits[-2::-2].translate(_LUHN_DOUBLED)))) % 10 == 0


def find_pii(text: str, *, names_and_addresses: bool = False) -> list[tuple[str, int, int]]:
    """Non-overlapping (kind, start, end) spans, checked formats first.

    Names and addresses are only looked for on request (redaction asks): the reply checker calls
    this on staff's words, where "我是王芳" and the branch's address are not a leak.
    """
    return [(kind, a, b) for kind, a, b, _ in _spans(text, names_and_addresses)]


def _spans(text: str, names_and_addresses: bool) -> list[tuple[str, int, int, str]]:
    spans: list[tuple[str, int, int, str]] = []
    taken = bytearray(len(text) + 1)
    # bound methods in locals, no helper call per check: a dense megabyte has 40,000 spans
    find, append = taken.find, spans.append

    def add(kind: str, a: int, b: int, repl: str) -> None:
        append((kind, a, b, repl))
        taken[a:b] = b"\x01" * (b - a)

    for m in _ID.finditer(text):
        if m.end() - m.start() == 15 or id_checksum_ok(m.group(0)):
            add("id_card", m.start(), m.end(), PLACEHOLDERS["id_card"])
    for a, b in _emails(text):
        if find(1, a, b) < 0:
            add("email", a, b, PLACEHOLDERS["email"])
    for m in _CARD.finditer(text):
        a, b = m.span()
        if find(1, a, b) >= 0:  # an ID number found above: no need for the checksum
            continue
        digits = m.group(0).replace(" ", "").replace("-", "")
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            add("bank_card", a, b, PLACEHOLDERS["bank_card"])
    for kind, pattern in (("mobile", _MOBILE), ("landline", _LANDLINE)):
        for m in pattern.finditer(text):
            a, b = m.span()
            if find(1, a, b) < 0:
                add(kind, a, b, PLACEHOLDERS[kind])
    if names_and_addresses:
        for kind, found in (("address", _find_addresses(text)), ("name", _find_names(text))):
            for a, b, masked in found:
                if find(1, a, b) < 0:
                    add(kind, a, b, masked)
    spans.sort(key=itemgetter(1))
    return spans


def redact(text: str) -> str:
    out, last = [], 0
    for _, start, end, repl in _spans(text, names_and_addresses=True):
        out.append(text[last:start])
        out.append(repl)
        last = end
    out.append(text[last:])
    return "".join(out)
