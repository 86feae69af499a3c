"""The Date scalar, with an error message that says which form is expected."""

from datetime import date

import strawberry


def _parse_date(value: object) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")


Date = strawberry.scalar(
    date,
    name="Date",
    description="A calendar day in ISO 8601 form, YYYY-MM-DD.",
    serialize=lambda value: value.isoformat(),
    parse_value=_parse_date,
)
