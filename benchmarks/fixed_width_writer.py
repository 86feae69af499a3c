"""Writing records in CMS's fixed-width layout, as db.fixed_width reads them."""

from collections.abc import Iterable
from datetime import date

from db.fixed_width import LAYOUT
from db.records import DATE_FIELDS, MODIFIER, Record

FIRST_LINE = {"procedure": "3", "modifier": "7"}
CONTINUATION = {"procedure": "4", "modifier": "8"}
DESCRIPTION_WIDTH = 80
LINE_WIDTH = 320


def _field(value: str | None, width: int) -> str:
    text = value or ""
    if len(text) > width:
        raise ValueError(f"{text!r} is wider than {width} columns")
    return text.ljust(width)


def _occurs(values: list[str], width: int, count: int) -> str:
    if len(values) > count:
        raise ValueError(f"{values!r} has more than {count} occurrences")
    return "".join(_field(v, width) for v in values).ljust(width * count)


def _date(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else " " * 8


def _number(value: int | None, width: int) -> str:
    return " " * width if value is None else str(value).zfill(width)


def _description_lines(text: str) -> list[str]:
    """The long description cut at spaces into pieces of 80 columns or fewer."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= DESCRIPTION_WIDTH:
            current = candidate
            continue
        pieces.append(current)
        current = word
    pieces.append(current)
    return pieces


def _cell(record: Record, name: str) -> str:
    """One field of a first line at its layout width."""
    column = LAYOUT[name]
    value = getattr(record, name)
    if name in DATE_FIELDS:
        return _date(value)
    if name in ("sequence_number", "anesthesia_base_units"):
        return _number(value, column.width)
    if column.occurs > 1:
        return _occurs(value, column.width, column.occurs)
    return _field(value, column.width)


def record_lines(record: Record) -> list[str]:
    """The first line and continuation lines of one record."""
    code = record.code.rjust(5) if record.kind == MODIFIER else record.code
    head = f"{code}{_number(record.sequence_number, 5)}"
    first, *more = _description_lines(record.long_description)
    line = [" "] * LINE_WIDTH
    line[10] = FIRST_LINE[record.kind]
    for name, column in LAYOUT.items():
        if name == "code":
            cell = code
        elif name == "long_description":
            cell = _field(first, column.width)
        else:
            cell = _cell(record, name)
        line[column.span] = cell
    lines = ["".join(line)]
    for piece in more:
        lines.append(f"{head}{CONTINUATION[record.kind]}{_field(piece, 80)}")
    return lines


def release_text(records: Iterable[Record]) -> str:
    """A whole release file: every record's lines, CRLF line ends as CMS writes."""
    return "".join(f"{line}\r\n" for record in records for line in record_lines(record))
