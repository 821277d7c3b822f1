"""The default answer engine: no LLM, answers are spans of the documents.

1. Split the retrieved passages into sentences.
2. Score each sentence by the share of the question's keyword weight (BM25 idf;
   a word the corpus never uses weighs the most) that it contains.
3. Find the typed span the question asks for (a person, a number with its unit,
   a date, a place, a list, a definition) in the best sentences.
4. Lead with that span, follow with the sentence, both cited. Refuse with one
   fixed phrase when the evidence is weak or the asked-for span is missing, and
   say so when the span is redacted in the source.

Every sentence of an answer is a substring of a cited passage (or, for a total,
the sum of cited figures), so the engine cannot invent content.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.chunking import split_sentences
from rag.cleaning import to_simplified
from rag.question import CJK, ROLE, Intent, dates, numbers, people, places, redactions, role_before
from rag.types import REFUSAL, Answer, Citation, Document, Passage

MIN_COVERAGE = 0.5  # share of keyword weight a sentence must hold to answer from it
TYPED = ("person", "number", "total", "date", "place", "role")
REDACTED_ANSWER = "资料中该信息已被隐去（原文以“{mark}”代替），无法给出。"


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


@dataclass
class Found:
    """A typed answer span inside a sentence (offsets relative to the sentence)."""

    text: str
    start: int
    end: int


def candidate_sentences(passages: Sequence[Passage], get_doc: Callable[[str], Document]) -> list[Sentence]:
    seen: set[tuple[str, int]] = set()
    out = []
    for p in passages:
        doc = get_doc(p.doc_id)
        for s, e in split_sentences(doc.text[p.start : p.end]):
            key = (p.doc_id, p.start + s)
            if key not in seen:
                seen.add(key)
                out.append(Sentence(doc, p.start + s, p.start + e, p.rank))
    return out


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
        if k in text or (len(k) >= 2 and k in title):
            got += w
        elif len(k) >= 2 and re.search(".{0,3}".join(map(re.escape, k)), text):
            got += 0.5 * w  # its characters in order, close together
    score = got / total if total else 0.0
    if quoted and not all(q in text or q in title for q in quoted):
        score *= 0.5  # a quoted term is the subject of the question: it must be there
    return score


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


def _total(intent: Intent, text: str) -> tuple[str, str] | None:
    """Sum the figures of the asked-for unit listed in one sentence: (total, parts)."""
    parts = [(v, u) for _, _, v, u in numbers(text) if u and unit_matches(u, intent.unit)]
    if len(parts) < 2:
        return None
    total = sum(float(v) for v, _ in parts)
    shown = int(total) if float(total).is_integer() else round(total, 2)
    unit = intent.unit or parts[0][1]
    return f"{shown}{unit}", "+".join(v for v, _ in parts)


def _best_clause(intent: Intent, text: str, need: str = "", title: str = "") -> tuple[int, int]:
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


def _trim(text: str, start: int, end: int, width: int = 90) -> str:
    """A window of the sentence around [start, end), at most ``width`` characters."""
    if len(text) <= width:
        return text
    left = max(0, min(start, len(text) - width) - 10)
    right = left + width
    # Never cut a number or a Latin word in two ("…31”" out of “1331”).
    while 0 < left and text[left - 1].isascii() and text[left - 1].isalnum() and text[left].isalnum():
        left -= 1
    while right < len(text) and text[right - 1].isascii() and text[right - 1].isalnum() and text[right].isalnum():
        right += 1
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def refuse(question: str, sentences: Sequence[Sentence], passages: Sequence[Passage],
           get_doc: Callable[[str], Document]) -> Answer:
    related = []
    for i, p in enumerate(passages[:3], start=1):
        doc = get_doc(p.doc_id)
        end = min(p.end, p.start + 80)
        related.append(Citation(i, p.doc_id, doc.title, p.start, end, doc.quote(p.start, end)))
    return Answer(question=question, answer=REFUSAL, refused=True, citations=[], engine="extractive",
                  related=related)


@dataclass
class Part:
    """One answered piece: the direct span and the sentence it came from."""

    sentence: Sentence
    direct: str
    found: Found | None


def _score_sentences(intent: Intent, sentences: list[Sentence], idf: Callable[[str], float],
                     question: str) -> dict[str, str]:
    """Fill ``coverage`` for every sentence; returns the simplified titles by doc."""
    max_idf = max((idf(k) for k in intent.keywords), default=1.0) or 1.0

    def weight(k: str) -> float:
        w = idf(k)
        # Unseen words weigh the most: a question about 经费 is not answered by 会议 alone.
        return w if w > 0 else max(max_idf, 3.0)

    titles = {s.doc.doc_id: to_simplified(s.doc.title) for s in sentences}
    meeting = intent.extra.get("meeting")
    names = [n for _, _, n in people(question)]
    entities = names + [p for _, _, p in places(question) if p[-1] in "乡镇县村区市" and len(p) >= 3]
    for s in sentences:
        title = titles[s.doc.doc_id]
        # Words of the title name the meeting; the rest is what the sentence must say.
        info = [k for k in intent.keywords if k not in title] or list(intent.keywords)
        s.coverage = coverage(info, s.text, weight, intent.quoted, title)
        if meeting and meeting not in s.doc.text:
            s.coverage *= 0.5  # the question names a kind of meeting this document is not about
        paragraph = _paragraph(s)
        missing = [e for e in entities if e not in s.text and e not in title]
        # Only a person may be named elsewhere in the paragraph (its speaker); a place must be here.
        if any(e not in paragraph or e not in names for e in missing):
            s.coverage *= 0.5  # a person or place the question names is not here
        elif missing:
            # "刘玉杰要求,…… 为加快建设……作出新的更大贡献": the paragraph names the speaker.
            s.coverage = coverage(info, s.text + "\n" + "".join(missing), weight, intent.quoted, title)
    return titles


def _paragraph(s: Sentence) -> str:
    text = s.doc.text
    start = text.rfind("\n", 0, s.start) + 1
    end = text.find("\n", s.end)
    return text[start : end if end >= 0 else len(text)]


def _is_typed(intent: Intent, s: Sentence, title: str) -> bool:
    if intent.kind == "list":
        if intent.quoted and _DEFINES.search(s.text) and intent.quoted[0] in s.text:
            return True
        return "、" in s.text[slice(*_best_clause(intent, s.text, title=title))]
    if intent.kind == "define" and intent.quoted:
        return bool(re.search(re.escape(intent.quoted[0]) + r"[”\"」]?[^。]{0,8}?(?:即|是指|就是|指|包括)", s.text))
    return intent.kind in TYPED and find_typed(intent, s.text) is not None


_DEFINES = re.compile(r"即|是指|就是|包括")


def _pick(intent: Intent, sentences: list[Sentence], titles: dict[str, str]) -> Sentence | None:
    """The best sentence: among those close to the top coverage, prefer one that
    holds the asked-for kind of span, then the better-ranked passage."""
    if not sentences:
        return None
    top = max(s.coverage for s in sentences)
    if top < MIN_COVERAGE:
        return None
    near = [s for s in sentences if s.coverage >= max(MIN_COVERAGE, top - 0.15)]
    words = [k for k in intent.keywords if len(k) >= 2]

    def named(s: Sentence) -> float:
        """Share of the question's words found in the document's title: the
        meeting the question names (交流发言, 座谈会) is the likelier source."""
        return sum(k in titles[s.doc.doc_id] for k in words) / len(words) if words else 0.0

    return max(
        near,
        key=lambda s: s.coverage
        + (0.25 if _is_typed(intent, s, titles[s.doc.doc_id]) else 0.0)
        + 0.1 * named(s)
        + 0.05 / s.rank,
    )


def _extract(intent: Intent, best: Sentence, title: str) -> Part | str:
    """The direct answer inside ``best``; or "refuse" / "redacted" / "date"."""
    found: Found | None = None
    direct = ""
    if intent.kind in TYPED:
        found = find_typed(intent, best.text)
        if found is None:
            cs, ce = _best_clause(intent, best.text, title=title)
            if redactions(best.text[cs:ce]):
                return "redacted"  # the clause that would hold the answer is hidden
            if intent.kind == "date" and best.doc.dates:
                return "date"
            return "refuse"
        direct = found.text
        if intent.kind == "person" and intent.extra.get("many"):
            names = [role_before(best.text, a) + n for a, _, n in people(best.text)]
            if len(names) > 1:
                direct = "、".join(dict.fromkeys(names))
        if intent.kind == "total":
            total = _total(intent, best.text)
            if total:
                direct = f"共{total[0]}（{total[1]}）"
    elif intent.kind in ("define", "list") and intent.quoted and intent.quoted[0] in best.text:
        cs, ce = _best_clause(intent, best.text, need=intent.quoted[0])
        m = re.match(r"\s*(即|是指|就是|指|包括)[^；;。]*", best.text[ce:])
        clause = best.text[cs:ce] + (m.group(0) if m else "")
        found = Found(clause.strip("，,；; "), cs, cs + len(clause))
        direct = found.text
    else:
        cs, ce = _best_clause(intent, best.text, title=title)
        if intent.kind == "list" or len(best.text[cs:ce].strip("，,；;： ")) >= 8:
            found = Found(best.text[cs:ce].strip("，,；;： "), cs, ce)
            direct = found.text
    return Part(best, direct, found)


def answer_extractive(
    question: str,
    intent: Intent,
    passages: Sequence[Passage],
    get_doc: Callable[[str], Document],
    idf: Callable[[str], float],
) -> Answer:
    """Answer from the passages, or refuse. ``question`` is already normalised."""
    sentences = candidate_sentences(passages, get_doc)
    if not sentences or not intent.keywords:
        return refuse(question, sentences, passages, get_doc)
    titles = _score_sentences(intent, sentences, idf, question)
    best = _pick(intent, sentences, titles)
    if best is None:
        return refuse(question, sentences, passages, get_doc)
    part = _extract(intent, best, titles[best.doc.doc_id])
    if part == "redacted":
        return _redacted(question, best, redactions(best.text))
    if part == "date":
        return _meeting_date(question, best.doc)
    if not isinstance(part, Part):
        return refuse(question, sentences, passages, get_doc)
    parts = [part]
    if "分别" in question:
        # "A和B分别是谁?": answer from the best sentence of a second meeting too.
        others = [s for s in sentences if s.doc.doc_id != best.doc.doc_id]
        second = _pick(intent, others, titles)
        if second is not None and isinstance(extra := _extract(intent, second, titles[second.doc.doc_id]), Part):
            parts.append(extra)
    # Redaction inside the very clause that holds the answer: say so rather than guess.
    if part.found and redactions(part.direct) and (intent.kind in ("person", "list") or re.search("哪|谁|多少|几", question)):
        return _redacted(question, best, redactions(best.text))
    return _compose(question, parts)


def _compose(question: str, parts: list[Part]) -> Answer:
    directs, sources, citations = [], [], []
    for n, p in enumerate(parts, start=1):
        s = p.sentence
        quote = s.doc.quote(s.start, s.end)
        citations.append(Citation(n, s.doc.doc_id, s.doc.title, s.start, s.end, quote))
        shown = _trim(quote, p.found.start if p.found else 0, p.found.end if p.found else 0)
        if p.direct and p.direct != s.text:
            directs.append(f"{p.direct}[{n}]")
            sources.append(f"原文：{shown}[{n}]")
        else:
            directs.append(f"{shown}[{n}]")
    text = "；".join(directs) + ("\n" + "\n".join(sources) if sources else "")
    return Answer(question=question, answer=text, refused=False, citations=citations, engine="extractive")


def _redacted(question: str, best: Sentence, marks: list[tuple[int, int]]) -> Answer:
    mark = best.text[marks[0][0] : marks[0][1]]
    quote = best.doc.quote(best.start, best.end)
    return Answer(
        question=question,
        answer=REDACTED_ANSWER.format(mark=mark) + "[1]",
        refused=True,
        citations=[Citation(1, best.doc.doc_id, best.doc.title, best.start, best.end, quote)],
        engine="extractive",
    )


def _meeting_date(question: str, doc: Document) -> Answer:
    """The meeting's own date (first date in the document), cited where it is written."""
    date = doc.dates[0]
    pos = doc.text.find(date)
    spans = [(s, e) for s, e in split_sentences(doc.text) if s <= pos < e] or [(pos, pos + len(date))]
    s, e = spans[0]
    quote = doc.quote(s, e)
    return Answer(
        question=question,
        answer=f"{date}[1]\n原文：{_trim(quote, pos - s, pos - s + len(date))}[1]",
        refused=False,
        citations=[Citation(1, doc.doc_id, doc.title, s, e, quote)],
        engine="extractive",
    )


def idf_from(bm25) -> Callable[[str], float]:  # type: ignore[no-untyped-def]
    """Keyword weights from the BM25 index; words absent from the corpus get 0 (caller decides)."""
    def idf(term: str) -> float:
        n = len(bm25)
        df = len(bm25.postings.get(term, ()))
        if df == 0:
            return 0.0
        return max(math.log((n - df + 0.5) / (df + 0.5) + 1), 0.05)

    return idf


def merge_answers(question: str, answers: Sequence[Answer]) -> Answer:
    """Join per-meeting answers, renumbering their citations in order."""
    texts: list[str] = []
    citations: list[Citation] = []
    for a in answers:
        offset = len(citations)

        def shift(m: re.Match[str], by: int = offset) -> str:
            return f"[{int(m.group(1)) + by}]"

        texts.append(re.sub(r"\[(\d+)\]", shift, a.answer))
        citations += [Citation(c.n + offset, c.doc_id, c.title, c.start, c.end, c.quote) for c in a.citations]
    heads = [t.split("\n", 1)[0] for t in texts]
    tails = [t.split("\n", 1)[1] for t in texts if "\n" in t]
    text = "；".join(heads) + ("\n" + "\n".join(tails) if tails else "")
    return Answer(question=question, answer=text, refused=False, citations=citations, engine="extractive")


def _month_day(date: str) -> tuple[int, int] | None:
    m = re.search(r"(\d{1,2})月(\d{1,2})日", date)
    return (int(m.group(1)), int(m.group(2))) if m else None


def days_apart(question: str, docs: Sequence[Document]) -> Answer:
    """Days between two meetings' dates (same year assumed), each date cited."""
    import datetime as dt

    days = [_month_day(d.dates[0]) if d.dates else None for d in docs]
    if any(x is None for x in days):
        return Answer(question=question, answer=REFUSAL, refused=True, citations=[], engine="extractive")
    (m1, d1), (m2, d2) = days  # type: ignore[misc]
    delta = abs((dt.date(2000, m2, d2) - dt.date(2000, m1, d1)).days)
    answers = [_meeting_date(question, d) for d in docs]
    merged = merge_answers(question, answers)
    head = f"相隔{delta}天（{docs[0].dates[0]}、{docs[1].dates[0]}）[1][2]"
    return Answer(question=question, answer=head + "\n" + merged.answer.split("\n", 1)[-1],
                  refused=False, citations=merged.citations, engine="extractive")
