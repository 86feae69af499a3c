"""Writing a release comparison as CSV rows, JSON Lines or tables, code by code."""

import csv
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.values import action_meaning, decoded, meaning, plain, readable
from db.changes import ChangeKind, FieldChange
from db.release_changes import ReleaseChange

CSV_COLUMNS = (
    "code",
    "kind",
    "field",
    "before",
    "after",
    "action",
    "before_decoded",
    "after_decoded",
)


def write_csv(found: Iterable[ReleaseChange], stream: TextIO) -> None:
    """One row per changed field; a code without field changes gets one empty row."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for change in found:
        fields = _field_changes(change)
        if not fields:
            writer.writerow(
                [change.code, change.kind.value, "", "", "", _action(change), "", ""]
            )
        for field in fields:
            writer.writerow(
                [
                    change.code,
                    change.kind.value,
                    field.field,
                    plain(field.before),
                    plain(field.after),
                    _action(change),
                    _decoded_text(field.field, field.before),
                    _decoded_text(field.field, field.after),
                ]
            )


def write_json_lines(found: Iterable[ReleaseChange], stream: TextIO) -> None:
    """One JSON object per code and line, in the shape `hcpcs changes --help` shows."""
    for change in found:
        line = {
            "code": change.code,
            "kind": change.kind.value,
            "action": change.action_code,
            "changes": [_field_json(field) for field in _field_changes(change)],
        }
        stream.write(json.dumps(line, default=plain) + "\n")


def print_changes(found: Iterable[ReleaseChange], later: str, console: Console) -> None:
    """A heading per code and its changed fields as a table, then the counts."""
    counts = Counter()
    for change in found:
        counts[change.kind] += 1
        heading = Text(f"\n{change.code}  {change.kind.value}  ", "bold")
        if change.action_code is None:
            note = f"not in release {later}'s file; its history is unchanged"
        else:
            note = f"action {action_meaning(change.action_code)}"
        console.print(heading + Text(note))
        fields = _field_changes(change)
        if fields:
            console.print(fields_table(fields))

    summary = ", ".join(
        f"{counts[kind]} {kind.value.lower().replace('_', ' ')}" for kind in ChangeKind
    )
    console.print(f"\n{sum(counts.values())} codes: {summary}", highlight=False)


def fields_table(changes: Iterable[FieldChange]) -> Table:
    """Field, before and after, indicators decoded one code a line."""
    table = Table()
    table.add_column("field", no_wrap=True)
    table.add_column("before", overflow="fold")
    table.add_column("after", overflow="fold")
    for change in changes:
        table.add_row(
            change.field,
            _cell(change.before, change.field),
            _cell(change.after, change.field),
        )
    return table


def _field_changes(change: ReleaseChange) -> list[FieldChange]:
    """The changed fields; none for a code dropped from file, whose history stands.

    The comparison itself lists each of its fields as changed to nothing.
    """
    if change.kind is ChangeKind.DROPPED_FROM_FILE:
        return []
    return change.changes


def _action(change: ReleaseChange) -> str:
    return change.action_code or ""


def _decoded_text(field: str, value: Any) -> str:
    return "; ".join(meaning(entry) for entry in decoded(field, value))


def _field_json(field: FieldChange) -> dict:
    return {
        "field": field.field,
        "before": field.before,
        "after": field.after,
        "before_decoded": _decoded_json(field.field, field.before),
        "after_decoded": _decoded_json(field.field, field.after),
    }


def _decoded_json(field: str, value: Any) -> list[dict]:
    return [
        {
            "code": entry.code,
            "description": entry.description,
            "group": entry.group,
            "known": entry.known,
        }
        for entry in decoded(field, value)
    ]


def _cell(value: Any, field: str) -> Text:
    lines = readable(field, value)
    return Text("\n".join(lines) if lines else "(none)")
