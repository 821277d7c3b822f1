"""Answers about the meetings themselves, across documents: a meeting's own date,
the days between two meetings, which meetings lasted N days, which documents write
a year, and which of two documents' figures is larger and by how much.

Separate from ``rag.extractive`` because these read documents' metadata or one
figure per document, chosen by ``rag.pipeline`` (or by the engine for a date the
best sentence does not hold), rather than scoring retrieved sentences.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.chunking import split_sentences
from rag.cleaning import to_simplified
from rag.extract_core import _sentence_at
from rag.question import numbers
from rag.render import Refusal, answered, layout_of, merge_answers, refused
from rag.types import Answer, Citation, Cited, Document, Layout, Shown

# A question over every meeting ("哪一次会议开了两天") lists at most this many: a synthetic
# archive of 5,000 documents has 927 two-day meetings, a 129,000-character answer no one
# reads (and 250-415 ms to write). The rest are counted, not listed.
MEETINGS_LISTED = 10
_DAYS_WORD = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def sentence_around(doc: Document, pos: int) -> tuple[int, int]:
    """The sentence of ``doc`` holding offset ``pos`` (``(pos, pos)`` when none does), as
    ``split_sentences`` of the whole text gives it, splitting only ``pos``'s line: a line
    break always ends a sentence and resets the splitter's state, so the line alone
    splits the same (the break is kept, so a line's trailing spaces stay too). A
    document's first date is in its first lines; its whole text is ~2,500 characters."""
    text = doc.text
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:] if end < 0 else text[start : end + 1]
    return next(((start + s, start + e) for s, e in split_sentences(line) if s <= pos - start < e), (pos, pos))


def _meeting_date(question: str, doc: Document, named: bool = False) -> Answer:
    """The meeting's own date (first date in the document), cited where it is written;
    ``named``: lead with the meeting's title, ``标题（日期）``."""
    date = doc.dates[0]
    pos = doc.text.find(date)
    s, e = sentence_around(doc, pos)
    if s == e:
        s, e = pos, pos + len(date)
    quote = doc.quote(s, e)
    said = f"{to_simplified(doc.title)}（{date}）" if named else date
    return answered(question, Layout((Cited(said, (1,)),), (Shown(1, quote, pos - s, pos - s + len(date)),)),
                    [Citation(1, doc.doc_id, doc.title, s, e, quote)])


def _month_day(date: str) -> tuple[int, int] | None:
    m = re.search(r"(\d{1,2})月(\d{1,2})日", date)
    return (int(m.group(1)), int(m.group(2))) if m else None


def days_apart(question: str, docs: Sequence[Document]) -> Answer:
    """Days between two meetings' dates (same year assumed), each date cited."""
    import datetime as dt

    days = [_month_day(d.dates[0]) if d.dates else None for d in docs]
    if any(x is None for x in days):
        return refused(question, Refusal.NOT_FOUND)
    (m1, d1), (m2, d2) = days  # type: ignore[misc]
    delta = abs((dt.date(2000, m2, d2) - dt.date(2000, m1, d1)).days)
    answers = [_meeting_date(question, d) for d in docs]
    merged = merge_answers(question, answers)
    head = Cited(f"相隔{delta}天（{docs[0].dates[0]}、{docs[1].dates[0]}）", (1, 2))
    # The dates' own claims give way to the difference; their 原文 lines stay.
    return answered(question, Layout((head,), layout_of(merged).lines), merged.citations)


def meetings_lasting(question: str, docs: Sequence[Document], days: int, also: int = 0) -> Answer | None:
    """"哪一次会议开了两天": the meetings whose own date (the first in the document)
    spans ``days`` days (10月8日-9日), each named with its date and cited where the
    date is written. None when no meeting's date says so.

    At most ``MEETINGS_LISTED`` are listed, in the order given; a line after them says
    how many more there are (those of ``docs`` past the cap, plus ``also``: meetings that
    qualify but the caller did not load) and how to narrow the question. That line is
    about the archive, not a passage, so it cites nothing."""
    from rag.meetings import duration_days

    lasting = [d for d in docs if d.dates and duration_days(d.dates[0]) == days]
    if not lasting:
        return None
    merged = merge_answers(question, [_meeting_date(question, d, named=True) for d in lasting[:MEETINGS_LISTED]])
    more = len(lasting[MEETINGS_LISTED:]) + max(0, also)
    if not more:
        return merged
    note = (f"另有{more}次会议也开了{_DAYS_WORD.get(days, str(days))}天，未逐一列出；"
            "写明会议名称、月份或地点再问，可缩小范围。")
    listed = layout_of(merged)
    return answered(question, Layout(listed.claims, (note, *listed.lines)), merged.citations)


def documents_with_years(question: str, docs: Sequence[Document]) -> Answer | None:
    """"哪一份写了具体年份?是哪一年?": each document that writes a year, named by its
    title with the year, cited where the year is written. None when no document does."""
    from rag.meetings import years_written

    answers = []
    for doc in docs:
        found = years_written(doc.text)
        if not found:
            continue
        pos = found[0][0]
        s, e = sentence_around(doc, pos)
        if s == e:
            s, e = pos, min(len(doc.text), pos + 20)
        quote = doc.quote(s, e)
        years = "、".join(y for _, y in found)
        citations = [Citation(1, doc.doc_id, doc.title, s, e, quote)]
        layout = Layout((Cited(f"{to_simplified(doc.title)}：{years}", (1,)),), (Shown(1, quote, pos - s, pos - s + 4),))
        answers.append(answered(question, layout, citations))
    return merge_answers(question, answers) if answers else None


def _figure_of(doc: Document, noun: str) -> tuple[int, int, str, str] | None:
    """The one figure of ``doc`` counted with ``noun`` (every word of the noun in the
    figure's own enumeration item or clause), in document offsets; None when no figure,
    or figures of different values, are so written."""
    from rag.spans import _part_words, _segment

    words = _part_words(noun) or [noun]
    found = []
    for s, e in split_sentences(doc.text):
        text = doc.text[s:e]
        for a, b, value, unit in numbers(text):
            if unit and unit not in ("%", "％") and all(w in _segment(text, a, b) for w in words):
                found.append((s + a, s + b, value, unit))
    return found[0] if found and len({f[2] for f in found}) == 1 else None


def compare_figures(question: str, sides: Sequence[tuple[Document, str]], word: str) -> Answer | None:
    """"A和B哪边多?多几个?": the figure of each side (a noun counted in one document),
    each cited, and the difference written with both figures so the guard can check it.
    None unless both figures are found, in the same kind of unit."""
    from rag.spans import unit_matches

    if len(sides) != 2:
        return None
    first, second = _figure_of(*sides[0]), _figure_of(*sides[1])
    if first is None or second is None:
        return None
    figures = [first, second]
    (_, _, av, au), (_, _, bv, bu) = figures
    if not unit_matches(au, bu) or float(av) == float(bv):
        return None
    citations, shown = [], []
    for n, ((doc, _), (start, end, _, _)) in enumerate(zip(sides, figures, strict=True), start=1):
        s, e = _sentence_at(doc, start)
        quote = doc.quote(s, e)
        citations.append(Citation(n, doc.doc_id, doc.title, s, e, quote))
        shown.append(Shown(n, quote, start - s, end - s))
    (more_noun, more, less) = (sides[0][1], av, bv) if float(av) > float(bv) else (sides[1][1], bv, av)
    if word == "少":
        more_noun = sides[1][1] if more_noun == sides[0][1] else sides[0][1]
    value = float(more) - float(less)
    difference = str(int(value)) if value.is_integer() else f"{value:g}"
    claims = (Cited(f"{sides[0][1]}{av}{au}", (1,)), Cited(f"{sides[1][1]}{bv}{bu}", (2,)),
              Cited(f"{more_noun}{word}{difference}{au.lstrip('余多')}（{more}-{less}）", (1, 2)))
    return answered(question, Layout(claims, tuple(shown)), citations)
