"""Errors a user can see. Each message says what went wrong and what to do."""

from __future__ import annotations

import errno
from pathlib import Path


class MeetragError(Exception):
    """Base class: the CLI and UI show ``str(e)`` and never a traceback."""


class SettingsError(MeetragError):
    pass


class LoadError(MeetragError):
    """A file could not be read; carries the path and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class IndexEmptyError(MeetragError):
    def __init__(self) -> None:
        super().__init__("the index is empty: run `meetrag ingest seeds/` (or your folder) first")


class VectorSpaceError(MeetragError):
    """The index's vectors come from another embedding model (or its int8 variant)
    than the one configured: similarity between the two would be meaningless."""


class UnknownDocumentError(MeetragError):
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__(f"no document {doc_id!r} in the index: `meetrag docs list` shows the ids")


class QuestionError(MeetragError):
    pass


class StoreUnavailableError(MeetragError):
    pass


class IndexDamagedError(MeetragError):
    """The SQLite index file is not a readable database (truncated, overwritten)."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        super().__init__(
            f"the index at {path} is damaged ({detail}): run `meetrag docs check --repair`, "
            f"or delete {path} and re-ingest your documents"
        )


def _is_file(path: Path) -> bool:
    try:
        return path.exists() and not path.is_dir()
    except OSError:
        return False


class DataDirError(MeetragError):
    """The data directory (``--home`` / MEETRAG_HOME) cannot be used as needed."""

    @classmethod
    def from_os_error(cls, home: Path, e: OSError, doing: str = "write to") -> DataDirError:
        """One line naming the fix for an operating-system error met while using ``home``."""
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return cls(f"no space left to {doing} the data directory {home}: free some space, "
                       "or point --home / MEETRAG_HOME at another disk")
        if e.errno == errno.EROFS:
            return cls(f"cannot {doing} the data directory {home}: it is on a read-only file system. "
                       "Point --home / MEETRAG_HOME at a writable folder")
        if e.errno in (errno.ENOTDIR, errno.EEXIST) and _is_file(home):
            return cls(f"the data directory {home} is a file, not a folder: point --home / "
                       "MEETRAG_HOME at a folder (it is created if missing), or move the file away")
        if e.errno in (errno.EACCES, errno.EPERM):
            return cls(f"cannot {doing} the data directory {home} (permission denied): "
                       f"fix its permissions (`chmod -R u+rwX {home}`), or point --home / MEETRAG_HOME "
                       "at a folder you own")
        return cls(f"cannot {doing} the data directory {home} ({e.strerror or e}): check the folder and "
                   "the disk, or point --home / MEETRAG_HOME at another folder")


class LLMError(MeetragError):
    pass


class DatasetError(MeetragError):
    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}, line {line}: {reason}")
