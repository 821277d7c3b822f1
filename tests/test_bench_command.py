"""`meetrag bench` end to end at a tiny scale, its light import, and the
on-disk baseline's fidelity to eval/baseline.py. No test asserts a speed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SEEDS
from langchain_core.embeddings import DeterministicFakeEmbedding

from rag.cli import main

CONTRACT = {"ingest_chunks_per_s", "ingest_docs_per_s", "query_p50_ms", "query_p95_ms", "retrieve_p50_ms",
            "peak_rss_mb", "index_mb"}


def test_bench_command_imports_no_heavy_library():
    code = (
        "import sys, eval.bench_command; "
        "print([m for m in ('torch', 'chromadb', 'matplotlib', 'sentence_transformers') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_persistent_baseline_holds_the_same_chunks_as_eval_baseline(tmp_path):
    from eval.baseline import BaselinePipeline
    from eval.bench.vanilla import build_persistent

    emb = DeterministicFakeEmbedding(size=16)
    ours = build_persistent([SEEDS], emb, tmp_path / "chroma")
    theirs = BaselinePipeline.build([SEEDS], emb)

    def contents(pipeline):
        got = pipeline.store.get(include=["documents", "metadatas"])
        return sorted(zip(got["ids"], got["documents"], [sorted(m.items()) for m in got["metadatas"]], strict=True))

    assert ours.n_chunks == theirs.n_chunks > 0
    assert contents(ours) == contents(theirs)
    assert any((tmp_path / "chroma").iterdir())  # it is on disk


@pytest.mark.slow
def test_bench_smoke_prints_one_json_object(tmp_path, capsys):
    report_dir = tmp_path / "report"
    code = main(["--home", str(tmp_path / "home"), "bench", "--scale", "1", "--queries", "3", "--repeat", "1",
                 "--json", "--report", str(report_dir)])
    assert code == 0
    report = json.loads(capsys.readouterr().out)  # stdout is exactly one JSON object
    assert report["1x"]["docs"] == 5
    for side in ("ours", "baseline"):
        assert CONTRACT <= set(report["1x"][side])
        assert all(isinstance(report["1x"][side][k], int | float) for k in CONTRACT), report["1x"][side]
        assert report["1x"][side]["docs"] == 5 and report["1x"][side]["questions"] == 3
        # Ingestion time is split into the model's share and the rest, which add up.
        side_report = report["1x"][side]
        assert 0 < side_report["embed_s"] < side_report["ingest_s"]
        assert abs(side_report["embed_s"] + side_report["pipeline_s"] - side_report["ingest_s"]) < 0.01
    assert report["1x"]["ours"]["embedding_backend"] == "onnx-int8"  # the default
    assert report["1x"]["baseline"]["embedding_backend"] == "torch"  # what vanilla LangChain runs
    assert CONTRACT <= set(report["1x"]["ratio"])
    assert {"cpu_count", "cpu_model", "ram_gb", "python"} <= set(report["machine"])
    assert set(report["targets"]) == {"ingest_10x_docs_per_s_ge_1.5x_baseline", "query_p95_10x_le_1.2x_baseline",
                                      "peak_rss_10x_le_baseline", "query_p50_le_300ms", "query_p50_10x_lt_2x_1x"}
    assert report["targets"]["ingest_10x_docs_per_s_ge_1.5x_baseline"] is None  # 10x not run
    assert all(v in (True, False, None) for v in report["targets"].values())
    assert json.loads((report_dir / "bench.json").read_text(encoding="utf-8")) == report
    assert (report_dir / "bench.png").read_bytes()[:4] == b"\x89PNG"


def test_bench_sides_measures_only_the_sides_asked(tmp_path, monkeypatch):
    """`--sides ours` (the 5,000-document run): the baseline is reported as skipped."""
    import argparse

    from eval import bench_command
    from eval.bench import runner
    from rag.settings import load_settings

    ran = []
    monkeypatch.setattr(runner, "run_worker", lambda job, workdir: ran.append(job.side) or {"docs": 5})
    results = runner.run_bench(load_settings(environ={}, home=tmp_path), [1], sorted(SEEDS.glob("*.txt")),
                               n_questions=1, repeat=1, say=lambda m: None, sides=["ours"])
    assert ran == ["ours"]
    assert results["1x"]["baseline"] == {"skipped": "not run (--sides)"}
    with pytest.raises(argparse.ArgumentTypeError, match="'ours' and 'baseline'"):
        bench_command._sides("ours,vanilla")
    assert bench_command._sides("ours") == ["ours"]


def test_bench_keep_reuses_ours_finished_index_only(tmp_path, monkeypatch):
    """`--keep DIR`: a second run over the same DIR reuses ours' finished index (the ingest
    figures recorded by the first run) and builds the baseline's, or an unfinished one, afresh."""
    import json as _json

    from eval.bench import runner
    from eval.bench.worker import INGEST_FIGURES, INGEST_RECORD, ingest_key
    from rag.settings import load_settings

    seen = []

    def fake_worker(job, workdir):
        home = runner.Path(job.home)
        seen.append((job.side, job.reuse_ingest, sorted(p.name for p in home.iterdir())))
        (home / "index.sqlite").write_text("x")
        if job.side == "ours" and not job.reuse_ingest:
            figures = dict.fromkeys(INGEST_FIGURES, 1.5)
            (home / INGEST_RECORD).write_text(_json.dumps({"key": ingest_key(job), "figures": figures}))
        return {"docs": 5}

    monkeypatch.setattr(runner, "run_worker", fake_worker)
    settings = load_settings(environ={}, home=tmp_path / "home")
    keep = tmp_path / "keep"

    def bench(s=settings):
        runner.run_bench(s, [1], sorted(SEEDS.glob("*.txt")), n_questions=1, repeat=1, say=lambda m: None,
                         keep=keep)

    bench()
    assert [(side, reused) for side, reused, _ in seen] == [("ours", None), ("baseline", None)]
    assert (keep / "corpus-1x").is_dir() and (keep / "home-1x-ours" / INGEST_RECORD).is_file()
    seen.clear()
    bench()
    (ours_side, reused, ours_files), (_, base_reused, base_files) = seen
    assert reused == dict.fromkeys(INGEST_FIGURES, 1.5) and "index.sqlite" in ours_files
    assert base_reused is None and base_files == []  # the baseline's folder was emptied
    # Other settings, or an ingest that never finished, are not reused: the folder starts empty.
    seen.clear()
    bench(settings.model_copy(update={"top_k": settings.top_k + 1}))
    assert seen[0][1] is None and seen[0][2] == []
    (keep / "home-1x-ours" / INGEST_RECORD).unlink()
    seen.clear()
    bench()
    assert seen[0][1] is None and seen[0][2] == []
