"""Which meetings a question names: by a quoted term or a long run of a title,
by the kind of meeting when only one document is of that kind, or by its date.

Used to answer "A和B分别…" per meeting. Pure: works on (doc_id, title, dates)
triples with simplified titles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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
        if pos >= 0 and len(holders := [d for d in docs if word in d[1]]) == 1:
            add(holders[0][0], pos, word)
    # A title is named by a common run of 6 or more characters: titles holding none of the
    # question's 6-character runs are passed over in one regex scan each (an archive of
    # 5,000 titles took a Python loop per title and character, #16).
    six = _any_of({question[i : i + 6] for i in range(len(question) - 5)})
    for doc_id, title, dates in docs:
        if six is not None and six.search(title):
            start, common = _longest_common(question, title)
            rest = common
            for g in _GENERIC:
                rest = rest.replace(g, "")
            if len(common) >= 6 and len(rest) >= 4:
                add(doc_id, start, common)
        for d in dates[:1]:
            day = _DAY.match(d)
            if day and (pos := question.find(day.group(0))) >= 0:
                add(doc_id, pos, day.group(0))
    # "全县推进会讲话和交流发言那个区…": a part of the question sharing clearly more
    # of its character pairs with one title than with any other names that meeting.
    for m in re.finditer(r"[^和与及、,，;；?？]+", question):
        part = m.group(0)
        for g in _GENERIC:
            part = part.replace(g, "|")  # 基层党建, 全县: words every meeting may have
        pairs = _any_of({part[i : i + 2] for i in range(len(part) - 1)})
        shared = sorted(
            ((_pairs_in(part, title) if pairs is not None and pairs.search(title) else 0, doc_id)
             for doc_id, title, _ in docs),
            reverse=True,
        )
        if shared and shared[0][0] >= SHARED_PAIRS and (len(shared) < 2 or shared[0][0] > shared[1][0]):
            add(shared[0][1], m.start(), m.group(0))
    return sorted(found.values(), key=lambda m: m.position)


SHARED_PAIRS = 3  # character pairs of a part of a question a title must hold to be named by it
_DAY = re.compile(r"\d{1,2}月\d{1,2}日")


def _any_of(words: set[str]) -> re.Pattern[str] | None:
    """A pattern finding any of ``words`` (None for none)."""
    return re.compile("|".join(map(re.escape, sorted(words)))) if words else None


def _pairs_in(part: str, title: str) -> int:
    return len({part[i : i + 2] for i in range(len(part) - 1) if part[i : i + 2] in title})


# "哪一次会议开了两天", "哪个会为期三天": which meeting lasted N days.
_LASTED = re.compile(r"哪[一个次场些]*[^，,。?？]{0,8}?(?:开了|开|持续了?|为期|历时|会期)\s*([两一二三四五六七八九十]|\d{1,2})\s*天")
_RANGE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?\s*[-—~至到]\s*(?:(\d{1,2})月)?(\d{1,2})日")


def days_asked(question: str) -> int | None:
    """N of "哪一次会议开了N天?" (a question that compares meetings by length), else None."""
    m = _LASTED.search(question)
    return small_number(m.group(1)) if m else None


@lru_cache(maxsize=4096)
def duration_days(date: str) -> int | None:
    """Days a meeting dated ``date`` lasted, counting both ends: ``10月8日-9日`` -> 2,
    ``10月30日至11月1日`` -> 3, a single day -> 1; None when ``date`` is no date.
    Memoised: "哪一次会议开了两天" reads every meeting's date (16 ms for 5,000 uncached;
    an archive's dates repeat, a year has 366 days)."""
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


# "哪一份写了具体年份?是哪一年?": which documents write a year.
_WHICH_DOC = re.compile(r"哪(?:一)?[份篇]|哪(?:一)?个(?:文件|材料|文档)")
_YEAR_ASK = re.compile(r"年份|哪(?:一)?年")
# A year written as such: 2022年, or the year of a full date 2022-09-23 / 2022.9.23.
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\s*年|\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}(?!\d))")


def year_asked(question: str) -> bool:
    """The question asks which document(s) write a year, and which year."""
    return bool(_WHICH_DOC.search(question) and _YEAR_ASK.search(question))


def years_written(text: str) -> list[tuple[int, str]]:
    """Years written in ``text``, as (offset, year), first occurrence of each."""
    out: dict[str, int] = {}
    for m in _YEAR.finditer(text):
        out.setdefault(m.group(1), m.start(1))
    return [(at, year) for year, at in out.items()]


# "A,和B,哪边人多?多几个?": two figures, one per meeting, compared.
_WHICH_MORE = re.compile(r"哪(?:边|方|一方|个|一个|次|一次)[^，,。?？]{0,3}?([多少])")
_HOW_MUCH_MORE = re.compile(r"[多少](?:了)?(?:几|多少)")
_JOIN = re.compile(r"[，,]\s*(?:和|与|跟|同)|(?:和|与|跟|同)")


def compared_parts(question: str) -> tuple[str, str, str] | None:
    """(A, B, 多|少) of "A,和B,哪边人多?多几个?": the two things whose figures the
    question compares; None when it asks no such comparison."""
    m = _WHICH_MORE.search(question)
    if not m or not _HOW_MUCH_MORE.search(question, m.end()):
        return None
    before = question[: m.start()].rstrip("，,、 ")
    joins = list(_JOIN.finditer(before))
    join = next((j for j in joins if j.group(0)[0] in "，,"), joins[0] if len(joins) == 1 else None)
    if join is None:
        return None
    a, b = before[: join.start()].strip("，, "), before[join.end() :].strip("，, ")
    return (a, b, m.group(1)) if len(a) >= 2 and len(b) >= 2 else None


def counted_noun(part: str) -> str:
    """What a part of a comparison counts: the words after its last 的
    (座谈会来的优秀村党组织书记 -> 优秀村党组织书记)."""
    return re.sub(r"[“”\"「」]", "", part.rsplit("的", 1)[-1]).strip()


def named_document(part: str, docs: Sequence[tuple[str, str, Sequence[str]]]) -> str | None:
    """The one document a part of a question names: as ``find_meetings`` does, else the
    one title sharing the longest run (4+ characters, not only generic words) with it."""
    found = find_meetings(part, docs)
    if len(found) == 1:
        return found[0].doc_id
    if found:
        return None
    runs = []
    for doc_id, title, _ in docs:
        common = _longest_common(part, title)[1]
        rest = common
        for g in _GENERIC:
            rest = rest.replace(g, "")
        runs.append((len(common) if len(rest) >= 4 else 0, doc_id))
    runs.sort(reverse=True)
    if not runs or runs[0][0] < 4 or (len(runs) > 1 and runs[1][0] == runs[0][0]):
        return None
    return runs[0][1]
