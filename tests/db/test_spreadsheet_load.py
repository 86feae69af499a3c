import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from db.models import Release, Revision, Statement
from db.revisions import revision_content
from db.sources import read_source
from tests.db.test_spreadsheet import CMS, MEMBERS, SPREADSHEET_ONLY


def annual_zip(year: int) -> Path:
    return CMS / f"{year}-Alpha-Numeric-HCPCS-File.zip"


def spreadsheet_of(year: str, directory: Path, packed: bool) -> Path:
    """The release's spreadsheet, as a plain file or alone in a ZIP."""
    member = MEMBERS[year][0]
    with zipfile.ZipFile(annual_zip(int(year))) as release:
        data = release.read(member)
    if not packed:
        path = directory / member
        path.write_bytes(data)
        return path
    path = directory / f"{Path(member).stem}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, data)
    return path


def statements_of(engine, label: str) -> dict[str, tuple[dict, str | None]]:
    """Code -> (revision content, action code) of each statement of a release."""
    query = (
        select(Revision.__table__, Statement.action_code)
        .join(Statement, Statement.revision_id == Revision.id)
        .join(Release, Release.id == Statement.release_id)
        .where(Release.label == label)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return {row.code: (revision_content(row), row.action_code) for row in rows}


def differences(stated: dict, stated_by_txt: dict) -> dict:
    """(code, field) -> the spreadsheet's value, where it is not the TXT's."""
    return {
        (code, field): value
        for code in sorted(stated)
        for field, value in stated[code][0].items()
        if value != stated_by_txt[code][0][field]
    }


@pytest.mark.parametrize(
    ("year", "packed"), [("2019", False), ("2020", True)], ids=["xlsx", "xls-in-zip"]
)
def test_load_of_a_spreadsheet_stores_what_its_txt_states(
    year, packed, tmp_path, fresh_database, loaded_engine
):
    path = spreadsheet_of(year, tmp_path, packed)
    url, engine = fresh_database
    release = ["--label", year, "--release-date", f"{year}-01-01"]
    member = MEMBERS[year][0]

    result = CliRunner().invoke(app, ["load", str(path), *release, "--database", url])

    with engine.connect() as conn:
        (loaded,) = conn.execute(
            select(Release.label, Release.effective_date, Release.source_file)
        ).all()
    stated = statements_of(engine, year)
    stated_by_txt = statements_of(loaded_engine, year)
    assert result.exit_code == 0, result.output
    assert tuple(loaded) == (
        year,
        date(int(year), 1, 1),
        f"{path.name}!{member}" if packed else member,
    )
    assert stated.keys() == stated_by_txt.keys()
    assert differences(stated, stated_by_txt) == SPREADSHEET_ONLY[year]
    assert {code: s[1] for code, s in stated.items()} == {
        code: s[1] for code, s in stated_by_txt.items()
    }


@pytest.mark.parametrize(
    ("year", "packed"), [("2019", True), ("2020", False)], ids=["xlsx-in-zip", "xls"]
)
def test_read_source_reads_a_spreadsheet_alone_or_in_a_zip_alike(
    year, packed, tmp_path
):
    path = spreadsheet_of(year, tmp_path, packed)
    other = spreadsheet_of(year, tmp_path, not packed)

    records = read_source(path).records

    assert [r.content() for r in records] == [
        r.content() for r in read_source(other).records
    ]
    assert len(records) == {"2019": 6800, "2020": 7079}[year]
