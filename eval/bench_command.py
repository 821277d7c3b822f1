"""`meetrag bench`: ingestion, memory, index size and latency against a vanilla
LangChain pipeline, on corpora of 1x, 10x, 100x the seed documents."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rag.settings import Settings

HELP = "benchmark ingestion, memory, index size and latency against a vanilla LangChain pipeline"

# seeds/ next to the package in a checkout; an installed copy needs --seeds.
DEFAULT_SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _scales(text: str) -> list[int]:
    try:
        scales = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, e.g. 1,10; got {text!r}") from e
    if not scales or scales[0] < 1:
        raise argparse.ArgumentTypeError(f"scales must be 1 or more, e.g. 1,10,100; got {text!r}")
    return scales


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from e
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def _sides(text: str) -> list[str]:
    sides = [s.strip() for s in text.split(",") if s.strip()]
    if not sides or any(s not in ("ours", "baseline") for s in sides):
        raise argparse.ArgumentTypeError(f"sides are 'ours' and 'baseline', e.g. ours or ours,baseline; got {text!r}")
    return sides


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scale", type=_scales, default=[1, 10, 100], metavar="1,10,100",
                   help="corpus sizes as multiples of the seeds (default 1,10,100; 100x takes a while)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--report", type=Path, metavar="DIR",
                   help="where bench.json and bench.png go (default: <home>/reports/bench)")
    p.add_argument("--queries", type=_positive, default=20, metavar="N",
                   help="questions per measured pass (default 20, the whole fixed list)")
    p.add_argument("--repeat", type=_positive, default=3, metavar="R",
                   help="measured passes over the questions, after one warm-up pass (default 3)")
    p.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, metavar="DIR",
                   help="the .txt documents to multiply (default: the repository's seeds/)")
    p.add_argument("--sides", type=_sides, default=["ours", "baseline"], metavar="ours,baseline",
                   help="which pipelines to measure (default both; 'ours' alone for a long scale run)")
    p.add_argument("--keep", type=Path, metavar="DIR",
                   help="build the corpora and indexes in DIR and keep them; run again with the same DIR "
                        "to reuse ours' finished index (its ingest figures are the first run's) and "
                        "measure answering alone")
    p.add_argument("--profile", action="store_true",
                   help="also write cProfile stats of each phase under DIR/profile (slows the run)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from eval.bench.report import assemble, machine_info, render_table, write_report
    from eval.bench.runner import WORKER_ENV, run_bench, worker_env

    report_dir: Path = args.report or settings.reports_dir / "bench"
    seed_files = sorted(args.seeds.glob("*.txt")) if args.seeds.is_dir() else []
    machine = machine_info()
    machine["load_1m_start"] = machine.pop("load_1m")
    results = run_bench(
        settings,
        args.scale,
        seed_files,
        n_questions=args.queries,
        repeat=args.repeat,
        profile_dir=report_dir / "profile" if args.profile else None,
        sides=args.sides,
        keep=args.keep,
    )
    machine["load_1m_end"] = machine_info()["load_1m"]
    env = worker_env(os.environ)
    config = {
        "scales": args.scale,
        "sides": args.sides,
        "queries": args.queries,
        "repeat": args.repeat,
        "seeds": len(seed_files),
        "embedding_model": settings.embedding_model,
        "embedding_batch_size": settings.embedding_batch_size,
        "chunk_tokens": settings.chunk_tokens,
        "top_k": settings.top_k,
        "worker_env": {k: env[k] for k in WORKER_ENV},
        "keep": str(args.keep) if args.keep else None,
    }
    report = assemble(results, machine, config)
    json_path, png_path = write_report(report, report_dir)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render_table(report))
        print(f"report: {json_path} and {png_path}")
    print(f"meetrag bench: wrote {json_path} and {png_path}", file=sys.stderr)
    failed = [label for label in results for side in ("ours", "baseline") if "error" in results[label].get(side, {})]
    return 1 if failed else 0
