"""Reader for CMS's fixed-width HCPCS contractor file (the release TXT)."""

import re
from collections.abc import Iterable, Iterator

from db.records import (
    MODIFIER,
    PROCEDURE,
    Record,
    RecordError,
    clean_text,
    optional,
    parse_date,
    parse_int,
    repeated,
)

# Record identification codes from the CMS record layout.
FIRST_LINE = {"3": PROCEDURE, "7": MODIFIER}
CONTINUATION = {"4": PROCEDURE, "8": MODIFIER}

# CMS's longest description (G0480's) takes 11 continuation lines.
MAX_CONTINUATIONS = 100

# The shortest first line that still holds the action code (column 293).
MIN_FIRST_LINE = 293

# A line shaped like a record: code, five-digit sequence number, record id.
RECORD_LINE = re.compile(r"^(?:[A-Z0-9]{5}|   [A-Z0-9]{2})\d{5}[3478]")
# Lines end at CR LF, LF or a lone CR, as an editor counts them; str.splitlines
# would also break a record at a form feed or other control character in it.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
PROCEDURE_CODE = re.compile(r"^[A-Z0-9]{5}$")
MODIFIER_CODE = re.compile(r"^   [A-Z0-9]{2}$")


def _cut(line: str, start: int, end: int) -> str:
    """Columns start..end, 1-based and inclusive, as the record layout gives them."""
    return line[start - 1 : end]


def _occurs(line: str, start: int, width: int, count: int) -> list[str]:
    return [
        _cut(line, start + i * width, start + (i + 1) * width - 1) for i in range(count)
    ]


def parse_first_line(line: str, number: int | None = None) -> Record:
    """Read a record id 3 or 7 line, which carries every field of the record."""
    if len(line) < MIN_FIRST_LINE:
        raise RecordError(
            f"record is cut short at column {len(line)}; "
            f"a first line runs to column {MIN_FIRST_LINE} at least",
            number,
        )
    line = line.ljust(320)
    raw_code = _cut(line, 1, 5)
    kind = FIRST_LINE[_cut(line, 11, 11)]
    shape = PROCEDURE_CODE if kind == PROCEDURE else MODIFIER_CODE
    if not shape.match(raw_code):
        raise RecordError(f"code {raw_code!r} is not a valid {kind} code", number)

    def date_at(start: int, name: str, short_year: bool = False):
        return parse_date(_cut(line, start, start + 7), name, number, short_year)

    return Record(
        code=raw_code.strip(),
        kind=kind,
        sequence_number=parse_int(_cut(line, 6, 10), "sequence number", number),
        long_description=clean_text(_cut(line, 12, 91)),
        short_description=clean_text(_cut(line, 92, 119)),
        pricing_indicators=repeated(_occurs(line, 120, 2, 4)),
        multiple_pricing_indicator=optional(_cut(line, 128, 128)),
        cim_references=repeated(_occurs(line, 129, 6, 3)),
        mcm_references=repeated(_occurs(line, 147, 8, 3)),
        statute=optional(_cut(line, 171, 180)),
        lab_certifications=repeated(_occurs(line, 181, 3, 8)),
        cross_references=repeated(_occurs(line, 205, 5, 5)),
        coverage=optional(_cut(line, 230, 230)),
        asc_payment_group=optional(_cut(line, 231, 232)),
        asc_effective_date=date_at(233, "ASC payment group effective date", True),
        mog_payment_group=optional(_cut(line, 241, 243)),
        mog_payment_policy=optional(_cut(line, 244, 244)),
        mog_effective_date=date_at(245, "MOG effective date", True),
        processing_note=optional(_cut(line, 253, 256)),
        betos=optional(_cut(line, 257, 259)),
        types_of_service=repeated(list(_cut(line, 261, 265))),
        anesthesia_base_units=parse_int(
            _cut(line, 266, 268), "anesthesia base units", number
        ),
        added_date=date_at(269, "code added date"),
        action_effective_date=date_at(277, "action effective date"),
        termination_date=date_at(285, "termination date"),
        action_code=optional(_cut(line, 293, 293)),
        line=number,
    )


def text_lines(text: str) -> list[str]:
    """The lines of a release text, numbered as an editor numbers them."""
    return LINE_BREAK.split(text)


def read_records(lines: Iterable[str]) -> Iterator[Record]:
    """Records of a release TXT, continuation lines joined to their first line.

    Lines before the first record (disclaimers, notes) are skipped; after it,
    every non-blank line must be a record line.
    """
    current: Record | None = None
    continued: list[str] = []
    started = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not RECORD_LINE.match(line):
            if started and line.strip():
                raise RecordError("line is not an HCPCS record", number)
            continue
        started = True
        record_id = line[10]
        if record_id in FIRST_LINE:
            if current is not None:
                yield _joined(current, continued)
            current = parse_first_line(line, number)
            continued = []
            continue
        code = line[:5].strip()
        if current is None or current.code != code:
            raise RecordError(
                f"continuation line for {code} has no first line before it", number
            )
        if CONTINUATION[record_id] != current.kind:
            raise RecordError(
                f"continuation line for {code} is of another record kind", number
            )
        more = clean_text(_cut(line, 12, 91))
        if more:
            continued.append(more)
            if len(continued) > MAX_CONTINUATIONS:
                raise RecordError(
                    f"long description of {code} runs past "
                    f"{MAX_CONTINUATIONS} continuation lines",
                    number,
                )
    if current is not None:
        yield _joined(current, continued)


def _joined(record: Record, continued: list[str]) -> Record:
    """The record with its continuation lines added to the long description."""
    if continued:
        record.long_description = " ".join(
            [record.long_description, *continued]
        ).strip()
    return record
