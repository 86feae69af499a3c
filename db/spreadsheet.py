"""Reader for CMS's release spreadsheets (XLSX, old binary XLS), read as the TXT is."""

import io
import re
from collections.abc import Iterator
from datetime import date, datetime

from python_calamine import CalamineError, CalamineWorkbook

from db.fixed_width import CONTINUATION, FIRST_LINE
from db.records import (
    LIST_FIELDS,
    MODIFIER,
    PROCEDURE,
    Record,
    RecordError,
    clean_text,
    could_be_code,
    optional,
    parse_date,
    parse_int,
    repeated,
)

KIND_BY_LENGTH = {5: PROCEDURE, 2: MODIFIER}

# Column headers as CMS wrote them, compared without case, spaces or
# underscores; a repeating field's header ends in its occurrence number.
HEADERS = {
    "HCPC": "code",
    "HCPCS": "code",
    "SEQNUM": "sequence_number",
    "RECID": "record_id",
    "LONGDESCRIPTION": "long_description",
    "SHORTDESCRIPTION": "short_description",
    "PRICE": "pricing_indicators",
    "MULTPI": "multiple_pricing_indicator",
    "CIM": "cim_references",
    "MCM": "mcm_references",
    "STATUTE": "statute",
    "LABCERT": "lab_certifications",
    "XREF": "cross_references",
    "COV": "coverage",
    "ASCGRP": "asc_payment_group",
    "ASCDT": "asc_effective_date",
    "OPPS": "mog_payment_group",
    "OPPSPI": "mog_payment_policy",
    "OPPSDT": "mog_effective_date",
    "PROCNOTE": "processing_note",
    "BETOS": "betos",
    "TOS": "types_of_service",
    "ANESTBU": "anesthesia_base_units",
    "ADDDT": "added_date",
    "ACTEFFDT": "action_effective_date",
    "TERMDT": "termination_date",
    "ACTIONCD": "action_code",
}
HEADER_ROW_FIELDS = {"code", "long_description"}
_OCCURRENCE = re.compile(r"^(.*?)(\d*)$")

# A number cell has lost the leading zeros of a coded field; the record
# layout's width for the field puts them back ('00' pricing, '0217' note).
NUMBER_WIDTH = {
    "pricing_indicators": 2,
    "lab_certifications": 3,
    "cross_references": 5,
    "asc_payment_group": 2,
    "mog_payment_group": 3,
    "processing_note": 4,
}

# The 2018 release wrote some ASC and MOG dates as YYMMDD, in both files.
SHORT_YEAR_DATES = ("asc_effective_date", "mog_effective_date")

Column = tuple[str, int]


def _header_key(cell: object) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(cell).upper())


def _is_header(row: list) -> bool:
    named = {HEADERS.get(_header_key(cell)) for cell in row}
    return HEADER_ROW_FIELDS <= named


def _column(cell: object, number: int) -> Column | None:
    """The field and occurrence a header cell names; None for a blank one."""
    key = _header_key(cell)
    if not key:
        return None
    if key in HEADERS:
        return HEADERS[key], 0
    name, digits = _OCCURRENCE.match(key).groups()
    field = HEADERS.get(name)
    if field not in LIST_FIELDS or not digits or int(digits) < 1:
        raise RecordError(
            f"column {cell!r} is not a field of the record layout", number
        )
    return field, int(digits) - 1


def _text(cell: object, field: str, number: int) -> str | date:
    """A cell as the TXT would hold it; date cells stay dates in date fields."""
    if isinstance(cell, datetime):
        cell = cell.date()
    if isinstance(cell, date):
        if not field.endswith("_date"):
            raise RecordError(f"{field} {cell} is a date", number)
        return cell
    if isinstance(cell, bool):
        raise RecordError(f"{field} {cell!r} is not text", number)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int | float):
        return str(cell).zfill(NUMBER_WIDTH.get(field, 0))
    return "" if cell is None else str(cell)


def _cells(row: list, columns: dict[int, Column], number: int) -> dict:
    """The row's text by field; a repeating field's occurrences in order."""
    cells: dict = {}
    occurrences: dict[str, dict[int, str]] = {}
    for index, (field, occurrence) in columns.items():
        text = _text(row[index] if index < len(row) else "", field, number)
        if field in LIST_FIELDS:
            occurrences.setdefault(field, {})[occurrence] = text
        else:
            cells[field] = text
    for field, texts in occurrences.items():
        cells[field] = [texts[k] for k in sorted(texts)]
    return cells


def _date(cells: dict, field: str, number: int) -> date | None:
    value = cells.get(field, "")
    if isinstance(value, date):
        return value
    short_year = field in SHORT_YEAR_DATES
    return parse_date(value, field.replace("_", " "), number, short_year)


def _record(cells: dict, record_id: str, number: int) -> Record:
    """Read a record id 3 or 7 row, which carries every field of the record."""
    code = clean_text(cells["code"])
    if record_id and record_id not in FIRST_LINE:
        raise RecordError(f"record id {record_id!r} is not an HCPCS record", number)
    # Without a record id, the code's length tells its kind as in the layout.
    kind = FIRST_LINE.get(record_id) or KIND_BY_LENGTH.get(len(code))
    if not could_be_code(code) or KIND_BY_LENGTH[len(code)] != kind:
        raise RecordError(
            f"code {code!r} is not a valid {kind or 'HCPCS'} code", number
        )

    def text(field: str) -> str | None:
        return optional(cells.get(field, ""))

    def number_of(field: str) -> int | None:
        return parse_int(cells.get(field, ""), field.replace("_", " "), number)

    return Record(
        code=code,
        kind=kind,
        sequence_number=number_of("sequence_number"),
        long_description=clean_text(cells["long_description"]),
        short_description=clean_text(cells.get("short_description", "")),
        **{field: repeated(cells.get(field, [])) for field in LIST_FIELDS},
        multiple_pricing_indicator=text("multiple_pricing_indicator"),
        statute=text("statute"),
        coverage=text("coverage"),
        asc_payment_group=text("asc_payment_group"),
        asc_effective_date=_date(cells, "asc_effective_date", number),
        mog_payment_group=text("mog_payment_group"),
        mog_payment_policy=text("mog_payment_policy"),
        mog_effective_date=_date(cells, "mog_effective_date", number),
        processing_note=text("processing_note"),
        betos=text("betos"),
        anesthesia_base_units=number_of("anesthesia_base_units"),
        added_date=_date(cells, "added_date", number),
        action_effective_date=_date(cells, "action_effective_date", number),
        termination_date=_date(cells, "termination_date", number),
        action_code=text("action_code"),
        line=number,
    )


def _data_rows(data: bytes, name: str) -> Iterator[tuple[int, list]]:
    """Rows of the first sheet with a header row, numbered from 1, header first."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for sheet_name in workbook.sheet_names:
            # Keep leading blank rows so that row numbers match the sheet's own.
            rows = workbook.get_sheet_by_name(sheet_name).to_python(
                skip_empty_area=False
            )
            for index, row in enumerate(rows):
                if _is_header(row):
                    yield from enumerate(rows[index:], start=index + 1)
                    return
    except CalamineError as error:
        raise RecordError(f"{name} is not a readable spreadsheet: {error}") from None
    raise RecordError(f"{name} has no row of HCPCS column headers")


def read_spreadsheet(data: bytes, name: str) -> Iterator[Record]:
    """Records of a release spreadsheet, continuation rows joined to their first row.

    Rows before the column headers (disclaimers, notes) are skipped; after
    them, every non-blank row must be a record row. `name` only labels errors.
    """
    rows = _data_rows(data, name)
    header_number, header = next(rows)
    columns = {}
    for index, cell in enumerate(header):
        column = _column(cell, header_number)
        if column:
            columns[index] = column

    current: Record | None = None
    for number, row in rows:
        if not any(clean_text(str(cell)) for cell in row):
            continue
        cells = _cells(row, columns, number)
        record_id = clean_text(str(cells.get("record_id", "")))
        if record_id not in CONTINUATION:
            if current is not None:
                yield current
            current = _record(cells, record_id, number)
            continue
        code = clean_text(cells["code"])
        if current is None or current.code != code:
            raise RecordError(
                f"continuation row for {code} has no first row before it", number
            )
        if CONTINUATION[record_id] != current.kind:
            raise RecordError(
                f"continuation row for {code} is of another record kind", number
            )
        more = clean_text(cells["long_description"])
        if more:
            current.long_description = f"{current.long_description} {more}".strip()
    if current is not None:
        yield current
