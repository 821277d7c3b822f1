"""Shared fixtures: the seed documents, and one real index of them per test session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from rag.metadata import make_document
from rag.settings import Settings, load_settings
from rag.types import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
# One folder for the exported ONNX model for the whole session, subprocesses included
# (they inherit the variable): without it every fresh data directory exports again.
if "MEETRAG_MODEL_CACHE_DIR" not in os.environ:
    os.environ["MEETRAG_MODEL_CACHE_DIR"] = tempfile.mkdtemp(prefix="meetrag-test-models-")
    atexit.register(shutil.rmtree, os.environ["MEETRAG_MODEL_CACHE_DIR"], True)
MODEL_CACHE = os.environ["MEETRAG_MODEL_CACHE_DIR"]


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    """Cleaned seed documents keyed by file stem (no index needed)."""
    return {p.stem: make_document(p.read_text(encoding="utf-8"), str(p)) for p in SEED_FILES}


# The known answers of the tests were written against full-precision vectors, and the
# tests check the engine's logic, not the model's precision: they pin it. What the default
# int8 vectors do to answers is measured by the evaluation (README, "Speed": every set within
# 0.01); one test question is a near-tie that int8 flips (推进会在什么时候召开?).
TEST_BACKEND = "onnx"


def make_settings(home: Path, **kw) -> Settings:
    kw.setdefault("model_cache_dir", Path(MODEL_CACHE))
    kw.setdefault("embedding_backend", TEST_BACKEND)
    return load_settings(environ={}, home=home, **kw)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory) -> Settings:
    """Settings of a real index (real model, embedded Chroma) holding the five seeds."""
    from rag.ingest import ingest_paths

    home = tmp_path_factory.mktemp("seeded")
    settings = make_settings(home)
    report = ingest_paths([SEEDS], settings)
    assert report.count("added") == 5, report.to_json()
    return settings
pytest_plugins = ["llm_server"]
