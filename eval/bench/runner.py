"""Drive the benchmark: one corpus per scale, one worker process per (scale, side).

Workers run one after another, never together, so on a 2-core machine neither
side's numbers include the other's load. Everything is built under one
temporary folder that is deleted afterwards; the user's index is never touched
(the bench uses the embedded Chroma even when ``chroma_url`` is set).

``keep`` (``--keep DIR``) builds in ``DIR`` instead and leaves it there. A later run
with the same ``DIR`` reuses ours' finished index of each scale (same corpus, same
settings; recorded by the worker once its ingest ends) and measures answering alone,
reporting the recorded ingest figures with ``ingest_reused``: 5,000 documents take
~47 minutes to ingest, their answers a minute. An index whose ingest did not finish,
and the baseline's, are built again from an empty folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eval.bench.corpus import build_corpus
from eval.bench.questions import QUESTIONS
from eval.bench.worker import Job, Side, kept_ingest
from rag.errors import MeetragError
from rag.settings import Settings

SIDES: tuple[Side, ...] = ("ours", "baseline")
# The run environment the Makefile exports. Without OMP_WAIT_POLICY=PASSIVE,
# torch's OpenMP threads spin while waiting: on a busy 2-core machine a query
# embedding then takes ~270 ms instead of ~30 ms. A value the user set wins.
WORKER_ENV = {"OMP_WAIT_POLICY": "PASSIVE", "TOKENIZERS_PARALLELISM": "false"}


class BenchError(MeetragError):
    pass


def pick_questions(n: int, pool: Sequence[str] = QUESTIONS) -> list[str]:
    """``n`` questions spread over the pool (so 3 questions touch 3 documents),
    cycling through it when ``n`` is larger."""
    if n < 1:
        raise ValueError(f"need at least one question, got {n}")
    if n >= len(pool):
        return [pool[i % len(pool)] for i in range(n)]
    return [pool[i * len(pool) // n] for i in range(n)]


def worker_env(base: Mapping[str, str]) -> dict[str, str]:
    """``base`` with the Makefile's defaults for what it leaves unset."""
    return {**WORKER_ENV, **base}


def run_worker(job: Job, workdir: Path) -> dict[str, Any]:
    """Measure one job in a fresh interpreter; its progress goes to our stderr."""
    job_path = workdir / f"job-{job.label}-{job.side}.json"
    out_path = workdir / f"result-{job.label}-{job.side}.json"
    job.save(job_path)
    proc = subprocess.run(
        [sys.executable, "-m", "eval.bench.worker", str(job_path), str(out_path)],
        stdout=subprocess.PIPE,
        text=True,
        env=worker_env(os.environ),
        check=False,
    )
    if proc.stdout:  # keep our stdout for the report alone
        print(proc.stdout, end="", file=sys.stderr)
    if proc.returncode != 0 or not out_path.is_file():
        return {"error": f"worker exited with status {proc.returncode} (its traceback is above)"}
    result: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
    return result


@contextmanager
def _workdir(keep: Path | None) -> Iterator[Path]:
    """``keep`` (created if missing, never deleted), else a temporary folder deleted afterwards."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="meetrag-bench-") as tmp:
        yield Path(tmp)


def run_bench(
    settings: Settings,
    scales: Sequence[int],
    seed_files: Sequence[Path],
    n_questions: int = len(QUESTIONS),
    repeat: int = 3,
    profile_dir: Path | None = None,
    say: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
    sides: Sequence[Side] = SIDES,
    keep: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """``{"1x": {"docs": 5, "ours": {...}, "baseline": {...}}, ...}`` in scale order; a side
    left out of ``sides`` is ``{"skipped": ...}`` (the 5,000-document run measures ours
    alone: the baseline would take another ~85 minutes of a 2-core machine)."""
    if not seed_files:
        raise BenchError("no seed documents: pass --seeds DIR with the .txt meeting documents to multiply")
    questions = pick_questions(n_questions)
    results: dict[str, dict[str, Any]] = {}
    with _workdir(keep) as root:
        for scale in scales:
            label = f"{scale}x"
            t0 = time.perf_counter()
            files = build_corpus(seed_files, scale, root / f"corpus-{label}")
            say(f"[bench {label}] corpus of {len(files)} documents written in {time.perf_counter() - t0:.1f} s")
            results[label] = {"docs": len(files)}
            for side in SIDES:
                if side not in sides:
                    results[label][side] = {"skipped": "not run (--sides)"}
                    continue
                home = root / f"home-{label}-{side}"
                home.mkdir(exist_ok=True)
                job = Job(
                    side=side,
                    label=label,
                    corpus=str(root / f"corpus-{label}"),
                    home=str(home),
                    settings=settings.model_copy(
                        # The exported ONNX model is reused from the user's cache, not redone per run.
                        update={"home": home, "chroma_url": None, "model_cache_dir": settings.models_dir}
                    ).model_dump(mode="json"),
                    questions=questions,
                    repeat=repeat,
                    summary_sources=[str(f) for f in files[: len(seed_files)]],
                    profile_dir=str(profile_dir) if profile_dir else None,
                )
                job.reuse_ingest = kept_ingest(job) if keep is not None and side == "ours" else None
                if job.reuse_ingest:
                    say(f"[bench {label} {side}] reusing the index built in {home} by an earlier run")
                elif any(home.iterdir()):  # a kept folder's unfinished or baseline index: start afresh
                    shutil.rmtree(home)
                    home.mkdir()
                t0 = time.perf_counter()
                results[label][side] = run_worker(job, root)
                say(f"[bench {label} {side}] done in {time.perf_counter() - t0:.0f} s")
    return results
