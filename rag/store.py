"""The document store: SQLite under the data directory, the source of truth.

It holds each document (raw, cleaned, offset map, metadata) and its chunks
with their BM25 tokens. A document exists for the rest of the program only
once its row is committed; vectors in Chroma for a document that has no row
are orphans from an interrupted ingest and are removed by ``reconcile``.
SQLite's transactions make "fully indexed or absent" hold under ``kill -9``.

Every SQLite error that is the environment's fault (a damaged file, a read-only or
full disk, a lock held too long) leaves this module as a ``MeetragError`` naming the
fix, whichever call met it (``rag.connection``). A data directory that cannot be
written is opened read-only, so listing and reading still work there.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from rag.connection import connect
from rag.errors import DataDirError, UnknownDocumentError, VectorSpaceError
from rag.lru import LRU
from rag.settings import Settings
from rag.types import Chunk, Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  title TEXT NOT NULL,
  dates TEXT NOT NULL,
  redacted INTEGER NOT NULL,
  script TEXT NOT NULL,
  raw_sha TEXT NOT NULL,
  n_chunks INTEGER NOT NULL,
  added_at REAL NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS chunks (
  chunk_id TEXT PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  header TEXT NOT NULL,
  tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS terms (term TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class StoredChunk:
    chunk: Chunk
    tokens: tuple[str, ...]


def _compress_map(to_raw: Sequence[int]) -> list[list[int]]:
    """Run-length form of the offset map: [[clean_pos, raw_pos], ...] where the
    map continues with slope 1 until the next pair. Documents are mostly copied
    through unchanged, so this is a few hundred pairs instead of millions."""
    if isinstance(to_raw, RunMap):
        return to_raw.runs()
    runs: list[list[int]] = []
    for i, r in enumerate(to_raw):
        if not runs or r != runs[-1][1] + (i - runs[-1][0]):
            runs.append([i, r])
    return runs


def _expand_map(runs: list[list[int]], length: int) -> tuple[int, ...]:
    out: list[int] = []
    for k, (i, r) in enumerate(runs):
        end = runs[k + 1][0] if k + 1 < len(runs) else length
        out.extend(range(r, r + end - i))
    return tuple(out)


class RunMap(Sequence[int]):
    """The offset map of a stored document, kept in its run-length form and read
    through: ``m[i]`` is the ``i``-th entry of ``_expand_map(runs, length)``.

    A stored document's map was expanded into a tuple of one int per character:
    ~80% of the memory of a cached document, and most of the time of reading one
    (0.3 of 0.4 ms at 2,500 characters, #16). Compares equal to the tuple it stands
    for, and hashes alike, so a ``Document`` read back equals the one written."""

    __slots__ = ("_starts", "_raws", "_length")

    def __init__(self, runs: Sequence[Sequence[int]], length: int) -> None:
        # Runs start at 0, as ``_compress_map`` writes them.
        self._starts = array("q", (i for i, _ in runs))
        self._raws = array("q", (r for _, r in runs))
        self._length = length if runs else 0

    def runs(self) -> list[list[int]]:
        return [[i, r] for i, r in zip(self._starts, self._raws, strict=True)]

    def __len__(self) -> int:
        return self._length

    def _at(self, i: int) -> int:
        k = bisect_right(self._starts, i) - 1
        return self._raws[k] + (i - self._starts[k])

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[int, ...]: ...

    def __getitem__(self, i: int | slice) -> int | tuple[int, ...]:
        if isinstance(i, slice):
            return tuple(self._at(j) for j in range(*i.indices(self._length)))
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("offset map index out of range")
        return self._at(i)

    def __iter__(self) -> Iterator[int]:
        for k, (i, r) in enumerate(zip(self._starts, self._raws, strict=True)):
            end = self._starts[k + 1] if k + 1 < len(self._starts) else self._length
            yield from range(r, r + end - i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RunMap):
            return (self._length, self._starts, self._raws) == (other._length, other._starts, other._raws)
        if isinstance(other, (tuple, list)):
            return len(other) == self._length and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"RunMap({self.runs()}, {self._length})"


# Generations committed by this process, per database file: a change that is not
# among them was made by another process (see ``changed_elsewhere``).
_OWN_GENERATIONS: dict[str, set[int]] = {}
DOCUMENT_CACHE = 256  # documents kept in memory (each with its offset map), most recently read
_OWN_LOCK = threading.Lock()


class DocStore:
    """SQLite-backed documents and chunks. Safe to share between threads."""

    def __init__(self, settings: Settings) -> None:
        self.path: Path = settings.db_path
        home = self.path.parent
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DataDirError.from_os_error(home, e, "create") from e
        # A folder (or index file) we may not write is opened read-only: listing and
        # asking work, and the first write says what to do (``rag.connection.sqlite_error``).
        try:
            self.read_only = self.path.exists() and not (
                os.access(home, os.W_OK) and os.access(self.path, os.W_OK)
            )
        except OSError as e:  # the folder cannot even be searched
            raise DataDirError.from_os_error(home, e, "read") from e
        self._local = threading.local()
        self._cache: LRU[str, Document] = LRU(DOCUMENT_CACHE)
        self._listing: tuple[int, list[dict]] | None = None  # (generation, rows of list_info)
        if not self.read_only:
            self._db().executescript(SCHEMA)  # executescript manages its own transaction
        else:
            self._db().execute("SELECT 1 FROM documents LIMIT 1").fetchall()  # a damaged file fails here

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, self.read_only)
            if not self.read_only:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    # --- reads ------------------------------------------------------------

    def generation(self) -> int:
        """Bumped by every change; lets readers cache derived indexes."""
        row = self._db().execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self._db().execute("SELECT doc_id FROM documents ORDER BY source")]

    def list_documents(self) -> list[Document]:
        """All documents, in source order."""
        return [self.get(d) for d in self.doc_ids()]

    def list_info(self) -> list[dict]:
        """Metadata rows for listings, without loading bodies: each call a new list of
        new dicts. The rows are read once per change of the index (the generation): a
        question over every meeting lists the archive (14 ms at 500 documents, #16)."""
        gen = self.generation()
        cached = self._listing
        if cached is None or cached[0] != gen:
            cached = self._listing = (gen, self._read_info())
        return [{**row, "dates": list(row["dates"])} for row in cached[1]]

    def _read_info(self) -> list[dict]:
        rows = self._db().execute(
            "SELECT doc_id, source, title, dates, redacted, script, n_chunks FROM documents ORDER BY source"
        )
        return [
            {
                "doc_id": r[0],
                "source": r[1],
                "title": r[2],
                "dates": json.loads(r[3]),
                "redacted": bool(r[4]),
                "script": r[5],
                "chunks": r[6],
            }
            for r in rows
        ]

    def get(self, doc_id: str) -> Document:
        if (cached := self._cache.get(doc_id)) is not None:
            return cached
        row = self._db().execute(
            "SELECT doc_id, source, title, dates, redacted, script, raw_sha, body FROM documents WHERE doc_id=?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise UnknownDocumentError(doc_id)
        body = json.loads(row[7])
        doc = Document(
            doc_id=row[0],
            source=row[1],
            title=row[2],
            dates=tuple(json.loads(row[3])),
            redacted=bool(row[4]),
            script=row[5],
            raw_sha=row[6],
            text=body["text"],
            display=body["display"],
            raw=body["raw"],
            to_raw=RunMap(body["to_raw"], len(body["text"]) + 1),
        )
        self._cache.put(doc_id, doc)
        return doc

    def has(self, doc_id: str) -> bool:
        return self._db().execute("SELECT 1 FROM documents WHERE doc_id=?", (doc_id,)).fetchone() is not None

    def find_by_source(self, source: str) -> str | None:
        row = self._db().execute("SELECT doc_id FROM documents WHERE source=?", (source,)).fetchone()
        return row[0] if row else None

    def resolve(self, ref: str) -> str:
        """A doc_id from an id, an id prefix, or a file name/stem."""
        ids = self.doc_ids()
        if ref in ids:
            return ref
        matches = [d for d in ids if d.startswith(ref)] if len(ref) >= 4 else []
        if not matches:
            matches = [i["doc_id"] for i in self.list_info() if Path(i["source"]).name in (ref, ref + ".txt")
                       or Path(i["source"]).stem == ref]
        if len(matches) == 1:
            return matches[0]
        raise UnknownDocumentError(ref)

    def chunks(self, doc_ids: Sequence[str] | None = None) -> list[StoredChunk]:
        sql = "SELECT chunk_id, doc_id, idx, start, end, header, tokens FROM chunks"
        args: tuple = ()
        if doc_ids is not None:
            if not doc_ids:
                return []
            sql += f" WHERE doc_id IN ({','.join('?' * len(doc_ids))})"
            args = tuple(doc_ids)
        out = []
        for _cid, did, idx, start, end, header, tokens in self._db().execute(sql + " ORDER BY doc_id, idx", args):
            text = self.get(did).text[start:end]
            out.append(StoredChunk(Chunk(did, idx, start, end, text, header), tuple(tokens.split(" "))))
        return out

    def chunk_rows(self, doc_ids: Sequence[str]) -> list[tuple[str, str, int, int, str]]:
        """``(chunk_id, doc_id, start, end, tokens)`` of the documents' chunks, in document
        and chunk order, the tokens space-separated as stored: what the search index needs,
        without reading the documents (``chunks`` reads each one for its chunks' text)."""
        if not doc_ids:
            return []
        sql = (
            "SELECT chunk_id, doc_id, start, end, tokens FROM chunks "
            f"WHERE doc_id IN ({','.join('?' * len(doc_ids))}) ORDER BY doc_id, idx"
        )
        return list(self._db().execute(sql, tuple(doc_ids)))

    def terms(self) -> list[str]:
        return [r[0] for r in self._db().execute("SELECT term FROM terms")]

    # --- writes -----------------------------------------------------------

    def commit_document(
        self,
        doc: Document,
        chunks: Sequence[Chunk],
        tokens: Sequence[Sequence[str]],
        terms: Sequence[str] = (),
        replaces: str | None = None,
        added_at: float = 0.0,
    ) -> None:
        """Insert a document and its chunks (and drop the one it replaces) atomically."""
        body = json.dumps(
            {"text": doc.text, "display": doc.display, "raw": doc.raw, "to_raw": _compress_map(doc.to_raw)},
            ensure_ascii=False,
        )
        with self._tx() as db:
            if replaces and replaces != doc.doc_id:
                db.execute("DELETE FROM documents WHERE doc_id=?", (replaces,))
            db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.doc_id,
                    doc.source,
                    doc.title,
                    json.dumps(list(doc.dates), ensure_ascii=False),
                    int(doc.redacted),
                    doc.script,
                    doc.raw_sha,
                    len(chunks),
                    added_at,
                    body,
                ),
            )
            db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?)",
                [
                    (c.chunk_id, c.doc_id, c.index, c.start, c.end, c.header, " ".join(t))
                    for c, t in zip(chunks, tokens, strict=True)
                ],
            )
            db.executemany("INSERT OR IGNORE INTO terms VALUES (?)", [(t,) for t in terms])
            generation = self._bump(db)
        self._remember(generation)
        self._cache.pop(replaces or "")

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database file (keeps the index small)."""
        if not self.read_only:
            self._db().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def vector_space(self) -> str | None:
        """Which embedding made this index's vectors (None: not recorded yet)."""
        row = self._db().execute("SELECT value FROM meta WHERE key='vector_space'").fetchone()
        return str(row[0]) if row else None

    def check_vector_space(self, space: str, claim: bool = False) -> None:
        """Raise if the index was embedded with another model than ``space``; with
        ``claim`` (ingestion), record ``space`` when nothing is recorded yet (an index
        from before this record existed gets it at its next ingestion)."""
        recorded = self.vector_space()
        if recorded is None:
            if claim:
                with self._tx() as db:
                    db.execute("INSERT OR IGNORE INTO meta VALUES ('vector_space', ?)", (space,))
                self.check_vector_space(space)  # another process may have claimed it first
            return
        if recorded != space:
            raise VectorSpaceError(
                f"the index in {self.path.parent} was embedded with {recorded}, but the settings now "
                f"embed with {space}, so questions would be compared with the wrong vectors. Set "
                "MEETRAG_EMBEDDING_MODEL / MEETRAG_EMBEDDING_BACKEND back to what built the index, "
                "or ingest the documents into a new data directory (--home)."
            )

    def integrity(self) -> list[str]:
        """SQLite's ``quick_check`` of the file: empty when it is sound."""
        rows = [str(r[0]) for r in self._db().execute("PRAGMA quick_check").fetchall()]
        return [] if rows == ["ok"] else rows

    def total_chunks(self) -> int:
        """Chunks of all committed documents: the number of vectors the index should hold."""
        return int(self._db().execute("SELECT coalesce(sum(n_chunks), 0) FROM documents").fetchone()[0])

    def is_empty(self) -> bool:
        return self._db().execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None

    def remove(self, doc_id: str) -> None:
        with self._tx() as db:
            if db.execute("DELETE FROM documents WHERE doc_id=?", (doc_id,)).rowcount == 0:
                raise UnknownDocumentError(doc_id)
            generation = self._bump(db)
        self._remember(generation)
        self._cache.pop(doc_id)

    @staticmethod
    def _bump(db: sqlite3.Connection) -> int:
        """Count one more change (inside the caller's transaction); the new generation."""
        db.execute(
            "INSERT INTO meta VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )
        return int(db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])

    def _remember(self, generation: int) -> None:
        with _OWN_LOCK:
            _OWN_GENERATIONS.setdefault(str(self.path.resolve()), set()).add(generation)

    def changed_elsewhere(self, since: int, now: int) -> bool:
        """Whether another process made any of the changes after generation ``since``
        up to ``now``: then caches of the embedded vector index in this process are stale."""
        with _OWN_LOCK:
            own = _OWN_GENERATIONS.get(str(self.path.resolve()), set())
            return any(g not in own for g in range(since + 1, now + 1))
