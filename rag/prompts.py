"""Prompt templates: text files in the ``prompts`` package, rendered with Jinja2.

The templates are read through :func:`importlib.resources.files` rather than a
path relative to this file, so they are found wherever the package is
installed (a wheel puts ``prompts/`` in site-packages, beside ``rag/``, not in
a source checkout). A caller may still pass its own ``directory``.

A template is a Markdown file split into chat messages by role markers on their
own line::

    notes for maintainers (everything before the first marker is not sent)
    <!-- role: system -->
    你是……
    <!-- role: user -->
    问题：{{ question }}

Rendering is strict: ``StrictUndefined``, and every variable the template uses
must be given and nothing else (a typo in a caller fails loudly, naming the
variables). Templates hold no logic beyond ``if``/``for`` over plain values;
numbered, source-tagged context is built in Python.

Left out on purpose: template inheritance, custom filters, per-model variants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from rag.errors import MeetragError

PROMPTS_PACKAGE = "prompts"  # the top-level package holding the *.md templates
ROLES = ("system", "user", "assistant")
_ROLE_MARKER = re.compile(r"^<!--\s*role:\s*(\w+)\s*-->[ \t]*\n?", re.M)


class PromptError(MeetragError):
    """A prompt file is missing or malformed, or was rendered with the wrong variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    path: Traversable  # a Path, or a zip entry when the package is imported from a zip
    parts: tuple[tuple[str, Any], ...]  # (role, jinja2.Template)
    variables: frozenset[str]

    def render(self, **values: Any) -> list[tuple[str, str]]:
        """``[(role, text), ...]`` with surrounding whitespace stripped from each text."""
        missing = sorted(self.variables - values.keys())
        unknown = sorted(values.keys() - self.variables)
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown {', '.join(unknown)}")
            raise PromptError(
                f"prompt {self.name!r} ({self.path}): {'; '.join(problems)} "
                f"(it uses: {', '.join(sorted(self.variables)) or 'nothing'})"
            )
        import jinja2

        try:
            return [(role, template.render(**values).strip()) for role, template in self.parts]
        except jinja2.UndefinedError as e:  # e.g. an attribute of a given value
            raise PromptError(f"prompt {self.name!r} ({self.path}): {e.message}") from e


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Load ``<directory>/<name>.md`` (default: the ``prompts`` package), parsed once and cached."""
    return _load(name, directory.resolve() if directory is not None else None)


@lru_cache(maxsize=32)
def _load(name: str, directory: Path | None) -> Prompt:
    import jinja2
    import jinja2.meta

    # The cache is keyed on None for the package: a resource folder need not be
    # hashable by value (a zip entry is a new object on every ``files()`` call).
    folder: Traversable = files(PROMPTS_PACKAGE) if directory is None else directory
    path = folder / f"{name}.md"
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PromptError(f"cannot read prompt {name!r} at {path}: {e.strerror or e}") from e
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text for a model, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    markers = list(_ROLE_MARKER.finditer(source))
    if not markers:
        raise PromptError(f"prompt {path} has no role marker: add a line `<!-- role: system -->`")
    parts = []
    variables: set[str] = set()
    for k, m in enumerate(markers):
        role = m.group(1)
        if role not in ROLES:
            raise PromptError(f"prompt {path}: unknown role {role!r}, use one of {', '.join(ROLES)}")
        body = source[m.end() : markers[k + 1].start() if k + 1 < len(markers) else len(source)]
        try:
            variables |= jinja2.meta.find_undeclared_variables(env.parse(body))
            parts.append((role, env.from_string(body)))
        except jinja2.TemplateSyntaxError as e:
            raise PromptError(f"prompt {path}, {role} part, line {e.lineno}: {e.message}") from e
    return Prompt(name=name, path=path, parts=tuple(parts), variables=frozenset(variables))


def render_prompt(name: str, values: Mapping[str, Any], directory: Path | None = None) -> list[tuple[str, str]]:
    """Shorthand for ``load_prompt(name, directory).render(**values)``."""
    return load_prompt(name, directory).render(**values)
