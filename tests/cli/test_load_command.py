import zipfile

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import CMS_DIR, annual_zip

RECORD_LAYOUT = CMS_DIR / "2019-HCPCS-Record-Layout.zip"

runner = CliRunner()


def words(text: str) -> str:
    """Output with its line breaks undone: rich wraps at the console's width."""
    return " ".join(text.split())


def hcpcs(url: str, *arguments: str):
    return runner.invoke(app, [*arguments, "--database", url])


def table_rows(output: str) -> list[list[str]]:
    """The cells of each body row of a table rich drew; folded lines are skipped."""
    rows = [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]
    return [row for row in rows if row[0]]


@pytest.fixture
def url(fresh_database) -> str:
    return fresh_database[0]


@pytest.fixture(scope="module")
def loaded_by_command(databases):
    """`hcpcs load` of 2017 and 2018: (url, engine, its result).

    Tests may run on it only commands that must change nothing.
    """
    url, engine = databases.new()
    result = hcpcs(url, "load", str(annual_zip(2017)), str(annual_zip(2018)))
    return url, engine, result


def test_load_prints_what_each_release_added_and_changed(loaded_by_command):
    _, _, result = loaded_by_command

    assert result.exit_code == 0
    assert result.stderr.strip() == ""
    assert words(result.stdout) == words(
        "release 2017 (2017-01-01) from "
        "2017-Alpha-Numeric-HCPCS-File.zip!HCPC17_CONTR_ANWEB.txt: "
        "6498 codes read, 6498 versions and 0 revisions added\n"
        "  against no earlier release: 6498 added, 0 discontinued, 0 changed, "
        "0 dropped from file\n"
        "release 2018 (2018-01-01) from "
        "2018-Alpha-Numeric-HCPCS-File.zip!HCPC2018_CONTR_ANWEB_disc.txt: "
        "6559 codes read, 333 versions and 20 revisions added\n"
        "  against 2017: 168 added, 29 discontinued, 156 changed, "
        "107 dropped from file\n"
    )


def test_load_of_a_loaded_release_says_nothing_changed(loaded_by_command, snapshot):
    url, engine, _ = loaded_by_command
    before = snapshot(engine)

    result = hcpcs(url, "load", str(annual_zip(2018)))

    assert result.exit_code == 0
    assert words(result.stdout) == (
        "release 2018 from "
        "2018-Alpha-Numeric-HCPCS-File.zip!HCPC2018_CONTR_ANWEB_disc.txt "
        "was already loaded; nothing changed"
    )
    assert snapshot(engine) == before


def test_load_with_label_takes_a_file_whose_name_does_not_say(url, tmp_path):
    path = tmp_path / "codes.txt"
    with zipfile.ZipFile(annual_zip(2020)) as release:
        path.write_bytes(release.read("HCPC2020_ANWEB_w_disclaimer.txt"))
    release = ["--label", "2020", "--release-date", "2020-01-01"]

    result = hcpcs(url, "load", str(path), *release)

    assert result.exit_code == 0
    assert words(result.stdout) == (
        "release 2020 (2020-01-01) from codes.txt: "
        "7079 codes read, 7079 versions and 0 revisions added "
        "against no earlier release: 7079 added, 0 discontinued, 0 changed, "
        "0 dropped from file"
    )


def test_releases_lists_the_loaded_releases(loaded_by_command):
    url, _, _ = loaded_by_command

    result = hcpcs(url, "releases")

    assert result.exit_code == 0
    assert [row[:3] for row in table_rows(result.stdout)] == [
        ["2017", "2017-01-01", "6498"],
        ["2018", "2018-01-01", "6559"],
    ]


def test_releases_on_an_empty_database_says_how_to_load(url):
    result = hcpcs(url, "releases")

    assert result.exit_code == 0
    assert result.stdout == "no releases loaded; run `hcpcs load PATH...`\n"


def test_load_refuses_a_file_that_is_no_release(url, tmp_path, snapshot, engine):
    path = tmp_path / "HCPC2020_README.txt"
    with zipfile.ZipFile(annual_zip(2020)) as release:
        path.write_bytes(release.read(path.name))
    release = ["--label", "2020", "--release-date", "2020-01-01"]

    result = hcpcs(url, "load", str(path), *release)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}: no HCPCS records found; this is not a release file\n"
    )
    assert "Traceback" not in result.output
    assert snapshot(engine)["release"] == []


def test_load_refuses_a_zip_without_release_data(url):
    result = hcpcs(url, "load", str(RECORD_LAYOUT))

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {RECORD_LAYOUT}: the ZIP holds no HCPCS release data"
    ]
    assert "Traceback" not in result.output


def test_load_refuses_a_name_that_does_not_say_the_release(url, tmp_path):
    path = tmp_path / "codes.txt"
    with zipfile.ZipFile(annual_zip(2020)) as release:
        path.write_bytes(release.read("HCPC2020_ANWEB_w_disclaimer.txt"))

    result = hcpcs(url, "load", str(path))

    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: the file name does not say which release this is; "
        "give --label and --release-date YYYY-MM-DD\n"
    )


def test_load_refuses_another_file_under_a_loaded_label(loaded_by_command, snapshot):
    url, engine, _ = loaded_by_command
    before = snapshot(engine)
    release = ["--label", "2017", "--release-date", "2017-01-01"]

    result = hcpcs(url, "load", str(annual_zip(2020)), *release)

    assert result.exit_code == 1
    assert words(result.stderr) == (
        "error: release 2017 is already loaded from another file "
        "(2017-Alpha-Numeric-HCPCS-File.zip!HCPC17_CONTR_ANWEB.txt); "
        "a release label names one file"
    )
    assert "Traceback" not in result.output
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    "release",
    [["--label", "2020-04"], ["--release-date", "2020-04-01"]],
    ids=["label-only", "date-only"],
)
def test_load_refuses_label_and_release_date_one_without_the_other(
    url, release, snapshot, engine
):
    result = hcpcs(url, "load", str(annual_zip(2020)), *release)

    assert result.exit_code == 1
    assert result.stderr == "error: give both --label and --release-date, or neither\n"
    assert snapshot(engine)["release"] == []


def test_load_refuses_a_release_date_that_is_no_date(url):
    release = ["--label", "2020-04", "--release-date", "2020-04-31"]

    result = hcpcs(url, "load", str(annual_zip(2020)), *release)

    assert result.exit_code == 1
    assert result.stderr == (
        "error: --release-date '2020-04-31' is not a date in the form YYYY-MM-DD\n"
    )


def test_load_refuses_one_label_for_several_files(url):
    zips = [str(annual_zip(2019)), str(annual_zip(2020))]
    release = ["--label", "2020-04", "--release-date", "2020-04-01"]

    result = hcpcs(url, "load", *zips, *release)

    assert result.exit_code == 1
    assert result.stderr == (
        "error: --label and --release-date name one release: load one file at a time\n"
    )
