"""A real `meetrag serve` for the end-to-end tests: own data directory, seeds ingested, free loopback port.

The server is started once per test session and stopped at its end; its log is
kept in the data directory and quoted when a test fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
START_TIMEOUT_S = 300


@dataclass
class Server:
    url: str
    home: Path
    log: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def meetrag_command() -> list[str]:
    """The `meetrag` console script of this interpreter's environment, else `python -m rag.cli`."""
    script = Path(sys.executable).with_name("meetrag")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rag.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(home: Path) -> dict[str, str]:
    """This environment without any meetrag/LLM settings, pointed at ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETRAG_", "OPENAI_"))}
    env.update(MEETRAG_HOME=str(home), GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1",
               MEETRAG_EMBEDDING_BACKEND="onnx")  # as tests/conftest.py's make_settings, for the same reason
    return env


def wait_until_up(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"meetrag serve exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise RuntimeError(f"meetrag serve did not answer on {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    home = tmp_path_factory.mktemp("e2e-home")
    env = server_env(home)
    ingest = subprocess.run([*meetrag_command(), "ingest", str(SEEDS)], env=env, capture_output=True,
                            text=True, timeout=600)
    assert ingest.returncode == 0, f"ingesting the seeds failed:\n{ingest.stderr[-2000:]}"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = home / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen([*meetrag_command(), "serve", "--port", str(port)], env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    srv = Server(url, home, log, process)
    try:
        wait_until_up(url, process, START_TIMEOUT_S)
    except RuntimeError as e:
        process.kill()
        pytest.fail(f"{e}\n--- server log ---\n{srv.log_tail()}")
    yield srv
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
