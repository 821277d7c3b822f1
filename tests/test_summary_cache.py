"""summarize(): engine choice, evidence check, and the per-document cache."""

from __future__ import annotations

import sys
import types

import pytest

from rag import summarise_rules as rules_module
from rag.metadata import make_document
from rag.settings import load_settings
from rag.summaries import SummaryEngineError, cache_path, summarize
from rag.summary_schema import Evidence, MeetingSummary, TextItem

TEXT = "3月30日,我县在凤埔乡召开基层党建现场会。会上,副县长林涛对村级民富便利店建设工作作了具体部署。"


@pytest.fixture
def settings(tmp_path):
    return load_settings(environ={}, home=tmp_path)


@pytest.fixture
def doc():
    return make_document(TEXT, "/data/seeds/x.txt")


def test_summarize_caches_per_document_and_engine(settings, doc, monkeypatch):
    first = summarize(doc, "rules", settings)
    path = cache_path(doc, "rules", settings)
    assert path.parent == settings.cache_dir / "summaries"
    assert path.name.startswith(f"{doc.doc_id}.rules-v") and path.is_file()
    assert first.source == "x.txt" and first.engine == "rules"

    def boom(d):
        raise AssertionError("recomputed although cached")

    monkeypatch.setattr(rules_module, "summarise_rules", boom)
    assert summarize(doc, "rules", settings) == first


def test_summarize_recomputes_for_a_changed_document(settings, doc):
    summarize(doc, "rules", settings)
    edited = make_document(TEXT.replace("凤埔乡", "古田镇"), "/data/seeds/x.txt")
    s = summarize(edited, "rules", settings)
    assert s.location and s.location.value == "古田镇"
    assert len(list((settings.cache_dir / "summaries").glob("*.json"))) == 2


@pytest.mark.parametrize("content", ["{not json", '{"doc_id": "x"}'])
def test_summarize_recomputes_an_unreadable_cache_file(settings, doc, content):
    path = cache_path(doc, "rules", settings)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    s = summarize(doc, "rules", settings)
    assert s.location and MeetingSummary.model_validate_json(path.read_text(encoding="utf-8")) == s


def test_summarize_refresh_ignores_the_cache(settings, doc, monkeypatch):
    summarize(doc, "rules", settings)
    calls = []
    real = rules_module.summarise_rules
    monkeypatch.setattr(rules_module, "summarise_rules", lambda d: calls.append(1) or real(d))
    summarize(doc, "rules", settings, refresh=True)
    assert calls == [1]


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
    assert cache_path(doc, "llm", settings).name == f"{doc.doc_id}.llm-qwen2.5_7b-instruct-v3-s2.json"


def test_summarize_refuses_llm_evidence_that_is_not_in_the_document(settings, doc, monkeypatch):
    _fake_llm(monkeypatch, "古田镇", 0)
    with pytest.raises(SummaryEngineError, match="quoted text that is not in .*snap_evidence"):
        summarize(doc, "llm", settings)
    assert not cache_path(doc, "llm", settings).exists()


def test_summarize_llm_needs_settings(doc, monkeypatch):
    _fake_llm(monkeypatch, "凤埔乡", TEXT.index("凤埔乡"))
    with pytest.raises(SummaryEngineError, match="needs settings"):
        summarize(doc, "llm")
