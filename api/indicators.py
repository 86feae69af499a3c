"""Decoded indicators as GraphQL types, and which record field uses which table."""

from functools import lru_cache

import strawberry

from db import codebook
from db.codebook import FIELD_TABLES, Decoded


@strawberry.type(
    description="A coded indicator with its meaning from the CMS record layout."
)
class Indicator:
    code: str = strawberry.field(description="The code as CMS wrote it.")
    description: str | None = strawberry.field(
        description="Its meaning in the CMS record layout; null when not listed there."
    )
    known: bool = strawberry.field(
        description="False when the record layout does not list this code."
    )
    group: str | None = strawberry.field(
        description="The layout's heading over this code: a pricing indicator's fee "
        "schedule (e.g. 'Linked To The Physician Fee Schedule') or a lab "
        "certification's category; null where the table has none."
    )

    @classmethod
    def of(cls, decoded: Decoded) -> "Indicator":
        return cls(
            code=decoded.code,
            description=decoded.description,
            known=decoded.known,
            group=decoded.group,
        )


# Indicators are shared between answers: a table holds a few hundred codes at
# most, and a page of codes asks for the same few again and again.
@lru_cache(maxsize=4096)
def indicator(table: str, code: str | None) -> Indicator | None:
    decoded = codebook.decode(table, code)
    if decoded is None:
        return None
    return Indicator.of(decoded)


def indicators(table: str, codes: list[str]) -> list[Indicator]:
    return [found for found in (indicator(table, c) for c in codes) if found]


def decoded_values(field: str, value) -> list[Indicator]:
    """A field's value decoded, as a list; empty for fields that are not indicators."""
    table = FIELD_TABLES.get(field)
    if table is None or value is None:
        return []
    return indicators(table, value if isinstance(value, list) else [value])
