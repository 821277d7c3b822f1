"""Faults of the environment are one line naming the fix and exit 1, never
"internal error … report it" (exit 70): a damaged index file; a data directory
that is read-only, unreadable or a file; a config.toml saved as GBK or with a
BOM; a question that is not UTF-8; a busy port for ``meetrag serve``.

Permissions do not bind root, so when the tests run as root the console script
runs without the capabilities that override them (CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH) for those cases: still root, but held to the file modes.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import socket
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SEEDS, make_settings
from test_reliability_cli import MEETRAG, clean_env

from rag.errors import SettingsError
from rag.settings import load_settings

pytestmark = pytest.mark.slow
FILES = [SEEDS / "000_1e9d919d8109f11d.txt", SEEDS / "001_22e3048d9cfc27bc.txt"]
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def unprivileged() -> Callable[[], None] | None:
    """A ``preexec_fn`` under which file permissions bind root too: the capabilities
    that override them leave the bounding set, so the program run has none."""
    if os.geteuid() != 0:
        return None

    def drop() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return drop


def run(home: Path, *args: str | bytes, as_user: bool = False, timeout: float = 300,
        **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MEETRAG), "--home", str(home), *args], capture_output=True, text=True, timeout=timeout,
        env=clean_env(**env), cwd=home.parent, preexec_fn=unprivileged() if as_user else None,
    )


def one_error(proc: subprocess.CompletedProcess[str], pattern: str) -> str:
    """The run failed with exit 1 and exactly one ``meetrag: error:`` line matching ``pattern``."""
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr[-2000:]
    errors = [x for x in proc.stderr.splitlines() if x.startswith("meetrag: error:")]
    assert len(errors) == 1, proc.stderr[-2000:]
    assert re.search(pattern, errors[0]), errors[0]
    return errors[0]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("faults")
    yield path
    for p in [path, *path.rglob("*")]:  # removable again by a user that is not root
        p.chmod(p.stat().st_mode | stat.S_IRWXU)


@pytest.fixture(scope="module")
def built(base) -> Path:
    """A real index (real model, embedded Chroma) of two seed documents."""
    home = base / "built"
    proc = run(home, "ingest", *map(str, FILES))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return home


def copy_of(built: Path, name: str) -> Path:
    home = built.parent / name
    shutil.copytree(built, home)
    return home


def test_truncated_index_names_the_repair_and_the_repair_rebuilds_it(built):
    home = copy_of(built, "truncated")
    db = home / "index.sqlite"
    with db.open("r+b") as f:
        f.truncate(db.stat().st_size // 3)
    damaged = (rf"^meetrag: error: the index at {re.escape(str(db))} is damaged \(.+\): run `meetrag docs check "
               rf"--repair`, or delete {re.escape(str(db))} and re-ingest your documents$")
    one_error(run(home, "docs", "list"), damaged)
    one_error(run(home, "ask", "座谈会由谁主持?"), damaged)
    one_error(run(home, "docs", "check"), damaged)

    repair = run(home, "docs", "check", "--repair")
    assert repair.returncode == 0, repair.stderr[-2000:]
    assert "moved the damaged index to" in repair.stdout
    assert list(home.glob("index.sqlite.damaged-*"))  # kept, not deleted
    listing = run(home, "docs", "list", "--json")
    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 2
    check = run(home, "docs", "check")
    assert check.returncode == 0 and "ok:" in check.stdout, check.stdout + check.stderr
    ask = run(home, "ask", "座谈会由谁主持?")
    assert ask.returncode == 0 and "刘玉杰" in ask.stdout


def test_read_only_home_lists_and_names_the_fix_for_the_rest(built):
    home = copy_of(built, "read-only")
    for p in [home, *home.rglob("*")]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    listing = run(home, "docs", "list", "--json", as_user=True)
    assert listing.returncode == 0, listing.stderr[-2000:]
    assert len(listing.stdout.splitlines()) == 2
    assert run(home, "docs", "check", as_user=True).returncode == 1  # it cannot open the vectors either

    one_error(run(home, "ask", "座谈会由谁主持?", as_user=True),
              rf"is read-only.*make it writable \(`chmod -R u\+w {re.escape(str(home))}`\)")
    write = rf"cannot write to the data directory {re.escape(str(home))} \(permission denied\): fix its permissions"
    one_error(run(home, "ingest", str(SEEDS / "002_41ec3728fe3387ef.txt"), as_user=True), write)
    one_error(run(home, "docs", "remove", "000_1e9d919d8109f11d.txt", as_user=True), write)


def test_unreadable_home_names_the_fix(built):
    home = copy_of(built, "unreadable")
    home.chmod(0)
    pattern = rf"cannot read the data directory {re.escape(str(home))} \(permission denied\): fix its permissions"
    one_error(run(home, "docs", "list", as_user=True), pattern)
    one_error(run(home, "ask", "座谈会由谁主持?", as_user=True), pattern)


def test_home_that_is_a_file_names_the_fix(base):
    home = base / "a-file"
    home.write_text("not a folder")
    for args in (("docs", "list"), ("ingest", str(FILES[0]))):
        one_error(run(home, *args), rf"the data directory {re.escape(str(home))} is a file, not a folder")


def test_config_in_gbk_names_the_fix_and_a_bom_is_accepted(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    config = home / "config.toml"
    config.write_bytes("# 检索段落数\ntop_k = 3\n".encode("gbk"))
    with pytest.raises(SettingsError, match=r"config\.toml is not UTF-8 text \(byte 0x.. at position 2; saved "
                                            r"as GBK\?\): save it as UTF-8, e\.g\. `iconv -f GB18030 -t UTF-8"):
        load_settings(environ={}, home=home)
    config.write_bytes("\ufeff# 检索段落数\ntop_k = 3\n".encode())
    assert load_settings(environ={}, home=home).top_k == 3


def test_question_that_is_not_utf8_names_the_fix(built):
    proc = subprocess.run(
        [str(MEETRAG), "--home", str(built), "ask", "座谈会由谁主持?".encode("gbk")],
        capture_output=True, text=True, timeout=300, env=clean_env(), cwd=built.parent,
    )
    # 座 is D7 F9 in GBK (谈, CC B8, happens to be valid UTF-8: U+0338).
    one_error(proc, r"the question is not UTF-8 text \(bytes 0xd7 0xf9 [0-9a-fx ]+; is the terminal set "
                    r"to GBK\?\): switch the terminal to UTF-8")


def test_busy_port_for_serve_names_the_port_option(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = run(tmp_path / "home", "serve", "--no-warm", "--port", str(port), timeout=180)
    line = one_error(proc, rf"port {port} on 127\.0\.0\.1 is already in use")
    assert re.search(r"`meetrag serve --port \d+`", line) and "GRADIO_SERVER_PORT" not in proc.stderr


def test_store_errors_in_the_library_are_meetrag_errors(tmp_path):
    """The app shows ``MeetragError`` messages: a damaged file must be one there too."""
    from rag.errors import IndexDamagedError
    from rag.store import DocStore

    settings = make_settings(tmp_path / "home")
    settings.home.mkdir()
    settings.db_path.write_bytes(b"this is not an SQLite database, but a text file" * 100)
    with pytest.raises(IndexDamagedError, match=r"is damaged \(file is not a database\)"):
        DocStore(settings)
