"""summarize(): engine choice, evidence check, and the per-document cache."""

from __future__ import annotations

import sys
import types

import pytest

from rag.meeting import frame as frame_module
from rag.meeting.frame import FRAME_VERSION
from rag.meeting.store import _STORES, frames_for
from rag.metadata import make_document
from rag.settings import load_settings
from rag.summaries import SummaryEngineError, cache_path, summarize
from rag.summary_schema import SCHEMA_VERSION, Evidence, MeetingSummary, TextItem

TEXT = "3月30日,我县在凤埔乡召开基层党建现场会。会上,副县长林涛对村级民富便利店建设工作作了具体部署。"


@pytest.fixture
def settings(tmp_path):
    return load_settings(environ={}, home=tmp_path)


@pytest.fixture
def doc():
    return make_document(TEXT, "/data/seeds/x.txt")


def _stored_versions(settings):
    import sqlite3

    with sqlite3.connect(settings.db_path) as db:
        return dict(db.execute("SELECT doc_id, version FROM frames"))


def test_rules_summary_is_the_frame_stored_in_the_index(settings, doc, monkeypatch):
    first = summarize(doc, "rules", settings)
    assert _stored_versions(settings) == {doc.doc_id: FRAME_VERSION}
    assert first.source == "x.txt" and first.engine == "rules"
    assert not (settings.cache_dir / "summaries").exists()  # no second copy on disk

    def boom(d):
        raise AssertionError("re-extracted although stored")

    monkeypatch.setattr(frame_module, "extract", boom)
    _STORES.clear()  # a new process: nothing memoised, the stored frame is read back
    assert summarize(doc, "rules", settings) == first


def test_stale_frame_is_re_extracted_without_touching_the_document(settings, doc):
    import sqlite3

    summarize(doc, "rules", settings)
    with sqlite3.connect(settings.db_path) as db:
        db.execute("UPDATE frames SET version='r0-s0', body='{}'")
    _STORES.clear()
    s = summarize(doc, "rules", settings)
    assert s.location and s.location.value == "凤埔乡"
    assert _stored_versions(settings) == {doc.doc_id: FRAME_VERSION}


def test_summarize_recomputes_for_a_changed_document(settings, doc):
    summarize(doc, "rules", settings)
    edited = make_document(TEXT.replace("凤埔乡", "古田镇"), "/data/seeds/x.txt")
    s = summarize(edited, "rules", settings)
    assert s.location and s.location.value == "古田镇"
    assert len(_stored_versions(settings)) == 2


def test_summarize_refresh_ignores_the_stored_frame(settings, doc, monkeypatch):
    summarize(doc, "rules", settings)
    calls = []
    real = frame_module.extract
    monkeypatch.setattr(frame_module, "extract", lambda d: calls.append(1) or real(d))
    summarize(doc, "rules", settings, refresh=True)
    assert calls == [1]


def test_frames_of_removed_documents_are_pruned(settings, doc):
    summarize(doc, "rules", settings)
    frames_for(settings).prune(set())
    assert _stored_versions(settings) == {}


def test_summarize_without_settings_does_not_cache(doc, tmp_path):
    s = summarize(doc)
    assert s.engine == "rules" and not list(tmp_path.iterdir())


def test_summarize_rejects_an_unknown_engine(doc):
    with pytest.raises(SummaryEngineError, match="'gpt' is unknown: choose one of rules, llm"):
        summarize(doc, "gpt")


def test_summarize_llm_says_how_to_proceed_when_the_engine_is_missing(settings, doc, monkeypatch):
    monkeypatch.setitem(sys.modules, "rag.summarise_llm", None)
    with pytest.raises(SummaryEngineError, match=r"rag/summarise_llm.py is missing\): use --engine rules"):
        summarize(doc, "llm", settings)


def _fake_llm(monkeypatch, quote: str, start: int):
    module = types.ModuleType("rag.summarise_llm")
    module.VERSION = 3  # type: ignore[attr-defined]

    def summarise_llm(d, s):
        ev = Evidence(start=start, end=start + len(quote), quote=quote)
        return MeetingSummary(doc_id="ignored", source="ignored", engine="ignored",
                              location=TextItem(value=quote, evidence=ev))

    module.summarise_llm = summarise_llm  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "rag.summarise_llm", module)


def test_summarize_llm_result_is_checked_and_cached_under_its_model(settings, doc, monkeypatch):
    _fake_llm(monkeypatch, "凤埔乡", TEXT.index("凤埔乡"))
    s = summarize(doc, "llm", settings)
    assert (s.engine, s.doc_id, s.source) == ("llm", doc.doc_id, "x.txt")
    assert cache_path(doc, "llm", settings).name == f"{doc.doc_id}.llm-qwen2.5_7b-instruct-v3-s{SCHEMA_VERSION}.json"


def test_summarize_refuses_llm_evidence_that_is_not_in_the_document(settings, doc, monkeypatch):
    _fake_llm(monkeypatch, "古田镇", 0)
    with pytest.raises(SummaryEngineError, match="quoted text that is not in .*snap_evidence"):
        summarize(doc, "llm", settings)
    assert not cache_path(doc, "llm", settings).exists()


def test_summarize_llm_needs_settings(doc, monkeypatch):
    _fake_llm(monkeypatch, "凤埔乡", TEXT.index("凤埔乡"))
    with pytest.raises(SummaryEngineError, match="needs settings"):
        summarize(doc, "llm")
