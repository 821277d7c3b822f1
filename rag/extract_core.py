"""The pieces every part of the extractive engine shares: the sentence it answers
from (``Sentence``), one answered piece (``Part``), the keyword coverage that scores a
sentence, and the cited answer built from them (``_compose``; its text is written by
``rag.render``).

Kept apart so that data flows one way: ``rag.extractive`` (pick and extract, and the
dispatch) calls ``rag.answer_lists``, ``rag.answer_people``, ``rag.answer_totals`` and
``rag.answer_meetings``, and all of them import these primitives from here, never from
``rag.extractive``, so there is no import cycle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.chunking import split_sentences
from rag.question import FRAME_CHARS, Intent
from rag.render import answered, trim
from rag.spans import CLAUSE_MARK, Found
from rag.types import Answer, Citation, Cited, Document, Layout, Shown
from rag.zh.numbering import numbering
from rag.zh.predicates import written

MIN_COVERAGE = 0.5  # share of keyword weight a sentence must hold to answer from it


@dataclass
class Sentence:
    doc: Document
    start: int
    end: int
    rank: int
    coverage: float = 0.0

    @property
    def text(self) -> str:
        return self.doc.text[self.start : self.end]


def coverage(
    keywords: Sequence[str],
    text: str,
    weight: Callable[[str], float],
    quoted: Sequence[str] = (),
    title: str = "",
) -> float:
    """Share of keyword weight present in ``text``.

    A word of the document's title counts as present (questions name the
    meeting: "座谈会一共有多少名书记出席?" is answered by a sentence that
    does not repeat 座谈会). A word whose characters are all present but
    apart earns half (参会 ~ 参加会议).
    """
    total = got = 0.0
    for k in keywords:
        w = weight(k)
        total += w
        if k in text or (len(k) >= 2 and k in title) or (len(k) >= 2 and written(k, text)):
            got += w  # 参加 is written 出席, 召开 举行: the same act in other words
        elif len(k) >= 2 and re.search(".{0,3}".join(map(re.escape, k)), text):
            got += 0.5 * w  # its characters in order, close together
    score = got / total if total else 0.0
    if quoted and not all(q in text or q in title for q in quoted):
        score *= 0.5  # a quoted term is the subject of the question: it must be there
    return score


@dataclass
class Part:
    """One answered piece: the direct span and the sentence it came from."""

    sentence: Sentence
    direct: str
    found: Found | None


def _weight(intent: Intent, idf: Callable[[str], float]) -> Callable[[str], float]:
    max_idf = max((idf(k) for k in intent.keywords), default=1.0) or 1.0

    def weight(k: str) -> float:
        w = idf(k)
        if w <= 0 and len(k) == 2 and k[0] in FRAME_CHARS:
            return 0.0  # 说村 of "讲话说村集体经济": the question's verb glued to a word
        # Unseen words weigh the most: a question about 经费 is not answered by 会议 alone.
        return w if w > 0 else max(max_idf, 3.0)

    return weight


def _clause_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in CLAUSE_MARK.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    return [*spans, (start, len(text) + 1)]


def _sentence_at(doc: Document, pos: int) -> tuple[int, int]:
    return next(((s, e) for s, e in split_sentences(doc.text) if s <= pos < e), (pos, pos))


def _composed(parts: Sequence[Part]) -> tuple[list[Cited], list[Shown], list[Citation]]:
    """The pieces of ``_compose``'s answer: a cited claim per part, the quotes shown on
    their own 原文 lines, and the citations (part k cites its sentence as [k])."""
    claims: list[Cited] = []
    shown: list[Shown] = []
    citations: list[Citation] = []
    for n, p in enumerate(parts, start=1):
        s = p.sentence
        quote = s.doc.quote(s.start, s.end)
        citations.append(Citation(n, s.doc.doc_id, s.doc.title, s.start, s.end, quote))
        quoted = Shown(n, quote, p.found.start if p.found else 0, p.found.end if p.found else 0)
        if p.direct and p.direct != s.text:
            claims.append(Cited(p.direct, (n,)))
            shown.append(quoted)
        else:
            claims.append(Cited(trim(quote, quoted.start, quoted.end), (n,)))  # the sentence is the answer
    return claims, shown, citations


def _compose(question: str, parts: list[Part]) -> Answer:
    """Each part's direct answer cited (joined by "；"), and the sentence it came from."""
    claims, shown, citations = _composed(parts)
    return answered(question, Layout(tuple(claims), tuple(shown)), citations)


SECTION_REACH = 8  # lines back to the heading of the section a line sits in
SECTION_CHARS = 24  # a heading line is this short


def section_heading(doc: Document, at: int) -> tuple[int, str]:
    """The heading of the section holding offset ``at`` and its offset: the nearest earlier
    short line of another numbering than the line of ``at`` (四,参会人员 over (三)韩村镇、柳湖镇 …),
    or a short line ending with a colon; (-1, "") when none is within ``SECTION_REACH`` lines."""
    text = doc.text
    start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    own = numbering(text[start : len(text) if line_end < 0 else line_end].strip())
    end = start - 1
    for _ in range(SECTION_REACH):
        if end <= 0:
            break
        begin = text.rfind("\n", 0, end) + 1
        line = text[begin:end].strip()
        end = begin - 1
        if not line or len(line) > SECTION_CHARS:
            continue
        mark = numbering(line)
        if (mark is not None and mark != own) or line.endswith(("：", ":")):
            return begin + text[begin:].index(line), line
    return -1, ""
