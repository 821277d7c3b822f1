"""What a redaction mark hides, read from the characters around it.

A report hides several kinds of facts with the same marks: a name (莫**, 钟XX, 乡长XXX), a
figure (xx万元, 电话68xxxxx), a day (1月**日) or a place (XX镇). A question asks for one
kind; a mark of another kind in the same sentence does not hide its answer ("会前旁听庭审在
什么地方" of "在县人民法院第一审判庭旁听了…局长莫**涉嫌受贿一案的庭审": the place is written,
only the defendant's name is hidden).
"""

from __future__ import annotations

import re

from rag.zh.kinds import BODY_ENDINGS, ITEM_KINDS
from rag.zh.names import SURNAMES, TITLE_POST

# Kinds a mark can hide.
PERSON, FIGURE, DAY, PLACE, UNKNOWN = "person", "figure", "day", "place", "unknown"

_DAY_AFTER = re.compile(r"\s*(?:年|月|日|号|时|点)")
# The counters a hidden figure is written with (rag.question.UNITS reads questions and sits above
# this layer; rag/zh imports nothing from the engine).
_FIGURE_AFTER = re.compile(
    r"\s*(?:\.\d+)?(?:余|多)?(?:万元|亿元|万亩|平方米|公里|千米|万|亿|元|%|％|人|名|个|家|处|户|项|件|次|亩|米|吨|台|套|座|岁|天"
    r"|分钟|小时|起|条|间|栋|辆|位|批|期|倍)"
)
_DIGITS = re.compile(r"[\d.]$")
_PLACE_AFTER = re.compile(rf"(?:{'|'.join(sorted(set('|'.join(ITEM_KINDS.values()).split('|')), key=len, reverse=True))}|{BODY_ENDINGS}|小区|路|街|组|屯)")
_POST_BEFORE = re.compile(rf"(?:{TITLE_POST}|主席|经理|董事长|委员)\s*$")


def masked_kind(text: str, start: int, end: int) -> str:
    """The kind of fact the mark ``text[start:end]`` hides: person, figure, day, place or
    unknown (a mark with no telling neighbour)."""
    after, before = text[end:], text[:start]
    if _DAY_AFTER.match(after):
        return DAY
    if _FIGURE_AFTER.match(after) or _DIGITS.search(before) or re.match(r"\d", after):
        return FIGURE
    if _PLACE_AFTER.match(after):
        return PLACE
    if _POST_BEFORE.search(before) or (before and before[-1] in SURNAMES) or after.startswith("同志"):
        return PERSON
    return UNKNOWN


# The kinds of a question (Intent.kind) and the masks that can hide its answer.
_HIDES = {
    "person": {PERSON}, "role": {PERSON},
    "number": {FIGURE}, "total": {FIGURE},
    "date": {DAY}, "time": {DAY},
    "place": {PLACE},
    "list": {PERSON, PLACE},
}


def hides_answer(kind: str, text: str, start: int, end: int) -> bool:
    """The mark at ``text[start:end]`` may hide the answer to a question of ``kind``. A mark
    whose kind is not told hides anything; a question of no typed kind is hidden by any mark."""
    wanted = _HIDES.get(kind)
    if wanted is None:
        return True
    found = masked_kind(text, start, end)
    return found == UNKNOWN or found in wanted
