"""Totals the engine answers when no single typed span holds them: the items of a
complete 、-list counted ("一共几样" → ``7样（良田、良种、…）``), the people a sentence names
counted ("几个人发言" → ``4人（吕红霞、…）``), and a total whose named
parts are written over consecutive sentences of one paragraph.

Separate from ``rag.extractive`` because these are fallbacks of ``_extract`` that
build their own answer span (a count or a sum), not a span found in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.chunking import split_sentences
from rag.extract_core import Part, Sentence, _clause_spans, _compose, section_heading
from rag.question import Intent, people
from rag.spans import Enumeration, Found, act_clauses, enumerations, total_of
from rag.types import Answer
from rag.zh.kinds import ITEM_KINDS, KindList, is_of_kind, kind_lists, strip_note
from rag.zh.names import DESCRIPTOR, POST
from rag.zh.predicates import same_meaning, written


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


PEOPLE_UNITS = ("人", "名", "位")
_UNREAD_NAME = re.compile(rf"(?:{POST}|{DESCRIPTOR})[\u4e00-\u9fff]{{2,3}}(?=[、和及与，,])")


def _counted_people(intent: Intent, best: Sentence) -> Part | None:
    """"一共几个人发言" over a sentence that names them and writes no figure: count the people
    named where the act asked is written, shown with them: ``4人（吕红霞、张晓楠、刘长青、马德军）``."""
    if intent.kind not in ("number", "total") or intent.unit not in PEOPLE_UNITS:
        return None
    text = best.text
    acts = act_clauses(text, intent.extra.get("predicate", ())) or [(0, len(text))]
    found = [(s, e, n) for s, e, n in people(text) if any(a <= s < b for a, b in acts) and n not in intent.keywords]
    names = list(dict.fromkeys(n for _, _, n in found))
    if len(names) < 2 or len(names) != len(found):
        return None
    # A post with a name after it that was not read as one (主席刘长海和…): the count would be short.
    gaps = [text[a:b] for a, b in zip([acts[0][0]] + [e for _, e, _ in found], [s for s, _, _ in found] + [acts[-1][1]], strict=True)]
    if any(_UNREAD_NAME.search(g) for g in gaps):
        return None
    start, end = found[0][0], found[-1][1]
    return Part(best, f"{len(names)}{intent.unit}（{'、'.join(names)}）", Found(text[start:end], start, end))


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


PARTS_COVERAGE = 0.3  # a sentence whose figures match every part named holds at least this much of the question


def answer_parts_total(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"第一书记和工作队员加起来多少人": the total of the parts the question names, from the
    sentence (or run of consecutive sentences) where each part has its own figure. That
    every part matches one figure of its own is the evidence, so the sentence need not be
    the one holding most of the question's words (the attendance sentence that also names
    第一书记 and 工作队员, without their figures, often is). Of such sentences the one
    holding most of the question's words, then the better-ranked passage."""
    if intent.kind != "total" or not intent.extra.get("parts") or intent.extra.get("exclude"):
        return None
    found = [(s.coverage, -s.rank, s, total) for s in sentences
             if s.coverage >= PARTS_COVERAGE and (total := total_of(intent, s.text))]
    if found:
        _, _, s, total = max(found, key=lambda f: (f[0], f[1]))
        return _compose(question, [Part(s, total.render(), None)])
    return None


LIST_COVERAGE = 0.3  # a list counted must sit where the question's words are at least this much


def count_listed(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"通知了几个乡镇来参会", "参会名单列了多少个单位": count the things of the kind asked that a
    complete list names, when the document does not write how many there are. The list
    must sit where the question's act is written (in its sentence or its section's heading:
    参会 of 四,参会人员) and among the question's words (in its sentence or that heading);
    of such lists the one holding most of them, then the longest. ``sentences`` are every
    sentence of the documents retrieved, scored: a list need not be in a passage retrieved. Shown with the items: ``12个（韩村镇、柳湖镇、…）``."""
    kind = intent.extra["count_listed"]
    acts = [k for k in intent.keywords if len(same_meaning(k)) > 1]
    scored = {(s.doc.doc_id, s.start): s.coverage for s in sentences}
    left_out = [k for k in re.split("和|、|及|与|或", intent.extra.get("exclude", "")) if k in ITEM_KINDS]
    found: list[tuple[float, int, Sentence, KindList]] = []
    for s in sentences:
        at, heading = section_heading(s.doc, s.start)
        relevance = max(s.coverage, scored.get((s.doc.doc_id, at), 0.0))
        if relevance < LIST_COVERAGE:
            continue
        if acts and not any(written(a, s.text + heading) for a in acts):
            continue
        for listed in kind_lists(s.text, kind):
            if left_out:
                # "不算村和社区": the items of the kinds left out are not counted.
                kept = tuple((a, b) for a, b in listed.items if not any(is_of_kind(s.text[a:b], k) for k in left_out))
                listed = KindList(kept, listed.complete, listed.stated)
            if listed.stated and listed.items:
                return None  # the document writes the count: the figure answers, not a tally
            if len(listed.items) >= 2 and (listed.complete or intent.extra.get("named_items")):
                found.append((relevance, len(listed.items), s, listed))
    if not found:
        return None
    _, n, s, listed = max(found, key=lambda f: (f[0], f[1]))
    items = [strip_note(s.text[a:b]) for a, b in listed.items]  # 镇应急管理办公室(消防站): the name
    if len(set(items)) != n:
        return None
    unit = "家" if "家" in question else "个"
    a, b = listed.items[0][0], listed.items[-1][1]
    return _compose(question, [Part(s, f"{n}{unit}（{'、'.join(items)}）", Found(s.text[a:b], a, b))])


NAMED_COVERAGE = 0.5  # a list named as the answer sits where the question's words are at least this much


def name_listed(question: str, intent: Intent, sentences: Sequence[Sentence]) -> Answer | None:
    """"哪几个乡镇作了交流发言", "哪些部门配合": the things of the kind asked that a list
    names, in the sentence holding most of the question's words (then the best-ranked
    passage's, then the longest list);
    a list closed by 等 still names them. ``sentences``: every sentence of the documents
    retrieved, scored."""
    kind = intent.extra["which_kind"]
    found = [(s.coverage, len(listed.items), s, listed) for s in sentences if s.coverage >= NAMED_COVERAGE
             for listed in kind_lists(s.text, kind)]
    if not found:
        return None
    _, _, s, listed = max(found, key=lambda f: (f[0], -f[2].rank, f[1]))
    items = [strip_note(s.text[a:b]) for a, b in listed.items]
    a, b = listed.items[0][0], listed.items[-1][1]
    gaps = [s.text[e:n] for (_, e), (n, _) in zip(listed.items, listed.items[1:], strict=False)]
    # The list as written (云峰村、茶坪村和石门村) when only separators stand between its items.
    shown = s.text[a:b] if all(re.fullmatch(r"\s*(?:[、，,]|和|及|与|以及)\s*", g) for g in gaps) else "、".join(dict.fromkeys(items))
    return _compose(question, [Part(s, shown, Found(s.text[a:b], a, b))])
