"""Evidence spans: building them, snapping free text onto them, checking them.

An :class:`~rag.summary_schema.Evidence` is ``[start, end)`` into a document
plus ``quote == doc.display[start:end]``. The rule-based extractor knows its
offsets and calls :func:`span`. An LLM only knows the words it copied, so
:func:`snap_evidence` finds them again: exactly, then after folding width,
script and spaces, then fuzzily within a small edit budget.

Left out on purpose: searching across documents, and paraphrase matching. A
quote that is not (nearly) in the document gets ``None``, and its item is dropped.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from difflib import SequenceMatcher

from pydantic import BaseModel

from rag.summary_schema import Evidence, MeetingSummary, TextItem
from rag.types import Document

_EDGE = " \t\n\u3000,，.。、;；:：!！?？“”\"'‘’「」『』《》…"
_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def span(doc: Document, start: int, end: int) -> Evidence:
    """Evidence for ``[start, end)``, with surrounding spaces and punctuation trimmed."""
    start, end = trim(doc.text, start, end)
    if not 0 <= start < end <= len(doc.text):
        raise ValueError(f"empty or out-of-range span [{start}, {end}) in a {len(doc.text)}-character document")
    return Evidence(start=start, end=end, quote=doc.display[start:end])


def maybe_span(doc: Document, start: int, end: int) -> Evidence | None:
    """Like :func:`span`, but ``None`` when nothing but punctuation is left."""
    a, b = trim(doc.text, start, end)
    return span(doc, a, b) if 0 <= a < b <= len(doc.text) else None


def text_item(doc: Document, start: int, end: int) -> TextItem | None:
    """A :class:`TextItem` whose value is exactly the (simplified) text its evidence quotes."""
    ev = maybe_span(doc, start, end)
    return TextItem(value=doc.text[ev.start : ev.end], evidence=ev) if ev else None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past edge whitespace and punctuation, keeping paired quotes.

    ``“三农”工作`` keeps its opening quote because the closing one is inside;
    a stray trailing ``”`` or ``,`` goes. Brackets are never trimmed, so
    ``乡镇(街道)`` stays whole.
    """
    while start < end and text[start] in _EDGE:
        closer = _PAIRS.get(text[start])
        if closer and closer in text[start + 1 : end]:
            break
        start += 1
    while end > start and text[end - 1] in _EDGE:
        opener = _CLOSERS.get(text[end - 1])
        if opener and opener in text[start : end - 1]:
            break
        end -= 1
    return start, end


# --- snapping -----------------------------------------------------------------


def _fold_char(c: str) -> str:
    folded = unicodedata.normalize("NFKC", c)
    return folded if len(folded) == 1 else c


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` with width folded and whitespace removed, and each kept character's offset."""
    chars: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        if c.isspace():
            continue
        chars.append(_fold_char(c))
        where.append(i)
    return "".join(chars), where


def _closest(positions: list[int], near: int | None) -> int:
    return positions[0] if near is None else min(positions, key=lambda p: (abs(p - near), p))


def _find_all(haystack: str, needle: str) -> list[int]:
    out, i = [], haystack.find(needle)
    while i >= 0:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out


def snap_evidence(
    doc: Document, quote: str, *, tolerance: float = 0.1, near: int | None = None
) -> Evidence | None:
    """Find ``quote`` in ``doc`` and return exact evidence, or ``None``.

    Tries, in order: ``doc.text`` and ``doc.display`` verbatim; both after
    folding full/half width, traditional/simplified and spaces; then a fuzzy
    match that may differ in at most ``tolerance`` of the quote's characters
    (at least one). ``near`` (an offset) breaks ties between repeated quotes.
    Quotes shorter than four characters must match exactly.
    """
    q = quote.strip(_EDGE) or quote.strip()
    if not q:
        return None
    for haystack in (doc.text, doc.display):
        hits = _find_all(haystack, q)
        if hits:
            at = _closest(hits, near)
            return span(doc, at, at + len(q))
    from rag.cleaning import to_simplified  # lazy: loads OpenCC

    text_f, where = _folded(doc.text)
    q_f, _ = _folded(to_simplified(q))
    if not q_f:
        return None
    hits = _find_all(text_f, q_f)
    if hits:
        at = _closest(hits, None if near is None else _folded_index(where, near))
        return span(doc, where[at], where[at + len(q_f) - 1] + 1)
    if len(q_f) < 4:
        return None
    found = _fuzzy(text_f, q_f, tolerance, None if near is None else _folded_index(where, near))
    if found is None:
        return None
    a, b = found
    return span(doc, where[a], where[b - 1] + 1)


def _folded_index(where: list[int], offset: int) -> int:
    return min(range(len(where)), key=lambda i: abs(where[i] - offset)) if where else 0


def _fuzzy(text: str, q: str, tolerance: float, near: int | None) -> tuple[int, int] | None:
    """Best ``[a, b)`` of ``text`` within the edit budget, found from shared n-grams.

    Every n-gram of the quote that occurs in the text votes for where the quote
    would start; the few best-voted starts are aligned with ``SequenceMatcher``.
    """
    budget = max(1, int(len(q) * tolerance))
    n = 3 if len(q) >= 12 else 2
    votes: Counter[int] = Counter()
    for i in range(len(q) - n + 1):
        for pos in _find_all(text, q[i : i + n]):
            votes[pos - i] += 1
    best: tuple[int, int, int, int] | None = None  # (edits, distance, a, b)
    for guess, _ in votes.most_common(12):
        lo = max(0, guess - budget)
        window = text[lo : guess + len(q) + budget]
        blocks = [m for m in SequenceMatcher(None, window, q, autojunk=False).get_matching_blocks() if m.size]
        if not blocks:
            continue
        a, b = lo + blocks[0].a, lo + blocks[-1].a + blocks[-1].size
        matched = sum(m.size for m in blocks)
        edits = max(b - a, len(q)) - matched
        if edits > budget:
            continue
        key = (edits, 0 if near is None else abs(a - near), a, b)
        if best is None or key < best:
            best = key
    return None if best is None else (best[2], best[3])


# --- checking -----------------------------------------------------------------


def iter_evidence(summary: MeetingSummary) -> Iterator[tuple[str, Evidence]]:
    """Every ``(field, evidence)`` pair in a summary, in field order."""
    for name in type(summary).model_fields:
        value = getattr(summary, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, BaseModel) and isinstance(getattr(item, "evidence", None), Evidence):
                yield name, item.evidence  # type: ignore[attr-defined]


def check_evidence(doc: Document, summary: MeetingSummary) -> list[str]:
    """Problems with a summary's evidence; an empty list means every quote is exact."""
    problems = []
    if summary.doc_id != doc.doc_id:
        problems.append(f"summary is for {summary.doc_id}, document is {doc.doc_id}")
    for name, ev in iter_evidence(summary):
        actual = doc.display[ev.start : ev.end]
        if ev.end > len(doc.display) or actual != ev.quote:
            problems.append(f"{name}: [{ev.start}, {ev.end}) is {actual!r}, not {ev.quote!r}")
    return problems
