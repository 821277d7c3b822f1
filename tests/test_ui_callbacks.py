"""The web app's callbacks, driven without Gradio over a real index of the five seeds.

Read-only tests share the session's ``seeded`` index; tests that upload or remove
documents get a fresh data directory of their own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.pipeline import Pipeline
from rag.settings import load_settings
from rag.types import Answer
from ui import callbacks as cb

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "e2e" / "fixtures"
SEED_TITLE = "全市優秀基層黨組織書記座談會"  # the document's own (traditional) title
SEED_SIMPLIFIED = "全市优秀基层党组织书记座谈会"


@pytest.fixture(scope="module")
def eng(seeded, tmp_path_factory):
    """Engines over the seeded index; files it writes (exports, reports) go to a temp home."""
    home = tmp_path_factory.mktemp("ui-home")
    return cb.Engines(seeded.model_copy(update={"home": home}), pipeline=Pipeline(seeded))


@pytest.fixture
def fresh(tmp_path):
    """Engines over an empty index of their own, with a 10 KB upload limit."""
    return cb.Engines(load_settings(environ={}, home=tmp_path / "home", max_upload_mb=0.01))


def final(views):
    views = list(views)
    assert views, "ask yielded nothing"
    return views, views[-1]


def doc_id_of(eng, stem: str) -> str:
    return next(i["doc_id"] for i in eng.store.list_info() if Path(i["source"]).stem == stem)


# --- 问答 ---------------------------------------------------------------------------


def test_ask_answers_with_numbered_citations_and_highlighted_sources(eng):
    views, v = final(cb.ask(eng, "座谈会由谁主持?", cb.ALL_DOCS, "extractive", cb.Conversation()))
    assert views[0].status == "正在回答…" and views[0].messages[-1]["role"] == "assistant"
    assert not v.error and v.clear_input
    assert [m["role"] for m in v.messages] == ["user", "assistant"]
    reply = v.messages[-1]["content"]
    assert "刘玉杰" in reply and "<sup>[1]</sup>" in reply
    assert "抽取式" in reply and "抽取式" in v.status
    # One script for titles: simplified, the original beside it; the passage in the document's own script.
    assert f"{SEED_SIMPLIFIED}<span class=\"mr-date\">3月28日</span>" in v.sources
    assert f"原题“{SEED_TITLE}”" in v.sources and f"[1] {SEED_SIMPLIFIED} · 3月28日" in reply
    assert "<mark>市委書記劉玉杰主持會議" in v.sources
    conv = v.conversation
    assert conv.history == [("座谈会由谁主持?", conv.last.answer)]
    assert isinstance(conv.last, Answer) and conv.sources == v.sources


def test_ask_follow_up_uses_history_and_last_answer(eng):
    _, first = final(cb.ask(eng, "“1331”现场会上是谁对村级民富便利店建设工作作了具体部署?", cb.ALL_DOCS,
                            "extractive", cb.Conversation()))
    meeting = first.conversation.last.citations[0].doc_id
    _, second = final(cb.ask(eng, "他担任什么职务?", cb.ALL_DOCS, "extractive", first.conversation))
    conv = second.conversation
    assert len(conv.history) == 2 and len(conv.messages) == 4
    # History arrived: 他 was replaced by the person of the previous answer ...
    standalone = conv.last.standalone_question
    assert standalone and standalone.endswith("担任什么职务?") and not standalone.startswith("他")
    assert standalone in second.messages[-1]["content"]
    # ... and so did `last`: the follow-up stays within the previous answer's meeting.
    cited = conv.last.citations + conv.last.related
    assert cited and {c.doc_id for c in cited} == {meeting}


def test_ask_refusal_is_styled_and_lists_related_passages(eng):
    _, v = final(cb.ask(eng, "月球上有几个村?", cb.ALL_DOCS, "extractive", None))
    assert v.conversation.last.refused
    assert v.messages[-1]["content"].startswith('<div class="mr-refusal"><b>⚠ 未找到依据</b>')
    assert 'class="mr-refusal"' in v.sources and "<mark>" in v.sources
    assert v.status.startswith("未找到依据")


def test_ask_scope_limits_answers_to_one_meeting(eng):
    doc_id = doc_id_of(eng, "003_04edc0192fabf55a")
    _, v = final(cb.ask(eng, "会议是哪天召开的?", doc_id, "extractive", None))
    cited = v.conversation.last.citations + v.conversation.last.related
    assert cited and {c.doc_id for c in cited} == {doc_id}


@pytest.mark.parametrize(
    ("question", "engine", "message"),
    [
        ("", "extractive", "问题是空的"),
        ("？！", "extractive", "问题里没有文字"),
        ("座谈会由谁主持" * 90, "extractive", "问题不能超过 500 字（现在是 630 字），请缩短后再问"),
        ("座谈会由谁主持?", "llm", "大模型(LLM)未配置"),
    ],
)
def test_ask_user_errors_are_messages_and_keep_the_conversation(eng, question, engine, message):
    conv = cb.Conversation(messages=[{"role": "user", "content": "早先的问题"}])
    views, v = final(cb.ask(eng, question, cb.ALL_DOCS, engine, conv))
    assert len(views) == 1 and v.error and message in v.status
    assert v.conversation is conv and v.messages == conv.messages and not v.clear_input


def test_ask_unknown_document_is_a_message(eng):
    _, v = final(cb.ask(eng, "会议由谁主持?", "no-such-doc", "extractive", None))
    assert v.error and "所选文档已不在库中" in v.status


class StreamingPipeline:
    """Stands in for a pipeline whose LLM streams text deltas, then the checked Answer."""

    def __init__(self, pipeline):
        self.store = pipeline.store
        self.check_question = pipeline.check_question
        self.calls: list[dict] = []

    def stream(self, question, **kw):
        self.calls.append(kw)
        yield "市委"
        yield "书记刘玉杰"
        yield Answer(question, "市委书记刘玉杰", False, [], "llm", {"total": 1500.0})


def test_ask_shows_streamed_deltas_then_the_answer(eng):
    fake = StreamingPipeline(eng.pipeline)
    streaming = cb.Engines(eng.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9"}), pipeline=fake)
    conv = cb.Conversation(history=[("q0", "a0")])
    views, v = final(cb.ask(streaming, "座谈会由谁主持?", cb.ALL_DOCS, "llm", conv))
    partials = [x.messages[-1]["content"] for x in views if x.status == "正在生成…"]
    assert partials[0].startswith("市委 ▌") and partials[1].startswith("市委书记刘玉杰 ▌")
    assert "大模型\\(LLM\\) · 1.5 秒" in v.messages[-1]["content"]
    assert fake.calls == [{"doc": None, "engine": "llm", "history": [("q0", "a0")], "last": None}]


def test_new_conversation_clears_everything():
    v = cb.new_conversation()
    assert v.messages == [] and v.conversation.history == [] and v.conversation.last is None
    assert "mr-empty" in v.sources


def test_engine_choices_offer_llm_only_when_configured(seeded):
    assert [v for _, v in cb.engine_choices(seeded)] == ["extractive"]
    llm = seeded.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    assert [v for _, v in cb.engine_choices(llm)] == ["extractive", "llm"]


def test_doc_choices_start_with_all_meetings(eng):
    choices = cb.doc_choices(eng)
    assert choices[0] == ("全部会议", cb.ALL_DOCS)
    assert len(choices) == 6
    assert f"{SEED_SIMPLIFIED}（原题“{SEED_TITLE}”） · 3月28日" in [label for label, _ in choices]
    # A date line under the headline is not the meeting's date.
    assert any("2022-09-23（发布）" in label for label, _ in choices)


def test_example_questions_come_from_titles_and_are_answerable(eng):
    examples = cb.example_questions(eng)
    assert "全市优秀基层党组织书记座谈会由谁主持?" in examples
    assert 2 <= len(examples) <= cb.MAX_EXAMPLES
    for q in examples:
        assert not eng.pipeline.ask(q).refused, q


def test_ask_json_for_the_api(eng):
    out = cb.ask_json(eng, "座谈会由谁主持?")
    assert "刘玉杰" in out["answer"] and out["citations"] and out["engine"] == "extractive"
    assert "error" in cb.ask_json(eng, "")


# --- 会议纪要 ----------------------------------------------------------------------------


def test_meetings_table_has_one_row_per_meeting(eng):
    t = cb.meetings_table(eng)
    assert t.headers == ["日期", "会议", "地点", "主持", "参会人数"]
    assert len(t.rows) == len(t.doc_ids) == 5
    first = t.rows[t.doc_ids.index(doc_id_of(eng, "000_1e9d919d8109f11d"))]
    assert first[0] == "3月28日" and "刘玉杰" in first[3] and first[4] == "84"
    assert first[1] == f"{SEED_SIMPLIFIED}（原题“{SEED_TITLE}”）"


def test_summary_view_heading_is_simplified_with_the_original_title(eng):
    v = cb.summary_view(eng, doc_id_of(eng, "000_1e9d919d8109f11d"))
    assert f"<h2>{SEED_SIMPLIFIED}会议纪要</h2>" in v.html and f"原题“{SEED_TITLE}”" in v.html
    assert "规则抽取" in v.html and "rules" not in v.html


def test_documents_rows_show_simplified_titles_and_mark_a_publication_date(eng):
    rows = {r[4]: r for r in cb.documents_rows(eng)}
    assert rows["000_1e9d919d8109f11d.txt"][:2] == [f"{SEED_SIMPLIFIED}（原题“{SEED_TITLE}”）", "3月28日"]
    assert rows["002_41ec3728fe3387ef.txt"][1] == "2022-09-23（发布）"


def test_ask_labels_a_publication_date_as_such(eng):
    _, v = final(cb.ask(eng, "全县基层党建工作重点任务推进会提出了哪些要求?", cb.ALL_DOCS, "extractive", None))
    reply = v.messages[-1]["content"]
    assert "· 2022\\-09\\-23（发布）" in reply and "2022-09-23（发布）" in v.sources  # Markdown-escaped "-"


def test_summary_view_shows_evidence_and_writes_downloads(eng):
    doc_id = doc_id_of(eng, "000_1e9d919d8109f11d")
    v = cb.summary_view(eng, doc_id)
    assert not v.error
    assert "<details" in v.html and "<blockquote>" in v.html and "主持" in v.html
    assert set(v.files) == {"json", "md", "docx"}
    assert all(p.is_file() and p.stat().st_size > 0 for p in v.files.values())
    assert json.loads(v.files["json"].read_text(encoding="utf-8"))["doc_id"] == doc_id
    assert v.files["md"].read_text(encoding="utf-8").startswith("# 全市优秀基层党组织书记座谈会")
    assert str(v.files["md"]).startswith(str(eng.settings.home / "exports"))


def test_summary_view_without_a_choice_or_for_a_removed_document(eng):
    assert "请在上方表格中点选" in cb.summary_view(eng, None).html
    gone = cb.summary_view(eng, "0000000000000000")
    assert gone.error and not gone.files


# --- 文档管理 ----------------------------------------------------------------------------


def test_upload_ingest_ask_and_remove(fresh, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("会" * 10_000, encoding="utf-8")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    files = [FIXTURES / "蓝天社区议事会.txt", FIXTURES / "xss-test.txt", big, exe, FIXTURES / "broken.pdf"]
    names = ["../../蓝天社区议事会.txt", "xss-test.txt", "big.txt", "tool.exe", "broken.pdf"]
    progress: list[tuple[float, str]] = []
    v = cb.ingest_uploads(fresh, files, names, progress=lambda f, d: progress.append((f, d)))
    by_name = {r[0]: r for r in v.rows}
    assert by_name["蓝天社区议事会.txt"][1:4] == ["新增", "蓝天社区党建议事会", 1]
    assert by_name["xss-test.txt"][1] == "新增"
    assert by_name["big.txt"][1] == "失败" and "超过上限 0.01 MB(可用 MEETRAG_MAX_UPLOAD_MB 调整)" in by_name["big.txt"][4]
    assert by_name["tool.exe"][1] == "失败" and "不支持" in by_name["tool.exe"][4]
    # The loader's English reason ("not a readable PDF (PdfStreamError: ...)") is shown in Chinese.
    assert by_name["broken.pdf"][1] == "失败" and by_name["broken.pdf"][4].startswith("无法读取这个 PDF")
    assert "新增 2 个" in v.message and "失败 3 个" in v.message and not v.error
    assert progress[-1][0] == 1.0
    uploads = fresh.settings.home / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["xss-test.txt", "蓝天社区议事会.txt"]  # not broken.pdf

    again = cb.ingest_uploads(fresh, [FIXTURES / "蓝天社区议事会.txt"])
    assert again.rows[0][1] == "未变(已在库中)"
    edited = tmp_path / "蓝天社区议事会.txt"
    edited.write_text((FIXTURES / "蓝天社区议事会.txt").read_text(encoding="utf-8") + "会议还通报了上月工作。\n",
                      encoding="utf-8")
    assert cb.ingest_uploads(fresh, [edited]).rows[0][1] == "已更新"

    _, answer = final(cb.ask(fresh, "蓝天社区党建议事会由谁主持?", cb.ALL_DOCS, "extractive", None))
    assert "王晓梅" in answer.messages[-1]["content"]
    _, hostile = final(cb.ask(fresh, "安全测试会由谁主持?", cb.ALL_DOCS, "extractive", None))
    assert "周明" in hostile.messages[-1]["content"]
    for text in (hostile.sources, hostile.messages[-1]["content"]):
        assert "<script" not in text and "&lt;script&gt;" in text

    rows = cb.documents_rows(fresh)
    assert len(rows) == 2 and rows[0][:2] == ["<script>alert(1)</script>安全测试会", "6月1日"]
    xss_id = rows[0][5]
    message, error = cb.remove_doc(fresh, xss_id)
    assert not error and message == "已删除:<script>alert(1)</script>安全测试会"
    assert [r[5] for r in cb.documents_rows(fresh)] == [rows[1][5]]
    assert not (uploads / "xss-test.txt").exists()
    assert cb.remove_doc(fresh, xss_id)[1]  # already gone: an error message, not an exception


def test_ingest_with_nothing_selected_is_a_message(fresh):
    v = cb.ingest_uploads(fresh, [])
    assert v.error and v.rows == [] and "请先选择" in v.message


def test_remove_without_a_choice_is_a_message(fresh):
    assert cb.remove_doc(fresh, None) == ("请先选择要删除的文档。", True)


def test_empty_index_questions_say_what_to_do(fresh):
    _, v = final(cb.ask(fresh, "座谈会由谁主持?", cb.ALL_DOCS, "extractive", None))
    assert v.error and "还没有导入任何文档" in v.status
    assert cb.meetings_table(fresh).rows == []
    assert cb.example_questions(fresh) == []


# --- 评测 ------------------------------------------------------------------------------------


def test_last_evaluation_before_any_run(eng, tmp_path):
    empty = cb.Engines(eng.settings.model_copy(update={"home": tmp_path}), pipeline=eng.pipeline)
    v = cb.last_evaluation(empty)
    assert v.rows == [] and v.chart == "" and "还没有评测结果" in v.message


def test_run_evaluation_on_an_uploaded_set_publishes_latest(eng, tmp_path):
    lines = cb.bundled_dataset().read_text(encoding="utf-8").splitlines()[:3]
    dataset = tmp_path / "mini.jsonl"
    dataset.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stages: list[str] = []
    v = cb.run_evaluation(eng, dataset, baseline=False, progress=lambda f, d: stages.append(d))
    assert not v.error, v.message
    metrics = {row[0]: row[1] for row in v.rows}
    assert metrics["回答正确率"] != "n/a" and float(metrics["检索前五命中 hit@5"]) > 0
    assert 'class="mr-chart"' in v.chart and "回答正确率" in v.chart
    assert {f.name for f in v.files} == {"report.md", "report.json"}
    assert "mini.jsonl" in v.message and "3 题" in v.message
    assert cb.last_evaluation(eng).rows == v.rows  # shown again on the next page load
    assert stages[0] == "正在读取题集"


def test_run_evaluation_bad_dataset_is_a_message(eng, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    v = cb.run_evaluation(eng, bad, baseline=False)
    assert v.error and v.message.startswith("评测失败:题集 bad.jsonl 第 1 行：缺少字段") and "question" in v.message


@pytest.mark.parametrize("name, n", [("bundled", 124), ("heldout", 40)])
def test_the_bundled_question_sets_load(name, n):
    from eval.dataset import load_dataset

    assert len(load_dataset(cb.bundled_dataset(name))) == n
