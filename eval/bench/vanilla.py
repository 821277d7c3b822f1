"""The vanilla LangChain baseline of ``eval/baseline.py``, kept on disk.

The evaluation builds it in memory; the benchmark needs its size on disk and the
disk writes meetrag's ingestion pays for too, so it builds the very same index
(``BaselinePipeline.build`` with a directory) into a ``PersistentClient`` folder.
A test checks that the two builds hold the same chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def build_persistent(
    paths: Iterable[str | Path],
    embeddings: Any,
    directory: Path,
    progress: Callable[[int, int], None] | None = None,
) -> Any:
    """Index files and folders the baseline's way into ``directory``; return a ``BaselinePipeline``."""
    from eval.baseline import BaselinePipeline

    return BaselinePipeline.build(paths, embeddings, directory=directory, progress=progress)
