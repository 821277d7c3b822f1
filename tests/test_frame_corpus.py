"""The meeting frame on every document of the development corpus and the seeds: every
evidence quote is the document's text at its offsets (the frame's one law)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.evidence import check_evidence
from rag.meeting.frame import extract
from rag.metadata import make_document

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted((ROOT / "eval/corpus").glob("*/*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))


def test_the_corpus_is_there():
    assert len(FILES) >= 66 + 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_frame_quote_is_the_document_text(path):
    doc = make_document(path.read_text(encoding="utf-8"), str(path))
    frame = extract(doc)
    assert check_evidence(doc, frame) == []
