"""What the web app does, as plain functions over the engines (no Gradio here).

Each tab's callbacks take an :class:`Engines` (one per process: the shared
``Pipeline`` and the locks) and plain values, and return plain values or small
dataclasses that ``ui/app.py`` maps onto components. A ``MeetragError`` never
escapes: it becomes a message the user can act on (``error=True``), so unit
tests can drive every path without starting a server. Every such message, and
every reason or note that ``rag/`` and ``eval/`` word in English, is shown in
Chinese through ``ui.messages``; titles are shown in simplified script.

Left out on purpose: authentication (``launch(auth=...)`` does it) and any
HTML building beyond calling ``ui.render``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rag.cleaning import normalise_query
from rag.errors import MeetragError, QuestionError
from rag.settings import Settings
from rag.types import Answer, Document
from ui import chart, render
from ui.messages import error_text, eval_note, load_reason
from ui.uploads import is_upload, safe_name, save_uploads

ALL_DOCS = "__all__"
MAX_TURNS = 6  # history kept for follow-ups
MAX_EXAMPLES = 6
Progress = Callable[[float, str], None]
STATUS_LABELS = {"added": "新增", "unchanged": "未变(已在库中)", "replaced": "已更新", "failed": "失败",
                 "skipped": "已跳过"}
INGEST_HEADERS = ["文件", "结果", "标题", "段落数", "原因"]
DOCS_HEADERS = ["标题", "日期", "段落数", "含隐去内容", "文件", "文档编号"]
EVAL_HEADERS = ["指标", "meetrag", "基线 (LangChain)"]
METRIC_NAMES = {
    "hit_at_1": "检索首位命中 hit@1",
    "hit_at_5": "检索前五命中 hit@5",
    "mrr": "平均倒数排名 MRR",
    "answer_accuracy": "回答正确率",
    "refusal_precision": "拒答精确率",
    "refusal_recall": "拒答召回率",
    "false_refusal_rate": "误拒率(可答却拒答)",
    "faithfulness": "忠实度",
    "faithfulness_llm": "忠实度(大模型评判)",
    "citation_recall": "引用召回率",
    "citation_precision": "引用精确率",
    "summary_field_precision": "纪要字段精确率",
    "summary_field_recall": "纪要字段召回率",
    "latency_ms_p50": "延迟 p50 (毫秒)",
    "latency_ms_p95": "延迟 p95 (毫秒)",
}


def _noop(_fraction: float, _desc: str) -> None:
    return None


class Engines:
    """The per-process engines: one ``Pipeline`` shared by every session.

    ``write_lock`` serialises index changes (upload, remove) and ``eval_lock``
    evaluation runs; questions never wait for either.
    """

    def __init__(self, settings: Settings, pipeline: Any = None) -> None:
        self.settings = settings
        self._pipeline = pipeline
        self._init_lock = threading.Lock()
        self.write_lock = threading.Lock()
        self.eval_lock = threading.Lock()
        self._examples: dict[str, list[str]] = {}  # doc_id -> answerable questions
        self._dates: dict[str, str] = {}  # doc_id -> render.date_text of its dates

    @cached_property
    def pipeline(self) -> Any:
        with self._init_lock:
            if self._pipeline is None:
                from rag.pipeline import Pipeline

                self._pipeline = Pipeline(self.settings)
            return self._pipeline

    @property
    def store(self) -> Any:
        return self.pipeline.store

    def doc(self, doc_id: str) -> Document | None:
        try:
            return self.store.get(doc_id)
        except MeetragError:
            return None

    def dates(self, doc: Document | None) -> str:
        """``doc``'s dates for a listing (:func:`render.date_text`): its rules summary tells the
        meeting's date from a publication date. Cached per doc_id (a hash of the text)."""
        if doc is None:
            return ""
        if doc.doc_id not in self._dates:
            from rag.summaries import summarize

            try:
                dates = [(d.value, d.kind) for d in summarize(doc, "rules", self.settings).dates]
            except MeetragError:
                dates = [(d, "meeting") for d in doc.dates]  # the dates as found, as before
            self._dates[doc.doc_id] = render.date_text(dates)
        return self._dates[doc.doc_id]

    def warm(self) -> float:
        """Load the model and indexes (one retrieval) so the first question is fast; seconds taken."""
        t0 = time.perf_counter()
        p = self.pipeline
        if p.store.doc_ids():
            p.retrieve(normalise_query("会议由谁主持"), 1)
            example_questions(self)
        else:
            p.embeddings.embed_query("预热")
        return time.perf_counter() - t0


# --- 问答 ------------------------------------------------------------------------


@dataclass
class Conversation:
    """One browser session's chat: what ``ask`` needs for follow-ups, and what is shown."""

    history: list[tuple[str, str]] = field(default_factory=list)
    last: Answer | None = None
    messages: list[dict[str, str]] = field(default_factory=list)
    sources: str = field(default_factory=lambda: render.sources_html(None, {}))


@dataclass
class ChatView:
    messages: list[dict[str, str]]
    sources: str
    conversation: Conversation
    status: str
    error: bool = False
    clear_input: bool = False


def engine_choices(settings: Settings) -> list[tuple[str, str]]:
    """The answer engines this installation can use (LLM only when configured)."""
    choices = [(render.engine_label("extractive"), "extractive")]
    if settings.llm_configured:
        choices.append((render.engine_label("llm"), "llm"))
    return choices


def doc_choices(eng: Engines) -> list[tuple[str, str]]:
    """Scope selector: all meetings, then each document as "title · date" (simplified title)."""
    out = [("全部会议", ALL_DOCS)]
    for info in eng.store.list_info():
        date = eng.dates(eng.doc(info["doc_id"]))
        title = render.title_text(info["title"])
        out.append((f"{title} · {date}" if date else title, info["doc_id"]))
    return out


def _candidates(doc: Document) -> list[str]:
    title = normalise_query(doc.title).strip(" “”\"")
    if not title or len(title) > 40 or re.search(r"[<>{}\[\]]", title):
        return []  # a title with markup-like characters makes a confusing example
    if re.search(r"(会|会议)$", title):
        return [f"{title}由谁主持?", f"{title}是哪天召开的?"]
    return [f"“{title}”提出了哪些要求?"]


def example_questions(eng: Engines, limit: int = MAX_EXAMPLES) -> list[str]:
    """Questions built from the loaded documents' titles, kept only when the engine
    answers them from that document (checked once per document, then cached)."""
    out: list[str] = []
    for doc_id in eng.store.doc_ids():
        if doc_id not in eng._examples:
            doc = eng.doc(doc_id)
            good: list[str] = []
            for q in _candidates(doc) if doc else []:
                try:
                    a = eng.pipeline.ask(q, engine="extractive")
                except MeetragError:
                    continue
                if not a.refused and a.citations and a.citations[0].doc_id == doc_id:
                    good.append(q)
                    break  # one per document keeps the list varied
            eng._examples[doc_id] = good
        out += eng._examples[doc_id]
    return out[:limit]


def _view_error(conv: Conversation, message: str) -> ChatView:
    return ChatView(conv.messages, conv.sources, conv, message, error=True)


def ask(
    eng: Engines, question: str, doc_choice: str | None, engine: str | None, conv: Conversation | None
) -> Iterator[ChatView]:
    """Answer one chat turn. Yields a "working" view, then LLM text as it streams
    (the extractive engine answers at once), then the final view."""
    conv = conv or Conversation()
    engine = engine or eng.settings.default_engine
    try:
        q = eng.pipeline.check_question(question)
        if engine == "llm" and not eng.settings.llm_configured:
            raise QuestionError("大模型(LLM)未配置:请设置 MEETRAG_LLM_BASE_URL,或改用抽取式引擎")
    except MeetragError as e:
        yield _view_error(conv, error_text(e))
        return
    doc = None if doc_choice in (None, "", ALL_DOCS) else doc_choice
    asked = conv.messages + [{"role": "user", "content": render.md_text(q)}]
    yield ChatView(asked + [{"role": "assistant", "content": "正在查找资料…"}], conv.sources, conv, "正在回答…")
    answer: Answer | None = None
    text = ""
    try:
        stream = getattr(eng.pipeline, "stream", None)
        kwargs = {"doc": doc, "engine": engine, "history": list(conv.history), "last": conv.last}
        events = stream(q, **kwargs) if stream else iter([eng.pipeline.ask(q, **kwargs)])
        for event in events:
            if isinstance(event, str):
                text += event
                part = {"role": "assistant", "content": render.partial_markdown(text, engine)}
                yield ChatView(asked + [part], conv.sources, conv, "正在生成…")
            else:
                answer = event
    except MeetragError as e:
        yield _view_error(conv, error_text(e))
        return
    if answer is None:
        yield _view_error(conv, "回答引擎没有给出回答,请重试")
        return
    cited = {c.doc_id for c in answer.citations + answer.related}
    docs = {d: eng.doc(d) for d in cited}
    dates = {d: eng.dates(doc_) for d, doc_ in docs.items()}
    sources = render.sources_html(answer, docs, dates)
    messages = asked + [{"role": "assistant", "content": render.answer_markdown(answer, dates)}]
    new = Conversation(
        history=(conv.history + [(q, answer.answer)])[-MAX_TURNS:],
        last=answer,
        messages=messages,
        sources=sources,
    )
    status = f"{'未找到依据' if answer.refused else '已回答'} · 回答引擎:{render.engine_label(answer.engine)}"
    yield ChatView(messages, sources, new, status, clear_input=True)


def new_conversation() -> ChatView:
    conv = Conversation()
    return ChatView([], conv.sources, conv, "已开始新对话")


def ask_json(eng: Engines, question: str, doc: str | None = None, engine: str | None = None) -> dict[str, Any]:
    """One stateless question for the HTTP API: ``Answer.to_json()``, or ``{"error": message}``."""
    try:
        return eng.pipeline.ask(question, doc=doc or None, engine=engine or None).to_json()
    except MeetragError as e:
        return {"error": str(e)}


# --- 会议纪要 ----------------------------------------------------------------------


@dataclass
class MeetingTable:
    headers: list[str]
    rows: list[list[str]]
    doc_ids: list[str]
    message: str = ""


@dataclass
class SummaryView:
    html: str
    files: dict[str, Path] = field(default_factory=dict)  # "json" | "md" | "docx" -> file
    message: str = ""
    error: bool = False


def meetings_table(eng: Engines, engine: str = "rules") -> MeetingTable:
    """One row per meeting (date, title, place, chair, attendee total), in store order."""
    from rag.summaries import summarize
    from rag.summary_render import TABLE_HEADERS, table_row

    rows, ids, problems = [], [], []
    for doc in eng.store.list_documents():
        original = render.title_text(doc.title)[len(doc.title):]  # "（原题“…”）" where the script differs
        try:
            row = table_row(summarize(doc, engine, eng.settings)).cells()
            row[1] += original
        except MeetragError as e:
            row = ["", render.title_text(doc.title), "", "", ""]
            problems.append(f"{render.title_text(doc.title)}:{error_text(e)}")
        rows.append(row)
        ids.append(doc.doc_id)
    message = "" if rows else "还没有文档:请到“文档管理”上传会议材料。"
    return MeetingTable(list(TABLE_HEADERS), rows, ids, "; ".join(problems) or message)


def _export_name(doc: Document) -> str:
    stem = safe_name(normalise_query(doc.title))[:40].rstrip(". ") or doc.doc_id
    return f"{stem}_会议纪要"


def summary_view(eng: Engines, doc_id: str | None, engine: str = "rules") -> SummaryView:
    """A meeting's summary as HTML, plus JSON / Markdown / Word files to download."""
    if not doc_id:
        return SummaryView(render.message_html("请在上方表格中点选一个会议,或在下拉框中选择。"))
    from rag.summaries import summarize
    from rag.summary_render import to_docx, to_markdown

    doc = eng.doc(doc_id)
    if doc is None:
        return SummaryView(render.message_html("这份文档已不在库中,请刷新列表。"), message="文档已被删除", error=True)
    try:
        s = summarize(doc, engine, eng.settings)
    except MeetragError as e:
        text = error_text(e)
        return SummaryView(render.message_html(text, "warning"), message=text, error=True)
    out = eng.settings.home / "exports" / doc.doc_id
    out.mkdir(parents=True, exist_ok=True)
    name = _export_name(doc)
    files = {"json": out / f"{name}.json", "md": out / f"{name}.md", "docx": out / f"{name}.docx"}
    files["json"].write_text(s.model_dump_json(indent=2), encoding="utf-8")
    files["md"].write_text(to_markdown(s), encoding="utf-8")
    to_docx(s, files["docx"])
    return SummaryView(render.summary_html(s, doc.title), files)


# --- 文档管理 ----------------------------------------------------------------------


@dataclass
class IngestView:
    rows: list[list[Any]]
    message: str
    error: bool = False


def _result_row(name: str, status: str, title: str = "", chunks: int = 0, reason: str = "") -> list[Any]:
    return [name, STATUS_LABELS.get(status, status), render.title_text(title) if title else "", chunks or "",
            load_reason(reason) if reason else ""]


def ingest_uploads(
    eng: Engines, paths: Sequence[str | Path] | None, names: Sequence[str] | None = None,
    progress: Progress = _noop,
) -> IngestView:
    """Check and copy uploads under home/uploads, index them, report each file."""
    if not paths:
        return IngestView([], "请先选择要上传的文件。", error=True)
    saved, refused = save_uploads(paths, eng.settings, names)
    rows = [_result_row(r.path, r.status, reason=r.reason) for r in refused]
    if saved:
        from rag.ingest import ingest_paths

        p = eng.pipeline

        def report(done: int, total: int, name: str) -> None:
            progress(done / total if total else 1.0, f"正在导入 {name}" if name else "完成")

        def report_chunks(done: int, total: int, name: str) -> None:
            # A large file: how far its embedding has got (一份 0.5 MB 的文件约 900 段).
            progress(done / total if total else 1.0, f"正在向量化 {name}：{done}/{total} 段")

        with eng.write_lock:
            try:
                result = ingest_paths(saved, eng.settings, progress=report, store=p.store,
                                      vectors=p.vectors, embeddings=p.embeddings, chunk_progress=report_chunks)
            except MeetragError as e:
                return IngestView(rows, f"导入失败:{error_text(e)}", error=True)
        rows += [_result_row(Path(r.path).name, r.status, r.title, r.chunks, r.reason) for r in result.results]
        for r in result.results:  # a copy the index does not use is not kept
            if r.status == "failed" and is_upload(r.path, eng.settings):
                Path(r.path).unlink(missing_ok=True)
        example_questions(eng)  # check examples for the new documents now, not on the next page load
    counts = {label: sum(r[1] == label for r in rows) for label in STATUS_LABELS.values()}
    message = ",".join(f"{k} {v} 个" for k, v in counts.items() if v)
    failed = counts[STATUS_LABELS["failed"]]
    return IngestView(rows, f"导入完成:{message}", error=failed == len(rows))


def documents_rows(eng: Engines) -> list[list[Any]]:
    """The documents table: title (simplified), dates, chunks, redacted, file, id."""
    return [
        [render.title_text(i["title"]), eng.dates(eng.doc(i["doc_id"])), i["chunks"], "是" if i["redacted"] else "",
         Path(i["source"]).name, i["doc_id"]]
        for i in eng.store.list_info()
    ]


def remove_doc(eng: Engines, doc_id: str | None) -> tuple[str, bool]:
    """Remove a document from the index (and its uploaded copy); returns (message, error)."""
    if not doc_id or doc_id == ALL_DOCS:
        return "请先选择要删除的文档。", True
    from rag.ingest import remove_document

    p = eng.pipeline
    with eng.write_lock:
        try:
            doc_id = p.store.resolve(doc_id)
            doc = p.store.get(doc_id)
            remove_document(doc_id, eng.settings, store=p.store, vectors=p.vectors)
        except MeetragError as e:
            return error_text(e), True
    if is_upload(doc.source, eng.settings):
        Path(doc.source).unlink(missing_ok=True)
    eng._examples.pop(doc_id, None)
    return f"已删除:{render.title_text(doc.title)}", False


# --- 评测 ----------------------------------------------------------------------------


@dataclass
class EvalView:
    message: str
    rows: list[list[str]] = field(default_factory=list)
    chart: str = ""  # HTML bars (ui.chart); "" when there is nothing to draw
    files: list[Path] = field(default_factory=list)
    error: bool = False


# The question sets shipped with meetrag, by the name the 评测 tab uses.
BUNDLED = {"bundled": "seeds.jsonl", "heldout": "heldout.jsonl"}


def bundled_dataset(name: str = "bundled") -> Path:
    import eval as eval_pkg

    return Path(eval_pkg.__file__).resolve().parent / "datasets" / BUNDLED[name]


def _seeds_dir() -> Path:
    return bundled_dataset().parents[2] / "seeds"


def _metric(value: Any, digits: int) -> str:
    """A table cell: ``0.923``; ``—`` when there was nothing to measure."""
    if value is None:
        return chart.NO_VALUE
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def eval_view(report_dir: Path) -> EvalView:
    """The metrics table, chart and files of the report in ``report_dir``."""
    path = report_dir / "report.json"
    if not path.is_file():
        return EvalView("还没有评测结果:选择题集后点击“运行评测”。")
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
        s = result["summary"]
    except (OSError, ValueError, KeyError):
        return EvalView(f"无法读取上次的评测报告 {path}:文件不完整或已损坏,请重新运行评测。", error=True)
    base = s.get("baseline") or {}
    rows = []
    for key, label in METRIC_NAMES.items():
        if key in s:
            digits = 0 if key.startswith("latency") else 3
            rows.append([label, _metric(s[key], digits), _metric(base.get(key), digits)])
    files = [f for f in (report_dir / "report.md", path) if f.is_file()]
    notes = "".join(f"\n- {eval_note(n)}" for n in result.get("notes", []))
    message = (
        f"评测时间 {result.get('created', '?')},题集 {Path(str(result.get('dataset', '?'))).name},"
        f"{s.get('n', '?')} 题,回答引擎:{render.engine_label(str(s.get('engine', '?')))}。{notes}"
    )
    return EvalView(message, rows, chart.chart_html(s), files)


def last_evaluation(eng: Engines) -> EvalView:
    return eval_view(eng.settings.reports_dir / "latest")


def run_evaluation(
    eng: Engines, dataset: str | Path | None = None, *, baseline: bool = True,
    engine: str = "extractive", progress: Progress = _noop,
) -> EvalView:
    """Run a question set (default: the bundled seeds set) and publish the report to reports/latest.

    The bundled sets ask about the five seed documents: when they are not all in
    the index, it runs on a temporary index of ``seeds/`` instead.
    """
    from eval.dataset import load_dataset
    from eval.report import publish
    from eval.runner import run_eval

    path = Path(dataset) if dataset else bundled_dataset()
    bundled = path.resolve() in {bundled_dataset(name).resolve() for name in BUNDLED}
    if not eng.eval_lock.acquire(blocking=False):
        return EvalView("已有一次评测正在运行,请等它完成。", error=True)
    try:
        progress(0.0, "正在读取题集")
        questions = load_dataset(path)
        docs_dir = None
        stems = {Path(i["source"]).stem for i in eng.store.list_info()}
        if bundled and any(q.doc and q.doc not in stems for q in questions) and _seeds_dir().is_dir():
            docs_dir = _seeds_dir()
        progress(0.05, f"正在回答 {len(questions)} 个问题")
        result = run_eval(
            path, eng.settings, docs_dir=docs_dir, engine=engine, baseline=baseline,
            make_pipeline=lambda s: eng.pipeline if s is eng.settings else _new_pipeline(s, eng),
            embeddings=eng.pipeline.embeddings,
        )
        progress(0.95, "正在生成报告")
        publish(result.to_json(), eng.settings.reports_dir)
    except MeetragError as e:
        return EvalView(f"评测失败:{error_text(e)}", error=True)
    finally:
        eng.eval_lock.release()
    return last_evaluation(eng)


def _new_pipeline(settings: Settings, eng: Engines) -> Any:
    """A pipeline over a temporary index that shares the loaded embedding model."""
    from rag.pipeline import Pipeline

    return Pipeline(settings, embeddings=eng.pipeline.embeddings)
