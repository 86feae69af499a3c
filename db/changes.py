"""Changes between two states of a code, field by field."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from db.records import CONTENT_FIELDS

# Content fields compared for a change; the code itself and its kind never differ.
COMPARED_FIELDS = tuple(f for f in CONTENT_FIELDS if f not in ("code", "kind"))


class ChangeKind(StrEnum):
    ADDED = "ADDED"
    DISCONTINUED = "DISCONTINUED"
    CHANGED = "CHANGED"
    DROPPED_FROM_FILE = "DROPPED_FROM_FILE"


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def field_changes(before: dict | None, after: dict | None) -> list[FieldChange]:
    """Every compared field whose value differs; a missing side counts as empty."""
    before = before or {}
    after = after or {}
    return [
        FieldChange(name, before.get(name), after.get(name))
        for name in COMPARED_FIELDS
        if _or_none(before.get(name)) != _or_none(after.get(name))
    ]


def _or_none(value: Any) -> Any:
    """An empty repeating field and an absent one both mean no value."""
    return None if value == [] else value


@dataclass(frozen=True)
class CodeState:
    """What classifying a change needs of a code's revision in one release."""

    content_hash: str
    termination_date: date | None


def classify(before: CodeState | None, after: CodeState | None) -> ChangeKind | None:
    """What happened to a code between two states; None when nothing did."""
    if before is None and after is None:
        return None
    if before is None:
        return ChangeKind.ADDED
    if after is None:
        return ChangeKind.DROPPED_FROM_FILE
    if after.termination_date and not before.termination_date:
        return ChangeKind.DISCONTINUED
    if after.content_hash != before.content_hash:
        return ChangeKind.CHANGED
    return None
