"""The web app's Chinese for what rag/ and eval/ say in English: each message, raised by the
real code where it can be, comes out Chinese, keeps its numbers and names, and says what to do."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from rag.errors import (
    DatasetError,
    IndexEmptyError,
    LLMError,
    LoadError,
    MeetragError,
    QuestionError,
    SettingsError,
    UnknownDocumentError,
)
from rag.loading import load_text
from rag.pipeline import Pipeline
from rag.settings import load_settings
from ui import messages

FIXTURES = Path(__file__).parent / "e2e" / "fixtures"


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("the question is empty: type a question, e.g. 座谈会由谁主持?", ["the question is empty: type a question"]),
        ("meetrag vs vanilla LangChain RAG (3 questions)", ["vs vanilla  RAG (3 questions"]),
        ("问题不能超过 500 字（可用 MEETRAG_MAX_QUESTION_CHARS 调整）", []),
        ("下载 JSON 下载 Markdown 下载 Word", []),
        ("题集 seeds.jsonl,回答引擎 http://127.0.0.1:11434/v1", []),
        ("文档编号 98172c38620028f3 db38f59e4be9d2ad", []),
        ("检索首位命中 hit@1 · 延迟 p95 (毫秒) · 基线 (LangChain)", []),
        ("<script>alert(1)</script>安全测试会", []),
        ("Use via API", []),  # two words: a name more than a sentence
    ],
)
def test_untranslated_finds_three_english_words_in_a_row(text, runs):
    assert messages.untranslated(text) == runs


@pytest.fixture
def pipeline(tmp_path):
    return Pipeline(load_settings(environ={}, home=tmp_path / "home"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("", "问题是空的：请输入一个问题，例如“座谈会由谁主持？”"),
        ("   ", "问题是空的"),
        ("？！……", "问题里没有文字（只有标点或符号）"),
        ("座谈会由谁主持" * 90, "问题不能超过 500 字（现在是 630 字），请缩短后再问"),
    ],
)
def test_question_checks_read_in_chinese(pipeline, question, expected):
    with pytest.raises(QuestionError) as caught:
        pipeline.check_question(question)
    text = messages.error_text(caught.value)
    assert expected in text and messages.untranslated(text) == []


def _docx_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:t>" + "会" * 400_000 + "</w:t>")
    return path


@pytest.mark.parametrize(
    ("name", "content", "max_mb", "expected"),
    [
        ("broken.pdf", (FIXTURES / "broken.pdf").read_bytes(), 50, "无法读取这个 PDF（文件不完整、已损坏或已加密）"),
        ("scan.docx", b"not a zip archive", 50, "不是有效的 .docx 文件"),
        ("tool.exe", b"MZ", 50, "不支持“.exe”格式"),
        ("blob.txt", bytes(range(256)) * 64, 50, "二进制文件"),
        ("empty.txt", b"   \n", 50, "文件里没有文字"),
        ("big.txt", "会议".encode() * 100_000, 0.1, "文件大小 0.6 MB，超过上限 0.1 MB（可用 MEETRAG_MAX_FILE_MB 调整）"),
        ("gbk.txt", bytes([0x81, 0x30, 0x81, 0x30, 0xFE]) * 200, 50, "UTF-8"),
    ],
)
def test_loader_refusals_read_in_chinese(tmp_path, name, content, max_mb, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        load_text(path, max_mb)
    text = messages.error_text(caught.value)
    assert text.startswith(f"{name}：") and expected in text, (caught.value.reason, text)
    assert messages.untranslated(text) == []
    assert messages.load_reason(caught.value.reason) == text.removeprefix(f"{name}：")


def test_loader_refusal_for_a_docx_that_expands_past_the_limit(tmp_path):
    with pytest.raises(LoadError) as caught:
        load_text(_docx_bomb(tmp_path / "bomb.docx"), 0.5)
    assert "解压后有 1.2 MB 文字和标记，超过上限 0.5 MB" in messages.load_reason(caught.value.reason)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (['{"id": "x"}'], "第 1 行：缺少字段：“question”、“type”、“answer_any”、“answer_all”、“evidence”"),
        (["not json"], "第 1 行：不是有效的 JSON（第 1 列附近）"),
        (['["a list"]'], "第 1 行：每一行应是一个 JSON 对象"),
        ([], "题集 set.jsonl：文件里没有题目"),
    ],
)
def test_dataset_problems_read_in_chinese(tmp_path, lines, expected):
    from eval.dataset import load_dataset

    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    text = messages.error_text(caught.value)
    assert text.startswith("题集 set.jsonl") and expected in text, (str(caught.value), text)
    assert messages.untranslated(text) == []


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IndexEmptyError(), "还没有导入任何文档：请先在“文档管理”页上传会议材料"),
        (UnknownDocumentError("98172c38620028f3"), "所选文档已不在库中"),
        (LLMError("no LLM configured: set MEETRAG_LLM_BASE_URL, e.g. http://127.0.0.1:11434/v1 for Ollama"),
         "大模型（LLM）未配置：请设置 MEETRAG_LLM_BASE_URL"),
        (LLMError("the LLM at http://127.0.0.1:9/v1 did not answer within 120 s: raise MEETRAG_LLM_TIMEOUT_S"),
         "大模型服务 http://127.0.0.1:9/v1 在 120 秒内没有回应：请调大 MEETRAG_LLM_TIMEOUT_S"),
        (LLMError("cannot reach the LLM at http://127.0.0.1:9/v1: connection refused; is the server running?"),
         "连接不上大模型服务 http://127.0.0.1:9/v1"),
        (LLMError("the LLM at http://h/v1 answered 404 for model 'qwen' (not found): set MEETRAG_LLM_MODEL"),
         "大模型服务 http://h/v1 上没有模型 'qwen'（HTTP 404）"),
        (LLMError("the LLM at http://h/v1 returned HTTP 500: boom"), "返回错误（HTTP 500）"),
        (MeetragError("the index at /x/index.sqlite is damaged (file is not a database): run `meetrag docs check`"),
         "索引文件 /x/index.sqlite 已损坏"),
        (MeetragError("cannot write to the data directory /x (permission denied): fix its permissions"),
         "没有权限使用数据目录 /x"),
        # No rule knows these: the class's own sentence, never the English.
        (LLMError("the model replied in Klingon, which nobody expected"), "大模型服务出错"),
        (SettingsError("something entirely new went wrong here"), "设置有误"),
        (MeetragError("something entirely new went wrong here"), "操作没有完成：请重试"),
        # Already Chinese: shown as it is.
        (QuestionError("大模型(LLM)未配置:请设置 MEETRAG_LLM_BASE_URL,或改用抽取式引擎"), "大模型(LLM)未配置:请设置"),
    ],
)
def test_errors_read_in_chinese_with_the_fix(error, expected):
    text = messages.error_text(error)
    assert expected in text and messages.untranslated(text) == [], text


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("the baseline answers with a sentence of the chunk it cites, so its faithfulness and citation scores "
         "are 1 by construction: compare it on retrieval, accuracy and refusals", "基线直接用所引段落中的一句话作答"),
        ("baseline skipped: none of the indexed source files exist on disk", "未评测基线"),
        ("meetrag warm-up failed (boom); its first question's latency includes loading", "meetrag 预热失败"),
        ("summary of 003_x skipped: not in the index (scored as predicting nothing)", "文档 003_x 不在库中"),
        ("a note nobody has seen before today", "评测过程中有一条提示"),
    ],
)
def test_evaluation_notes_read_in_chinese(note, expected):
    text = messages.eval_note(note)
    assert expected in text and messages.untranslated(text) == []
