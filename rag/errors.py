"""Errors a user can see. Each message says what went wrong and what to do."""

from __future__ import annotations


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


class LLMError(MeetragError):
    pass


class DatasetError(MeetragError):
    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        super().__init__(f"{path}, line {line}: {reason}")
