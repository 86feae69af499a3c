import csv
import io
import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()

# Wide enough that rich draws most cells on one line.
WIDE = {"COLUMNS": "200"}

B4105_PRICING_BEFORE = (
    "00 — Service not separately priced by part B (e.g., services not covered, "
    "bundled, used by part A only, etc.)"
)
B4105_PRICING_AFTER = (
    "39 — Parenteral and Enteral Nutrition [Durable Medical Equipment, "
    "Prosthetics, Orthotics, Supplies And Surgical Dressings]"
)
B4105_MULTIPLE_BEFORE = (
    "9 — Not applicable as HCPCS not priced separately by part B (pricing "
    "indicator is 00) or value is not established (pricing indicator is '99')"
)
B4105_MULTIPLE_AFTER = "A — Not applicable as HCPCS priced under one methodology"


def hcpcs(url: str, *arguments: str):
    return runner.invoke(app, [*arguments, "--database", url], env=WIDE)


def words(text: str) -> str:
    """Output with its line breaks undone: rich wraps at the console's width."""
    return " ".join(text.split())


def table_rows(output: str) -> list[list[str]]:
    """Body rows of the tables rich drew, a cell's wrapped lines joined."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if rows and cells[0] == "":
            rows[-1] = [
                f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)
            ]
        else:
            rows.append(cells)
    return rows


def shown_fields(output: str) -> dict[str, str]:
    return dict(table_rows(output))


def log_entries(output: str) -> list[tuple[str, list[list[str]]]]:
    """Each history entry's heading line with the rows of its field table."""
    entries = []
    for block in output.split("\nrelease ")[1:]:
        heading, _, body = block.partition("\n")
        entries.append((f"release {heading}", table_rows(body)))
    return entries


@pytest.fixture(scope="module")
def url(loaded_database) -> str:
    return loaded_database[0]


@pytest.fixture(scope="module")
def csv_2019_2020(url) -> list[dict]:
    result = hcpcs(url, "changes", "2019", "2020", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def json_2019_2020(url) -> list[dict]:
    result = hcpcs(url, "changes", "2019", "2020", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_show_decodes_the_record_in_force_on_a_day(url):
    result = hcpcs(url, "show", "Q4212", "--as-of", "2020-06-01")

    assert result.exit_code == 0
    fields = shown_fields(result.stdout)
    assert fields["long_description"] == "Allogen, per cc"
    assert fields["pricing_indicators"] == "51 — Drugs [Other]"
    assert fields["betos"] == "O1E — Other drugs"
    assert fields["coverage"] == "C — Carrier judgment"
    assert fields["types_of_service"] == "1 — Medical care"
    assert fields["action"] == "A — Add procedure or modifier code (release 2020)"
    assert fields["valid"] == "2019-10-01 to open"
    assert fields["status"] == "ACTIVE on 2020-06-01"
    assert fields["stated_in"] == "2020"
    assert fields["known_at"] == "2020"


def test_show_known_at_answers_as_that_release_stated_it(url):
    result = hcpcs(url, "show", "B4105", "--as-of", "2019-06-01", "--known-at", "2019")

    assert result.exit_code == 0
    fields = shown_fields(result.stdout)
    assert fields["pricing_indicators"] == B4105_PRICING_BEFORE
    assert fields["coverage"] == "D — Special coverage instructions apply"
    assert fields["processing_note"] == (
        "0217 — SEC 30.7.2 OF THE CLAIMS PROCESSING MANUAL."
    )
    assert fields["revision"] == "1 of 1, stated in 2019"
    assert fields["known_at"] == "2019"


def test_show_gives_the_corrected_revision_with_its_proof(url):
    result = hcpcs(url, "show", "B4105", "--as-of", "2019-06-01")

    assert result.exit_code == 0
    fields = shown_fields(result.stdout)
    assert fields["pricing_indicators"] == B4105_PRICING_AFTER
    assert fields["processing_note"] == ""
    assert fields["stated_in"] == "2019, 2020"
    assert fields["revision"] == "2 of 2, stated in 2020"


def test_show_says_a_code_is_discontinued_after_its_termination_date(url):
    result = hcpcs(url, "show", "C9447", "--as-of", "2020-01-01")

    assert result.exit_code == 0
    fields = shown_fields(result.stdout)
    assert fields["status"] == "DISCONTINUED on 2020-01-01"
    assert fields["valid"] == "2019-10-01 to open; termination date 2019-09-30"
    assert fields["action"] == (
        "D — Discontinue procedure or modifier code (release 2020)"
    )


def test_show_reads_the_database_from_the_environment(url):
    environment = {**WIDE, "HCPCS_DATABASE_URL": url}

    result = runner.invoke(
        app, ["show", "Q4212", "--as-of", "2020-06-01"], env=environment
    )

    assert result.exit_code == 0
    assert shown_fields(result.stdout)["code"] == "Q4212"


def test_history_lists_a_correction_before_the_revision_it_corrects(url):
    result = hcpcs(url, "history", "B4105")

    assert result.exit_code == 0
    assert result.stdout.startswith(
        "B4105: 1 version, 2 revisions, as known at 2020; newest first\n"
    )
    entries = log_entries(result.stdout)
    assert [heading for heading, _ in entries] == [
        "release 2020 (2020-01-01): correction of version 2019-01-01",
        "release 2019 (2019-01-01): first statement of the code, version 2019-01-01",
    ]
    assert entries[0][1] == [
        ["pricing_indicators", B4105_PRICING_BEFORE, B4105_PRICING_AFTER],
        ["multiple_pricing_indicator", B4105_MULTIPLE_BEFORE, B4105_MULTIPLE_AFTER],
        ["coverage", "D — Special coverage instructions apply", "C — Carrier judgment"],
        ["processing_note", "0217", "(none)"],
    ]
    assert "revision 2 of 2 (current), stated in 2020" in result.stdout
    assert "revision 1 of 2 (superseded), stated in 2019" in result.stdout


def test_history_marks_an_earlier_revision_restated(url):
    result = hcpcs(url, "history", "E0210")

    assert result.exit_code == 0
    entries = log_entries(result.stdout)
    assert [heading for heading, _ in entries] == [
        "release 2020 (2020-01-01): restates version 2003-01-01 as release 2017 "
        "stated it",
        "release 2018 (2018-01-01): correction of version 2003-01-01",
        "release 2017 (2017-01-01): first statement of the code, version 2003-01-01",
    ]
    correction = entries[1][1]
    assert [row[0] for row in correction] == ["types_of_service"]
    assert "R — Rental of DME" in correction[0][1]
    assert "R — Rental of DME" not in correction[0][2]


def test_history_shows_the_release_that_dropped_a_code_from_its_file(url):
    result = hcpcs(url, "history", "DA")

    assert result.exit_code == 0
    headings = [heading for heading, _ in log_entries(result.stdout)]
    assert headings == [
        "release 2020 (2020-01-01): restates version 2011-01-01 as release 2017 "
        "stated it",
        "release 2019 (2019-01-01): dropped from file; its history is unchanged",
        "release 2017 (2017-01-01): first statement of the code, version 2011-01-01",
    ]


def test_history_known_at_leaves_out_later_releases(url):
    result = hcpcs(url, "history", "B4105", "--known-at", "2019")

    assert result.exit_code == 0
    assert result.stdout.startswith(
        "B4105: 1 version, 1 revision, as known at 2019; newest first\n"
    )
    assert len(log_entries(result.stdout)) == 1


def test_changes_csv_has_one_row_per_changed_field(csv_2019_2020):
    codes_by_kind = Counter(
        row["kind"] for row in {r["code"]: r for r in csv_2019_2020}.values()
    )
    rows_by_kind = Counter(row["kind"] for row in csv_2019_2020)

    assert list(csv_2019_2020[0]) == [
        "code",
        "kind",
        "field",
        "before",
        "after",
        "action",
        "before_decoded",
        "after_decoded",
    ]
    assert len(csv_2019_2020) == 3440
    assert codes_by_kind == {"ADDED": 279, "CHANGED": 204, "DISCONTINUED": 89}
    assert rows_by_kind == {"ADDED": 2883, "CHANGED": 353, "DISCONTINUED": 204}


def test_changes_csv_decodes_indicators(csv_2019_2020):
    rows = [row for row in csv_2019_2020 if row["code"] == "B4105"]

    assert [(r["field"], r["before"], r["after"], r["action"]) for r in rows] == [
        ("pricing_indicators", "00", "39", "N"),
        ("multiple_pricing_indicator", "9", "A", "N"),
        ("coverage", "D", "C", "N"),
        ("processing_note", "0217", "", "N"),
    ]
    assert rows[0]["before_decoded"] == B4105_PRICING_BEFORE
    assert rows[0]["after_decoded"] == B4105_PRICING_AFTER
    assert rows[3]["before_decoded"] == ""


def test_changes_csv_gives_a_dropped_code_one_row_without_a_field(url):
    result = hcpcs(
        url, "changes", "2017", "2018", "--kind", "DROPPED_FROM_FILE", "--format", "csv"
    )

    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 107
    assert rows[0] == {
        "code": "C1204",
        "kind": "DROPPED_FROM_FILE",
        "field": "",
        "before": "",
        "after": "",
        "action": "",
        "before_decoded": "",
        "after_decoded": "",
    }
    assert {row["field"] for row in rows} == {""}


def test_changes_json_lines_hold_one_object_per_code(json_2019_2020, csv_2019_2020):
    b4105 = next(line for line in json_2019_2020 if line["code"] == "B4105")
    a0130 = next(line for line in json_2019_2020 if line["code"] == "A0130")

    assert len(json_2019_2020) == 572
    assert {tuple(line) for line in json_2019_2020} == {
        ("code", "kind", "action", "changes")
    }
    assert sum(max(1, len(line["changes"])) for line in json_2019_2020) == len(
        csv_2019_2020
    )
    assert (b4105["kind"], b4105["action"]) == ("CHANGED", "N")
    assert b4105["changes"][0] == {
        "field": "pricing_indicators",
        "before": ["00"],
        "after": ["39"],
        "before_decoded": [
            {
                "code": "00",
                "description": B4105_PRICING_BEFORE.removeprefix("00 — "),
                "group": None,
                "known": True,
            }
        ],
        "after_decoded": [
            {
                "code": "39",
                "description": "Parenteral and Enteral Nutrition",
                "group": "Durable Medical Equipment, Prosthetics, Orthotics, "
                "Supplies And Surgical Dressings",
                "known": True,
            }
        ],
    }
    assert a0130["changes"] == [
        {
            "field": "action_effective_date",
            "before": "1982-01-01",
            "after": None,
            "before_decoded": [],
            "after_decoded": [],
        }
    ]


def test_changes_kind_filter_keeps_only_the_kinds_named(url):
    result = hcpcs(
        url,
        "changes",
        "2019",
        "2020",
        "--kind",
        "discontinued",
        "--kind",
        "ADDED",
        "--format",
        "json",
    )

    assert result.exit_code == 0
    kinds = Counter(json.loads(line)["kind"] for line in result.stdout.splitlines())
    assert kinds == {"ADDED": 279, "DISCONTINUED": 89}


def test_changes_table_names_each_code_and_counts_them(url):
    result = hcpcs(url, "changes", "2018", "2019", "--kind", "DROPPED_FROM_FILE")

    assert result.exit_code == 0
    assert words(result.stdout) == words(
        "DA DROPPED_FROM_FILE not in release 2019's file; its history is unchanged\n"
        "G9976 DROPPED_FROM_FILE not in release 2019's file; its history is "
        "unchanged\n"
        "G9977 DROPPED_FROM_FILE not in release 2019's file; its history is "
        "unchanged\n"
        "3 codes: 0 added, 0 discontinued, 0 changed, 3 dropped from file"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["show", "ZZZZZ", "--as-of", "2020-06-01"],
            "code ZZZZZ is not in any release up to 2020",
        ),
        (
            ["show", "Q4212", "--as-of", "2020-13-01"],
            "--as-of '2020-13-01' is not a date in the form YYYY-MM-DD",
        ),
        (
            ["show", "Q4212", "--known-at", "2021"],
            "release '2021' is not loaded; loaded: 2017, 2018, 2019, 2020",
        ),
        (
            ["show", "Q4212", "--as-of", "2019-01-01"],
            "Q4212 has no version in force on 2019-01-01 as known at 2020; "
            "its first version starts 2019-10-01",
        ),
        (["history", "ZZZZZ"], "code ZZZZZ is not in any release up to 2020"),
        (
            ["history", "Q4212", "--known-at", "2019"],
            "code Q4212 is not in any release up to 2019",
        ),
        (
            ["changes", "2019", "2021"],
            "release '2021' is not loaded; loaded: 2017, 2018, 2019, 2020",
        ),
        (
            ["changes", "2020", "2019"],
            "release '2020' is later than release '2019'; "
            "FROM names the earlier release",
        ),
        (
            ["changes", "2019", "2020", "--kind", "RENAMED"],
            "--kind 'RENAMED' is not one of ADDED, DISCONTINUED, CHANGED, "
            "DROPPED_FROM_FILE",
        ),
        (
            ["changes", "2019", "2020", "--format", "xml"],
            "--format 'xml' is not one of table, csv, json",
        ),
    ],
)
def test_bad_input_gets_one_error_line_and_exit_status_1(url, arguments, message):
    result = hcpcs(url, *arguments)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_an_empty_store_is_an_error_not_an_empty_answer(fresh_database):
    url, _ = fresh_database

    result = hcpcs(url, "show", "Q4212")

    assert result.exit_code == 1
    assert result.stderr == "error: no releases loaded; run `hcpcs load PATH...`\n"


def test_changes_of_a_release_with_itself_are_empty(url):
    result = hcpcs(url, "changes", "2019", "2019", "--format", "csv")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "code,kind,field,before,after,action,before_decoded,after_decoded"
    ]
