"""Who did a job a form names in a field: "谁做的记录" from "记录人：田小芳（村文书）".

Minutes, notices and records label their facts ("记录：镇应急办 吴小燕", "联系人：钟XX").
A person question whose asked word is such a label (记录 of 会议记录 / 做的记录 / 记录人)
is answered by the person in that field of the meeting's document, found by the question's
other words, not by the sentence that holds the most of them (a field line holds none).

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

# A field: its label at a line start or after a space or bracket, then a colon.
_FIELD = re.compile(rf"(?:^|(?<=[\s（(；;]))([{CJK}]{{1,5}}?)(?:人|员)?\s*[：:]\s*", re.M)
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
    if intent.kind != "person" or intent.extra.get("people"):
        return None
    for doc_id in dict.fromkeys(p.doc_id for p in passages):
        doc = get_doc(doc_id)
        for m in _FIELD.finditer(doc.text):
            if not _label_asked(m.group(1), intent.keywords):
                continue
            others = [k for k in intent.keywords if not (m.group(1) in k or k in m.group(1))]
            total = sum(weight(k) for k in others) or 1.0
            if others and sum(weight(k) for k in others if k in doc.text) / total < MATCH:
                break  # the field is of another meeting's document
            rest = doc.text[m.end() : m.end() + VALUE_CHARS]
            value = re.split(r"\n|。|；|;|\s{2,}|(?<=\S)\s+(?=[\u4e00-\u9fff]{1,5}[：:])", rest)[0]
            if (at := _person_in(value)) is None:
                continue
            s, e = m.end() + at[0], m.end() + at[1]
            line_start = doc.text.rfind("\n", 0, m.start()) + 1
            line_end = doc.text.find("\n", e)
            line_end = len(doc.text) if line_end < 0 else line_end
            sentence = Sentence(doc, line_start, line_end, 1)
            name = doc.text[s:e]
            answer = _compose(question, [Part(sentence, name, Found(name, s - line_start, e - line_start))])
            answer.strategy = "field"
            return answer
    return None
