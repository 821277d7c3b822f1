"""The benchmark's results as one JSON object, a text table and a PNG chart.

The JSON has one object per scale (``"1x"``: ``docs``, ``ours``, ``baseline``,
``ratio`` = ours / baseline), then ``machine``, ``targets`` (true, false, or
null when a number needed was not measured), ``config`` and ``notes``.
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# Shared by both sides, hence in ``ratio``; the first seven are the contract.
METRICS = (
    "ingest_chunks_per_s",
    "ingest_docs_per_s",
    "query_p50_ms",
    "query_p95_ms",
    "retrieve_p50_ms",
    "peak_rss_mb",
    "index_mb",
    "retrieve_p95_ms",
    "chunks",
    "ingest_s",
    "ingest_cpu_s",
    "peak_rss_ingest_mb",
    "rss_model_mb",
    "embed_s",
    "pipeline_s",
    "pipeline_ms_per_doc",
)
BUSY_LOAD = 1.0  # other processes' 1-minute load average at the start that earns a note
QUERY_P50_LIMIT_MS = 300.0
# Issue #16's goals at 10x, each against the baseline measured in the same run.
INGEST_FACTOR = 1.5  # documents per second at least 1.5 x the baseline's
P95_FACTOR = 1.2  # answer p95 at most 1.2 x the baseline's
GROWTH_LIMIT = 2.0  # p50 at 10x under 2 x p50 at 1x


def machine_info(cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, Any]:
    """CPU count and model, memory, Python: what a reader needs to compare runs."""
    import psutil

    model = platform.processor() or None
    if cpuinfo.is_file():
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(encoding="utf-8", errors="replace"), re.M)
        model = m.group(1).strip() if m else model
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(affinity) if affinity is not None else os.cpu_count(),
        "cpu_model": model,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def _num(side: Mapping[str, Any], key: str) -> float | None:
    value = side.get(key)
    return float(value) if isinstance(value, int | float) else None


def ratios(ours: Mapping[str, Any], baseline: Mapping[str, Any]) -> dict[str, float | None]:
    """ours / baseline per shared metric; null when either is missing or the baseline is 0."""
    out: dict[str, float | None] = {}
    for key in METRICS:
        a, b = _num(ours, key), _num(baseline, key)
        out[key] = round(a / b, 3) if a is not None and b else None
    return out


def targets(scales: Mapping[str, Mapping[str, Any]]) -> dict[str, bool | None]:
    """The issue's goals (#16), judged on the measured numbers.

    Ingestion compares documents per second: the two sides cut chunks of
    different sizes (ours ~300 tokens, the baseline 1000 characters), so chunks
    per second would reward whoever cuts smaller.
    """

    def get(label: str, side: str, key: str) -> float | None:
        return _num(scales.get(label, {}).get(side, {}), key)

    def at_10x(key: str, ok: Any) -> bool | None:
        ours, base = get("10x", "ours", key), get("10x", "baseline", key)
        return None if ours is None or base is None else bool(ok(ours, base))

    p50s = [p for label in scales if (p := get(label, "ours", "query_p50_ms")) is not None]
    p1, p10 = get("1x", "ours", "query_p50_ms"), get("10x", "ours", "query_p50_ms")
    return {
        "ingest_10x_docs_per_s_ge_1.5x_baseline": at_10x("ingest_docs_per_s", lambda o, b: o >= INGEST_FACTOR * b),
        "query_p95_10x_le_1.2x_baseline": at_10x("query_p95_ms", lambda o, b: o <= P95_FACTOR * b),
        "peak_rss_10x_le_baseline": at_10x("peak_rss_mb", lambda o, b: o <= b),
        "query_p50_le_300ms": all(p <= QUERY_P50_LIMIT_MS for p in p50s) if p50s else None,
        "query_p50_10x_lt_2x_1x": None if p1 is None or p10 is None else p10 < GROWTH_LIMIT * p1,
    }


def _rounded(side: Mapping[str, Any]) -> dict[str, Any]:
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in side.items() if k != "notes"}


def assemble(
    results: Mapping[str, Mapping[str, Any]], machine: Mapping[str, Any], config: Mapping[str, Any]
) -> dict[str, Any]:
    """The one JSON object ``--json`` prints and ``bench.json`` holds."""
    report: dict[str, Any] = {}
    notes: list[str] = []
    for label, r in results.items():
        ours, base = r.get("ours", {}), r.get("baseline", {})
        report[label] = {
            "docs": r.get("docs"),
            "ours": _rounded(ours),
            "baseline": _rounded(base),
            "ratio": ratios(ours, base),
        }
        for side_name, side in (("ours", ours), ("baseline", base)):
            if "error" in side:
                notes.append(f"{label} {side_name}: {side['error']}")
            notes += [n for n in side.get("notes", []) if n not in notes]
    load = machine.get("load_1m_start")
    if isinstance(load, int | float) and load >= BUSY_LOAD:
        notes.insert(0, (
            f"the machine was busy before the bench started (1-minute load {load:.1f} on "
            f"{machine.get('cpus_usable')} CPUs): absolute numbers are pessimistic and noisy; "
            "compare CPU times (ingest_cpu_s), or re-run on a quiet machine"
        ))
    report["machine"] = dict(machine)
    report["targets"] = targets(results)
    report["config"] = dict(config)
    report["notes"] = notes
    return report


def scale_labels(report: Mapping[str, Any]) -> list[str]:
    return [k for k in report if re.fullmatch(r"\d+x", k)]


_ROWS = (
    ("ingest documents/s", "ingest_docs_per_s", "{:.2f}"),
    ("ingest chunks/s", "ingest_chunks_per_s", "{:.1f}"),
    ("chunks", "chunks", "{:.0f}"),
    ("ingest time (s)", "ingest_s", "{:.1f}"),
    ("  of which embedding (s)", "embed_s", "{:.1f}"),
    ("  of which the rest (ms/doc)", "pipeline_ms_per_doc", "{:.0f}"),
    ("ingest CPU time (s)", "ingest_cpu_s", "{:.1f}"),
    ("query p50 (ms)", "query_p50_ms", "{:.1f}"),
    ("query p95 (ms)", "query_p95_ms", "{:.1f}"),
    ("retrieve p50 (ms)", "retrieve_p50_ms", "{:.1f}"),
    ("retrieve p95 (ms)", "retrieve_p95_ms", "{:.1f}"),
    ("peak RSS (MB)", "peak_rss_mb", "{:.0f}"),
    ("peak RSS by end of ingest (MB)", "peak_rss_ingest_mb", "{:.0f}"),
    ("RSS after model load (MB)", "rss_model_mb", "{:.0f}"),
    ("index on disk (MB)", "index_mb", "{:.2f}"),
    ("summary per document (ms)", "summary_ms_per_doc", "{:.1f}"),
    ("questions answered (not refused)", "answered", "{:.0f}"),
)


def _cell(value: Any, fmt: str) -> str:
    return fmt.format(value) if isinstance(value, int | float) else "-"


def render_table(report: Mapping[str, Any]) -> str:
    """The report for a terminal: one block per scale, then targets and machine."""
    lines = []
    for label in scale_labels(report):
        r = report[label]
        backends = (r["ours"].get("embedding_backend"), r["baseline"].get("embedding_backend"))
        runtime = f", embedding runtime ours {backends[0]} / baseline {backends[1]}" if all(backends) else ""
        lines.append(f"{label} ({r['docs']} documents{runtime})")
        lines.append(f"  {'metric':<32}{'ours':>10}{'baseline':>10}{'ours/base':>11}")
        for title, key, fmt in _ROWS:
            ours, base = r["ours"].get(key), r["baseline"].get(key)
            if ours is None and base is None:
                continue
            ratio = r["ratio"].get(key)
            lines.append(
                f"  {title:<32}{_cell(ours, fmt):>10}{_cell(base, fmt):>10}{_cell(ratio, '{:.2f}'):>11}"
            )
        lines.append("")
    verdict = {True: "met", False: "NOT met", None: "not measured"}
    lines.append("targets:")
    for name, ok in report["targets"].items():
        lines.append(f"  {name}: {verdict[ok]}")
    m = report["machine"]
    lines.append(
        f"machine: {m['cpus_usable']} CPUs ({m['cpu_model']}), {m['ram_gb']} GiB RAM, Python {m['python']}"
    )
    lines += [f"note: {n}" for n in report["notes"]]
    return "\n".join(lines)


def write_chart(report: Mapping[str, Any], path: Path) -> None:
    """Latency and ingestion throughput against corpus size, both sides."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = scale_labels(report)
    docs = [report[label]["docs"] for label in labels]
    fig, (lat, thr) = plt.subplots(1, 2, figsize=(11, 4.2))
    # Colour and line say the side, the marker says the measure.
    for side, color, style in (("ours", "C0", "-"), ("baseline", "C1", "--")):
        for key, name, marker in (
            ("query_p50_ms", "answer p50", "o"),
            ("query_p95_ms", "answer p95", "^"),
            ("retrieve_p50_ms", "retrieve p50", "s"),
        ):
            ys = [report[label][side].get(key) for label in labels]
            lat.plot(docs, [y if y is not None else float("nan") for y in ys], style, color=color,
                     marker=marker, label=f"{side} {name}")
        ys = [report[label][side].get("ingest_docs_per_s") for label in labels]
        thr.plot(docs, [y if y is not None else float("nan") for y in ys], style, color=color, marker="o",
                 label=side)
    lat.axhline(QUERY_P50_LIMIT_MS, color="grey", linewidth=0.8, linestyle=":", label="300 ms target")
    lat.set(title="warm query latency", xlabel="documents in the index", ylabel="ms")
    thr.set(title="ingestion throughput", xlabel="documents ingested", ylabel="documents / s")
    for ax in (lat, thr):
        if len(docs) > 1:
            ax.set_xscale("log")
        ax.set_xticks(docs, [f"{d}\n({label})" for d, label in zip(docs, labels, strict=True)])
        ax.minorticks_off()
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7)
    m = report["machine"]
    fig.suptitle(f"meetrag vs vanilla LangChain: {m['cpus_usable']} CPUs ({m['cpu_model']}), {m['ram_gb']} GiB",
                 fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(report: Mapping[str, Any], directory: Path) -> tuple[Path, Path]:
    """``bench.json`` and ``bench.png`` under ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, png_path = directory / "bench.json", directory / "bench.png"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_chart(report, png_path)
    return json_path, png_path
