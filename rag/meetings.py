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
