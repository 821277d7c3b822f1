"""The default answer engine: no LLM, answers are spans of the documents.

1. Split the retrieved passages into sentences.
2. Score each sentence by the share of the question's keyword weight (BM25 idf;
   a word the corpus never uses weighs the most) that it contains.
3. Find the typed span the question asks for (``rag.spans``: a person, a number with its unit,
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
from dataclasses import dataclass, replace

from rag.chunking import split_sentences
from rag.cleaning import to_simplified
from rag.lexical import MEETING_WORDS
from rag.question import (
    _PERSON_UNITS,
    CJK,
    FRAME_CHARS,
    Intent,
    PeopleCount,
    numbers,
    people,
    places,
    redactions,
    role_before,
)
from rag.spans import (
    TYPED,
    Enumeration,
    Found,
    Heading,
    best_clause,
    cloze,
    difference_of,
    enumerations,
    find_typed,
    heading_runs,
    quoted_terms,
    stated_change,
    total_of,
)
from rag.types import REFUSAL, Answer, Citation, Document, Passage

MIN_COVERAGE = 0.5  # share of keyword weight a sentence must hold to answer from it
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


def _weight(intent: Intent, idf: Callable[[str], float]) -> Callable[[str], float]:
    max_idf = max((idf(k) for k in intent.keywords), default=1.0) or 1.0

    def weight(k: str) -> float:
        w = idf(k)
        if w <= 0 and len(k) == 2 and k[0] in FRAME_CHARS:
            return 0.0  # 说村 of "讲话说村集体经济": the question's verb glued to a word
        # Unseen words weigh the most: a question about 经费 is not answered by 会议 alone.
        return w if w > 0 else max(max_idf, 3.0)

    return weight


def _score_sentences(intent: Intent, sentences: list[Sentence], idf: Callable[[str], float],
                     question: str) -> dict[str, str]:
    """Fill ``coverage`` for every sentence; returns the simplified titles by doc."""
    weight = _weight(intent, idf)
    titles = {s.doc.doc_id: to_simplified(s.doc.title) for s in sentences}
    meeting = intent.extra.get("meeting")
    names = [n for _, _, n in people(question)]
    # A pronoun or a verb of speech is never part of a place name: "吸引他们回村" and
    # "讲话说村" (…讲话说村集体经济) are no places.
    entities = names + [p for _, _, p in places(question)
                        if p[-1] in "乡镇县村区市" and len(p) >= 3 and not re.search("[他她我你]们|说|讲", p)]
    # A question over several meetings ("A和B分别…") names more than one document:
    # one document's context words cannot be set aside for it.
    one_document = "分别" not in question
    contexts = {s.doc.doc_id: document_context(s.doc, titles[s.doc.doc_id]) for s in sentences}
    for s in sentences:
        title = titles[s.doc.doc_id]
        # Words that name the document (its title, its opening paragraph, the kind of
        # meeting) pick the source, not the answer: the rest is what the sentence must say.
        info = [k for k in intent.keywords if k not in title] or list(intent.keywords)
        s.coverage = coverage(info, s.text, weight, intent.quoted, title)
        if one_document:
            content = content_words(intent.keywords, contexts[s.doc.doc_id], title)
            s.coverage = max(s.coverage, coverage(content, s.text, weight, intent.quoted, title))
        if intent.quoted and all(q in s.text for q in intent.quoted) and (point := _point_heading(s)):
            # "二要巩固拓展党史学习教育成果。……按照“X”的培训方式……": the sentence that holds
            # the quoted term is read under the heading of the point it belongs to.
            s.coverage = max(s.coverage, coverage(info, point + "\n" + s.text, weight, intent.quoted, title))
        if one_document and (topic := _topic_before(s)):
            # "要推动社会参与。要密切与在外能人、企业家……对接联系": a sentence is read
            # under the short sentence that opens its topic right before it.
            s.coverage = max(s.coverage, coverage(content, topic + "\n" + s.text, weight, intent.quoted, title))
        if meeting and meeting not in s.doc.text:
            s.coverage *= 0.5  # the question names a kind of meeting this document is not about
        if (verbs := intent.extra.get("predicate")) and not any(_written(v, s.text) for v in verbs):
            s.coverage *= 0.5  # the sentence does not say what is asked: "谁介绍" with no 介绍
        paragraph = _paragraph(s)
        # A place of the document's opening paragraph names the document (青石乡推进会…).
        named = contexts[s.doc.doc_id] if one_document else title
        missing = [e for e in entities if e not in s.text and e not in named]
        # Only a person may be named elsewhere in the paragraph (its speaker); a place must be here.
        if any(e not in paragraph or e not in names for e in missing):
            s.coverage *= 0.5  # a person or place the question names is not here
        elif missing:
            # "刘玉杰要求,…… 为加快建设……作出新的更大贡献": the paragraph names the speaker.
            s.coverage = coverage(info, s.text + "\n" + "".join(missing), weight, intent.quoted, title)
    return titles


LEAD_CHARS = 200  # how much of a document's opening paragraph names it


def document_context(doc: Document, title: str = "") -> str:
    """The text that names a document: its title and the start of its opening
    paragraph (where a report says which meeting, where, who). A question's words
    found here pick the document ("阜阳座谈会上…", "全县推进会讲话里…")."""
    title = title or to_simplified(doc.title)
    lead = next((p.strip() for p in doc.text.split("\n") if len(p.strip()) >= 20), "")
    return title + "\n" + lead[:LEAD_CHARS]


def content_words(keywords: Sequence[str], context: str, title: str = "") -> list[str]:
    """The keywords a sentence of a document must hold: those not naming the
    document (``context``, see ``document_context``). When every keyword names the
    document, the words outside its title are asked (the old rule), else all."""
    return ([k for k in keywords if not _names_document(k, context)]
            or [k for k in keywords if k not in title] or list(keywords))


def _names_document(word: str, context: str) -> bool:
    return len(word) >= 2 and (word in context or word in MEETING_WORDS)


def _point_heading(s: Sentence) -> str:
    """The short opening sentence of the enumerated point ``s`` belongs to (一要……。
    二是……。第三……。) earlier in its paragraph; "" when there is none."""
    text = s.doc.text
    start = text.rfind("\n", 0, s.start) + 1
    heading = ""
    for a, b in split_sentences(text[start : s.start]):
        if _ORDINAL.match(text[start + a : start + b].strip()):
            heading = text[start + a : start + b].strip()
    return heading if len(heading) <= 30 else ""


TOPIC_CHARS = 12  # a sentence this short, right before another, states its topic


def _topic_before(s: Sentence) -> str:
    """The sentence right before ``s`` in its paragraph when it is short and has no
    comma (要推动社会参与。): the topic ``s`` goes on to detail; "" otherwise."""
    text = s.doc.text
    start = text.rfind("\n", 0, s.start) + 1
    spans = split_sentences(text[start : s.start])
    if not spans:
        return ""
    a, b = spans[-1]
    before = text[start + a : start + b].strip()
    return before if len(before) <= TOPIC_CHARS and not re.search(r"[，,；;：:]", before) else ""


def _written(word: str, text: str) -> bool:
    """``word`` is in ``text``, or its characters are, in order and close together (参会 ~ 参加会议)."""
    return word in text or bool(re.search(".{0,3}".join(map(re.escape, word)), text))


def _paragraph(s: Sentence) -> str:
    text = s.doc.text
    start = text.rfind("\n", 0, s.start) + 1
    end = text.find("\n", s.end)
    return text[start : end if end >= 0 else len(text)]


def named_term(intent: Intent, text: str) -> Found | None:
    """"抓村干部的工程叫什么名字": the shortest name in ``text`` ending with the asked
    noun (``intent.extra["noun"]``) that holds a word of the question, a quoted one
    first (实施“头雁工程” → 头雁工程; 实施头雁锻造工程 → 头雁锻造工程)."""
    noun = intent.extra["noun"]
    words = [k for k in intent.keywords if len(k) >= 2 and k != noun]
    cands: list[Found] = []
    for f in quoted_terms(text):
        if f.text.endswith(noun) and len(f.text) > len(noun) and any(w in f.text for w in words):
            cands.append(f)
    for m in re.finditer(rf"[{CJK}]{{1,10}}?{re.escape(noun)}", text):
        run = m.group(0)
        for i in range(len(run) - len(noun) - 1, -1, -1):  # the shortest suffix holding a word
            if any(w in run[i:] for w in words):
                cands.append(Found(run[i:], m.start() + i, m.end()))
                break
    return min(cands, key=lambda f: (_opener(text, f.start) not in ("“", '"'), f.start)) if cands else None


def _paragraph_heading(s: Sentence) -> Sentence | None:
    """The short opening sentence of the paragraph of ``s`` (not ``s`` itself): a heading."""
    text = s.doc.text
    start = text.rfind("\n", 0, s.start) + 1
    spans = split_sentences(text[start : s.start])
    if not spans:
        return None
    a, b = spans[0]
    return Sentence(s.doc, start + a, start + b, s.rank, s.coverage) if b - a <= HEADING_CHARS else None


HEADING_CHARS = 30  # an opening sentence this short heads its paragraph


def _opener(text: str, at: int) -> str:
    return text[at - 1] if at > 0 else ""


def _is_typed(intent: Intent, s: Sentence, title: str) -> bool:
    if intent.kind == "term":
        return named_term(intent, s.text) is not None
    if intent.kind == "list":
        if intent.quoted and _DEFINES.search(s.text) and intent.quoted[0] in s.text:
            return True
        return "、" in s.text[slice(*best_clause(intent, s.text, title=title))]
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
        + (0.25 if _is_typed(intent, s, titles[s.doc.doc_id]) or cloze(intent, s.text) else 0.0)
        + 0.1 * named(s)
        + 0.05 / s.rank,
    )


def _counted_items(intent: Intent, best: Sentence) -> Part | None:
    """"一共几样" over a sentence with no figure: count the items of its complete 、-list
    (the one holding most of the question's words), shown with them: ``7样（良田、良种、…）``."""
    unit = intent.extra.get("count_items")
    if not unit:
        return None
    # A list closed by 等 counts only when the question asks for the items written.
    lists = [e for e in enumerations(best.text) if e.complete or intent.extra.get("named_items")]
    if not lists:
        return None
    words = [k for k in intent.keywords if len(k) >= 2]

    def near(e: Enumeration) -> int:
        cs, ce = next((a, b) for a, b in _clause_spans(best.text) if a <= e.items[0].start < b)
        return sum(len(k) for k in words if k in best.text[cs:ce])

    chosen = max(lists, key=near)
    items = [f.text for f in chosen.items]
    if len(set(items)) != len(items):
        return None
    start, end = chosen.items[0].start, chosen.items[-1].end
    return Part(best, f"{len(items)}{unit}（{'、'.join(items)}）", Found(best.text[start:end], start, end))


JOINED_SENTENCES = 3  # at most this many consecutive sentences hold the parts of one total


def _joined_total(intent: Intent, best: Sentence) -> Part | None:
    """A total whose named parts (``intent.extra["parts"]``) are written over consecutive
    sentences of one paragraph ("…整顿X 2个。巩固Y 27个，打造Z 9个。"): the fewest
    sentences around ``best`` where each part has its own figure; the answer cites them
    all as one span of the document, so every added figure is in the cited text."""
    text = best.doc.text
    start = text.rfind("\n", 0, best.start) + 1
    end = text.find("\n", best.end)
    end = len(text) if end < 0 else end
    spans = [(start + a, start + b) for a, b in split_sentences(text[start:end])]
    at = next((i for i, (a, b) in enumerate(spans) if a <= best.start < b), None)
    if at is None:
        return None
    for size in range(2, JOINED_SENTENCES + 1):
        for first in range(max(0, at - size + 1), min(at, len(spans) - size) + 1):
            a, b = spans[first][0], spans[first + size - 1][1]
            if total := total_of(intent, text[a:b]):
                joined = Sentence(best.doc, a, b, best.rank, best.coverage)
                return Part(joined, total.render(), None)
    return None


def _clause_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[，,；;：:]", text):
        spans.append((start, m.end()))
        start = m.end()
    return [*spans, (start, len(text) + 1)]


SENTENCE_COVERAGE = 0.65  # coverage at which a sentence answers a question no typed span fits
# Kinds whose answer may be any phrase of the sentence (担任什么: 村务顾问; 哪些人: 企业家…);
# a name, a figure, a date or a place must be the typed span itself.
_PHRASE_KINDS = ("role", "person")


def _sentence_answer(intent: Intent, best: Sentence, title: str) -> Part | None:
    """The clause of ``best`` that answers, when no typed span was found but the
    sentence holds the question's content words strongly (``SENTENCE_COVERAGE``)
    and says what is asked (its predicate, checked in the coverage). Only for
    a role or a group of people not named (担任什么, 联系哪些人); never for a question
    about a named person (李军是什么职务: the sentence naming him states no post)."""
    if intent.kind not in _PHRASE_KINDS or best.coverage < SENTENCE_COVERAGE:
        return None
    if intent.kind == "person" and not intent.extra.get("many"):
        return None  # "谁" asks for a name
    if intent.extra.get("name") or intent.extra.get("people"):
        return None
    if intent.kind == "role":
        # Only where the sentence repeats the words before 什么: 请他们担任什么 in
        # 邀请他们担任村务顾问; a sentence merely naming the person states no post.
        found = cloze(intent, best.text)
        return Part(best, found.text, found) if found else None
    cs, ce = best_clause(replace(intent, kind="list"), best.text, title=title)  # the clause listing them
    clause = best.text[cs:ce].strip("，,；;： ")
    if "、" not in clause:
        return None  # "哪些人" is answered by a list of them
    start = cs + best.text[cs:ce].index(clause)
    return Part(best, clause, Found(clause, start, start + len(clause)))


def _extract(intent: Intent, best: Sentence, title: str) -> Part | str:
    """The direct answer inside ``best``; or "refuse" / "redacted" / "date"."""
    found: Found | None = None
    direct = ""
    if intent.kind in TYPED:
        found = find_typed(intent, best.text)
        if found is None and (listed := _counted_items(intent, best)):
            return listed
        if found is None:
            cs, ce = best_clause(intent, best.text, title=title)
            if redactions(best.text[cs:ce]):
                return "redacted"  # the clause that would hold the answer is hidden
            if intent.kind == "date" and best.doc.dates:
                return "date"
            return _sentence_answer(intent, best, title) or "refuse"
        direct = found.text
        if intent.kind == "person" and intent.extra.get("many"):
            names = [role_before(best.text, a) + n for a, _, n in people(best.text)]
            if len(names) > 1:
                direct = "、".join(dict.fromkeys(names))
        if intent.extra.get("difference"):
            if stated := stated_change(intent, best.text):
                found, direct = stated, stated.text
            elif diff := difference_of(intent, best.text):
                direct = diff.render()
            else:
                return "refuse"  # one figure alone does not answer "多多少"
        if intent.kind == "total":
            total = total_of(intent, best.text)
            if total:
                direct = total.render()
            elif intent.extra.get("exclude") or intent.extra.get("parts"):
                return "refuse"  # a sum that may still hold the excluded part is no answer
    elif intent.kind in ("define", "list") and intent.quoted and intent.quoted[0] in best.text:
        cs, ce = best_clause(intent, best.text, need=intent.quoted[0])
        m = re.match(r"\s*(即|是指|就是|指|包括)[^；;。]*", best.text[ce:])
        clause = best.text[cs:ce] + (m.group(0) if m else "")
        found = Found(clause.strip("，,；; "), cs, cs + len(clause))
        direct = found.text
    elif intent.kind == "term":
        found = named_term(intent, best.text)
        if found is None and (opening := _paragraph_heading(best)):
            # "(二)实施X工程。……村干部特别是“领头雁”的作用发挥。": the name is in the heading.
            if named := named_term(intent, opening.text):
                return Part(opening, named.text, named)
        if found is None:
            return "refuse"
        direct = found.text
    elif found := cloze(intent, best.text):
        direct = found.text
    else:
        cs, ce = best_clause(intent, best.text, title=title)
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
    if intent.extra.get("items") and (listed := answer_headings(question, intent, passages, get_doc)):
        return listed
    if intent.extra.get("count_people") and (counted := count_people(question, intent, passages, get_doc)):
        return counted
    if intent.extra.get("count_speakers") and (counted := count_speakers(question, intent, passages, get_doc)):
        return counted
    if intent.extra.get("level_attendees") and (groups := attendee_groups(question, intent, passages, get_doc)):
        return groups
    cued = answer_cues(question, intent, sentences) if intent.extra.get("cues") else None
    if cued and not intent.extra.get("markers"):
        return cued
    titles = _score_sentences(intent, sentences, idf, question)
    if intent.extra.get("unnamed") and (rest := count_unnamed(question, intent, sentences)):
        return rest
    if (intent.extra.get("markers") or _chars_asked(intent)) and (items := answer_items(question, intent, sentences)):
        return items
    if cued:
        return cued  # the items the question's cues open, when no list holds the markers
    if intent.extra.get("items") and (points := answer_points(question, intent, sentences, titles, idf)):
        return points
    if options := intent.extra.get("options"):
        return answer_option(question, intent, options, sentences) or refuse(question, sentences, passages, get_doc)
    best = _pick(intent, sentences, titles)
    if best is None:
        return refuse(question, sentences, passages, get_doc)
    part = _extract(intent, best, titles[best.doc.doc_id])
    if part == "refuse" and intent.kind == "total" and intent.extra.get("parts"):
        part = _joined_total(intent, best) or part
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


OPTION_REACH = 20  # characters between an option and a word of the question in its sentence


def answer_option(question: str, intent: Intent, options: tuple[str, str], sentences: list[Sentence]) -> Answer | None:
    """"是上午开的还是下午开的": the option stated by the sentence that holds most of the
    question's words (at least half of them, by length; a title does not count here: the
    sentence must name the subject itself) and exactly one of the options, cited. None
    when no such sentence is found."""
    total = sum(len(k) for k in intent.keywords) or 1

    def literal(s: Sentence) -> float:
        return sum(len(k) for k in intent.keywords if k in s.text) / total

    def close(s: Sentence, option: str) -> bool:
        """The option is written next to the subject (座谈会), not elsewhere in a long sentence."""
        at = s.text.index(option)
        spots = [m.start() for k in intent.keywords if len(k) >= 2 for m in re.finditer(re.escape(k), s.text)]
        return any(abs(p - at) <= OPTION_REACH for p in spots)

    named = [(s, [o for o in options if o in s.text]) for s in sentences]
    fitting = [(s, o[0]) for s, o in named if len(o) == 1 and literal(s) >= MIN_COVERAGE and close(s, o[0])]
    if not fitting:
        return None
    s, option = max(fitting, key=lambda f: (literal(f[0]), -f[0].rank))
    at = s.text.index(option)
    return _compose(question, [Part(s, option, Found(option, at, at + len(option)))])


def _chars_asked(intent: Intent) -> int:
    """N of "是哪二十个字": a quoted slogan of N characters is asked for."""
    count, noun = intent.extra.get("items", (0, ""))
    return count if noun == "字" else 0


_ORDINAL = re.compile(r"^[一二三四五六七八九十]+(?:要|是|则|、)|^第[一二三四五六七八九十]+|^首先|^其次|^最后")


def _sentences_from(s: Sentence) -> list[tuple[int, int]]:
    """``s`` and the sentences after it in its paragraph (document offsets)."""
    start, end = s.start, s.doc.text.find("\n", s.end)
    end = end if end >= 0 else len(s.doc.text)
    return [(start + a, start + b) for a, b in split_sentences(s.doc.text[start:end])]


def _marked_items(intent: Intent, doc: Document, spans: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """Items (text, document offset) every one of which holds the question's markers:
    the quoted terms (“粮头食尾”“畜头肉尾”) or the 、-list of one sentence, else quoted
    terms that each open an enumerated point of the paragraph (一要出“实招”。二要出“狠招”…)."""
    markers = intent.extra.get("markers", ())
    count = intent.extra.get("items", (0, ""))[0]

    def marked(item: str) -> bool:
        return all(m in item for m in markers) and len(item) > len("".join(markers)) and item not in intent.quoted

    def fits(items: list[tuple[str, int]]) -> bool:
        return len(items) >= 2 and (not count or len(items) == count)

    for a, b in spans:
        quoted = list({f.text: (f.text, a + f.start) for f in reversed(quoted_terms(doc.text[a:b])) if marked(f.text)}.values())
        if fits(quoted):
            return sorted(quoted, key=lambda q: q[1])
        for e in enumerations(doc.text[a:b]):
            items = [(f.text, a + f.start) for f in e.items]
            if all(marked(t) for t, _ in items) and fits(items):
                return items
        if fits(heads := _marked_heads(doc.text, a, b, marked)):
            return heads
    points: dict[str, int] = {}
    for a, b in spans:
        if _ORDINAL.match(doc.text[a:b]):
            for f in quoted_terms(doc.text[a:b]):
                if marked(f.text):
                    points.setdefault(f.text, a + f.start)
    return list(points.items()) if fits(list(points.items())) else []


HEAD_CHARS = 6  # a clause opening this short, before its 、, names the clause's point


def _marked_heads(text: str, a: int, b: int, marked: Callable[[str], bool]) -> list[tuple[str, int]]:
    """Parallel clauses of one sentence, each opened by a short phrase holding the
    markers (擦亮底色、坚决……，打造特色、大力……，增添亮色、……): the longest run of
    consecutive such openings, as (text, document offset)."""
    best: list[tuple[str, int]] = []
    run: list[tuple[str, int]] = []
    for cs, ce in _clause_spans(text[a:b]):
        clause = text[a + cs : a + min(ce, b - a)]
        head = re.split(r"[、，,；;：:。]", clause, maxsplit=1)[0].strip()
        if len(head) <= HEAD_CHARS and "、" in clause and marked(head):
            run.append((head, a + cs + clause.index(head)))
            best = max(best, run, key=len)
        else:
            run = []
    return list(best)


CUE_REACH = 12  # characters from a cue to the end of the quoted term it opens


def _cued_item(text: str, cue: str) -> tuple[str, int] | None:
    """The item ``cue`` opens in ``text``, as (text, offset): up to the quoted term
    closing soon after it (建强乡村振兴“主心骨”), else its short phrase (擦亮底色、)."""
    for m in re.finditer(re.escape(cue), text):
        rest = re.split(r"[、，,；;。：:\n]", text[m.start() :], maxsplit=1)[0]
        if q := re.match(rf"[^“”]{{0,{CUE_REACH}}}“[^“”]{{1,10}}”", rest):
            return q.group(0), m.start()
        if len(cue) < len(rest) <= HEAD_CHARS:
            return rest, m.start()
    return None


def answer_cues(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"小标题(建强、锻造、激发)分别是什么": in one retrieved document, the item each cue
    the question lists opens, all of them, each cited where it is written. None when
    no document has an item for every cue."""
    cues = intent.extra["cues"]
    meeting = intent.extra.get("meeting")
    docs = list({s.doc.doc_id: s.doc for s in sorted(sentences, key=lambda s: s.rank)}.values())
    for doc in docs:
        if meeting and meeting not in doc.text:
            continue
        items = [_cued_item(doc.text, c) for c in cues]
        if all(items):
            found = sorted((i for i in items if i), key=lambda i: i[1])
            return _items_answer(question, doc, found, "、".join(t for t, _ in found))
    return None


_NUMERALS = "一二三四五六七八九十"
POINT_CANDIDATES = 5  # best sentences tried as the opening of a section of points


def _points_after(s: Sentence) -> list[tuple[int, int]]:
    """The points detailing the section ``s`` opens, as sentence spans of the document:
    the sentences after it in its paragraph (up to the next point of its own level)
    opened by ordinals in order (一是……二是……), else, when there are none, by one
    shared lead of two or more characters (要推行…… 要推广…… 要推动……)."""
    spans = _sentences_from(s)[1:]
    own = _ORDINAL.match(s.text.strip())
    level = own.group(0)[-1] if own else ""
    for i, (a, b) in enumerate(spans):
        if level and (m := _ORDINAL.match(s.doc.text[a:b])) and m.group(0)[-1] == level:
            spans = spans[:i]  # 三要……: the next section of the same level
            break
    ordered: list[tuple[int, int]] = []
    for a, b in spans:
        text = s.doc.text[a:b]
        want = _NUMERALS[len(ordered)] if len(ordered) < len(_NUMERALS) else ""
        if want and re.match(rf"{want}[是要则来]", text):
            ordered.append((a, b))
    if len(ordered) >= 2:
        return ordered
    leads: dict[str, list[tuple[int, int]]] = {}
    for a, b in spans:
        if not _ORDINAL.match(s.doc.text[a:b]):
            leads.setdefault(s.doc.text[a : a + 2], []).append((a, b))
    shared = [v for k, v in leads.items() if re.fullmatch(f"[{CJK}]{{2}}", k) and len(v) >= 2]
    return shared[0] if len(shared) == 1 else []


def answer_points(question: str, intent: Intent, sentences: Sequence[Sentence], titles: dict[str, str],
                  idf: Callable[[str], float]) -> Answer | None:
    """"作风建设那部分,一是二是三是分别讲了哪几条": the points of the section the question
    names, each shown by its first clause and cited. The section (its opening sentence
    and its points read together) must hold the question's words (``MIN_COVERAGE``) and
    have the asked number of points."""
    count = intent.extra["items"][0]
    weight = _weight(intent, idf)
    ranked = sorted(sentences, key=lambda s: (-s.coverage, s.rank))
    if intent.quoted:
        # "“X”下面提了哪几种": X is written in the opening of the section asked about.
        ranked = [s for s in ranked if all(q in s.text for q in intent.quoted)]
    for s in ranked[:POINT_CANDIDATES]:
        points = _points_after(s)
        if len(points) < 2 or (count and len(points) != count):
            continue
        title = titles[s.doc.doc_id]
        info = [k for k in intent.keywords if k not in title] or list(intent.keywords)
        section = s.text + "\n" + "\n".join(s.doc.text[a:b] for a, b in points)
        # A quoted term names the section itself; else the section must hold the question's words.
        floor = MIN_COVERAGE / 2 if intent.quoted else MIN_COVERAGE
        if coverage(info, section, weight, intent.quoted, title) < floor:
            continue
        items = []
        for a, b in points:
            first = re.split(r"[，,；;。：:]", s.doc.text[a:b], maxsplit=1)[0]
            items.append((first, a))
        return _items_answer(question, s.doc, items, "；".join(t for t, _ in items))
    return None


def _chars_items(intent: Intent, s: Sentence) -> list[tuple[str, int]]:
    """"哪二十个字": the quoted slogan of exactly that many characters, split at 、."""
    n = _chars_asked(intent)
    if not all(q in s.text for q in intent.quoted):
        return []
    for f in quoted_terms(s.text):
        if f.text in intent.quoted or len(re.findall(f"[{CJK}]", f.text)) != n:
            continue
        out, pos = [], s.start + f.start
        for item in f.text.split("、"):
            out.append((item, pos))
            pos += len(item) + 1
        return out
    return []


def answer_items(question: str, intent: Intent, sentences: list[Sentence]) -> Answer | None:
    """"通过哪几个“联”来推进", "哪三招", "哪二十个字": the items of one list, each
    cited where it is written. The list is in the best sentences or, after a heading
    that names the subject, further on in its paragraph. None when no list fits."""
    ranked = sorted(sentences, key=lambda s: (-s.coverage, s.rank))
    for s in ranked:
        if _chars_asked(intent):
            if not intent.quoted:
                return None
            items = _chars_items(intent, s)
        elif s.coverage >= MIN_COVERAGE:
            items = _marked_items(intent, s.doc, _sentences_from(s))
        else:
            break
        if items:
            return _items_answer(question, s.doc, items, "、".join(t for t, _ in items))
    return None


def _items_answer(question: str, doc: Document, items: list[tuple[str, int]], head: str) -> Answer:
    """``head`` cited by the sentences that hold ``items``, each shown around its first item."""
    spans: dict[tuple[int, int], int] = {}
    for _, at in items:
        s, e = _sentence_at(doc, at)
        spans.setdefault((s, e), at - s)
    citations = [Citation(k, doc.doc_id, doc.title, s, e, doc.quote(s, e)) for k, (s, e) in enumerate(spans, start=1)]
    marks = "".join(f"[{c.n}]" for c in citations)
    width = max(len(t) for t, _ in items)
    sources = [f"原文：{_trim(c.quote, at, at + width)}[{c.n}]" for c, at in zip(citations, spans.values(), strict=True)]
    return Answer(question=question, answer="\n".join([head + marks, *sources]), refused=False,
                  citations=citations, engine="extractive")


def answer_headings(question: str, intent: Intent, passages: Sequence[Passage],
                    get_doc: Callable[[str], Document]) -> Answer | None:
    """"哪三项工程": the numbered headings (一)(二)(三) of a retrieved document that
    list them, each heading cited. None when no run of headings clearly fits.

    A run fits when it has the asked number of items (any number for 几) and
    either every heading names the asked noun (…工程) or the heading of the
    section it sits in holds the question's quoted term (在“夯实基层基础”部分).
    """
    count, noun = intent.extra["items"]
    meeting = intent.extra.get("meeting")
    best: tuple[tuple[int, int, int], Document, list[Heading]] | None = None
    docs = list(dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)))
    for rank, doc_id in enumerate(docs):
        doc = get_doc(doc_id)
        if meeting and meeting not in doc.text:
            continue
        for parent, run in heading_runs(doc.text):
            if count and len(run) != count:
                continue
            named = len(noun) >= 2 and all(noun in h.text for h in run)
            section = parent.text if parent else ""
            # "在“X”部分": X names the section the headings sit in, not one of them.
            placed = bool(intent.quoted) and all(q in section for q in intent.quoted)
            context = section + "".join(h.text for h in run)
            if not (named or placed):
                continue
            score = (int(named) + int(placed), sum(len(k) for k in intent.keywords if k in context), -rank)
            if best is None or score > best[0]:
                best = (score, doc, run)
    if best is None:
        return None
    _, doc, run = best
    citations = [Citation(n, doc.doc_id, doc.title, h.start, h.end, doc.quote(h.start, h.end))
                 for n, h in enumerate(run, start=1)]
    text = "；".join(f"{c.quote.rstrip('。；;！？!?')}[{c.n}]" for c in citations)
    return Answer(question=question, answer=text, refused=False, citations=citations, engine="extractive")


# An enumeration of names right after a role: 李军、王波、吕国平、邵兵参加会议.
_NAME_LIST = re.compile(
    rf"((?:[{CJK}]{{2,3}}(?:、|和|及|与))+)([{CJK}]{{2,3}}?)(?=参加|出席|列席|陪同|主持|等|在|分别|也|[,，。；;])"
)
# Characters of groups and titles, not of given names: 班子成员、各县区委书记 is no list of people.
_NOT_NAME = re.compile("[们各]|成员|代表|单位|同志|领导|干部|群众|班子|书记|主任|委员|部门|[委办会部局长员区县市镇乡村组]$")


def _listed_names(text: str, start: int) -> list[tuple[int, str]]:
    """The names enumerated right at ``start``, as (offset, name): 2 or more, and
    not a list cut short with 等, whose length the text does not give."""
    m = _NAME_LIST.match(text, start)
    if not m or text.startswith("等", m.end()):
        return []
    out, pos = [], start
    for item in re.split("、|和|及|与", m.group(0)):
        if _NOT_NAME.search(item):
            return []
        out.append((pos, item))
        pos += len(item) + 1
    return out


def _sentence_at(doc: Document, pos: int) -> tuple[int, int]:
    return next(((s, e) for s, e in split_sentences(doc.text) if s <= pos < e), (pos, pos))


def count_people(question: str, intent: Intent, passages: Sequence[Passage],
                 get_doc: Callable[[str], Document]) -> Answer | None:
    """"参加座谈会的市领导一共几位": count the people a document names under a role.

    Either an enumeration right after the role (市领导李军、王波、吕国平、邵兵) or,
    when the question asks for those named (具名/提到的镇委书记), every person the
    document writes with exactly that role. "包括主持会议的市委书记在内" adds the one
    person of that role (who did that) the document names. The answer lists the
    names after the count, each cited; when ``rag.guard`` does not accept a count
    shown with its names, nothing is answered (None)."""

    asked: PeopleCount = intent.extra["count_people"]
    meeting = intent.extra.get("meeting")
    docs = [d for d in (get_doc(i) for i in dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)))
            if not meeting or meeting in d.text]
    doc: Document | None = None
    found: list[tuple[int, str]] = []  # (offset of the name in the document, name)
    for doc in docs:
        if asked.named:
            found = [(a, n) for a, _, n in people(doc.text) if _role_fits(doc.text, a, asked.roles)]
        else:
            # Every role asked about has its enumeration in this document.
            lists = [next((listed for m in re.finditer(re.escape(role), doc.text)
                           if (listed := _listed_names(doc.text, m.end()))), []) for role in asked.roles]
            found = [name for listed in lists for name in listed] if all(lists) else []
        if found:
            break
    if doc is None or not found:
        return None
    if asked.include_role:
        chair: dict[str, int] = {}
        for a, _, n in people(doc.text):
            if role_before(doc.text, a) == asked.include_role and asked.include_verb in doc.text[slice(*_sentence_at(doc, a))]:
                chair.setdefault(n, a)
        if len(chair) != 1:
            return None  # nobody, or several people, of that role: who is meant is unclear
        found = [(a, n) for n, a in chair.items()] + found
    return _counted_answer(question, intent, doc, found)


def _listed_before(text: str, at: int) -> list[str]:
    """The people listed right before the figure at ``at``, cut short with 等
    (青石乡护林员王立、白岭镇护林员赵明远等9名): each item's name, or the item itself
    when no name is found in it; [] when the figure follows no such list."""
    head = text[:at]
    if not head.endswith("等"):
        return []
    start = max(head.rfind(c) for c in "，,：:；;。\n") + 1
    items = [i for i in re.split("、|和|及|与", head[start:-1]) if i]
    out = []
    for item in items:
        found = people(item)
        out.append(found[-1][2] if found else item)
    return list(dict.fromkeys(out)) if len(set(out)) == len(out) else []


def count_unnamed(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"一共11名…发言,还有几位没写名字": the sentence writing the question's figure after
    the names it lists (李强、许奕、赵子银等11名…), answered as the figure minus the names,
    shown with both (``还有8位（11-3），点了名的3位（李强、许奕、赵子银）``). The sentence
    with the figure that holds most of the question's words (a meeting the question names
    must be its document's); None when no sentence writes the figure after 2+ names."""
    value, unit = intent.extra["unnamed"]
    meeting = intent.extra.get("meeting")
    best: tuple[float, Sentence, list[str], int] | None = None
    for s in sentences:
        if meeting and meeting not in s.doc.text:
            continue
        for at, _, v, u in numbers(s.text):
            if v != value or u not in _PERSON_UNITS:
                continue
            names = _listed_before(s.text, at)
            if len(names) >= 2 and len(names) < int(value) and (best is None or s.coverage > best[0]):
                best = (s.coverage, s, names, at)
    if best is None or best[0] < MIN_COVERAGE / 2:
        return None
    _, s, names, at = best
    asked = intent.unit or unit
    k = len(names)
    direct = f"还有{int(value) - k}{asked}（{value}-{k}），点了名的{k}{asked}（{'、'.join(names)}）"
    end = at + len(value) + 1
    return _compose(question, [Part(s, direct, Found(s.text[at:end], at, end))])


def _role_fits(text: str, at: int, roles: Sequence[str]) -> bool:
    """The person named at ``at`` holds one of ``roles``: the role written right before
    the name, or, for the leaders of a level (县领导), any role of that level
    (县委书记, 县政协主席, 副县长: the level is in the role or just before it)."""
    role = role_before(text, at)
    if not role:
        return False
    if role in roles:
        return True
    start = at - len(role)
    lead = re.split(r"[，,。；;：:、\s]", text[max(0, start - 3) : start])[-1]
    return any(r.endswith("领导") and len(r) == 3 and r[0] in lead + role for r in roles)


def _counted_answer(question: str, intent: Intent, doc: Document, found: list[tuple[int, str]]) -> Answer | None:
    """``共N位（A、B、…）`` over the names ``found`` (offset, name), each sentence cited;
    None when ``rag.guard`` does not accept the count shown with its names."""
    from rag.guard import support

    names = list(dict.fromkeys(n for _, n in found))
    spans: dict[tuple[int, int], int] = {}  # sentence -> offset of its first name in it
    for a, _ in found:
        s, e = _sentence_at(doc, a)
        spans.setdefault((s, e), a - s)
    citations = [Citation(k, doc.doc_id, doc.title, s, e, doc.quote(s, e)) for k, (s, e) in enumerate(spans, start=1)]
    head = f"共{len(names)}{intent.unit}（{'、'.join(names)}）"
    if not support(head, "\n".join(c.quote for c in citations))[0]:
        return None
    marks = "".join(f"[{c.n}]" for c in citations)
    sources = [f"原文：{_trim(c.quote, at, at + 4)}[{c.n}]" for c, at in zip(citations, spans.values(), strict=True)]
    return Answer(question=question, answer="\n".join([head + marks, *sources]), refused=False,
                  citations=citations, engine="extractive")


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


def _meeting_date(question: str, doc: Document, named: bool = False) -> Answer:
    """The meeting's own date (first date in the document), cited where it is written;
    ``named``: lead with the meeting's title, ``标题（日期）``."""
    date = doc.dates[0]
    pos = doc.text.find(date)
    spans = [(s, e) for s, e in split_sentences(doc.text) if s <= pos < e] or [(pos, pos + len(date))]
    s, e = spans[0]
    quote = doc.quote(s, e)
    return Answer(
        question=question,
        answer=(f"{to_simplified(doc.title)}（{date}）" if named else date)
        + f"[1]\n原文：{_trim(quote, pos - s, pos - s + len(date))}[1]",
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


def meetings_lasting(question: str, docs: Sequence[Document], days: int) -> Answer | None:
    """"哪一次会议开了两天": the meetings whose own date (the first in the document)
    spans ``days`` days (10月8日-9日), each named with its date and cited where the
    date is written. None when no meeting's date says so."""
    from rag.meetings import duration_days

    answers = [_meeting_date(question, d, named=True) for d in docs if d.dates and duration_days(d.dates[0]) == days]
    return merge_answers(question, answers) if answers else None


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
        s, e = _sentence_at(doc, pos)
        if s == e:
            s, e = pos, min(len(doc.text), pos + 20)
        quote = doc.quote(s, e)
        years = "、".join(y for _, y in found)
        citations = [Citation(1, doc.doc_id, doc.title, s, e, quote)]
        answers.append(Answer(question=question, answer=f"{to_simplified(doc.title)}：{years}[1]\n原文：{_trim(quote, pos - s, pos - s + 4)}[1]",
                              refused=False, citations=citations, engine="extractive"))
    return merge_answers(question, answers) if answers else None


# The verb that closes a list of attendees: "……、各乡镇村党支部书记参加会议".
_ATTENDED = re.compile(r"(?:参加|出席|列席)了?(?:[^，,。；;]{0,6}?(?:会议|会))?(?=[，,。；;]|$)")
_LEVEL_CHARS = re.compile("[村镇乡县市区省]")


def _group_level(group: str) -> str:
    """The level (村, 镇, 县 …) of a group of attendees: the last level named in it
    (各乡镇首批村级…村党支部书记 is of the 村 level); "" when it names none."""
    bare = re.sub(r"[（(][^)）]*[)）]", "", group)
    found = _LEVEL_CHARS.findall(bare)
    return {"乡": "镇"}.get(found[-1], found[-1]) if found else ""


def attendee_groups(question: str, intent: Intent, passages: Sequence[Passage],
                    get_doc: Callable[[str], Document]) -> Answer | None:
    """"村一级是请的哪些人来参会": the groups of the attendance sentence ("A,B,C参加会议")
    that belong to the asked level, cited. None unless such a sentence lists at least
    two groups and one of them is of that level."""
    level = intent.extra["level_attendees"]
    meeting = intent.extra.get("meeting")
    for doc_id in dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)):
        doc = get_doc(doc_id)
        if meeting and meeting not in doc.text:
            continue
        for s, e in split_sentences(doc.text):
            text = doc.text[s:e]
            m = _ATTENDED.search(text)
            if not m:
                continue
            groups, pos = [], 0
            for g in re.split(r"[，,；;]", text[: m.start()]):
                lead = re.match(r"\s*(?:以及|及|和|还有)?", g)
                start = pos + (lead.end() if lead else 0)
                if g[lead.end() if lead else 0 :].strip():
                    groups.append((start, text[start : pos + len(g)].strip()))
                pos += len(g) + 1
            chosen = [(a, g) for a, g in groups if _group_level(g) == level]
            if len(groups) < 2 or not chosen:
                continue
            quote = doc.quote(s, e)
            citations = [Citation(1, doc.doc_id, doc.title, s, e, quote)]
            head = "、".join(g for _, g in chosen)
            at = chosen[0][0]
            return Answer(question=question, answer=f"{head}[1]\n原文：{_trim(quote, at, at + len(chosen[0][1]))}[1]",
                          refused=False, citations=citations, engine="extractive")
    return None


def _figure_of(doc: Document, noun: str) -> tuple[int, int, str, str] | None:
    """The one figure of ``doc`` counted with ``noun`` (every word of the noun in the
    figure's own enumeration item or clause), in document offsets; None when no figure,
    or figures of different values, are so written."""
    from rag.question import numbers
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
    citations, sources = [], []
    for n, ((doc, _), (start, end, _, _)) in enumerate(zip(sides, figures, strict=True), start=1):
        s, e = _sentence_at(doc, start)
        quote = doc.quote(s, e)
        citations.append(Citation(n, doc.doc_id, doc.title, s, e, quote))
        sources.append(f"原文：{_trim(quote, start - s, end - s)}[{n}]")
    (more_noun, more, less) = (sides[0][1], av, bv) if float(av) > float(bv) else (sides[1][1], bv, av)
    if word == "少":
        more_noun = sides[1][1] if more_noun == sides[0][1] else sides[0][1]
    value = float(more) - float(less)
    shown = str(int(value)) if value.is_integer() else f"{value:g}"
    head = f"{sides[0][1]}{av}{au}[1]；{sides[1][1]}{bv}{bu}[2]；{more_noun}{word}{shown}{au.lstrip('余多')}（{more}-{less}）[1][2]"
    return Answer(question=question, answer="\n".join([head, *sources]), refused=False,
                  citations=citations, engine="extractive")


# A person speaks right after being named: "……。”高要区大湾镇委书记吴少荣说".
_SPEAKS = re.compile(r"\s*(?:说|表示|认为|介绍|指出|谈到|坦言|感慨|有感而发|赞叹|告诉|强调)")
_QUOTE = re.compile(r"“[^”]{6,}”")


def _holds_role(text: str, at: int, role: str, qualifier: str, asked: str) -> bool:
    """The person named at ``at`` (written after ``role``) holds the role asked: the role
    ends with it, and the words before it hold the qualifier's characters in order
    (驻村第一书记 ~ 驻德庆县九市镇洞寮村第一书记)."""
    if not role.endswith(asked):
        return False
    start = at - len(role)
    lead = re.split(r"[，,。；;：:、\s“”]", text[max(0, start - 16) : start])[-1]
    return not qualifier or bool(re.search(".*".join(map(re.escape, qualifier)), lead + role[: -len(asked)]))


def count_speakers(question: str, intent: Intent, passages: Sequence[Passage],
                   get_doc: Callable[[str], Document]) -> Answer | None:
    """"有几位干部是点了名字谈体会的": the people a report quotes under their post and
    name (a role before the name, a verb of saying right after it, a quotation in the
    paragraph), counted and shown with their names. The first retrieved document (of
    the meeting asked about) that quotes two or more people answers; else None."""
    meeting = intent.extra.get("meeting")
    for doc_id in dict.fromkeys(p.doc_id for p in sorted(passages, key=lambda p: p.rank)):
        doc = get_doc(doc_id)
        if meeting and meeting not in doc.text:
            continue
        found: list[tuple[int, str]] = []
        for a, b, name in people(doc.text):
            role = role_before(doc.text, a)
            if not role or role == "记者" or not _SPEAKS.match(doc.text, b):
                continue
            if (asked := intent.extra.get("speaker_role")) and not _holds_role(doc.text, a, role, *asked):
                continue
            start = doc.text.rfind("\n", 0, a) + 1
            end = doc.text.find("\n", b)
            if _QUOTE.search(doc.text[start : end if end >= 0 else len(doc.text)]):
                found.append((a, name))
        if len({n for _, n in found}) >= 2:
            return _counted_answer(question, intent, doc, found)
    return None
