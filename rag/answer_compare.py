"""Meetings compared on one slot of their frames: which was held first, which had more people.

"茶园镇的调度会和全县森林防灭火调度会,哪个开得早?" names two (or more) meetings and asks
to compare them on a fact each meeting frame holds. The question is read in two halves:

1. ``compared``: the meetings named before the asking clause (split at 和 / 与 / 、 / 及)
   and what is compared: the date (早 / 先 / 晚 / 后) or the attendance (多 / 少 with a
   word of attending or of people);
2. each named meeting is found by the pipeline (its words written in one document), and
   the frames' values are compared: dates only when both carry a year (the meeting's own
   or the page's publication year), head counts as the frame reads them (160余 -> 160).

The answer leads with the verdict and gives each meeting's value cited where it is
written; when the values cannot be compared (a year missing, a count not stated) it
gives what is written and says why there is no verdict, rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.answer_frame import _SLOT_WORDS, Slot, SlotQuestion, meeting_match, opening, slot_value
from rag.extract_core import Part, _composed
from rag.question import analyse, places
from rag.render import answered
from rag.summary_schema import MeetingSummary
from rag.types import Answer, Cited, Document, Layout
from rag.zh.predicates import written_close

_ASKING = re.compile(r"[，,]?\s*(?:这[两三四]个|这[两三四]次|两者|二者)?(?:中)?(?:哪个|哪一个|哪次|哪一次|哪场|哪一场|哪边|谁)")
_WHICH = re.compile(
    r"(?:哪个|哪一个|哪次|哪一次|哪场|哪一场|哪边)[^，,。?？]{0,10}?"
    r"(?P<word>最早|更早|早|先|最晚|更晚|晚|后|最多|更多|多|最少|更少|少)"
)
_SPLIT = re.compile(r"和|与|跟|以及|及|、|还是")
_ATTEND = re.compile(r"人|参会|参加|出席|到会|与会|来的")
_EARLY = frozenset(("最早", "更早", "早", "先"))
_LATE = frozenset(("最晚", "更晚", "晚", "后"))


@dataclass(frozen=True)
class Compared:
    parts: tuple[str, ...]  # the words naming each meeting
    slot: Slot  # DATE or ATTENDANCE
    word: str  # 早 / 晚 / 多 / 少 (the direction asked)


def compared(question: str) -> Compared | None:
    """The meetings a "哪个更早/人更多" question names and what it compares; None otherwise."""
    m = _WHICH.search(question)
    ask = _ASKING.search(question)
    if not m or not ask or ask.start() > m.start():
        return None
    word = m.group("word")
    if word in _EARLY or word in _LATE:
        slot, direction = Slot.DATE, "早" if word in _EARLY else "晚"
    elif _ATTEND.search(question[ask.start():]):
        slot, direction = Slot.ATTENDANCE, "多" if "多" in word else "少"
    else:
        return None
    parts = tuple(p.strip("，, 的") for p in _split_meetings(question[: ask.start()]))
    parts = tuple(p for p in parts if len(p) >= 4)
    return Compared(parts, slot, direction) if len(parts) >= 2 else None


def _split_meetings(text: str) -> list[str]:
    """``text`` split at the words joining the meetings it names (和, 与, 、 …), but not inside
    a place's name (锦和镇, 和平乡)."""
    inside = [(a, e) for a, e, p in places(text) if len(p) >= 3]
    cuts = [m for m in _SPLIT.finditer(text) if not any(a <= m.start() < e for a, e in inside)]
    out, pos = [], 0
    for m in cuts:
        out.append(text[pos : m.start()])
        pos = m.end()
    return [*out, text[pos:]]


def _year_of(frame: MeetingSummary, value: str) -> int | None:
    if m := re.match(r"((?:19|20)\d{2})", value):
        return int(m.group(1))
    for d in frame.dates:
        if d.kind != "meeting" and (m := re.match(r"((?:19|20)\d{2})", d.value)):
            return int(m.group(1))  # the page's publication year dates a meeting written without one
    return None


def _date_key(frame: MeetingSummary, value: str) -> tuple[int, int, int] | None:
    year = _year_of(frame, value)
    m = re.search(r"(\d{1,2})\s*[月/.-]\s*(\d{1,2})", re.sub(r"^(?:19|20)\d{2}\s*[年/.-]\s*", "", value))
    if year is None or m is None:
        return None
    return year, int(m.group(1)), int(m.group(2))


def _count(part: Part) -> int | None:
    m = re.match(r"(\d+)", part.direct)
    return int(m.group(1)) if m else None


def answer_compare(question: str, asked: Compared, sides: Sequence[tuple[Document, MeetingSummary, str]]) -> Answer | None:
    """Compare the frames of ``sides`` (document, frame, short name) on ``asked.slot``."""
    sq = SlotQuestion(asked.slot, ())
    parts: list[Part] = []
    keys: list[tuple[int, ...] | None] = []
    for rank, (doc, frame, _) in enumerate(sides, start=1):
        part = slot_value(sq, frame, doc, rank)
        if part is None:
            return None  # a meeting that does not state it: no comparison to give
        parts.append(part)
        if asked.slot is Slot.DATE:
            keys.append(_date_key(frame, part.direct))
        else:
            count = _count(part)
            keys.append(None if count is None else (count,))
    claims, shown, citations = _composed(parts)
    values = [Cited(f"{name}：{c.text}", c.cites) for (_, _, name), c in zip(sides, claims, strict=True)]
    every = tuple(range(1, len(parts) + 1))
    if any(k is None for k in keys):
        why = "文中未写年份" if asked.slot is Slot.DATE else "人数未写明"
        verdict = Cited(f"无法比较（{why}）", every)
    else:
        pick = min if asked.word in ("早", "少") else max
        best = pick(range(len(keys)), key=lambda i: keys[i])  # type: ignore[arg-type, return-value]
        if sum(k == keys[best] for k in keys) > 1:
            verdict = Cited("同一天召开" if asked.slot is Slot.DATE else "人数相同", every)
        else:
            what = {"早": "召开得更早", "晚": "召开得更晚", "多": "参会人数更多", "少": "参会人数更少"}[asked.word]
            verdict = Cited(f"{sides[best][2]}{what}", every)
    # The verdict leads; each meeting's value follows it, named: "甲更早[1][2]：甲：3月1日[1]；乙：…".
    layout = Layout((verdict, replace(values[0], after="："), *values[1:]), tuple(shown))
    return answered(question, layout, citations, strategy=f"compare:{asked.slot.value}")


FOUND = 0.6  # idf share of a part's words the document must write to be the meeting it names
MARGIN = 0.1  # and by how much more than any other retrieved document


def find_meeting(part: str, ranked: Sequence[Document], frame_of, weight) -> Document | None:  # type: ignore[no-untyped-def]
    """The one document among ``ranked`` (retrieved for ``part``) that writes the words
    naming the meeting clearly more than the others; None when none or two fit."""
    # Place names whole (韩村镇, which the word splitter may cut into 韩 / 村镇).
    named = [p for _, _, p in places(part) if len(p) >= 3]
    words = tuple(dict.fromkeys([*named, *(k for k in analyse(part).keywords if k not in _SLOT_WORDS)]))
    if not words:
        return None
    sq = SlotQuestion(Slot.DATE, words)

    def in_title(d: Document) -> float:
        frame = frame_of(d)
        title = (frame.title.value if frame.title else "") + "\n" + d.title + "\n" + opening(d)
        total = sum(weight(w) for w in words) or 1.0
        return sum(weight(w) for w in words if written_close(w, title)) / total

    scored = sorted(((meeting_match(sq, d, frame_of(d), weight), in_title(d), n, d) for n, d in enumerate(ranked)),
                    key=lambda t: (-t[0], -t[1], t[2]))
    if not scored or scored[0][0] < FOUND:
        return None
    rivals = [t for t in scored[1:] if t[0] > scored[0][0] - MARGIN]
    # Two documents write the words: the one whose title and opening name the meeting.
    if any(t[1] > scored[0][1] - MARGIN for t in rivals):
        return None
    return scored[0][3]


def short_name(doc: Document, frame: MeetingSummary, part: str) -> str:
    """How the answer names a meeting: as the question did (its own words), else its title."""
    return part if len(part) <= 30 else (frame.title.value if frame.title else doc.title)


_EACH = re.compile(r"[，,]|分别|各自|各是|各有|都有|都是|都")


def named_parts(question: str) -> tuple[str, ...]:
    """The words naming each meeting of "A和B分别是谁主持的" / "A、B都有…,分别是谁"."""
    m = _EACH.search(question)
    if m is None:
        return ()
    parts = tuple(p.strip("，, 的") for p in _split_meetings(question[: m.start()]))
    return tuple(p for p in parts if len(p) >= 4) if len(parts) >= 2 else ()
