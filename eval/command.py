"""``meetrag eval``: score a question set, ours vs a vanilla LangChain baseline.

Prints a short table (or, with ``--json``, the summary as one JSON object on
stdout) and writes report.json, report.md and chart.png; progress goes to
stderr. Heavy imports happen inside ``run`` so ``meetrag --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rag.settings import Settings

HELP = (
    "evaluate answers on a question set (retrieval, accuracy, refusals, faithfulness) vs a vanilla baseline"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", required=True, type=Path, help="JSONL question set (see eval/README.md)")
    parser.add_argument(
        "--docs",
        type=Path,
        help="ingest this folder into a fresh temporary index first (default: use the index)",
    )
    parser.add_argument(
        "--engine", choices=("extractive", "llm"), default=None, help="answer engine (default: settings)"
    )
    parser.add_argument(
        "--report",
        type=Path,
        help="report folder (default: <home>/reports/<timestamp>; also copied to latest)",
    )
    parser.add_argument(
        "--scope",
        choices=("gold", "none"),
        default="gold",
        help="gold: ask each question within its gold document (default, as the seeds sets were "
        "scored); none: over the whole index, so the question must name its meeting",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on stdout")
    parser.add_argument("--no-baseline", action="store_true", help="skip the vanilla LangChain baseline")
    parser.add_argument(
        "--judge",
        choices=("none", "llm"),
        default="none",
        help="also judge faithfulness with the configured LLM (needs MEETRAG_LLM_BASE_URL; default: none)",
    )


def _table(summary: dict) -> str:
    from eval.report import SHARE_METRICS, fmt

    base = summary.get("baseline") or {}
    rows = [f"{'metric':<26}{'meetrag':>10}{'baseline':>10}"]
    for key, label in SHARE_METRICS:
        if key in summary:
            rows.append(f"{label:<26}{fmt(summary[key]):>10}{fmt(base.get(key)):>10}")
    for key in ("latency_ms_p50", "latency_ms_p95"):
        rows.append(f"{key.replace('_', ' '):<26}{fmt(summary[key], 0):>10}{fmt(base.get(key), 0):>10}")
    if fields := summary.get("summary_fields"):
        rows.append(f"\n{'summary field':<26}{'precision':>10}{'recall':>10}{'gold':>6}")
        for name, c in fields.items():
            if c["gold"] or c["predicted"]:
                rows.append(f"{name:<26}{fmt(c['precision']):>10}{fmt(c['recall']):>10}{c['gold']:>6}")
    if strategies := summary.get("per_strategy"):
        rows.append(f"\n{'answered by':<26}{'n':>10}{'accuracy':>10}")
        for name, c in sorted(strategies.items(), key=lambda kv: -kv[1]["n"]):
            rows.append(f"{name:<26}{c['n']:>10}{fmt(c['accuracy']):>10}")
    return "\n".join(rows)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from eval.report import publish
    from eval.runner import run_eval

    result = run_eval(
        args.dataset,
        settings,
        docs_dir=args.docs,
        engine=args.engine or settings.default_engine,
        baseline=not args.no_baseline,
        judge=args.judge,
        scope=args.scope,
    )
    # Reports go under the user's data directory even when --docs used a temporary index.
    out = publish(result.to_json(), settings.reports_dir, args.report)
    for note in result.notes:
        print(f"meetrag: note: {note}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.summary, ensure_ascii=False))
    else:
        print(_table(result.summary))
        print(f"\n{result.summary['n']} questions; report: {out / 'report.md'}")
    return 0
