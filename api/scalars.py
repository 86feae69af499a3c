"""The Date scalar, with an error message that says which form is expected."""

from datetime import date

import strawberry

from api.errors import InvalidDate
from db.records import parse_iso_day


def _parse_date(value: object) -> date:
    if isinstance(value, str):
        try:
            return parse_iso_day(value)
        except ValueError:
            pass
    raise InvalidDate(value)


Date = strawberry.scalar(
    name="Date",
    description="A calendar day in ISO 8601 form, YYYY-MM-DD.",
    serialize=lambda value: value.isoformat(),
    parse_value=_parse_date,
)
