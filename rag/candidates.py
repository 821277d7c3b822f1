"""Answer candidates and the features a learned scorer weighs them by.

The sentence engine (``rag.extractive``) decides by hand-set gates: a sentence must hold
half the question's keyword weight, a typed span must be in the picked sentence, a
predicate must be written. On documents it was not built on it refuses too often (30% of
answerable questions, with the answer in the first passage). Here every sentence of the
retrieved passages that holds the asked-for kind of span proposes a ``Candidate``, and the
decision moves to numbers: coverage of the question's words in the clause, sentence,
paragraph and document *separately*, words the corpus never uses, the span's distance to
the question's words, passage rank, predicate and named-entity agreement, answer kind.
``rag.scoring`` turns them into a calibrated probability; one threshold, chosen on the dev
split, decides between answering and refusing.

The hand-written strategies (the sentence engine, the meeting frame's slots) are not a
gate in front of the scorer any more: each finished answer they give is *offered* as one
more candidate (``from_engine`` / ``from_frame`` say which), with the same features
measured on the sentence it cites, and the one scorer decides between all candidates and
a refusal. So a strategy that answers a question the documents do not answer can be
overruled, and a span the strategies missed can win.

Left out on purpose: candidates across sentences (totals, lists of items) are only
proposed by the strategies that build them and offered whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rag.extract_core import Part, Sentence, coverage
from rag.extractive import candidate_sentences
from rag.meeting.venue import BUILDING
from rag.question import (
    CJK,
    DURATION,
    Intent,
    dates,
    figure_text,
    numbers,
    people,
    places,
    redactions,
    role_before,
)
from rag.render import Refusal, head_words, refused
from rag.spans import (
    DURATION_UNITS,
    MONTH_PART,
    TYPED,
    Found,
    act_clauses,
    best_clause,
    by_date,
    cloze,
    enumerations,
    find_typed,
    is_year,
    unit_matches,
)
from rag.types import Answer, Citation, Document, Passage
from rag.zh.masks import hides_answer
from rag.zh.names import SURNAMES
from rag.zh.numerals import counts
from rag.zh.predicates import same_meaning, written

KINDS = ("person", "number", "total", "date", "place", "role", "list", "other")
FEATURES = (
    "cov_clause", "cov_sentence", "cov_paragraph", "cov_document", "cov_context",
    "unseen_share", "missing_in_document", "typed", "span_chars", "distance", "passage_rank",
    "sentence_rank", "predicate_ok", "entities_in_sentence", "entities_in_document", "cloze", "enum", "unit_ok",
    "spans_in_sentence", "gap_sentence", "gap_clause", "top_document", "document_share",
    "missing_in_paragraph", "missing_top", "from_engine", "from_frame", "redacted",
    "fact_in_sentence", "fact_in_clause", "fact_missing_document", "has_fact",
    "cov_window", "bigrams_window", "bigrams_clause", "bigrams_sentence",
    "in_field", "label_asked", "keyword_touch", "predicate_clause", "surname_ok",
    *(f"kind_{k}" for k in KINDS),
)
MAX_SENTENCES = 40  # sentences of the retrieved passages considered, best covered first


@dataclass
class Candidate:
    """One proposed answer: a span (or clause) of one sentence, with its features."""

    sentence: Sentence
    found: Found
    strategy: str
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0
    answer: Answer | None = None  # a finished answer offered by a strategy, shown as it is

    def part(self) -> Part:
        return Part(self.sentence, self.found.text, self.found)


# A labelled field of a form, minutes or notice: "记录：村委会文书刘小燕", "地点: 三楼会议室".
_FIELD = re.compile(rf"(?:^|(?<=[\s；;。]))([{CJK}]{{1,6}})\s*[：:]")


def _field_label(text: str, start: int) -> str:
    """The label of the field whose value holds ``start`` ("" when the span is not in one)."""
    labels = [m for m in _FIELD.finditer(text, 0, start) if m.end() <= start]
    return labels[-1].group(1) if labels else ""


def _shares_word(a: str, b: str, size: int = 2) -> bool:
    """Do ``a`` and ``b`` write a common run of ``size`` characters (记录 in 会议记录)?"""
    return any(a[i : i + size] in b for i in range(len(a) - size + 1))


def _touches(words: Sequence[str], text: str, found: Found) -> bool:
    """A question word written right beside the span or inside it: 记者冉秋实 for "记者是哪位",
    石龙村第一书记黄永辉 for "第一书记叫什么"."""
    for k in words:
        for m in re.finditer(re.escape(k), text):
            if m.end() >= found.start - 2 and m.start() <= found.end + 2:
                return True
    return False


def _whole_name(text: str) -> bool:
    """Does a person span end in a whole name (a surname two or three characters from its
    end)? "海涛" cut from 邱海涛 does not."""
    return any(len(text) >= k and text[-k] in SURNAMES for k in (2, 3))


def _clause_of(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in re.finditer(r"[，,；;：:]", text[:start])), default=0)
    stop = re.search(r"[，,；;。：:]", text[end:])
    return text[left : end + (stop.start() if stop else len(text) - end)]


WINDOW = 20  # characters either side of a span that its "window" features look at


def _bigrams(text: str) -> set[str]:
    cjk = re.sub(r"[^\u4e00-\u9fff0-9A-Za-z]+", "|", text)
    return {cjk[i : i + 2] for i in range(len(cjk) - 1) if "|" not in cjk[i : i + 2]}


def _share(asked: set[str], text: str) -> float:
    """Share of the question's character pairs written in ``text``: word boundaries and
    paraphrase (限时 ~ 时间控制) hurt it less than whole-word coverage."""
    return len(asked & _bigrams(text)) / len(asked) if asked else 0.0


def _said(word: str, text: str) -> bool:
    return word in text or (len(word) >= 2 and written(word, text))


def _paragraph(doc: Document, start: int) -> str:
    a = doc.text.rfind("\n", 0, start) + 1
    b = doc.text.find("\n", start)
    return doc.text[a : b if b >= 0 else len(doc.text)]


def _kind(intent: Intent) -> str:
    return intent.kind if intent.kind in KINDS else ("list" if intent.kind == "list" else "other")


def _spans(intent: Intent, text: str) -> list[tuple[Found, str]]:
    """Every span of one sentence that could answer, and the strategy that found it.

    For a typed question every span of the kind is proposed (each number with a fitting
    unit, each person, date or place), not only the one nearest the question's words:
    which one answers is for the scorer to weigh (distance and clause coverage are
    features), so the right span is not lost to a hand-set tie-break.
    """
    out: list[tuple[Found, str]] = []
    kind = intent.kind
    if kind in ("number", "total"):
        seen: set[int] = set()
        for s, e, v, u in numbers(text):
            # A year (2017年) is when, not how much or how long (as in find_typed).
            if u and unit_matches(u, intent.unit) and not (is_year((s, e, v, u)) and intent.unit != "年"):
                out.append((Found(figure_text(text, s, e, v, u), s, e), "typed"))
                seen.add(s)
        for c in counts(text):  # 一百二十余人, 近两百人: counts written in words
            if c.start not in seen and unit_matches(c.unit, intent.unit):
                out.append((Found(text[c.start : c.end], c.start, c.end), "typed"))
    elif kind == "date":
        out += [(Found(d, s, e), "typed") for s, e, d in dates(text)
                if not by_date(intent, text, e)]
        if intent.extra.get("deadline"):
            # A deadline is often a part of a month (8月底前, 11月中旬前); a day asked is not.
            out += [(Found(m.group(0), m.start(), m.end()), "typed") for m in MONTH_PART.finditer(text)]
    elif kind == "person":
        acts = act_clauses(text, intent.extra.get("predicate", ()))  # who did the act asked, if written
        for s, e, n in people(text):
            role = role_before(text, s)
            if n not in intent.keywords and (acts is None or any(a <= s < b for a, b in acts)):
                out.append((Found(role + n, s - len(role), e), "typed"))
    elif kind == "place":
        room = intent.extra.get("room")
        out += [(Found(p, s, e), "typed") for s, e, p in places(text)
                if p not in intent.keywords and (not room or re.search(rf"(?:{BUILDING})$", p))]
    elif kind == "role":
        if found := find_typed(intent, text):
            out.append((found, "typed"))
    if kind in TYPED:
        return out
    if kind == "list":
        # "实地观摩了A、B和C": each 、-list of the sentence, from its first item to its last.
        for listed in enumerations(text):
            a, b = listed.items[0].start, _list_end(listed.items)
            out.append((Found(text[a:b], a, b), "enum"))
    if found := cloze(intent, text):
        out.append((found, "cloze"))
    cs, ce = best_clause(intent, text)
    clause = text[cs:ce].strip("，,；;：: 。")
    if len(clause) >= 4 and (intent.kind != "list" or "、" in clause):
        start = cs + text[cs:ce].index(clause)
        out.append((Found(clause, start, start + len(clause)), "clause"))
    return out


# What follows a list in its clause: the verb the listed things share (作了表态发言, 先后介绍).
_AFTER_LIST = re.compile(r"作了?|进行|先后|分别|依次|均|都|获|被|位列|参加|出席|列席|发言|介绍|汇报|受邀")


def _list_end(items: Sequence[Found]) -> int:
    """Where a 、-list ends: its last item is cut before the shared verb when it runs
    longer than the others ("杨柳镇、龙潭乡、石门镇作了表态发言" ends at 石门镇)."""
    last = items[-1]
    longest = max(len(i.text) for i in items[:-1])
    if len(last.text) > longest + 1 and (m := _AFTER_LIST.search(last.text, 2)):
        return last.start + m.start()
    return last.end


def propose(
    intent: Intent,
    question: str,
    passages: Sequence[Passage],
    get_doc: Callable[[str], Document],
    weight: Callable[[str], float],
    idf: Callable[[str], float],
    offered: Sequence[tuple[Answer, str]] = (),
) -> list[Candidate]:
    """Candidates from the retrieved passages and the strategies' finished answers
    (``offered``: answer and strategy name), each with its features filled in."""
    words = [k for k in intent.keywords if len(k) >= 2] or list(intent.keywords)
    if not words:
        return []
    total = sum(weight(k) for k in words) or 1.0
    unseen = sum(weight(k) for k in words if idf(k) <= 0) / total
    entities = [n for _, _, n in people(question)] + [p for _, _, p in places(question) if len(p) >= 3]
    asked = intent.extra.get("predicate", ())
    sentences = candidate_sentences(passages, get_doc)
    for sent in sentences:
        sent.coverage = coverage(words, sent.text, weight, intent.quoted)
    sentences.sort(key=lambda x: (-x.coverage, x.rank, x.start))
    out: list[Candidate] = []
    context: dict[str, str] = {}
    # An act of a known meaning the question asks (主持, 参加, 召开): a span of a sentence that
    # does not write it (…程立斌宣读了方案) is no answer to "谁主持的", however well it scores.
    # Taking part is often told without its verb (与来自各社区的15名年轻干部面对面交流): not checked.
    acts = [v for v in asked if same_meaning(v) != {v} and v not in same_meaning("参加")]
    for n, sent in enumerate(sentences[:MAX_SENTENCES], start=1):
        spans = _spans(intent, sent.text) if not acts or any(written(a, sent.text) for a in acts) else []
        for found, strategy in spans:
            c = _candidate(sent, found, strategy, n, intent, words, weight, total, unseen, entities, asked, context)
            c.features["spans_in_sentence"] = 1.0 / len(spans)  # one of many numbers is less sure
            out.append(c)
        for ms, me in redactions(sent.text):
            if not hides_answer(intent.kind, sent.text, ms, me):
                continue  # a hidden name does not hide the figure asked beside it
            # The asked fact may be the one the document hides (邓*, xx处): a refusal that
            # says so competes with the spans, so a neighbouring figure does not answer.
            c = _candidate(sent, Found(sent.text[ms:me], ms, me), "redacted", n, intent, words, weight,
                           total, unseen, entities, asked, context)
            c.features["redacted"] = 1.0
            c.answer = _redacted_answer(question, sent, sent.text[ms:me])
            out.append(c)
    order = {(x.doc.doc_id, x.start): n for n, x in enumerate(sentences[:MAX_SENTENCES], start=1)}
    for answer, strategy in offered:
        if (placed := _placed(answer, passages, get_doc)) is None:
            continue
        sent, found = placed
        sent.coverage = coverage(words, sent.text, weight, intent.quoted)
        n = order.get((sent.doc.doc_id, sent.start), MAX_SENTENCES)
        c = _candidate(sent, found, strategy, n, intent, words, weight, total, unseen, entities, asked, context)
        c.features["from_engine"] = float(not strategy.startswith("frame"))
        c.features["from_frame"] = float(strategy.startswith("frame"))
        c.features["spans_in_sentence"] = 1.0
        c.answer = answer
        out.append(c)
    # Relative to the question's other candidates: the best-covered one stands out or not.
    top_sentence = max((c.features["cov_sentence"] for c in out), default=0.0)
    top_clause = max((c.features["cov_clause"] for c in out), default=0.0)
    docs = [p.doc_id for p in passages]
    for c in out:
        c.features["gap_sentence"] = c.features["cov_sentence"] - top_sentence
        c.features["gap_clause"] = c.features["cov_clause"] - top_clause
        c.features["top_document"] = float(bool(docs) and c.sentence.doc.doc_id == docs[0])
        c.features["document_share"] = docs.count(c.sentence.doc.doc_id) / len(docs) if docs else 0.0
    return out


def _redacted_answer(question: str, sent: Sentence, mark: str) -> Answer:
    doc = sent.doc
    cited = Citation(1, doc.doc_id, doc.title, sent.start, sent.end, doc.quote(sent.start, sent.end))
    return refused(question, Refusal.REDACTED, [cited], mark=mark, strategy="redacted")


def _placed(answer: Answer, passages: Sequence[Passage],
            get_doc: Callable[[str], Document]) -> tuple[Sentence, Found] | None:
    """The sentence a finished answer cites first, and its short answer located in it."""
    if not answer.citations:
        return None
    cited = answer.citations[0]
    doc = get_doc(cited.doc_id)
    rank = next((p.rank or n for n, p in enumerate(passages, start=1)
                 if p.doc_id == cited.doc_id and p.start <= cited.start < p.end), len(passages) + 1)
    sent = Sentence(doc, cited.start, cited.end, rank)
    short = head_words(answer).strip()
    at = sent.text.find(short) if short else -1
    return sent, (Found(short, at, at + len(short)) if at >= 0 else Found(short, 0, len(sent.text)))


def _candidate(
    s: Sentence, found: Found, strategy: str, n: int, intent: Intent, words: list[str],
    weight: Callable[[str], float], total: float, unseen: float, entities: list[str],
    asked: Sequence[str], context: dict[str, str],
) -> Candidate:
    """One candidate with its features."""
    doc = s.doc
    if doc.doc_id not in context:
        lead = next((x.strip() for x in doc.text.split("\n") if len(x.strip()) >= 20), "")
        context[doc.doc_id] = doc.title + "\n" + lead[:200]
    clause = _clause_of(s.text, found.start, found.end)
    # The question's own fact words: those the document's title and opening do not write.
    # The rest name the meeting; a sentence that answers need not repeat them, but it
    # should hold the fact words ("第二期", "宾馆"), or the question asks something else.
    fact = [k for k in words if not _said(k, context[doc.doc_id])]
    fact_total = sum(weight(k) for k in fact) or 1.0
    window = s.text[max(0, found.start - WINDOW) : found.end + WINDOW]
    asked_pairs = {b for b in _bigrams(" ".join(fact or words))}
    anchors = [m.start() for k in words for m in re.finditer(re.escape(k), s.text)]
    distance = min((abs(a - found.start) for a in anchors), default=len(s.text))
    paragraph = _paragraph(doc, s.start)
    label = _field_label(s.text, found.start)
    asked_units = DURATION_UNITS if intent.unit == DURATION else tuple(intent.unit.split("|")) if intent.unit else ()
    f = {
        "cov_clause": coverage(words, clause, weight),
        "cov_sentence": s.coverage,
        "cov_paragraph": coverage(words, paragraph, weight),
        "cov_document": coverage(words, doc.text, weight),
        "cov_context": coverage(words, context[doc.doc_id], weight),
        "unseen_share": unseen,
        "missing_in_document": sum(weight(k) for k in words if k not in doc.text) / total,
        "typed": float(strategy == "typed"),
        "span_chars": min(len(found.text), 60) / 60,
        "distance": min(distance, 60) / 60,
        "passage_rank": 1.0 / s.rank,
        "sentence_rank": 1.0 / n,
        "predicate_ok": float(not asked or any(written(v, s.text, speech=True) for v in asked)),
        "entities_in_sentence": float(all(e in s.text for e in entities)) if entities else 1.0,
        "entities_in_document": float(all(e in doc.text for e in entities)) if entities else 1.0,
        "cloze": float(strategy == "cloze"),
        "enum": float(strategy == "enum"),
        "unit_ok": float(bool(intent.unit) and any(found.text.rstrip("余多").endswith(u) for u in asked_units)),
        "spans_in_sentence": 0.0,
        # Answerability: a question word the candidate's paragraph, or the whole document,
        # never writes (宾馆, 天气, 第二期) asks about something the documents do not say.
        "missing_in_paragraph": sum(weight(k) for k in words if not _said(k, paragraph)) / total,
        "missing_top": max((weight(k) for k in words if not _said(k, doc.text)), default=0.0) / total,
        "from_engine": 0.0,
        "from_frame": 0.0,
        "redacted": 0.0,
        "fact_in_sentence": coverage(fact, s.text, weight) if fact else 1.0,
        "fact_in_clause": coverage(fact, clause, weight) if fact else 1.0,
        "fact_missing_document": sum(weight(k) for k in fact if not _said(k, doc.text)) / fact_total,
        "has_fact": float(bool(fact)),
        "cov_window": coverage(words, window, weight),
        "bigrams_window": _share(asked_pairs, window),
        "bigrams_clause": _share(asked_pairs, clause),
        "bigrams_sentence": _share(asked_pairs, s.text),
        # Where the span sits: the value of a labelled field the question names (记录：X for
        # "谁做的会议记录"), beside a question word (记者X), in the clause of the asked verb.
        "in_field": float(bool(label)),
        "label_asked": float(bool(label) and _shares_word(label, " ".join(intent.keywords))),
        "keyword_touch": float(_touches(fact, s.text, found)),
        "predicate_clause": float(bool(asked) and any(written(v, clause, speech=True) for v in asked)),
        "surname_ok": float(_whole_name(found.text)) if intent.kind == "person" else 1.0,
        **{f"kind_{k}": float(_kind(intent) == k) for k in KINDS},
    }
    return Candidate(s, found, strategy, f)
