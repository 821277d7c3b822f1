"""What the extractive-engine tests share: a made-up document, an answer to a
question over it without any index, and the two invariants every answer keeps
(each quote is the document's text at its offsets; each claim is supported by
what the answer cites)."""

from __future__ import annotations

from rag.extractive import answer_extractive
from rag.guard import support
from rag.metadata import make_document
from rag.question import analyse
from rag.types import Answer, Document, Passage


def doc(text: str, name: str = "doc") -> Document:
    return make_document(text, f"/tmp/{name}.txt")


def answer(question: str, *docs: Document) -> tuple[Answer, dict[str, Document]]:
    """The engine's answer with every document as one whole passage (in the given order),
    each word weighted alike; and the documents by id."""
    by_id = {d.doc_id: d for d in docs}
    passages = [Passage(d.doc_id, d.title, 0, len(d.text), d.text, 1.0, rank) for rank, d in enumerate(docs, start=1)]
    return answer_extractive(question, analyse(question), passages, by_id.__getitem__, lambda _k: 1.0), by_id


def cited_exactly(answer: Answer, by_id: dict[str, Document]) -> None:
    """The invariant of every answer: each quote is the document's text at its offsets."""
    assert answer.citations
    for c in answer.citations:
        assert c.quote == by_id[c.doc_id].display[c.start : c.end]


def supported(answer: Answer, first_line_only: bool = False) -> None:
    """Each claim of the answer is supported by what the answer cites (rag.guard)."""
    evidence = "\n".join(c.quote for c in answer.citations)
    lines = answer.answer.split("\n")
    for line in lines[:1] if first_line_only else lines:
        for claim in filter(None, line.split("；")):
            assert support(claim, evidence)[0], (claim, support(claim, evidence))
