"""One code's record in one release file, normalized the same way for every reader."""

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import date
from functools import lru_cache
from operator import attrgetter

PROCEDURE = "procedure"
MODIFIER = "modifier"

# Fields that say where a record sat in its file or what CMS called the change;
# they are kept per statement, not as part of a revision's content.
STATEMENT_FIELDS = ("sequence_number", "action_code")


class RecordError(ValueError):
    """A record that cannot be read; `line` is its line number when there is one."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass
class Record:
    code: str
    kind: str
    sequence_number: int
    long_description: str
    short_description: str
    pricing_indicators: list[str] = field(default_factory=list)
    multiple_pricing_indicator: str | None = None
    cim_references: list[str] = field(default_factory=list)
    mcm_references: list[str] = field(default_factory=list)
    statute: str | None = None
    lab_certifications: list[str] = field(default_factory=list)
    cross_references: list[str] = field(default_factory=list)
    coverage: str | None = None
    asc_payment_group: str | None = None
    asc_effective_date: date | None = None
    mog_payment_group: str | None = None
    mog_payment_policy: str | None = None
    mog_effective_date: date | None = None
    processing_note: str | None = None
    betos: str | None = None
    types_of_service: list[str] = field(default_factory=list)
    anesthesia_base_units: int | None = None
    added_date: date | None = None
    action_effective_date: date | None = None
    termination_date: date | None = None
    action_code: str | None = None
    line: int | None = None

    def content(self) -> dict:
        """The revision content: every field but position, line and action code."""
        return {
            name: list(value) if isinstance(value, list) else value
            for name, value in zip(CONTENT_FIELDS, content_values(self), strict=True)
        }

    def content_hash(self) -> str:
        """A digest of code, action effective date and content, stable across runs.

        The repr of strings, lists, dates, ints and None in the fixed field order
        is stable, and far cheaper than JSON.
        """
        return content_digest(content_values(self))


CONTENT_FIELDS = tuple(
    f.name for f in fields(Record) if f.name not in (*STATEMENT_FIELDS, "line")
)
# Every content field of a record in one call, in CONTENT_FIELDS order.
content_values = attrgetter(*CONTENT_FIELDS)


def content_digest(values: tuple) -> str:
    """SHA-256 of the repr of a record's content values (see content_hash)."""
    return hashlib.sha256(repr(values).encode()).hexdigest()


LIST_FIELDS = (
    "pricing_indicators",
    "cim_references",
    "mcm_references",
    "lab_certifications",
    "cross_references",
    "types_of_service",
)
DATE_FIELDS = (
    "asc_effective_date",
    "mog_effective_date",
    "added_date",
    "action_effective_date",
    "termination_date",
)


def clean_text(value: str) -> str:
    """Collapse runs of whitespace (tabs, no-break spaces) to one space and trim."""
    # str.split() splits on exactly what the regex \s matches, only faster.
    return " ".join(value.split())


def optional(value: str) -> str | None:
    value = clean_text(value)
    return value or None


def repeated(values: list[str]) -> list[str]:
    """Keep the order of a repeating field and drop its blank occurrences."""
    # Most occurrences are blank; only whitespace cleans to nothing.
    return [clean_text(x) for x in values if x and not x.isspace()]


def parse_date(
    value: str, name: str, line: int | None = None, short_year: bool = False
) -> date | None:
    """Read CMS's YYYYMMDD; blank means no date.

    With `short_year`, YYMMDD is read as 20YYMMDD: the 2018 release wrote some
    ASC payment group dates that way.
    """
    try:
        return _day(value, short_year)
    except ValueError as error:
        raise RecordError(f"{name} {value.strip()!r} {error}", line) from None


# A release repeats a few hundred distinct dates across thousands of records.
@lru_cache(maxsize=4096)
def _day(value: str, short_year: bool) -> date | None:
    value = value.strip()
    if not value:
        return None
    if short_year and len(value) == 6 and _is_number(value):
        value = "20" + value
    if not (len(value) == 8 and _is_number(value)):
        raise ValueError("is not a YYYYMMDD date")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValueError("is not a real date") from None


def parse_int(value: str, name: str, line: int | None = None) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not _is_number(value):
        raise RecordError(f"{name} {value!r} is not a number", line)
    return int(value)


def _is_number(value: str) -> bool:
    # str.isdigit also accepts superscripts such as cp1252's "²", which int refuses.
    return value.isascii() and value.isdigit()


def normalize_code(value: str) -> str:
    """Codes compare upper-case without padding: ' A1' and 'a1' are both A1."""
    return value.strip().upper()


# A normalized code: five characters for a procedure, two for a modifier.
_CODE_SHAPE = re.compile(r"^[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")


def could_be_code(value: str) -> bool:
    """Whether a normalized `value` has the shape of a procedure or modifier code."""
    return _CODE_SHAPE.match(value) is not None


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_iso_day(value: str) -> date:
    """A day written YYYY-MM-DD and nothing else: no week or ordinal dates."""
    if not _ISO_DAY.match(value):
        raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
    return date.fromisoformat(value)
