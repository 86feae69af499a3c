"""A version in force as a two-column table: its fields decoded, then its proof."""

from datetime import date

from rich.table import Table
from rich.text import Text

from cli.values import action_meaning, readable
from db.records import CONTENT_FIELDS
from db.temporal import Version


def record_table(version: Version, day: date, known_at: str, note: str | None) -> Table:
    """Every field of the version's current revision, then how we know it."""
    table = Table(
        "field",
        "value",
        title=f"{version.code} in force on {day}, as known at {known_at}",
    )
    for name in CONTENT_FIELDS:
        lines = readable(name, version.content[name])
        if name == "processing_note" and lines:
            lines = [f"{lines[0]} — {note or 'no text in the notes file'}"]
        table.add_row(name, Text("\n".join(lines)))
    table.add_section()
    for name, value in _proof(version, day, known_at):
        table.add_row(name, Text(value))
    return table


def validity(version: Version) -> str:
    """'2019-10-01 to open', with a termination date the span does not show."""
    if version.action_effective_date is None:
        return "never in force: no action effective date"
    span = f"{version.action_effective_date} to {version.valid_to or 'open'}"
    ended = version.termination_date
    # A discontinuation record starts after the termination date it states.
    if ended is not None and ended != version.valid_to:
        return f"{span}; termination date {ended}"
    return span


def labels(statements) -> str:
    """The release labels of statements, each once, in their order."""
    return ", ".join(dict.fromkeys(s.release_label for s in statements))


def _proof(version: Version, day: date, known_at: str) -> list[tuple[str, str]]:
    current = version.current
    stated = current.last_stated
    action = action_meaning(stated.action_code)
    index = version.revisions.index(current) + 1
    return [
        ("action", f"{action} (release {stated.release_label})"),
        ("valid", validity(version)),
        ("status", f"{version.status_on(day)} on {day}"),
        ("stated_in", labels(version.stated_in)),
        (
            "revision",
            f"{index} of {len(version.revisions)}, "
            f"stated in {labels(current.statements)}",
        ),
        ("known_at", known_at),
    ]
