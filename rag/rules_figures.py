"""Figures and redactions by rule.

A figure is Arabic digits with a measure word: ``18名``, ``70余个``, ``97.14%``,
``15分钟``. What it counts is read from the same clause: the words after it
(``43名乡镇领导…``) or, when it closes the clause, the words before it
(``成立“一亲三心”工作队70个``). Dates, years and numbers in quotation marks
(``“1331”``) are names, not figures.

A redaction is an ``XX`` or ``*`` the source put in place of something; its kind
says what is missing, judged from the next word (``*期`` a figure, ``*书记`` a
name, ``前往*`` a place).

Left out on purpose: Chinese numerals (``三级``, ``一张网``), which in these
reports are nearly always part of a slogan.
"""

from __future__ import annotations

import re
from typing import Literal

from rag.cleaning import find_redactions
from rag.evidence import span, trim
from rag.rules_text import CLAUSE_END, pos_tags, strip_leading_filler
from rag.summary_schema import Figure, Redaction
from rag.types import Document

UNITS = (
    "万元|亿元|平方米|公里|千米|分钟|小时|余人|名|个|人|家|件|项|次|期|支|元|万|亿|亩|户|所|条|场|篇|位|批|处|座"
    "|台|辆|吨|斤|天|年|倍|套|间|份|张|本|头|只|株|棵|%|％"
)
_FIGURE = re.compile(rf"(?<![\d.\-/年月])(?P<value>\d+(?:\.\d+)?(?:余|多)?)(?P<unit>{UNITS})(?P<more>以上|以下|左右)?")
_DATE_LIKE = re.compile(r"(?:19|20)\d{2}[-/.年]|\d{1,2}月\d{1,2}日|\d{1,2}[日月]")
_STOP_FORWARD = re.compile(r"出席|参加|作了|作|等|[、和及]")
_MEASURE_AFTER = re.compile(rf"^(?:余|多)?(?:{UNITS})")


def _about(text: str, clause_start: int, clause_end: int, num_start: int, num_end: int) -> tuple[int, int] | None:
    """The words a figure counts: after it when it leads a phrase, else before it."""
    after = text[num_end:clause_end]
    if after:
        stop = _STOP_FORWARD.search(after)
        a = num_end + (1 if after.startswith("的") else 0)
        b = num_end + (stop.start() if stop and stop.start() > 0 else len(after))
        return (a, b) if b - a >= 2 else None
    before = text[clause_start:num_start]
    if not before:
        return None
    a = clause_start + strip_leading_filler(before)
    return (a, num_start) if num_start - a >= 2 else None


def figures(doc: Document) -> list[Figure]:
    """Every quantity written in Arabic digits, with what it counts."""
    text = doc.text
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        if m.group("unit") == "年" and len(m.group("value")) == 4:
            continue  # 2022年: a year
        if _DATE_LIKE.match(text, m.start()) or text[max(0, m.start() - 1) : m.start()] in ("“", "第"):
            continue
        c0 = max((text.rfind(p, 0, m.start()) for p in CLAUSE_END), default=-1) + 1
        ends = [i for i in (text.find(p, m.end()) for p in CLAUSE_END) if i >= 0]
        c1 = min(ends) if ends else len(text)
        about = _about(text, c0, c1, m.start(), m.end())
        value = m.group("value") + (m.group("more") or "")
        if about is None:
            out.append(Figure(value=value, unit=m.group("unit"), about=None, evidence=span(doc, m.start(), m.end())))
            continue
        a, b = trim(text, *about)
        if a >= b:
            out.append(Figure(value=value, unit=m.group("unit"), about=None, evidence=span(doc, m.start(), m.end())))
            continue
        out.append(Figure(value=value, unit=m.group("unit"), about=text[a:b],
                          evidence=span(doc, min(a, m.start()), max(b, m.end()))))
    return out


_NAME_AFTER = re.compile(r"^(?:书记|同志|主任|县长|市长|部长|关于|强调|指出|重要|讲话|牌|乡镇|单位|等)")
_PLACE_BEFORE = re.compile(r"(?:前往|到|赴|在|来自)$")


def _kind(text: str, start: int, end: int) -> Literal["name", "figure", "place", "text"]:
    after, before = text[end : end + 4], text[max(0, start - 2) : start]
    if _MEASURE_AFTER.match(after):
        return "figure"
    if _PLACE_BEFORE.search(before):
        return "place"
    if _NAME_AFTER.match(after) or "、" in text[start:end]:
        return "name"
    return "text"


def redactions(doc: Document) -> list[Redaction]:
    """Each ``XX``/``*`` (a run like ``*、*、*`` counts once), with a few words around it.

    The same mark between the same words (``党的XX胜利召开`` twice) is listed once.
    """
    text = doc.text
    marks = find_redactions(text)
    runs: list[list[int]] = []
    for a, b in marks:
        if runs and text[runs[-1][1] : a] == "、":
            runs[-1][1] = b
        else:
            runs.append([a, b])
    out = []
    seen: set[tuple[str, str, str]] = set()
    for a, b in runs:
        key = (text[a:b], text[max(0, a - 2) : a], text[b : b + 2])
        if key in seen:
            continue
        seen.add(key)
        left, right = _window(text, a, b)
        out.append(Redaction(mark=doc.display[a:b], kind=_kind(text, a, b), evidence=span(doc, left, right)))
    return out


def _window(text: str, a: int, b: int) -> tuple[int, int]:
    """A few whole words either side of ``[a, b)`` within its clause: ``举办*期专题培训班``."""
    c0 = max(text.rfind(p, 0, a) for p in CLAUSE_END) + 1
    ends = [i for i in (text.find(p, b) for p in CLAUSE_END) if i >= 0]
    c1 = min(ends) if ends else len(text)
    left = a
    if a - c0 <= 4:
        left = c0
    else:
        for word, _ in reversed(pos_tags(text[c0:a])):
            if a - left >= 2 or a - left + len(word) > 6:
                break
            left -= len(word)
    right = b
    if c1 - b <= 8:
        right = c1
    else:
        for word, _ in pos_tags(text[b:c1]):
            if right - b >= 3 or right - b + len(word) > 8:
                break
            right += len(word)
    if left > c0 and text[left - 1] == "“" and "”" in text[b:right]:
        left -= 1  # keep a quotation whole: “XX”
    if right < c1 and text[right] == "”" and "“" in text[left:a]:
        right += 1
    return left, right
