"""The vanilla LangChain baseline of ``eval/baseline.py``, kept on disk.

``BaselinePipeline.build`` indexes into an in-memory Chroma client, which has no
size on disk to measure and skips the disk writes that meetrag's ingestion pays
for. This builds the same index (same splitter, ids, metadata and
``add_documents`` call per file, so LangChain embeds file by file exactly as in
the tutorial) into a ``PersistentClient`` folder, and wraps it in the
evaluation's own ``BaselinePipeline`` so ``ask`` is theirs. A test checks that
the two builds hold the same chunks.
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
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from eval.baseline import CHUNK_OVERLAP, CHUNK_SIZE, TOP_K, BaselinePipeline, _title
    from rag.loading import iter_files, load_text

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
    )
    directory.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(path=str(directory), settings=ChromaSettings(anonymized_telemetry=False))
    store = Chroma(collection_name="baseline", embedding_function=embeddings, client=client)
    files = list(iter_files(paths))
    n = 0
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files))
        text = load_text(path)
        meta = {"source": str(path), "stem": path.stem, "title": _title(text, path.stem)}
        chunks = splitter.create_documents([text], metadatas=[meta])
        if chunks:
            store.add_documents(chunks, ids=[f"{path.stem}:{i:05d}" for i in range(len(chunks))])
            n += len(chunks)
    if progress:
        progress(len(files), len(files))
    return BaselinePipeline(store, n, TOP_K)
