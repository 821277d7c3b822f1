import pytest

from rag.errors import SettingsError
from rag.settings import load_settings


def test_defaults_and_derived_paths(tmp_path):
    s = load_settings(environ={}, home=tmp_path)
    assert s.home == tmp_path and s.db_path == tmp_path / "index.sqlite"
    assert s.chroma_url is None and not s.llm_configured
    assert s.host == "127.0.0.1"


def test_environment_and_openai_variables(tmp_path):
    env = {
        "MEETRAG_HOME": str(tmp_path),
        "MEETRAG_TOP_K": "9",
        "MEETRAG_CHROMA_URL": "http://127.0.0.1:8000",
        "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1",
        "OPENAI_API_KEY": "sk-test",
        "UNRELATED": "x",
    }
    s = load_settings(environ=env)
    assert s.top_k == 9 and s.chroma_url == "http://127.0.0.1:8000"
    assert s.llm_base_url == "http://127.0.0.1:11434/v1" and s.llm_api_key == "sk-test" and s.llm_configured
    # MEETRAG_* wins over the OpenAI client's own variable.
    s2 = load_settings(environ={**env, "MEETRAG_LLM_BASE_URL": "http://h:1/v1"})
    assert s2.llm_base_url == "http://h:1/v1"


def test_config_file_below_environment(tmp_path):
    (tmp_path / "config.toml").write_text('top_k = 4\nchunk_tokens = 200\n', encoding="utf-8")
    s = load_settings(environ={"MEETRAG_TOP_K": "7"}, home=tmp_path)
    assert s.chunk_tokens == 200 and s.top_k == 7


@pytest.mark.parametrize(
    "overrides, match",
    [
        ({"chunk_tokens": 100, "chunk_overlap_tokens": 100}, "must be smaller than chunk_tokens"),
        ({"host": "0.0.0.0"}, "MEETRAG_AUTH_USER"),
        ({"auth_user": "a"}, "set both auth_user and auth_password"),
        ({"top_k": 0}, "top_k"),
        ({"collection": "ab"}, "collection"),
    ],
)
def test_invalid_settings_say_what_to_fix(tmp_path, overrides, match):
    with pytest.raises(SettingsError, match=match):
        load_settings(environ={}, home=tmp_path, **overrides)


@pytest.mark.parametrize(
    ("env", "match"),
    [
        ({"MEETRAG_AUTH_USER": "staff", "MEETRAG_AUTH_PASSWORD": ""},
         "MEETRAG_AUTH_PASSWORD is empty: set a password or unset both MEETRAG_AUTH_USER and MEETRAG_AUTH_PASSWORD"),
        ({"MEETRAG_AUTH_USER": "staff", "MEETRAG_AUTH_PASSWORD": "  "}, "MEETRAG_AUTH_PASSWORD is empty"),
        ({"MEETRAG_AUTH_USER": "", "MEETRAG_AUTH_PASSWORD": "s3cret"}, "MEETRAG_AUTH_USER is empty: set a user name"),
        ({"MEETRAG_AUTH_USER": "", "MEETRAG_AUTH_PASSWORD": ""}, "MEETRAG_AUTH_USER is empty"),
        ({"MEETRAG_AUTH_PASSWORD": ""}, "MEETRAG_AUTH_PASSWORD is empty"),
    ],
)
@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_an_empty_login_is_refused_not_switched_off(tmp_path, env, match, host):
    with pytest.raises(SettingsError, match=match):
        load_settings(environ={**env, "MEETRAG_HOST": host}, home=tmp_path)


def test_allowed_hosts_from_the_environment_or_the_config_file(tmp_path):
    s = load_settings(environ={"MEETRAG_ALLOWED_HOSTS": " Meet.Example.org, 192.168.1.5:7860,"}, home=tmp_path)
    assert s.allowed_hosts == ("meet.example.org", "192.168.1.5:7860")
    (tmp_path / "config.toml").write_text('allowed_hosts = ["lan-box"]\n', encoding="utf-8")
    assert load_settings(environ={}, home=tmp_path).allowed_hosts == ("lan-box",)
    assert load_settings(environ={}, home=tmp_path / "new").allowed_hosts == ()


def test_broken_config_file_names_itself(tmp_path):
    (tmp_path / "config.toml").write_text("top_k = [", encoding="utf-8")
    with pytest.raises(SettingsError, match="config.toml is not valid TOML"):
        load_settings(environ={}, home=tmp_path)


def test_settings_are_frozen(tmp_path):
    s = load_settings(environ={}, home=tmp_path)
    with pytest.raises(Exception, match="frozen"):
        s.top_k = 3  # type: ignore[misc]
