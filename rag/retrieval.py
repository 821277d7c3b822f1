"""Hybrid retrieval: dense (Chroma) + BM25 (jieba), fused by reciprocal rank.

The BM25 index is built once per process from the tokens stored at ingest
time, and updated by document (added/removed) when the store's generation
changes, never per query. Neighbouring chunks of one document are merged
into one passage rather than shown twice. ``MeetragRetriever`` exposes the same
search as a LangChain ``BaseRetriever``.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from rag.cleaning import normalise_query
from rag.lexical import BM25Index, add_terms, tokenize
from rag.settings import Settings
from rag.store import DocStore
from rag.types import Chunk, Passage
from rag.vectors import VectorStore

RRF_K = 60


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal-rank fusion: sum of 1 / (k + rank) over the rankings (rank from 1)."""
    scores: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (k + rank)
    return dict(scores)


def merge_neighbours(chunks: Sequence[tuple[Chunk, float]], text_of: Any, limit: int) -> list[Passage]:
    """Merge overlapping/adjacent chunks of one document into single passages.

    ``chunks`` come best first; a merged passage keeps the best score of its parts
    and the rank of its best part.
    """
    groups: list[dict[str, Any]] = []
    for chunk, score in chunks:
        for g in groups:
            if g["doc_id"] == chunk.doc_id and chunk.start <= g["end"] + 1 and chunk.end >= g["start"] - 1:
                g["start"], g["end"] = min(g["start"], chunk.start), max(g["end"], chunk.end)
                g["ids"].append(chunk.chunk_id)
                break
        else:
            if len(groups) >= limit:
                continue
            groups.append(
                {"doc_id": chunk.doc_id, "start": chunk.start, "end": chunk.end, "score": score, "ids": [chunk.chunk_id]}
            )
    return [
        Passage(
            doc_id=g["doc_id"],
            title=text_of(g["doc_id"]).title,
            start=g["start"],
            end=g["end"],
            text=text_of(g["doc_id"]).text[g["start"] : g["end"]],
            score=g["score"],
            rank=i + 1,
            chunk_ids=tuple(sorted(g["ids"])),
        )
        for i, g in enumerate(groups)
    ]


class HybridRetriever:
    """Dense + lexical search over the committed documents of one store."""

    def __init__(self, settings: Settings, store: DocStore, vectors: VectorStore, embeddings: Any) -> None:
        self.settings = settings
        self.store = store
        self.vectors = vectors
        self.embeddings = embeddings
        self._bm25 = BM25Index()
        self._chunks: dict[str, Chunk] = {}
        self._docs: set[str] = set()
        self._generation = -1
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Bring the BM25 index up to date with the store, by document."""
        gen = self.store.generation()
        if gen == self._generation:
            return
        with self._lock:
            if gen == self._generation:
                return
            if self._generation >= 0 and self.store.changed_elsewhere(self._generation, gen):
                self.vectors.reopen()  # e.g. `meetrag ingest` while the app runs
            current = set(self.store.doc_ids())
            for doc_id in self._docs - current:
                for cid in [c for c, ch in self._chunks.items() if ch.doc_id == doc_id]:
                    self._bm25.remove(cid)
                    del self._chunks[cid]
            added = sorted(current - self._docs)
            for sc in self.store.chunks(added):
                self._bm25.add(sc.chunk.chunk_id, sc.tokens)
                self._chunks[sc.chunk.chunk_id] = sc.chunk
            add_terms(self.store.terms())
            self._docs = current
            self._generation = gen

    @property
    def bm25(self) -> BM25Index:
        self.refresh()
        return self._bm25

    def dense(self, query: str, k: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        """The ``k`` most similar chunks, best first; equal similarities by chunk id.

        Chroma returns vectors of equal similarity (the shared chunks of
        near-duplicate documents) in an order that changes from one process to the
        next, and cuts a tie at ``k`` anywhere: answers would then depend on the
        process. So ask for more than ``k``, until the tie at the cut is whole, and
        break ties by id. Example: k=2, similarities a:0.9, c:0.8, b:0.8, d:0.8 -> fetch
        until a similarity below 0.8 (or the end) shows up, then keep a, b.
        """
        vec = self.embeddings.embed_query(query)
        fetch = k + max(8, k // 2)
        while True:
            hits = sorted(self.vectors.query(vec, fetch, doc_ids), key=lambda h: (-h[1], h[0]))
            if len(hits) < fetch or len(hits) <= k or hits[k - 1][1] > hits[-1][1]:
                return hits[:k]
            fetch *= 2

    def lexical(self, query: str, k: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        allowed = {c for c, ch in self._chunks.items() if ch.doc_id in doc_ids} if doc_ids else None
        return self._bm25.top(tokenize(query), k, allowed)

    def search(self, query: str, k: int | None = None, doc_ids: Sequence[str] | None = None) -> list[Passage]:
        """Top passages for a question, best first."""
        self.refresh()
        k = k or self.settings.top_k
        q = normalise_query(query)
        n = self.settings.candidates
        dense = self.dense(q, n, doc_ids)
        # The index may be updated by another thread's refresh: read it under the lock.
        with self._lock:
            dense = [(c, s) for c, s in dense if c in self._chunks]
            lexical = self.lexical(q, n, doc_ids)
            fused = rrf([[c for c, _ in dense], [c for c, _ in lexical]])
            ranked = sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
            chunks = [(self._chunks[c], s) for c, s in ranked if c in self._chunks]
        return merge_neighbours(chunks, self.store.get, k)


class MeetragRetriever(BaseRetriever):
    """LangChain retriever over the hybrid search; metadata carries offsets for citing."""

    hybrid: Any
    k: int = 6
    doc_ids: list[str] | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [
            LCDocument(
                page_content=p.text,
                metadata={
                    "doc_id": p.doc_id,
                    "title": p.title,
                    "start": p.start,
                    "end": p.end,
                    "score": p.score,
                    "rank": p.rank,
                },
            )
            for p in self.hybrid.search(query, self.k, self.doc_ids)
        ]
