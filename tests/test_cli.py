"""The command line: instant --help (no heavy imports), stable command names."""

import subprocess
import sys

HEAVY = ("torch", "chromadb", "gradio", "sentence_transformers", "transformers", "langchain_openai", "jieba")


def test_help_imports_no_heavy_library():
    code = (
        "import sys, rag.cli; rag.cli.build_parser(); "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_documented_commands_exist():
    from rag.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {"ingest", "ask", "docs", "summarize", "eval", "bench", "serve"}


def test_no_command_prints_help_and_exits_2(capsys):
    from rag.cli import main

    assert main([]) == 2
    assert "ingest" in capsys.readouterr().out


def test_empty_index_error_tells_the_fix(tmp_path, capsys):
    from rag.cli import main

    assert main(["--home", str(tmp_path), "ask", "座谈会由谁主持?"]) == 1
    err = capsys.readouterr().err
    assert "meetrag ingest seeds/" in err and "Traceback" not in err
