"""ZIP bombs and huge members are refused by size, and never inflated past it."""

import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from db.settings import Settings
from db.sources import SourceError, read_source
from tests.reliability.release_slice import MEMBER_2019, slice_2019

MEGABYTE = 1024 * 1024
DEFAULT_LIMIT = Settings().max_member_bytes
# Read before any test spies on what the reader opens.
SLICE = slice_2019()


def write_zip(path: Path, member: str, data: bytes, inflated: int = 0) -> Path:
    """A ZIP holding `data` and then `inflated` zero bytes as one deflated member."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(member, "w") as stream:
            stream.write(data)
            for _ in range(inflated // MEGABYTE):
                stream.write(bytes(MEGABYTE))
    return path


def declare_size(path: Path, size: int) -> None:
    """Rewrite the member's uncompressed size in its local and central headers."""
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, size)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The names of the ZIP members the reader opens to inflate."""
    names: list[str] = []
    real_open = zipfile.ZipFile.open

    def spying_open(archive, member, mode="r", *args, **kwargs):
        if mode == "r":
            names.append(getattr(member, "filename", member))
        return real_open(archive, member, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)
    return names


def limit_members_to(monkeypatch, size: int) -> None:
    monkeypatch.setattr(
        "db.sources.get_settings", lambda: Settings(max_member_bytes=size)
    )


@pytest.fixture
def traced():
    """Python's own memory tracing, on for the test once it calls start."""
    yield tracemalloc
    tracemalloc.stop()


def test_member_one_byte_over_the_limit_is_refused_unopened(
    tmp_path, monkeypatch, opened
):
    data = SLICE.data()
    path = write_zip(tmp_path / "2019-Alpha-Numeric-HCPCS-File.zip", MEMBER_2019, data)
    limit_members_to(monkeypatch, len(data) - 1)

    with pytest.raises(SourceError) as error:
        read_source(path)

    assert str(error.value) == (
        f"{path}!{MEMBER_2019}: member is larger than {len(data) - 1} bytes"
    )
    assert opened == []


def test_member_at_the_limit_is_read(tmp_path, monkeypatch, opened):
    data = SLICE.data()
    path = write_zip(tmp_path / "2019-Alpha-Numeric-HCPCS-File.zip", MEMBER_2019, data)
    limit_members_to(monkeypatch, len(data))

    source = read_source(path)

    assert len(source.records) == len(SLICE.records)
    assert opened == [MEMBER_2019]


def test_zip_bomb_is_refused_by_its_declared_size_unopened(
    tmp_path, monkeypatch, opened
):
    path = write_zip(tmp_path / "bomb.zip", "bomb.txt", b"", inflated=64 * MEGABYTE)
    limit_members_to(monkeypatch, MEGABYTE)

    with pytest.raises(SourceError) as error:
        read_source(path)

    assert path.stat().st_size < 100_000
    assert (
        str(error.value) == f"{path}!bomb.txt: member is larger than {MEGABYTE} bytes"
    )
    assert opened == []


def test_member_declaring_gigabytes_is_refused_at_the_default_limit(tmp_path, opened):
    path = write_zip(tmp_path / "huge.zip", MEMBER_2019, SLICE.data())
    declare_size(path, 4_000_000_000)

    with pytest.raises(SourceError) as error:
        read_source(path)

    assert str(error.value) == (
        f"{path}!{MEMBER_2019}: member is larger than {DEFAULT_LIMIT} bytes"
    )
    assert opened == []


@pytest.mark.parametrize("declared", [1000, MEGABYTE])
def test_member_understating_its_size_is_inflated_no_further_than_it_says(
    tmp_path, monkeypatch, traced, declared
):
    path = write_zip(tmp_path / "liar.zip", MEMBER_2019, b"", inflated=64 * MEGABYTE)
    declare_size(path, declared)
    limit_members_to(monkeypatch, MEGABYTE)
    traced.start()

    with pytest.raises(SourceError) as error:
        read_source(path)

    assert str(error.value) == (
        f"{path}!{MEMBER_2019}: cannot inflate (Bad CRC-32 for file '{MEMBER_2019}')"
    )
    assert traced.get_traced_memory()[1] < 4 * MEGABYTE


def test_spreadsheet_with_a_part_over_the_limit_is_refused_unread(
    tmp_path, monkeypatch
):
    sheet = "xl/worksheets/sheet1.xml"
    path = write_zip(tmp_path / "HCPC2019_ANWEB.xlsx", sheet, b"", 64 * MEGABYTE)
    limit_members_to(monkeypatch, MEGABYTE)
    read: list[str] = []
    monkeypatch.setattr(
        "db.sources.read_spreadsheet", lambda data, name: read.append(name) or []
    )

    with pytest.raises(SourceError) as error:
        read_source(path)

    assert str(error.value) == (
        f"{path}: spreadsheet part {sheet} is larger than {MEGABYTE} bytes"
    )
    assert read == []
