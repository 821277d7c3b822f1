"""Hybrid retrieval: dense (Chroma) + BM25 (jieba), fused by reciprocal rank.

The BM25 index is built once per process from the tokens stored at ingest
time, and updated by document (added/removed) when the store's generation
changes, never per query. Neighbouring chunks of one document are merged
into one passage rather than shown twice. ``MeetragRetriever`` exposes the same
search as a LangChain ``BaseRetriever``.

What a question costs does not grow with the index where it need not (#16: answer
p95 grew from 22 to 72 ms between 5 and 500 documents): a question's vector is
embedded once however many searches its answer makes; a search within a few
documents scores their own vectors exactly instead of filtering the whole
collection by metadata (9 ms at 500 documents, against 2 ms); and the chunks of a
document are found in a map, not by scanning all chunks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
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
# Question vectors kept per retriever. One answer searches the same question 2-4 times
# (over the index, then within the meeting it names, then per part of a two-part
# question); embedding it each time was half of an answer's retrieval time.
QUERY_VECTORS = 256
# A search within at most this many chunks scores their vectors here; a larger scope
# goes to the vector store's filtered search. Documents whose vectors are kept.
SCOPED_CHUNKS = 2000
SCOPED_DOCS = 64
REFRESH_DOCS = 100  # documents whose chunks are loaded together into the BM25 index
# Documents added by one refresh from which what is alive then is moved out of the
# garbage collector's sight (``gc.freeze``). At 5,000 documents the index is ~280,000
# objects and one full collection, which any answer may trigger, took 120-145 ms: the
# fourth-slowest of the benchmark's 60 answers, so its p95 (#16).
FREEZE_DOCS = 1000


def _freeze_long_lived() -> None:
    """Collect once, then freeze the survivors: later collections skip them. They are
    still freed when no longer referenced (reference counting); only a cycle among them
    would stay, and the index holds none."""
    import gc

    gc.collect()
    gc.freeze()


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal-rank fusion: sum of 1 / (k + rank) over the rankings (rank from 1)."""
    scores: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] += 1.0 / (k + rank)
    return dict(scores)


class ChunkSpan:
    """Where a chunk is (its id, document and offsets): what a search keeps of each
    chunk. Its text is the document's to give; keeping every chunk's text and a
    ``Chunk`` per chunk cost ~50 MB at 5,000 documents (#16)."""

    __slots__ = ("chunk_id", "doc_id", "start", "end")

    def __init__(self, chunk_id: str, doc_id: str, start: int, end: int) -> None:
        self.chunk_id, self.doc_id, self.start, self.end = chunk_id, doc_id, start, end

    def __repr__(self) -> str:
        return f"ChunkSpan({self.chunk_id!r}, {self.start}, {self.end})"


def merge_neighbours(chunks: Sequence[tuple[Chunk | ChunkSpan, float]], text_of: Any, limit: int) -> list[Passage]:
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
        self._chunks: dict[str, ChunkSpan] = {}
        self._by_doc: dict[str, list[str]] = {}  # doc_id -> its chunk ids
        self._docs: set[str] = set()
        self._generation = -1
        self._lock = threading.Lock()
        self._query_vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._query_lock = threading.Lock()
        # doc_id -> (chunk ids, unit vectors as rows); a document's id is the hash of its
        # text and the index has one vector space, so its vectors never change.
        self._doc_vectors: OrderedDict[str, tuple[list[str], Any]] = OrderedDict()

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
                self.forget()  # its vectors may have been repaired or replaced
            current = set(self.store.doc_ids())
            removed: list[str] = []
            for doc_id in self._docs - current:
                for cid in self._by_doc.pop(doc_id, []):
                    removed.append(cid)
                    self._chunks.pop(cid, None)
                with self._query_lock:
                    self._doc_vectors.pop(doc_id, None)
            self._bm25.remove_many(removed)  # one pass over the postings for all of them
            added = sorted(current - self._docs)
            # A slice of documents at a time: their stored token lists are a few hundred
            # short strings per chunk, and loading every chunk's at once made a peak of
            # ~100 MB per 500 documents that the process kept (#16, 5,000 documents).
            # The documents themselves are not read: the chunks' offsets are enough.
            for at in range(0, len(added), REFRESH_DOCS):
                names = {d: d for d in added[at : at + REFRESH_DOCS]}  # one str per document id
                for cid, stored_doc, start, end, tokens in self.store.chunk_rows(list(names)):
                    doc_id = names[stored_doc]
                    self._bm25.add(cid, tokens.split(" "))
                    self._chunks[cid] = ChunkSpan(cid, doc_id, start, end)
                    self._by_doc.setdefault(doc_id, []).append(cid)
            add_terms(self.store.terms())
            self._docs = current
            self._generation = gen
            if len(added) >= FREEZE_DOCS:
                _freeze_long_lived()

    @property
    def bm25(self) -> BM25Index:
        self.refresh()
        return self._bm25

    def forget(self) -> None:
        """Drop the kept question and document vectors (the benchmark times every
        question as a new one, so its figures hold for questions never asked before)."""
        with self._query_lock:
            self._query_vectors.clear()
            self._doc_vectors.clear()

    def query_vector(self, query: str) -> list[float]:
        """The embedding of ``query``, from the last ``QUERY_VECTORS`` questions when it
        was asked before (the same embedder, so the same vector)."""
        with self._query_lock:
            vec = self._query_vectors.get(query)
            if vec is not None:
                self._query_vectors.move_to_end(query)
                return vec
        vec = list(self.embeddings.embed_query(query))
        with self._query_lock:
            self._query_vectors[query] = vec
            while len(self._query_vectors) > QUERY_VECTORS:
                self._query_vectors.popitem(last=False)
        return vec

    def dense(self, query: str, k: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        """The ``k`` most similar chunks, best first; equal similarities by chunk id.

        Chroma returns vectors of equal similarity (the shared chunks of
        near-duplicate documents) in an order that changes from one process to the
        next, and cuts a tie at ``k`` anywhere: answers would then depend on the
        process. So ask for more than ``k``, until the tie at the cut is whole, and
        break ties by id. Example: k=2, similarities a:0.9, c:0.8, b:0.8, d:0.8 -> fetch
        until a similarity below 0.8 (or the end) shows up, then keep a, b.
        """
        vec = self.query_vector(query)
        self.refresh()  # the scope's chunks come from the map refresh keeps
        with self._lock:
            # A small archive in the embedded store is searched exactly, like a scope: the
            # store's HNSW search is approximate and its misses change from one process to the
            # next (an answer would depend on the run). Its documents' vectors stay cached
            # (SCOPED_DOCS). A Chroma server is asked every time: its vectors are the truth,
            # and a server that is down must be reported, not answered around from a cache.
            small = len(self._by_doc) <= SCOPED_DOCS and not self.settings.chroma_url
            wanted = list(dict.fromkeys(doc_ids)) if doc_ids else (list(self._by_doc) if small else [])
            scope = [(d, self._by_doc.get(d, [])) for d in wanted]
        if scope and sum(len(ids) for _, ids in scope) <= SCOPED_CHUNKS:
            return self._dense_within(vec, scope, k)
        fetch = k + max(8, k // 2)
        while True:
            hits = sorted(self.vectors.query(vec, fetch, doc_ids), key=lambda h: (-h[1], h[0]))
            if len(hits) < fetch or len(hits) <= k or hits[k - 1][1] > hits[-1][1]:
                return hits[:k]
            fetch *= 2

    def _dense_within(self, vec: list[float], scope: list[tuple[str, list[str]]], k: int) -> list[tuple[str, float]]:
        """The ``k`` chunks of the scope's documents most similar to ``vec``, by the cosine
        of their stored vectors (what the store's cosine space computes), ties by id."""
        import numpy as np

        ids: list[str] = []
        rows = []
        for doc_id, chunk_ids in scope:
            kept, matrix = self._vectors_of(doc_id, chunk_ids)
            if kept:
                ids += kept
                rows.append(matrix)
        if not ids:
            return []
        q = np.asarray(vec, dtype=np.float64)
        sims = np.vstack(rows) @ (q / max(float(np.linalg.norm(q)), 1e-12))
        return sorted(zip(ids, map(float, sims), strict=True), key=lambda h: (-h[1], h[0]))[:k]

    def _vectors_of(self, doc_id: str, chunk_ids: list[str]) -> tuple[list[str], Any]:
        """A document's chunk ids that have a vector, and those vectors as unit rows."""
        import numpy as np

        with self._query_lock:
            cached = self._doc_vectors.get(doc_id)
            if cached is not None:
                self._doc_vectors.move_to_end(doc_id)
                return cached
        got = self.vectors.vectors(chunk_ids)  # a vector lost from the store is left out
        ids = [c for c in chunk_ids if c in got]
        if not ids:
            return [], None
        matrix = np.array([got[c] for c in ids], dtype=np.float64)
        matrix /= np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)
        if len(ids) == len(chunk_ids):  # a document missing vectors is read again next time (repair)
            with self._query_lock:
                self._doc_vectors[doc_id] = (ids, matrix)
                while len(self._doc_vectors) > SCOPED_DOCS:
                    self._doc_vectors.popitem(last=False)
        return ids, matrix

    def lexical(self, query: str, k: int, doc_ids: Sequence[str] | None) -> list[tuple[str, float]]:
        allowed = {c for d in doc_ids for c in self._by_doc.get(d, ())} if doc_ids else None
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
