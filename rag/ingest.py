"""Ingestion: files -> documents -> chunks -> vectors + store, idempotently.

Order of writes, for crash safety: (1) vectors are upserted into Chroma, (2) the
document and its chunks are committed to SQLite in one transaction (this is the
moment the document exists), (3) the vectors of a replaced version are deleted.
A kill between (1) and (2) leaves orphan vectors that no query can reach (the
retriever only returns chunks the store knows) and ``reconcile`` deletes them
on the next run; a kill after (2) leaves the old version's vectors, likewise.

``reconcile`` is only right while no other ingest is live: a live one's step (1)
looks exactly like a dead one's. So ingest and removal run under the data
directory's writer lock (``rag.locks``), one writer at a time, and a second
ingest waits, saying so. Under the lock the start-up also re-embeds committed
chunks whose vectors are gone (``rag.health``: a deleted ``chroma/`` folder, a
fresh Chroma server), from the text kept in SQLite.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rag.chunking import chunk_document
from rag.errors import LoadError
from rag.health import check_index, repair_index
from rag.lexical import add_terms, quoted_terms, tokenize
from rag.loading import Skipped, load_text, walk
from rag.locks import say_on_stderr, writer_lock
from rag.meeting.frame import extract as extract_frame
from rag.meeting.store import frames_for
from rag.metadata import make_document
from rag.question import people
from rag.settings import Settings
from rag.store import DocStore
from rag.types import Chunk, Document
from rag.vectors import VectorStore


@dataclass
class FileResult:
    path: str
    status: str  # added | unchanged | replaced | failed | skipped (left out on purpose, with a reason)
    doc_id: str | None = None
    title: str = ""
    chunks: int = 0
    reason: str = ""


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0
    restored_docs: int = 0  # committed documents whose missing vectors were re-embedded
    restored_chunks: int = 0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def chunks(self) -> int:
        return sum(r.chunks for r in self.results if r.status in ("added", "replaced"))

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    def to_json(self) -> dict:
        return {
            "added": self.count("added"),
            "replaced": self.count("replaced"),
            "unchanged": self.count("unchanged"),
            "failed": self.count("failed"),
            "skipped": self.count("skipped"),
            "restored": {"documents": self.restored_docs, "chunks": self.restored_chunks},
            "chunks": self.chunks,
            "seconds": round(self.seconds, 2),
            "files": [r.__dict__ for r in self.results],
        }


@dataclass
class _Pending:
    result: FileResult
    doc: Document
    chunks: list[Chunk]
    replaces: str | None
    terms: list[str]


def reconcile(store: DocStore, vectors: VectorStore) -> int:
    """Delete vectors whose document was never committed (an interrupted ingest).
    Only under the writer lock: then no ingest that wrote them is still alive."""
    known = set(store.doc_ids())
    orphans = vectors.doc_ids() - known
    for doc_id in orphans:
        vectors.delete_doc(doc_id)
    return len(orphans)


def printable_path(path: str | Path) -> str:
    """``path`` as a str that can be printed and stored: a file name that is not valid
    UTF-8 (a GBK name unzipped on Linux) decodes to lone surrogates, which neither
    SQLite nor a UTF-8 terminal accepts; its bytes are kept visible as ``\\xd5``."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def source_key(path: Path) -> str:
    return printable_path(path.resolve())


@dataclass(frozen=True)
class Text:
    """A document's raw text and source key, given instead of a file to read
    (``rag.salvage`` re-indexes the documents rescued from a damaged index)."""

    source: str
    raw: str

    @property
    def name(self) -> str:
        return Path(self.source).name


PROGRESS_STEP = 64  # chunks embedded between two progress reports of a large batch


def _embed_in_steps(emb, texts: list[str], names: list[str],  # type: ignore[no-untyped-def]
                    report: Callable[[int, int, str], None] | None) -> list[list[float]]:
    """``emb.embed_documents(texts)``, in steps of ``PROGRESS_STEP`` with a report after each
    when the batch is larger than one step (the same vectors: the model batches by 8 anyway)."""
    if report is None or len(texts) <= PROGRESS_STEP:
        return emb.embed_documents(texts)
    out: list[list[float]] = []
    for at in range(0, len(texts), PROGRESS_STEP):
        out += emb.embed_documents(texts[at : at + PROGRESS_STEP])
        report(len(out), len(texts), names[len(out) - 1])
    return out


def ingest_paths(
    paths: Iterable[str | Path],
    settings: Settings,
    progress: Callable[[int, int, str], None] | None = None,
    store: DocStore | None = None,
    vectors: VectorStore | None = None,
    embeddings=None,  # a LangChain Embeddings; default: the configured model
    notify: Callable[[str], None] = say_on_stderr,
    chunk_progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """Index files and folders; every file ends as added/unchanged/replaced/failed/skipped.

    Holds the data directory's writer lock throughout; ``notify`` hears, once,
    that another writer holds it and this one waits. ``chunk_progress(done, total, name)``
    hears, from the embedding thread, how far a large batch has got (a 0.5 MB file is
    ~900 chunks and takes most of a minute: one step per file would look stuck)."""
    with writer_lock(settings.home, notify):
        return ingest_locked(walk(paths), settings, progress, store, vectors, embeddings, chunk_progress)


def ingest_locked(
    items: Iterable[Path | Skipped | Text],
    settings: Settings,
    progress: Callable[[int, int, str], None] | None,
    store: DocStore | None,
    vectors: VectorStore | None,
    embeddings,
    chunk_progress: Callable[[int, int, str], None] | None = None,
) -> IngestReport:
    """``ingest_paths`` for files already found, or texts; the caller holds the writer lock."""
    from rag.embedding import get_embeddings

    t0 = time.perf_counter()
    store = store or DocStore(settings)
    vectors = vectors or VectorStore(settings)
    emb = embeddings or get_embeddings(settings)
    if space := getattr(emb, "vector_space", None):  # custom LangChain embeddings carry none
        store.check_vector_space(space, claim=True)
    # Under the writer lock, vectors of an uncommitted document are a dead ingest's
    # (deleted), and a committed chunk without a vector lost it (re-embedded).
    health = repair_index(store, vectors, emb, check_index(store, vectors))
    frames = frames_for(settings)
    found = list(items)
    files = [f for f in found if not isinstance(f, Skipped)]
    report = IngestReport(restored_docs=len(health.missing), restored_chunks=health.missing_chunks)
    report.results += [
        FileResult(path=printable_path(s.path), status="failed" if s.failed else "skipped", reason=s.reason)
        for s in found
        if isinstance(s, Skipped)
    ]
    pending: list[_Pending] = []
    batch_target = max(64, settings.embedding_batch_size * 2)
    # Embedding runs in a worker thread while this thread loads, cleans, tags and
    # chunks the next files (the model releases the GIL): the two overlap instead of
    # taking turns. Writes stay here and in batch order, so the crash-safety order
    # below is unchanged.
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meetrag-embed")
    in_flight: tuple[list[_Pending], Future] | None = None

    def write(batch: list[_Pending], embedded: list[list[float]]) -> None:
        # (1) one upsert for the whole batch: per-document upserts cost 4x more.
        vectors.add([c for p in batch for c in p.chunks], embedded)
        for p in batch:
            store.commit_document(  # (2)
                p.doc,
                p.chunks,
                [tokenize(c.text) for c in p.chunks],
                terms=p.terms,
                replaces=p.replaces,
                added_at=time.time(),
            )
            if p.replaces and p.replaces != p.doc.doc_id:
                vectors.delete_doc(p.replaces)  # (3)

    def finish() -> None:
        """Wait for the batch being embedded, then write it."""
        nonlocal in_flight
        if in_flight is not None:
            batch, future = in_flight
            in_flight = None
            write(batch, future.result())

    def flush() -> None:
        """Write the previous batch, then start embedding the pending one."""
        nonlocal in_flight
        finish()
        if not pending:
            return
        batch = list(pending)
        pending.clear()
        # The chunk text alone: prefixing the title/date header cost 12% more tokens
        # to embed and did not help retrieval (eval hit@1 0.913 with it, 0.923 without).
        texts = [c.text for p in batch for c in p.chunks]
        names = [Path(p.doc.source).name for p in batch for _ in p.chunks]
        in_flight = (batch, worker.submit(_embed_in_steps, emb, texts, names, chunk_progress))

    seen_ids: set[str] = set()
    try:
        for i, path in enumerate(files):
            if progress:
                progress(i, len(files), path.name)
            result = FileResult(path=printable_path(path.source if isinstance(path, Text) else path),
                                status="failed")
            report.results.append(result)
            try:
                raw = path.raw if isinstance(path, Text) else load_text(path, settings.max_file_mb)
            except LoadError as e:
                result.reason = e.reason
                continue
            doc = make_document(raw, path.source if isinstance(path, Text) else source_key(path))
            result.doc_id, result.title = doc.doc_id, doc.title
            previous = store.find_by_source(doc.source)
            if store.has(doc.doc_id) or doc.doc_id in seen_ids:
                result.status = "unchanged"
                continue
            seen_ids.add(doc.doc_id)
            terms = quoted_terms(doc.text) + sorted({f"{n}\tnr" for _, _, n in people(doc.text)})
            add_terms(terms)  # before tokenising, so the terms (and names) stay whole
            chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap_tokens)
            # The meeting frame is read once, here, while the previous batch embeds, and
            # stored, not kept in memory: at 5,000 documents the memo held 2,048 frames
            # (~65 kB each) that answering rarely needs (#16). A question reads its frame back.
            frames.put(doc.doc_id, extract_frame(doc))
            result.status = "replaced" if previous else "added"
            result.chunks = len(chunks)
            pending.append(_Pending(result, doc, chunks, previous, terms))
            if sum(len(p.chunks) for p in pending) >= batch_target:
                flush()
        flush()
        finish()
    finally:
        # On an error, a batch still being embedded is dropped unwritten, like any
        # batch whose embedding had not finished: nothing half-written is left.
        worker.shutdown(wait=True, cancel_futures=True)
    frames.prune(set(store.doc_ids()))
    store.checkpoint()
    if progress:
        progress(len(files), len(files), "")
    report.seconds = time.perf_counter() - t0
    return report


def remove_document(doc_id: str, settings: Settings, store: DocStore | None = None,
                    vectors: VectorStore | None = None) -> None:
    """Remove a document: its row first (it disappears at once), then its vectors.
    Holds the writer lock, like an ingest."""
    with writer_lock(settings.home):
        store = store or DocStore(settings)
        vectors = vectors or VectorStore(settings)
        store.remove(doc_id)
        vectors.delete_doc(doc_id)
    frames_for(settings).prune(set(store.doc_ids()))
