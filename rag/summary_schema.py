"""The structured meeting summary (会议纪要) every summary engine fills in.

One schema serves the rule-based extractor, the LLM extractor and the
renderers. Its one law: every item carries :class:`Evidence`, a span of the
cleaned document whose ``quote`` is ``doc.display[start:end]`` (the original
script). Values are written in simplified Chinese, as ``doc.text`` has them.
A field the document does not support is left empty (``None`` or ``[]``),
never guessed.

Left out on purpose: anything inferred rather than read (a county named only
by its newspaper, a head count made by adding up names). ``json_schema()``
exports the contract for prompts and other languages.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 3


class Evidence(BaseModel):
    """Where the document says it: ``[start, end)`` into ``doc.text``/``doc.display``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    quote: str = Field(min_length=1, description="doc.display[start:end], the original script")

    @model_validator(mode="after")
    def _check(self) -> Evidence:
        if self.end - self.start != len(self.quote):
            raise ValueError(
                f"evidence [{self.start}, {self.end}) is {self.end - self.start} characters "
                f"but its quote has {len(self.quote)}: build it with rag.evidence.span()"
            )
        return self


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    evidence: Evidence


class TextItem(_Item):
    """A short value read from the document: a title, a place, a topic."""

    value: str


class DateItem(_Item):
    value: str = Field(description="as written: 3月28日, 2022-09-23, 10月8日-9日")
    kind: Literal["meeting", "published"] = Field(
        description="'meeting' when the sentence says the meeting was held then; "
        "'published' for a date line under the headline"
    )


class Person(_Item):
    name: str | None = Field(description="None when the document names only the office (市委主要领导)")
    role: str | None = Field(default=None, description="市委书记, 党总支第一书记, 副县长 ...")
    organisation: str | None = Field(default=None, description="the unit before the role: 临泉县长官镇")
    act: str | None = Field(default=None, description="what the person did, as written: 讲话, 点评, 部署, 主持 ...")


class Group(_Item):
    """A body of people, e.g. ``{group: 优秀村党组织书记, count: 34}``."""

    group: str
    count: int | None = Field(default=None, description="only when the document states the number")
    approx: bool = Field(default=False, description="the count is hedged: 160余, 120多, 近200")


class KeyPoint(_Item):
    text: str
    who: str | None = Field(default=None, description="who said it, when the document says")
    level: int | None = Field(
        default=None, description="outline level: 1 for 一、, 2 for (一), 3 for 一是/一要; None for prose"
    )


class Requirement(_Item):
    """A deployment or instruction (部署要求): what a leader 指出/强调/要求/部署."""

    text: str
    who: str | None = Field(default=None, description="the leader, when named; None in an unsigned speech")


class Figure(_Item):
    value: str = Field(description="the number as written, qualifier kept: 70, 97.14, 120余, 190多")
    unit: str = Field(description="名, 个, 家, %, 分钟 ...")
    about: str | None = Field(default=None, description="what is counted, in the document's words")


class ActionItem(_Item):
    who: str = Field(description="the unit or person made responsible")
    what: str
    when: str | None = Field(default=None, description="a time the document gives: 今年, 每季度, 下一步")


class Redaction(_Item):
    """A place where the source hides something behind ``XX`` or ``*``.

    The evidence spans the mark and the words around it (``县委*书记``), so a
    reader can see what kind of thing is missing.
    """

    mark: str = Field(description="the mark as written: XX, *, *、*、*")
    kind: Literal["name", "figure", "place", "text"] = Field(
        description="what is hidden: 'figure' (*期), 'name' (县委*书记, XX牌), 'place' (前往*), else 'text'"
    )


class MeetingSummary(BaseModel):
    """A 会议纪要 of one document, produced by one engine."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    doc_id: str
    source: str = Field(description="file name of the document")
    engine: str = Field(description="'rules' or 'llm'")
    title: TextItem | None = None
    meeting_type: TextItem | None = Field(default=None, description="座谈会, 现场会, 推进会, 交流发言, 讲话 ...")
    dates: list[DateItem] = []
    location: TextItem | None = Field(default=None, description="the place: county, town or village")
    venue: TextItem | None = Field(default=None, description="the room or building: 县委六楼会议室, 区委党校")
    organiser: TextItem | None = None
    chair: Person | None = Field(default=None, description="who 主持 the meeting")
    speakers: list[Person] = Field(default=[], description="named people who spoke (讲话/发言/指出/强调/部署)")
    speaker_groups: list[Group] = Field(
        default=[], description="bodies that spoke: 等11名镇村党组织书记作了发言"
    )
    attendees: list[Group] = Field(default=[], description="bodies that attended, with stated counts")
    participants: list[Person] = Field(
        default=[], description="named people who attended or were quoted, other than the chair"
    )
    visits: list[TextItem] = Field(default=[], description="sites visited (现场参观/观摩)")
    agenda: list[TextItem] = Field(default=[], description="agenda items (议题, 会议议程, 审议事项)")
    topics: list[TextItem] = []
    key_points: list[KeyPoint] = []
    requirements: list[Requirement] = []
    figures: list[Figure] = []
    action_items: list[ActionItem] = []
    redactions: list[Redaction] = []
    dropped: int = Field(
        default=0, ge=0, description="items an LLM proposed whose evidence was not found in the document"
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`MeetingSummary`, for prompts and other tools."""
    schema = MeetingSummary.model_json_schema()
    schema["$comment"] = f"meetrag summary schema v{SCHEMA_VERSION}"
    return schema
