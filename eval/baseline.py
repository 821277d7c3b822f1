"""The comparison point: a vanilla LangChain RAG pipeline, as its tutorial builds it.

* the RAW file text (no cleaning: pinyin annotations, web boilerplate and
  traditional characters stay in);
* ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200,
  add_start_index=True)``;
* the same embedding model as meetrag, handed in as a LangChain ``Embeddings``;
* ``langchain_chroma.Chroma`` on an in-memory chromadb client, with the
  embedding function passed explicitly (chromadb's default one downloads);
* ``similarity_search(question, k=4)``, filtered by ``source`` stem when the
  question names a document (metadata filtering is the tutorial's own
  "query analysis" step; it keeps the comparison with our scoped search fair).

Where the tutorial calls an LLM, this stands in with an extractive answer: the
sentence of the top chunk sharing the most character bigrams with the
question (ties go to the earlier sentence), cited as ``[1]`` = the top chunk.
Bigrams are counted on normalised text, as an LLM reads both scripts.
Like vanilla RAG it never refuses unless nothing is retrieved, and it has no
conversation memory (follow-up questions arrive without history).
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from eval.matching import bigrams
from rag.render import REFUSAL

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*[”’」』]?")
_WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]")


def best_sentence(question: str, text: str) -> tuple[int, int] | None:
    """``[start, end)`` of the sentence of ``text`` sharing the most character bigrams
    with the question; ties go to the earliest. None if ``text`` has no sentence."""
    q = bigrams(question)
    best: tuple[int, int] | None = None
    best_score = -1
    for m in _SENTENCE.finditer(text):
        s = m.group(0)
        if len(_WORD_CHAR.findall(s)) < 2:
            continue
        score = len(q & bigrams(s))
        if score > best_score:
            lead = len(s) - len(s.lstrip())
            best, best_score = (m.start() + lead, m.end() - (len(s) - len(s.rstrip()))), score
    return best


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:60]
    return fallback


class BaselinePipeline:
    """Vanilla LangChain RAG over raw files; ``ask`` returns our answer shape as a dict."""

    def __init__(self, store: Any, n_chunks: int, k: int = TOP_K) -> None:
        self.store = store
        self.n_chunks = n_chunks
        self.k = k

    @classmethod
    def build(
        cls,
        paths: Iterable[str | Path],
        embeddings: Embeddings,
        *,
        chunk_size: int = CHUNK_SIZE,
        chunk_overlap: int = CHUNK_OVERLAP,
        k: int = TOP_K,
        directory: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> BaselinePipeline:
        """Split, embed and index the files (folders are expanded like ``meetrag ingest``).

        In memory by default; with ``directory``, in a persistent Chroma folder (the
        benchmark measures its size on disk)."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from rag.loading import iter_files, load_text

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True
        )
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(directory), settings=chroma_settings)
            name = "baseline"
        else:
            client = chromadb.EphemeralClient(settings=chroma_settings)
            # A fresh name per build: ephemeral clients in one process share their storage.
            name = f"baseline-{uuid.uuid4().hex[:12]}"
        store = Chroma(collection_name=name, embedding_function=embeddings, client=client)
        files = list(iter_files(paths))
        n = 0
        for done, path in enumerate(files):
            if progress:
                progress(done, len(files))
            text = load_text(path)
            meta = {"source": str(path), "stem": path.stem, "title": _title(text, path.stem)}
            chunks = splitter.create_documents([text], metadatas=[meta])
            if chunks:
                store.add_documents(chunks, ids=[f"{path.stem}:{i:05d}" for i in range(len(chunks))])
                n += len(chunks)
        if progress:
            progress(len(files), len(files))
        return cls(store, n, k)

    def ask(self, question: str, doc: str | None = None) -> dict[str, Any]:
        """Retrieve k chunks, answer with the best sentence of the top one, cited as [1]."""
        t0 = time.perf_counter()
        hits = self.store.similarity_search(question, k=self.k, filter={"stem": doc} if doc else None)
        t1 = time.perf_counter()
        passages = [
            {
                "doc_id": h.metadata["stem"],
                "title": h.metadata["title"],
                "start": int(h.metadata["start_index"]),
                "end": int(h.metadata["start_index"]) + len(h.page_content),
                "text": h.page_content,
            }
            for h in hits
        ]
        span = best_sentence(question, passages[0]["text"]) if passages else None
        if span is None:
            answer, refused, citations = REFUSAL, True, []
        else:
            top = passages[0]
            answer = top["text"][span[0] : span[1]] + "[1]"
            refused = False
            citations = [
                {"n": 1, **{k: top[k] for k in ("doc_id", "title", "start", "end")}, "quote": top["text"]}
            ]
        t2 = time.perf_counter()
        return {
            "question": question,
            "answer": answer,
            "refused": refused,
            "citations": citations,
            "engine": "baseline",
            "timings_ms": {
                "retrieve": (t1 - t0) * 1000,
                "answer": (t2 - t1) * 1000,
                "total": (t2 - t0) * 1000,
            },
            "standalone_question": None,
            "related": [],
            "removed_sentences": [],
            "strategy": "baseline",
            "confidence": None,
            "passages": passages,
        }
