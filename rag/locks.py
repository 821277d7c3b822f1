"""One writer at a time per data directory, across processes.

Ingest and removal change two stores (Chroma, then SQLite) in an order that is
safe against a crash but not against a second writer: an ingest's start-up
clean-up (``rag.ingest.reconcile``) deletes vectors whose document is not
committed, which includes those another *live* ingest has written and is about
to commit. So every writer holds an ``fcntl.flock`` on ``<home>/writer.lock``
for its whole run. The kernel drops the lock when its process dies, however it
dies, so a held lock always means a live writer, and vectors without a document
found under the lock are always a dead ingest's. Readers (questions, listings)
never take it.

Threads of one process share the lock (a reentrant lock in front of the file
lock): the app's upload, which already serialises its own writers, and a
nested call do not deadlock on themselves.

Left out: machines other than this one (a Chroma server shared by two hosts, or
a data directory on NFS, is not protected), and Windows, which has no ``fcntl``.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import DataDirError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: threads are still serialised
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "writer.lock"


def say_on_stderr(message: str) -> None:
    """The default ``notify``: one line on stderr, as the CLI prints its notes."""
    print(f"meetrag: {message}", file=sys.stderr, flush=True)


@dataclass
class _Held:
    thread_lock: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0
    fd: int | None = None


_HELD: dict[str, _Held] = {}
_HELD_LOCK = threading.Lock()


def _holder_pid(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() else "unknown"


def _lock_file(path: Path, notify: Callable[[str], None]) -> int:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise DataDirError.from_os_error(path.parent, e) from e
    if fcntl is None:  # pragma: no cover
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        notify(f"another ingest is running (pid {_holder_pid(fd)}), waiting…")
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return fd


@contextmanager
def writer_lock(home: Path, notify: Callable[[str], None] = say_on_stderr) -> Iterator[None]:
    """Hold the data directory's writer lock for the ``with`` block; while another
    process (or thread) holds it, say so once through ``notify`` and wait."""
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DataDirError.from_os_error(home, e, "create") from e
    path = home / LOCK_NAME
    key = str(path.resolve())
    with _HELD_LOCK:
        held = _HELD.setdefault(key, _Held())
    if not held.thread_lock.acquire(blocking=False):
        notify(f"another ingest is running (pid {os.getpid()}, another thread), waiting…")
        held.thread_lock.acquire()
    try:
        if held.depth == 0:
            held.fd = _lock_file(path, notify)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd is not None:
                os.close(held.fd)  # closing the only descriptor releases the flock
                held.fd = None
    finally:
        held.thread_lock.release()
