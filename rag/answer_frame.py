"""Slot questions answered from the meeting frame: who chaired, when, where, how many attended.

A user names a meeting the way they remember it ("青禾县那个述职评议会", "3月份的防汛会")
and asks one of its facts. Such a question has two halves, read separately:

1. **the slot** (``Slot``): what is asked, recognised by meaning, not by one wording:
   主持 in any form asks for the chair; 哪天 / 什么时候 / 几号 with 开 / 召开 / 举行 asks for
   the meeting date; 在哪 / 地点 / 会场 with a verb of holding asks for the venue; 多少人 /
   几名 with 参加 / 出席 / 参会 / 到会 asks for the attendance;
2. **the meeting**: the question's other words must be found in one retrieved document
   (its whole text, not the sentence that holds the answer: "南皮县…会议在哪开" is
   answered from "全县…会议在县委六楼召开"), and a kind of meeting the question names
   (座谈会) must be the frame's own meeting, not a side event of the same report.

The answer is the frame's value with its evidence sentence cited. When the frame has no
value, this strategy says nothing and the sentence engine takes over.

Left out on purpose: slots the frame holds less reliably (speakers, participants);
they stay with the sentence engine until their per-field numbers earn a place here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from rag.chunking import split_sentences
from rag.extract_core import Part, Sentence, _compose
from rag.question import ROOM, Intent, people, posts_before, redactions
from rag.spans import Found
from rag.summary_schema import MeetingSummary, Person
from rag.types import Answer, Document, Passage
from rag.zh.names import TITLE_POST
from rag.zh.numerals import CN_NUMERAL, cn_to_int
from rag.zh.predicates import written_close, written_meeting


class Slot(Enum):
    CHAIR = "chair"
    DATE = "date"
    VENUE = "venue"
    ATTENDANCE = "attendance"
    SPEAKER = "speaker"


# The acts that single out one person at a meeting ("谁宣读的表彰决定", "哪位县领导讲的话"),
# as a question writes them; 讲的话 and 作了讲话 are 讲话. Group acts (发言, 述职, 表态) are lists.
_FLOOR_ACT = (r"(?:(?:总结|动员|主题)?讲(?:的)?话|作了?(?:总结|动员)?讲话|致辞|点评|宣读|通报|部署|作了?报告|传达|解读|领学"
              r"|授课|讲了?党课|指导|带(?:的)?队)(?!会|大会|工作会|组)")  # 部署会, 指导组 name a meeting, a body
_WHO = r"谁|哪位|哪一位|什么人|哪个领导|哪名领导"


_HOLD = r"开|召开|举行|举办|开班|开幕|进行|组织"
_SLOTS: tuple[tuple[Slot, re.Pattern[str]], ...] = (
    (Slot.CHAIR, re.compile(r"主持")),
    (Slot.DATE, re.compile(
        rf"(?:什么时候|啥时候|何时|哪天|哪一天|几月几[日号]|几号|什么时间|哪个时间|日期)[^?？。]{{0,4}}(?:{_HOLD})"
        rf"|(?:{_HOLD})[^?？。]{{0,6}}(?:什么时候|啥时候|何时|哪天|哪一天|几月几[日号]|几号|什么时间|日期)"
        r"|(?:会议|会|开班式)(?:是|在)?(?:哪天|哪一天|什么时候|几号|何时)")),
    (Slot.VENUE, re.compile(
        rf"(?:在哪|哪里|哪儿|什么地方|哪个地方|何地|哪个会议室|哪个楼)[^?？。]{{0,4}}(?:{_HOLD})"
        rf"|(?:{_HOLD})[^?？。]{{0,4}}(?:在哪|哪里|哪儿|什么地方|地点)"
        r"|(?:会议|会场|开会)(?:的)?地点|会场(?:设)?在"
        r"|(?:会议|会|开班式)(?:是)?在哪(?:里|儿)?[?？]?$")),
    (Slot.ATTENDANCE, re.compile(
        r"(?:多少|几)(?:个)?(?:人|名|位)[^?？。]{0,6}(?:参加|出席|参会|到会|与会|列席)"
        r"|(?:参加|出席|参会|到会|与会)[^?？。]{0,8}(?:多少|几)(?:个)?(?:人|名|位)"
        r"|(?:参会|与会|到会)人数"
        # 来 as arriving, not the complement of 加起来 / 算起来 (a sum, not an attendance)
        r"|(?:(?<!起)来了|到了|到场|(?<!起)来)[^?？。]{0,4}(?:多少|几)(?:个)?(?:人|名|位)")),
    (Slot.SPEAKER, re.compile(
        rf"(?:{_WHO})(?:(?:[县市区镇乡村]里?的?)?领导)?(?:来|去|上台|到会)?(?:[作做][了的]?)?(?:{_FLOOR_ACT})"
        rf"|(?:{_FLOOR_ACT})[^?？。，,]{{0,8}}?(?:的|的人|的领导)?(?:是|为)(?:{_WHO}|哪个)"
        # "讲话的镇党委书记叫什么": the one who did the act, asked by name.
        rf"|(?:{_FLOOR_ACT})的[^?？。，,的]{{1,10}}?(?:叫什么|叫啥|的?名字|的?姓名|是谁)")),
)
# The level a question puts its speaker at (哪位县领导, 镇里哪位领导): the post says it.
_LEVEL = re.compile(r"([县市区镇乡村])里?的?领导")
# An order among several speakers (最后讲话的) is no single slot of the frame.
_ORDER = re.compile(r"最后|首先|第[一二三四五六七八九十\d]+个|先后|接着|然后|之后")
# A slot question asks one thing: these make it another kind of question (比 compares,
# but not inside 比武 / 比赛 / 比例).
_NOT_A_SLOT = re.compile(
    r"下一?次|下一?届|下一?轮|第[二三四五六七八九十\d]+期|(?<![上本])[二三四五六七八九十]期|明年|之前|以前|截至|完成|分别|各自|哪些|哪几|还是|比(?![武赛例重较])|多了|少了|一共|总共|合计|除了|不含"
)
# Kinds of question that ask a fact about a person of the meeting, never who the person is.
_NOT_A_PERSON = frozenset({"number", "total", "date", "time", "place"})
# Words that only say which fact is asked (not which meeting).
_SLOT_WORDS = frozenset(
    "主持 主持人 主持会议 召开 举行 举办 开班 开幕 开会 进行 组织 地点 会场 人数 参加 出席 参会 到会 与会 列席 "
    "时间 日期 领导 人员 哪位 在哪 哪里 会议室".split()
)
MEETING_KINDS = re.compile(
    r"座谈会|推进会|现场会|调度会|部署会|动员会|动员大会|表彰会|表彰大会|培训班|开班式|观摩会|评议会|常务会议|"
    r"学习会|中心组|代表会议|比武|评比|签约|交流会|研讨会|汇报会"
)
LEAD = 150  # characters of a document's opening that name its own meeting (and its kind)
MATCH = 0.75  # share of the question's meeting words (by idf) the document must hold


@dataclass(frozen=True)
class SlotQuestion:
    slot: Slot
    words: tuple[str, ...]  # the words that name the meeting
    room: bool = False  # the question asks for a room or building, not a place
    act: str = ""  # SPEAKER: the act asked, as the frame writes acts (讲话, 宣读, 点评)
    level: str = ""  # SPEAKER: the level of the speaker's post (县 of 哪位县领导)
    act_written: str = ""  # SPEAKER: the act as asked (动员讲话), to tell two speeches apart
    post: str = ""  # SPEAKER: the post asked by name (讲话的镇党委书记叫什么: 镇党委书记)


def read_slot(question: str, intent: Intent) -> SlotQuestion | None:
    """The slot a question asks for and the words naming its meeting; None if it asks otherwise."""
    if intent.quoted:
        return None
    found = next(((s, pattern, m) for s, pattern in _SLOTS if (m := pattern.search(question))), None)
    if found is None:
        return None
    slot, pattern, matched = found
    if slot in (Slot.CHAIR, Slot.SPEAKER) and intent.kind in _NOT_A_PERSON:
        return None  # "主持会议的副县长多大岁数": a figure about the chair, not who chaired
    if slot is Slot.DATE and intent.extra.get("deadline"):
        return None  # "…党组织书记在什么时候前制定方案": a deadline is never the meeting's day
    blocked = _NOT_A_SLOT.search(question)
    # "一共来了多少人" asks the attendance all the same: the frame gives a count only when
    # the report states one total (one counted group); several groups stay with the sums.
    if blocked and not (slot is Slot.ATTENDANCE and re.fullmatch("一共|总共|合计", blocked.group(0))
                        and not _NOT_A_SLOT.search(question, blocked.end())
                        and not re.search(r"两|几个会|[和与及、]", question[: blocked.start()])):
        return None
    # The meeting is named by what is left once the asking phrase is taken out:
    # "凤埔乡的现场会是哪天开的" -> 凤埔乡, 现场会 (not the fragment 天开).
    from rag.question import analyse

    act = level = written_act = post = ""
    if slot is Slot.SPEAKER:
        if _ORDER.search(question) or people(question):
            return None  # "最后讲话的是谁"; "刘玉杰讲话…" asks about a speaker, not for one
        asked = re.search(_FLOOR_ACT, matched.group(0))  # the act next to 谁, not another the question names
        written_act = re.sub(r"^作了?|的|了", "", asked.group(0)) if asked else ""  # 讲的话 -> 讲话, 带的队 -> 带队
        act = "讲话" if written_act.endswith("讲话") else written_act
        level = m.group(1) if (m := _LEVEL.search(question)) else ""
        named = re.search(rf"(?:{_FLOOR_ACT})的([^?？。，,的]{{1,10}}?)(?:叫什么|叫啥|的?名字|的?姓名|是谁)", question)
        post = named.group(1) if named and re.search(f"{TITLE_POST}$", named.group(1)) else ""
    rest = analyse(pattern.sub("，", question)).keywords
    words = tuple(k for k in rest if k not in _SLOT_WORDS and not re.fullmatch(r"[开会的了是]+", k))
    return SlotQuestion(slot, words, room=bool(ROOM.search(question)), act=act, level=level,
                        act_written=written_act, post=post)


_written = written_close  # 部署会 ~ 部署工作会议


def opening(doc: Document) -> str:
    """A document's title line and first sentence (at most ``LEAD`` characters): where
    a report names its own meeting, before any side event."""
    head = doc.text[:LEAD]
    body = head.find("\n")
    stop = re.search(r"[。！？!?]", head[body + 1 :]) if body >= 0 else re.search(r"[。！？!?]", head)
    return head[: (body + 1 if body >= 0 else 0) + stop.end()] if stop else head


def meeting_match(sq: SlotQuestion, doc: Document, frame: MeetingSummary, weight: Callable[[str], float]) -> float:
    """How well ``doc`` is the meeting the question names: the idf share of its words the
    document writes; 0 when the question names a kind of meeting that is a side event here."""
    title = frame.title.value if frame.title else ""
    lead = opening(doc)
    for kind in MEETING_KINDS.findall("".join(sq.words)):
        # A ceremony is its event's own (开班式 of a report headed …培训班开班).
        own = kind.removesuffix("式")
        if not _written(own, title) and not _written(own, lead) and _written(kind, doc.text):
            return 0.0  # "会后…召开了座谈会": the question is about that one, not the frame's meeting
    if not sq.words:
        return 1.0
    total = sum(weight(w) for w in sq.words) or 1.0
    # A meeting the question coins from its topic (禁烧会) is read in the report's own name for
    # it (title, opening), not anywhere in the text (常务 of 常务副县长…会议).
    named = title + "\n" + lead
    return sum(weight(w) for w in sq.words
               if _written(w, doc.text) or written_meeting(w, named) or _number_written(w, doc.text)) / total


def _number_written(word: str, text: str) -> bool:
    """A number the question writes in digits is written in the text in Chinese numerals
    (第42次 of 第四十二次区政府常务会议), or the other way round."""
    value = cn_to_int(word)
    if value is None or value < 10:
        return False  # one digit is too common a word to name a meeting by
    return any(cn_to_int(m.group(0)) == value for m in re.finditer(rf"\d+|[{CN_NUMERAL}]+", text))


_HEADCOUNT = re.compile(r"[\d一二两三四五六七八九十百千]+(?:余|多)?(?:人|名)")


def _part(doc: Document, start: int, end: int, value: str, rank: int,
          focus: tuple[int, int] | None = None) -> Part:
    """``value`` citing the sentences of [start, end); ``focus``: where in them the value
    is written, for the quote shown (a long roster's total at its end)."""
    spans = split_sentences(doc.text)
    s, e = next(((a, b) for a, b in spans if a <= start < b), (start, end))
    # Evidence over several sentences (a roster totalled after its ;-separated items) cites
    # them all, so the value shown is in the quote.
    e = max(e, next((b for a, b in spans if a < end <= b), end))
    fs, fe = focus or (start, end)
    return Part(Sentence(doc, s, e, rank), value, Found(value, fs - s, fe - s))


def slot_value(sq: SlotQuestion, frame: MeetingSummary, doc: Document, rank: int) -> Part | None:
    """The frame's value for the slot, as an answer part citing its sentence."""
    if sq.slot is Slot.CHAIR and frame.chair is not None:
        c = frame.chair
        at = doc.text.find(c.name, c.evidence.start, c.evidence.end) if c.name else -1
        role = (posts_before(doc.text, at) or c.role) if at >= 0 else c.role  # every post: 县委常委、组织部部长
        shown = "".join(x for x in (role, c.name) if x) if c.name else (c.role or "")
        return _part(doc, c.evidence.start, c.evidence.end, shown, rank) if shown else None
    if sq.slot is Slot.DATE:
        held = [d for d in frame.dates if d.kind == "meeting"]
        if held and redactions(held[0].value):
            return None  # "2025年1月**日": the day is masked, which the sentence engine says as such
        if held:
            d = held[0]
            return _part(doc, d.evidence.start, d.evidence.end, d.value, rank)
    if sq.slot is Slot.VENUE:
        # "在哪个会议室开的" asks for the room: the town it is in does not answer it.
        place = frame.venue if sq.room else frame.venue or frame.location
        if place is not None:
            return _part(doc, place.evidence.start, place.evidence.end, place.value, rank)
    if sq.slot is Slot.SPEAKER and (p := speaker_of(sq, frame, doc.text)) is not None and p.name:
        # The name with its post as written in the cited sentence. An act reported under a
        # surname and post only (苏部长在点评中指出) cites no name: the sentences answer.
        # Cite the mention the act is written after (孙玉洁到会指导), else the frame's evidence.
        at = next((m.start() for m in re.finditer(re.escape(p.name), doc.text)
                   if sq.act_written and sq.act_written in _clause_after(doc.text, m.end())), -1)
        if at < 0:
            at = doc.text.find(p.name, p.evidence.start, p.evidence.end)
        if at < 0:
            return None
        role = posts_before(doc.text, at)
        return _part(doc, at - len(role), at + len(p.name), role + p.name, rank)
    if sq.slot is Slot.ATTENDANCE:
        counted = [g for g in frame.attendees if g.count is not None]
        if len(counted) > 1:
            # A body made up for the meeting (评委由…共15人组成: a jury, an inspection team) is
            # a part of those present, not their number: a stated attendance is answered.
            counted = [g for g in counted if not g.evidence.quote.endswith("组成")] or counted
            # An item counted inside a totalled list (…、12个村党组织书记、…，共计90余人) is
            # a part of that total, not a second group beside it.
            counted = [g for g in counted if not any(
                h is not g and h.evidence.start <= g.evidence.start and g.evidence.end <= h.evidence.end
                and (h.evidence.start, h.evidence.end) != (g.evidence.start, g.evidence.end) for h in counted)]
        if len(counted) == 1:  # several counted groups make a total: the sum engine answers those
            g = counted[0]
            # An approximate count as written: 约70人, 近200人, 160余人 (约 and 近 are not 余).
            before = re.search(r"(约|近|将近|大约)\s*[\d一二两三四五六七八九十百千]", doc.text[g.evidence.start : g.evidence.end])
            lead, tail = (before.group(1), "") if g.approx and before else ("", "余" if g.approx else "")
            shown = f"{lead}{g.count}{tail}人（{g.group}）"
            figures = list(_HEADCOUNT.finditer(doc.text, g.evidence.start, g.evidence.end))
            focus = (figures[-1].start(), figures[-1].end()) if figures else None
            return _part(doc, g.evidence.start, g.evidence.end, shown, rank, focus)
    return None


def speaker_of(sq: SlotQuestion, frame: MeetingSummary, text: str) -> Person | None:
    """The one speaker of the frame whose act is the act asked (讲话 also covers a speech
    reported as 总结讲话 / 动员讲话, which the frame may keep as 总结 / 动员), at the level asked;
    None when none or several are."""
    def acted(p: Person) -> bool:
        act = p.act or ""
        return act == sq.act or (sq.act == "讲话" and (act.endswith("讲话") or act in ("总结", "动员")))

    def at_level(p: Person) -> bool:
        held = (p.organisation or "") + (p.role or "")
        # "讲话的镇党委书记叫什么": the post asked is the person's (党委书记 of 镇党委书记).
        return (not sq.level or sq.level in held) and (not sq.post or sq.post in held or held.endswith(sq.post[-4:]))

    # A leader present to 指导 is a participant; any act is read where the person is named.
    people = [*frame.speakers, *frame.participants]
    fitting = {p.name: p for p in people
               if p.name and (acted(p) or _act_near(p, sq.act_written, text)) and at_level(p)}
    if sq.act_written != sq.act:
        # "作动员讲话的是哪位": of two speeches, the one its sentence calls 动员讲话.
        fitting = {n: p for n, p in fitting.items() if _act_near(p, sq.act_written, text)}
    if len(fitting) != 1:
        return None
    one = next(iter(fitting.values()))
    # A masked name (XXX, 许*) is no answer: the sentence engine says it is hidden.
    return None if one.name is None or MASKED.search(one.name) else one


MASKED = re.compile(r"[Xx×＊*]|某")
ACT_NEAR = 24  # characters after a speaker's mention where the act asked is written


def _act_near(p: Person, act: str, text: str) -> bool:
    """``act`` is written after a mention of the person, in the same clause (孙玉洁到会指导,
    wherever the frame's evidence for her is)."""
    if not act or not p.name:
        return False
    ends = [p.evidence.end] + [m.end() for m in re.finditer(re.escape(p.name), text)]
    return any(act in _clause_after(text, e) for e in ends)


def _clause_after(text: str, end: int) -> str:
    return re.split(r"[，,。；;：:！!？?\n]", text[end : end + ACT_NEAR])[0]


def answer_from_frame(
    question: str,
    intent: Intent,
    passages: Sequence[Passage],
    get_doc: Callable[[str], Document],
    get_frame: Callable[[Document], MeetingSummary],
    weight: Callable[[str], float],
    whole_question: bool = True,
) -> Answer | None:
    """Answer a slot question from the frame of the best-matching retrieved document.

    ``whole_question=False``: the passages are of the one meeting already found for a
    part of "A和B分别是谁主持的"; the question's other words name the other meeting."""
    sq = read_slot(re.sub("分别|各自", "", question) if not whole_question else question, intent)
    if sq is None:
        return None
    ranked: list[str] = list(dict.fromkeys(p.doc_id for p in passages))
    best: tuple[float, int, Document, MeetingSummary] | None = None
    for rank, doc_id in enumerate(ranked, start=1):
        doc = get_doc(doc_id)
        frame = get_frame(doc)
        score = meeting_match(sq, doc, frame, weight) if whole_question else 1.0
        if score >= MATCH and (best is None or score > best[0]):
            best = (score, rank, doc, frame)
    if best is None:
        return None
    _, rank, doc, frame = best
    part = slot_value(sq, frame, doc, rank)
    if part is None:
        return None
    answer = _compose(question, [part])
    answer.strategy = f"frame:{sq.slot.value}"
    return answer
