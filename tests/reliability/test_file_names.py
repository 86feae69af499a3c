"""Files with odd names load, and the release records the name as it is."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from cli.main import app
from db.load import load_release
from db.models import Release
from db.sources import SourceError, read_source
from tests.reliability.loading import zipped
from tests.reliability.release_slice import MEMBER_2019, slice_2019
from tests.reliability.stored import remove_release

SLICE = slice_2019()
ODD_NAMES = [
    "HCPCS 2019 release  (copy).txt",
    "HCPCS-2019-ünïcødé-日本語-💊.txt",
    'it\'s the "2019" release.txt',
    "-2019 starts with a dash.txt",
    "$(echo 2019) `whoami` ;|&*?[].txt",
    "%s %d %%2019 {label}.txt",
    "x" * 251 + ".txt",
    "é" * 120 + ".txt",
]
ODD_MEMBERS = ["HCPC 2019 ünïcødé.txt", "data/nested/" + MEMBER_2019]


@pytest.fixture(scope="module")
def store(databases) -> tuple[str, Engine]:
    return databases.new()


@pytest.fixture
def engine(store) -> Iterator[Engine]:
    """The module's store, empty at the start of each test and emptied after it."""
    yield store[1]
    remove_release(store[1], "2019")


def recorded_source_file(engine) -> str:
    with engine.connect() as conn:
        return conn.execute(select(Release.source_file)).scalar_one()


def load(engine, path: Path):
    return load_release(engine, read_source(path), "2019", date(2019, 1, 1))


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_file_name_is_recorded_as_the_release_source(engine, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(SLICE.data())

    summary = load(engine, path)

    assert summary.source_file == name
    assert recorded_source_file(engine) == name
    assert summary.codes_read == 40


@pytest.mark.parametrize("member", ODD_MEMBERS)
def test_odd_member_name_is_recorded_after_the_zip_name(engine, tmp_path, member):
    path = tmp_path / "HCPCS 2019 (ünïcødé).zip"
    path.write_bytes(zipped(SLICE.data(), member))

    summary = load(engine, path)

    assert recorded_source_file(engine) == f"HCPCS 2019 (ünïcødé).zip!{member}"
    assert summary.codes_read == 40


def test_name_that_is_not_utf8_is_recorded_with_its_bytes_escaped(engine, tmp_path):
    raw = os.fsencode(tmp_path) + b"/HCPCS 2019 caf\xe9.txt"
    with open(raw, "wb") as file:
        file.write(SLICE.data())

    load(engine, Path(os.fsdecode(raw)))

    assert recorded_source_file(engine) == "HCPCS 2019 caf\\xe9.txt"


def test_name_longer_than_the_store_records_is_refused(engine, tmp_path, snapshot):
    path = tmp_path / ("x" * 240 + ".zip")
    path.write_bytes(zipped(SLICE.data(), MEMBER_2019))
    before = snapshot(engine)
    name = f"{path.name}!{MEMBER_2019}"

    with pytest.raises(SourceError) as error:
        load(engine, path)

    assert str(error.value) == (
        f"{path}: the name {name} is {len(name)} characters long, "
        "more than the 255 the store records"
    )
    assert snapshot(engine) == before


def test_load_command_takes_a_relative_name_starting_with_a_dash(
    store, engine, tmp_path, monkeypatch
):
    url = store[0]
    (tmp_path / "-2019.txt").write_bytes(SLICE.data())
    monkeypatch.chdir(tmp_path)
    release = ["--label", "2019", "--release-date", "2019-01-01"]

    result = CliRunner().invoke(
        app, ["load", *release, "--database", url, "--", "-2019.txt"]
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "release 2019 (2019-01-01) from -2019.txt: 40 codes"
    )
    assert recorded_source_file(engine) == "-2019.txt"
