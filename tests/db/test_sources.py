import zipfile
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from db.sources import SourceError, infer_release, read_source
from tests.conftest import CMS_DIR, annual_zip, load_path

RECORD_LAYOUT = CMS_DIR / "2019-HCPCS-Record-Layout.zip"
TXT_2020 = "HCPC2020_ANWEB_w_disclaimer.txt"

# The first 25 lines of the 2020 TXT: nine lines of disclaimer, then the
# modifiers A1 to AH, AD's first line at 20 and its continuation line at 21.
HEAD = 25

BadInput = Callable[[Path], tuple[Path, str]]


@cache
def release_lines(year: int) -> tuple[str, ...]:
    """The lines of a release's TXT as CMS wrote them, line ends kept."""
    member = read_source(annual_zip(year)).data_member
    with zipfile.ZipFile(annual_zip(year)) as archive:
        text = archive.read(member).decode("cp1252")
    return tuple(text.splitlines(keepends=True))


def head_2020() -> list[str]:
    return list(release_lines(2020)[:HEAD])


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_bytes("".join(lines).encode("cp1252"))
    return path


def overwrite(line: str, column: int, text: str) -> str:
    """`line` with `text` written from `column` on, 1-based as in the layout."""
    return line[: column - 1] + text + line[column - 1 + len(text) :]


def empty_file(tmp_path):
    path = tmp_path / "HCPC2020_ANWEB.txt"
    path.write_bytes(b"")
    return path, f"{path}: the file is empty"


def missing_file(tmp_path):
    path = tmp_path / "HCPC2020_ANWEB.txt"
    return path, f"{path}: cannot be read (No such file or directory)"


def readme_text(tmp_path):
    path = tmp_path / "HCPC2020_README.txt"
    with zipfile.ZipFile(annual_zip(2020)) as archive:
        path.write_bytes(archive.read("HCPC2020_README.txt"))
    return path, f"{path}: no HCPCS records found; this is not a release file"


def cut_off_record(tmp_path):
    lines = head_2020()
    lines[-1] = lines[-1][:150]
    path = write_lines(tmp_path / TXT_2020, lines)
    return path, (
        f"{path}: line 25: record is cut short at column 150; "
        "a first line runs to column 293 at least"
    )


def garbled_record(tmp_path):
    lines = head_2020()
    lines[21] = overwrite(lines[21], 6, "#?!x0")
    path = write_lines(tmp_path / TXT_2020, lines)
    return path, f"{path}: line 22: line is not an HCPCS record"


def continuation_without_first_line(tmp_path):
    lines = head_2020()
    del lines[19]
    path = write_lines(tmp_path / TXT_2020, lines)
    return path, (
        f"{path}: line 20: continuation line for AD has no first line before it"
    )


def code_twice(tmp_path):
    lines = head_2020()
    lines.append(lines[9])
    path = write_lines(tmp_path / TXT_2020, lines)
    return path, f"{path}: line 26: code A1 appears twice (first at line 10)"


def invalid_date(tmp_path):
    lines = head_2020()
    lines[21] = overwrite(lines[21], 277, "20051301")
    path = write_lines(tmp_path / TXT_2020, lines)
    return path, (
        f"{path}: line 22: action effective date '20051301' is not a real date"
    )


def zip_that_is_not_a_zip(tmp_path):
    path = tmp_path / "2020-Alpha-Numeric-HCPCS-File.zip"
    path.write_bytes("".join(head_2020()).encode("cp1252"))
    return path, f"{path}: not a ZIP archive"


def zip_without_release_data(tmp_path):
    return RECORD_LAYOUT, f"{RECORD_LAYOUT}: the ZIP holds no HCPCS release data"


def zip_with_a_garbled_record(tmp_path):
    lines = head_2020()
    lines[21] = overwrite(lines[21], 6, "#?!x0")
    path = tmp_path / "2020-Alpha-Numeric-HCPCS-File.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(TXT_2020, "".join(lines).encode("cp1252"))
    return path, f"{path}!{TXT_2020}: line 22: line is not an HCPCS record"


BAD_INPUTS: list[BadInput] = [
    empty_file,
    missing_file,
    readme_text,
    cut_off_record,
    garbled_record,
    continuation_without_first_line,
    code_twice,
    invalid_date,
    zip_that_is_not_a_zip,
    zip_without_release_data,
    zip_with_a_garbled_record,
]


@pytest.fixture(scope="module")
def store_2020(databases):
    """A database holding the 2020 release: (url, engine); tests leave it as is."""
    url, engine = databases.new()
    load_path(engine, annual_zip(2020))
    return url, engine


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2020-Alpha-Numeric-HCPCS-File.zip", ("2020", date(2020, 1, 1))),
        ("2017-Alpha-Numeric-HCPCS-File.zip", ("2017", date(2017, 1, 1))),
        ("HCPC2020_APR_ANWEB.xlsx", ("2020-04", date(2020, 4, 1))),
        ("HCPC2019_OCT_ANWEB_v2.txt", ("2019-10", date(2019, 10, 1))),
        ("JULY2018-HCPCS.zip", ("2018-07", date(2018, 7, 1))),
        ("HCPC2020_ANWEB_w_disclaimer.txt", ("2020", date(2020, 1, 1))),
        ("HCPC17_CONTR_ANWEB.txt", ("2017", date(2017, 1, 1))),
        ("HCPC2018_CONTR_ANWEB_disc.xlsx", ("2018", date(2018, 1, 1))),
        ("HCPC2020_TRANS_ALPHA_w_disclaimer.xlsx", None),
        ("2019-HCPCS-Record-Layout.zip", None),
        ("2019-HCPCS-Alpha-Numeric-Corrections.zip", None),
        ("proc_notes_2020.txt", None),
    ],
)
def test_infer_release_reads_label_and_date_from_the_file_name(name, expected):
    inferred = infer_release(name)

    assert inferred == expected


def test_read_source_finds_the_txt_among_the_zip_members():
    source = read_source(annual_zip(2020))

    assert source.data_member == TXT_2020
    assert source.source_file == f"2020-Alpha-Numeric-HCPCS-File.zip!{TXT_2020}"
    assert len(source.records) == 7079
    assert len(source.processing_notes) == 220


def test_read_source_skips_the_disclaimer_before_the_records(tmp_path):
    path = write_lines(tmp_path / TXT_2020, head_2020())

    source = read_source(path)

    assert [(r.code, r.line) for r in source.records[:3]] == [
        ("A1", 10),
        ("A2", 11),
        ("A3", 12),
    ]
    assert len(source.records) == 15
    assert source.records[10].long_description == (
        "Medical supervision by a physician: more than four concurrent "
        "anesthesia procedures"
    )


@pytest.mark.parametrize("bad_input", BAD_INPUTS, ids=lambda f: f.__name__)
def test_read_source_names_the_file_and_line_of_bad_input(bad_input, tmp_path):
    path, message = bad_input(tmp_path)

    with pytest.raises(SourceError) as error:
        read_source(path)

    assert str(error.value) == message


@pytest.mark.parametrize("bad_input", BAD_INPUTS, ids=lambda f: f.__name__)
def test_load_command_stores_nothing_from_bad_input(
    bad_input, tmp_path, store_2020, snapshot
):
    path, message = bad_input(tmp_path)
    url, engine = store_2020
    before = snapshot(engine)
    arguments = ["--label", "2021", "--release-date", "2021-01-01"]

    result = CliRunner().invoke(app, ["load", str(path), *arguments, "--database", url])

    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"
    assert snapshot(engine) == before


def test_load_command_stores_nothing_when_a_later_file_is_bad(
    tmp_path, store_2020, snapshot
):
    path, message = garbled_record(tmp_path)
    url, engine = store_2020
    before = snapshot(engine)
    paths = [str(annual_zip(2019)), str(path)]

    result = CliRunner().invoke(app, ["load", *paths, "--database", url])

    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"
    assert snapshot(engine) == before


def test_read_source_names_a_corrections_zip_as_such():
    path = CMS_DIR / "2019-HCPCS-Alpha-Numeric-Corrections.zip"

    with pytest.raises(SourceError) as refused:
        read_source(path)

    assert str(refused.value) == (
        f"{path}: a corrections (errata) file, not a release; CMS restates "
        "corrected records in its next release file, which is what to load"
    )
