"""Does the vector index hold a vector for every committed chunk? Check, and repair.

SQLite is the source of truth: a committed document of ``n_chunks`` chunks must
have exactly the vectors ``doc_id:00000 .. doc_id:{n-1}``. Vectors go missing
when the ``chroma/`` folder is deleted, or MEETRAG_CHROMA_URL points at a fresh
``chroma run`` server: without a check, ingest says "5 unchanged" and questions
fall back to keyword search in silence. The chunk text is stored in SQLite, so
missing vectors are re-embedded from it, without reading the files again, and
come out identical to the lost ones.

Three entry points: ``check_index`` (one pass over the vector ids: what is
missing, and which vectors belong to no document), ``repair_index`` (re-embed the
missing, delete the orphans; the caller holds the writer lock), and
``vector_gap`` (two counts, cheap enough to run before every question).
Left out: vectors present under the right id but computed by another model;
``DocStore.check_vector_space`` guards that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rag.store import DocStore
from rag.vectors import VectorStore


@dataclass(frozen=True)
class IndexHealth:
    where: str  # the vector store, as messages name it
    documents: int
    chunks: int  # committed chunks: vectors expected
    vectors: int  # vectors found
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # doc_id -> chunk ids with no vector
    orphans: tuple[str, ...] = ()  # doc ids owning vectors but not committed

    @property
    def missing_chunks(self) -> int:
        return sum(len(ids) for ids in self.missing.values())

    @property
    def ok(self) -> bool:
        return not self.missing and not self.orphans

    def describe(self) -> str:
        """One line for people: what was found."""
        line = (f"{self.documents} documents, {self.chunks} chunks; {self.vectors} vectors in {self.where}")
        if self.missing:
            line += f"; {self.missing_chunks} chunks of {len(self.missing)} documents have no vector"
        if self.orphans:
            line += f"; vectors of {len(self.orphans)} uncommitted documents (an ingest interrupted, or running)"
        return line


def _doc_of(chunk_id: str) -> str:
    return chunk_id.rsplit(":", 1)[0]


def check_index(store: DocStore, vectors: VectorStore) -> IndexHealth:
    """Compare every committed document's chunks with the vectors in the store."""
    present = vectors.chunk_ids()
    infos = store.list_info()
    missing: dict[str, tuple[str, ...]] = {}
    for info in infos:
        expected = [f"{info['doc_id']}:{i:05d}" for i in range(info["chunks"])]
        if gap := tuple(c for c in expected if c not in present):
            missing[info["doc_id"]] = gap
    known = {i["doc_id"] for i in infos}
    orphans = tuple(sorted({_doc_of(c) for c in present} - known))
    return IndexHealth(
        where=vectors.where,
        documents=len(infos),
        chunks=sum(i["chunks"] for i in infos),
        vectors=len(present),
        missing=missing,
        orphans=orphans,
    )


def repair_index(
    store: DocStore,
    vectors: VectorStore,
    embeddings: Any,
    health: IndexHealth | None = None,
    batch: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> IndexHealth:
    """Re-embed the chunks that have no vector and delete orphan vectors; returns
    what was repaired. Call it holding ``rag.locks.writer_lock``: an orphan of a
    live ingest would otherwise be deleted."""
    health = health or check_index(store, vectors)
    for doc_id in health.orphans:
        vectors.delete_doc(doc_id)
    wanted: dict[str, set[str]] = defaultdict(set)
    for doc_id, ids in health.missing.items():
        wanted[doc_id].update(ids)
    todo = [sc.chunk for sc in store.chunks(sorted(wanted)) if sc.chunk.chunk_id in wanted[sc.chunk.doc_id]]
    for start in range(0, len(todo), batch):
        part = todo[start : start + batch]
        vectors.add(part, embeddings.embed_documents([c.text for c in part]))
        if progress:
            progress(start + len(part), len(todo))
    return health


def vector_gap(store: DocStore, vectors: VectorStore) -> str | None:
    """A warning when the vector index holds fewer vectors than committed chunks, else None.

    Two counts, no scan: cheap before each question. (Orphan vectors can hide a gap
    from it; ``check_index`` sees both.)"""
    expected = store.total_chunks()
    if expected == 0:
        return None
    found = vectors.count()
    if found >= expected:
        return None
    return (
        f"the vector index ({vectors.where}) holds {found} vectors for {expected} chunks, so "
        f"{'answers come' if found == 0 else 'some answers come'} from keyword search alone: "
        "run `meetrag docs check --repair` to re-embed what is missing"
    )
