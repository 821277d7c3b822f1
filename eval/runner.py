"""Run a question set through meetrag and the vanilla baseline, score both, write a report.

Left out on purpose: an LLM judge by default (everything is offline and
reproducible; ``judge="llm"`` adds ``eval.judge``'s faithfulness on top) and
retries (a question that raises a ``MeetragError`` is recorded as an error and
scored as wrong).

Flow: load the dataset -> (with ``docs``: ingest that folder into a fresh
temporary index) -> ask every question in file order, follow-ups with the
history of the question they follow -> the same questions through
``BaselinePipeline`` -> metrics -> report files. Before timing, each system
answers the first question once untimed, so latency p95 is not the model load.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval import metrics
from eval.dataset import TYPES, Question, load_dataset
from eval.judge import faithfulness_llm
from eval.summary_metrics import load_gold_summaries, summary_scores
from rag.errors import DatasetError, IndexEmptyError, MeetragError, SettingsError
from rag.settings import Settings

# Answer function: (question, history) -> a dict in the shape of Answer.to_json() plus "passages".
AskFn = Callable[[Question, list[tuple[str, str]]], dict[str, Any]]
METRIC_KEYS = (
    "n",
    "hit_at_1",
    "hit_at_5",
    "mrr",
    "answer_accuracy",
    "refusal_precision",
    "refusal_recall",
    "faithfulness",
    "citation_recall",
    "citation_precision",
    "latency_ms_p50",
    "latency_ms_p95",
)
PASSAGE_PREVIEW = 200
JUDGES = ("none", "llm")  # who judges faithfulness on top of rag.guard.support
# Settings that change the numbers; recorded in report.json next to them.
CONFIG_KEYS = ("embedding_model", "chunk_tokens", "chunk_overlap_tokens", "top_k", "candidates", "llm_model")


def answer_record(answer: Any) -> dict[str, Any]:
    """Our ``rag.types.Answer`` as a plain dict: ``to_json()`` plus the retrieved passages."""
    out = dict(answer.to_json())
    out["passages"] = [
        {"doc_id": p.doc_id, "title": p.title, "start": p.start, "end": p.end, "text": p.text}
        for p in answer.passages
    ]
    return out


def ask_all(
    questions: Sequence[Question], ask: AskFn, *, desc: str, progress: bool = True
) -> list[dict[str, Any]]:
    """Ask every question in order; add ``latency_ms`` and ``error`` to each record.

    A follow-up gets the chain of earlier turns it follows as history:
    q3 follows q2 follows q1 -> history [(q1, a1), (q2, a2)].
    """
    from tqdm import tqdm

    by_id: dict[str, tuple[Question, dict[str, Any]]] = {}
    records = []
    for q in tqdm(questions, desc=desc, file=sys.stderr, disable=not progress, unit="q"):
        history: list[tuple[str, str]] = []
        parent = q.follow_up_of
        while parent is not None:
            pq, prec = by_id[parent]
            history.insert(0, (pq.question, prec["answer"]))
            parent = pq.follow_up_of
        t0 = time.perf_counter()
        try:
            rec = ask(q, history)
            rec["error"] = None
        except MeetragError as e:
            rec = {"answer": "", "refused": False, "citations": [], "passages": [], "error": str(e)}
        rec["latency_ms"] = (time.perf_counter() - t0) * 1000
        by_id[q.id] = (q, rec)
        records.append(rec)
    return records


@dataclass(frozen=True)
class Verdict:
    """How one answer scored."""

    correct: bool
    refusal: bool
    evidence_rank: int | None
    claims: list[metrics.ClaimVerdict]


@dataclass
class Scored:
    summary: dict[str, Any]
    details: list[Verdict]  # per question, same order as the dataset


def score(
    questions: Sequence[Question], records: Sequence[dict[str, Any]], support: metrics.Support
) -> Scored:
    """All question-level metrics for one system, plus per-question verdicts."""
    judge = metrics.CachedSupport(support)
    details = []
    for q, rec in zip(questions, records, strict=True):
        refusal = metrics.is_refusal(rec["answer"], rec["refused"])
        details.append(
            Verdict(
                correct=rec["error"] is None and metrics.is_correct(q, rec["answer"], rec["refused"]),
                refusal=refusal,
                evidence_rank=metrics.evidence_rank(q.evidence, [p["text"] for p in rec.get("passages", [])]),
                claims=[] if refusal else metrics.judge_claims(rec["answer"], rec["citations"], judge),
            )
        )
    pairs = list(zip(questions, details, strict=True))
    ranks = [d.evidence_rank for q, d in pairs if q.evidence_parts]
    precision, recall = metrics.refusal_precision_recall(
        [q.should_refuse for q in questions], [d.refusal for d in details]
    )
    cs = metrics.claim_scores(v for d in details for v in d.claims)
    latencies = [r["latency_ms"] for r in records]
    per_type = {}
    for t in TYPES:
        flags = [d.correct for q, d in pairs if q.type == t]
        if flags:
            per_type[t] = {"n": len(flags), "accuracy": metrics.accuracy(flags)}
    answerable = [d.refusal for q, d in pairs if not q.should_refuse]
    # Which part of the engine answered (sentence, frame slot, learned scorer ...), and how
    # well: a strategy that does not earn its keep on the sealed split goes.
    per_strategy: dict[str, dict[str, Any]] = {}
    for (_q, d), rec in zip(pairs, records, strict=True):
        name = "refused" if d.refusal else str(rec.get("strategy") or "other").split(":")[0]
        entry = per_strategy.setdefault(name, {"n": 0, "correct": 0})
        entry["n"] += 1
        entry["correct"] += d.correct
    for entry in per_strategy.values():
        entry["accuracy"] = entry["correct"] / entry["n"]
    # Calibration of the scorer's confidence: accuracy of its answers per confidence band.
    bands: dict[str, list[bool]] = {}
    for (_q, d), rec in zip(pairs, records, strict=True):
        if rec.get("confidence") is not None and not d.refusal:
            low = min(int(rec["confidence"] * 5), 4) / 5
            bands.setdefault(f"{low:.1f}-{low + 0.2:.1f}", []).append(d.correct)
    calibration = [{"band": b, "n": len(v), "accuracy": sum(v) / len(v)} for b, v in sorted(bands.items())]
    summary = {
        "n": len(questions),
        "false_refusal_rate": (sum(answerable) / len(answerable)) if answerable else None,
        "per_strategy": per_strategy,
        "calibration": calibration,
        "hit_at_1": metrics.hit_at_k(ranks, 1),
        "hit_at_5": metrics.hit_at_k(ranks, 5),
        "mrr": metrics.mean_reciprocal_rank(ranks),
        "answer_accuracy": metrics.accuracy([d.correct for d in details]),
        "refusal_precision": precision,
        "refusal_recall": recall,
        "faithfulness": cs.faithfulness,
        "citation_recall": cs.citation_recall,
        "citation_precision": cs.citation_precision,
        "latency_ms_p50": metrics.percentile(latencies, 50),
        "latency_ms_p95": metrics.percentile(latencies, 95),
        "per_type": per_type,
        "n_with_evidence": len(ranks),
        "claims": cs.claims,
        "citation_markers": cs.markers,
        "errors": sum(r["error"] is not None for r in records),
    }
    return Scored(summary, details)


def question_entry(rec: dict[str, Any], verdict: Verdict) -> dict[str, Any]:
    """One question of report.json, for one system."""
    return {
        "answer": rec["answer"],
        "refused": rec["refused"],
        "citations": rec["citations"],
        "correct": verdict.correct,
        "evidence_rank": verdict.evidence_rank,
        "claims": [
            {
                "text": v.claim.text,
                "cited": list(v.claim.cited),
                "grounded": v.grounded,
                "attributed": v.attributed,
                "needed": list(v.needed),
            }
            for v in verdict.claims
        ],
        "latency_ms": round(rec["latency_ms"], 1),
        "error": rec["error"],
        "passages": [
            {"doc_id": p["doc_id"], "start": p["start"], "end": p["end"], "text": p["text"][:PASSAGE_PREVIEW]}
            for p in rec.get("passages", [])
        ],
    }


@dataclass
class EvalResult:
    dataset: str
    summary: dict[str, Any]  # ours, with "baseline" nested (None when skipped)
    questions: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)  # what was measured, to compare runs over time
    created: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M:%S"))

    def to_json(self) -> dict[str, Any]:
        """The content of report.json."""
        return {
            "created": self.created,
            "dataset": self.dataset,
            "config": self.config,
            "summary": self.summary,
            "notes": self.notes,
            "questions": self.questions,
        }


def _warm_up(ask: AskFn, q: Question, notes: list[str], name: str) -> None:
    """Answer one question untimed so model loading is not counted as latency."""
    try:
        ask(q, [])
    except MeetragError as e:
        notes.append(f"{name} warm-up failed ({e}); its first question's latency includes loading")


def _doc_map(store: Any) -> tuple[dict[str, Any], list[Path]]:
    """Stem -> Document, and the source files that still exist (for the baseline)."""
    docs = {Path(d.source).stem: d for d in store.list_documents()}
    return docs, [Path(d.source) for d in docs.values() if Path(d.source).is_file()]


def _check_docs(questions: Sequence[Question], docs: dict[str, Any], dataset: Path) -> None:
    for q in questions:
        if q.doc is not None and q.doc not in docs:
            raise DatasetError(
                str(dataset),
                q.line,
                f"doc {q.doc!r} is not in the index (indexed: {', '.join(sorted(docs)) or 'none'}); "
                "ingest it first or pass --docs FOLDER",
            )


def _summaries(
    gold_path: Path, docs: dict[str, Any], settings: Settings, notes: list[str]
) -> dict[str, Any] | None:
    """Field precision/recall of the rules summariser, or None (with a note) if it cannot run."""
    gold = load_gold_summaries(gold_path)
    try:
        from rag.summaries import summarize
    except ImportError as e:
        notes.append(f"summary fields skipped: rag.summaries is not available ({e})")
        return None
    preds: dict[str, Any] = {}
    for g in gold:
        doc = docs.get(g["doc"])
        if doc is None:
            notes.append(f"summary of {g['doc']} skipped: not in the index (scored as predicting nothing)")
            preds[g["doc"]] = None
            continue
        from eval.summary_metrics import as_dict

        preds[g["doc"]] = as_dict(summarize(doc, engine="rules", settings=settings))
    return summary_scores(gold, preds)


def run_eval(
    dataset: Path,
    settings: Settings,
    *,
    docs_dir: Path | None = None,
    engine: str = "extractive",
    baseline: bool = True,
    progress: bool = True,
    support: metrics.Support | None = None,
    make_pipeline: Callable[[Settings], Any] | None = None,
    ingest: Callable[[list[Path], Settings], Any] | None = None,
    embeddings: Any = None,
    judge: str = "none",
    scope: str = "gold",
) -> EvalResult:
    """Evaluate; the keyword hooks exist so tests can pass fakes for the heavy parts.

    ``scope="gold"`` asks each question within its gold document (as a user who picked the
    meeting in the app's scope menu); ``scope="none"`` asks every question over the whole
    index, so the engine must find the meeting the question names (as a user typing into
    the chat box). Both systems get the same scope.

    ``judge="llm"`` adds ``faithfulness_llm`` and ``faithfulness_llm_unjudged``
    (see ``eval.judge``) to the summary of each system; every other key is unchanged.
    """
    if judge not in JUDGES:
        raise SettingsError(f"unknown judge {judge!r}: use one of {', '.join(JUDGES)}")
    if judge == "llm" and not settings.llm_configured:
        raise SettingsError(
            "--judge llm needs a model server: set MEETRAG_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1 "
            "for Ollama), or leave out --judge"
        )
    questions = load_dataset(dataset)
    if engine == "llm" and not settings.llm_configured:
        raise SettingsError(
            "--engine llm needs a model server: set MEETRAG_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1 "
            "for Ollama), or evaluate the extractive engine"
        )
    notes: list[str] = []
    # The pipeline may still hold files of a temporary index open when it is removed.
    with tempfile.TemporaryDirectory(prefix="meetrag-eval-", ignore_cleanup_errors=True) as tmp:
        if docs_dir is not None:
            from rag.loading import iter_files

            settings = settings.model_copy(update={"home": Path(tmp)})
            paths = list(iter_files([docs_dir]))
            if not paths:
                raise DatasetError(str(docs_dir), 0, "no supported documents in this folder")
            if ingest is None:
                from rag.ingest import ingest_paths

                ingest_paths(paths, settings)
            else:
                ingest(paths, settings)
        if make_pipeline is None:
            from rag.pipeline import Pipeline

            pipeline = Pipeline(settings)
        else:
            pipeline = make_pipeline(settings)
        doc_map, sources = _doc_map(pipeline.store)
        if not doc_map:
            raise IndexEmptyError()  # otherwise every question would fail the same way
        _check_docs(questions, doc_map, dataset)
        support_fn = support or metrics.default_support()

        answers: dict[str, Any] = {}  # id -> Answer, for a follow-up's `last` turn

        def ours(q: Question, history: list[tuple[str, str]]) -> dict[str, Any]:
            doc_id = doc_map[q.doc].doc_id if q.doc and scope == "gold" else None
            last = answers.get(q.follow_up_of) if q.follow_up_of else None
            answer = pipeline.ask(q.question, doc=doc_id, engine=engine, history=history, last=last)
            answers[q.id] = answer
            return answer_record(answer)

        _warm_up(ours, questions[0], notes, "meetrag")
        records = ask_all(questions, ours, desc="meetrag", progress=progress)
        scored = score(questions, records, support_fn)
        if judge == "llm":
            scored.summary.update(faithfulness_llm(records, settings, progress=progress, desc="judge meetrag"))
        gold = dataset.with_name(f"{dataset.stem}_summaries.json")
        if gold.is_file():
            fields = _summaries(gold, doc_map, settings, notes)
            scored.summary["summary_field_precision"] = fields["precision"] if fields else None
            scored.summary["summary_field_recall"] = fields["recall"] if fields else None
            scored.summary["summary_fields"] = fields["per_field"] if fields else None
        base_records: list[dict[str, Any]] | None = None
        base_scored: Scored | None = None
        if baseline and not sources:
            notes.append("baseline skipped: none of the indexed source files exist on disk")
        elif baseline:
            if embeddings is None:
                from rag.embedding import get_embeddings

                embeddings = get_embeddings(settings)
            from eval.baseline import BaselinePipeline

            base = BaselinePipeline.build(sources, embeddings)
            notes.append(
                "the baseline answers with a sentence of the chunk it cites, so its faithfulness and "
                "citation scores are 1 by construction: compare it on retrieval, accuracy and refusals"
            )

            def theirs(q: Question, history: list[tuple[str, str]]) -> dict[str, Any]:
                return base.ask(q.question, doc=q.doc if scope == "gold" else None)

            _warm_up(theirs, questions[0], notes, "baseline")
            base_records = ask_all(questions, theirs, desc="baseline", progress=progress)
            base_scored = score(questions, base_records, support_fn)
            if judge == "llm":
                base_scored.summary.update(
                    faithfulness_llm(base_records, settings, progress=progress, desc="judge baseline")
                )
            if "summary_field_precision" in scored.summary:
                # Vanilla RAG has no summariser: same keys, no values.
                base_scored.summary.update(summary_field_precision=None, summary_field_recall=None)
    summary = dict(scored.summary)
    summary["engine"] = engine
    summary["scope"] = scope
    summary["baseline"] = base_scored.summary if base_scored else None
    entries = []
    for i, q in enumerate(questions):
        e = {
            "id": q.id,
            "question": q.question,
            "type": q.type,
            "doc": q.doc,
            "follow_up_of": q.follow_up_of,
            "expected": {
                "answer_any": list(q.answer_any),
                "answer_all": list(q.answer_all),
                "evidence": q.evidence,
            },
            **question_entry(records[i], scored.details[i]),
        }
        if base_records is not None and base_scored is not None:
            e["baseline"] = question_entry(base_records[i], base_scored.details[i])
        entries.append(e)
    config = {
        "engine": engine,
        "docs": str(docs_dir) if docs_dir else None,
        "judge": judge,
        **{k: getattr(settings, k) for k in CONFIG_KEYS},
    }
    return EvalResult(str(dataset), summary, entries, notes, config)
