"""One code's history as steps to read: versions, what changed, who stated it."""

import difflib
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from api.indicators import FIELD_TABLES
from db import codebook
from db.changes import FieldChange, field_changes
from db.codebook import Decoded
from db.temporal import StatedRevision, Version

_ACRONYMS = {"asc": "ASC", "mog": "MOG", "betos": "BETOS", "cim": "CIM", "mcm": "MCM"}

# A step's own date is the action effective date, so it is no news between steps.
_NOT_A_STEP_CHANGE = {"action_effective_date"}
# Texts where a change is often one word in many; those words are marked.
_TEXT_FIELDS = {"long_description", "short_description"}


@dataclass(frozen=True)
class Word:
    text: str
    changed: bool


@dataclass(frozen=True)
class Item:
    """One value of a field, with its meaning when it is a coded indicator."""

    text: str
    coded: bool = False
    meaning: str | None = None
    known: bool = True
    href: str | None = None
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class FieldStep:
    """A field whose value differs: before and after, each as items."""

    label: str
    before: list[Item]
    after: list[Item]


@dataclass(frozen=True)
class Statement:
    """A release that stated a revision, with the action code its record carried."""

    label: str
    effective_date: date
    action: Decoded | None


@dataclass(frozen=True)
class RevisionStep:
    """One revision of a version, and its statements; a later one is a correction."""

    statements: list[Statement]
    corrections: list[FieldStep]
    superseded: bool


@dataclass(frozen=True)
class Step:
    """One version of the code, with how it differs from the version before."""

    anchor: str
    start: date | None
    valid_to: date | None
    termination_date: date | None
    ended_before_start: bool
    is_first: bool
    changes: list[FieldStep]
    revisions: list[RevisionStep]


def field_label(name: str) -> str:
    first, *rest = name.split("_")
    words = [_ACRONYMS.get(first, first.capitalize())]
    return " ".join(words + [_ACRONYMS.get(word, word) for word in rest])


def items(field: str, value) -> list[Item]:
    """A field's value as items: indicators decoded, cross references linked."""
    if value is None or value == []:
        return []
    values = value if isinstance(value, list) else [value]
    table = FIELD_TABLES.get(field)
    if table is not None:
        decoded = [codebook.decode(table, str(v)) for v in values]
        return [Item(d.code, True, d.description, d.known) for d in decoded if d]
    if field == "cross_references":
        return [Item(v, True, href=f"/codes/{quote(v)}") for v in values]
    return [Item(v.isoformat() if isinstance(v, date) else str(v)) for v in values]


def marked(before: str, after: str) -> tuple[Item, Item]:
    """Both texts as items, with the words that differ between them marked."""
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    old_words: list[Word] = []
    new_words: list[Word] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_words += [Word(w, tag != "equal") for w in old[i1:i2]]
        new_words += [Word(w, tag != "equal") for w in new[j1:j2]]
    return Item(before, words=tuple(old_words)), Item(after, words=tuple(new_words))


def field_step(change: FieldChange) -> FieldStep:
    label = field_label(change.field)
    if change.field in _TEXT_FIELDS and change.before and change.after:
        before, after = marked(change.before, change.after)
        return FieldStep(label, [before], [after])
    return FieldStep(
        label, items(change.field, change.before), items(change.field, change.after)
    )


def differences(before: dict | None, after: dict, skip=frozenset()) -> list[FieldStep]:
    return [
        field_step(change)
        for change in field_changes(before, after)
        if change.field not in skip
    ]


def anchor(version: Version) -> str:
    day = version.action_effective_date
    return f"v-{day.isoformat()}" if day else "v-undated"


def revision_steps(version: Version) -> list[RevisionStep]:
    current = version.current
    steps = []
    previous: StatedRevision | None = None
    for revision in version.revisions:
        statements = [
            Statement(
                s.release_label,
                s.release_effective_date,
                codebook.decode(codebook.ACTION, s.action_code),
            )
            for s in revision.statements
        ]
        corrections = (
            differences(previous.content, revision.content) if previous else []
        )
        steps.append(RevisionStep(statements, corrections, revision is not current))
        previous = revision
    return steps


def steps(history: list[Version]) -> list[Step]:
    """Every version as a step, oldest first; undated ones come last."""
    found = []
    previous: Version | None = None
    for version in history:
        start = version.action_effective_date
        ended = version.termination_date
        found.append(
            Step(
                anchor=anchor(version),
                start=start,
                valid_to=version.valid_to,
                termination_date=ended,
                ended_before_start=bool(start and ended and ended < start),
                is_first=previous is None,
                changes=differences(
                    previous.content if previous else None,
                    version.content,
                    _NOT_A_STEP_CHANGE if previous else frozenset(),
                ),
                revisions=revision_steps(version),
            )
        )
        previous = version
    return found
