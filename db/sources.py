"""Finding the release data in a ZIP, a TXT or a spreadsheet a user hands in."""

import hashlib
import io
import json
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import String

from db.fixed_width import RECORD_LINE, read_records, text_lines
from db.models import Release, Revision, Statement
from db.proc_notes import parse_processing_notes
from db.records import CONTENT_FIELDS, STATEMENT_FIELDS, Record, RecordError
from db.settings import get_settings
from db.spreadsheet import read_spreadsheet

SPREADSHEET_SUFFIXES = (".xlsx", ".xls")
TEXT_SUFFIXES = (".txt",)
ENCODING = "cp1252"

# What zipfile and its decompressors raise on a damaged archive: bad headers
# and CRCs, cut streams, corrupt deflate or LZMA data, undecodable member names,
# encrypted members and unknown compression methods.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    RuntimeError,
    ValueError,
    lzma.LZMAError,
    zlib.error,
)

ANNUAL_NAMES = (
    # The annual ZIP, e.g. 2020-Alpha-Numeric-HCPCS-File.zip.
    re.compile(r"(?<!\d)20(\d\d)-Alpha-Numeric-HCPCS-File", re.IGNORECASE),
    # Its data member, e.g. HCPC2020_ANWEB_w_disclaimer.txt, HCPC17_CONTR_ANWEB.txt.
    re.compile(r"^HCPC(?:20)?(\d\d)_(?:CONTR_)?ANWEB", re.IGNORECASE),
)
CORRECTIONS_NAME = re.compile(r"correction", re.IGNORECASE)
MONTHS = {
    "jan": 1, "january": 1, "apr": 4, "april": 4,
    "jul": 7, "july": 7, "oct": 10, "october": 10,
}  # fmt: skip
QUARTERLY_NAMES = (
    re.compile(r"(?<!\d)(?P<year>20\d\d)[-_ ]?(?P<month>[a-z]{3,7})(?![a-z])", re.I),
    re.compile(r"(?<![a-z])(?P<month>[a-z]{3,7})[-_ ]?(?P<year>20\d\d)(?!\d)", re.I),
)


class SourceError(ValueError):
    """Input that is not a readable release; the message names the file and line."""


@dataclass
class ReleaseSource:
    """Everything read from one release file, before it touches the database."""

    path: Path
    sha256: str
    records: list[Record]
    processing_notes: dict[str, str] = field(default_factory=dict)
    data_member: str | None = None

    @property
    def source_file(self) -> str:
        # Bytes of the name that are not UTF-8 are kept as \xNN escapes, which a
        # database can store and a reader can still recognize.
        name = self.path.name.encode(errors="surrogateescape").decode(
            errors="backslashreplace"
        )
        if self.data_member:
            return f"{name}!{self.data_member}"
        return name


def infer_release(name: str) -> tuple[str, date] | None:
    """Label and effective date from a CMS file name, where the name says them."""
    for pattern in QUARTERLY_NAMES:
        for match in pattern.finditer(name):
            month = MONTHS.get(match.group("month").lower())
            if month:
                year = int(match.group("year"))
                return f"{year}-{month:02d}", date(year, month, 1)
    for pattern in ANNUAL_NAMES:
        annual = pattern.search(name)
        if annual:
            year = 2000 + int(annual.group(1))
            return str(year), date(year, 1, 1)
    return None


def read_source(path: Path) -> ReleaseSource:
    """Read a release from `path`, raising SourceError with a clear message."""
    # A ZIP may hold several members up to the limit each; other files are one.
    limit = get_settings().max_member_bytes * 4
    try:
        if path.stat().st_size > limit:
            raise SourceError(f"{path}: the file is larger than {limit} bytes")
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: cannot be read ({error.strerror})") from None
    if not data.strip():
        raise SourceError(f"{path}: the file is empty")
    sha256 = hashlib.sha256(data).hexdigest()

    return _named(_read_data(path, data, sha256))


def _read_data(path: Path, data: bytes, sha256: str) -> ReleaseSource:
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES and zipfile.is_zipfile(io.BytesIO(data)):
        return _read_zip(path, data, sha256)
    if suffix == ".zip":
        raise SourceError(f"{path}: not a ZIP archive")
    if suffix in SPREADSHEET_SUFFIXES:
        records = _records_from_spreadsheet(path.name, data, f"{path}")
        return ReleaseSource(path, sha256, records)
    records = _records_from_text(data, f"{path}")
    if not records:
        raise SourceError(f"{path}: no HCPCS records found; this is not a release file")
    return ReleaseSource(path, sha256, records)


def _named(source: ReleaseSource) -> ReleaseSource:
    """The source, if the store can record the name it came from."""
    limit = Release.__table__.columns["source_file"].type.length
    name = source.source_file
    if len(name) > limit:
        raise SourceError(
            f"{source.path}: the name {name} is {len(name)} characters long, "
            f"more than the {limit} the store records"
        )
    return source


def _read_zip(path: Path, data: bytes, sha256: str) -> ReleaseSource:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except ZIP_ERRORS as error:
        raise SourceError(f"{path}: damaged ZIP archive ({error})") from None

    texts = [m for m in members if m.filename.lower().endswith(TEXT_SUFFIXES)]
    sheets = [m for m in members if m.filename.lower().endswith(SPREADSHEET_SUFFIXES)]
    notes: dict[str, str] = {}
    best: tuple[str, list[Record]] | None = None

    for member in texts:
        body = _inflate(archive, member, path)
        where = f"{path}!{member.filename}"
        if "proc_notes" in member.filename.lower():
            notes = _processing_notes(body, where)
            continue
        if not _looks_like_records(body):
            continue
        records = _records_from_text(body, where)
        if records and (best is None or len(records) > len(best[1])):
            best = (member.filename, records)

    # The TXT is the source of record; a spreadsheet counts only without one.
    for member in sheets if best is None else ():
        body = _inflate(archive, member, path)
        try:
            records = _records_from_spreadsheet(
                member.filename, body, f"{path}!{member.filename}"
            )
        except SourceError:
            continue
        if records and (best is None or len(records) > len(best[1])):
            best = (member.filename, records)

    if best is None:
        if CORRECTIONS_NAME.search(path.name):
            raise SourceError(
                f"{path}: a corrections (errata) file, not a release; CMS restates "
                "corrected records in its next release file, which is what to load"
            )
        raise SourceError(f"{path}: the ZIP holds no HCPCS release data")
    member_name, records = best
    return ReleaseSource(path, sha256, records, notes, member_name)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> bytes:
    """A member's bytes, refusing by size before and while inflating."""
    limit = get_settings().max_member_bytes
    too_big = f"{path}!{member.filename}: member is larger than {limit} bytes"
    if member.file_size > limit:
        raise SourceError(too_big)
    try:
        with archive.open(member) as stream:
            body = stream.read(limit + 1)
    except ZIP_ERRORS as error:
        raise SourceError(
            f"{path}!{member.filename}: cannot inflate ({error})"
        ) from None
    if len(body) > limit:
        raise SourceError(too_big)
    return body


def _processing_notes(body: bytes, where: str) -> dict[str, str]:
    notes = parse_processing_notes(body.decode(ENCODING, errors="replace"))
    for number, text in notes.items():
        if "\x00" in text:
            raise SourceError(f"{where}: note {number} holds a NUL character")
    return notes


def _looks_like_records(body: bytes) -> bool:
    head = text_lines(body[:200_000].decode(ENCODING, errors="replace"))
    return any(RECORD_LINE.match(line) for line in head)


def _records_from_text(data: bytes, where: str) -> list[Record]:
    lines = text_lines(data.decode(ENCODING, errors="replace"))
    try:
        records = list(read_records(lines))
    except RecordError as error:
        raise SourceError(_located(where, error)) from None
    return _storable(_unique(records, where), where)


def _records_from_spreadsheet(name: str, data: bytes, where: str) -> list[Record]:
    _refuse_huge_parts(data, where)
    try:
        records = list(read_spreadsheet(data, name))
    except RecordError as error:
        raise SourceError(_located(where, error)) from None
    except Exception as error:  # the spreadsheet library's own errors vary by format
        raise SourceError(f"{where}: not a readable spreadsheet ({error})") from None
    return _storable(_unique(records, where), where)


def _refuse_huge_parts(data: bytes, where: str) -> None:
    """An XLSX is a ZIP too: refuse a part too big to inflate before the reader does."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except ZIP_ERRORS:
        return  # the spreadsheet reader says what is wrong with it
    limit = get_settings().max_member_bytes
    for part in parts:
        if part.file_size > limit:
            raise SourceError(
                f"{where}: spreadsheet part {part.filename} is larger than "
                f"{limit} bytes"
            )


def _unique(records: list[Record], where: str) -> list[Record]:
    seen: dict[str, int | None] = {}
    for record in records:
        if record.code in seen:
            raise SourceError(
                _located(
                    where,
                    RecordError(
                        f"code {record.code} appears twice "
                        f"(first at line {seen[record.code]})",
                        record.line,
                    ),
                )
            )
        seen[record.code] = record.line
    return records


def _storable(records: list[Record], where: str) -> list[Record]:
    """Refuse, by line, a value the store's columns cannot keep as it is."""
    textual = [
        (name, table.columns[name].type.length)
        for table, names in (
            (Revision.__table__, CONTENT_FIELDS),
            (Statement.__table__, STATEMENT_FIELDS),
        )
        for name in names
        if _is_text(table.columns[name].type)
    ]
    for record in records:
        for name, limit in textual:
            value = getattr(record, name)
            if not value:
                continue
            if isinstance(value, list):
                value = json.dumps(value)
            field_name = name.replace("_", " ")
            if "\x00" in value:
                problem = f"{field_name} holds a NUL character"
            elif limit and len(value) > limit:
                problem = (
                    f"{field_name} takes {len(value)} characters as stored; "
                    f"the store holds {limit}"
                )
            else:
                continue
            raise SourceError(_located(where, RecordError(problem, record.line)))
    return records


def _is_text(column_type) -> bool:
    # sqlmodel's AutoString wraps a String rather than being one.
    return isinstance(getattr(column_type, "impl_instance", column_type), String)


def _located(where: str, error: RecordError) -> str:
    if error.line is None:
        return f"{where}: {error}"
    return f"{where}: line {error.line}: {error}"
