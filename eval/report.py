"""Write an evaluation run to disk: report.json, report.md and chart.png.

``report.json`` is the machine-readable record (``summary`` with ``baseline``
nested, and one entry per question); ``report.md`` is for people: metrics and
per-type accuracy side by side, then the worst failures with what was
retrieved for them; ``chart.png`` plots the 0..1 metrics, ours vs baseline.
Every run is also copied to ``<reports_dir>/latest``, which the UI shows.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

# (key, label) of the metrics that live in 0..1, in display order.
SHARE_METRICS = (
    ("hit_at_1", "hit@1"),
    ("hit_at_5", "hit@5"),
    ("mrr", "MRR"),
    ("answer_accuracy", "answer accuracy"),
    ("refusal_precision", "refusal precision"),
    ("refusal_recall", "refusal recall"),
    ("false_refusal_rate", "false refusals"),
    ("faithfulness", "faithfulness"),
    ("faithfulness_llm", "faithfulness (LLM judge)"),  # only with --judge llm
    ("citation_recall", "citation recall"),
    ("citation_precision", "citation precision"),
    ("summary_field_precision", "summary field precision"),
    ("summary_field_recall", "summary field recall"),
)
MAX_FAILURES = 10


def fmt(value: Any, digits: int = 3) -> str:
    """A number for a table cell; None is "n/a" (nothing to measure)."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _cell(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failure_order(entry: dict[str, Any]) -> tuple[int, int, str]:
    """Sort key, worst first: a confident answer where a refusal was due, then a
    wrong answer with the evidence retrieved (answering fault), a wrong answer
    without it (retrieval fault), then an unneeded refusal; within each, questions
    the baseline got right come first."""
    should_refuse = entry["type"] in ("unanswerable", "redacted")
    if should_refuse:
        kind = 0
    elif entry["refused"]:
        kind = 3
    elif entry["evidence_rank"] is not None:
        kind = 1
    else:
        kind = 2
    base_right = bool(entry.get("baseline", {}).get("correct"))
    return kind, 0 if base_right else 1, entry["id"]


def render_markdown(result: dict[str, Any]) -> str:
    """The human report of one run (``result`` is the content of report.json)."""
    s = result["summary"]
    b = s.get("baseline") or {}
    lines = [
        f"# meetrag evaluation, {result['created']}",
        "",
        f"Dataset `{result['dataset']}`, {s['n']} questions, engine `{s['engine']}`. "
        "Metric definitions: `eval/metrics.py` and `eval/summary_metrics.py`.",
        "",
    ]
    if result.get("config"):
        lines += [
            "Settings: " + ", ".join(f"{k} `{v}`" for k, v in result["config"].items() if v is not None),
            "",
        ]
    lines += [
        "| metric | meetrag | baseline |",
        "|---|---|---|",
    ]
    for key, label in SHARE_METRICS:
        if key in s:
            lines.append(f"| {label} | {fmt(s[key])} | {fmt(b.get(key))} |")
    if "faithfulness_llm_unjudged" in s:  # claims the judge gave no readable verdict on
        lines.append(
            f"| LLM judge: unjudged claims | {fmt(s['faithfulness_llm_unjudged'])} "
            f"| {fmt(b.get('faithfulness_llm_unjudged'))} |"
        )
    for key in ("latency_ms_p50", "latency_ms_p95"):
        lines.append(f"| {key.replace('_', ' ')} | {fmt(s[key], 0)} | {fmt(b.get(key), 0)} |")
    lines += [
        "",
        "## Accuracy per question type",
        "",
        "| type | n | meetrag | baseline |",
        "|---|---|---|---|",
    ]
    for t, v in s["per_type"].items():
        bt = (b.get("per_type") or {}).get(t, {})
        lines.append(f"| {t} | {v['n']} | {fmt(v['accuracy'])} | {fmt(bt.get('accuracy'))} |")
    if s.get("summary_fields"):
        lines += [
            "",
            "## Summary fields (rules summariser)",
            "",
            "| field | matched | predicted | gold | precision | recall |",
            "|---|---|---|---|---|---|",
        ]
        for f, c in s["summary_fields"].items():
            lines.append(
                f"| {f} | {c['matched']} | {c['predicted']} | {c['gold']} | {fmt(c['precision'])} | {fmt(c['recall'])} |"
            )
    if result.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in result["notes"]]
    failures = sorted((e for e in result["questions"] if not e["correct"]), key=failure_order)
    lines += ["", f"## Worst failures ({min(len(failures), MAX_FAILURES)} of {len(failures)})", ""]
    for e in failures[:MAX_FAILURES]:
        exp = e["expected"]
        lines += [
            f"### {e['id']} ({e['type']}): {e['question']}",
            "",
            f"- expected any of {exp['answer_any'] or '-'}, all of {exp['answer_all'] or '-'}",
            f"- evidence: {_cell(exp['evidence'] or '-', 200)}",
            f"- meetrag{' (refused)' if e['refused'] else ''}: {_cell(e['answer'] or '(empty)', 300)}",
        ]
        if e.get("error"):
            lines.append(f"- error: {e['error']}")
        if "baseline" in e:
            mark = "right" if e["baseline"]["correct"] else "wrong"
            lines.append(f"- baseline ({mark}): {_cell(e['baseline']['answer'], 200)}")
        rank = e["evidence_rank"]
        lines.append(f"- evidence rank: {rank if rank is not None else 'not retrieved'}; retrieved:")
        for i, p in enumerate(e["passages"][:5], start=1):
            lines.append(f"  {i}. `{p['doc_id']}` [{p['start']}:{p['end']}] {_cell(p['text'], 160)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_chart(summary: dict[str, Any], path: Path) -> None:
    """Grouped bars of the 0..1 metrics, meetrag vs baseline; "n/a" bars are left empty."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    base = summary.get("baseline") or {}
    keys = [(k, label) for k, label in SHARE_METRICS if k in summary]
    ys = list(range(len(keys)))
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(keys) + 1.2), dpi=110)
    h = 0.38
    for offset, (name, source, colour) in enumerate(
        (("meetrag", summary, "#2b6cb0"), ("baseline", base, "#a0aec0"))
    ):
        if not source:
            continue
        vals = [source.get(k) for k, _ in keys]
        pos = [y + (offset - 0.5) * h for y in ys]
        ax.barh(pos, [v or 0.0 for v in vals], height=h, label=name, color=colour)
        for p, v in zip(pos, vals, strict=True):
            ax.text((v or 0.0) + 0.01, p, fmt(v, 2), va="center", fontsize=7)
    ax.set_yticks(ys, [label for _, label in keys])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.12)
    ax.set_title(f"meetrag vs vanilla LangChain RAG ({summary['n']} questions)")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_report(result: dict[str, Any], out_dir: Path) -> Path:
    """Write report.json, report.md and chart.png into ``out_dir`` (created)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (out_dir / "report.md").write_text(render_markdown(result), encoding="utf-8")
    render_chart(result["summary"], out_dir / "chart.png")
    return out_dir


def publish(result: dict[str, Any], reports_dir: Path, out_dir: Path | None = None) -> Path:
    """Write the report to ``out_dir`` (default ``reports_dir/<timestamp>``) and
    replace ``reports_dir/latest`` with a copy. Returns the report folder."""
    if out_dir is None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out_dir = reports_dir / stamp
        n = 1
        while out_dir.exists():  # two runs in one second
            n += 1
            out_dir = reports_dir / f"{stamp}-{n}"
    write_report(result, out_dir)
    latest = reports_dir / "latest"
    if latest.resolve() != out_dir.resolve():
        if latest.exists():
            shutil.rmtree(latest)
        shutil.copytree(out_dir, latest)
    return out_dir
