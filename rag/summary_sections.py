"""Cut a document into sections for the LLM summary's map step.

A local model reads a few thousand characters well and a whole speech badly,
so :mod:`rag.summarise_llm` sends a long document one section at a time.
:func:`split_sections` cuts at the outline headings (``一、`` ``二、`` …) first,
because a heading starts a new subject, then into ~1500-character windows on
sentence boundaries, and packs short neighbours back together so a short
document costs one request. Sections are offsets, not copies, so quotes can be
snapped back onto the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rag.guard import cn_to_int

SECTION_CHARS = 1500


@dataclass(frozen=True)
class Section:
    """``[start, end)`` of ``doc.text``, sent to the model as one request."""

    start: int
    end: int


# ``一、`` opens a heading at the start of a line or right after a sentence
# (seed 004 runs its outline inline: ``…提质增效。一、筑先锋堡垒``).
_HEADING = re.compile(r"(?:^|(?<=[。！？!?]))[ \t\u3000]*([一二三四五六七八九十]{1,3})、", re.M)
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』)）]*|\n")
_CLAUSE_END = re.compile(r"[，,、：:]")


def heading_starts(text: str) -> list[int]:
    """Offsets of the top-level headings ``一、`` ``二、`` … in order.

    A marker counts only when it continues the sequence 一、二、三、…, so a
    stray ``五、`` after a full stop, or an outline that never had ``一、``,
    does not cut.
    """
    out: list[int] = []
    expected = 1
    for m in _HEADING.finditer(text):
        if cn_to_int(m.group(1)) == expected:
            out.append(m.start(1))
            expected += 1
    return out


def _windows(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """``[start, end)`` in pieces of at most ``max_chars``, cut after a sentence where possible,
    else after a clause, else hard (one 2,000-character run-on sentence still gets cut)."""
    while end - start > max_chars:
        limit = start + max_chars
        cut = 0
        for pattern in (_SENTENCE_END, _CLAUSE_END):
            ends = [m.end() for m in pattern.finditer(text, start, limit) if m.end() <= limit]
            if ends:
                cut = ends[-1]
                break
        cut = cut if cut > start else limit
        yield start, cut
        start = cut
    if end > start:
        yield start, end


def split_sections(text: str, max_chars: int = SECTION_CHARS) -> list[Section]:
    """Contiguous sections covering ``text``, each at most ``max_chars`` long.

    A text that fits is one section. Otherwise it is cut at its headings,
    pieces still too long are cut into windows on sentence boundaries, and
    neighbouring pieces are packed back together while they fit, so short
    headed parts share a request. Worked example (``max_chars=1500``): a
    400-character preamble, ``一、`` of 900 and ``二、`` of 2,000 characters give
    [preamble + 一、] (1,300), then ``二、`` in two windows.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, not {max_chars}")
    if not text.strip():
        return []
    if len(text) <= max_chars:
        return [Section(0, len(text))]
    cuts = [0, *(h for h in heading_starts(text) if h > 0), len(text)]
    pieces = [w for a, b in zip(cuts, cuts[1:], strict=False) for w in _windows(text, a, b, max_chars)]
    packed: list[Section] = []
    start, end = pieces[0]
    for a, b in pieces[1:]:
        if b - start <= max_chars:
            end = b
        else:
            packed.append(Section(start, end))
            start, end = a, b
    packed.append(Section(start, end))
    return packed
