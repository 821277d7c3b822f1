"""The vector index: a Chroma collection, embedded (PersistentClient) or a
``chroma run`` server (HttpClient) when ``chroma_url`` is set.

We always hand Chroma our own vectors, so its default embedding function (which
would download a model) is never used. Chunk ids are ``doc_id:00042``; every
vector carries its ``doc_id`` so a document can be dropped or filtered on.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from rag.errors import StoreUnavailableError
from rag.settings import Settings
from rag.types import Chunk

_CLIENTS: dict[str, Any] = {}
_LOCK = threading.Lock()
# Bumped by ``reopen``: every VectorStore of this process then fetches its collection
# again from the new client, so none keeps reading (or writing) through the old one.
_EPOCH: dict[str, int] = {}


def _key(settings: Settings) -> str:
    return settings.chroma_url or str(settings.chroma_path.resolve())


def _client(settings: Settings) -> Any:
    import chromadb

    key = _key(settings)
    with _LOCK:
        if key not in _CLIENTS:
            chroma_settings = chromadb.Settings(anonymized_telemetry=False)
            if settings.chroma_url:
                url = urlparse(settings.chroma_url)
                _CLIENTS[key] = chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1",
                    port=url.port or 8000,
                    ssl=url.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                settings.chroma_path.mkdir(parents=True, exist_ok=True)
                _CLIENTS[key] = chromadb.PersistentClient(path=key, settings=chroma_settings)
        return _CLIENTS[key]


class VectorStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._collection: Any = None
        self._epoch = 0
        self._key = _key(settings)  # resolved once: collection() runs on every call

    @property
    def where(self) -> str:
        return self.settings.chroma_url or str(self.settings.chroma_path)

    def collection(self) -> Any:
        epoch = _EPOCH.get(self._key, 0)
        if self._collection is None or self._epoch != epoch:
            self._epoch = epoch
            try:
                self._collection = _client(self.settings).get_or_create_collection(
                    self.settings.collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
                )
            except Exception as e:  # connection refused, server gone, etc.
                raise self._unavailable(e) from e
        return self._collection

    def _unavailable(self, e: Exception) -> StoreUnavailableError:
        if self.settings.chroma_url:
            return StoreUnavailableError(
                f"cannot reach the Chroma server at {self.settings.chroma_url} ({type(e).__name__}); "
                "is `chroma run` up? Start it, or unset MEETRAG_CHROMA_URL to use the embedded store"
            )
        if "readonly" in str(e).replace("-", "").replace(" ", "").lower():
            # Embedded Chroma writes to its SQLite file even to open a collection for reading.
            home = self.settings.home
            return StoreUnavailableError(
                f"the vector index at {self.where} is read-only, and the embedded store must write to it "
                f"even to answer: make it writable (`chmod -R u+w {home}`), or copy {home} to a "
                "writable place and point --home / MEETRAG_HOME there"
            )
        return StoreUnavailableError(
            f"the vector store at {self.where} failed ({type(e).__name__}: {e}): run `meetrag docs check`; "
            f"if it stays broken, delete {self.where} and run `meetrag docs check --repair` to rebuild it"
        )

    def _call(self, method: str, **kwargs: Any) -> Any:
        """Run a collection call; after a server restart, reconnect once."""
        for attempt in (0, 1):
            try:
                return getattr(self.collection(), method)(**kwargs)
            except StoreUnavailableError:
                raise
            except Exception as e:
                if attempt or not self.settings.chroma_url:
                    raise self._unavailable(e) from e
                self._collection = None
                with _LOCK:
                    _CLIENTS.pop(self.settings.chroma_url, None)
        raise AssertionError("unreachable")

    def reopen(self) -> None:
        """Load the embedded index from disk again, after another process wrote to it.

        An embedded Chroma client keeps the vector index it has loaded in memory and does
        not see other processes' writes; a new client does. chromadb shares one client
        ("system") per path within a process, so the cached one is dropped first. It is
        not stopped: a query running on it finishes normally. A server needs none of this.
        """
        if self.settings.chroma_url:
            return
        key = self._key
        with _LOCK:
            _CLIENTS.pop(key, None)
            try:
                from chromadb.api.shared_system_client import SharedSystemClient

                SharedSystemClient._identifier_to_system.pop(key, None)
            except (ImportError, AttributeError):  # another chromadb: the old limitation stays
                return
            _EPOCH[key] = _EPOCH.get(key, 0) + 1

    def add(self, chunks: Sequence[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
        # Chroma caps one request (about 5k records); stay well under it.
        for i in range(0, len(chunks), 1000):
            part, vecs = chunks[i : i + 1000], embeddings[i : i + 1000]
            self._call(
                "upsert",
                ids=[c.chunk_id for c in part],
                embeddings=[list(e) for e in vecs],
                documents=[c.text for c in part],
                metadatas=[{"doc_id": c.doc_id, "start": c.start, "end": c.end, "idx": c.index} for c in part],
            )

    def delete_doc(self, doc_id: str) -> None:
        self._call("delete", where={"doc_id": doc_id})

    def doc_ids(self) -> set[str]:
        got = self._call("get", include=["metadatas"])
        return {m["doc_id"] for m in got["metadatas"] or []}

    def chunk_ids(self, page: int = 10_000) -> set[str]:
        """The ids of all vectors (``doc_id:00042``), fetched a page at a time."""
        ids: set[str] = set()
        offset = 0
        while True:
            got = self._call("get", include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def vectors(self, ids: Sequence[str]) -> dict[str, Sequence[float]]:
        """The stored vectors of these chunk ids (a missing id is left out)."""
        if not ids:
            return {}
        got = self._call("get", ids=list(ids), include=["embeddings"])
        return dict(zip(got["ids"], got["embeddings"], strict=True))

    def count(self) -> int:
        return int(self._call("count"))

    def query(self, embedding: Sequence[float], k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) pairs, best first; fewer than ``k`` when the
        collection (or the filter) holds fewer.

        No ``count()`` first: Chroma (1.x) returns what there is when ``k`` is larger, and
        an empty list for an empty collection, and a count per question was a second
        round trip to the store (0.7 ms embedded, a network call to a server)."""
        where: dict[str, Any] | None = None
        if doc_ids:
            where = {"doc_id": doc_ids[0]} if len(doc_ids) == 1 else {"doc_id": {"$in": list(doc_ids)}}
        got = self._call(
            "query", query_embeddings=[list(embedding)], n_results=k, where=where, include=["distances"]
        )
        return [(cid, 1.0 - float(d)) for cid, d in zip(got["ids"][0], got["distances"][0], strict=True)]
