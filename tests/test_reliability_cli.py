"""The real ``meetrag`` console script, run as a user runs it: bad files are one
``failed:`` line each, never a traceback; the index survives a restart and gives
the same answers in a new process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from test_loading import BAD_FILES

MEETRAG = ROOT / ".venv" / "bin" / "meetrag"
GOOD = ("000_1e9d919d8109f11d", "001_22e3048d9cfc27bc")
BAD = ("empty.txt", "image.txt", "controls.txt", "undecodable.txt", "not-a-zip.docx", "garbage.pdf", "no-text.pdf")

pytestmark = pytest.mark.slow


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any MEETRAG_/OPENAI_ setting, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MEETRAG_", "OPENAI_")) or k == "MEETRAG_MODEL_CACHE_DIR"  # a cache, not a setting
    }
    env.update({"OMP_WAIT_POLICY": "PASSIVE", "TOKENIZERS_PARALLELISM": "false", **extra})
    return env


def meetrag(home: Path, *args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MEETRAG), "--home", str(home), *args],
        capture_output=True, text=True, timeout=timeout, env=clean_env(**env), cwd=home.parent,
    )


def stderr_lines(err: str) -> list[str]:
    """stderr split on both kinds of line end (tqdm redraws with CR)."""
    return [x.strip() for x in re.split(r"[\r\n]", err) if x.strip()]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """A folder of two good and nine bad files, ingested once by the console script."""
    base = tmp_path_factory.mktemp("cli")
    folder = base / "会议 材料"  # a space and CJK in the path
    folder.mkdir()
    for stem in GOOD:
        (folder / f"{stem}.txt").write_bytes((SEEDS / f"{stem}.txt").read_bytes())
    for name in BAD:
        (folder / name).write_bytes(BAD_FILES[name][0])
    (folder / "big.txt").write_bytes("会议纪要。".encode() * 5000)  # 75 KB, over the 0.05 MB limit below
    (folder / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    home = base / "home"
    run = meetrag(home, "ingest", str(folder), MEETRAG_MAX_FILE_MB="0.05")
    return home, folder, run


def test_cli_ingest_reports_each_bad_file_once_and_indexes_the_good(ingested):
    home, folder, run = ingested
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    failed = [x for x in stderr_lines(run.stderr) if x.startswith("failed:")]
    bad_names = sorted((*BAD, "big.txt", "cut.pdf"))
    assert [x.split(": ")[1] for x in failed] == [str(folder / n) for n in bad_names]
    for line in failed:  # "failed: PATH: reason", the reason a short plain sentence
        assert re.fullmatch(r"failed: .+?: [^\n]{5,200}", line), line
    assert any("over the 0.05 MB limit (MEETRAG_MAX_FILE_MB)" in x for x in failed)
    assert not [x for x in stderr_lines(run.stderr) if "EOF marker" in x or "WARNING" in x]
    assert re.match(r"2 documents indexed \(2 added, 0 replaced\), \d+ chunks; 0 unchanged; 9 failed", run.stdout)
    listing = meetrag(home, "docs", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert sorted(Path(r["source"]).name for r in rows) == [f"{s}.txt" for s in GOOD]


def test_cli_reingest_changes_nothing_and_still_reports_failures(ingested):
    home, folder, _ = ingested
    run = meetrag(home, "ingest", "--json", str(folder), MEETRAG_MAX_FILE_MB="0.05")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    assert (report["added"], report["replaced"], report["unchanged"], report["failed"]) == (0, 0, 2, 9)
    assert len([x for x in stderr_lines(run.stderr) if x.startswith("failed:")]) == 9


def test_answers_are_the_same_after_a_restart(ingested):
    """Each ``meetrag ask`` is a new process that reopens the index from disk."""
    home, _, _ = ingested
    answers = []
    for _ in range(2):
        run = meetrag(home, "ask", "--json", "座谈会由谁主持?")
        assert run.returncode == 0, run.stderr[-2000:]
        a = json.loads(run.stdout)
        answers.append((a["answer"], a["refused"], a["citations"]))
    assert answers[0] == answers[1]
    assert "刘玉杰" in answers[0][0] and answers[0][2], answers[0]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", r"the question is empty"),
        ("问" * 10_000, r"the question has 10000 characters; the limit is 500"),
        ("?!。😀", r"no words in it"),
    ],
)
def test_cli_bad_question_is_one_error_line(ingested, question, message):
    home, _, _ = ingested
    run = meetrag(home, "ask", question)
    assert run.returncode == 1 and run.stdout == ""
    assert re.fullmatch(rf"meetrag: error: .*{message}.*\n", run.stderr), run.stderr


def test_cli_ask_on_an_empty_index_says_what_to_do(tmp_path):
    run = meetrag(tmp_path / "home", "ask", "座谈会由谁主持?")
    assert run.returncode == 1
    assert run.stderr == "meetrag: error: the index is empty: run `meetrag ingest seeds/` (or your folder) first\n"
