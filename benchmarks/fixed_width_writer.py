"""Writing records in CMS's fixed-width layout, as db.fixed_width reads them."""

from collections.abc import Iterable
from datetime import date

from db.records import MODIFIER, Record

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


def record_lines(record: Record) -> list[str]:
    """The first line and continuation lines of one record."""
    code = record.code.rjust(5) if record.kind == MODIFIER else record.code
    head = f"{code}{_number(record.sequence_number, 5)}"
    first, *more = _description_lines(record.long_description)
    line = "".join(
        (
            head,
            FIRST_LINE[record.kind],
            _field(first, 80),
            _field(record.short_description, 28),
            _occurs(record.pricing_indicators, 2, 4),
            _field(record.multiple_pricing_indicator, 1),
            _occurs(record.cim_references, 6, 3),
            _occurs(record.mcm_references, 8, 3),
            _field(record.statute, 10),
            _occurs(record.lab_certifications, 3, 8),
            _occurs(record.cross_references, 5, 5),
            _field(record.coverage, 1),
            _field(record.asc_payment_group, 2),
            _date(record.asc_effective_date),
            _field(record.mog_payment_group, 3),
            _field(record.mog_payment_policy, 1),
            _date(record.mog_effective_date),
            _field(record.processing_note, 4),
            _field(record.betos, 3),
            " ",
            _occurs(record.types_of_service, 1, 5),
            _number(record.anesthesia_base_units, 3),
            _date(record.added_date),
            _date(record.action_effective_date),
            _date(record.termination_date),
            _field(record.action_code, 1),
        )
    )
    lines = [line.ljust(LINE_WIDTH)]
    for piece in more:
        lines.append(f"{head}{CONTINUATION[record.kind]}{_field(piece, 80)}")
    return lines


def release_text(records: Iterable[Record]) -> str:
    """A whole release file: every record's lines, CRLF line ends as CMS writes."""
    return "".join(f"{line}\r\n" for record in records for line in record_lines(record))
