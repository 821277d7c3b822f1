"""Plain data passed between layers. No behaviour beyond small conveniences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """A cleaned document. ``text`` (simplified) and ``display`` (original script)
    have the same length, so one ``[start, end)`` addresses both."""

    doc_id: str
    source: str
    title: str
    dates: tuple[str, ...]
    text: str
    display: str
    raw: str
    to_raw: Sequence[int]  # len(display) + 1 entries; a stored document's is a ``RunMap``
    redacted: bool
    script: str  # "simplified" | "traditional" | "mixed"
    raw_sha: str

    def quote(self, start: int, end: int) -> str:
        """The cited span as the user wrote it (original script)."""
        return self.display[start:end]


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    index: int
    start: int
    end: int
    text: str  # == document.text[start:end]
    header: str  # "title | date": prepended for embedding only

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}:{self.index:05d}"


@dataclass(frozen=True)
class Passage:
    """A retrieved span of a document (one chunk, or neighbours merged)."""

    doc_id: str
    title: str
    start: int
    end: int
    text: str  # simplified
    score: float
    rank: int = 0
    chunk_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    title: str
    start: int
    end: int
    quote: str  # original script, == display[start:end]

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class Cited:
    """One claim of an extractive answer and the passages it cites (numbered from 1)."""

    text: str
    cites: tuple[int, ...]
    after: str = "；"  # what joins it to the claim before it


@dataclass(frozen=True)
class Shown:
    """Passage ``n`` shown on its own 原文 line: its quote, centred on [start, end) of it."""

    n: int
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Layout:
    """What an extractive answer says, before ``rag.render`` writes it: the claims of its
    first line, then one line per shown passage or note (a note is plain text)."""

    claims: tuple[Cited, ...]
    lines: tuple[Shown | str, ...] = ()


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    engine: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    standalone_question: str | None = None
    related: list[Citation] = field(default_factory=list)  # "possibly related" on refusal
    removed: list[str] = field(default_factory=list)  # sentences the guard removed
    passages: list[Passage] = field(default_factory=list)
    strategy: str | None = None  # what produced it: "sentence", "frame:chair", "scored:typed" ...
    confidence: float | None = None  # the learned scorer's calibrated probability, when it decided
    layout: Layout | None = None  # an extractive answer's claims and quotes: ``answer`` is written from it

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "engine": self.engine,
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "standalone_question": self.standalone_question,
            "related": [c.to_json() for c in self.related],
            "removed_sentences": self.removed,
            "strategy": self.strategy,
            "confidence": None if self.confidence is None else round(self.confidence, 3),
        }

