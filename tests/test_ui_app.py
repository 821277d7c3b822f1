"""The Gradio layout and the `meetrag serve` command, checked without launching a server."""

from __future__ import annotations

import argparse

import pytest

from rag.cli import build_parser
from rag.errors import SettingsError
from rag.settings import load_settings
from ui import command
from ui.app import build_app, launch_options


@pytest.fixture
def settings(tmp_path):
    return load_settings(environ={}, home=tmp_path / "home")


def test_build_app_has_the_four_tabs_and_the_ask_api(settings):
    import gradio as gr

    app = build_app(settings)  # Engines are lazy: nothing is loaded here
    assert isinstance(app, gr.Blocks)
    config = app.get_config_file()
    ids = {c.get("props", {}).get("elem_id") for c in config["components"]}
    assert {"tab-chat", "tab-summaries", "tab-documents", "tab-evaluation", "question", "chatbot",
            "sources", "scope", "engine", "new-chat", "meetings", "summary", "upload", "docs",
            "run-eval", "eval-metrics"} <= ids
    # render.CSS orders these on a phone: the 来源 of an answer right under the chat.
    assert {"chat-layout", "chat-main", "chat-side", "chat-options", "sources-heading", "ask-row",
            "chat-status", "examples"} <= ids
    api_names = {d.get("api_name") for d in config["dependencies"]}
    assert "ask" in api_names


def test_engine_switch_offers_llm_only_when_configured(settings):
    def engine_choices(s):
        config = build_app(s).get_config_file()
        radio = next(c for c in config["components"] if c.get("props", {}).get("elem_id") == "engine")
        return [value for _, value in radio["props"]["choices"]]

    assert engine_choices(settings) == ["extractive"]
    assert engine_choices(settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})) == [
        "extractive", "llm"]


def test_launch_options_bind_loopback_hide_errors_and_never_share(settings):
    opts = launch_options(settings)
    assert opts["server_name"] == "127.0.0.1" and opts["server_port"] == 7860
    assert opts["show_error"] is False and opts["share"] is False and opts["auth"] is None
    assert opts["max_file_size"] == "20mb"
    assert opts["i18n"] is not None  # Gradio's Chinese lacks the chat's copy button
    assert str(settings.home / "exports") in opts["allowed_paths"]


def test_launch_options_pass_auth_when_set(tmp_path):
    s = load_settings(environ={"MEETRAG_AUTH_USER": "staff", "MEETRAG_AUTH_PASSWORD": "s3cret"},
                      home=tmp_path, host="0.0.0.0")
    opts = launch_options(s)
    assert opts["auth"]("staff", "s3cret") and not opts["auth"]("staff", "s3cre")
    assert opts["server_name"] == "0.0.0.0"


@pytest.mark.parametrize(
    "update",
    [
        {"host": "0.0.0.0"},
        {"host": "0.0.0.0", "auth_user": "staff", "auth_password": ""},
        {"host": "0.0.0.0", "auth_user": " ", "auth_password": "s3cret"},
        {"auth_user": "staff", "auth_password": ""},
        {"auth_user": "staff"},
    ],
)
def test_launch_options_never_serve_without_a_login_that_works(settings, update):
    # model_copy skips validation: launch_options checks again rather than drop the login.
    with pytest.raises(SettingsError, match="MEETRAG_AUTH_USER"):
        launch_options(settings.model_copy(update=update))


def test_serve_is_a_cli_command_with_its_options():
    args = build_parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "7999", "--no-warm"])
    assert args._module is command
    assert (args.host, args.port, args.no_warm, args.open) == ("127.0.0.1", 7999, True, False)


def test_with_overrides_refuses_a_public_host_without_auth(settings):
    with pytest.raises(SettingsError, match="exposes the app beyond this machine"):
        command.with_overrides(settings, "0.0.0.0", None)
    assert command.with_overrides(settings, None, 8001).port == 8001
    assert command.with_overrides(settings, None, None) is settings


def test_run_refuses_a_bad_port_before_loading_anything(settings):
    args = argparse.Namespace(host=None, port=70000, no_warm=True, open=False)
    with pytest.raises(SettingsError, match="less than or equal to 65535"):
        command.run(args, settings)


def test_every_label_of_the_page_is_chinese(settings):
    from ui.messages import untranslated

    config = build_app(settings).get_config_file()
    texts = [str(c.get("props", {}).get(key) or "") for c in config["components"]
             for key in ("label", "info", "placeholder", "value")]
    assert [t for t in texts if untranslated(t)] == []


@pytest.mark.parametrize(
    ("env", "limit", "setting"),
    [
        ({}, "20", "MEETRAG_MAX_UPLOAD_MB"),
        ({"MEETRAG_MAX_UPLOAD_MB": "100"}, "50", "MEETRAG_MAX_FILE_MB"),  # the loaders refuse more anyway
        ({"MEETRAG_MAX_FILE_MB": "5"}, "5", "MEETRAG_MAX_FILE_MB"),
    ],
)
def test_the_page_states_the_upload_limit_that_holds(tmp_path, env, limit, setting):
    from ui.uploads import check_upload

    s = load_settings(environ=env, home=tmp_path / "home")
    config = build_app(s).get_config_file()
    upload = next(c for c in config["components"] if c.get("props", {}).get("elem_id") == "upload")
    assert f"每个文件不超过 {limit} MB" in upload["props"]["label"]
    assert launch_options(s)["max_file_size"] == f"{limit}mb"
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (int(limit) * 1024 * 1024 + 1))
    assert check_upload(big, "big.txt", s) == f"文件大小 {int(limit):.1f} MB,超过上限 {limit} MB(可用 {setting} 调整)"
