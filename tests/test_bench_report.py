"""The benchmark's arithmetic and report: percentiles, ratios, targets, files."""

from __future__ import annotations

import argparse
import json

import pytest

from eval.bench.report import assemble, ratios, render_table, targets, write_report
from eval.bench.runner import pick_questions, worker_env
from eval.bench.stats import percentile
from eval.bench_command import _scales

MACHINE = {"cpu_count": 2, "cpus_usable": 2, "cpu_model": "Test CPU", "ram_gb": 4.0, "python": "3.11.7",
           "platform": "Linux", "load_1m_start": 0.1}


def side(docs_per_s: float, p50: float, **kw: float) -> dict:
    return {
        "ingest_chunks_per_s": docs_per_s * 10,
        "ingest_docs_per_s": docs_per_s,
        "query_p50_ms": p50,
        "query_p95_ms": p50 * 2,
        "retrieve_p50_ms": p50 / 2,
        "peak_rss_mb": 1000.0,
        "index_mb": 2.0,
        "notes": [],
        **kw,
    }


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([10, 20, 30, 40], 50, 25.0), ([10, 20, 30, 40], 95, 38.5), ([5], 95, 5.0), ([3, 1, 2], 0, 1.0), ([], 50, None)],
)
def test_percentile_interpolates_like_numpy(values, q, expected):
    assert percentile(values, q) == expected


def test_percentile_rejects_out_of_range():
    with pytest.raises(ValueError, match="0..100"):
        percentile([1.0], 101)


def test_ratios_are_ours_over_baseline_and_null_when_undefined():
    r = ratios(side(2.0, 100.0), side(4.0, 50.0, index_mb=0.0))
    assert r["ingest_docs_per_s"] == 0.5
    assert r["query_p50_ms"] == 2.0
    assert r["index_mb"] is None  # baseline 0
    assert r["retrieve_p95_ms"] is None  # measured by neither


@pytest.mark.parametrize(
    ("scales", "expected"),
    [
        (
            {"1x": {"ours": side(1, 100), "baseline": side(1, 50)},
             "10x": {"ours": side(1.5, 150, peak_rss_mb=600.0), "baseline": side(1, 125)}},
            {"ingest_10x_docs_per_s_ge_1.5x_baseline": True, "query_p95_10x_le_1.2x_baseline": True,
             "peak_rss_10x_le_baseline": True, "query_p50_le_300ms": True, "query_p50_10x_lt_2x_1x": True},
        ),
        (
            {"1x": {"ours": side(1, 100), "baseline": side(1, 50)},
             "10x": {"ours": side(1.4, 301, peak_rss_mb=1001.0), "baseline": side(1, 60)}},
            {"ingest_10x_docs_per_s_ge_1.5x_baseline": False, "query_p95_10x_le_1.2x_baseline": False,
             "peak_rss_10x_le_baseline": False, "query_p50_le_300ms": False, "query_p50_10x_lt_2x_1x": False},
        ),
        (
            {"1x": {"ours": side(1, 100), "baseline": side(1, 50)}},
            {"ingest_10x_docs_per_s_ge_1.5x_baseline": None, "query_p95_10x_le_1.2x_baseline": None,
             "peak_rss_10x_le_baseline": None, "query_p50_le_300ms": True, "query_p50_10x_lt_2x_1x": None},
        ),
        (
            {"10x": {"ours": {"error": "worker exited"}, "baseline": side(1, 60)}},
            {"ingest_10x_docs_per_s_ge_1.5x_baseline": None, "query_p95_10x_le_1.2x_baseline": None,
             "peak_rss_10x_le_baseline": None, "query_p50_le_300ms": None, "query_p50_10x_lt_2x_1x": None},
        ),
    ],
)
def test_targets(scales, expected):
    assert targets(scales) == expected


def test_assemble_has_the_contract_keys_and_collects_notes():
    results = {"1x": {"docs": 5, "ours": side(1, 100, notes=["summary time not measured: x"]),
                      "baseline": {"error": "worker exited with status 1"}}}
    report = assemble(results, {**MACHINE, "load_1m_start": 3.5}, {"queries": 3})
    assert set(report) >= {"1x", "machine", "targets", "config", "notes"}
    assert report["1x"]["docs"] == 5
    assert set(report["1x"]) == {"docs", "ours", "baseline", "ratio"}
    assert "notes" not in report["1x"]["ours"]
    assert report["1x"]["ratio"]["query_p50_ms"] is None
    assert any("busy" in n for n in report["notes"])
    assert "1x baseline: worker exited with status 1" in report["notes"]
    assert "summary time not measured: x" in report["notes"]
    table = render_table(report)
    assert "1x (5 documents)" in table and "query p50 (ms)" in table


def test_write_report_writes_json_and_a_png(tmp_path):
    results = {"1x": {"docs": 5, "ours": side(1, 100), "baseline": side(1, 50)},
               "10x": {"docs": 50, "ours": side(1, 120), "baseline": side(1, 60)}}
    json_path, png_path = write_report(assemble(results, MACHINE, {}), tmp_path / "bench")
    assert json.loads(json_path.read_text(encoding="utf-8"))["10x"]["docs"] == 50
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("n", "expected_distinct"), [(1, 1), (3, 3), (20, 20), (25, 20)])
def test_pick_questions_spreads_then_cycles(n, expected_distinct):
    qs = pick_questions(n)
    assert len(qs) == n and len(set(qs)) == expected_distinct


def test_worker_env_keeps_what_the_user_set():
    env = worker_env({"OMP_WAIT_POLICY": "ACTIVE", "PATH": "/bin"})
    assert env == {"OMP_WAIT_POLICY": "ACTIVE", "TOKENIZERS_PARALLELISM": "false", "PATH": "/bin"}


@pytest.mark.parametrize(("text", "scales"), [("1,10,100", [1, 10, 100]), ("10,1,10", [1, 10]), ("3", [3])])
def test_scale_option_parses(text, scales):
    assert _scales(text) == scales


@pytest.mark.parametrize("text", ["0,1", "a", ",", "1.5"])
def test_scale_option_rejects(text):
    with pytest.raises(argparse.ArgumentTypeError):
        _scales(text)
