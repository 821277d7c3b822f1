"""`meetrag summarize`: argument parsing, rendering, and a run against a stand-in store."""

from __future__ import annotations

import argparse
import json
import sqlite3

import pytest

from rag.commands import summarize as command
from rag.errors import IndexEmptyError, MeetragError, UnknownDocumentError
from rag.settings import load_settings
from rag.summaries import summarize_many


def parse(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    command.configure(p)
    return p.parse_args(list(argv))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["abc123"], {"doc_id": "abc123", "all": False, "json": False, "engine": "rules", "table": False}),
        (["--all", "--table"], {"doc_id": None, "all": True, "table": True}),
        (["--all", "--json", "--engine", "llm"], {"json": True, "engine": "llm"}),
        (["x", "--docx", "out.docx"], {"docx": __import__("pathlib").Path("out.docx")}),
    ],
)
def test_configure_parses_the_documented_flags(argv, expected):
    args = vars(parse(*argv))
    assert {k: args[k] for k in expected} == expected


@pytest.mark.parametrize("argv", [["--json", "--markdown"], ["--engine", "gpt"]])
def test_configure_rejects_conflicting_or_unknown_flags(argv):
    with pytest.raises(SystemExit):
        parse("--all", *argv)


@pytest.fixture(scope="module")
def summaries(seed_docs):
    return summarize_many([seed_docs[k] for k in sorted(seed_docs)], "rules")


def test_render_json_is_an_array_of_summaries(summaries):
    data = json.loads(command.render(summaries, as_json=True))
    assert [d["source"] for d in data] == [s.source for s in summaries]
    assert {"doc_id", "source", "engine", "title", "chair", "attendees", "redactions"} <= set(data[0])
    assert data[0]["chair"]["name"] == "刘玉杰" and data[0]["engine"] == "rules"


def test_render_table_text_and_json(summaries):
    text = command.render(summaries, table=True)
    assert text.splitlines()[0].split() == ["日期", "会议", "地点", "主持", "参会人数"]
    rows = json.loads(command.render(summaries, as_json=True, table=True))
    assert rows[0]["attendee_total"] == 84 and rows[1]["place"] == "凤埔乡"


def test_render_markdown_by_default(summaries):
    md = command.render(summaries[:2])
    assert md.count("会议纪要\n") == 2 and md.startswith("# 全市优秀基层党组织书记座谈会会议纪要")


class FakeStore:
    """Stands in for rag.store.DocStore: the seeds, in source order."""

    docs: list = []

    def __init__(self, settings):
        self.by_id = {d.doc_id: d for d in self.docs}

    def list_documents(self):
        return list(self.docs)

    def resolve(self, ref):
        if ref in self.by_id:
            return ref
        raise UnknownDocumentError(ref)

    def get(self, doc_id):
        return self.by_id[doc_id]


@pytest.fixture
def store(monkeypatch, seed_docs):
    import rag.store

    FakeStore.docs = [seed_docs[k] for k in sorted(seed_docs)]
    monkeypatch.setattr(rag.store, "DocStore", FakeStore)
    return FakeStore


def test_run_all_table_and_docx(tmp_path, store, capsys):
    settings = load_settings(environ={}, home=tmp_path)
    out = tmp_path / "纪要.docx"
    assert command.run(parse("--all", "--table", "--docx", str(out)), settings) == 0
    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 2 + 5
    assert out.is_file() and f"wrote {out}" in captured.err
    with sqlite3.connect(settings.db_path) as db:  # each frame stored beside its document
        assert db.execute("SELECT count(*) FROM frames").fetchone()[0] == 5


def test_run_one_document_as_json(tmp_path, store, capsys):
    settings = load_settings(environ={}, home=tmp_path)
    doc = store.docs[1]
    assert command.run(parse(doc.doc_id, "--json"), settings) == 0
    (data,) = json.loads(capsys.readouterr().out)
    assert data["doc_id"] == doc.doc_id and data["location"]["value"] == "凤埔乡"


@pytest.mark.parametrize("argv", [[], ["abc", "--all"]])
def test_run_needs_exactly_one_of_doc_id_and_all(tmp_path, argv):
    with pytest.raises(MeetragError, match="give one DOC_ID or --all"):
        command.run(parse(*argv), load_settings(environ={}, home=tmp_path))


def test_run_all_on_an_empty_index_says_to_ingest(tmp_path, store):
    store.docs = []
    with pytest.raises(IndexEmptyError, match="meetrag ingest"):
        command.run(parse("--all"), load_settings(environ={}, home=tmp_path))


def test_help_is_one_line():
    assert "\n" not in command.HELP and command.HELP
