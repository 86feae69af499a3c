"""Converting between a Record's content and a revision row."""

import json
from typing import Any

from db.records import CONTENT_FIELDS, LIST_FIELDS, Record


def revision_row(record: Record) -> dict[str, Any]:
    """The revision table's values for a record, lists stored as JSON text."""
    content = record.content()
    content["content_hash"] = record.content_hash(content)
    for name in LIST_FIELDS:
        content[name] = json.dumps(content[name]) if content[name] else "[]"
    return content


def revision_content(row: Any) -> dict[str, Any]:
    """A revision row's content as plain values, lists decoded; keys as Record's."""
    content = {name: getattr(row, name) for name in CONTENT_FIELDS}
    for name in LIST_FIELDS:
        content[name] = json.loads(content[name])
    return content
