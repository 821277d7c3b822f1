"""Frames stored beside their documents in the index (SQLite), keyed by extractor version.

A frame is extracted at ingest. When the extractor changes (``frame.FRAME_VERSION``), a
stored frame is stale: ``get`` re-extracts it from the stored document and replaces it,
so no document is re-embedded. The key is the document id, a hash of its cleaned text,
so an edited document never meets its old frame; ``prune`` drops frames of removed ones.
"""

from __future__ import annotations

import sqlite3
import threading

from rag.lru import LRU
from rag.settings import Settings
from rag.summary_schema import MeetingSummary
from rag.types import Document

FRAME_CACHE = 2048  # frames kept in memory, most recently read

SCHEMA = """
CREATE TABLE IF NOT EXISTS frames (
  doc_id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  body TEXT NOT NULL
);
"""


class FrameStore:
    """The meeting frame of each stored document. Safe to share between threads."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.db_path
        self._local = threading.local()
        self._memo: LRU[tuple[str, str], MeetingSummary] = LRU(FRAME_CACHE)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.executescript(SCHEMA)
            self._local.db = db
        return db

    def get(self, doc: Document, *, refresh: bool = False) -> MeetingSummary:
        """The frame of ``doc``: stored if current, else extracted now and stored."""
        from rag.meeting.frame import FRAME_VERSION, extract

        key = (doc.doc_id, FRAME_VERSION)
        if not refresh and (memo := self._memo.get(key)) is not None:
            return memo
        try:
            row = None if refresh else self._db().execute(
                "SELECT version, body FROM frames WHERE doc_id=?", (doc.doc_id,)
            ).fetchone()
        except sqlite3.Error:
            row = None  # a read-only or damaged index: extract now, keep it in memory only
        frame = None
        if row is not None and row[0] == FRAME_VERSION:
            try:
                frame = MeetingSummary.model_validate_json(row[1])
            except ValueError:
                frame = None  # written by another schema: extract again
        if frame is None:
            frame = extract(doc)
            self.put(doc.doc_id, frame)
        self._memo.put(key, frame)
        return frame

    def put(self, doc_id: str, frame: MeetingSummary) -> None:
        from rag.meeting.frame import FRAME_VERSION

        try:
            self._db().execute(
                "INSERT OR REPLACE INTO frames(doc_id, version, body) VALUES (?, ?, ?)",
                (doc_id, FRAME_VERSION, frame.model_dump_json()),
            )
        except sqlite3.Error:
            pass  # a read-only or busy index still answers: the frame is recomputed next time

    def prune(self, keep: set[str]) -> None:
        """Drop the frames of documents no longer in the index."""
        try:
            db = self._db()
            gone = [r[0] for r in db.execute("SELECT doc_id FROM frames") if r[0] not in keep]
            if gone:
                db.executemany("DELETE FROM frames WHERE doc_id=?", [(d,) for d in gone])
        except sqlite3.Error:
            pass  # stale frames are harmless: they are keyed by the text they were read from
        self._memo.keep(lambda k: k[0] in keep)


_STORES: dict[str, FrameStore] = {}
_STORES_LOCK = threading.Lock()


def frames_for(settings: Settings) -> FrameStore:
    """The one frame store of an index (frames are memoised per process)."""
    with _STORES_LOCK:
        key = str(settings.db_path)
        if key not in _STORES:
            settings.db_path.parent.mkdir(parents=True, exist_ok=True)
            _STORES[key] = FrameStore(settings)
        return _STORES[key]
