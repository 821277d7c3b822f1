"""Rebuild a damaged SQLite index (truncated, partly overwritten) from what it still holds.

Each document row keeps the raw text it was made from, so a readable row is a
document recovered whole: it is cleaned, chunked and embedded again, exactly as
ingest would. The damaged file is moved aside (never deleted: it may be worth a
better tool's time), a new index is built from the rescued texts, and the old
vectors, which now belong to no document, are deleted by the ingest's own
clean-up. A row whose text cannot be read but whose source file still exists
is ingested from that file.

Left out: recovering pages SQLite cannot reach from the table's b-tree (what
``sqlite3 .recover`` does); summaries and meeting frames, which are derived and
computed again on demand.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import struct
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from rag.ingest import IngestReport, Text, ingest_locked
from rag.settings import Settings

# A table scan stops at the first unreadable page; looking rows up one by one reaches
# the rows on pages after it. Stop after this many rowids in a row that give nothing.
_MISSES = 2000


@dataclass
class SalvageReport:
    moved_to: Path
    rescued: int  # documents re-indexed from the text kept in the damaged file
    from_files: int  # documents whose text was lost but whose file was read again
    lost: list[str] = field(default_factory=list)  # sources that could not be recovered
    ingest: IngestReport | None = None


def _padded_copy(path: Path, folder: Path) -> Path:
    """A copy of the damaged file (and its write-ahead log) in ``folder``, padded with
    zero pages to the size its header states. A truncated file otherwise fails as a
    whole ("malformed") as soon as its schema names a page past the end; padded, only
    reads of the lost pages fail."""
    copy = folder / "damaged.sqlite"
    shutil.copyfile(path, copy)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, folder / "damaged.sqlite-wal")
    with copy.open("r+b") as f:
        header = f.read(100)
        if len(header) == 100 and header.startswith(b"SQLite format 3\0"):
            page = struct.unpack(">H", header[16:18])[0]
            page = 65536 if page == 1 else page
            pages = struct.unpack(">I", header[28:32])[0]
            size = f.seek(0, 2)
            if page and pages and size < page * pages <= 1 << 34:
                f.truncate(page * pages)
    return copy


def _rows(path: Path) -> dict[str, tuple[str, str | None]]:
    """doc_id (or, failing that, source) -> (source, raw text or None) for every
    document row that can still be read."""
    found: dict[str, tuple[str, str | None]] = {}

    def take(doc_id: str, source: str, body: str | None) -> None:
        try:
            raw = json.loads(body)["raw"] if body is not None else None
        except (ValueError, KeyError, TypeError):
            raw = None
        if raw is not None or doc_id not in found:
            found[doc_id] = (source, raw)

    with tempfile.TemporaryDirectory(prefix="meetrag-salvage-") as tmp:
        try:
            copy = _padded_copy(path, Path(tmp))
            db = sqlite3.connect(f"file:{copy.as_posix()}?mode=ro", uri=True, timeout=5)
        except (OSError, sqlite3.Error):
            return found
        try:
            last = 0
            try:
                for rowid, doc_id, source, body in db.execute(
                    "SELECT rowid, doc_id, source, body FROM documents ORDER BY rowid"
                ):
                    last = rowid
                    take(doc_id, source, body)
                return found
            except sqlite3.Error:
                pass
            # A table scan stops at the first unreadable page; rows looked up one by one
            # are reached on the pages after it, and a row whose text is lost may still
            # give its source.
            rowid, misses = last + 1, 0
            while misses < _MISSES:
                row = None
                for sql in ("SELECT doc_id, source, body FROM documents WHERE rowid=?",
                            "SELECT doc_id, source, NULL FROM documents WHERE rowid=?"):
                    try:
                        row = db.execute(sql, (rowid,)).fetchone()
                        break
                    except sqlite3.Error:
                        continue
                misses = 0 if row else misses + 1
                if row:
                    take(*row)
                rowid += 1
            if not found:  # the table's own pages are gone: its index of sources may remain
                try:
                    for (source,) in db.execute("SELECT source FROM documents INDEXED BY documents_source"):
                        found.setdefault(source, (source, None))
                except sqlite3.Error:
                    pass
        finally:
            db.close()
    return found


def salvage(settings: Settings, embeddings=None) -> SalvageReport:
    """Move the damaged index aside and rebuild it from the documents it still holds.
    The caller holds the writer lock (``rag.locks.writer_lock``)."""
    path = settings.db_path
    rows = _rows(path)
    moved = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    path.rename(moved)
    for suffix in ("-wal", "-shm"):  # they belong to the damaged file, not to the new one
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(moved.with_name(moved.name + suffix))
    items: list[Path | Text] = []
    report = SalvageReport(moved_to=moved, rescued=0, from_files=0)
    for source, raw in sorted(rows.values(), key=lambda r: r[0]):
        if raw is not None:
            items.append(Text(source, raw))
            report.rescued += 1
        elif Path(source).is_file():
            items.append(Path(source))
            report.from_files += 1
        else:
            report.lost.append(source)
    report.ingest = ingest_locked(items, settings, None, None, None, embeddings)
    return report
