"""Questions: invisible characters do not change the answer, and neither does the
process that answers it.

Zero-width and control characters (pasted from web pages and chat apps) are
removed and the question NFKC-normalised before analysis. And an index with
near-duplicate documents (a meeting filed twice, with one line added) holds many
vectors of exactly equal similarity; Chroma returns such ties in an order that
changes from process to process, so each ``meetrag ask`` could pick other
passages. The retriever breaks every tie by id: two processes with different
PYTHONHASHSEED give the same passages and answers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED_FILES, make_settings
from test_ingest import FAKE, TESTS
from test_reliability_cli import clean_env

from rag.cleaning import normalise_query
from rag.ingest import ingest_paths
from rag.pipeline import Pipeline


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("座\u200b谈\u200b会由谁主持?", "座谈会由谁主持?"),  # zero-width space
        ("\ufeff座谈会由谁主持?", "座谈会由谁主持?"),  # byte-order mark pasted at the start
        ("座\u200c谈\u200d会\u2060由谁主持?", "座谈会由谁主持?"),  # joiners, word joiner
        ("座谈\u00ad会由\u200e谁主持?", "座谈会由谁主持?"),  # soft hyphen, left-to-right mark
        ("座谈会\x07由谁\x1b主持?", "座谈会由谁主持?"),  # control characters
        ("座谈会\t由谁\n主持?", "座谈会由谁主持?"),  # white-space controls: a space, then CJK spacing
        ("座谈会由谁主持？", "座谈会由谁主持?"),  # NFKC: full-width punctuation
        ("ＡＢＣ１２３座谈会", "ABC123座谈会"),  # NFKC: full-width Latin and digits
        ("座談會由誰主持?", "座谈会由谁主持?"),  # script, as before
        ("座谈会\udcff由谁主持?", "座谈会由谁主持?"),  # a lone surrogate (undecodable input)
    ],
)
def test_normalise_query_removes_invisible_characters(raw, normal):
    assert normalise_query(raw) == normal


@pytest.mark.slow
@pytest.mark.parametrize(
    ("question", "marked"),
    [
        ("座谈会由谁主持?", "座\u200b谈\u200b会由谁主持?"),
        # A mark between every character: unremoved, these split every word of the question.
        *[(q, "\u200b".join(q)) for q in ("该区发展了多少家农民合作社?", "四会罗源镇委书记是谁?",
                                          "“一亲三心”活动协调解决了多少个群众“急难盼愁”问题?")],
        ("该区有多少家家庭农场?", "\ufeff该区有多少家\u00ad家庭\u200d农场\x07?"),
    ],
    ids=["zero-width-spaces", "every-character-1", "every-character-2", "every-character-3", "mixed"],
)
def test_invisible_characters_do_not_change_the_answer(seeded, question, marked):
    pipeline = Pipeline(seeded)
    plain, got = pipeline.ask(question), pipeline.ask(marked)
    assert not plain.refused and plain.citations
    assert got.answer == plain.answer
    assert [(c.doc_id, c.start, c.end) for c in got.citations] == [(c.doc_id, c.start, c.end) for c in plain.citations]
    assert [(p.doc_id, p.start, p.end) for p in got.passages] == [(p.doc_id, p.start, p.end) for p in plain.passages]


QUESTIONS = ["座谈会由谁主持?", "“1331”基层党建现场会在哪里召开?", "县委书记是谁?", "会议签到表", "凤埔乡",
             "优秀村党组织书记", "多少名书记出席?", "民富中心"]

ASK = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from conftest import make_settings
from test_ingest import FAKE
from rag.cleaning import normalise_query
from rag.pipeline import Pipeline

settings = make_settings(sys.argv[2], chunk_tokens=64, candidates=5)
pipeline = Pipeline(settings, embeddings=FAKE)
out = []
for q in json.loads(sys.argv[3]):
    answer = pipeline.ask(q)
    dense = pipeline.retriever.dense(normalise_query(q), settings.candidates, None)
    out.append({"q": q, "answer": answer.answer, "dense": dense,
                "citations": [(c.doc_id, c.start, c.end) for c in answer.citations],
                "passages": [(p.doc_id, p.start, p.end, p.score) for p in answer.passages]})
print(json.dumps(out, ensure_ascii=False))
"""


def near_duplicates(folder: Path) -> list[Path]:
    """Each of two meetings filed four times, each copy with a line of its own at the end."""
    folder.mkdir()
    paths = []
    for f in SEED_FILES[:2]:
        text = f.read_text(encoding="utf-8")
        for i in range(4):
            path = folder / f"{f.stem}_{i}.txt"
            path.write_text(f"{text}\n附件{i + 1}:会议签到表。\n", encoding="utf-8")
            paths.append(path)
    return paths


@pytest.mark.slow
def test_answers_do_not_depend_on_the_process(tmp_path):
    home = tmp_path / "home"
    near_duplicates(tmp_path / "docs")
    # Small chunks and few candidates: many exact ties, and the cut at k falls inside them.
    report = ingest_paths([tmp_path / "docs"], make_settings(home, chunk_tokens=64, candidates=5), embeddings=FAKE)
    assert report.count("added") == 8
    runs = []
    for seed in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-c", ASK, str(TESTS), str(home), json.dumps(QUESTIONS, ensure_ascii=False)],
            capture_output=True, text=True, timeout=300, env=clean_env(PYTHONHASHSEED=seed),
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert all(r["passages"] for r in runs[0])
    for first, second in zip(*runs, strict=True):
        assert first == second, first["q"]
