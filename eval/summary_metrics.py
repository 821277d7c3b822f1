"""Field-level precision and recall of structured summaries against a gold file.

The gold file (``<dataset stem>_summaries.json`` beside the dataset) is a JSON
array of summaries keyed by ``doc`` (a file stem). A prediction has the same
field names; its items may carry extra keys (``evidence``), which are ignored.
A scalar may be a plain string or an object with a ``value``/``text`` key.

Every field is turned into a list of *items* and predicted items are paired
one-to-one with gold items (maximum bipartite matching, so the order of items
never matters). Then, pooled over all fields of all documents:

    precision = matched / predicted items,  recall = matched / gold items.

When two items match (both sides normalised with ``matching.normalise``):

* scalars (title, meeting_type, location, organiser): equal, or one
  contains the other (the contained side needs >= 2 characters, so "会"
  matches nothing). An empty/absent scalar is no item. A title also matches
  when it does once the year, a bracketed aside and the opening scope (全县,
  逊克县) are set aside on both sides (``_same_title``).
* dates: either contains the other, or they name the same month and day (and
  the same year when both give one): "2022年3月28日" == "3月28日".
* speakers and chair: by name, equal or containing ("刘玉杰" ~ "市委书记刘玉杰");
  a gold speaker without a name (``name: null``) matches by role.
* attendees: the counts are equal (digits only, "70人" == 70) and the groups
  match as free text; a gold item without a count needs only the group.
* figures: by value: the same number ("97.14" == "97.14%"); values without
  digits compare as text.
* requirements, action_items (``what``), redactions (a prediction's
  ``context``, else its evidence quote, which spans the mark and the words
  around it) are free text: containment either way, or a character-bigram
  overlap coefficient |A&B| / min(|A|,|B|) >= ``TEXT_OVERLAP`` (0.6), since a
  gold line is often a shortened form of the predicted sentence or vice versa.
* dates a prediction marks ``kind: "published"`` (a date line under the
  headline) are left out: the gold file lists meeting dates.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.matching import bigrams, normalise
from rag.errors import DatasetError

SCALAR_FIELDS = ("title", "meeting_type", "location", "organiser", "chair")
LIST_FIELDS = ("dates", "speakers", "attendees", "requirements", "figures", "action_items", "redactions")
# Fields of the meeting frame that only the development corpus's gold has: a document is
# scored on them only when its gold frame has the key (the seeds' gold predates them).
FRAME_FIELDS = ("venue", "participants", "speaker_groups", "counts")
FIELDS = SCALAR_FIELDS + LIST_FIELDS + FRAME_FIELDS
# Gold fields the frame writers fill that are not scored yet (kept for the next extractor).
UNSCORED = ("publication_date", "visits", "agenda", "other_meetings")
TEXT_OVERLAP = 0.6


def as_dict(summary: Any) -> dict[str, Any]:
    """Accept a dict, a pydantic model, a dataclass or an object with ``to_json()``."""
    if isinstance(summary, Mapping):
        return dict(summary)
    if hasattr(summary, "model_dump"):
        return dict(summary.model_dump())
    if dataclasses.is_dataclass(summary) and not isinstance(summary, type):
        return dataclasses.asdict(summary)
    if hasattr(summary, "to_json"):
        return dict(summary.to_json())
    raise TypeError(f"cannot read a summary from {type(summary).__name__}")


# Which key of an object item holds its comparable text, per field, in order of preference.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "chair": ("name", "role", "value"),
    "speakers": ("name", "role"),
    "participants": ("name", "role"),
    "speaker_groups": ("group",),
    "attendees": ("group",),
    "figures": ("value",),
    "requirements": ("text", "value"),
    "action_items": ("what", "text", "value"),
    # A redaction's evidence spans the mark and the words around it (县委*书记).
    "redactions": ("context", "text", "value", "evidence"),
}
_DEFAULT_KEYS = ("value", "text", "name")


def item_text(item: Any, keys: Sequence[str] = _DEFAULT_KEYS) -> str:
    """The comparable text of an item: a string or number, or the first of ``keys``
    an object has a value for."""
    if item is None:
        return ""
    if isinstance(item, str | int | float):
        return str(item)
    if isinstance(item, Mapping):
        for key in keys:
            value = item.get(key)
            if isinstance(value, Mapping):  # {"evidence": {"quote": ...}}
                value = value.get("quote", value.get("value"))
            if isinstance(value, str | int | float):
                return str(value)
        return ""
    return str(item)


def _contained(a: str, b: str) -> bool:
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    shorter, longer = sorted((na, nb), key=len)
    return shorter == longer or (len(shorter) >= 2 and shorter in longer)


def overlap(a: str, b: str) -> float:
    """Bigram overlap coefficient |A&B| / min(|A|, |B|): 1.0 when one text's
    bigrams all occur in the other (a shortened or lengthened paraphrase)."""
    ga, gb = bigrams(a), bigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / min(len(ga), len(gb))


def _free_text(a: str, b: str) -> bool:
    return _contained(a, b) or overlap(a, b) >= TEXT_OVERLAP


_DATE = re.compile(r"(?:((?:19|20)\d{2})\s*[年\-/.])?\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


def _date_keys(text: str) -> list[tuple[str | None, int, int]]:
    return [(y or None, int(m), int(d)) for y, m, d in _DATE.findall(normalise(text))]


def _same_date(a: str, b: str) -> bool:
    if _contained(a, b):
        return True
    for ya, ma, da in _date_keys(a):
        for yb, mb, db in _date_keys(b):
            if (ma, da) == (mb, db) and (ya is None or yb is None or ya == yb):
                return True
    return False


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _number(text: str) -> float | None:
    m = _NUMBER.search(normalise(text).replace(",", ""))
    return float(m.group(0)) if m else None


def _same_figure(gold: str, pred: str) -> bool:
    gn, pn = _number(gold), _number(pred)
    if gn is None:
        return normalise(gold) == normalise(pred)
    return pn is not None and gn == pn


Attendee = tuple[str, float | None]


def _same_attendees(gold: Attendee, pred: Attendee) -> bool:
    (g_group, g_count), (p_group, p_count) = gold, pred
    return _free_text(g_group, p_group) and (g_count is None or g_count == p_count)


# What qualifies a meeting's name without naming it: the year or period (2022年度, (2018-2020年)),
# a bracketed aside ((扩大)) and the scope it opens with (全县, 逊克县, 黄水镇).
_TITLE_YEAR = re.compile(r"[(（]?(?:19|20)\d{2}(?:[-—至](?:19|20)\d{2})?年度?[)）]?")
_TITLE_ASIDE = re.compile(r"[(（][^()（）]{1,12}[)）]")
_PLACE_CHAR = r"(?:(?![党村组书记委会届年])[\u4e00-\u9fff])"
_TITLE_SCOPE = re.compile(
    rf"^(?:(?:全|本|我)(?:省|市|县|区|乡|镇)|(?:{_PLACE_CHAR}{{1,4}}(?:省|市|县|区))?(?:{_PLACE_CHAR}{{1,4}}(?:乡|镇|街道))?)"
)


def _title_core(text: str) -> str:
    core = _TITLE_ASIDE.sub("", _TITLE_YEAR.sub("", normalise(text)))
    return _TITLE_SCOPE.sub("", core)


def _same_title(a: str, b: str) -> bool:
    """Titles name the same meeting: one contains the other, as written or once the year, a
    bracketed aside and the opening scope are set aside on both sides
    ("白鹭县2022年度抓党建促乡村振兴观摩评比会" ~ "白鹭县抓党建促乡村振兴观摩评比会",
    "逊克县招商引资暨重点项目建设推进会议" ~ "全县招商引资暨重点项目建设推进会议")."""
    if _contained(a, b):
        return True
    ca, cb = _title_core(a), _title_core(b)
    shorter, longer = sorted((ca, cb), key=len)
    return len(shorter) >= 4 and shorter in longer


Match = Callable[[Any, Any], bool]
MATCHERS: dict[str, Match] = {
    "title": _same_title,
    "meeting_type": _contained,
    "location": _contained,
    "organiser": _contained,
    "chair": _contained,
    "dates": _same_date,
    "speakers": _contained,
    "attendees": _same_attendees,
    "figures": _same_figure,
    "requirements": _free_text,
    "action_items": _free_text,
    "redactions": _free_text,
    "venue": _contained,
    "participants": _contained,
    "speaker_groups": _same_attendees,
    "counts": lambda g, p: g == p,
}


def field_items(summary: Mapping[str, Any], field: str) -> list[Any]:
    """The comparable items of one field: texts, or ``(group, count)`` for attendees.

    A scalar is a one-item list; empty values and published dates are no items.
    """
    if field == "counts":
        # Every stated head count of a body that attended or spoke (160余人 -> 160).
        groups = [g for k in ("attendees", "speaker_groups") for g in summary.get(k) or []]
        return sorted(n for g in groups if isinstance(g, Mapping) and (n := _number(item_text(g.get("count")))))
    value = summary.get(field)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    if field == "dates":
        values = [v for v in values if not (isinstance(v, Mapping) and v.get("kind") == "published")]
    keys = FIELD_KEYS.get(field, _DEFAULT_KEYS)
    if field in ("attendees", "speaker_groups"):
        out: list[Any] = []
        for v in values:
            count = _number(item_text(v.get("count"))) if isinstance(v, Mapping) else None
            out.append((item_text(v, keys), count))
        return [a for a in out if normalise(a[0])]
    return [t for v in values if normalise(t := item_text(v, keys))]


def max_matching(gold: Sequence[Any], pred: Sequence[Any], same: Match) -> int:
    """Size of a maximum one-to-one matching (Kuhn's augmenting paths)."""
    edges = [[j for j, p in enumerate(pred) if same(g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(gold)))


@dataclass
class FieldCounts:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None


def compare_summary(gold: Mapping[str, Any], pred: Mapping[str, Any] | None) -> dict[str, FieldCounts]:
    """Per-field counts for one document (a missing prediction predicts nothing)."""
    out = {}
    for f in FIELDS:
        if f in FRAME_FIELDS and (f if f != "counts" else "speaker_groups") not in gold:
            continue  # gold written before the frame had this field
        g = field_items(gold, f)
        p = field_items(pred, f) if pred is not None else []
        out[f] = FieldCounts(max_matching(g, p, MATCHERS[f]), len(p), len(g))
    return out


def summary_scores(
    gold: Sequence[Mapping[str, Any]], predictions: Mapping[str, Mapping[str, Any] | None]
) -> dict[str, Any]:
    """Pooled precision/recall plus per-field counts over all gold documents.

    ``predictions`` maps a doc stem to its predicted summary (or None).
    """
    per_field = {f: FieldCounts() for f in FIELDS}
    for g in gold:
        for f, c in compare_summary(g, predictions.get(g["doc"])).items():
            t = per_field[f]
            t.matched += c.matched
            t.predicted += c.predicted
            t.gold += c.gold
    total = FieldCounts(
        sum(c.matched for c in per_field.values()),
        sum(c.predicted for c in per_field.values()),
        sum(c.gold for c in per_field.values()),
    )
    return {
        "precision": total.precision,
        "recall": total.recall,
        "per_field": {
            f: {
                "precision": c.precision,
                "recall": c.recall,
                "matched": c.matched,
                "predicted": c.predicted,
                "gold": c.gold,
            }
            for f, c in per_field.items()
        },
    }


def load_gold_summaries(path: str | Path) -> list[dict[str, Any]]:
    """Read the gold summaries file; a problem is a ``DatasetError`` (line 0 = whole file)."""
    p = str(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as e:
        raise DatasetError(p, e.lineno, f"invalid JSON ({e.msg} at column {e.colno})") from e
    except (OSError, UnicodeDecodeError) as e:
        raise DatasetError(p, 0, f"cannot read the file ({e})") from e
    if not isinstance(data, list):
        raise DatasetError(p, 1, "expected a JSON array of summaries")
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("doc"), str) or not item["doc"]:
            raise DatasetError(p, 0, f"summary #{i + 1} needs a 'doc' (file stem)")
        unknown = set(item) - set(FIELDS) - set(UNSCORED) - {"doc"} - {k for k in item if k.startswith("_")}
        if unknown:
            raise DatasetError(
                p, 0, f"summary #{i + 1} ({item['doc']}): unknown field(s) {', '.join(sorted(unknown))}"
            )
    return data
