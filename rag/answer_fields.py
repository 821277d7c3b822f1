"""Who did a job a form names in a field: "谁做的记录" from "记录人：田小芳（村文书）".

Minutes, notices and records label their facts ("记录：镇应急办 吴小燕", "联系人：钟XX").
A person question whose asked word is such a label (记录 of 会议记录 / 做的记录 / 记录人)
is answered by the person in that field of the meeting's document, found by the question's
other words, not by the sentence that holds the most of them (a field line holds none).

A news report's byline is read the same way (（记者冉秋实 通讯员谭文锋）: 哪位记者报道的).

Left out on purpose: fields the frame already reads (主持, 时间, 地点, 参会人员), and fields
with no person in them (the answer must be a name the field writes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.extract_core import Part, Sentence, _compose
from rag.question import CJK, Intent, people
from rag.spans import Found
from rag.types import Answer, Document, Passage
from rag.zh.names import SURNAMES
from rag.zh.predicates import written_meeting

# A field: its label at a line start or after a space or bracket, then a colon.
_FIELD = re.compile(rf"(?:^|(?<=[\s（(；;]))([{CJK}]{{1,5}}?)(?:人|员)?\s*[：:]\s*", re.M)
# A news report's byline labels its people without a colon: （记者冉秋实 通讯员谭文锋）.
_BYLINE_LABELS = "特约记者|见习记者|记者|通讯员|摄影|责任编辑|编辑|撰稿|作者"
_BYLINE = re.compile(rf"({_BYLINE_LABELS})\s*[：:]?\s*")
BYLINE_REACH = 30  # characters from a byline's opening bracket to its last label


def _in_byline(text: str, at: int) -> bool:
    """The label at ``at`` is inside a bracketed byline: （记者韦立群通讯员陶晓安）."""
    before = text[max(0, at - BYLINE_REACH) : at]
    opened = max(before.rfind("（"), before.rfind("("))
    return opened >= 0 and not re.search(r"[）)\n。]", before[opened:])
# What the user calls the document itself (这篇报道是谁写的): no document writes it of itself.
_GENRES = frozenset(("报道", "文章", "稿子", "新闻", "消息", "稿件"))
_OWN_FIELDS = frozenset(("主持", "时间", "地点", "参会", "出席", "列席", "缺席", "议题", "内容", "会议", "发布", "来源"))
VALUE_CHARS = 24  # a field's value ends at the next field, line or sentence, or after this many
MATCH = 0.75  # share of the question's other words (by weight) the document must write


def _label_asked(label: str, keywords: Sequence[str]) -> bool:
    return label not in _OWN_FIELDS and any(len(k) >= 2 and (label in k or k in label) for k in keywords)


def _person_in(value: str) -> tuple[int, int] | None:
    """The name a field's value writes: a tagged name, or the last run of two or three
    characters after the unit (镇应急办 吴小燕; 乡党建办罗小燕)."""
    found = people(value)
    if found:
        s, e, _ = found[0]
        return s, e
    m = re.search(rf"(?:^|\s|办|站|局|部|委|所|中心|组|室)([{CJK}]{{2,3}})(?=\s*(?:[（(]|$))", value)
    if m is None or m.group(1)[0] not in SURNAMES or m.group(1)[-1] in "办站局部委所室组会村镇乡县":
        return None
    return m.start(1), m.end(1)


def answer_field(question: str, intent: Intent, passages: Sequence[Passage], get_doc: Callable[[str], Document],
                 weight: Callable[[str], float]) -> Answer | None:
    """The person in the field the question asks about, of the best-ranked document that
    writes the question's other words; None when no such field names one."""
    listed = intent.kind == "list" and bool(intent.extra.get("items"))  # 哪两个通讯员
    if intent.kind != "person" and not listed or intent.extra.get("people"):
        return None
    several = listed or bool(intent.extra.get("many"))
    for doc_id in dict.fromkeys(p.doc_id for p in passages):
        doc = get_doc(doc_id)
        bylines = [m for m in _BYLINE.finditer(doc.text) if _in_byline(doc.text, m.start())]
        fields = sorted([*_FIELD.finditer(doc.text), *bylines], key=lambda m: m.start())
        for m in fields:
            if not _label_asked(m.group(1), intent.keywords):
                continue
            if listed and m.group(1) not in intent.extra["items"][1]:
                continue  # 哪两个通讯员 lists the people of that label only (not 会议记录's议题)
            others = [k for k in intent.keywords if not (m.group(1) in k or k in m.group(1)) and k not in _GENRES]
            total = sum(weight(k) for k in others) or 1.0
            if others and sum(weight(k) for k in others if written_meeting(k, doc.text)) / total < MATCH:
                break  # the field is of another meeting's document
            rest = doc.text[m.end() : m.end() + VALUE_CHARS]
            value = re.split(rf"\n|。|；|;|[）)]|\s{{2,}}|(?<=\S)\s+(?=[\u4e00-\u9fff]{{1,5}}[：:])|{_BYLINE_LABELS}", rest)[0]
            if (at := _person_in(value)) is None:
                continue
            if several and len(listed_names := people(value)) > 1:
                at = (listed_names[0][0], listed_names[-1][1])  # 通讯员郑晓岚何一帆: the names it lists
            s, e = m.end() + at[0], m.end() + at[1]
            line_start = doc.text.rfind("\n", 0, m.start()) + 1
            line_end = doc.text.find("\n", e)
            line_end = len(doc.text) if line_end < 0 else line_end
            sentence = Sentence(doc, line_start, line_end, 1)
            span = doc.text[s:e]
            names = [n for _, _, n in people(span)] if several else []
            direct = "、".join(names) if len(names) > 1 else span
            answer = _compose(question, [Part(sentence, direct, Found(span, s - line_start, e - line_start))])
            answer.strategy = "field"
            return answer
    return None
