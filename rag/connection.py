"""SQLite connections to the index whose errors say what to do.

Any call on such a connection (and any row fetched from it: a damaged page can
surface in the middle of a result) turns an SQLite error that is the
environment's fault into a ``MeetragError`` naming the fix: a damaged file, a
read-only or full disk, a lock held too long. Errors that mean a bug (bad SQL, a
wrong number of parameters) pass unchanged. ``rag.store`` opens every connection
here; modules that open the index themselves can too.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from rag.errors import DataDirError, IndexDamagedError, MeetragError


def sqlite_error(e: sqlite3.Error, path: Path) -> Exception:
    """The user-facing error for an SQLite error on the index at ``path``; other
    errors (a bug: bad SQL, a wrong parameter count) come back unchanged."""
    if isinstance(e, MeetragError):
        return e
    home = path.parent
    code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF  # the primary result code
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return IndexDamagedError(str(path), str(e))
    if code == sqlite3.SQLITE_READONLY:
        return DataDirError(
            f"cannot write to the index at {path}: the data directory is read-only. Make it writable "
            f"(`chmod -R u+w {home}`), or point --home / MEETRAG_HOME at a writable copy"
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return DataDirError(
            f"cannot open the index at {path}: check that {home} exists and that you may read and "
            f"write it (`chmod -R u+rwX {home}`), or point --home / MEETRAG_HOME at another folder"
        )
    if code == sqlite3.SQLITE_FULL:
        return DataDirError(f"the disk holding {path} is full: free some space and run the command again")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DataDirError(
            f"the index at {path} stayed locked by another process for 30 s: wait until it finishes "
            "(another `meetrag ingest`?) and run the command again"
        )
    if code == sqlite3.SQLITE_IOERR:
        return DataDirError(
            f"reading or writing the index at {path} failed ({e}): check the disk, then run "
            "`meetrag docs check`"
        )
    return e


class _Cursor(sqlite3.Cursor):
    """A cursor whose every call and fetched row turns SQLite errors into ``sqlite_error``s
    (a damaged page can surface in the middle of iterating a result)."""

    def _fail(self, e: sqlite3.Error) -> Exception:
        return sqlite_error(e, self.connection.path)  # type: ignore[attr-defined]

    def execute(self, *args: object) -> _Cursor:  # type: ignore[override]
        try:
            return super().execute(*args)  # type: ignore[arg-type, return-value]
        except sqlite3.Error as e:
            raise self._fail(e) from e

    def executemany(self, *args: object) -> _Cursor:  # type: ignore[override]
        try:
            return super().executemany(*args)  # type: ignore[arg-type, return-value]
        except sqlite3.Error as e:
            raise self._fail(e) from e

    def executescript(self, script: str) -> _Cursor:  # type: ignore[override]
        try:
            return super().executescript(script)  # type: ignore[return-value]
        except sqlite3.Error as e:
            raise self._fail(e) from e

    def __next__(self) -> object:
        try:
            return super().__next__()
        except sqlite3.Error as e:
            raise self._fail(e) from e

    def fetchone(self) -> object:
        try:
            return super().fetchone()
        except sqlite3.Error as e:
            raise self._fail(e) from e

    def fetchall(self) -> list:
        try:
            return super().fetchall()
        except sqlite3.Error as e:
            raise self._fail(e) from e


class _Connection(sqlite3.Connection):
    """``execute`` & co. go through ``_Cursor``."""

    path: Path

    def execute(self, *args: object) -> _Cursor:  # type: ignore[override]
        return self.cursor(_Cursor).execute(*args)

    def executemany(self, *args: object) -> _Cursor:  # type: ignore[override]
        return self.cursor(_Cursor).executemany(*args)

    def executescript(self, script: str) -> _Cursor:  # type: ignore[override]
        return self.cursor(_Cursor).executescript(script)


def connect(path: Path, read_only: bool) -> sqlite3.Connection:
    """A connection to the index; ``read_only`` for a data directory we may not write.

    SQLite needs to create files beside a write-ahead-logged database even to read
    it (``-shm``), which a read-only folder forbids: there the file is opened
    ``immutable``, which is right because nobody can be writing to it either.
    """
    if read_only:
        uri = f"file:{path.as_posix()}?immutable=1" if not os.access(path.parent, os.W_OK) else (
            f"file:{path.as_posix()}?mode=ro"
        )
        db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, factory=_Connection)
    else:
        db = sqlite3.connect(path, timeout=30, isolation_level=None, factory=_Connection)
    db.path = path
    return db
