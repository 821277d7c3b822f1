"""The Gradio layout: four tabs wired to ``ui.callbacks``. No logic lives here.

问答 (chat with cited sources), 会议纪要 (summaries), 文档管理 (upload, list,
remove), 评测 (evaluation). Every callback is a thin adapter: it calls one
function of ``ui.callbacks`` and maps the result onto components, turning an
error into a warning in the status line beside the control that caused it
(never a traceback). Everything shown is Chinese (``ui.messages`` translates
what ``rag/`` says).

No toasts (``gr.Warning``): Gradio titles them with the English level name,
stacks them, keeps them over other tabs and over the 来源 panel, and each
repeated what the status line already said. Read-only tables are HTML
(``render.table_html``): a Dataframe kept a scroll area of its own, placeholder
headers when empty and columns a character wide on a phone.

On a phone (below 768 px) ``render.CSS`` reorders the 问答 tab so an answer's
来源 come right under the chat; the element ids below are what it orders.

Gradio 6 takes ``css``/``theme`` in ``launch()``: :func:`launch_options` gives
them together with the safety settings, and ``ui.command`` passes them on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr
import pandas as pd

from rag.errors import SettingsError
from rag.loading import SUPPORTED
from rag.settings import LOOPBACK_HOSTS, Settings
from ui import callbacks as cb
from ui import render
from ui.access import HostCheck, LoginLimiter, password_check
from ui.uploads import upload_limit_mb

# Answering shares the two cores; index changes and evaluations go one at a time.
ANSWER_CONCURRENCY = 2
PLACEHOLDER = "输入问题,例如:座谈会由谁主持?"
# Gradio's own controls follow the browser's language; its Chinese lacks these (the chat's copy
# button would say "Copy message").
# Gradio's own words the app shows: a copy button, and the status of a task waiting in the
# queue behind another (an import behind an import: "In queue: 1 of 2" in English otherwise).
GRADIO_WORDING = {
    "chatbot.copy_message": "复制这条消息",
    "chatbot.copied_message": "已复制",
    "status.queue_position": "排队中：第 {position} 个，共 {size} 个",
    "common.loading": "加载中",
}
MEETING_COLUMNS: list[str | int] = ["20%", "36%", "16%", "16%", "12%"]  # 日期 会议 地点 主持 参会人数: fits a phone


def _table(headers: list[str], rows: list[list[Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=headers)


def _status(text: str, error: bool = False) -> str:
    return render.status_html(text, error)


def build_app(settings: Settings, engines: cb.Engines | None = None) -> gr.Blocks:
    """The whole app for one process; ``engines`` defaults to a new (lazy) ``Engines``."""
    eng = engines or cb.Engines(settings)
    engine_choices = cb.engine_choices(settings)
    default_engine = settings.default_engine if settings.llm_configured else "extractive"

    with gr.Blocks(title="meetrag 会议资料问答", analytics_enabled=False) as app:
        gr.Markdown("## meetrag · 会议资料问答与纪要\n所有资料只在本机处理,不连接互联网。")
        with gr.Tabs(elem_id="tabs"):
            # --- 问答 ---------------------------------------------------------------
            with gr.Tab("问答", id="chat", elem_id="tab-chat"):
                with gr.Row(elem_id="chat-layout"):
                    with gr.Column(scale=3, elem_id="chat-main"):
                        with gr.Row(elem_id="chat-options"):
                            scope = gr.Dropdown(label="提问范围", choices=[("全部会议", cb.ALL_DOCS)],
                                                value=cb.ALL_DOCS, elem_id="scope", scale=3)
                            engine = gr.Radio(
                                label="回答引擎", choices=engine_choices, value=default_engine,
                                elem_id="engine", scale=2,
                                info=None if settings.llm_configured
                                else "大模型未配置(设置 MEETRAG_LLM_BASE_URL 后可选)",
                            )
                        # No floating label: it covered messages once the chat scrolled.
                        chatbot = gr.Chatbot(
                            label="对话", show_label=False, elem_id="chatbot", height=460, latex_delimiters=[],
                            feedback_options=None, buttons=["copy"], allow_tags=False,
                            placeholder="向已导入的会议资料提问。每个回答都标注来源 [1][2],原文见“来源”栏。",
                        )
                        with gr.Row(elem_id="ask-row"):
                            question = gr.Textbox(placeholder=PLACEHOLDER, show_label=False, elem_id="question",
                                                  scale=6, lines=1, max_lines=4, submit_btn=False)
                            send = gr.Button("提问", variant="primary", elem_id="send", scale=1, min_width=80)
                            new_chat = gr.Button("新对话", elem_id="new-chat", scale=1, min_width=80)
                        chat_status = gr.Markdown(elem_id="chat-status")
                        examples = gr.Dataset(components=[question], samples=[], label="示例问题(点击即问)",
                                              elem_id="examples")
                    with gr.Column(scale=2, elem_id="chat-side"):
                        gr.Markdown("### 来源", elem_id="sources-heading")
                        sources = gr.HTML(render.sources_html(None, {}), elem_id="sources")
                conv = gr.State(cb.Conversation())

            # --- 会议纪要 -------------------------------------------------------------
            with gr.Tab("会议纪要", id="summaries", elem_id="tab-summaries") as summaries_tab:
                meetings = gr.Dataframe(label="全部会议(点选一行查看纪要)", interactive=False, wrap=True,
                                        elem_id="meetings", column_widths=MEETING_COLUMNS, max_height=2000,
                                        buttons=["fullscreen"])
                meeting_ids = gr.State([])
                with gr.Row():
                    meeting = gr.Dropdown(label="会议", choices=[], elem_id="meeting", scale=3)
                    summary_engine = gr.Radio(
                        label="纪要引擎",
                        choices=[("规则抽取", "rules")] + ([("大模型", "llm")] if settings.llm_configured else []),
                        value="rules", elem_id="summary-engine", scale=1,
                    )
                with gr.Row():
                    dl_json = gr.DownloadButton("下载 JSON", visible=False, elem_id="dl-json", size="sm")
                    dl_md = gr.DownloadButton("下载 Markdown", visible=False, elem_id="dl-md", size="sm")
                    dl_docx = gr.DownloadButton("下载 Word", visible=False, elem_id="dl-docx", size="sm")
                summary_status = gr.Markdown(elem_id="summary-status")
                summary = gr.HTML(render.message_html("请选择一个会议。"), elem_id="summary")

            # --- 文档管理 -------------------------------------------------------------
            with gr.Tab("文档管理", id="documents", elem_id="tab-documents"):
                upload = gr.File(label=f"上传会议材料(可多选;支持 {' '.join(SUPPORTED)};"
                                 f"每个文件不超过 {upload_limit_mb(settings):g} MB)",
                                 file_count="multiple", file_types=list(SUPPORTED), elem_id="upload")
                ingest_btn = gr.Button("导入", variant="primary", elem_id="ingest")
                ingest_status = gr.Markdown(elem_id="ingest-status")
                ingest_results = gr.HTML(elem_id="ingest-results", visible=False)  # until a first import
                docs_table = gr.HTML(elem_id="docs")
                with gr.Row():
                    to_remove = gr.Dropdown(label="选择要删除的文档", choices=[], elem_id="remove-choice", scale=3)
                    remove_btn = gr.Button("删除所选文档", variant="stop", elem_id="remove", scale=1)
                remove_status = gr.Markdown(elem_id="remove-status")

            # --- 评测 -------------------------------------------------------------------
            with gr.Tab("评测", id="evaluation", elem_id="tab-evaluation"):
                gr.Markdown("用题集检验回答质量:检索命中、回答正确率、拒答、忠实度和引用,"
                            "并与未经处理的 LangChain 基线对比。内置题集(124 题)约需一分钟。")
                with gr.Row():
                    dataset_choice = gr.Radio(label="题集", elem_id="dataset-choice", value="bundled",
                                              choices=[("内置题集(seeds.jsonl)", "bundled"),
                                                       ("保留测试集(heldout.jsonl, 40 题)", "heldout"),
                                                       ("上传的 JSONL 题集", "upload")])
                    dataset_file = gr.File(label="JSONL 题集", file_types=[".jsonl"], elem_id="dataset-file")
                    with_baseline = gr.Checkbox(label="同时评测基线(更慢)", value=True, elem_id="baseline")
                run_eval_btn = gr.Button("运行评测", variant="primary", elem_id="run-eval")
                eval_status = gr.Markdown(elem_id="eval-status")
                eval_table = gr.HTML(elem_id="eval-metrics")
                eval_chart = gr.HTML(elem_id="eval-chart")
                eval_files = gr.File(label="报告文件", file_count="multiple", interactive=False,
                                     elem_id="eval-files")

        # --- wiring: chat ------------------------------------------------------------
        def on_ask(q: str, doc: str, eng_name: str, state: cb.Conversation) -> Iterator[tuple]:
            for view in cb.ask(eng, q, doc, eng_name, state):
                yield (
                    view.messages, view.sources, view.conversation, _status(view.status, view.error),
                    "" if view.clear_input else gr.update(),
                )

        chat_outputs = [chatbot, sources, conv, chat_status, question]
        ask_args: dict[str, Any] = dict(concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer",
                                        api_visibility="undocumented")
        question.submit(on_ask, [question, scope, engine, conv], chat_outputs, **ask_args)
        send.click(on_ask, [question, scope, engine, conv], chat_outputs, **ask_args)
        examples.click(lambda sample: sample[0], [examples], [question], api_visibility="private").then(
            on_ask, [question, scope, engine, conv], chat_outputs, **ask_args)

        def on_new() -> tuple:
            view = cb.new_conversation()
            return view.messages, view.sources, view.conversation, _status(view.status), ""

        new_chat.click(on_new, None, chat_outputs, api_visibility="private")

        def api_ask(question: str, doc: str = "", engine: str = "") -> dict:
            """Answer one question (no conversation): the answer, citations and engine as JSON."""
            return cb.ask_json(eng, question, doc or None, engine or None)

        gr.api(api_ask, api_name="ask", concurrency_limit=ANSWER_CONCURRENCY, concurrency_id="answer")

        # --- wiring: summaries ------------------------------------------------------------
        def on_meetings(engine_name: str = "rules") -> tuple:
            t = cb.meetings_table(eng, engine_name or "rules")
            choices = [(row[1] or doc_id, doc_id) for row, doc_id in zip(t.rows, t.doc_ids, strict=True)]
            return _table(t.headers, t.rows), t.doc_ids, gr.update(choices=choices), _status(t.message)

        meetings_outputs = [meetings, meeting_ids, meeting, summary_status]
        summaries_tab.select(on_meetings, [summary_engine], meetings_outputs, api_visibility="private")

        def on_pick(ids: list[str], evt: gr.SelectData) -> Any:
            row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
            return ids[row] if isinstance(row, int) and 0 <= row < len(ids) else gr.update()

        meetings.select(on_pick, [meeting_ids], [meeting], api_visibility="private")

        def on_summary(doc_id: str | None, engine_name: str) -> tuple:
            view = cb.summary_view(eng, doc_id, engine_name or "rules")
            buttons = [gr.update(value=str(view.files[k]), visible=True) if k in view.files
                       else gr.update(visible=False) for k in ("json", "md", "docx")]
            return (view.html, _status(view.message, view.error), *buttons)

        summary_outputs = [summary, summary_status, dl_json, dl_md, dl_docx]
        meeting.change(on_summary, [meeting, summary_engine], summary_outputs, api_visibility="private")
        summary_engine.change(on_summary, [meeting, summary_engine], summary_outputs, api_visibility="private")

        # --- wiring: documents --------------------------------------------------------------
        def refresh() -> tuple:
            docs = cb.doc_choices(eng)
            rows = cb.documents_rows(eng)
            return (
                gr.update(choices=docs),
                gr.Dataset(samples=[[q] for q in cb.example_questions(eng)]),
                render.table_html("已导入的文档", cb.DOCS_HEADERS, rows, "还没有文档:请在上方上传会议材料。",
                                  narrow_hidden=(4, 5)),
                gr.update(choices=docs[1:], value=None),
                *on_meetings(),
            )

        refresh_outputs = [scope, examples, docs_table, to_remove, *meetings_outputs]

        # Gradio finds progress trackers by their default value: the call is the documented form.
        def on_ingest(files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple:  # noqa: B008
            view = cb.ingest_uploads(eng, files, progress=lambda f, d: progress(f, desc=d))
            table = gr.update(value=render.table_html("导入结果", cb.INGEST_HEADERS, view.rows), visible=bool(view.rows))
            return table, _status(view.message, view.error), None

        ingest_btn.click(on_ingest, [upload], [ingest_results, ingest_status, upload],
                         concurrency_id="write", concurrency_limit=1, api_visibility="private").then(
            refresh, None, refresh_outputs, api_visibility="private")

        def on_remove(doc_id: str | None) -> str:
            message, error = cb.remove_doc(eng, doc_id)
            return _status(message, error)

        remove_btn.click(on_remove, [to_remove], [remove_status], concurrency_id="write",
                         concurrency_limit=1, api_visibility="private").then(
            refresh, None, refresh_outputs, api_visibility="private")

        # --- wiring: evaluation ----------------------------------------------------------------
        def show_eval(view: cb.EvalView) -> tuple:
            return (
                _status(view.message, view.error),
                render.table_html("指标", cb.EVAL_HEADERS, view.rows),
                view.chart,
                [str(f) for f in view.files] or None,
            )

        def on_eval(choice: str, file: str | None, baseline: bool,
                    progress: gr.Progress = gr.Progress(track_tqdm=True)) -> Iterator[tuple]:  # noqa: B008
            if choice == "upload" and not file:
                yield show_eval(cb.EvalView("请先上传 JSONL 题集,或选择内置题集。", error=True))
                return
            # Replace the last run's status (or an earlier warning) while this one runs.
            yield "正在评测…", gr.update(), gr.update(), gr.update()
            dataset = file if choice == "upload" else cb.bundled_dataset(choice)
            view = cb.run_evaluation(eng, dataset, baseline=baseline,
                                     progress=lambda f, d: progress(f, desc=d))
            yield show_eval(view)

        eval_outputs = [eval_status, eval_table, eval_chart, eval_files]
        run_eval_btn.click(on_eval, [dataset_choice, dataset_file, with_baseline], eval_outputs,
                           concurrency_id="eval", concurrency_limit=1, api_visibility="private")

        app.load(lambda: (*refresh(), *show_eval(cb.last_evaluation(eng))), None,
                 refresh_outputs + eval_outputs, api_visibility="private")
    return app


def launch_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``Blocks.launch``: binding, auth, safety, look.

    Raises ``SettingsError`` rather than serve beyond this machine without a login,
    even for a ``Settings`` built without validation (``model_copy``)."""
    from starlette.middleware import Middleware

    user, password = settings.auth_user, settings.auth_password
    if (user is not None or password is not None) and not ((user or "").strip() and (password or "").strip()):
        raise SettingsError("MEETRAG_AUTH_USER and MEETRAG_AUTH_PASSWORD must both be set and not empty, "
                            "or both unset")
    if user is None and settings.host not in LOOPBACK_HOSTS:
        raise SettingsError(f"host {settings.host!r} exposes the app beyond this machine: set "
                            "MEETRAG_AUTH_USER and MEETRAG_AUTH_PASSWORD, or bind 127.0.0.1")
    auth = password_check(user, password) if user is not None and password is not None else None
    # Starlette runs these inside Gradio's own middlewares (CORS, compression), before any route.
    middleware = [Middleware(HostCheck, bound=settings.host, port=settings.port, extra=settings.allowed_hosts)]
    if auth:
        middleware.append(Middleware(LoginLimiter))
    exports = settings.home / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    settings.reports_dir.mkdir(parents=True, exist_ok=True)
    return dict(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        auth_message="请输入 meetrag 的用户名和密码" if auth else None,
        share=False,
        show_error=False,  # user errors arrive as messages; bugs never show a traceback
        max_file_size=f"{upload_limit_mb(settings):g}mb",
        allowed_paths=[str(exports), str(settings.reports_dir)],
        ssr_mode=False,
        mcp_server=False,
        css=render.CSS,
        theme=gr.themes.Soft(),
        i18n=gr.I18n(**{locale: GRADIO_WORDING for locale in ("zh-CN", "zh")}),
        footer_links=["api"],
        app_kwargs={"middleware": middleware},
    )
