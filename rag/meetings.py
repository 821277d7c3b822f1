"""Which meetings a question names: by a quoted term or a long run of a title,
by the kind of meeting when only one document is of that kind, or by its date.

Used to answer "A和B分别…" per meeting. Pure: works on (doc_id, title, dates)
triples with simplified titles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.lexical import MEETING_WORDS
from rag.question import small_number

# Title words that name no particular meeting.
_GENERIC = ("基层党建", "党建工作", "工作推进", "全市", "全县", "会议", "工作会")


@dataclass(frozen=True)
class Mention:
    doc_id: str
    position: int  # where in the question the meeting is named
    text: str


def _longest_common(a: str, b: str) -> tuple[int, str]:
    """Longest substring of ``a`` that is in ``b``: (start in a, substring)."""
    best = (0, "")
    for i in range(len(a)):
        for j in range(i + len(best[1]) + 1, len(a) + 1):
            if a[i:j] in b:
                if j - i > len(best[1]):
                    best = (i, a[i:j])
            else:
                break
    return best


def find_meetings(question: str, docs: Sequence[tuple[str, str, Sequence[str]]]) -> list[Mention]:
    """Meetings named in ``question``, in the order they are named (one per document)."""
    found: dict[str, Mention] = {}

    def add(doc_id: str, pos: int, text: str) -> None:
        if doc_id not in found or pos < found[doc_id].position:
            found[doc_id] = Mention(doc_id, pos, text)

    for m in re.finditer(r"[“\"「]([^”\"」]{1,20})[”\"」]", question):
        for doc_id, title, _ in docs:
            if m.group(1) in title:
                add(doc_id, m.start(), m.group(1))
    for word in MEETING_WORDS:
        pos = question.find(word)
        holders = [d for d in docs if word in d[1]]
        if pos >= 0 and len(holders) == 1:
            add(holders[0][0], pos, word)
    for doc_id, title, dates in docs:
        start, common = _longest_common(question, title)
        rest = common
        for g in _GENERIC:
            rest = rest.replace(g, "")
        if len(common) >= 6 and len(rest) >= 4:
            add(doc_id, start, common)
        for d in dates[:1]:
            day = re.match(r"\d{1,2}月\d{1,2}日", d)
            if day and (pos := question.find(day.group(0))) >= 0:
                add(doc_id, pos, day.group(0))
    return sorted(found.values(), key=lambda m: m.position)


# "哪一次会议开了两天", "哪个会为期三天": which meeting lasted N days.
_LASTED = re.compile(r"哪[一个次场些]*[^，,。?？]{0,8}?(?:开了|开|持续了?|为期|历时|会期)\s*([两一二三四五六七八九十]|\d{1,2})\s*天")
_RANGE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?\s*[-—~至到]\s*(?:(\d{1,2})月)?(\d{1,2})日")


def days_asked(question: str) -> int | None:
    """N of "哪一次会议开了N天?" (a question that compares meetings by length), else None."""
    m = _LASTED.search(question)
    return small_number(m.group(1)) if m else None


def duration_days(date: str) -> int | None:
    """Days a meeting dated ``date`` lasted, counting both ends: ``10月8日-9日`` -> 2,
    ``10月30日至11月1日`` -> 3, a single day -> 1; None when ``date`` is no date."""
    import datetime as dt

    if m := _RANGE.fullmatch(date.strip()):
        year = int(m.group(1) or 2000)  # 2000 is a leap year: 2月29日 stays valid
        first_month, first_day, last_day = int(m.group(2)), int(m.group(3)), int(m.group(5))
        last_month = int(m.group(4) or first_month)
        try:
            first = dt.date(year, first_month, first_day)
            last = dt.date(year + (last_month < first_month), last_month, last_day)
        except ValueError:
            return None
        days = (last - first).days + 1
        return days if days >= 1 else None
    if re.fullmatch(r"(?:(?:19|20)\d{2}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?", date.strip()):
        return 1
    return None
