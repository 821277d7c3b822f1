"""eval.runner, eval.report and eval.command with a scripted fake pipeline.

The fake pipeline answers from a script, so every metric of the run can be
worked out by hand (see EXPECTED). The baseline is the real one (real Chroma)
with LangChain's deterministic fake embedder.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import types

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from eval import runner as runner_mod
from eval.matching import normalise
from eval.report import failure_order, publish, render_markdown, write_report
from eval.runner import ask_all, run_eval
from rag.errors import DatasetError, IndexEmptyError, QuestionError, SettingsError
from rag.metadata import make_document
from rag.render import REFUSAL
from rag.settings import load_settings
from rag.types import Answer, Citation, Passage

DOC_A = "全市座谈会召开。市委书记刘玉杰主持会议并讲话。"
DOC_B = "成立工作队70个。今年要举办*期专题培训班。"

QUESTIONS = [
    {
        "id": "q1",
        "question": "谁主持?",
        "type": "fact",
        "answer_any": ["刘玉杰"],
        "answer_all": [],
        "evidence": "刘玉杰主持会议",
        "doc": "a",
    },
    {
        "id": "q2",
        "question": "他是什么职务?",
        "type": "follow_up",
        "answer_any": ["市委书记"],
        "answer_all": [],
        "evidence": "刘玉杰主持会议",
        "doc": "a",
        "follow_up_of": "q1",
    },
    {
        "id": "q3",
        "question": "预算多少?",
        "type": "unanswerable",
        "answer_any": [],
        "answer_all": [],
        "evidence": "",
    },
    {
        "id": "q4",
        "question": "多少个工作队?",
        "type": "number",
        "answer_any": ["70个"],
        "answer_all": [],
        "evidence": "工作队70个",
        "doc": "b",
    },
    {
        "id": "q5",
        "question": "举办几期?",
        "type": "redacted",
        "answer_any": [],
        "answer_all": [],
        "evidence": "举办*期",
        "doc": "b",
    },
    {
        "id": "q6",
        "question": "boom",
        "type": "list",
        "answer_any": ["x"],
        "answer_all": [],
        "evidence": "不存在的引文",
    },
]
# question -> (answer, refused, quote of [1], passages as (doc, text))
SCRIPT = {
    "谁主持?": ("刘玉杰主持会议。[1]", False, "市委书记刘玉杰主持会议", [("a", DOC_A)]),
    "他是什么职务?": ("市委书记。[1]", False, "市委书记刘玉杰主持会议", [("a", DOC_A)]),
    "预算多少?": (REFUSAL, True, None, [("a", DOC_A)]),
    "多少个工作队?": ("工作队60个。[1]", False, "工作队70个", [("a", DOC_A), ("b", DOC_B)]),
    "举办几期?": ("举办3期。[1]", False, "举办*期", [("b", DOC_B)]),
}
# Worked out by hand. Ranks of the 5 questions with evidence: 1, 1, None(q3 has none), 2, 1, None.
EXPECTED = {
    "n": 6,
    "hit_at_1": 3 / 5,
    "hit_at_5": 4 / 5,
    "mrr": (1 + 1 + 0.5 + 1 + 0) / 5,
    "answer_accuracy": 3 / 6,  # q1 q2 q3 right; q4 wrong number, q5 guessed, q6 errored
    "refusal_precision": 1.0,  # one refusal (q3), rightly
    "refusal_recall": 0.5,  # q5 should have refused
    "faithfulness": 2 / 4,  # claims of q1, q2 supported; q4 (60 vs 70), q5 (3 vs *) not
    "citation_recall": 2 / 4,
    "citation_precision": 2 / 4,
}


def contains_support(sentence, evidence):
    claim = re.sub(r"[。！？]", "", sentence)
    return normalise(claim) in normalise(evidence), ""


class FakeStore:
    def __init__(self, docs):
        self.docs = docs

    def list_documents(self):
        return self.docs


class FakePipeline:
    def __init__(self, settings, docs):
        self.settings = settings
        self.store = FakeStore(docs)
        self.ids = {make_document_stem(d): d.doc_id for d in docs}
        self.calls = []

    def ask(self, question, doc=None, engine="extractive", history=(), last=None):
        self.calls.append(
            {"q": question, "doc": doc, "engine": engine, "history": list(history), "last": last}
        )
        if question == "boom":
            raise QuestionError("the question has no words in it")
        text, refused, quote, passages = SCRIPT[question]
        doc_id = self.ids[passages[0][0]]
        cites = [Citation(1, doc_id, "t", 0, len(quote), quote)] if quote else []
        ps = [
            Passage(self.ids[d], "t", 0, len(t), t, 1.0 - i / 10, i + 1) for i, (d, t) in enumerate(passages)
        ]
        return Answer(question, text, refused, cites, engine, passages=ps)


def make_document_stem(doc):
    from pathlib import Path

    return Path(doc.source).stem


@pytest.fixture
def corpus(tmp_path):
    docs_dir = tmp_path / "docs"
    docs_dir.mkdir()
    docs = []
    for stem, text in (("a", DOC_A), ("b", DOC_B)):
        p = docs_dir / f"{stem}.txt"
        p.write_text(text, encoding="utf-8")
        docs.append(make_document(text, str(p)))
    dataset = tmp_path / "set.jsonl"
    dataset.write_text(
        "\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS) + "\n", encoding="utf-8"
    )
    settings = load_settings(environ={}, home=tmp_path / "home")
    return types.SimpleNamespace(dir=docs_dir, docs=docs, dataset=dataset, settings=settings, tmp=tmp_path)


def fakes(corpus, pipelines):
    def make(settings):
        p = FakePipeline(settings, corpus.docs)
        pipelines.append(p)
        return p

    return {
        "make_pipeline": make,
        "support": contains_support,
        "embeddings": DeterministicFakeEmbedding(size=16),
    }


@pytest.fixture
def result(corpus):
    pipelines = []
    res = run_eval(corpus.dataset, corpus.settings, progress=False, **fakes(corpus, pipelines))
    res.pipeline = pipelines[0]
    return res


def test_summary_numbers_hand_computed(result):
    s = result.summary
    for key, value in EXPECTED.items():
        assert s[key] == pytest.approx(value), key
    assert s["per_type"] == {
        "fact": {"n": 1, "accuracy": 1.0},
        "number": {"n": 1, "accuracy": 0.0},
        "list": {"n": 1, "accuracy": 0.0},
        "follow_up": {"n": 1, "accuracy": 1.0},
        "redacted": {"n": 1, "accuracy": 0.0},
        "unanswerable": {"n": 1, "accuracy": 1.0},
    }
    assert s["errors"] == 1 and s["engine"] == "extractive"
    assert s["latency_ms_p50"] >= 0 and s["latency_ms_p95"] >= s["latency_ms_p50"]


def test_baseline_has_the_same_keys(result):
    base = result.summary["baseline"]
    ours = {k for k in result.summary if k not in ("baseline", "engine", "scope")}
    assert set(base) == ours
    assert base["n"] == 6 and base["errors"] == 0
    assert base["refusal_precision"] is None  # vanilla never refuses
    assert base["refusal_recall"] == 0.0


def test_pipeline_gets_doc_ids_history_and_last_turn(result, corpus):
    calls = result.pipeline.calls
    assert calls[0]["q"] == "谁主持?"  # the untimed warm-up
    calls = calls[1:]
    ids = {make_document_stem(d): d.doc_id for d in corpus.docs}
    assert [c["doc"] for c in calls] == [ids["a"], ids["a"], None, ids["b"], ids["b"], None]
    assert calls[1]["history"] == [("谁主持?", "刘玉杰主持会议。[1]")]
    assert calls[1]["last"].answer == "刘玉杰主持会议。[1]"
    assert all(c["history"] == [] for i, c in enumerate(calls) if i != 1)


def test_question_entries(result):
    q1, q2, q3, q4, q5, q6 = result.questions
    assert q1["correct"] and q1["evidence_rank"] == 1 and q1["citations"][0]["n"] == 1
    assert q1["passages"][0] == {
        "doc_id": q1["citations"][0]["doc_id"],
        "start": 0,
        "end": len(DOC_A),
        "text": DOC_A,
    }
    assert q1["claims"] == [
        {"text": "刘玉杰主持会议。", "cited": [1], "grounded": True, "attributed": True, "needed": [True]}
    ]
    assert q3["refused"] and q3["claims"] == []
    assert q4["evidence_rank"] == 2 and not q4["correct"]
    assert q6["error"] == "the question has no words in it" and not q6["correct"]
    assert {"answer", "refused", "correct", "evidence_rank"} <= set(q1["baseline"])
    json.dumps(result.to_json(), ensure_ascii=False)  # serialisable


def test_ask_all_chains_history_through_follow_ups():
    from eval.dataset import Question

    qs = [
        Question("a", "一?", "fact"),
        Question("b", "二?", "follow_up", follow_up_of="a"),
        Question("c", "三?", "follow_up", follow_up_of="b"),
        Question("d", "四?", "fact"),
    ]
    seen = {}

    def ask(q, history):
        seen[q.id] = history
        return {"answer": q.question + "答", "refused": False, "citations": [], "passages": []}

    recs = ask_all(qs, ask, desc="t", progress=False)
    assert seen == {"a": [], "b": [("一?", "一?答")], "c": [("一?", "一?答"), ("二?", "二?答")], "d": []}
    assert all(r["error"] is None and r["latency_ms"] >= 0 for r in recs)


def test_docs_folder_is_ingested_into_a_temporary_home(corpus):
    ingested = []
    pipelines = []
    f = fakes(corpus, pipelines)
    run_eval(
        corpus.dataset,
        corpus.settings,
        docs_dir=corpus.dir,
        baseline=False,
        progress=False,
        ingest=lambda paths, s: ingested.append((paths, s.home)),
        **f,
    )
    ((paths, home),) = ingested
    assert [p.name for p in paths] == ["a.txt", "b.txt"]
    assert home != corpus.settings.home and not home.exists()  # removed afterwards
    assert pipelines[0].settings.home == home


def test_unknown_doc_stem_names_the_line(corpus):
    corpus.dataset.write_text(
        json.dumps({**QUESTIONS[0], "doc": "zzz"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError, match=r"line 1: doc 'zzz' is not in the index \(indexed: a, b\)"):
        run_eval(corpus.dataset, corpus.settings, progress=False, **fakes(corpus, []))


def test_summary_fields_scored_when_gold_file_is_beside_the_dataset(corpus, monkeypatch):
    gold = [
        {"doc": "a", "title": "全市座谈会", "chair": "刘玉杰"},
        {"doc": "b", "figures": [{"value": "70"}]},
    ]
    corpus.dataset.with_name("set_summaries.json").write_text(
        json.dumps(gold, ensure_ascii=False), encoding="utf-8"
    )
    calls = []

    def summarize(doc, engine, settings):
        calls.append((doc.doc_id, engine))
        return (
            {"title": {"value": "全市座谈会召开"}, "chair": {"name": "谢再春"}} if doc.text == DOC_A else {}
        )

    monkeypatch.setitem(sys.modules, "rag.summaries", types.SimpleNamespace(summarize=summarize))
    res = run_eval(corpus.dataset, corpus.settings, progress=False, **fakes(corpus, []))
    assert [e for _, e in calls] == ["rules", "rules"]
    # predicted 2 (title, chair), matched 1 (title); gold 3
    assert res.summary["summary_field_precision"] == 0.5
    assert res.summary["summary_field_recall"] == pytest.approx(1 / 3)
    assert res.summary["baseline"]["summary_field_precision"] is None


def test_missing_summariser_is_a_note(corpus, monkeypatch):
    corpus.dataset.with_name("set_summaries.json").write_text(
        '[{"doc": "a", "title": "x"}]', encoding="utf-8"
    )
    monkeypatch.setitem(sys.modules, "rag.summaries", None)  # import fails
    res = run_eval(corpus.dataset, corpus.settings, baseline=False, progress=False, **fakes(corpus, []))
    assert res.summary["summary_field_precision"] is None
    assert any("summary fields skipped" in n for n in res.notes)
    assert res.summary["baseline"] is None


# --- report ------------------------------------------------------------------------


def test_write_report_files(result, tmp_path):
    out = write_report(result.to_json(), tmp_path / "r")
    assert (out / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["summary"]["answer_accuracy"] == 0.5 and len(data["questions"]) == 6
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| answer accuracy | 0.500 |" in md
    assert "| refusal precision | 1.000 | n/a |" in md
    assert "| number | 1 | 0.000 |" in md
    assert "## Worst failures (3 of 3)" in md


def test_worst_failures_order(result):
    md = render_markdown(result.to_json())
    # q5 should have refused (worst), q4 answered wrongly with its evidence retrieved,
    # q6 errored without its evidence retrieved.
    order = [m for m in re.findall(r"^### (q\d)", md, flags=re.M)]
    assert order == ["q5", "q4", "q6"]
    assert failure_order({"type": "fact", "refused": True, "evidence_rank": 1, "id": "x"})[0] == 3


def test_publish_writes_timestamped_folder_and_latest(result, tmp_path):
    reports = tmp_path / "reports"
    first = publish(result.to_json(), reports)
    second = publish(result.to_json(), reports)
    assert first != second and first.parent == second.parent == reports
    assert sorted(p.name for p in (reports / "latest").iterdir()) == ["chart.png", "report.json", "report.md"]
    explicit = publish(result.to_json(), reports, tmp_path / "mine")
    assert explicit == tmp_path / "mine" and (explicit / "report.md").is_file()


# --- command -------------------------------------------------------------------


def test_cli_json_summary(corpus, monkeypatch, capsys):
    from rag.cli import main

    pipelines = []
    monkeypatch.setattr(
        runner_mod, "run_eval", functools.partial(run_eval, **fakes(corpus, pipelines), progress=False)
    )
    code = main(["--home", str(corpus.settings.home), "eval", "--dataset", str(corpus.dataset), "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    keys = {
        "hit_at_1",
        "hit_at_5",
        "mrr",
        "answer_accuracy",
        "refusal_precision",
        "refusal_recall",
        "faithfulness",
        "citation_recall",
        "citation_precision",
        "n",
        "latency_ms_p50",
        "latency_ms_p95",
        "per_type",
        "baseline",
    }
    assert keys <= set(out) and keys - {"baseline"} <= set(out["baseline"])
    assert out["answer_accuracy"] == 0.5
    assert (corpus.settings.home / "reports" / "latest" / "report.md").is_file()


def test_cli_broken_dataset_line(corpus, capsys):
    from rag.cli import main

    corpus.dataset.write_text(json.dumps(QUESTIONS[0], ensure_ascii=False) + "\n{oops\n", encoding="utf-8")
    code = main(
        ["--home", str(corpus.settings.home), "eval", "--dataset", str(corpus.dataset), "--no-baseline"]
    )
    assert code == 1
    assert f"{corpus.dataset}, line 2: invalid JSON" in capsys.readouterr().err


def test_llm_engine_without_a_server_fails_fast(corpus):
    with pytest.raises(SettingsError, match="MEETRAG_LLM_BASE_URL"):
        run_eval(corpus.dataset, corpus.settings, engine="llm", progress=False, **fakes(corpus, []))


def test_empty_index_fails_fast(corpus):
    corpus.docs.clear()
    with pytest.raises(IndexEmptyError, match="meetrag ingest"):
        run_eval(corpus.dataset, corpus.settings, progress=False, **fakes(corpus, []))


def test_scope_none_asks_over_the_whole_index(corpus):
    """With ``scope="none"`` no question is limited to its gold document (the baseline too)."""
    pipelines: list = []
    res = run_eval(corpus.dataset, corpus.settings, progress=False, scope="none", **fakes(corpus, pipelines))
    assert res.summary["scope"] == "none"
    assert pipelines[0].calls and all(call["doc"] is None for call in pipelines[0].calls)
