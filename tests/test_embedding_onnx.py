"""The ONNX Runtime backend gives the PyTorch backend's vectors, and its exported
file is cached safely (atomic, keyed by the model's files, reused)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import MODEL_CACHE, make_settings

from rag import embedding_onnx
from rag.embedding import SentenceEmbeddings, get_embeddings, pick_backend, resolve_model_path
from rag.errors import SettingsError

TEXTS = [
    "市委书记刘玉杰主持会议并讲话",
    "全市優秀基層黨組織書記座談會",  # traditional script
    "ABC Meeting 2024 大写 Latin and 数字 3.5%",
    "短",
    "",
    "乡村振兴" * 300,  # over the 512-token window: truncated the same way
]


@pytest.fixture(scope="module")
def both() -> tuple[SentenceEmbeddings, SentenceEmbeddings]:
    path = resolve_model_path("m3e-small")
    return (
        SentenceEmbeddings(path, 4, backend="onnx", cache_dir=Path(MODEL_CACHE)),
        SentenceEmbeddings(path, 4, backend="torch"),
    )


def test_onnx_vectors_equal_torch_vectors(both) -> None:
    onnx, torch = both
    a, b = np.array(onnx.embed_documents(TEXTS)), np.array(torch.embed_documents(TEXTS))
    assert a.shape == b.shape == (len(TEXTS), 512)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert (a * b).sum(axis=1).min() > 0.9999
    # The order of the input is kept although batches are formed longest first.
    assert np.allclose(a[3], onnx.embed_query("短"), atol=1e-5)
    assert onnx.dimension == torch.dimension == 512


def test_concurrent_calls_give_the_same_vectors(both) -> None:
    onnx, _ = both
    expected = np.array(onnx.embed_documents(TEXTS[:4]))
    results: list[np.ndarray] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(np.array(onnx.embed_documents(TEXTS[:4])))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(np.allclose(r, expected, atol=1e-5) for r in results)


def _fake_model(folder: Path, hidden: int = 8) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(f'{{"hidden_size": {hidden}}}', encoding="utf-8")
    (folder / "pytorch_model.bin").write_bytes(b"weights")
    return folder


def test_export_is_cached_and_atomic(tmp_path, monkeypatch) -> None:
    model = _fake_model(tmp_path / "model")
    calls: list[Path] = []

    def fake_export(model_dir: Path, dest: Path) -> None:
        calls.append(dest)
        dest.write_bytes(b"onnx")

    monkeypatch.setattr(embedding_onnx, "_export", fake_export)
    first = embedding_onnx.onnx_file(model, tmp_path / "cache")
    again = embedding_onnx.onnx_file(model, tmp_path / "cache")
    assert first == again and first.read_bytes() == b"onnx"
    assert len(calls) == 1
    assert calls[0] != first  # written under a temporary name, then renamed
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]


def test_failed_export_leaves_nothing(tmp_path, monkeypatch) -> None:
    model = _fake_model(tmp_path / "model")

    def broken_export(model_dir: Path, dest: Path) -> None:
        dest.write_bytes(b"half a fi")
        raise RuntimeError("killed")

    monkeypatch.setattr(embedding_onnx, "_export", broken_export)
    with pytest.raises(RuntimeError):
        embedding_onnx.onnx_file(model, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_changed_model_gets_a_new_export(tmp_path) -> None:
    model = _fake_model(tmp_path / "model")
    before = embedding_onnx.model_key(model)
    assert embedding_onnx.model_key(model) == before
    (model / "pytorch_model.bin").write_bytes(b"other weights")
    assert embedding_onnx.model_key(model) != before


def test_a_model_that_is_not_mean_pooled_is_refused(tmp_path) -> None:
    model = _fake_model(tmp_path / "model")
    (model / "modules.json").write_text(
        '[{"idx": 0, "path": "", "type": "sentence_transformers.models.Transformer"},'
        ' {"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]',
        encoding="utf-8",
    )
    (model / "1_Pooling").mkdir()
    (model / "1_Pooling" / "config.json").write_text('{"pooling_mode_cls_token": true}', encoding="utf-8")
    with pytest.raises(SettingsError, match="MEETRAG_EMBEDDING_BACKEND=torch"):
        embedding_onnx.OnnxSentenceEncoder(model, tmp_path / "cache")


def test_backend_choice(tmp_path, monkeypatch) -> None:
    assert pick_backend("torch") == "torch"
    assert pick_backend("onnx") == "onnx"
    assert pick_backend("auto") == "onnx-int8"  # a new index; both packages are installed by make setup
    assert pick_backend("auto", "m3e-small/int8pc") == "onnx-int8"
    assert pick_backend("auto", "m3e-small/fp32") == "onnx"  # an index built at full precision stays so
    assert pick_backend("onnx-int8", "m3e-small/fp32") == "onnx-int8"  # explicit: the index check decides
    monkeypatch.setattr(embedding_onnx, "onnx_available", lambda: False)
    assert pick_backend("auto") == "torch"
    assert pick_backend("auto", "m3e-small/fp32") == "torch"
    settings = make_settings(tmp_path, embedding_backend="torch")
    assert get_embeddings(settings).backend == "torch"
    assert make_settings(tmp_path).models_dir == Path(MODEL_CACHE)
    assert make_settings(tmp_path, model_cache_dir=None).models_dir == tmp_path / "cache" / "models"


def test_int8_vectors_stay_close_to_the_full_precision_ones(both) -> None:
    onnx, _ = both
    int8 = SentenceEmbeddings(onnx.model_path, 4, backend="onnx-int8", cache_dir=Path(MODEL_CACHE))
    a, b = np.array(onnx.embed_documents(TEXTS[:4])), np.array(int8.embed_documents(TEXTS[:4]))
    cos = (a * b).sum(axis=1)
    # Close (measured: 0.996-0.998 on the seeds' chunks with a scale per channel; 0.987-0.995
    # with one per tensor) but not equal: hence its own vector space.
    assert cos.min() > 0.993 and cos.max() < 0.99999
    assert any(p.name.endswith("-int8pc.onnx") for p in Path(MODEL_CACHE).glob("*.onnx"))


def test_token_ids_equal_the_transformers_tokenizer(seed_docs) -> None:
    from transformers import AutoTokenizer

    path = resolve_model_path("m3e-small")
    ours, reference = embedding_onnx._tokenizer(path), AutoTokenizer.from_pretrained(str(path))
    texts = [*TEXTS, "Ünïcödé ｆｕｌｌ　ｗｉｄｔｈ 「引号」\t\n"]
    for doc in seed_docs.values():
        texts += [doc.display[i : i + 200] for i in range(0, len(doc.display), 200)]
    for i in range(0, len(texts), 8):
        batch = texts[i : i + 8]
        a = ours(batch)
        b = reference(batch, padding=True, truncation=True, max_length=512, return_tensors="np")
        for key in ("input_ids", "attention_mask", "token_type_ids"):
            assert np.array_equal(a[key], b[key]), (key, batch[0][:30])


def test_asking_does_not_load_pytorch(seeded) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from rag.settings import load_settings; from rag.pipeline import Pipeline\n"
        f"p = Pipeline(load_settings(environ={{}}, home={str(seeded.home)!r}, "
        f"model_cache_dir={str(seeded.models_dir)!r}))\n"
        "assert not p.ask('座谈会由谁主持?').refused\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"  # start-up stays ~2 s and ~200 MB lighter
