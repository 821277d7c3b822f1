"""The web app in a real browser, on a desktop and on a phone: ask, read summaries,
upload, evaluate, survive a hostile document, and speak Chinese throughout.

Needs Debian's ``chromium`` and ``node`` (skipped, with the reason, when either is
missing) and ``playwright-core`` installed by ``npm ci`` in ``tests/e2e`` (fails
with the command to run when it is missing). The browser steps live in
``drive.mjs``; this test starts the server, runs them, and checks their report.
Besides its own checks, ``drive.mjs`` fails a step when the page shows three or
more English words in a row (the rule of ``ui.messages.untranslated``).

Screenshots of every tab at 1280 and 390 px go to ``tests/output/screenshots/``
(``1280-1-chat.png``, ``390-1-chat.png``, ...); with ``UPDATE_SCREENSHOT=1`` the
desktop chat screenshot is also copied to ``docs/screenshot.png``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

E2E = Path(__file__).resolve().parent
ROOT = E2E.parents[1]
SHOTS = ROOT / "tests" / "output" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
STEPS = ["loaded", "question-errors", "chat", "follow-up-and-reset", "summaries", "upload", "ask-upload", "xss",
         "remove", "evaluation", "phone", "done"]
TABS = ["1-chat", "1b-refusal", "2-summaries", "3-documents", "5-evaluation"]
SCREENSHOTS = sorted([f"1280-{t}.png" for t in [*TABS, "4-chat-upload"]] + [f"390-{t}.png" for t in TABS])


@pytest.fixture(scope="session")
def browser_tools() -> str:
    """Node's path, once chromium, node and playwright-core are known to be there."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not found at {CHROMIUM}: `apt-get install chromium` (or set CHROMIUM)")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found: `apt-get install nodejs npm`")
    if not (E2E / "node_modules" / "playwright-core").is_dir():
        pytest.fail("playwright-core is not installed: run `npm ci` in tests/e2e (`make browser-deps`)")
    return node


def test_browser_desktop_and_phone_in_chinese(browser_tools, server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    env = {
        **os.environ,
        "MEETRAG_URL": server.url,
        "SHOT_DIR": str(SHOTS),
        "UPLOAD_FILE": str(E2E / "fixtures" / "蓝天社区议事会.txt"),
        "XSS_FILE": str(E2E / "fixtures" / "xss-test.txt"),
        "BROKEN_FILE": str(E2E / "fixtures" / "broken.pdf"),
        "EVAL_FILE": str(E2E / "fixtures" / "mini.jsonl"),
        "CHROMIUM": CHROMIUM,
    }
    run = subprocess.run([browser_tools, "drive.mjs"], cwd=E2E, env=env, capture_output=True, text=True,
                         timeout=900)
    reports = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    detail = (f"\n--- drive.mjs stdout ---\n{run.stdout[-3000:]}\n--- stderr ---\n{run.stderr[-3000:]}"
              f"\n--- server log ---\n{server.log_tail()}\n(screenshots: {SHOTS})")
    assert run.returncode == 0, f"browser run failed{detail}"
    assert [r["step"] for r in reports] == STEPS, detail
    assert all(r["ok"] for r in reports) and reports[-1]["dialogs"] == 0, detail
    shots = sorted(p.name for p in SHOTS.glob("*.png"))
    assert shots == SCREENSHOTS
    errors = next(r for r in reports if r["step"] == "question-errors")
    assert "问题是空的" in errors["empty"] and "没有文字" in errors["symbols"], errors
    assert "问题不能超过 500 字" in errors["long"] and "缩短" in errors["long"], errors
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(SHOTS / "1280-1-chat.png", ROOT / "docs" / "screenshot.png")
