"""A slice of CMS's real 2019 release TXT, read from its ZIP at test time."""

import zipfile
from dataclasses import dataclass
from functools import cache

from tests.conftest import annual_zip

MEMBER_2019 = "HCPC2019_CONTR_ANWEB.txt"
NOTES_2019 = "proc_notes_2019.txt"
# The disclaimer before the records: tabs, CRLF and cp1252 no-break spaces.
DISCLAIMER_LINES = 8
MODIFIERS = 20
PROCEDURES = 20


@dataclass(frozen=True)
class ReleaseSlice:
    """The disclaimer and some records, each record as its raw lines (CRLF kept)."""

    head: tuple[bytes, ...]
    records: tuple[tuple[bytes, ...], ...]

    def lines(self) -> list[bytes]:
        return [*self.head, *(line for record in self.records for line in record)]

    def data(self) -> bytes:
        return b"".join(self.lines())

    def first_line(self, index: int) -> int:
        """The line number of record `index`'s first line, counted from 1."""
        before = sum(len(record) for record in self.records[:index])
        return len(self.head) + before + 1

    def code(self, index: int) -> str:
        return self.records[index][0][:5].decode().strip()

    def replaced(self, records) -> "ReleaseSlice":
        return ReleaseSlice(self.head, tuple(tuple(record) for record in records))


@cache
def slice_2019() -> ReleaseSlice:
    """The disclaimer, the first 20 modifiers and the first 20 procedures of 2019."""
    with zipfile.ZipFile(annual_zip(2019)) as archive:
        lines = archive.read(MEMBER_2019).splitlines(keepends=True)
    records = _records(lines[DISCLAIMER_LINES:])
    modifiers = [r for r in records if r[0][10:11] == b"7"][:MODIFIERS]
    procedures = [r for r in records if r[0][10:11] == b"3"][:PROCEDURES]
    return ReleaseSlice(tuple(lines[:DISCLAIMER_LINES]), (*modifiers, *procedures))


def _records(lines: list[bytes]) -> list[tuple[bytes, ...]]:
    """Group each first line (record id 3 or 7) with its continuation lines."""
    records: list[list[bytes]] = []
    for line in lines:
        if line[10:11] in (b"3", b"7"):
            records.append([line])
        elif records:
            records[-1].append(line)
    return [tuple(record) for record in records]


@cache
def notes_2019() -> bytes:
    """The 2019 processing notes file, as CMS wrote it."""
    with zipfile.ZipFile(annual_zip(2019)) as archive:
        return archive.read(NOTES_2019)
