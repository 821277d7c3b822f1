"""Chinese for the web app: what ``rag/`` and ``eval/`` say in English, said to its users.

The library and the CLI speak English (their readers paste commands and read
logs); a user of the web app reads Chinese. Rather than translate inside
``rag/``, the UI translates at its boundary: :func:`error_text` for a
``MeetragError``, :func:`load_reason` for a file the loaders refused,
:func:`eval_note` for a note of an evaluation run. Each rule below maps one
English message (matched by a pattern, its numbers, names and paths kept) to
a Chinese sentence that keeps the fix, e.g.::

    the question has 630 characters; the limit is 500 (MEETRAG_MAX_QUESTION_CHARS) ...
    -> 问题不能超过 500 字（现在是 630 字），请缩短后再问；一次只问一件事。

A message no rule knows still reaches the user in Chinese: :func:`untranslated`
finds the English left in it, and the error class's own sentence is shown
instead (the English original goes to the server log for whoever runs it).

Left out on purpose: a translation framework (gettext) — one language is shown,
and the English originals are the CLI's.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from rag.errors import (
    DatasetError,
    IndexEmptyError,
    LLMError,
    LoadError,
    QuestionError,
    SettingsError,
    StoreUnavailableError,
    UnknownDocumentError,
    VectorSpaceError,
)

log = logging.getLogger(__name__)

Rules = tuple[tuple[re.Pattern[str], str], ...]


def _rules(*pairs: tuple[str, str]) -> Rules:
    return tuple((re.compile(p, re.IGNORECASE | re.DOTALL), zh) for p, zh in pairs)


# --- what a user can read as English --------------------------------------------

# Names and formats that stay as they are in a Chinese sentence.
ALLOWED_WORDS = frozenset(
    "meetrag json jsonl word markdown langchain api llm pdf docx html htm txt md mb gb utf gbk big5 "
    "gb18030 ocr ollama vllm chroma http https url id mrr hit p50 p95 ms".split()
)
# Identifiers (MEETRAG_LLM_BASE_URL), file names (seeds.jsonl), URLs, paths and ids that mix
# letters and digits (98172c38620028f3) are names too.
_IDENTIFIER = re.compile(
    r"\S*[_/\\@.:]\S*[A-Za-z0-9]|`[^`]*`"
    r"|(?<![A-Za-z0-9])[A-Za-z0-9]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*(?![A-Za-z0-9])"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Three or more English words in a row, with nothing but spaces, digits and light punctuation
# between; names are left out first, so "meetrag vs vanilla LangChain RAG" still counts.
_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[\s\d,;:()\"'!?%/.-]+[A-Za-z][A-Za-z'’]*){2,}")


def untranslated(text: str) -> list[str]:
    """Runs of three or more English words in ``text`` (names in :data:`ALLOWED_WORDS`,
    identifiers and paths do not count): ``["the question is empty: type a question"]``, or ``[]``."""
    text = _IDENTIFIER.sub("", text)
    text = _WORD.sub(lambda m: "" if m.group(0).lower() in ALLOWED_WORDS else m.group(0), text)
    return [m.group(0).strip() for m in _RUN.finditer(text)]


# --- rules ------------------------------------------------------------------------

_QUESTION = _rules(
    (r"^the question is empty", "问题是空的：请输入一个问题，例如“座谈会由谁主持？”"),
    (
        r"^the question has (?P<n>\d+) characters; the limit is (?P<limit>\d+)",
        "问题不能超过 {limit} 字（现在是 {n} 字），请缩短后再问；一次只问一件事。",
    ),
    (
        r"^the question has no words",
        "问题里没有文字（只有标点或符号）：请输入一个问题，例如“座谈会由谁主持？”",
    ),
)

_LLM = _rules(
    (
        r"^no LLM configured",
        "大模型（LLM）未配置：请设置 MEETRAG_LLM_BASE_URL（和 MEETRAG_LLM_MODEL），或改用抽取式引擎。",
    ),
    (
        r"^the LLM at (?P<url>\S+) did not answer within (?P<s>[\d.]+) s",
        "大模型服务 {url} 在 {s} 秒内没有回应：请调大 MEETRAG_LLM_TIMEOUT_S，或换用更小、更快的模型。",
    ),
    (
        r"^cannot reach the LLM at (?P<url>\S+):\s",
        "连接不上大模型服务 {url}：请确认服务已启动、地址正确，或改用抽取式引擎。",
    ),
    (
        r"^the LLM at (?P<url>\S+) rejected the API key",
        "大模型服务 {url} 拒绝了 API 密钥（HTTP 401）：请设置 MEETRAG_LLM_API_KEY。",
    ),
    (
        r"^the LLM at (?P<url>\S+) answered 404 for model (?P<model>'[^']*')",
        "大模型服务 {url} 上没有模型 {model}（HTTP 404）：请把 MEETRAG_LLM_MODEL 设为服务上已有的模型，"
        "并确认地址以 /v1 结尾。",
    ),
    (
        r"^the LLM at (?P<url>\S+) returned HTTP (?P<code>\d+)",
        "大模型服务 {url} 返回错误（HTTP {code}）：请稍后重试，或改用抽取式引擎。",
    ),
    (r"^the LLM at (?P<url>\S+) failed", "大模型服务 {url} 出错：请稍后重试，或改用抽取式引擎。"),
)

_STORE = _rules(
    (
        r"^cannot reach the Chroma server at (?P<url>\S+)",
        "连接不上向量库服务 {url}：请启动 chroma run，或取消 MEETRAG_CHROMA_URL 改用内置向量库。",
    ),
    (r"^the vector store at (?P<where>\S+) failed", "向量库 {where} 出错：请稍后重试；仍出错时请查看服务日志。"),
)

# Why a file was refused (``LoadError.reason``), from rag/loading.py.
_LOAD = _rules(
    (r"^no such file", "文件不存在"),
    (r"not a regular file", "这不是一个普通文件（可能是设备、管道或文件夹）"),
    (r"^a symbolic link to .* not followed", "这是指向导入范围之外的符号链接，没有导入"),
    (r"^a broken symbolic link", "这是一个失效的符号链接"),
    (r"^cannot read (?:it|the folder)", "无法读取：请检查文件及所在文件夹的权限"),
    (r"^unsupported format (?P<suffix>\S+?);", "不支持“{suffix}”格式：请上传 .txt .md .html .htm .docx .pdf 文件"),
    (
        r"^file is (?P<size>[\d.]+) MB, over the (?P<limit>[\d.]+) MB limit",
        "文件大小 {size} MB，超过上限 {limit} MB（可用 MEETRAG_MAX_FILE_MB 调整）",
    ),
    (
        r"^the \.docx expands to (?P<size>[\d.]+) MB .*?over the (?P<limit>[\d.]+) MB limit",
        "这个 .docx 解压后有 {size} MB 文字和标记，超过上限 {limit} MB（可用 MEETRAG_MAX_FILE_MB 调整）",
    ),
    (r"^not a valid \.docx", "不是有效的 .docx 文件（不是 zip 压缩包，或文件不完整）：请用 Word 重新保存"),
    (r"^not a readable \.docx", "无法读取这个 .docx 文件（文件已损坏）：请用 Word 重新保存后再上传"),
    (r"^not a readable PDF", "无法读取这个 PDF（文件不完整、已损坏或已加密）：请重新导出或解密后再上传"),
    (r"^the PDF has no extractable text", "这个 PDF 里没有可提取的文字（可能是扫描件）：请先做文字识别（OCR）"),
    (
        r"^the PDF holds (?P<size>[\d.]+) MB of text, over the (?P<limit>[\d.]+) MB limit",
        "这个 PDF 含 {size} MB 文字，超过上限 {limit} MB（可用 MEETRAG_MAX_FILE_MB 调整）",
    ),
    (r"^the file is empty", "文件里没有文字"),
    (r"UTF-16 byte-order mark but is not valid", "文件标明是 UTF-16 编码，但内容不是有效的 UTF-16 文字：请另存为 UTF-8"),
    (r"UTF-16 byte-order mark but the text looks garbled", "文件标明是 UTF-16 编码，但内容是乱码（可能不是文本文件）"),
    (r"^undecodable bytes", "无法识别文件编码（不是 UTF-8、GB18030/GBK 或 Big5）：请另存为 UTF-8"),
    (r"^text decodes as (?P<enc>\S+) but looks garbled", "按 {enc} 解码后是乱码：请另存为 UTF-8"),
    (r"^binary data", "这是二进制文件，不是文本文件"),
    (r"(?:permission denied|errno 13)", "没有读取这个文件的权限"),
)

# A problem in a JSONL question set (``DatasetError.reason``), from eval/dataset.py and eval/runner.py.
_DATASET = _rules(
    (r"^expected a JSON object", "每一行应是一个 JSON 对象"),
    (r"^missing key\(s\): (?P<keys>[^\n]+)", "缺少字段：{keys}"),
    (r"^unknown key\(s\): (?P<keys>.+?) \(allowed: (?P<allowed>[^)]*)\)", "有未知字段：{keys}（可用字段：{allowed}）"),
    (r"^'(?P<key>\w+)' must be a non-empty string or absent", "“{key}”必须是非空字符串，或者不写"),
    (r"^'(?P<key>\w+)' must be a non-empty string", "“{key}”必须是非空字符串"),
    (r"^unknown type (?P<type>'[^']*'); use one of: (?P<types>.+)", "未知题型 {type}：可用题型为 {types}"),
    (r"^'evidence' must be a string", "“evidence”必须是字符串（多段引文用“|”分隔）"),
    (r"^'(?P<key>\w+)' must be a list of strings", "“{key}”必须是字符串列表"),
    (r"^'(?P<key>\w+)' holds an empty string", "“{key}”里有空字符串：请删掉它（空列表表示不限）"),
    (r"^cannot read the file", "无法读取这个文件"),
    (r"^not valid UTF-8", "不是有效的 UTF-8 文本：请另存为 UTF-8"),
    (r"^invalid JSON \(.* at column (?P<col>\d+)\)", "不是有效的 JSON（第 {col} 列附近）"),
    (r"^duplicate id (?P<id>'[^']*') \(first used on line (?P<first>\d+)\)", "题目编号 {id} 重复（第 {first} 行已用过）"),
    (r"^follow_up_of (?P<id>'[^']*') does not name an earlier", "follow_up_of {id} 不是本文件前面出现过的题目编号"),
    (r"^no questions in the file", "文件里没有题目"),
    (r"^no supported documents in this folder", "文件夹里没有可导入的文档"),
    (r"^doc (?P<doc>'[^']*') is not in the index", "题目所问的文档 {doc} 不在库中：请先在“文档管理”上传它"),
)

# Notes of an evaluation run (``EvalResult.notes``), from eval/runner.py.
_NOTES = _rules(
    (
        r"^the baseline answers with a sentence of the chunk it cites",
        "基线直接用所引段落中的一句话作答，因此它的忠实度和引用得分必然为 1：请在检索、回答正确率和拒答上比较两者。",
    ),
    (r"^baseline skipped: none of the indexed source files", "未评测基线：库中文档的源文件都已不在磁盘上。"),
    (r"^meetrag warm-up failed", "meetrag 预热失败，第一题的延迟包含了加载时间。"),
    (r"^baseline warm-up failed", "基线预热失败，第一题的延迟包含了加载时间。"),
    (r"^summary fields skipped", "未评测纪要字段：纪要模块不可用。"),
    (r"^summary of (?P<doc>\S+) skipped: not in the index", "文档 {doc} 不在库中，未生成纪要（按未提取任何字段计分）。"),
)

# The data directory and the index (rag/errors.py).
_SYSTEM = _rules(
    (r"^no space left to .*? the data directory (?P<home>\S+):",
     "数据目录 {home} 所在的磁盘已满：请腾出空间，或把 MEETRAG_HOME 指向另一块磁盘。"),
    (r"the data directory (?P<home>\S+): it is on a read-only file system",
     "数据目录 {home} 在只读文件系统上：请把 MEETRAG_HOME 指向可写的文件夹。"),
    (r"^the data directory (?P<home>\S+) is a file, not a folder",
     "数据目录 {home} 是一个文件，不是文件夹：请把 MEETRAG_HOME 指向一个文件夹。"),
    (r"the data directory (?P<home>\S+) \(permission denied\)",
     "没有权限使用数据目录 {home}：请修改它的权限，或把 MEETRAG_HOME 指向你自己的文件夹。"),
    (r"^cannot .*? the data directory (?P<home>\S+) \(",
     "无法使用数据目录 {home}：请检查文件夹和磁盘，或把 MEETRAG_HOME 指向另一个文件夹。"),
    (r"^the index at (?P<path>\S+) is damaged",
     "索引文件 {path} 已损坏：请运行 `meetrag docs check --repair`，或删除它后重新导入文档。"),
)

_SUMMARY = _rules(
    (r"^summary engine 'llm' is not available", "大模型纪要引擎在这个版本里不可用：请改用规则抽取。"),
    (r"^summary engine (?P<engine>'[^']*') is unknown", "未知的纪要引擎 {engine}：请选择规则抽取或大模型。"),
    (r"^summary engine (?P<engine>'[^']*') quoted text that is not in", "纪要引用的文字与原文不符，已拒绝显示：请改用规则抽取，或重试。"),
)

# What each error class says when no rule knows its message.
_FALLBACK: tuple[tuple[type[BaseException], str], ...] = (
    (QuestionError, "这个问题无法回答：请换一种问法再试。"),
    (LLMError, "大模型服务出错：请检查 MEETRAG_LLM_BASE_URL 等设置，或改用抽取式引擎。"),
    (StoreUnavailableError, "向量库暂时不可用：请稍后重试；仍出错时请查看服务日志。"),
    (SettingsError, "设置有误：请检查 MEETRAG_* 环境变量和配置文件，详情见服务日志。"),
    (BaseException, "操作没有完成：请重试；仍出错时请查看服务日志。"),
)


# Groups that hold a list of field names ("id, question, type"): each quoted, so
# the names read as names (“id”、“question”、“type”) rather than as an English phrase.
_NAME_LISTS = frozenset({"keys", "allowed", "types"})


def _names(listed: str) -> str:
    return "、".join(f"“{n.strip(chr(39))}”" for n in re.split(r",\s*", listed.strip()) if n)


def _apply(rules: Rules, text: str) -> str | None:
    for pattern, zh in rules:
        m = pattern.search(text)
        if m:
            groups = {k: _names(v) if k in _NAME_LISTS else v for k, v in m.groupdict().items()}
            return zh.format(**groups)
    return None


def _chinese_or(text: str | None, fallback: str, original: str) -> str:
    """``text`` when it is Chinese; else ``fallback`` (and the original English to the log)."""
    if text is not None and not untranslated(text):
        return text
    if not untranslated(original):
        return original  # already Chinese (messages written in the UI or in Chinese upstream)
    log.warning("no Chinese wording for %r; showing %r", original, fallback)
    return fallback


def load_reason(reason: str) -> str:
    """Why a file was refused, in Chinese (``LoadError.reason`` from the loaders)."""
    return _chinese_or(_apply(_LOAD, reason), "无法读取这个文件：请检查文件是否完整，或另存为 UTF-8 文本后再上传", reason)


def dataset_problem(reason: str) -> str:
    """A problem of a JSONL question set (``DatasetError.reason``), in Chinese."""
    return _chinese_or(_apply(_DATASET, reason), "格式不符合要求：请对照 eval/README.md 中的题集格式检查", reason)


def eval_note(note: str) -> str:
    """One note of an evaluation run, in Chinese."""
    return _chinese_or(_apply(_NOTES, note), "评测过程中有一条提示，详情见报告文件。", note)


def error_text(error: BaseException) -> str:
    """What the web app shows for ``error``: Chinese, and saying what to do."""
    message = str(error)
    if isinstance(error, IndexEmptyError):
        return "还没有导入任何文档：请先在“文档管理”页上传会议材料（或运行 `meetrag ingest seeds/`）。"
    if isinstance(error, UnknownDocumentError):
        return "所选文档已不在库中（可能刚被删除）：请刷新页面，重新选择提问范围。"
    if isinstance(error, VectorSpaceError):
        return ("索引是用另一个向量模型建立的，与当前设置不符：请把 MEETRAG_EMBEDDING_MODEL / "
                "MEETRAG_EMBEDDING_BACKEND 改回建索引时的值，或在新的数据目录里重新导入文档。")
    if isinstance(error, LoadError):
        return f"{Path(error.path).name}：{load_reason(error.reason)}"
    if isinstance(error, DatasetError):
        where = f"题集 {Path(error.path).name}" + (f" 第 {error.line} 行" if error.line else "")
        return f"{where}：{dataset_problem(error.reason)}"
    rules = _QUESTION + _LLM + _STORE + _SYSTEM + _SUMMARY
    fallback = next(zh for cls, zh in _FALLBACK if isinstance(error, cls))
    return _chinese_or(_apply(rules, message), fallback, message)
