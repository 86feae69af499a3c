"""Decoded indicators as GraphQL types, and which record field uses which table."""

import strawberry

from db import codebook
from db.codebook import Decoded

# Record fields holding coded indicators, and the CMS table that decodes each.
FIELD_TABLES = {
    "pricing_indicators": codebook.PRICING,
    "multiple_pricing_indicator": codebook.MULTIPLE_PRICING,
    "coverage": codebook.COVERAGE,
    "lab_certifications": codebook.LAB_CERTIFICATION,
    "mog_payment_policy": codebook.MOG_PAYMENT_POLICY,
    "betos": codebook.BETOS,
    "types_of_service": codebook.TYPE_OF_SERVICE,
    "asc_payment_group": codebook.ASC,
}


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

    @classmethod
    def of(cls, decoded: Decoded) -> "Indicator":
        return cls(
            code=decoded.code, description=decoded.description, known=decoded.known
        )


@strawberry.type(
    description="A pricing indicator, decoded, with the fee schedule group it is in."
)
class PricingIndicator(Indicator):
    group: str | None = strawberry.field(
        description="The layout's heading over this code, for example "
        "'Linked To The Physician Fee Schedule'; null for 00 and unknown codes."
    )

    @classmethod
    def of(cls, decoded: Decoded) -> "PricingIndicator":
        return cls(
            code=decoded.code,
            description=decoded.description,
            known=decoded.known,
            group=decoded.group,
        )


def indicator(table: str, code: str | None) -> Indicator | None:
    decoded = codebook.decode(table, code)
    if decoded is None:
        return None
    if table == codebook.PRICING:
        return PricingIndicator.of(decoded)
    return Indicator.of(decoded)


def indicators(table: str, codes: list[str]) -> list[Indicator]:
    return [found for found in (indicator(table, c) for c in codes) if found]


def decoded_values(field: str, value) -> list[Indicator]:
    """A field's value decoded, as a list; empty for fields that are not indicators."""
    table = FIELD_TABLES.get(field)
    if table is None or value is None:
        return []
    return indicators(table, value if isinstance(value, list) else [value])
