"""Prompt templates ship as package data and each one loads and renders.

``rag.prompts`` reads templates through ``importlib.resources.files("prompts")``
so a wheel install finds them; these tests check that every ``*.md`` in the
repository's ``prompts/`` is reachable that way and renders with its variables.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from rag.prompts import PROMPTS_PACKAGE, ROLES, load_prompt

REPO_PROMPTS = Path(__file__).resolve().parent.parent / "prompts"
TEMPLATES = sorted(p.stem for p in REPO_PROMPTS.glob("*.md"))


def _value(variable: str) -> object:
    """A plausible value: ``history`` is iterated as (question, answer) pairs, the rest are printed."""
    return [("上一个问题", "上一个回答")] if variable == "history" else f"<{variable}>"


def test_the_repository_has_templates() -> None:
    assert {"answer", "condense", "judge", "summary"} <= set(TEMPLATES)


def test_package_resource_lists_every_template() -> None:
    package = files(PROMPTS_PACKAGE)
    shipped = {entry.name for entry in package.iterdir() if entry.name.endswith(".md")}
    assert shipped == {f"{name}.md" for name in TEMPLATES}


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_loads_from_the_package_and_renders(name: str) -> None:
    prompt = load_prompt(name)
    resource = files(PROMPTS_PACKAGE) / f"{name}.md"
    assert resource.is_file()
    assert str(prompt.path) == str(resource)
    rendered = prompt.render(**{v: _value(v) for v in prompt.variables})
    assert rendered, f"{name} has no messages"
    for role, text in rendered:
        assert role in ROLES
        assert text.strip(), f"{name}: empty {role} message"
    body = "\n".join(text for _, text in rendered)
    for v in prompt.variables - {"history"}:
        assert f"<{v}>" in body, f"{name}: {v} is not rendered"
    assert "{{" not in body and "{%" not in body


def test_directory_override_still_wins(tmp_path: Path) -> None:
    (tmp_path / "answer.md").write_text("<!-- role: user -->\n自定义：{{ question }}\n", encoding="utf-8")
    assert load_prompt("answer", tmp_path).render(question="问") == [("user", "自定义：问")]
    assert load_prompt("answer").path != tmp_path / "answer.md"
