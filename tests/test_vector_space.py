"""An index remembers which embedding made its vectors, and refuses another one
(another model, or the int8 variant) instead of answering from mismatched vectors."""

from __future__ import annotations

import pytest
from conftest import SEED_FILES, make_settings
from langchain_core.embeddings import DeterministicFakeEmbedding

from rag.errors import VectorSpaceError
from rag.ingest import ingest_paths
from rag.pipeline import Pipeline
from rag.settings import Settings
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

    assert get_embeddings(make_settings(tmp_path, embedding_backend="auto")).vector_space == "m3e-small/int8pc"
    assert get_embeddings(make_settings(tmp_path, embedding_backend="onnx")).vector_space == "m3e-small/fp32"
    assert get_embeddings(make_settings(tmp_path, embedding_backend="torch")).vector_space == "m3e-small/fp32"
    assert get_embeddings(make_settings(tmp_path, embedding_backend="onnx-int8")).vector_space == "m3e-small/int8pc"


@pytest.mark.parametrize(
    ("recorded", "backend"), [(None, "onnx-int8"), ("m3e-small/int8pc", "onnx-int8"), ("m3e-small/fp32", "onnx")]
)
def test_auto_follows_the_space_the_index_records(tmp_path, recorded, backend) -> None:
    """A new index gets int8; an index built at full precision is still queried and
    extended at full precision after the default changed, instead of being refused."""
    from rag.embedding import get_embeddings, recorded_vector_space

    settings = make_settings(tmp_path, embedding_backend="auto")
    if recorded:
        DocStore(settings).check_vector_space(recorded, claim=True)
    assert recorded_vector_space(settings) == recorded
    assert get_embeddings(settings).backend == backend


def test_recording_the_space_is_read_without_creating_an_index(tmp_path) -> None:
    from rag.embedding import recorded_vector_space

    settings = make_settings(tmp_path / "none", embedding_backend="auto")
    assert recorded_vector_space(settings) is None
    assert not (tmp_path / "none").exists()


def test_a_default_ingest_records_the_int8_space_and_answers_with_it(tmp_path) -> None:
    settings = make_settings(tmp_path, embedding_backend="auto")
    assert Settings.model_fields["embedding_backend"].default == "auto"
    ingest_paths(SEED_FILES[:1], settings)
    assert DocStore(settings).vector_space() == "m3e-small/int8pc"
    pipeline = Pipeline(settings)
    assert pipeline.embeddings.vector_space == "m3e-small/int8pc"
    assert pipeline.retrieve("会议由谁主持", 3)
