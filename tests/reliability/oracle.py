"""What loading a release text must come to, worked out from the reader alone."""

import re
from pathlib import Path

from db.fixed_width import RECORD_LINE, read_records
from db.models import Revision, Statement
from db.records import Record, RecordError
from db.revisions import revision_row

# Lines end as in any text editor: CR LF, LF or a lone CR, nothing else.
LINE_BREAK = re.compile(r"\r\n|\r|\n")

LOADED = "loaded"
REFUSED = "refused"


def expected_load(data: bytes, path: Path, member: str | None) -> tuple[str, object]:
    """(LOADED, records) or (REFUSED, the one-line message naming file and line)."""
    where = f"{path}!{member}" if member else f"{path}"
    if member is None and not data.strip():
        return REFUSED, f"{path}: the file is empty"
    lines = LINE_BREAK.split(data.decode("cp1252", errors="replace"))
    if member and not any(RECORD_LINE.match(line) for line in lines):
        return REFUSED, f"{path}: the ZIP holds no HCPCS release data"

    try:
        records = list(read_records(lines))
    except RecordError as error:
        return REFUSED, f"{where}: line {error.line}: {error}"
    if not records:
        return REFUSED, f"{path}: no HCPCS records found; this is not a release file"
    problem = _duplicate(records) or _unstorable(records)
    if problem:
        return REFUSED, f"{where}: {problem}"
    return LOADED, records


def _duplicate(records: list[Record]) -> str | None:
    first_lines: dict[str, int | None] = {}
    for record in records:
        if record.code in first_lines:
            return (
                f"line {record.line}: code {record.code} appears twice "
                f"(first at line {first_lines[record.code]})"
            )
        first_lines[record.code] = record.line
    return None


def _unstorable(records: list[Record]) -> str | None:
    """The first value the store's columns cannot hold, if any."""
    # A revision row's columns, and the statement's action code: text too.
    columns = {
        **Revision.__table__.columns,
        "action_code": Statement.__table__.columns["action_code"],
    }
    for record in records:
        stored = {**revision_row(record), "action_code": record.action_code}
        for name, value in stored.items():
            field = name.replace("_", " ")
            if not isinstance(value, str):
                continue
            if "\x00" in value:
                return f"line {record.line}: {field} holds a NUL character"
            limit = getattr(columns[name].type, "length", None)
            if limit and len(value) > limit:
                return (
                    f"line {record.line}: {field} takes {len(value)} characters "
                    f"as stored; the store holds {limit}"
                )
    return None
