"""An index remembers which embedding made its vectors, and refuses another one
(another model, or the int8 variant) instead of answering from mismatched vectors."""

from __future__ import annotations

import pytest
from conftest import SEED_FILES, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding

from rag.errors import VectorSpaceError
from rag.ingest import ingest_paths
from rag.pipeline import Pipeline
from rag.store import DocStore


class Spaced(DeterministicFakeEmbedding):
    vector_space: str = "fake/fp32"


def test_first_ingest_records_the_space_and_a_second_model_is_refused(tmp_path) -> None:
    settings = make_settings(tmp_path)
    ingest_paths(SEED_FILES[:1], settings, embeddings=Spaced(size=16))
    store = DocStore(settings)
    assert store.vector_space() == "fake/fp32"
    before = store.doc_ids()

    with pytest.raises(VectorSpaceError, match="embedded with fake/fp32.*now embed with fake/int8.*--home"):
        ingest_paths(SEED_FILES[1:2], settings, embeddings=Spaced(size=16, vector_space="fake/int8"))
    assert DocStore(settings).doc_ids() == before  # nothing was added

    ingest_paths(SEED_FILES[1:2], settings, embeddings=Spaced(size=16))  # the same space goes on
    assert len(DocStore(settings).doc_ids()) == 2


def test_questions_with_another_embedding_are_refused(tmp_path) -> None:
    settings = make_settings(tmp_path)
    ingest_paths(SEED_FILES[:1], settings, embeddings=Spaced(size=16))
    assert Pipeline(settings, embeddings=Spaced(size=16)).retrieve("会议由谁主持", 3)
    with pytest.raises(VectorSpaceError):
        Pipeline(settings, embeddings=Spaced(size=16, vector_space="other/fp32")).retrieve("会议由谁主持", 3)


def test_embeddings_without_a_space_are_not_checked(tmp_path) -> None:
    settings = make_settings(tmp_path)
    ingest_paths(SEED_FILES[:1], settings, embeddings=DeterministicFakeEmbedding(size=16))
    assert DocStore(settings).vector_space() is None


def test_the_real_embedder_names_its_space(tmp_path) -> None:
    from rag.embedding import get_embeddings

    assert get_embeddings(make_settings(tmp_path)).vector_space == "m3e-small/fp32"
    assert get_embeddings(make_settings(tmp_path, embedding_backend="torch")).vector_space == "m3e-small/fp32"
    assert get_embeddings(make_settings(tmp_path, embedding_backend="onnx-int8")).vector_space == "m3e-small/int8"
