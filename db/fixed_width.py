"""Reader for CMS's fixed-width HCPCS contractor file (the release TXT)."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import itemgetter

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


@dataclass(frozen=True)
class Column:
    """Where a field sits on a first line: 1-based first column, width, repeats."""

    start: int
    width: int
    occurs: int = 1

    @property
    def span(self) -> slice:
        """The columns of every occurrence together, as a str slice."""
        return slice(self.start - 1, self.start - 1 + self.width * self.occurs)


# The first line's fields, in the order and at the columns of CMS's record layout.
LAYOUT = {
    "code": Column(1, 5),
    "sequence_number": Column(6, 5),
    "long_description": Column(12, 80),
    "short_description": Column(92, 28),
    "pricing_indicators": Column(120, 2, occurs=4),
    "multiple_pricing_indicator": Column(128, 1),
    "cim_references": Column(129, 6, occurs=3),
    "mcm_references": Column(147, 8, occurs=3),
    "statute": Column(171, 10),
    "lab_certifications": Column(181, 3, occurs=8),
    "cross_references": Column(205, 5, occurs=5),
    "coverage": Column(230, 1),
    "asc_payment_group": Column(231, 2),
    "asc_effective_date": Column(233, 8),
    "mog_payment_group": Column(241, 3),
    "mog_payment_policy": Column(244, 1),
    "mog_effective_date": Column(245, 8),
    "processing_note": Column(253, 4),
    "betos": Column(257, 3),
    "types_of_service": Column(261, 1, occurs=5),
    "anesthesia_base_units": Column(266, 3),
    "added_date": Column(269, 8),
    "action_effective_date": Column(277, 8),
    "termination_date": Column(285, 8),
    "action_code": Column(293, 1),
}
DESCRIPTION = LAYOUT["long_description"].span
# Every field of a first line cut in one call: the parser's hot path.
_cut_fields = itemgetter(*(column.span for column in LAYOUT.values()))


def _occurrences(cells: dict[str, str], name: str) -> list[str]:
    """A repeating field's non-blank occurrences, in order."""
    span = cells[name]
    if span.isspace():
        return []
    width = LAYOUT[name].width
    return repeated([span[i : i + width] for i in range(0, len(span), width)])


def parse_first_line(line: str, number: int | None = None) -> Record:
    """Read a record id 3 or 7 line, which carries every field of the record."""
    if len(line) < MIN_FIRST_LINE:
        raise RecordError(
            f"record is cut short at column {len(line)}; "
            f"a first line runs to column {MIN_FIRST_LINE} at least",
            number,
        )
    cells = dict(zip(LAYOUT, _cut_fields(line), strict=True))
    raw_code = cells["code"]
    kind = FIRST_LINE[line[10]]
    shape = PROCEDURE_CODE if kind == PROCEDURE else MODIFIER_CODE
    if not shape.match(raw_code):
        raise RecordError(f"code {raw_code!r} is not a valid {kind} code", number)

    def date_of(name: str, description: str, short_year: bool = False):
        return parse_date(cells[name], description, number, short_year)

    return Record(
        code=raw_code.strip(),
        kind=kind,
        sequence_number=parse_int(cells["sequence_number"], "sequence number", number),
        long_description=clean_text(cells["long_description"]),
        short_description=clean_text(cells["short_description"]),
        pricing_indicators=_occurrences(cells, "pricing_indicators"),
        multiple_pricing_indicator=optional(cells["multiple_pricing_indicator"]),
        cim_references=_occurrences(cells, "cim_references"),
        mcm_references=_occurrences(cells, "mcm_references"),
        statute=optional(cells["statute"]),
        lab_certifications=_occurrences(cells, "lab_certifications"),
        cross_references=_occurrences(cells, "cross_references"),
        coverage=optional(cells["coverage"]),
        asc_payment_group=optional(cells["asc_payment_group"]),
        asc_effective_date=date_of(
            "asc_effective_date", "ASC payment group effective date", True
        ),
        mog_payment_group=optional(cells["mog_payment_group"]),
        mog_payment_policy=optional(cells["mog_payment_policy"]),
        mog_effective_date=date_of("mog_effective_date", "MOG effective date", True),
        processing_note=optional(cells["processing_note"]),
        betos=optional(cells["betos"]),
        types_of_service=_occurrences(cells, "types_of_service"),
        anesthesia_base_units=parse_int(
            cells["anesthesia_base_units"], "anesthesia base units", number
        ),
        added_date=date_of("added_date", "code added date"),
        action_effective_date=date_of("action_effective_date", "action effective date"),
        termination_date=date_of("termination_date", "termination date"),
        action_code=optional(cells["action_code"]),
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
        more = clean_text(line[DESCRIPTION])
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
