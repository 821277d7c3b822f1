"""Where a meeting sat, and what it decided to discuss: the venue and the agenda.

The venue is a room or a building, written two ways in this genre:
- a field line of minutes and notices: ``地点:镇政府三楼会议室``, ``会议地点:…``;
- in a sentence: ``…在县委党校二楼教室召开…``, ``会议在镇党群服务中心大礼堂举行``.
A place (乡, 镇, 县) without a building is the frame's ``location``, not its venue.
Of several meetings in one report, the venue of the first sentence that is not about
what happened before or after the meeting (会前, 会后, 随后, 当天下午) is the main one.

The agenda is what the meeting 听取/审议: ``会议审议并原则通过了《X》``,
``会议听取了X的汇报``, ``议题一:X``.

Left out on purpose: venues named only by a place (``在凤埔乡召开``: that is the
location) and agenda items that are not introduced by one of those verbs.
"""

from __future__ import annotations

import re

from rag.evidence import text_item
from rag.rules_text import sentences
from rag.summary_schema import TextItem
from rag.types import Document

BUILDING = (
    r"会议室|会议厅|礼堂|报告厅|会堂|党校|教室|大厅|多功能厅|中心|活动室|学习室|展厅|剧院|广场|宾馆|酒店|"
    r"大楼|办公楼|会场|基地|楼|村部|村委会|村民委员会|"
    # rooms and buildings of other kinds: 调度室, 审判庭, 文化馆, 中心小学, 农家书屋
    r"室|厅|庭|馆|学校|小学|中学|书屋|驿站|祠堂|剧场|大院"
)
# "地点:X" on one line, or a heading "二、会议地点" with X on the next line; X ends at a sentence end.
_FIELD = re.compile(
    r"^(?:[一二三四五六七八九十]+[、,，]|[(（][一二三四五六七八九十]+[)）]|\d+[.、])?[ \t]*"
    r"(?:(?:会议|开会|活动|培训|开班|学习|报到)?(?:时间、?)?地点(?:设在)?[:：]?|会址[:：]|会场[:：])\s*(?P<v>[^\n。;；]{2,60}?)\s*(?:[。;；]|\.(?!\d)|$)",
    re.M,
)
_IN_SENTENCE = re.compile(
    # 在 X, 于 X (not a date), or where the participants moved to: "移步镇政府三楼会议室召开座谈会"
    rf"(?:在|于(?![\d一二三四五六七八九十〇])|移步|来到|转场至|转场到)(?P<v>[^,，。;；、\s在]{{0,30}}?(?:{BUILDING})(?:[(（][^)）]{{1,12}}[)）])?)"
    r"(?:以[^,，。;；]{1,10}(?:形式|方式))?"  # "在县应急指挥调度室以视频形式召开"
    r"(?:隆重|正式|主持|集中|分别|顺利)?(?:召开|举行|举办|开班|开幕|开展|进行|正式开始|开始|集中学习)"
)
_MAIN_ROOM = re.compile(r"(?:主会场)?(?:设在|设于)")
_SET_IN = re.compile(r"(?:会议|会场|地点)(?:地点)?设在(?P<v>[^,，。;；\s]{2,30}?)(?=[,，。;；]|$)", re.M)
_AFTERWARDS = re.compile(r"^(?:会前|会后|会议结束后|随后|当天下午|当天上午|下午|晚上|此前|之后|开班式后|结束后)")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:街道|社区|乡|镇|村|县|区|市)(?=[\u4e00-\u9fff])")


def venue(doc: Document) -> TextItem | None:
    """The room or building of the main meeting, or None when the document names none."""
    text = doc.text
    for m in _FIELD.finditer(text):
        if re.search(BUILDING, m.group("v")):
            # "主会场设在市政府二楼视频会议室,各县(区)设分会场": the main room, up to the comma
            a, b = m.start("v"), m.end("v")
            a += len(lead.group(0)) if (lead := _MAIN_ROOM.match(text, a, b)) else 0
            cut = re.search(rf"(?:{BUILDING})[)）]?(?=[,，])", text[a:b])
            return text_item(doc, a, a + cut.end() if cut else b)
    for m in _SET_IN.finditer(text):  # "…召开汛期安全工作会议,会议地点设在县应急指挥中心"
        if re.search(BUILDING, m.group("v")):
            return text_item(doc, m.start("v"), m.end("v"))
    for s in sentences(text):
        for m in _IN_SENTENCE.finditer(s.text):
            item = text_item(doc, s.start + m.start("v"), s.start + m.end("v"))
            if item is None:
                continue
            if _AFTERWARDS.match(s.text.strip()):
                continue
            return item
    return None  # a side meeting's room (会后…在X召开) is not the main venue


def place_of(value: str) -> str | None:
    """The place a venue names first: ``竹溪乡政府二楼会议室`` -> 竹溪乡."""
    m = _PLACE.match(value)
    return m.group(0) if m else None


_AGENDA = (
    re.compile(r"(?:审议|审议并原则通过|审议通过|原则通过|讨论通过|表决通过)了?(?P<v>《[^》]{2,50}》)"),
    re.compile(r"会议(?:首先|还|先后)?听取了?(?P<v>[^,，。;；]{2,60}?汇报)"),
    re.compile(r"^议题[一二三四五六七八九十\d]*[:：、]\s*(?P<v>[^\n]{2,60})$", re.M),
)


def agenda(doc: Document) -> list[TextItem]:
    """Agenda items in document order: what the meeting heard, reviewed or studied."""
    found: list[tuple[int, int]] = []
    for pattern in _AGENDA:
        for m in pattern.finditer(doc.text):
            if m.group("v").startswith(("其他", "其它")):
                continue  # "会议还研究了其他事项"
            found.append((m.start("v"), m.end("v")))
    items = [text_item(doc, a, b) for a, b in sorted(found)]
    return [i for i in items if i is not None]
