"""Typed answer spans inside one sentence: who, how many, when, where, which role,
which clause. Pure functions over simplified text; ``rag.extractive`` picks the
sentence, this module finds the span in it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.question import CJK, ROLE, Intent, dates, numbers, people, places, role_before

TYPED = ("person", "number", "total", "date", "place", "role")

@dataclass
class Found:
    """A typed answer span inside a sentence (offsets relative to the sentence)."""

    text: str
    start: int
    end: int



_SEGMENT = re.compile(r"[、，,；;。：:！？]|和|及")


def _segment(text: str, start: int, end: int) -> str:
    """The enumeration item or clause around a span: 22名软弱涣散村党组织书记."""
    left = max((m.end() for m in _SEGMENT.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in _SEGMENT.finditer(text, end)), len(text))
    return text[left:right]


def _nearest(cands: list[Found], anchors: list[int], text: str = "", words: Sequence[str] = ()) -> Found | None:
    """The candidate whose own clause item shares most keyword characters with the
    question (ties: nearest to a keyword)."""
    if not cands:
        return None

    def key(f: Found) -> tuple[float, float]:
        seg = _segment(text, f.start, f.end) if text else ""
        share = sum(len(w) for w in words if w in seg and w not in f.text)
        dist = min((abs(f.start - a) for a in anchors), default=0)
        return (-share, dist)

    return min(cands, key=key)


def _anchors(text: str, words: Sequence[str]) -> list[int]:
    return [m.start() for w in words if w for m in re.finditer(re.escape(w), text)]


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[，,；;：:]", text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def find_typed(intent: Intent, text: str) -> Found | None:
    """The span of ``text`` that answers an intent of a typed kind, if any."""
    anchors = _anchors(text, [intent.focus or ""] + list(intent.keywords))
    if intent.kind == "person":
        found = people(text)
        cands = [Found(role_before(text, s) + n, s - len(role_before(text, s)), e) for s, e, n in found]
        asked_about = {n for _, _, n in found if n in intent.keywords}
        if intent.focus and intent.focus in text:
            anchors = _anchors(text, [intent.focus])
            # A name is written before its verb: 刘玉杰主持会议.
            before = [f for f in cands if f.end <= min(anchors) + 1]
            cands = before or cands
        # The person the question is about (刘玉杰是…) is not the answer to "who".
        cands = [f for f in cands if not any(f.text.endswith(n) for n in asked_about)]
        if not cands and (m := re.search(rf"经([{CJK}]{{2,8}}?)(?:同意|批准|研究决定|研究)", text)):
            cands = [Found(m.group(1), m.start(1), m.end(1))]  # 经县委同意: who agreed is a body
        if not cands and not intent.extra.get("name"):
            # No name, but a role answers "who": 首先是乡镇党委书记的责任.
            cands = []
            for m in re.finditer(rf"[{CJK}]{{0,4}}?{ROLE}", text):
                role = re.sub(r"^.*?[是为由的对在]", "", m.group(0))
                if len(role) >= 4 and role not in intent.keywords and not any(role in k for k in intent.keywords):
                    cands.append(Found(role, m.end() - len(role), m.end()))
        return _nearest(cands, anchors, text, intent.keywords)
    if intent.kind in ("number", "total"):
        nums = numbers(text)
        cands = [Found(v + u, s, e) for s, e, v, u in nums if u and unit_matches(u, intent.unit)]
        if not cands and not intent.unit:
            cands = [Found(v + u, s, e) for s, e, v, u in nums]
        return _nearest(cands, anchors, text, intent.keywords)
    if intent.kind == "date":
        return _nearest([Found(d, s, e) for s, e, d in dates(text)], anchors)
    if intent.kind == "role":
        # 县委副书记叶崧: the role written right before a name the question mentions.
        for s, _e, name in people(text):
            role = role_before(text, s)
            if role and any(name in k or k in name for k in intent.keywords if len(k) >= 2):
                return Found(role, s - len(role), s)
        return None
    if intent.kind == "place":
        admin = intent.extra.get("admin")
        cands = [
            Found(p, s, e)
            for s, e, p in places(text)
            if not any(p == k for k in intent.keywords) and (not admin or p.endswith(admin))
        ]
        return _nearest(cands, anchors, text, intent.keywords)
    return None


# Counters that count the same thing: 多少人 is answered by 43名.
_SAME_UNIT = {"人": "名", "位": "名", "名": "名"}


def unit_matches(unit: str, asked: str | None) -> bool:
    """Does a figure's unit (余名, 个) answer a question's unit (人, 个)?"""
    if not asked:
        return True
    core = unit.lstrip("余多").rstrip("余多")
    return core == asked or _SAME_UNIT.get(core, core) == _SAME_UNIT.get(asked, asked)


def total_of(intent: Intent, text: str) -> tuple[str, str] | None:
    """Sum the figures of the asked-for unit listed in one sentence: (total, parts)."""
    parts = [(v, u) for _, _, v, u in numbers(text) if u and unit_matches(u, intent.unit)]
    if len(parts) < 2:
        return None
    total = sum(float(v) for v, _ in parts)
    shown = int(total) if float(total).is_integer() else round(total, 2)
    unit = intent.unit or parts[0][1]
    return f"{shown}{unit}", "+".join(v for v, _ in parts)


def best_clause(intent: Intent, text: str, need: str = "", title: str = "") -> tuple[int, int]:
    """The clause holding most keywords (and ``need`` when given). Words of the
    title name the meeting, not the answer, so they do not count here."""
    best, best_score = (0, len(text)), -1.0
    words = [k for k in intent.keywords if k not in title]
    for s, e in _clauses(text):
        clause = text[s:e]
        if need and need not in clause:
            continue
        score = sum(len(k) for k in words if k in clause) + (5 if "、" in clause else 0) * (intent.kind == "list")
        if score > best_score:
            best, best_score = (s, e), score
    return best
