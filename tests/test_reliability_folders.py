"""Folders, file names, progress output, settings and HTML: what used to go wrong quietly.

* an unreadable subfolder, a FIFO or a link leading out of the folder was skipped
  with no line (and ``/etc/passwd`` got indexed through a link); an unreadable
  folder given by name reported "0 failed" and exit 0;
* a file name with a newline split its ``failed:`` line in two;
* the progress bar wrote ~34 KB of ``\\r`` redraws into a log;
* ``MEETRAG_TOPK`` (for MEETRAG_TOP_K) was ignored without a word;
* HTML character references were decoded twice (``&amp;lt;`` became ``<``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEEDS
from test_reliability_cli import MEETRAG, clean_env, meetrag
from test_reliability_faults import unprivileged

from rag.loading import html_to_text, load_text
from rag.settings import load_settings

# ``walk`` in a process held to file permissions (see ``unprivileged``), as JSON lines.
WALK = r"""
import json, sys
from pathlib import Path
from rag.loading import Skipped, walk
for item in walk(sys.argv[1:]):
    if isinstance(item, Skipped):
        print(json.dumps({"skipped": str(item.path), "reason": item.reason, "failed": item.failed}))
    else:
        print(json.dumps({"file": str(item)}))
"""


def walk_unprivileged(*paths: Path) -> list[dict]:
    proc = subprocess.run([sys.executable, "-c", WALK, *map(str, paths)], capture_output=True, text=True,
                          timeout=60, preexec_fn=unprivileged())
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [json.loads(x) for x in proc.stdout.splitlines()]


@pytest.fixture
def messy(tmp_path) -> Path:
    """A folder holding one good file and each kind of thing that is not indexed."""
    folder = tmp_path / "材料"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes((SEEDS / "000_1e9d919d8109f11d.txt").read_bytes())
    (folder / "sub" / "b.txt").write_text("会议纪要。", encoding="utf-8")
    (folder / "sub").chmod(0)
    os.mkfifo(folder / "pipe.txt")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc")
    (folder / "same.txt").symlink_to(folder / "a.txt")  # inside the folder: followed
    (folder / "broken.txt").symlink_to(folder / "nowhere.txt")
    (folder / "bad\nname.txt").write_bytes(b"")  # fails: empty
    yield folder
    (folder / "sub").chmod(0o755)


def test_walk_reports_what_a_folder_holds_but_is_not_indexed(messy):
    got = walk_unprivileged(messy)
    assert got == [
        {"file": str(messy / "a.txt")},
        {"file": str(messy / "bad\nname.txt")},
        {"skipped": str(messy / "broken.txt"), "reason": "a broken symbolic link", "failed": False},
        {"skipped": str(messy / "etc"), "reason": f"a symbolic link to /etc, outside {messy}: not followed",
         "failed": False},
        {"skipped": str(messy / "passwd.txt"),
         "reason": f"a symbolic link to {os.path.realpath('/etc/passwd')}, outside {messy}: not followed",
         "failed": False},
        {"skipped": str(messy / "pipe.txt"), "reason": "a named pipe (FIFO), not a regular file", "failed": False},
        {"file": str(messy / "same.txt")},
        {"skipped": str(messy / "sub"), "reason": "cannot read the folder (Permission denied): fix its permissions "
                                                   "(`chmod u+rx`), or move the files out of it", "failed": True},
    ]


def test_unreadable_folder_given_by_name_fails(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "a.txt").write_text("会议纪要。", encoding="utf-8")
    folder.chmod(0)
    try:
        got = walk_unprivileged(folder)
    finally:
        folder.chmod(0o755)
    assert [(g.get("skipped"), g["failed"]) for g in got] == [(str(folder), True)]


@pytest.mark.slow
def test_cli_ingest_of_a_messy_folder_says_a_line_for_each_thing_left_out(messy):
    home = messy.parent / "home"
    gbk_name = os.fsdecode("会议.txt".encode("gbk"))  # a GBK name unzipped on Linux: not UTF-8
    (messy / gbk_name).write_bytes((SEEDS / "001_22e3048d9cfc27bc.txt").read_bytes())
    run = subprocess.run(
        [str(MEETRAG), "--home", str(home), "ingest", str(messy)], capture_output=True, text=True, timeout=300,
        env=clean_env(MEETRAG_TOPK="3"), cwd=messy.parent, preexec_fn=unprivileged(),
    )
    assert run.returncode == 1, run.stderr[-3000:]  # the unreadable subfolder and the empty file
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    lines = run.stderr.splitlines()
    escaped = r"\xbb\xe1\xd2\xe9.txt"
    assert f"failed: {messy}/bad\\nname.txt: the file is empty (no text)" in lines  # one line, newline shown
    assert f"skipped: {messy}/pipe.txt: a named pipe (FIFO), not a regular file" in lines
    assert f"skipped: {messy}/passwd.txt: a symbolic link to /etc/passwd, outside {messy}: not followed" in lines
    assert any(x.startswith(f"failed: {messy}/sub: cannot read the folder (Permission denied)") for x in lines)
    # Not a terminal: one progress line per file, no redrawn bar.
    assert "\r" not in run.stderr
    progress = [x for x in lines if re.match(r"\[\d+/\d+\] ", x)]
    assert progress == [f"[{i}/4] {name}" for i, name in enumerate(["a.txt", "bad\\nname.txt", "same.txt", escaped], 1)]
    assert "meetrag: warning: MEETRAG_TOPK is not a meetrag setting and is ignored (did you mean MEETRAG_TOP_K?)" \
        in lines
    assert re.match(r"2 documents indexed \(2 added, 0 replaced\), \d+ chunks; 1 unchanged; 2 failed; "
                    r"4 skipped \[", run.stdout), run.stdout

    listing = meetrag(home, "docs", "list", "--json")
    sources = sorted(json.loads(x)["source"] for x in listing.stdout.splitlines())
    assert sources == sorted([str(messy / "a.txt"), str(messy / escaped)])  # no /etc/passwd


def test_mistyped_variable_warns_once_with_the_closest_name(capsys):
    heard: list[str] = []
    settings = load_settings(environ={"MEETRAG_CANDIDATS": "9", "MEETRAG_URL": "http://x"}, warn=heard.append)
    assert settings.candidates == 30  # ignored, as before, but now said
    assert heard == ["MEETRAG_CANDIDATS is not a meetrag setting and is ignored (did you mean MEETRAG_CANDIDATES?)"]
    load_settings(environ={"MEETRAG_CANDIDATS": "9"})
    load_settings(environ={"MEETRAG_CANDIDATS": "9"})
    assert capsys.readouterr().err == ""  # said once per process
    load_settings(environ={"MEETRAG_ZZZZZZ": "1"})
    assert re.fullmatch(r"meetrag: warning: MEETRAG_ZZZZZZ is not a meetrag setting and is ignored "
                        r"\(the settings are MEETRAG_HOME, .*\)\n", capsys.readouterr().err)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>&amp;lt;b&amp;gt; 是标签</p>", "&lt;b&gt; 是标签"),
        ("<p>AT&amp;T 与 &lt;会议&gt;</p>", "AT&T 与 <会议>"),
        ("<p>&amp;amp;</p>", "&amp;"),
        ("<title>A&amp;amp;B</title><p>正文</p>", "A&amp;B\n正文"),
    ],
)
def test_html_entities_are_decoded_once(markup, text, tmp_path):
    assert html_to_text(markup) == text
    path = tmp_path / "page.html"
    path.write_text(markup, encoding="utf-8")
    assert load_text(path) == text
