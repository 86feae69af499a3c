"""Changes between versions and between releases, as GraphQL types."""

from datetime import date
from enum import Enum

import strawberry

from api.indicators import Indicator, decoded_values, indicator
from db import changes, codebook
from db.catalog import Catalog
from db.release_changes import changes_between
from db.temporal import Version, in_force


@strawberry.enum(description="What happened to a code between two releases.")
class ChangeKind(Enum):
    ADDED = strawberry.enum_value(
        "ADDED", description="In the later release's file, not in the earlier one's."
    )
    DISCONTINUED = strawberry.enum_value(
        "DISCONTINUED",
        description="The later release gives it a termination date the earlier "
        "did not.",
    )
    CHANGED = strawberry.enum_value(
        "CHANGED", description="At least one content field differs."
    )
    DROPPED_FROM_FILE = strawberry.enum_value(
        "DROPPED_FROM_FILE",
        description="In the earlier file, absent from the later one; its history "
        "is unchanged.",
    )


# Record fields whose name on Code is not their camel-cased record name.
_CODE_FIELD_NAMES = {"asc_effective_date": "ascPaymentGroupEffectiveDate"}


def code_field_name(name: str) -> str:
    """The name of the Code field that shows record field `name`."""
    if name in _CODE_FIELD_NAMES:
        return _CODE_FIELD_NAMES[name]
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _text(value) -> str | None:
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [_text(value)]


@strawberry.type(description="One field's values on both sides of a change.")
class FieldChange:
    field: str = strawberry.field(
        description="The field's name as in Code, e.g. 'pricingIndicators'."
    )
    before: str | None = strawberry.field(
        description="The earlier value as text (lists joined with ', '); null if none."
    )
    after: str | None = strawberry.field(description="The later value, as text.")
    before_values: list[str] = strawberry.field(
        description="The earlier value as a list (one item for single values)."
    )
    after_values: list[str] = strawberry.field(description="The later value as a list.")
    before_decoded: list[Indicator] = strawberry.field(
        description="For indicator fields, the earlier codes with their meanings."
    )
    after_decoded: list[Indicator] = strawberry.field(
        description="For indicator fields, the later codes with their meanings."
    )

    @classmethod
    def of(cls, change: changes.FieldChange) -> "FieldChange":
        return cls(
            field=code_field_name(change.field),
            before=_text(change.before),
            after=_text(change.after),
            before_values=_values(change.before),
            after_values=_values(change.after),
            before_decoded=decoded_values(change.field, change.before),
            after_decoded=decoded_values(change.field, change.after),
        )


@strawberry.type(description="A code whose state differs between two releases.")
class Change:
    code: str = strawberry.field(description="The HCPCS code.")
    kind: ChangeKind = strawberry.field(description="What happened to it.")
    changes: list[FieldChange] = strawberry.field(
        description="Every content field that differs, in record layout order."
    )
    action: Indicator | None = strawberry.field(
        description="The action code CMS gave it in the later release; null when "
        "the code is not in that release's file."
    )


def version_diff(history: list[Version], start: date, end: date) -> list[FieldChange]:
    before = in_force(history, start)
    after = in_force(history, end)
    return [
        FieldChange.of(change)
        for change in changes.field_changes(
            before.content if before else None, after.content if after else None
        )
    ]


def release_changes(catalog: Catalog, earlier: str, later: str) -> list[Change]:
    """Every code whose stated state differs between two releases, by code."""
    return [
        Change(
            code=found.code,
            kind=ChangeKind(found.kind.value),
            changes=[FieldChange.of(change) for change in found.changes],
            action=indicator(codebook.ACTION, found.action_code),
        )
        for found in changes_between(catalog, earlier, later)
    ]
