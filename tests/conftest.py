"""Shared fixtures: the seed documents, and one real index of them per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.metadata import make_document
from rag.settings import Settings, load_settings
from rag.types import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    """Cleaned seed documents keyed by file stem (no index needed)."""
    return {p.stem: make_document(p.read_text(encoding="utf-8"), str(p)) for p in SEED_FILES}


def make_settings(home: Path, **kw) -> Settings:
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
