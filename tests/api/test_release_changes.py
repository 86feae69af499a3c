"""releaseChanges(): what differs between two annual releases, checked on the files."""

from collections import Counter

import pytest

from api.changes import code_field_name
from db.changes import COMPARED_FIELDS

CHANGES = """
query ($from: String!, $to: String!, $kind: ChangeKind, $first: Int, $after: String) {
  releaseChanges(from: $from, to: $to, kind: $kind, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        code kind
        action { code description }
        changes {
          field before after beforeValues afterValues
          beforeDecoded { code description }
          afterDecoded { code description }
        }
      }
    }
  }
}
"""


def all_changes(client, earlier, later, kind=None, page=100) -> tuple[list, set]:
    """Every change, page by page, and the totalCount each page reported."""
    nodes, totals, after = [], set(), None
    while True:
        found = client.data(
            CHANGES,
            **{"from": earlier, "to": later},
            kind=kind,
            first=page,
            after=after,
        )["releaseChanges"]
        nodes += [edge["node"] for edge in found["edges"]]
        totals.add(found["totalCount"])
        if not found["pageInfo"]["hasNextPage"]:
            return nodes, totals
        after = found["pageInfo"]["endCursor"]


@pytest.fixture(scope="module")
def changes_2019_2020(client) -> list[dict]:
    nodes, _ = all_changes(client, "2019", "2020", page=500)
    return nodes


def test_release_changes_2019_to_2020_counts_each_kind(changes_2019_2020):
    changes = changes_2019_2020

    kinds = Counter(change["kind"] for change in changes)

    # 6,800 codes in the 2019 file + 279 added - 0 dropped = 7,079 in 2020's.
    assert kinds == {"ADDED": 279, "DISCONTINUED": 89, "CHANGED": 204}
    assert len(changes) == 572


@pytest.mark.parametrize(
    ("kind", "count"),
    [("ADDED", 279), ("DISCONTINUED", 89), ("CHANGED", 204), ("DROPPED_FROM_FILE", 0)],
)
def test_release_changes_kind_filter_counts(client, kind, count):
    releases = {"from": "2019", "to": "2020"}

    found = client.data(CHANGES, **releases, kind=kind, first=500)["releaseChanges"]

    assert found["totalCount"] == count
    assert len(found["edges"]) == count
    assert {edge["node"]["kind"] for edge in found["edges"]} <= {kind}


def test_release_changes_added_are_the_codes_new_in_the_2020_file(
    changes_2019_2020, release_records
):
    new_codes = set(release_records["2020"]) - set(release_records["2019"])

    added = {c["code"] for c in changes_2019_2020 if c["kind"] == "ADDED"}

    assert len(new_codes) == 279
    assert added == new_codes


def test_release_changes_dropped_are_the_codes_missing_from_the_later_file(
    client, release_records
):
    gone = set(release_records["2017"]) - set(release_records["2018"])

    nodes, _ = all_changes(client, "2017", "2018", kind="DROPPED_FROM_FILE")

    assert len(gone) == 107
    assert {node["code"] for node in nodes} == gone
    assert all(node["action"] is None for node in nodes)


def test_release_changes_discontinued_gain_a_termination_date_in_the_file(
    changes_2019_2020, release_records
):
    earlier, later = release_records["2019"], release_records["2020"]
    expected = {
        code
        for code, record in later.items()
        if code in earlier
        and record.termination_date
        and not earlier[code].termination_date
    }

    found = {c["code"] for c in changes_2019_2020 if c["kind"] == "DISCONTINUED"}

    assert found == expected


def test_release_changes_changed_are_the_codes_whose_content_differs(
    changes_2019_2020, release_records
):
    earlier, later = release_records["2019"], release_records["2020"]
    expected = {
        code
        for code, record in later.items()
        if code in earlier
        and record.content_hash() != earlier[code].content_hash()
        and not (record.termination_date and not earlier[code].termination_date)
    }

    found = {c["code"] for c in changes_2019_2020 if c["kind"] == "CHANGED"}

    assert found == expected


def test_release_changes_every_changed_code_has_a_field_change(changes_2019_2020):
    changed = [c for c in changes_2019_2020 if c["kind"] == "CHANGED"]

    without_fields = [c["code"] for c in changed if not c["changes"]]

    assert len(changed) == 204
    assert without_fields == []


@pytest.mark.parametrize("page", [23, 100, 500])
def test_release_changes_paging_through_every_page_gives_the_total(client, page):
    releases = ("2019", "2020")

    nodes, totals = all_changes(client, *releases, page=page)

    codes = [node["code"] for node in nodes]
    assert totals == {572}
    assert len(codes) == 572
    assert codes == sorted(set(codes))


def test_release_changes_paging_a_kind_gives_its_total(client):
    releases = ("2019", "2020")

    nodes, totals = all_changes(client, *releases, kind="DISCONTINUED", page=10)

    assert totals == {89}
    assert len({node["code"] for node in nodes}) == 89


def test_release_changes_decode_indicator_fields_of_a_correction(changes_2019_2020):
    b4105 = next(c for c in changes_2019_2020 if c["code"] == "B4105")

    pricing = next(f for f in b4105["changes"] if f["field"] == "pricingIndicators")

    assert b4105["kind"] == "CHANGED"
    assert b4105["action"] == {
        "code": "N",
        "description": "No maintenance for this code",
    }
    assert [f["field"] for f in b4105["changes"]] == [
        "pricingIndicators",
        "multiplePricingIndicator",
        "coverage",
        "processingNote",
    ]
    assert pricing == {
        "field": "pricingIndicators",
        "before": "00",
        "after": "39",
        "beforeValues": ["00"],
        "afterValues": ["39"],
        "beforeDecoded": [
            {
                "code": "00",
                "description": "Service not separately priced by part B (e.g., "
                "services not covered, bundled, used by part A only, etc.)",
            }
        ],
        "afterDecoded": [
            {"code": "39", "description": "Parenteral and Enteral Nutrition"}
        ],
    }


def test_release_changes_of_an_added_code_carry_its_values(changes_2019_2020):
    q4212 = next(c for c in changes_2019_2020 if c["code"] == "Q4212")

    by_field = {f["field"]: f for f in q4212["changes"]}

    assert q4212["kind"] == "ADDED"
    assert q4212["action"]["code"] == "A"
    assert by_field["coverage"]["before"] is None
    assert by_field["coverage"]["afterDecoded"] == [
        {"code": "C", "description": "Carrier judgment"}
    ]
    assert by_field["betos"]["afterDecoded"] == [
        {"code": "O1E", "description": "Other drugs"}
    ]


def test_release_changes_field_names_are_fields_of_code(client, changes_2019_2020):
    code_fields = {
        field["name"]
        for field in client.data('{ __type(name: "Code") { fields { name } } }')[
            "__type"
        ]["fields"]
    }

    named = {code_field_name(name) for name in COMPARED_FIELDS}
    reported = {f["field"] for c in changes_2019_2020 for f in c["changes"]}

    assert named <= code_fields
    assert reported <= code_fields
    assert "ascPaymentGroupEffectiveDate" in reported


def test_release_changes_of_a_release_with_itself_are_empty(client):
    releases = {"from": "2020", "to": "2020"}

    found = client.data(CHANGES, **releases)["releaseChanges"]

    assert found == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


@pytest.mark.parametrize(
    ("earlier", "later", "kinds"),
    [
        ("2017", "2018", {"ADDED": 168, "DISCONTINUED": 29, "CHANGED": 156}),
        ("2018", "2019", {"ADDED": 244, "DISCONTINUED": 33, "CHANGED": 180}),
    ],
)
def test_release_changes_earlier_years_balance_the_file_sizes(
    client, release_records, earlier, later, kinds
):
    size_change = len(release_records[later]) - len(release_records[earlier])

    nodes, _ = all_changes(client, earlier, later, page=500)

    counted = Counter(node["kind"] for node in nodes)
    assert {kind: counted[kind] for kind in kinds} == kinds
    assert counted["ADDED"] - counted["DROPPED_FROM_FILE"] == size_change
