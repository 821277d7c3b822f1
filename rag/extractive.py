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

The core picks and extracts; answers a single sentence cannot give live in their own
modules (``rag.answer_lists``, ``rag.answer_people``, ``rag.answer_totals``,
``rag.answer_meetings``) over shared pieces in ``rag.extract_core``. The names other
code imports from here are re-exported (``__all__``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from rag.answer_fields import answer_field
from rag.answer_lists import (
    _ORDINAL,
    _chars_asked,
    answer_cues,
    answer_headings,
    answer_items,
    answer_objects,
    answer_points,
    count_headed,
    item_at_position,
)
from rag.answer_meetings import (
    _meeting_date,
    compare_figures,
    days_apart,
    documents_with_years,
    meetings_lasting,
)
from rag.answer_people import answer_org, attendee_groups, count_people, count_speakers, count_unnamed
from rag.answer_totals import (
    _counted_items,
    _counted_people,
    _joined_total,
    answer_parts_total,
    count_listed,
    name_listed,
)
from rag.chunking import split_sentences
from rag.cleaning import REDACTION, to_simplified
from rag.extract_core import (
    MIN_COVERAGE,
    Part,
    Sentence,
    _compose,
    _composed,
    _sentence_at,
    _weight,
    coverage,
    section_heading,
)
from rag.lexical import MEETING_WORDS
from rag.metadata import is_page_chrome
from rag.question import ADDRESSED, CJK, Intent, people, places, posts_before, redactions, role_before
from rag.render import Refusal, answered, refused
from rag.spans import (
    TYPED,
    Found,
    best_clause,
    body_asked,
    cloze,
    difference_of,
    find_typed,
    full_name_of,
    quoted_terms,
    remainder_of,
    stated_change,
    total_of,
)
from rag.types import Answer, Citation, Document, Layout, Passage
from rag.zh.days import RANGE, range_days
from rag.zh.kinds import PLACE_KINDS
from rag.zh.masks import hides_answer
from rag.zh.names import MASKED_NAME, TITLE_POST
from rag.zh.predicates import REPORTING, same_meaning, written, written_close, written_meeting

__all__ = [
    "MIN_COVERAGE",
    "Part",
    "Sentence",
    "answer_cues",
    "answer_extractive",
    "answer_headings",
    "answer_items",
    "answer_option",
    "answer_points",
    "attendee_groups",
    "candidate_sentences",
    "compare_figures",
    "content_words",
    "count_people",
    "count_speakers",
    "count_unnamed",
    "coverage",
    "days_apart",
    "document_context",
    "documents_with_years",
    "idf_from",
    "meetings_lasting",
    "named_term",
    "refuse",
]


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


def refuse(question: str, sentences: Sequence[Sentence], passages: Sequence[Passage],
           get_doc: Callable[[str], Document]) -> Answer:
    related = []
    for i, p in enumerate(passages[:3], start=1):
        doc = get_doc(p.doc_id)
        end = min(p.end, p.start + 80)
        related.append(Citation(i, p.doc_id, doc.title, p.start, end, doc.quote(p.start, end)))
    return refused(question, Refusal.NOT_FOUND, related=related)


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
    # The acts the question asks about (参加, 主持, 召开: verbs of a known meaning), not
    # any word after its question word (组织 of "选好了什么组织" is a noun).
    acts = [v for v in intent.extra.get("predicate", ()) if same_meaning(v) != {v}]
    contexts = {s.doc.doc_id: document_context(s.doc, titles[s.doc.doc_id]) for s in sentences}
    heads = {s.doc.doc_id: document_head(s.doc, titles[s.doc.doc_id]) for s in sentences}
    if one_document and (named_doc := _meeting_named(intent, contexts, weight)):
        # The document that names the question's meeting best (建党百年两优一先表彰会 of the
        # 庆祝建党100周年暨“两优一先”表彰大会): the phrase's words name it, and no sentence
        # of it needs to repeat them (建党).
        contexts[named_doc] += "\n" + intent.extra["meeting_phrase"]
    for s in sentences:
        title = titles[s.doc.doc_id]
        # Words that name the document (its title, its opening paragraph, the kind of
        # meeting) pick the source, not the answer: the rest is what the sentence must say.
        info = [k for k in intent.keywords if k not in title] or list(intent.keywords)
        s.coverage = coverage(info, s.text, weight, intent.quoted, title)
        if one_document:
            content = content_words(intent.keywords, contexts[s.doc.doc_id], title, acts, entities)
            s.coverage = max(s.coverage, coverage(content, s.text, weight, intent.quoted, title))
        if intent.quoted and all(q in s.text for q in intent.quoted) and (point := _point_heading(s)):
            # "二要巩固拓展党史学习教育成果。……按照“X”的培训方式……": the sentence that holds
            # the quoted term is read under the heading of the point it belongs to.
            s.coverage = max(s.coverage, coverage(info, point + "\n" + s.text, weight, intent.quoted, title))
        if one_document and (topic := _topic_before(s)):
            # "要推动社会参与。要密切与在外能人、企业家……对接联系": a sentence is read
            # under the short sentence that opens its topic right before it.
            s.coverage = max(s.coverage, coverage(content, topic + "\n" + s.text, weight, intent.quoted, title))
        if one_document and (heading := section_heading(s.doc, s.start)[1]):
            # "五、会务分工 …（四）镇党政办负责会场布置,音响调试": a line of a numbered section
            # is read under the section's heading, as a point is under its opening.
            s.coverage = max(s.coverage, coverage(content, heading + "\n" + s.text, weight, intent.quoted, title))
        if one_document and _GOES_ON.match(s.text) and (before := _sentence_before(s)) and _is_typed(intent, s, title):
            # "新街镇供水管网改造项目……。项目计划改造主管网约11.3公里": a sentence that opens by
            # referring back (项目, 该, 其中) and holds the kind of span asked goes on with the
            # one before it: read with it, at a discount.
            s.coverage = max(s.coverage, GOES_ON * coverage(content, before + "\n" + s.text, weight, intent.quoted, title))
        if one_document and (said := _reported_before(s, content)):
            # "范丽娟通报了全县村级班子运行情况。目前全县共有村（社区）246个": a sentence after a
            # reporting act in its paragraph is what was reported; the act is read with it.
            s.coverage = max(s.coverage, coverage(content, s.text + "\n" + "".join(said), weight, intent.quoted, title))
        # A place of the document's opening paragraph names the document (青石乡推进会…).
        # A place the sentence leaves unsaid but stands under: named earlier in its paragraph,
        # or its own place (全镇, 镇里). It scopes the sentence; it does not answer for it.
        named = contexts[s.doc.doc_id] if one_document else title
        scoped = [e for e in entities if e not in s.text and e not in named
                  and (_place_in_force(s, e, names) or _home_place(s, e, names))]
        if scoped and s.coverage > 0:
            s.coverage = max(s.coverage, coverage(info, s.text + "\n" + "".join(scoped), weight, intent.quoted, title))
        if meeting and not written_meeting(meeting, s.doc.text):
            s.coverage *= 0.5  # the question names a kind of meeting this document is not about
        if (verbs := intent.extra.get("predicate")) and not any(_written(v, s.text) for v in verbs):
            s.coverage *= 0.5  # the sentence does not say what is asked: "谁介绍" with no 介绍
        paragraph = _paragraph(s)
        # A person of the opening is one who took part, not the document's own speaker (the
        # byline of a speech, in its head, is): "杜文清…提了哪几点要求" is asked of his part.
        own = heads[s.doc.doc_id] if one_document else title
        missing = [e for e in entities if e not in s.text and e not in (own if e in names else named) and e not in scoped]
        # Only a person may be named elsewhere in the paragraph (its speaker); a place must be here.
        if any(e not in paragraph or e not in names for e in missing):
            s.coverage *= 0.5  # a person or place the question names is not here
        elif missing:
            # "刘玉杰要求,…… 为加快建设……作出新的更大贡献": the paragraph names the speaker.
            s.coverage = coverage(info, s.text + "\n" + "".join(missing + scoped), weight, intent.quoted, title)
    return titles


MEETING_NAMED = 0.5  # share of the question's meeting words a document's head must write


def _meeting_named(intent: Intent, contexts: dict[str, str], weight: Callable[[str], float]) -> str | None:
    """The one document whose head writes most of the meeting phrase's words (by weight), at
    least ``MEETING_NAMED`` of them and its kind of meeting; None when none does, or two tie."""
    phrase = intent.extra.get("meeting_phrase", "")
    words = [k for k in intent.keywords if len(k) >= 2 and k in phrase]
    total = sum(weight(k) for k in words)
    if not words or total <= 0:
        return None
    share = {d: sum(weight(k) for k in words if written_close(k, c)) / total
             for d, c in contexts.items() if written_meeting(_meeting_kind(phrase), c)}
    ranked = sorted(share.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MEETING_NAMED or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _meeting_kind(phrase: str) -> str:
    """The kind of meeting a phrase ends with: 表彰会 of 建党百年两优一先表彰会."""
    m = re.search(rf"[{CJK}]{{2}}(?:大会|会议|会)$", phrase)
    return m.group(0) if m else phrase


def _reported_before(s: Sentence, words: Sequence[str]) -> list[str]:
    """The reporting acts among ``words`` (通报, 介绍, 讲话) that ``s`` does not write but an
    earlier sentence of its paragraph does: ``s`` goes on with what was reported."""
    acts = [w for w in words if w in REPORTING and len(w) >= 2 and not written(w, s.text, speech=True)]
    if not acts or not any(w in s.text for w in words if w not in REPORTING):
        return []  # the act alone is said of every sentence after it: the sentence must say the rest
    before = s.doc.text[_line_start(s) : s.start]
    return [w for w in acts if written(w, before, speech=True)]


def _place_in_force(s: Sentence, place: str, names: Sequence[str]) -> bool:
    """``place`` is the topic of the sentence's paragraph up to ``s``: named earlier in the
    paragraph ("在金山村，……。村里今年已完成户厕改造186座") with no other place of its
    kind (another …村) named since."""
    if place in names:
        return False
    text = s.doc.text
    start = _line_start(s)
    at = text.rfind(place, start, s.start)
    if at < 0:
        return False
    since = text[at + len(place) : s.end]
    return not any(p != place and p.endswith(place[-1]) and len(p) >= 2 for _, _, p in places(since))


def _home_place(s: Sentence, place: str, names: Sequence[str]) -> bool:
    """``place`` is the sentence's own place by self-reference: the sentence says 全镇 / 我镇 /
    本镇 / 镇里 (the place's own kind) in a document that names ``place``, and no other place
    of that kind is named in its paragraph up to it."""
    # Not a village: a report names many (在青松村，……村里 is the in-force case above).
    if place in names or len(place) < 3 or place.endswith("村"):
        return False
    kind = place[-1]
    if not re.search(f"[全我本该]{kind}|{kind}里", s.text) or place not in s.doc.text:
        return False
    # Under another place of its kind (在青松村，……村里): that one is meant.
    text = s.doc.text
    start = _line_start(s)
    return not any(p != place and p.endswith(kind) and len(p) >= 2 for _, _, p in places(text[start : s.end]))


LEAD_CHARS = 200  # how much of a document's opening paragraph names it


HEAD_LINE_CHARS = 30  # a line above the opening this short is a byline or a date line


def _head_and_lead(doc: Document, title: str) -> tuple[list[str], str]:
    """The short lines above a document's opening (a speech's byline 县委常委、副县长 覃立军, its
    date line) and the opening paragraph itself."""
    lines = [p.strip() for p in doc.text.split("\n") if p.strip() and not is_page_chrome(p.strip())]
    first = 1 if lines and to_simplified(lines[0]) == title else 0  # the title line is no opening
    at = next((i for i in range(first, len(lines)) if len(lines[i]) >= 20), len(lines))
    head = [p for p in lines[first:at] if len(p) <= HEAD_LINE_CHARS]
    return head, lines[at] if at < len(lines) else ""


def document_head(doc: Document, title: str = "") -> str:
    """The title and head lines: who a document is by (a speech's byline), not who took part."""
    title = title or to_simplified(doc.title)
    return "\n".join([title, *_head_and_lead(doc, title)[0]])


def document_context(doc: Document, title: str = "") -> str:
    """The text that names a document: its title, head lines and the start of its opening
    paragraph (where a report says which meeting, where, who). A question's words
    found here pick the document ("阜阳座谈会上…", "全县推进会讲话里…")."""
    title = title or to_simplified(doc.title)
    # The head names it as much as its title does.
    head, lead = _head_and_lead(doc, title)
    # A report cut before its start (村集体经济"清零"的目标任务,并对…) names its meeting in the
    # first sentence that holds one (5月9日上午召开的…动员大会上…) rather than in its lead.
    held = "" if _HELD.search(lead[:LEAD_CHARS]) else next(
        (m.group(0) for m in _HELD_SENTENCE.finditer(doc.text, 0, OPENING_CHARS)), "")
    # The document's own dates name it too (2019年 of "2019年全年任务" in a report dated 2019).
    return "\n".join([title, *head, " ".join(doc.dates), lead[:LEAD_CHARS], held])


OPENING_CHARS = 600  # how far into a document the sentence holding its meeting is looked for
_HELD = re.compile("召开|举行|举办|开班")
_HELD_SENTENCE = re.compile(r"[^。！？!?\n]{0,80}(?:召开|举行|举办|开班)[^。！？!?\n]{0,60}")


def content_words(keywords: Sequence[str], context: str, title: str = "", asked: Sequence[str] = (),
                  where: Sequence[str] = ()) -> list[str]:
    """The keywords a sentence of a document must hold: those not naming the
    document (``context``, see ``document_context``). When every keyword names the
    document, the words outside its title are asked (the old rule), else all.
    The verbs the question asks about (``asked``: 参加 of "多少名书记参加了座谈会")
    never name the document, even when its opening writes them."""
    # When every word names the document, the question asks what its opening says: the words
    # outside its title, but for the places the question names (``where``: 青禾 of 青禾县).
    return ([k for k in keywords if k in asked or not _names_document(k, context)]
            or [k for k in keywords if k not in title and not any(k in p for p in where)]
            or [k for k in keywords if k not in title] or list(keywords))


def _names_document(word: str, context: str) -> bool:
    """``word`` names the document: written in its title or opening, or a meeting the
    question coins for it (禁烧会 of a report on the 秸秆禁烧和综合利用工作部署会)."""
    if len(word) < 2:
        return False
    coined = len(word) >= 3 and word.endswith("会") and written_meeting(word, context)
    return word in context or word in MEETING_WORDS or coined


def _point_heading(s: Sentence) -> str:
    """The short opening sentence of the enumerated point ``s`` belongs to (一要……。
    二是……。第三……。) earlier in its paragraph; "" when there is none."""
    text = s.doc.text
    start = _line_start(s)
    heading = ""
    for a, b in split_sentences(text[start : s.start]):
        if _ORDINAL.match(text[start + a : start + b].strip()):
            heading = text[start + a : start + b].strip()
    return heading if len(heading) <= 30 else ""


TOPIC_CHARS = 12  # a sentence this short, right before another, states its topic


def _topic_before(s: Sentence) -> str:
    """The sentence right before ``s`` in its paragraph when it is short and has no
    comma (要推动社会参与。): the topic ``s`` goes on to detail; "" otherwise."""
    before = _sentence_before(s).strip()
    return before if len(before) <= TOPIC_CHARS and not re.search(r"[，,；;：:]", before) else ""


GOES_ON = 0.9  # a sentence read with the one before it holds their words at this discount
_GOES_ON = re.compile(r"\s*(?:该|其|此|这|上述|以上|项目|工程|其中|目前|截至目前|截至|计划|预计|共|总|涉及)")


def _sentence_before(s: Sentence) -> str:
    """The sentence right before ``s`` in its paragraph; "" when ``s`` opens it."""
    start = _line_start(s)
    spans = split_sentences(s.doc.text[start : s.start])
    return s.doc.text[start + spans[-1][0] : start + spans[-1][1]] if spans else ""


def _written(word: str, text: str) -> bool:
    """``word`` is in ``text`` (or a word of the same meaning: 参加 ~ 出席), or its characters
    are, in order and close together (参会 ~ 参加会议)."""
    return written(word, text, speech=True) or bool(re.search(".{0,3}".join(map(re.escape, word)), text))


def _line_start(s: Sentence) -> int:
    """Where the paragraph (line) of ``s`` starts in its document."""
    return s.doc.text.rfind("\n", 0, s.start) + 1


def _paragraph(s: Sentence) -> str:
    text = s.doc.text
    start = _line_start(s)
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
    start = _line_start(s)
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


# Another occurrence than the one reported: 第二期, 下一次, 明年.
# What a text says of a time to come (下一次, 下步, 今后): where the next occurrence asked is told.
_TOLD_NEXT = re.compile(r"下一?次|下一?届|下一?轮|下一?期|明年|下步|下一步|今后")
_OTHER_OCCURRENCE = re.compile(r"第[二三四五六七八九十\d]|[二三四五六七八九十]期|下次|下届|下轮|下期|明年")


def _asks_meeting_day(intent: Intent) -> bool:
    """The question asks on which day the reported meeting was held ("哪天开的"), so the
    document's own date answers it: no deadline, no other act (结业考试安排在哪天), no other
    occurrence (第二期哪天开班)."""
    held = same_meaning("召开")
    return (not intent.extra.get("deadline")
            and all(v in held for v in intent.extra.get("predicate", ()))
            and not _OTHER_OCCURRENCE.search("".join(intent.keywords)))


def _holder_hidden(intent: Intent, text: str) -> bool:
    """The post the question asks the holder of (宣传委员) is written right before a hidden
    name (宣传委员邓*, 乡长XXX): the name is what the document withholds."""
    posts = [k for k in intent.keywords if len(k) >= 2 and re.search(f"{TITLE_POST}$", k)]
    hidden = re.compile(rf"\s*(?:{MASKED_NAME.pattern}|{REDACTION.pattern})")
    return any(hidden.match(text, m.end()) for k in posts for m in re.finditer(re.escape(k), text))


def _hiding(intent: Intent, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The redaction marks in ``text[start:end]`` that may hide what the question asks: a
    hidden name does not hide a place written beside it (在县人民法院第一审判庭旁听了…莫**…)."""
    stop = len(text) if end is None else end
    return [(a, b) for a, b in redactions(text) if start <= a and b <= stop and hides_answer(intent.kind, text, a, b)]


def _hides_all(intent: Intent, part: Part) -> bool:
    """The answer span is hidden: a mark of the asked kind sits in it, and it is not a list
    whose other items are written (白沙乡、XX镇、龙湾镇位列前三名 names two of the three)."""
    if part.found is None:
        return False
    text, (s, e) = part.sentence.text, (part.found.start, part.found.end)
    marks = _hiding(intent, text, s, e)
    if not marks:
        return False
    items = [x for x in re.split(r"[、，,和及]", text[s:e]) if x.strip()]
    return len(items) <= 1 or all(redactions(x) for x in items)


def _other_event(intent: Intent, doc: Document, title: str) -> list[str]:
    """The words of a date question that name something else than the meeting itself: 结业考试
    of "培训班结业考试安排在哪一天" (the report's own date is not its day)."""
    held = same_meaning("召开") | {"开始", "时间", "日期"}
    content = content_words(intent.keywords, document_context(doc, title), title)
    return [w for w in content if w not in held and w not in MEETING_WORDS and not w.endswith("会")]


def _deadline(doc: Document) -> bool:
    """The document's first date is a deadline (6月30日前完成), not a day anything was held."""
    at = doc.text.find(doc.dates[0])
    return at >= 0 and re.match(r"\s*(?:前|之前|以前|底前|为止|截止)", doc.text[at + len(doc.dates[0]) :]) is not None


# After a deadline, what is handed in and to whom: "前报县农业局备案", "前报送镇党建办".
_HANDED_AFTER = re.compile(
    r"[^，,。；;]{0,6}?(?:之|以)?前\s*(?:将[^，,。；;]{1,12}?)?(?:统一)?(?:报送|上报|报|交|送|提交|反馈)(?:至|到|给)?"
    r"\s*([^，,。；;：:（(]{2,16}?)(?=备案|审核|审定|汇总|审批|[，,。；;（(]|$)")


def with_recipient(text: str, found: Found) -> Found:
    """A deadline asked with its recipient ("啥时候前报到哪里"): the span from the date to
    whom it goes, as the sentence writes them ("4月底前报县农业局"); the date alone when the
    sentence names no recipient right after it."""
    to = _HANDED_AFTER.match(text, found.end)
    return Found(text[found.start : to.end(1)], found.start, to.end(1)) if to else found


def _extract(intent: Intent, best: Sentence, title: str) -> Part | str:
    """The direct answer inside ``best``; or "refuse" / "redacted" / "date"."""
    found: Found | None = None
    direct = ""
    if (intent.extra.get("remainder") or intent.extra.get("done")) and (left := remainder_of(intent, best.text)) is not None:
        if isinstance(left, Found):
            return Part(best, left.text, left)  # 还有650户未完成: stated
        at = best.text.find(left.more)
        return Part(best, left.render(), Found(left.more, at, at + len(left.more)) if at >= 0 else None)
    if (intent.kind == "person" or intent.extra.get("name")) and _holder_hidden(intent, best.text):
        return "redacted"  # "宣传委员叫什么名字" of "宣传委员邓*": the name asked is hidden
    if intent.kind in TYPED:
        found = find_typed(intent, best.text)
        if found is None and (listed := _counted_items(intent, best) or _counted_people(intent, best)):
            return listed
        if found is None:
            cs, ce = best_clause(intent, best.text, title=title)
            if _hiding(intent, best.text, cs, ce):
                return "redacted"  # the clause that would hold the answer is hidden
            if (intent.kind == "date" and best.doc.dates and _asks_meeting_day(intent) and not _deadline(best.doc)
                    and not _other_event(intent, best.doc, title)):
                return "date"
            return _sentence_answer(intent, best, title) or "refuse"
        direct = found.text
        if intent.extra.get("recipient"):
            found = with_recipient(best.text, found)
            direct = found.text
        if intent.kind in ("number", "total") and (days := range_days(found.text)) and RANGE.fullmatch(found.text):
            direct = f"{days}天（{found.text}）"  # 47天（9月9日至10月25日）: both ends counted
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
    elif intent.extra.get("body_asked") and (found := body_asked(intent, best.text)):
        direct = found.text  # "由哪个部门牵头": 县人力资源和社会保障局
    elif found := cloze(intent, best.text):
        direct = found.text
    else:
        cs, ce = best_clause(intent, best.text, title=title)
        clause = best.text[cs:ce].strip("，,；;： ")
        if intent.kind == "list" or len(clause) >= 8:
            found = Found(clause, cs, ce)
            direct = found.text
    if intent.extra.get("person_name") and not (people(direct) or ADDRESSED.search(direct)):
        return "refuse"  # "讲话的镇党委书记叫啥": a name answers, not a date line or a post
    if (asked := intent.extra.get("full_name_of")) and not any(full_name_of(asked, direct, a, n) for a, _, n in people(direct)):
        return "refuse"  # "吴股长全名叫什么": 吴股长 again is no answer
    if intent.extra.get("which_kind") in PLACE_KINDS and not any(p[0] not in "各全该本每这那哪" for _, _, p in places(direct)):
        return "refuse"  # "哪几个乡镇被约谈": a sentence naming no town ("排名后三位的乡镇…") is no answer
    if intent.extra.get("next_time") and not _TOLD_NEXT.search(best.text):
        return "refuse"  # "下一次专题会啥时候开": the day of this one is no answer
    return Part(best, direct, found)



FACT_COVERAGE = 0.5  # share of the question's fact words (by weight) a fact line must hold
LEAD_IN = 40  # characters before a fact line that may say what it is about


def _fact_line(intent: Intent, sentences: Sequence[Sentence], best: Sentence, titles: dict[str, str],
               idf: Callable[[str], float]) -> Sentence | None:
    """The sentence of ``best``'s document that holds the kind of span asked and the
    question's fact words, when ``best`` holds neither: the line "上午9:00，会期半天" of a
    notice, "同意 32人,不同意 0人" of minutes. Their words name the meeting, so the title
    and opening lines hold most of the question and the fact line little of it; the
    words that do not name the document (上午; 同意) are what it must hold."""
    # Figures of a named unit, days and times: spans the line's own text types surely. A name
    # or a place read from a line that merely shares a word would be a guess, and so would
    # a figure of no unit (总数是多少) or a sum.
    if intent.kind not in ("number", "date", "time") or (intent.kind == "number" and not intent.unit):
        return None
    if find_typed(intent, best.text) is not None:
        return None
    doc = best.doc
    title = titles[doc.doc_id]
    held = same_meaning("召开") | {"开始", "时间", "日期", "地点"}
    context = document_context(doc, title)
    fact = [k for k in intent.keywords if len(k) >= 2 and k not in held and not _names_document(k, context)]
    if not fact:
        return None
    weight = _weight(intent, idf)

    def before(s: Sentence) -> str:
        """What leads into the line within its paragraph (下面对分红方案进行表决. / 一、会议时间)."""
        start = max(s.start - LEAD_IN, doc.text.rfind("\n\n", 0, s.start) + 1)
        return doc.text[start : s.start]

    lines = [(coverage(fact, before(s) + s.text, weight), s.coverage, -s.rank, s) for s in sentences
             if s.doc.doc_id == doc.doc_id and s is not best and find_typed(intent, s.text) is not None]
    lines = [x for x in lines if x[0] >= FACT_COVERAGE]
    return max(lines, key=lambda x: x[:3])[3] if lines else None


def _as(answer: Answer, strategy: str) -> Answer:
    """``answer`` labelled with the strategy that gave it (the eval reports each one's accuracy)."""
    answer.strategy = answer.strategy or strategy
    return answer


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
    if intent.kind in ("person", "list") and (field := answer_field(question, intent, passages, get_doc, _weight(intent, idf))):
        return _as(field, "field")  # "谁做的记录": the person a form's field names
    if intent.extra.get("items") and (listed := answer_headings(question, intent, passages, get_doc)):
        return _as(listed, "list:headings")
    if intent.extra.get("count_people") and (counted := count_people(question, intent, passages, get_doc)):
        return _as(counted, "people:count")
    if intent.extra.get("count_speakers") and (counted := count_speakers(question, intent, passages, get_doc)):
        return _as(counted, "people:speakers")
    if intent.extra.get("level_attendees") and (groups := attendee_groups(question, intent, passages, get_doc)):
        return _as(groups, "people:groups")
    cued = answer_cues(question, intent, sentences) if intent.extra.get("cues") else None
    if cued and not intent.extra.get("markers"):
        return _as(cued, "list:cues")
    titles = _score_sentences(intent, sentences, idf, question)
    if intent.extra.get("position") and (placed := item_at_position(question, intent, passages, get_doc)):
        return _as(placed, "list:position")
    if intent.extra.get("counted_section") and (headed := count_headed(question, intent, passages, get_doc)):
        return _as(headed, "list:headings")
    if intent.extra.get("count_listed") and (counted := count_listed(question, intent, _whole_documents(intent, sentences, idf, question))):
        return _as(counted, "list:count")
    if intent.extra.get("which_kind") and (named := name_listed(question, intent, _whole_documents(intent, sentences, idf, question))):
        return _as(named, "list:names")
    if intent.extra.get("org_of") and (org := answer_org(question, intent, sentences)):
        return _as(org, "people:org")
    if intent.extra.get("unnamed") and (rest := count_unnamed(question, intent, sentences)):
        return _as(rest, "people:unnamed")
    if (intent.extra.get("markers") or _chars_asked(intent)) and (items := answer_items(question, intent, sentences)):
        return _as(items, "list:items")
    if cued:
        return _as(cued, "list:cues")  # the items the question's cues open, when no list holds the markers
    if intent.extra.get("items") and (points := answer_points(question, intent, sentences, titles, idf)):
        return _as(points, "list:points")
    if intent.extra.get("object_of") and (objects := answer_objects(question, intent, sentences)):
        return _as(objects, "list:objects")
    if options := intent.extra.get("options"):
        return answer_option(question, intent, options, sentences) or refuse(question, sentences, passages, get_doc)
    if summed := answer_parts_total(question, intent, sentences):
        return _as(summed, "total:parts")
    best = _pick(intent, sentences, titles)
    if best is None:
        return refuse(question, sentences, passages, get_doc)
    part = _extract(intent, best, titles[best.doc.doc_id])
    if part == "refuse" and intent.kind == "total" and intent.extra.get("parts"):
        part = _joined_total(intent, best) or part
    if part == "refuse" and (line := _fact_line(intent, sentences, best, titles, idf)) is not None:
        part = _extract(intent, line, titles[line.doc.doc_id])
    if part == "redacted":
        return _redacted(question, best, _hiding(intent, best.text) or redactions(best.text))
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
    if part.found and _hides_all(intent, part) and (intent.kind in ("person", "list") or re.search("哪|谁|多少|几", question)):
        return _redacted(question, best, _hiding(intent, best.text) or redactions(best.text))
    full = _full_name(part) if intent.kind == "person" and len(parts) == 1 else None
    if intent.extra.get("full_name") and full is None and not people(part.direct):
        return refuse(question, sentences, passages, get_doc)  # "县长全名叫什么": 李副县长 is no full name
    if full is not None:
        # "苏部长在点评中指出": who is meant, by the full name the document gives him elsewhere.
        claims, shown, citations = _composed([part, full])
        claims[1] = replace(claims[1], after="，即")
        return answered(question, Layout(tuple(claims), tuple(shown)), citations)
    return _compose(question, parts)


def _full_name(part: Part) -> Part | None:
    """A person answered by surname and post (苏部长) and named in full once in the document
    with that post (区委组织部副部长、区委两新工委书记苏文斌): the part naming them in full;
    None when the answer is no such address, or the document names none or two."""
    m = ADDRESSED.fullmatch(part.direct)
    if not m:
        return None
    surname, post = part.direct[0], part.direct[1:]
    text = part.sentence.doc.text
    found: dict[str, tuple[int, int]] = {}
    for a, e, name in people(text):
        posts = posts_before(text, a)
        if name[0] == surname and any(p.endswith(post) for p in re.split("[、，,]", posts)):
            found.setdefault(name, (a - len(posts), e))
    if len(found) != 1:
        return None
    a, e = next(iter(found.values()))
    s, end = _sentence_at(part.sentence.doc, a)
    sentence = Sentence(part.sentence.doc, s, end, part.sentence.rank, part.sentence.coverage)
    return Part(sentence, text[a:e], Found(text[a:e], a - s, e - s))


def _whole_documents(intent: Intent, sentences: list[Sentence], idf: Callable[[str], float], question: str) -> list[Sentence]:
    """Every sentence of the documents ``sentences`` come from, scored like them: what a
    document lists may sit in a passage not retrieved, under a heading that was."""
    docs: dict[str, tuple[Document, int]] = {}
    for s in sentences:
        docs.setdefault(s.doc.doc_id, (s.doc, s.rank))
    whole = [Sentence(doc, a, b, rank) for doc, rank in docs.values() for a, b in split_sentences(doc.text)]
    _score_sentences(intent, whole, idf, question)
    return whole


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


def _redacted(question: str, best: Sentence, marks: list[tuple[int, int]]) -> Answer:
    mark = best.text[marks[0][0] : marks[0][1]]
    quote = best.doc.quote(best.start, best.end)
    return refused(question, Refusal.REDACTED, [Citation(1, best.doc.doc_id, best.doc.title, best.start, best.end, quote)],
                   mark=mark)


def idf_from(bm25) -> Callable[[str], float]:  # type: ignore[no-untyped-def]
    """Keyword weights from the BM25 index; words absent from the corpus get 0 (caller decides)."""
    def idf(term: str) -> float:
        n = len(bm25)
        df = len(bm25.postings.get(term, ()))
        if df == 0:
            return 0.0
        return max(math.log((n - df + 0.5) / (df + 0.5) + 1), 0.05)

    return idf
