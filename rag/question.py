"""What a question asks for, and typed spans (people, numbers, dates, places) in text.

Pure functions over simplified text; the extractive engine combines them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rag.cleaning import REDACTION  # one pattern for every reader of redaction marks
from rag.lexical import _ADDED, MEETING_WORDS, STOPWORDS, _jieba, tokenize
from rag.metadata import CN_DATE
from rag.zh.kinds import asked_kind, counted_kind, kind_span
from rag.zh.names import SURNAMES, TITLE_POST
from rag.zh.numerals import CN_NUMERAL, cn_to_int
from rag.zh.predicates import same_meaning

CJK = "\u4e00-\u9fff"
# Words that only shape the question; they never need to appear in the answer sentence.
QUESTION_WORDS = frozenset(
    "谁 哪位 什么人 何人 多少 几 几个 几名 几家 哪些 哪 哪里 哪儿 何地 什么 何时 哪天 哪一天 时候 "
    "什么时候 日期 时间 是否 有没有 怎么 怎样 如何 为何 为什么 是 叫 名字 请问 一共 共有 合计 总共 总计 "
    "分别 指 内容 主要 具体 哪个 哪次 情况 方面 地方 哪些地方 东西 事情 做 了 职务 职位 身份 担任 地点 叫做 "
    "全名 全称 名叫 "
    "包括 在内 不含 不包括 不算 除了 以外 之外 另外 写明 注明 载明 记载 "
    "加在一起 加在 一起 加起来 合在一起 相加 加上 数一下 数一数 还是 "
    # Colloquial framing: how a thing is called (提法, 说法), insistence (到底), "the city" (市里).
    "提法 说法 叫法 到底 究竟 市里 县里 区里 镇里 乡里 村里 省里 "
    # Hedges on the figure asked (大概多少人): how sure the asker wants it, not what.
    "大概 大约 大致 大体 约莫 差不多 左右 估计 "
    # How long, asked as a phrase (多长时间): the unit says what is asked.
    "多长时间 长时间 多少时间 多久 多长 "
    # How late or early a date is asked (最晚哪天): the deadline flag says it.
    "最晚 最迟 最早 "
    # Each one (每个书记, 每名党员): the asked figure is per head, which documents write as 每人.
    "每个 每名 每位 "
    # Who is asking about whom: 大家 观摩了, 我们 讲了 (not what the sentence must hold).
    "大家 咱们 "
    # A spoken condition (要是来不了) and words pointing at the document itself (通知里提到的):
    # how the question is put, not what the answer's sentence says.
    "要是 如果 的话 不了 来不了 去不了 提到 提及 说到 讲到 写到 里面 "
    # How much of a measure is asked (多大比例, 多少钱, 多长): the unit says it, not a word.
    "多大 占多大 多少钱 多长 多久 多远 多高 多重 几点 几时 "
    # A bound on the figure asked (至少待几天, 最多讲几分钟): documents write it as 不少于 / 以内.
    "至少 最少 最多 最长 最短 限时".split()
)
# Single-character verbs that frame a question; a word made of them only (来开, 去看)
# says how it is asked, not what.
FRAME_CHARS = frozenset("来去开说讲做搞干提看用请当算是有在为叫")
UNITS = (
    "万元|亿元|万亩|万人|公里|平方米|千米|分钟|小时|个工作日|个月|余个|余件|余名|余家|余人|多个|多名|多家|多人|"
    "%|％|个|名|家|人|次|项|条|件|户|村|所|支|位|场|批|期|亩|吨|元|万|亿|天|年|届|轮|类|种|处|座|队|米|岁|"
    # counters of things and events: 野外违规用火142起, 监测站67台, 香菇大棚12栋
    "起|台|套|间|份|组|辆|栋|架|艘|"
    # a score: 得了多少分 -> 92.6分 (after 分钟 above, which is a time)
    "分(?![钟之])"
)
# A person named by surname and post (许书记, 王局长), as documents and users often do.
ADDRESSED = re.compile("[" + "".join(sorted(SURNAMES)) + f"]{TITLE_POST}")
# How long something takes or lasts: asked as 多久/多长时间/几天, written as 8分钟, 3个工作日.
DURATION = "时长"
LENGTH = "长度"  # 多长 / 多远 of a thing (a pipe, a road): 11.3公里, not a time
LENGTH_ASKED = re.compile(r"多长(?!时间)|多远")
DURATION_ASKED = re.compile(r"多久|多长时间|多少时间|几分钟|多少分钟|几个?小时|多少个?小时|几个?工作日|多少个?工作日|几天|多少天|几个月|多少个月")
# An approximate figure keeps its marker with the unit: 180余万元, 2300余户, 30多年.
NUMBER = re.compile(rf"(\d+(?:\.\d+)?)\s*((?:余|多)?(?:{UNITS}))?")
DATE = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日(?:\s*[-—~至到]\s*(?:\d{1,2}月)?\d{1,2}日)?(?:[上下]午)?"
    r"|(?<![\d月.])\d{1,2}日(?:[上下]午|晚)?"
    # The same written in Chinese numerals (二〇二三年五月十二日, 三月二十六日上午).
    rf"|(?:{CN_DATE}(?:[上下]午)?)"
)
ROLE = (
    r"(?:(?:市|县|区|镇|乡|村|省)?委?(?:常委|副)?书记|(?:副)?(?:县|市|区|镇|乡|村)长|政协主席|人大常委会主任|"
    r"主席|主任|部长|局长|组长|馆长|院长|所长|站长|校长|行长|社长|处长|科长|厅长|会长|秘书长|第一书记|党总支书记|党支部书记|党委书记|委员|记者|(?:市委|县委|区委)?主要领导)"
)
# Nouns that make a question ask for money, and for a room rather than a place.
MONEY = re.compile(r"钱|资金|经费|奖金|投资|预算|金额|补助|补贴|收入|费用|款|分红|租金|产值|营业额")
ROOM = re.compile(r"会议室|会场|礼堂|报告厅|哪(?:个|栋|座)?楼|教室|大厅")
PLACE_AT = re.compile(rf"在([{CJK}]{{2,12}}?)(?:召开|举行|举办|开展|组织)")


_UNIT_SET = frozenset(UNITS.split("|"))

# What a question asks for, tried in order (the first match wins; "total" and
# "define" need two conditions and are decided in ``analyse``).
_KINDS: tuple[tuple[str, str], ...] = (
    ("list", r"哪几位|哪几个人|哪几名"),
    # "哪几个乡镇", "哪两个村", "哪三点要求": a list of things, however many (not a count).
    ("items", r"哪(?:几|[两二三四五六七八九十]{1,2}|\d{1,2})(?:个|项|条|类|点|种|件|样|方面|家|位|名|处|所|支|块|大)"),
    ("date", r"哪几天|哪两天|哪几日|哪些天"),  # which days, not how many
    ("number", r"多少|几(?:个|名|家|人|次|项|条|件|户|位|场|批|天|年|所|支|岁)|百分之几|比例|占比|多大|多长|多远|多高|多重|面积|规模有"
               r"|多久|几分钟|几小时|几周"),
    ("date", r"什么时候|何时|哪天|哪一天|几月几日|几号|什么时间|日期|哪年"),
    ("time", r"几点|几时|什么时刻"),
    ("place", r"哪里|哪儿|何地|什么地方|在哪|地点|哪个(?:乡|镇|县|市|村|区|地方)|哪(?:个|间|栋|座)(?:会议室|会场|礼堂|报告厅|大厅|楼)"),
    ("role", r"什么职务|担任什么|什么职位|什么身份|职务是|任什么职|干什么的|做什么的|哪个部门的"),
    ("person", r"谁|哪位|何人|什么人|叫什么名字|全名|姓名|哪些(?:人|领导|同志)"),
    ("list", r"哪些|有哪几|包括什么|包括哪|分别是"),
)
_DEFINE_WORDS = r"指什么|是什么|什么是|含义|内容|意思|指的是"
# "哪三项工程", "哪几个方面": how many items of what the question asks to list.
_ITEMS = re.compile(rf"哪([两二三四五六七八九十]{{1,2}}|\d{{1,2}}|几)(?:项|个|条|大|类|点|种|支|件|样|方面)?([{CJK}]{{0,12}})")
_CLASSIFIERS = frozenset((*"项个条大类点种支件样字", "方面"))
# "(不含X)", "除X外", "不包括X在内": a part of a total the question leaves out.
_EXCLUDE = re.compile(
    r"(?:不含|不包括|不包含|不计|不算|除去|除了|(?<![消排清删免解根拆剔革开废摒])除|扣除)"
    r"([^，,。？?()（）]{2,20}?)(?:以外|之外|外|在内|[)）]|[，,]|$)"
)


# "还有几位没写名字", "其余几人未点名": the people a stated figure counts but the text does not name.
_UNNAMED = re.compile(
    r"(?:还有|其余|其他|其它|另外|剩下|剩余)的?(?:几|多少)[^?？,，。]{0,6}?(?:没|未|不)有?(?:写|点|具|提|列)出?(?:名|姓名|名字)"
)


# "(建强、锻造、激发)", "“擦亮……、打造……、增添……”": words that each open one item asked for.
_CUES = re.compile(rf"[（(]([{CJK}]{{1,4}}(?:、[{CJK}]{{1,4}}){{2,}})[)）]"
                   rf"|[“\"]([{CJK}]{{1,4}}(?:…+|\.{{2,}})(?:、[{CJK}]{{1,4}}(?:…+|\.{{2,}}))+)[”\"]")


def listed_cues(question: str) -> tuple[str, ...]:
    """The words a question lists as the openings of the items it asks for (3+ in
    parentheses, or 2+ each followed by an ellipsis in quotes); () when none."""
    m = _CUES.search(question)
    if not m:
        return ()
    cues = tuple(re.sub(r"…+|\.+", "", c) for c in (m.group(1) or m.group(2)).split("、"))
    return cues if len(set(cues)) == len(cues) and all(len(c) >= 2 for c in cues) else ()


# "抓村干部的工程分别叫什么名字": a thing whose name is asked, written ending with its noun.
_THING_NAMED = re.compile(
    r"(工程|项目|活动|计划|行动|机制|模式|品牌|平台|工作法|制度|载体|专项)(?:分别|各自|都)?叫(?:什么|啥)(?:名字|名称)?"
)


# "X和Y加在一起", "X加上Y": the parts a total is over.
_AND = re.compile(r"加上|以及|和|与|跟|、")
_SUM_WORDS = re.compile(r"(?:加在一起|加起来|合在一起|相加|一共|总共|共有|合计|总计|共计|共).*$")
# "合作社比家庭农场多多少家": the difference of two figures.
# A verb may sit between: "A比B多来了几个人", "多派了多少名".
_DIFFERENCE = re.compile(r"([^，,。?？]{2,20}?)比([^，,。?？]{2,20}?)(多|少)(?:[来去出派到了]{0,3})(?:多少|几)")


def _bare_part(text: str) -> str:
    """"那个区的农民合作社" -> "农民合作社": the words that name a part, without pointers."""
    text = re.sub(r"^.*?(?:那个|这个|该|其)[^的]{0,4}的", "", text)
    return re.sub(r"^[把将那这该其]|的$|[“”\"]", "", text).strip()


_EITHER = re.compile(r"([^，,。?？]{1,12}?)还是([^，,。?？]{1,12}?)(?:呢|啊)?[?？]?$")


def either_or(question: str) -> tuple[str, str] | None:
    """("上午", "下午") of "…是上午开的还是下午开的?": the two options, without the
    words they share; None when the question offers no choice."""
    m = _EITHER.search(question.strip())
    if not m:
        return None
    b = re.sub(r"^是", "", m.group(2))
    a = re.sub(r"^.*是", "", m.group(1)) if "是" in m.group(1) else m.group(1)[-len(b) :]
    floor = min(2, len(a), len(b))  # 上午/下午 keep their 午; 好/坏 stay single

    def keeps(c: str) -> bool:  # never cut into a figure or a date: 5月6日 / 5月7日
        return c.isdigit() or c in "年月日号时点分万亿"

    while len(a) > floor and len(b) > floor and a[-1] == b[-1] and not keeps(a[-1]):
        a, b = a[:-1], b[:-1]
    while len(a) > floor and len(b) > floor and a[0] == b[0] and not keeps(a[0]):
        a, b = a[1:], b[1:]
    return (a, b) if a and b and a != b and not (a in b or b in a) else None


def summed_parts(question: str) -> tuple[str, ...]:
    """The parts a total question names: ("优秀", "软弱涣散") of
    "…一共多少人?优秀的和软弱涣散的加在一起算"; () when it names none."""
    for clause in re.split(r"[，,。;；?？]", question):
        clause = _SUM_WORDS.sub("", clause)
        if not _AND.search(clause) or re.search(r"多少|几", clause):
            continue
        pieces = _AND.split(clause)
        quoted = [re.findall(r"[“\"「]([^”\"」]{1,12})[”\"」]", p) for p in pieces]
        if len(pieces) >= 2 and all(quoted):
            return tuple(q[-1] for q in quoted)  # "拿到“好”和“较好”的": the quoted terms are the parts
        parts = tuple(_bare_part(p) for p in pieces)
        if len(parts) >= 2 and all(len(p) >= 2 for p in parts):
            return parts
    return ()


def _is_definition(q: str, term: str) -> bool:
    """“X”指什么: asks what a quoted term means, with little else in the question."""
    if not re.search(_DEFINE_WORDS, q):
        return False
    rest = re.sub(rf"[“”\"「」?？]|{_DEFINE_WORDS}|的|具体|主要", "", q.replace(term, ""))
    return len(rest) <= 4


@dataclass(frozen=True)
class Intent:
    kind: str  # person | number | total | date | time | place | list | define | general
    unit: str | None = None
    keywords: tuple[str, ...] = ()
    quoted: tuple[str, ...] = ()
    focus: str | None = None  # the verb a person question is about (主持, 讲话 ...)
    # Finer asks: name, many, meeting, admin, venue; items (哪三项工程: (3, "工程")),
    # exclude (不含X: "X"), count_people (PeopleCount), cloze (words around 什么).
    extra: dict[str, Any] = field(default_factory=dict)


_FOCUS = ("主持", "讲话", "部署", "发言", "强调", "指出", "要求", "出席", "参加", "表示", "认为", "介绍", "汇报", "带队")


# "村一级是请的哪些人来参会": who attended from one level (村, 乡镇, 县) of the administration.
_LEVEL_ATTENDEES = re.compile(
    r"([村镇乡县市区省])(?:一)?级[^，,。?？]{0,12}?(?:哪些|什么|谁)[^，,。?？]{0,8}?(?:参会|参加|出席|列席|与会|开会)"
)
_LEVEL_OF = {"乡": "镇"}  # 乡 and 镇 are one level


# "大会上作发言", "讲话中说": the setting ends at its 上/中/里, and jieba would otherwise cut
# the postposition with the next verb into a word no document writes (上作, 中说).
_AFTER_SETTING = re.compile(r"((?:会|会议|讲话|发言|报告|通报|点评|致辞)(?:上|中|里))(?=[\u4e00-\u9fff])(?![午旬半级年月央心期层程])")  # 会上午: 上午


# Characters that glue to a neighbour when jieba cuts a question wrongly (名单里列了 → 里列,
# 报给谁 → 报给): a two-character piece holding one, and no word of the dictionary, is a miscut.
_FUNCTION_CHARS = frozenset("上中里给在对向把被了着过得地将和与及有是")


# A verb's direction (报上去, 交上来): no document writes it with the verb (报送, 上报).
_COMPLEMENT = re.compile(r"[\u4e00-\u9fff](?:上去|上来|下去|下来|出来|出去|进去|进来|过去|过来|起来|回来|回去)|起来")


# Words one section of a notice may be headed by, one class per meaning: a question's 议程 is
# the notice's 会议内容.
SECTION_CLASSES = (
    frozenset({"会议议程", "议程", "会议内容", "议题", "环节", "日程", "会议安排", "活动安排", "程序", "流程"}),
    frozenset({"会议要求", "有关要求", "要求", "注意事项", "会议纪律", "纪律", "工作要求"}),
)
# The numbered items of a notice's section, counted: 几项会议内容, 会议议程一共有几项, 提了几条要求.
_SECTION_NOUN = "|".join(sorted({w for c in SECTION_CLASSES for w in c}, key=len, reverse=True))
_SECTION_COUNTED = re.compile(rf"(?:几|多少)\s*(?:项|个|条|点)\s*({_SECTION_NOUN})|({_SECTION_NOUN})[^，,。?？]{{0,6}}?(?:几|多少)\s*(?:项|个|条|点)")
# An item asked by its place in an order (最后讲话的是谁, 那第四项是什么, 首先发言的是哪位):
# the position is 1-based, -1 for the last. Counters that number items only: 第四期 and
# 第一书记 are no position.
_POSITION = re.compile(r"(最后|最末)|(首先|最先)|第\s*([一二三四五六七八九十\d]{1,3})\s*(?:项|个环节|个议程|环节|个|位|步)")
# The floor acts an agenda item writes (讲话, 通报, 交流发言 …): the one a position counts among.
_AGENDA_ACT = re.compile(r"讲话|发言|致辞|通报|宣读|部署|点评|汇报|介绍|总结|解读|领学|授课|表态|述职")
# A count of people named by what they are: 多少群众, 几名党员, 多少村民代表.
_PEOPLE_NOUN = r"(?:群众|党员|干部|村民代表|群众代表|代表|村民|居民|人员|同志|学员|职工|游客)"
_PEOPLE_COUNTED = re.compile(
    rf"(?:多少|几)\s*(?:名|位)?\s*{_PEOPLE_NOUN}"
    # the people named first: "请假没来的党员一共几个"
    rf"|{_PEOPLE_NOUN}(?:一共|总共|共|合计)?(?:有)?(?:多少|几)\s*个?\s*(?:人)?\s*[?？]?$"
)
# Before or after the meeting (开会前, 会后): a time setting, never glued to the verb after it.
_BEFORE_AFTER = re.compile(r"((?:开会|会议|会)(?:之前|之后|结束后|前|后))(?=[\u4e00-\u9fff])")
_ASKING = re.compile(r"(哪天|哪一天|几号|几点|何时|什么时候|啥时候)(?=[\u4e00-\u9fff])")
# Words that ask (for a total, for a full name), glued by jieba to the word before them
# (边缘户加起来 -> 户加|起来, 县长全名 -> 长全).
_TOTALLING = re.compile(r"(?<=[\u4e00-\u9fff])(加起来|加在一起|合在一起|合起来|加上|一共|总共|合计|共计|总计|全名|全称)")
_COMPLEMENT_AFTER_VERB = re.compile(r"(?<=[报交送递呈传])(?:上去|上来|过去|过来)")


def _miscut(word: str) -> bool:
    return len(word) == 2 and not _jieba().dt.FREQ.get(word) and any(c in _FUNCTION_CHARS for c in word)


def _cut_apart(q: str) -> str:
    """``q`` with a space after each setting (大会上|作发言) and each place name (永陵镇|森防会,
    茶园镇|有), so jieba does not cut across them."""
    q = _AFTER_SETTING.sub(r"\1 ", q)
    q = _ASKING.sub(r"\1 ", q)  # 哪天开的 -> 哪天 开的: jieba would cut 天开
    q = _BEFORE_AFTER.sub(r"\1 ", q)  # 开会前去观摩 -> 开会前 去观摩: jieba would cut 前去
    q = _COMPLEMENT_AFTER_VERB.sub(" ", q)  # 报上去 -> 报: jieba would cut 报上|上去
    q = _TOTALLING.sub(r" \1 ", q)  # 边缘户加起来 -> 边缘户 加起来; 县长全名叫 -> 县长 全名 叫
    ends = sorted({e for _, e, p in places(q) if p[-1] in "镇乡县村区市" and e < len(q) and "\u4e00" <= q[e] <= "\u9fff"}, reverse=True)
    for e in ends:
        q = q[:e] + " " + q[e:]
    return q


def analyse(question: str) -> Intent:
    """Classify a (normalised, simplified) question and pick its content keywords."""
    # Colloquial 啥 is 什么 (啥职务, 啥时候, 叫啥): one reading for both.
    q = question.replace("啥", "什么")
    # “擦亮……、打造……” is a pattern of the text, not a term it writes literally.
    quoted = tuple(t for t in re.findall(r"[“\"「]([^”\"」]{1,20})[”\"」]", q) if not re.search(r"…|\.{2,}", t))
    words = tuple(
        dict.fromkeys(
            k
            for k in (re.sub(r"(?<=..)[是的]$", "", re.sub(r"^[该这那此本]", "", t)) for t in tokenize(_cut_apart(q)))
            if k and k not in QUESTION_WORDS and not _miscut(k) and not _COMPLEMENT.fullmatch(k) and k not in STOPWORDS and k not in _UNIT_SET and k not in "一二两三四五六七八九十"
        )
    )
    # "下一次座谈会…什么时候": the future is what is asked, and no document reports it.
    if m := re.search(r"下一?次|下一?届|下一?轮|明年", q):
        words = (*words, re.sub("一", "", m.group(0)))
    # "是上午开的还是下午开的": the options are the answer, not words the sentence must hold.
    options = either_or(q)
    if options:
        words = tuple(w for w in words if not any(w in o for o in options)) or words
    # Single characters (新, 大, 讲) say little and would dominate as "unseen" words.
    # "哪位县领导", "哪个同志": the noun after the question word is the kind of answer (a person),
    # which the answer's sentence names rather than writes.
    asked_people = {m.group(1) for m in re.finditer(r"(?:哪|什么)[位个名][县镇乡区市村]?(领导|同志)", q)}
    keywords = tuple(
        w for w in words
        if (len(w) > 1 or w.isdigit())
        and not all(c in FRAME_CHARS for c in w)
        and not re.fullmatch(r"[一二两三四五六七八九十几\d]+[位名个家人项条次种样招字]", w)
        and not re.fullmatch(r"[一二两三四五六七八九十百千]+|哪.*|几.*", w)  # 二十, 哪家, 哪几个, 几样: they ask
        and w not in asked_people
    ) or words
    # "第一名" is written 位列第一 / 排名第一 as often: the rank is 第一, its counter optional.
    keywords = tuple(w for w in keywords if not (re.fullmatch(r"第[一二三四五六七八九十\d]+[名位个]", w) and w[:-1] in keywords)) or keywords
    if span := kind_span(q):
        # "哪些乡镇作了发言" (jieba: 乡|镇作): the kind asked is shown by the items' names.
        keywords = tuple(w for w in keywords if not all(
            a < span[1] and a + len(w) > span[0] for a in (m.start() for m in re.finditer(re.escape(w), q)))) or keywords
    focus = next((f for f in _FOCUS if f in q), None)
    unit = None
    if m := re.search(rf"(?:多少|几)\s*({UNITS})", q):
        unit = m.group(1)
        if unit == "个" and q.startswith("人", m.end()):
            unit = "人"  # 几个人 counts people
        elif alt := re.match(rf"\s*[（(/]\s*({UNITS})\s*[）)]?", q[m.end():]):
            # "多少台（套）", "几处/起": the question counts in either unit, and a total adds both.
            unit = f"{unit}|{alt.group(1)}" if alt.group(1) != unit else unit
    if _PEOPLE_COUNTED.search(q) and unit not in _PERSON_UNITS:
        unit = "人"  # 多少群众, 多少村民代表 (not 村): people, written 270多人 or 39名
    # A rate asks for a percentage: 改厕率多少, 覆盖率达到多少.
    if re.search(r"多大岁数|多大年纪|多少岁|几岁|年龄多大|年龄是多少", q):
        unit = "岁"  # an age, not any figure of the sentence
    elif re.search(r"百分之|比例|比率|占比|百分比|%|率(?:是|为|有|达到|达)?(?:多少|几)", q):
        unit = "%"
    elif DURATION_ASKED.search(q):
        unit = DURATION  # "多久", "几个工作日内": a length of time in any of its units
    elif unit is None and LENGTH_ASKED.search(q):
        unit = LENGTH  # "管网要改多长": a distance in any of its units
    elif unit is None and MONEY.search(q) and re.search(r"多少|几", q):
        unit = "元"  # "投了多少资金", "每人多少奖金": an amount of money, not a count
    if re.search(r"一共|共有|合计|总共|总计|总数|共计|加起来|加在一起|合起来|合在一起|相加", q) and re.search(r"多少|几", q):
        kind = "total"
    else:
        kind = next((k for k, pattern in _KINDS if re.search(pattern, q)), "general")
        if kind == "role" and re.search("干什么的|做什么的", q) and not people(q):
            kind = "general"  # "这个活动是干什么的" asks what a thing does; of a person, their post
        if kind in ("general", "items") and quoted and _is_definition(q, quoted[0]):
            kind = "define"  # "“1331”中的三支队伍是指哪三支": what a quoted term stands for
        elif kind == "items":
            # "“三支队伍”是指哪三支": what a quoted term names is read from where the term
            # is explained (the general reader), not from a 、-list near the question's words.
            kind = "general" if quoted and re.search(rf"{_DEFINE_WORDS}|是指", q) else "list"
    extra: dict[str, Any] = {}
    if kind in ("person", "general") and (m := _THING_NAMED.search(q)):
        kind = "term"  # "…的工程叫什么名字": the name of a thing, not of a person
        extra["noun"] = m.group(1)
    if m := _ITEMS.search(q):
        count = 0 if m.group(1) == "几" else small_number(m.group(1))
        noun = next((w for w, _ in _pos(m.group(2))), "")  # 工程 of 哪三项工程
        extra["items"] = (count, noun)  # count 0: any number
        if count and len(noun) == 1 and noun not in _CLASSIFIERS:
            extra["markers"] = (noun,)  # 哪三招: each item is a …招
    if kind == "list" and (verb := object_verb(q)):
        extra["object_of"] = verb  # "观摩了哪几个点": the items are what 观摩 takes
    # 哪几个“联”, 哪几个“头”和“尾”: one quoted character every item holds.
    if re.search("哪", q) and (marks := tuple(t for t in quoted if re.fullmatch(f"[{CJK}]", t))):
        extra["markers"] = marks
        quoted = tuple(t for t in quoted if t not in marks)
    # The meeting's name is no part of what is counted or added: "第一书记和新乡贤座谈会上一共有
    # 多少人发言" counts speakers, neither 第一书记 nor two parts split at its 和.
    phrase = meeting_phrase(q)
    unnamed = q.replace(phrase, "会") if len(phrase) >= 4 else q
    if kind in ("total", "number") and unit in _PERSON_UNITS and (counting := _people_count(unnamed)):
        extra["count_people"] = counting
    if kind in ("total", "number") and unit in _PERSON_UNITS and _SPEAKERS_NAMED.search(q):
        extra["count_speakers"] = True  # "有几位干部是点了名字谈体会的"
    elif re.search(r"哪几位|哪些人|哪几个人|都有谁|有谁", q) and (m := _SPEAKERS_NAMED.search(q)):
        # "点名谈体会的驻村第一书记是哪几位": those quoted, with the role asked (驻…村…第一书记).
        extra["count_speakers"] = True
        if role := COUNTED.search(q, m.end()):
            qualifier = re.split(r"[的是，,。?？]", q[m.end() : role.start()])[-1]
            extra["speaker_role"] = (qualifier, role.group(0))
    if kind in ("total", "number") and unit in _PERSON_UNITS and _UNNAMED.search(q):
        # "一共11名…发言,点了名的之外,还有几位没写名字": the stated figure minus the names written.
        stated = [(v, u) for _, _, v, u in numbers(q) if u in _PERSON_UNITS and v.isdigit()]
        if len(stated) == 1:
            extra["unnamed"] = stated[0]
    if cues := listed_cues(question):
        extra["cues"] = cues
    if kind == "total" and (m := _EXCLUDE.search(q)):
        extra["exclude"] = m.group(1)
        # What the question leaves out need not be written where the answer is.
        keywords = tuple(k for k in keywords if k not in m.group(1)) or keywords
    if kind == "total" and "exclude" not in extra and (parts := summed_parts(unnamed)):
        extra["parts"] = parts  # "优秀的和软弱涣散的加在一起": only these parts are added
        if m := re.search(r"([^，,。?？]*?)(?:一共|总共|共有|合计|总计|共计)", q):
            extra["head"] = re.split(r"的", m.group(1))[-1]  # 村党组织书记 of "…来的村党组织书记一共多少人"
    if kind in ("total", "number") and (m := re.search(r"(?<!哪)几\s*(样|项|种|类|条|个(?!人)|方面)", q)):
        extra["count_items"] = m.group(1)  # "一共几样": count what a list names
        if _NAMED.search(q):
            extra["named_items"] = True  # "点了名的有几个": the items written, even before 等
    if kind in ("total", "number") and (listed := counted_kind(q)):
        extra["count_listed"] = listed  # "几个乡镇来参会": the places or bodies a list names
        if _NAMED.search(q):
            extra["named_items"] = True
    if kind in ("items", "list", "general", "place") and (which := asked_kind(q)):
        extra["which_kind"] = which  # "哪几个乡镇作了交流发言": the places or bodies a list names
    if kind in ("total", "number") and (m := _SECTION_COUNTED.search(q)):
        extra["counted_section"] = m.group(1) or m.group(2)  # "会议议程一共有几项": the items of a section
    if kind in ("person", "general", "list", "term", "place") and (m := _POSITION.search(q)):
        number = -1 if m.group(1) else 1 if m.group(2) else small_number(m.group(3))
        act = _AGENDA_ACT.search(q)
        # 最后 / 首先 alone ("最后提了什么要求") is no place in an agenda: an act or the agenda is named.
        if number and (m.group(3) or act or any(w in q for w in SECTION_CLASSES[0])):
            extra["position"] = number  # "最后讲话的是哪位": the item at that place of the agenda
            if act:
                extra["position_act"] = act.group(0)
    if kind in ("number", "total") and re.search(r"电话|手机号|联系方式|号码", q):
        extra["phone"] = True  # "联系人电话是多少": a telephone number answers, not a figure
    if _FREQUENCY.search(q):
        extra["frequency"] = True  # "多久汇报一次": how often (每季度), not how long
    if kind in ("total", "number") and _REMAINDER.search(q):
        extra["remainder"] = True  # "还剩多少户没完成": a task's figure less what is done
    elif kind in ("total", "number") and _DONE_ASKED.search(q):
        extra["done"] = True  # "已经整改好了多少处": a task's figure less what is left
    if kind in ("number", "general") and (m := _DIFFERENCE.search(q)):
        kind = "number"
        extra["difference"] = (_bare_part(m.group(1)), _bare_part(m.group(2)), m.group(3))
    if kind in ("general", "role") and (m := re.search(r"([^，,。;；?？]*?)什么([^，,。;；?？]*)", q)):
        # "防止“一肩挑”变成什么": the words around 什么 are written around the answer.
        extra["cloze"] = (m.group(1), m.group(2))
    if kind == "date" and (re.search(r"(?:什么时候|啥时候|何时|哪天|哪一天|几号|几月几[日号]|什么时间|什么日子)之?前|最晚|最迟|截止|期限", q)
                           or _HANDED_IN.search(q)):
        # "什么时候前报送", "最晚哪天报", "啥时候交": a deadline, never the meeting's own date.
        extra["deadline"] = True
        if _HANDED_TO.search(q):
            extra["recipient"] = True  # "啥时候前报到哪里", "什么时候之前报，报给谁": and to whom
    if kind == "place" and re.search(r"召开|举行|举办", q):
        extra["venue"] = True  # where a meeting was held: "在X召开", not any place named
    if kind == "place" and ROOM.search(q):
        extra["room"] = True  # "哪个会议室": a room or building answers, a town does not
    if names := [n for _, _, n in people(q)]:
        extra["people"] = tuple(names)  # the people the question names (李军是什么职务)
    if addressed := ADDRESSED.findall(q):
        extra["addressed"] = tuple(addressed)  # surname + post: 许书记, 王局长
    if re.search(r"叫什么|名字|姓名", q):
        extra["name"] = True  # a role is no answer to "what is his name"
    if re.search(r"哪个(?:单位|部门)|哪家单位|什么单位|哪个局", q):
        # "范志远是哪个单位派下来的": the body a person comes from (the person as named, or the
        # name that opens the question, which the name reader may leave unread).
        named = [n for _, _, n in people(q)] + ADDRESSED.findall(q)
        if not named and (m := re.match(rf"[{''.join(sorted(SURNAMES))}][{CJK}]{{1,2}}(?=是|在|系)", q)):
            named = [m.group(0)]
        if named:
            extra["org_of"] = tuple(dict.fromkeys(named))
    if "org_of" not in extra and re.search(r"(?:哪个|哪家|哪一个|什么)(?:部门|单位|机构|机关)", q):
        extra["body_asked"] = True  # "由哪个部门牵头", "交给哪个部门": a body answers, named as written
    if "全名" in q:
        extra["full_name"] = True  # only a full name answers, never a surname and post
    if addressed and re.search(r"全名|全称|叫什么|名字|姓名", q):
        # "吴股长全名叫什么": only a full name of that surname answers, never 吴股长 again.
        extra["full_name_of"] = tuple(dict.fromkeys(addressed))
        if kind == "general":
            kind = "person"
    if _NEXT_TIME.search(q):
        extra["next_time"] = True  # "下一次专题会啥时候开": only a text about the next one answers
    if _PERSON_NAME_ASKED.search(q):
        extra["person_name"] = True  # "书记叫什么": only a person's name answers
    if re.search(r"[两三四五六七八九十几多]位|哪些|哪几|都有谁|有谁|分别", q):
        extra["many"] = True
    if options:
        extra["options"] = options
    if meeting := next((w for w in MEETING_WORDS if w in q), None):
        extra["meeting"] = meeting
        if kind == "total":
            # The words after the meeting's name say which items are added (…座谈会的四类书记):
            # those naming the meeting (优秀…党组织书记座谈会) qualify no item.
            after = q[q.rfind(meeting) + len(meeting) :]
            extra["item_words"] = tuple(k for k in keywords if k in after)
    if phrase := meeting_phrase(q):
        extra["meeting_phrase"] = phrase
    if m := re.search(r"哪(?:个|一个|些)?(村|镇|乡|县|市|区|街道|省)", q):
        extra["admin"] = m.group(1)
    if verbs := predicate(q):
        if kind == "time":
            # 几点开的: jieba's 点开; 几点开始/召开: the meeting's start is what is asked, not a
            # verb its time line must write.
            held = same_meaning("召开") | {"开始"}
            verbs = tuple(v for v in verbs if not v.startswith("点") and v not in held)
        if verbs:
            extra["predicate"] = verbs
    if kind in ("general", "list") and (verb := _verb_before_wh(q)) and verb not in extra.get("predicate", ()):
        # "石中平副区长分管哪块工作": the relation asked (分管) must be written where the answer is.
        extra["predicate"] = (*extra.get("predicate", ()), verb)
    if m := _LEVEL_ATTENDEES.search(q):
        extra["level_attendees"] = _LEVEL_OF.get(m.group(1), m.group(1))  # "村一级是请的哪些人来参会"
    return Intent(kind=kind, unit=unit, keywords=keywords, quoted=quoted, focus=focus, extra=extra)


# What the question asks about is written after its question word: "…是谁介绍的", "…什么时候之前建成".
_WH = re.compile(r"谁|什么时候|何时|哪(?:一)?[天年家个位些]|什么|多少|几")
# Verbs that only frame a question (是, 有), and the generic verbs of work (推进, 实施, 抓好)
# that official texts use for anything: neither says what relation is asked.
_FRAME_VERBS = frozenset(
    "是 有 在 为 叫 叫做 做 作 搞 干 开 召开 举行 举办 进行 开展 提 提出 提到 说 讲 讲话 表示 要求 强调 指出 "
    "包括 涉及 属于 算 看 来 去 用 请 数 当 担任 推进 推动 实施 发展 实现 建设 打造 抓 抓好 做好 "
    "完成 落实 做到 达到".split()
)


_WH_LIST = re.compile(r"哪几|哪些|哪[两二三四五六七八九十]")


def object_verb(question: str) -> str:
    """The verb whose object a list question asks for, written right before its question
    word: 观摩 of "大家观摩了哪几个点", 表彰 of "表彰了哪些集体"; "" when the question word
    opens the subject instead ("哪几个乡镇作了发言")."""
    m = _WH_LIST.search(question)
    if not m:
        return ""
    tagged = [(w, f) for w, f in _pos(question[: m.start()]) if w not in ("了", "过", "都", "要", "去", "还")]
    if tagged and tagged[-1][1] in ("v", "vn") and len(tagged[-1][0]) >= 2 and tagged[-1][0] not in QUESTION_WORDS:
        return tagged[-1][0]
    return ""


_WH_THING = re.compile(r"哪(?:块|个|项|些|几|类|种|方面)|什么")


def _verb_before_wh(question: str) -> str:
    """The verb right before the question word that asks for a thing (分管 of "分管哪块工作",
    采取 of "采取什么方式"), when it says a relation (not 是, 有, 要求 …); "" otherwise."""
    m = _WH_THING.search(question)
    if not m:
        return ""
    tagged = [(w, f) for w, f in _pos(question[: m.start()]) if w not in ("了", "过", "都", "的")]
    if tagged and tagged[-1][1] in ("v", "vn") and len(tagged[-1][0]) >= 2 and tagged[-1][0] not in QUESTION_WORDS \
            and tagged[-1][0] not in _FRAME_VERBS:
        return tagged[-1][0]
    return ""


def predicate(question: str) -> tuple[str, ...]:
    """The verbs the question asks about, written after its question word in the same
    clause: 投资 of "…是哪家企业投资建的", 建成 of "…什么时候之前建成", 介绍 of
    "…是谁上台介绍的". An answer sentence that has none of them does not say what is asked."""
    m = _WH.search(question)
    if not m:
        return ()
    stop = re.search(r"[，,。;；?？!！]", question[m.end() :])
    rest = question[m.end() : m.end() + stop.start()] if stop else question[m.end() :]
    # "什么时候前报到哪里": 前 closes the deadline, and 报到 is 报 + 到哪里 (jieba glues them);
    # a verb ending in 到 / 给 right before a second question word is only its first half.
    rest = re.sub(r"^(?:之|以)?前", "", rest)
    rest = re.sub(r"([\u4e00-\u9fff])[到给](?=哪|谁|什么)", r"\1", rest)
    tagged = _pos(rest)
    if m.group(0) == "什么" and tagged and tagged[0][1] == "vn":
        tagged = tagged[1:]  # "什么活动": the noun the answer is a kind of, not what it does
    return tuple(
        dict.fromkeys(
            w for w, flag in tagged
            if flag in ("v", "vn") and len(w) >= 2 and w not in _FRAME_VERBS and w not in QUESTION_WORDS
            and not _COMPLEMENT.fullmatch(w)
        )
    )


# The next occurrence of what was reported: 下一次, 下届, 下轮 (its own day is no answer).
_NEXT_TIME = re.compile(r"下一?次|下一?届|下一?轮|下一?期")
# What is left of a task: 还剩多少户没完成, 还有多少个没完工, 尚未整改的有几处.
_REMAINDER = re.compile(r"还剩|剩下|剩余|尚未|还没|还有(?:多少|几)[^，,。?？]{0,8}?[没未]|[没未](?:有)?(?:完成|完工|整改|解决|落实|到位|办结)")
_DONE_ASKED = re.compile(r"已经?[^，,。?？]{0,6}?(?:多少|几)|(?:完成|整改|解决|落实|办结|完工)(?:好|到位)?了(?:多少|几)")
# A date asked of what is handed in or finished ("分工表啥时候交", "哪天报镇党委"): documents
# give such dates as deadlines (4月3日前报乡应急办).
_HANDED_IN = re.compile(r"(?:什么时候|啥时候|何时|哪天|哪一天|几号)[^，,。?？]{0,3}?(?:交|报|上报|报送|提交|完成|办结|整改到位)")
# Where or to whom it is handed in: 报到哪里, 报给谁, 交哪个部门.
_HANDED_TO = re.compile(r"(?:报|交|送|报送|上报|提交|反馈)(?:到|给|至)?(?:哪里|哪儿|哪个(?:部门|单位)|哪家|谁)")
_FREQUENCY = re.compile(r"(?:多久|多长时间|隔多久|多少天|几天|几个月|多长)[^，,。?？]{0,14}?一次|多久一次|频次|频率")
# The name of a person is asked: 书记叫什么, 那位同志的名字, 领导的全名.
_PERSON_NAME_ASKED = re.compile(rf"(?:{TITLE_POST}|领导|同志|代表|干部|人)的?(?:叫什么|名字|姓名|全名)")
_PERSON_UNITS = ("位", "人", "名")
# What a question counts: 市领导, 镇委书记 (a bare 书记 or 领导 is too broad to count by name).
COUNTED = re.compile(rf"[市县区镇乡村省]领导|{ROLE}")
_INCLUDING = re.compile(r"(?:包括|包含|连同|加上)([^，,。?？]{2,20}?)在内")
_NAMED = re.compile(r"具名|点了?名|点到名|提到|提及|写到|列出|列了|列有|名单|写[出了明]名字|有名有姓")


# "点了名字谈体会的", "具名发言的": people quoted in a report under their name.
_SPEAKERS_NAMED = re.compile(
    r"(?:点了?名字?|具名|有名有姓|报了?名字|写了?名字)[^，,。?？]{0,6}?(?:谈|说|讲|发言|表态|表示|发表)"
    r"|(?:谈|说|讲|发言|表态|发表)[^，,。?？]{0,6}?(?:点了?名字?|具名|有名有姓)"
)


@dataclass(frozen=True)
class PeopleCount:
    """"…的市领导一共几位" asks to count people named under a role."""

    roles: tuple[str, ...]  # the roles counted: 市领导; 镇委书记, 镇委副书记
    include_role: str = ""  # 包括主持会议的市委书记在内: one more person, by role…
    include_verb: str = ""  # …and what they did
    named: bool = False  # 具名/提到的…: every person with the role the document names


def _people_count(q: str) -> PeopleCount | None:
    including = _INCLUDING.search(q)
    rest = q[: including.start()] + q[including.end() :] if including else q
    roles = tuple(dict.fromkeys(m.group(0) for m in COUNTED.finditer(rest) if len(m.group(0)) >= 3))
    if not roles:
        return None
    include_role = include_verb = ""
    if including:
        role = COUNTED.search(including.group(1))
        if not role:
            return None  # "包括X在内" with no role to find X by
        include_role = role.group(0)
        include_verb = next((f for f in _FOCUS if f in including.group(1)), "")
    return PeopleCount(roles, include_role, include_verb, bool(_NAMED.search(rest)))


def small_number(numeral: str) -> int:
    """``三`` -> 3, ``十二`` -> 12, ``7`` -> 7."""
    if numeral.isdigit():
        return int(numeral)
    digits = "一二三四五六七八九"
    numeral = numeral.replace("两", "二")
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(ones) + 1 if ones else 0)
    return digits.index(numeral) + 1


def _pos(text: str) -> tuple[tuple[str, str], ...]:
    """Part-of-speech tags; sentences are cached, whole documents (ingest) are not."""
    return _pos_cached(text) if len(text) < 500 else _pos_uncached(text)


@lru_cache(maxsize=4096)
def _pos_cached(text: str) -> tuple[tuple[str, str], ...]:
    return _pos_uncached(text)


def _pos_uncached(text: str) -> tuple[tuple[str, str], ...]:
    import jieba.posseg as pseg

    _jieba()  # quiet logging, meeting words and document terms loaded first
    return tuple((w.word, w.flag) for w in pseg.cut(text))


_PLACE_AFTER = re.compile(r"(?:村|镇|乡|县|区|市|社区|街道)(?!党|支部|委|书记|主任|[镇乡县区市村]?长|干部|文书|会计|两委)")


def _could_be_name(word: str) -> bool:
    """A Chinese personal name starts with a surname and is no everyday word: jieba tags
    宁可, 敬畏, 沙坝 as names, and "书记同意" reads like a post and a name."""
    if word[0] not in SURNAMES:
        return False
    # Names read from the documents at ingest are taught to jieba with a high frequency.
    return f"{word}\tnr" in _ADDED or (_jieba().dt.FREQ.get(word) or 0) <= _COMMON_FREQ


def people(text: str) -> list[tuple[int, int, str]]:
    """Person names (start, end, name): jieba ``nr`` tags plus "role + name" patterns."""
    found: dict[int, tuple[int, int, str]] = {}
    pos = 0
    tagged = list(_pos(text))
    for i, (word, flag) in enumerate(tagged):
        if (
            len(word) == 1 and word in SURNAMES and i + 1 < len(tagged)
            and tagged[i + 1][1] in ("nr", "nz") and 1 <= len(tagged[i + 1][0]) <= 2
            and re.fullmatch(f"[{CJK}]+", tagged[i + 1][0])
        ):
            # jieba may tag a surname and the given name apart (邱|海涛): one name.
            word, flag = word + tagged[i + 1][0], "nr"
            tagged[i + 1] = ("", "x")
        if (
            flag == "nr"
            and 2 <= len(word) <= 4
            and re.fullmatch(f"[{CJK}]+", word)
            and word[-1] not in "村镇乡县市区省街部局办委处科"  # 宣传部, 农业局: bodies, not people
            and _could_be_name(word)
            and not _PLACE_AFTER.match(text, pos + len(word))  # 沙坝村: a place; 郭振林村党支部书记: a name
        ):
            found[pos] = (pos, pos + len(word), word)
        pos += len(word)
    for m in re.finditer(rf"{ROLE}([{CJK}]{{2,3}}?)(?=主持|强调|指出|要求|讲话|作了|作|参加|出席|表示|认为|介绍|带队|在|对|就|也|,|，|、|。|等|\n|$)", text):
        name = m.group(1)
        start = m.end() - len(name)
        if not re.search("[会议市县区镇乡村党委组织部门工作]", name[:1]) and _could_be_name(name):
            known = found.get(start)
            # jieba may stop a name short (文伟|欲表示); the role pattern ends it at its verb.
            if known is None or (len(name) > len(known[2]) and name.startswith(known[2])):
                found[start] = (start, m.end(), name)
    return sorted(found.values())


_POST_BODY = re.compile(r"(?:党工|党|纪|政)$")  # 党 + 委副书记: the body the post belongs to
_RUN = re.compile(r"[^的在由和与及是对为、，,。；;：:\s“”\"（）()]{1,8}$")  # the words right before, no function word
_UNIT_END = re.compile(r"(?:街道|镇|乡|县|市|区|村)$")
_ORG_END = re.compile(r"(?:部|局|办|站|所|院|校|中心|公司|支部|总支|党委|党工委)$")


def role_before(text: str, start: int) -> str:
    """The post written right before a name: 市委书记刘玉杰 -> 市委书记; never cut in two:
    镇党委副书记林晓燕 -> 镇党委副书记 (not 委副书记)."""
    window = text[max(0, start - 12) : start]
    m = re.search(rf"({ROLE})$", window)
    if not m:
        return ""
    role, head = m.group(1), window[: m.start()]
    if role.startswith("委") and (body := _POST_BODY.search(head)):
        role, head = body.group(0) + role, head[: body.start()]
    run = _RUN.search(head)
    if run and role[:1] in "党纪政委" and _UNIT_END.search(run.group(0)):
        role = run.group(0) + role  # 石桥镇 + 党委副书记
    elif run and role[:1] not in "党纪政委市县区镇乡村省" and _ORG_END.search(run.group(0)):
        role = run.group(0) + role  # 组织部 + 部长
    return role


# One post with its body, written without punctuation: 县委两新工委书记, 组织部副部长, 县委常委.
_POST_SEGMENT = re.compile(rf"[^的在由和与及是对为向请经、，,。；;：:\s“”\"（）()]{{1,20}}?(?:{ROLE}|常委)$")


def posts_before(text: str, start: int) -> str:
    """All the posts written right before a name, in order: "县委常委、组织部部长范丽娟" ->
    县委常委、组织部部长; "县委组织部副部长、县委两新工委书记谭海燕" -> both posts. Each post
    is the whole run of words before its punctuation (never 委书记 out of 两新工委书记);
    earlier posts are joined by 、 or a comma and end in a post word themselves."""
    segment = _POST_SEGMENT.search(text, max(0, start - 22), start)
    if segment is None or segment.end() != start:
        return role_before(text, start)
    posts, pos = [segment.group(0)], segment.start()
    for _ in range(3):
        if pos == 0 or text[pos - 1] not in "、,，":
            break
        earlier = _POST_SEGMENT.search(text, max(0, pos - 23), pos - 1)
        if earlier is None or earlier.end() != pos - 1 or earlier.start() > 0 and text[earlier.start() - 1] not in "、,，；;：:。\n（(":
            break
        posts.insert(0, earlier.group(0))
        pos = earlier.start()
    return "、".join(posts)


# The meeting a question is about, as the user names it: the run of words before 会/会议
# and a 上/里/中 ("建党百年两优一先表彰会上", "那个第一书记和新乡贤座谈会上"). It starts after
# punctuation, 在, a demonstrative (那个, 这次) or 的.
_MEETING_PHRASE = re.compile(
    rf"(?:^|[，,。？?！!；;：:\s]|在|那个|那次|这个|这次|的)((?:(?!那个|那次|这个|这次|在)[{CJK}0-9“”\"]){{2,30}}?(?:会议|会))(?=上|里|中|期间)"
)


def meeting_phrase(q: str) -> str:
    """The question's name for its meeting ("" when it names none this way); its words pick
    the document and need not be in the answer's sentence."""
    found = [m.group(1) for m in _MEETING_PHRASE.finditer(q)]
    # The longest: "那个…座谈会上" may also match from a later 的.
    return re.sub("[“”\"]", "", max(found, key=len)) if found else ""


_CN_FIGURE = re.compile(
    rf"(?<![{CN_NUMERAL}第])(?P<pct>百分之)?(?P<num>[{CN_NUMERAL}]+(?:点[〇零一二三四五六七八九]+[万亿]?)?)\s*(?P<unit>{UNITS})?"
)
_CN_DIGIT = dict(zip("〇零一二三四五六七八九", "00123456789", strict=True))


def _cn_figure(m: re.Match[str]) -> tuple[str, str] | None:
    """(value, unit) of a figure written in Chinese numerals: 三十一名 -> (31, 名),
    三十七点六亿元 -> (37.6, 亿元), 三百万元 -> (300, 万元), 百分之九十一 -> (91, %)."""
    num, unit = m.group("num"), m.group("unit") or ""
    big = ""
    if len(num) > 1 and num[-1] in "万亿":
        num, big = num[:-1], num[-1]
    whole, _, decimals = num.partition("点")
    value = cn_to_int(whole)
    if not re.search("[零〇一二两三四五六七八九十]", whole):
        return None  # 万元 of "xx万元": a magnitude without its figure (often redacted)
    if value is None or (num == "一" and not m.group("pct") and unit not in ("个月", "小时", "年")):
        return None  # 一 alone is an article (一名, 一个) more often than a figure; 一个月 is a time
    shown = f"{value}.{''.join(_CN_DIGIT[c] for c in decimals)}" if decimals else str(value)
    if m.group("pct"):
        return shown, "%"
    return (shown, big + unit) if unit or big else None


def figure_text(text: str, start: int, end: int, value: str, unit: str) -> str:
    """A figure as an answer shows it: as written when in Chinese numerals (三十一名), else
    its value and unit (120人, without the space some pages put between them)."""
    return text[start:end] if not text[start].isdigit() else value + unit


# An item's number (议题：1.讨论…, 2、…) is no figure: a number right after a break, then "." or "、".
_ITEM_MARK = re.compile(r"(?:(?<=^)|(?<=[\s：:，,；;。（(]))\d{1,2}\s*[.．、](?!\d)")
_DECADE = re.compile("(?<=年)代")  # 九十年代 is a decade, not ninety years


def numbers(text: str) -> list[tuple[int, int, str, str]]:
    """Numbers with their units: (start, end, value, unit), dates excluded. Figures written
    in Chinese numerals (三十一名, 百分之九十一, 三十七点六亿元) count, with their value in digits."""
    # Dates, and times of day (8时30分: its 30分 is no score).
    dates = [(m.start(), m.end()) for m in DATE.finditer(text)] + [(m.start(), m.end()) for m in TIME.finditer(text)]
    out = []
    for m in NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in dates) or _DECADE.match(text, m.end()) or _ITEM_MARK.match(text, m.start()):
            continue
        out.append((m.start(), m.end(), m.group(1), m.group(2) or ""))
    for m in _CN_FIGURE.finditer(text):
        if any(s <= m.start() < e for s, e in dates) or _DECADE.match(text, m.end()) or (figure := _cn_figure(m)) is None:
            continue
        out.append((m.start(), m.end(), *figure))
    return sorted(out)


# A time of day: 上午9:00, 下午3时, 9点30分, 下午三点半 (a timestamp's 16:47 after its date is none).
TIME = re.compile(
    r"(?:上午|下午|晚上|早上|中午|凌晨)?\s*(?:\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*(?:时|点)(?:\s*\d{1,2}\s*分|半)?)"
    r"|(?:上午|下午|晚上|早上|中午|凌晨)[一二三四五六七八九十]{1,3}(?:时|点)(?:[一二三四五六七八九十]{1,3}分|半)?"
)
_STAMP_DATE = re.compile(r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s*$")


def times(text: str) -> list[tuple[int, int, str]]:
    """Times of day (start, end, as written), timestamps of a page's date line left out."""
    out = []
    for m in TIME.finditer(text):
        span = m.group(0).strip()
        if not span or _STAMP_DATE.search(text, max(0, m.start() - 14), m.start()):
            continue
        at = m.start() + m.group(0).index(span)
        out.append((at, at + len(span), span))
    return out


def dates(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in DATE.finditer(text)]


_ADMIN = re.compile(r"(?:街道|镇|乡|县|村|区|市|省)")


_NOT_IN_PLACE = "[名优秀全各自来的在和与了是对把要我这那其该个等到]"
_COMMON_FREQ = 50  # a word jieba's dictionary knows this well is an everyday word, not a name


_NAME_TAGS = ("ns", "nr", "nz", "nrt", "nrfg", "zg")  # zg: a lone character jieba cannot place (谭)


def _trailing_name(run: str) -> str:
    """The name at the end of ``run``: the words jieba tags as names (or rare nouns) after the
    last other word (将, 借鉴, 软弱涣散); "" when that leaves fewer than 2 or more than 4 characters."""
    freq = _jieba().dt.FREQ
    name = ""
    for word, flag in reversed(_pos(run)):
        rare_noun = flag[:1] == "n" and (freq.get(word) or 0) <= _COMMON_FREQ
        if re.search(_NOT_IN_PLACE, word) or not (flag in _NAME_TAGS or rare_noun):
            break
        name = word + name
    return name if 2 <= len(name) <= 4 else ""


def places(text: str) -> list[tuple[int, int, str]]:
    """Places: "在X召开" first, then jieba ``ns`` words with a following 镇/乡/村… suffix."""
    out = [(m.start(1), m.end(1), m.group(1)) for m in PLACE_AT.finditer(text)]
    # 阜南县段郢乡蒲庄村: each admin unit is the run before its suffix, after the previous one.
    # The suffix must end the name: 乡村, 市委, 县级, 区域 are words, not places.
    for m in re.finditer(rf"[{CJK}]{{2,6}}?(?:街道|镇|乡|县|村|市|区)(?![村委民级域场长里直属内外政干])", text):
        run = re.split(r"街道|镇|乡|县|村委会|村委|村|市|区", m.group(0)[:-1])[-1]
        if 2 <= len(run) + 1 <= 6 and not re.search(_NOT_IN_PLACE, run):
            out.append((m.end() - len(run) - 1, m.end(), text[m.end() - len(run) - 1 : m.end()]))
        elif name := _trailing_name(run):
            # 将借鉴谭石拱村: the words before the name (将, 借鉴) are not part of it.
            out.append((m.end() - len(name) - 1, m.end(), text[m.end() - len(name) - 1 : m.end()]))
    # 宾亨镇妙村村组长: a village named …村 followed by its 村组/村委 is 妙村, not 妙村村.
    for m in re.finditer(rf"(?:街道|镇|乡)([{CJK}]{{1,4}}?村)(?=村(?:组|委|民|级|党|两委|干部))", text):
        out.append((m.start(1), m.end(1), m.group(1)))
    pos = 0
    for word, flag in _pos(text):
        if flag == "ns" and len(word) >= 2:
            end = pos + len(word)
            # 元阳县|县长: a name that ends with its own level takes no second one.
            if word[-1] not in "县镇乡村市区" and (suffix := _ADMIN.match(text, end)):
                end = suffix.end()
            out.append((pos, end, text[pos:end]))
        pos += len(word)
    return out


def redactions(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in REDACTION.finditer(text)]


# A follow-up's pronoun (他/她/其) or a meeting referred to as "that one" (那次会, 该会).
# Only as the question's subject, at its start: "…的李强,他是哪里的" names him first.
_LEAD = r"^(?:那么?|请问|还有|另外)?[，,]?"
_PERSON_PRONOUN = re.compile(rf"{_LEAD}(他|她)(?!们|人|乡|处|国)|^其(?!中|余|他|它|实|次)")
_MEETING_PRONOUN = re.compile(rf"{_LEAD}((?:那次|这次|该次|上次|那个|这个|上述|该)(?:会议?|会上|座谈会|推进会|现场会|大会))")


def unresolved_reference(question: str) -> str | None:
    """The pronoun a question leans on when it names nobody it could stand for:
    "他还强调了什么?" -> 他; "那次会在哪开的?" -> 那次会. None when the question names
    a person or place itself ("刘玉杰说他…"), or leans on nothing."""
    if people(question) or any(len(p) >= 3 for _, _, p in places(question)):
        return None
    if m := _PERSON_PRONOUN.search(question):
        return m.group(1) or "其"
    if m := _MEETING_PRONOUN.search(question):
        return m.group(1)
    return None
