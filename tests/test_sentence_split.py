"""Sentences are split by jumping from mark to mark (#16: a question listing the meetings
of a 5,000-document archive splits hundreds of documents); the spans are the ones the
character-by-character loop gave."""

from __future__ import annotations

import random

from rag.chunking import _CLOSE, _CLOSERS, _ENDERS, _OPEN, _full_stop, split_sentences


def _split_by_character(text: str) -> list[tuple[int, int]]:
    """``split_sentences`` as it was written before #16: one step per character."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = None
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            if start is not None:
                spans.append((start, i))
            start, depth = None, 0
            i += 1
            continue
        if start is None:
            if c.isspace():
                i += 1
                continue
            start = i
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        i += 1
        if (c in _ENDERS or (c == "." and _full_stop(text, i - 1))) and depth == 0:
            while i < n and text[i] in _CLOSERS:
                i += 1
            spans.append((start, i))
            start = None
        elif c in _CLOSE and depth == 0 and i >= 2 and text[i - 2] in _ENDERS:
            spans.append((start, i))
            start = None
    if start is not None and text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def test_sentences_split_by_marks_are_the_ones_split_by_character(seed_docs) -> None:
    for doc in seed_docs.values():
        for text in (doc.text, doc.display, doc.raw):
            assert split_sentences(text) == _split_by_character(text)
    rng = random.Random(16)
    alphabet = "会议。！？；!?;“「『”」』)）】’.\n  \t\u3000a1书记,，"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert split_sentences(text) == _split_by_character(text), repr(text)
