"""Totals the engine answers when no single typed span holds them: the items of a
complete 、-list counted ("一共几样" → ``7样（良田、良种、…）``) and a total whose named
parts are written over consecutive sentences of one paragraph.

Separate from ``rag.extractive`` because these are fallbacks of ``_extract`` that
build their own answer span (a count or a sum), not a span found in the sentence.
"""

from __future__ import annotations

from rag.chunking import split_sentences
from rag.extract_core import Part, Sentence, _clause_spans
from rag.question import Intent
from rag.spans import Enumeration, Found, enumerations, total_of


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
