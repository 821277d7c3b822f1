"""Uploaded files: safe names, type and size checks, a copy under ``home/uploads``.

The browser sends a file name we do not trust: it may carry directories
(``../../etc/passwd``, ``C:\\x\\a.txt``), control characters or nothing at all.
:func:`safe_name` keeps only a plain base name; :func:`save_uploads` copies
each accepted file to ``settings.home / "uploads" / <safe name>`` so that the
index refers to a file the app owns (a second upload of the same name
replaces the first, which ingestion reports as "replaced").

Left out on purpose: virus scanning and content sniffing (the loaders reject
what they cannot read, with a reason).
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from rag.ingest import FileResult
from rag.loading import SUPPORTED
from rag.settings import Settings

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def uploads_dir(settings: Settings) -> Path:
    return settings.home / "uploads"


def safe_name(name: str) -> str:
    """A plain file name: no directories (``/`` or ``\\``), no leading dots, no control
    or shell-hostile characters; ``"upload"`` when nothing is left.

    ``../../etc/passwd.txt`` -> ``passwd.txt``; ``C:\\Users\\a\\会议.txt`` -> ``会议.txt``.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name or ""))[-1]
    base = _UNSAFE.sub("", base).strip().lstrip(".").strip()
    if len(base) > MAX_NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        base = stem[: MAX_NAME_CHARS - len(suffix) - 1] + dot + suffix if dot and len(suffix) <= 8 else base[:MAX_NAME_CHARS]
    return base or "upload"


def upload_limit_mb(settings: Settings) -> float:
    """The largest file the web app takes: ``MEETRAG_MAX_UPLOAD_MB`` (20 MB by default), or
    ``MEETRAG_MAX_FILE_MB`` (the loaders' limit for any file, 50 MB) when that is smaller."""
    return min(settings.max_upload_mb, settings.max_file_mb)


def _limit_setting(settings: Settings) -> str:
    return "MEETRAG_MAX_UPLOAD_MB" if settings.max_upload_mb <= settings.max_file_mb else "MEETRAG_MAX_FILE_MB"


def check_upload(path: Path, name: str, settings: Settings) -> str | None:
    """Why this upload is refused, or None when it is acceptable."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        kind = f"“{suffix}”" if suffix else "没有扩展名的"
        return f"不支持{kind}文件:请上传 {' '.join(SUPPORTED)} 格式"
    try:
        size = path.stat().st_size
    except OSError as e:
        return f"无法读取上传的文件({e.strerror})"
    limit_mb = upload_limit_mb(settings)
    if size > limit_mb * 1024 * 1024:
        return f"文件大小 {size / 1024 / 1024:.1f} MB,超过上限 {limit_mb:g} MB(可用 {_limit_setting(settings)} 调整)"
    if size == 0:
        return "文件是空的"
    return None


def save_uploads(
    paths: Sequence[str | Path], settings: Settings, names: Sequence[str] | None = None
) -> tuple[list[Path], list[FileResult]]:
    """Copy acceptable uploads under ``home/uploads``; return (saved paths, refusals).

    ``names`` are the names the browser gave (default: each path's own name).
    Two files of one batch with the same name get ``-2``, ``-3`` suffixes.
    """
    dest_dir = uploads_dir(settings)
    dest_dir.mkdir(parents=True, exist_ok=True)
    root = dest_dir.resolve()
    saved: list[Path] = []
    refused: list[FileResult] = []
    taken: set[str] = set()
    for i, raw in enumerate(paths):
        src = Path(raw)
        name = safe_name(names[i] if names is not None else str(raw))
        reason = check_upload(src, name, settings)
        if reason:
            refused.append(FileResult(path=name, status="failed", reason=reason))
            continue
        stem, suffix = Path(name).stem, Path(name).suffix
        n = 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}{suffix}"
        taken.add(name)
        dest = (dest_dir / name).resolve()
        if dest.parent != root:  # safe_name makes this impossible; refuse rather than trust it
            refused.append(FileResult(path=name, status="failed", reason="文件名不安全"))
            continue
        shutil.copyfile(src, dest)
        saved.append(dest)
    return saved, refused


def is_upload(source: str, settings: Settings) -> bool:
    """Whether an indexed document's source is a copy this app made."""
    try:
        return Path(source).resolve().parent == uploads_dir(settings).resolve()
    except OSError:
        return False
