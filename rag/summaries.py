"""Summaries on demand: pick an engine, check its evidence, cache the result.

``summarize(doc, engine, settings)`` is the one entry point for the CLI, the
UI and the evaluation. The rules summary is the document's meeting frame, kept in the
index by ``rag.meeting.store``. An LLM summary is cached as JSON under
``settings.cache_dir / "summaries"``, keyed on the document id (a hash of its
cleaned text, so an edited document gets a new key), the engine and the
engine's version; nothing else is needed to know when to recompute.

Whatever the engine, a summary whose evidence does not quote the document
exactly is refused rather than cached or shown.

Left out on purpose: expiring old cache files (they are small; ``rm -r`` the
folder to reclaim space) and running engines in parallel.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from rag.errors import MeetragError
from rag.settings import Settings
from rag.summary_schema import SCHEMA_VERSION, MeetingSummary
from rag.types import Document

ENGINES = ("rules", "llm")

Summariser = Callable[[Document, Settings], MeetingSummary]


class SummaryEngineError(MeetragError):
    """An engine is unknown, not installed, or returned unusable output."""

    def __init__(self, engine: str, reason: str) -> None:
        self.engine = engine
        self.reason = reason
        super().__init__(f"summary engine {engine!r} {reason}")


def _llm_engine() -> tuple[Summariser, str]:
    """``rag.summarise_llm.summarise_llm`` and its version, imported only when asked for."""
    try:
        # import_module reads sys.modules, so tests can substitute the engine.
        module = importlib.import_module("rag.summarise_llm")
    except ModuleNotFoundError as e:
        if e.name == "rag.summarise_llm":
            raise SummaryEngineError(
                "llm", "is not available in this checkout (rag/summarise_llm.py is missing): use --engine rules"
            ) from e
        raise
    fn = getattr(module, "summarise_llm", None)
    if fn is None:
        raise SummaryEngineError("llm", "module rag.summarise_llm defines no summarise_llm(doc, settings)")
    return fn, str(getattr(module, "VERSION", 0))


def engine_key(engine: str, settings: Settings | None) -> str:
    """The cache key part that changes whenever an engine's output could: ``rules-v1-s1``."""
    if engine == "rules":
        from rag.summarise_rules import RULES_VERSION

        return f"rules-v{RULES_VERSION}-s{SCHEMA_VERSION}"
    if engine == "llm":
        _, version = _llm_engine()
        model = re.sub(r"[^\w.-]+", "_", settings.llm_model if settings else "default")
        return f"llm-{model}-v{version}-s{SCHEMA_VERSION}"
    raise SummaryEngineError(engine, f"is unknown: choose one of {', '.join(ENGINES)}")


def cache_path(doc: Document, engine: str, settings: Settings) -> Path:
    """Where the summary of ``doc`` by ``engine`` is cached."""
    return settings.cache_dir / "summaries" / f"{doc.doc_id}.{engine_key(engine, settings)}.json"


def _compute(doc: Document, engine: str, settings: Settings | None) -> MeetingSummary:
    if engine == "rules":
        from rag.summarise_rules import summarise_rules

        summary = summarise_rules(doc)
    else:
        if settings is None:
            raise SummaryEngineError(engine, "needs settings (the LLM endpoint): pass settings=")
        fn, _ = _llm_engine()
        summary = fn(doc, settings)
    # The engine owns the fields; the identity always comes from the document.
    return summary.model_copy(update={"doc_id": doc.doc_id, "source": Path(doc.source).name, "engine": engine})


def _read(path: Path, doc: Document) -> MeetingSummary | None:
    from rag.evidence import check_evidence

    try:
        summary = MeetingSummary.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return None  # unreadable or from an older schema: recompute
    return summary if not check_evidence(doc, summary) else None


def _write(path: Path, summary: MeetingSummary) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(summary.model_dump_json(indent=1), encoding="utf-8")
    os.replace(tmp, path)  # atomic: a reader never sees half a file


def summarize(
    doc: Document, engine: str = "rules", settings: Settings | None = None, *, refresh: bool = False
) -> MeetingSummary:
    """The summary of ``doc`` by ``engine`` ("rules" or "llm"), from the cache when possible.

    Without ``settings`` nothing is cached (and the "llm" engine cannot run).
    ``refresh=True`` recomputes and overwrites the cached copy.
    """
    from rag.evidence import check_evidence

    if engine not in ENGINES:
        raise SummaryEngineError(engine, f"is unknown: choose one of {', '.join(ENGINES)}")
    if engine == "rules" and settings is not None:
        # The rules summary is the meeting frame, stored beside the document in the index.
        from rag.meeting.store import frames_for

        frame = frames_for(settings).get(doc, refresh=refresh)
        return frame.model_copy(update={"doc_id": doc.doc_id, "source": Path(doc.source).name})
    path = cache_path(doc, engine, settings) if settings is not None else None
    if path is not None and not refresh and path.is_file():
        cached = _read(path, doc)
        if cached is not None:
            return cached
    summary = _compute(doc, engine, settings)
    problems = check_evidence(doc, summary)
    if problems:
        raise SummaryEngineError(
            engine, f"quoted text that is not in {doc.source}: {'; '.join(problems[:3])}. "
            "Snap quotes with rag.evidence.snap_evidence() and drop those that return None."
        )
    if path is not None:
        _write(path, summary)
    return summary


def summarize_many(
    docs: Sequence[Document], engine: str = "rules", settings: Settings | None = None, *, refresh: bool = False
) -> list[MeetingSummary]:
    """:func:`summarize` for each document, in the order given."""
    return [summarize(doc, engine, settings, refresh=refresh) for doc in docs]
