"""One side (meetrag or the vanilla baseline) of one corpus, measured in a
process of its own: ``python -m eval.bench.worker JOB.json OUT.json``.

A fresh process per measurement keeps the sides apart: its peak resident
memory (``ru_maxrss``) belongs to one side only, and neither side profits
from caches the other warmed. Both sides load the same embedding model first,
untimed (its load time and memory are reported as ``model_load_s`` and
``rss_model_mb``), so ingestion throughput is the pipeline's own cost,
including its one-time set-up (jieba's dictionary, Chroma's client).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from langchain_core.embeddings import Embeddings

from eval.bench.stats import percentile

Side = Literal["ours", "baseline"]


@dataclass
class Job:
    """What one worker measures; written by the runner as JSON."""

    side: Side
    label: str  # "10x"
    corpus: str  # folder of .txt files
    home: str  # empty folder for this side's index
    settings: dict[str, Any]  # Settings.model_dump(mode="json"), home already set
    questions: list[str]
    repeat: int = 3  # measured passes over the questions, after one warm-up pass
    summary_sources: list[str] = field(default_factory=list)  # files whose summaries are timed
    profile_dir: str | None = None
    # Ours only (``--keep DIR``): the ingest figures of the finished index already in
    # ``home``, written by an earlier run; the worker then measures answering alone.
    reuse_ingest: dict[str, Any] | None = None

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Job:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


# What an ingest left in its home for a later ``--keep`` run: the figures below and what
# they were measured on (``ingest_key``). Written only once the ingest has finished.
INGEST_RECORD = "bench-ingest.json"
INGEST_FIGURES = ("ingest_s", "ingest_cpu_s", "embed_s", "peak_rss_ingest_mb", "docs", "chunks", "load_1m_start")


def ingest_key(job: Job) -> dict[str, Any]:
    """What an index was built from: the scale, the corpus's files and the settings (home included)."""
    return {"label": job.label, "side": job.side, "corpus_files": len(list(Path(job.corpus).glob("*.txt"))),
            "settings": job.settings}


def kept_ingest(job: Job) -> dict[str, Any] | None:
    """The recorded figures of a finished ingest of this very job in ``job.home``, else None."""
    try:
        record = json.loads((Path(job.home) / INGEST_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    same = isinstance(record, dict) and record.get("key") == json.loads(json.dumps(ingest_key(job)))
    figures = record.get("figures") if same else None
    return figures if isinstance(figures, dict) and all(k in figures for k in INGEST_FIGURES) else None


# sentence-transformers' default ``encode`` batch, which HuggingFaceEmbeddings keeps.
VANILLA_BATCH_SIZE = 32


class TimedEmbeddings(Embeddings):
    """Wraps a LangChain ``Embeddings`` and adds up the seconds spent in it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        t0 = time.perf_counter()
        try:
            return list(self.inner.embed_documents(texts))
        finally:
            self.seconds += time.perf_counter() - t0

    def embed_query(self, text: str) -> list[float]:
        t0 = time.perf_counter()
        try:
            return list(self.inner.embed_query(text))
        finally:
            self.seconds += time.perf_counter() - t0


def _say(job: Job, message: str) -> None:
    print(f"[bench {job.label} {job.side}] {message}", file=sys.stderr, flush=True)


def dir_mb(path: Path) -> float:
    """Bytes of all files under ``path`` (SQLite WAL and Chroma segments included), in MiB."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def parts_mb(path: Path) -> dict[str, float]:
    """Size of each top-level entry of ``path``: where the index's bytes are."""
    return {
        p.name: round(dir_mb(p) if p.is_dir() else p.stat().st_size / 2**20, 3) for p in sorted(path.iterdir())
    }


def rss_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def peak_rss_mb() -> float:
    """This process's peak resident set size so far (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def profiled(job: Job, phase: str) -> Iterator[None]:
    """Run the block under cProfile when the job asks; stats go to ``profile_dir``."""
    if not job.profile_dir:
        yield
        return
    import cProfile

    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        out = Path(job.profile_dir) / f"{job.label}-{job.side}-{phase}.prof"
        out.parent.mkdir(parents=True, exist_ok=True)
        prof.dump_stats(out)


def latencies_ms(
    fns: Mapping[str, Callable[[str], Any]], questions: list[str], repeat: int
) -> dict[str, list[float]]:
    """Warm latencies: one untimed pass over the questions, then ``repeat`` timed
    ones. The functions take turns on each question, so a change in the
    machine's load touches them alike (retrieval alone vs the full answer)."""
    for q in questions:
        for fn in fns.values():
            fn(q)
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for q in questions:
            for name, fn in fns.items():
                t0 = time.perf_counter()
                fn(q)
                out[name].append((time.perf_counter() - t0) * 1000)
    return out


def _progress(job: Job, what: str) -> Callable[[int, int], None]:
    """A progress callback printing about ten lines however large the corpus."""
    t0 = time.perf_counter()
    shown = -1

    def report(done: int, total: int) -> None:
        nonlocal shown
        step = max(1, total // 10)
        if done == total or done // step != shown:
            shown = done // step
            _say(job, f"{what} {done}/{total} documents ({time.perf_counter() - t0:.0f} s)")

    return report


def _summary_ms(job: Job, settings: Any, pipeline: Any) -> tuple[float | None, str | None]:
    """Mean warm time of the rules summary of a few documents, or why it was not timed."""
    try:
        from rag.summaries import summarize  # type: ignore[import-not-found,unused-ignore]
    except ImportError as e:
        return None, f"summary time not measured: rag.summaries is not importable ({e})"
    from rag.ingest import source_key

    docs = []
    for src in job.summary_sources:
        doc_id = pipeline.store.find_by_source(source_key(Path(src)))
        if doc_id:
            docs.append(pipeline.store.get(doc_id))
    if not docs:
        return None, "summary time not measured: no summary documents in the index"
    try:
        summarize(docs[0], engine="rules", settings=settings)  # warm-up: jieba's POS model loads here
        t0 = time.perf_counter()
        for doc in docs:
            summarize(doc, engine="rules", settings=settings)
    except Exception as e:  # another helper's module, possibly mid-change: report, do not abort the run
        return None, f"summary time not measured: summarize() failed ({type(e).__name__}: {e})"
    return (time.perf_counter() - t0) * 1000 / len(docs), None


def _measure_ours(job: Job, settings: Any, embeddings: Any, out: dict[str, Any]) -> None:
    from rag.ingest import ingest_paths
    from rag.pipeline import Pipeline

    if job.reuse_ingest:
        # ``--keep``: the index an earlier run built here; its ingest figures are that run's.
        load_now = out["load_1m_start"]
        out.update({k: job.reuse_ingest[k] for k in INGEST_FIGURES})
        out["ingest_reused"], out["load_1m_answering"] = True, load_now
        out["notes"].append(
            f"ours {job.label}: the index an earlier run built in {job.home} was reused; its ingest figures "
            "(time, CPU, peak RSS while ingesting, load) are that run's; peak_rss_mb is this process, "
            "which only answered"
        )
    else:
        progress = _progress(job, "ingested")
        cpu0, t0 = time.process_time(), time.perf_counter()
        with profiled(job, "ingest"):
            report = ingest_paths(
                [job.corpus], settings, progress=lambda i, n, _name: progress(i, n), embeddings=embeddings
            )
        out["ingest_s"], out["ingest_cpu_s"] = time.perf_counter() - t0, time.process_time() - cpu0
        out["embed_s"] = embeddings.seconds
        out["peak_rss_ingest_mb"] = peak_rss_mb()
        out["docs"], out["chunks"] = report.count("added"), report.chunks
        if report.failed or report.count("unchanged"):
            out["notes"].append(
                f"ours: {len(report.failed)} files failed, {report.count('unchanged')} skipped as duplicates"
            )
        record = {"key": ingest_key(job), "figures": {k: out[k] for k in INGEST_FIGURES}}
        (Path(job.home) / INGEST_RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    pipeline = Pipeline(settings, embeddings=embeddings)

    def cold(fn: Callable[[str], Any]) -> Callable[[str], Any]:
        # The retriever keeps the vectors of recent questions (one answer searches its
        # question several times); every timed question starts without them, as a new
        # question does, so the figures do not profit from asking the same 20 again.
        def run(q: str) -> Any:
            pipeline.retriever.forget()
            return fn(q)

        return run

    with profiled(job, "query"):
        out["latencies"] = latencies_ms(
            {
                "retrieve": cold(lambda q: pipeline.retrieve(q, settings.top_k)),
                "query": cold(lambda q: pipeline.ask(q, engine="extractive")),
            },
            job.questions,
            job.repeat,
        )
    out["answered"] = sum(not pipeline.ask(q, engine="extractive").refused for q in job.questions)
    with profiled(job, "summary"):
        out["summary_ms_per_doc"], note = _summary_ms(job, settings, pipeline)
    if note:
        out["notes"].append(note)


def _measure_baseline(job: Job, embeddings: Any, out: dict[str, Any]) -> None:
    from eval.bench.vanilla import build_persistent

    cpu0, t0 = time.process_time(), time.perf_counter()
    with profiled(job, "ingest"):
        base = build_persistent([job.corpus], embeddings, Path(job.home) / "chroma", _progress(job, "ingested"))
    out["ingest_s"], out["ingest_cpu_s"] = time.perf_counter() - t0, time.process_time() - cpu0
    out["embed_s"] = embeddings.seconds
    out["peak_rss_ingest_mb"] = peak_rss_mb()
    out["docs"], out["chunks"] = sum(1 for _ in Path(job.corpus).glob("*.txt")), base.n_chunks
    with profiled(job, "query"):
        out["latencies"] = latencies_ms(
            {"retrieve": lambda q: base.store.similarity_search(q, k=base.k), "query": base.ask},
            job.questions,
            job.repeat,
        )
    out["answered"] = sum(not base.ask(q)["refused"] for q in job.questions)


def measure(job: Job) -> dict[str, Any]:
    """Ingest the corpus, time the questions, and report this process's numbers."""
    from rag.embedding import SentenceEmbeddings, get_embeddings, resolve_model_path
    from rag.settings import Settings

    settings = Settings.model_validate(job.settings)
    out: dict[str, Any] = {"notes": [], "load_1m_start": os.getloadavg()[0]}
    t0 = time.perf_counter()
    if job.side == "ours":
        inner = get_embeddings(settings)
    else:
        # The vanilla pipeline's runtime: sentence-transformers on PyTorch with its
        # default batch, which is what LangChain's HuggingFaceEmbeddings runs. Same weights.
        inner = SentenceEmbeddings(
            resolve_model_path(settings.embedding_model), VANILLA_BATCH_SIZE, backend="torch"
        )
    embeddings = TimedEmbeddings(inner)
    embeddings.embed_query("预热")  # load the model and run it once, untimed
    embeddings.seconds = 0.0
    out["embedding_backend"] = inner.backend
    out["model_load_s"], out["rss_model_mb"] = time.perf_counter() - t0, rss_mb()
    _say(job, f"model ready in {out['model_load_s']:.1f} s")
    if job.side == "ours":
        _measure_ours(job, settings, embeddings, out)
    else:
        _measure_baseline(job, embeddings, out)
    _say(job, f"ingested {out['docs']} documents, {out['chunks']} chunks in {out['ingest_s']:.1f} s")
    out["index_mb"], out["index_parts_mb"] = dir_mb(Path(job.home)), parts_mb(Path(job.home))
    out["peak_rss_mb"] = peak_rss_mb()
    for key, samples in out.pop("latencies").items():
        out[f"{key}_p50_ms"], out[f"{key}_p95_ms"] = percentile(samples, 50), percentile(samples, 95)
    # Where ingestion time goes: the model (embed_s, the same weights on both sides)
    # and everything else (pipeline_s: loading, cleaning, chunking, indexing, writes).
    out["pipeline_s"] = out["ingest_s"] - out["embed_s"]
    out["pipeline_ms_per_doc"] = 1000 * out["pipeline_s"] / max(1, out["docs"])
    out["ingest_docs_per_s"] = out["docs"] / out["ingest_s"]
    out["ingest_chunks_per_s"] = out["chunks"] / out["ingest_s"]
    out["questions"] = len(job.questions)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m eval.bench.worker JOB.json OUT.json", file=sys.stderr)
        return 2
    job = Job.load(Path(args[0]))
    result = measure(job)
    Path(args[1]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
