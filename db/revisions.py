"""Converting between a Record's content and a revision row."""

import json
from json.encoder import encode_basestring_ascii as _json_string
from typing import Any

from db.records import (
    CONTENT_FIELDS,
    LIST_FIELDS,
    Record,
    content_digest,
    content_values,
)


def revision_row(record: Record) -> dict[str, Any]:
    """The revision table's values for a record, lists stored as JSON text."""
    values = content_values(record)
    row = dict(zip(CONTENT_FIELDS, values, strict=True))
    row["content_hash"] = content_digest(values)
    for name in LIST_FIELDS:
        row[name] = _json_strings(row[name])
    return row


def _json_strings(values: list[str]) -> str:
    """json.dumps of a list of strings, to the character, at a fraction of its cost.

    A load writes six such lists for each of some 10,000 records, most empty.
    """
    if not values:
        return "[]"
    return "[" + ", ".join(map(_json_string, values)) + "]"


def revision_content(row: Any) -> dict[str, Any]:
    """A revision row's content as plain values, lists decoded; keys as Record's."""
    content = {name: getattr(row, name) for name in CONTENT_FIELDS}
    for name in LIST_FIELDS:
        content[name] = json.loads(content[name])
    return content
