"""A database URL that cannot be used gets one clear error line, no traceback."""

import zipfile

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import annual_zip

runner = CliRunner()


def hcpcs(*arguments: str):
    return runner.invoke(app, list(arguments))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("foo://bar", "Can't load plugin: sqlalchemy.dialects:foo"),
        ("notaurl", "Could not parse SQLAlchemy URL from given URL string"),
        (
            "postgresql+psycopg://u@127.0.0.1:notaport/db",
            "invalid literal for int() with base 10: 'notaport'",
        ),
    ],
)
def test_an_unusable_url_is_one_error_line(url, reason):
    result = hcpcs("releases", "--database", url)

    assert result.exit_code == 1
    assert result.stderr == f"error: cannot open database {url}: {reason}\n"


def test_an_in_memory_database_is_refused():
    result = hcpcs("releases", "--database", "sqlite://")

    assert result.exit_code == 1
    assert result.stderr == (
        "error: database sqlite:// is in memory and would vanish; "
        "name a file or server\n"
    )


def test_a_file_that_is_no_database_is_one_error_line(tmp_path):
    path = tmp_path / "garbage.bin"
    path.write_bytes(b"\x00\x01not sqlite" * 100)

    result = hcpcs("releases", "--database", f"sqlite:///{path}")

    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot open database sqlite:///{path}: file is not a database\n"
    )


@pytest.mark.parametrize("label", ["   ", "2020\nx", "[red]x", "-2020"])
def test_a_label_that_is_no_plain_word_is_refused(fresh_database, tmp_path, label):
    url, _ = fresh_database
    path = tmp_path / "codes.txt"
    with zipfile.ZipFile(annual_zip(2020)) as release:
        path.write_bytes(release.read("HCPC2020_ANWEB_w_disclaimer.txt"))

    result = hcpcs(
        "load",
        str(path),
        "--label",
        label,
        "--release-date",
        "2020-01-01",
        "--database",
        url,
    )

    assert result.exit_code == 1
    assert "may hold only letters, digits" in result.stderr


def test_a_week_date_is_no_release_date(fresh_database, tmp_path):
    url, _ = fresh_database
    path = tmp_path / "codes.txt"
    path.write_text("not read")

    result = hcpcs(
        "load",
        str(path),
        "--label",
        "2040",
        "--release-date",
        "2040-W01-1",
        "--database",
        url,
    )

    assert result.exit_code == 1
    assert result.stderr == (
        "error: --release-date '2040-W01-1' is not a date in the form YYYY-MM-DD\n"
    )
