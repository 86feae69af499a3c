"""codes(): the codes in force on a day, filtered and paged, checked on the files."""

from datetime import date

import pytest

CODES = """
query ($filter: CodeFilter, $first: Int, $after: String) {
  codes(asOf: "2020-06-01", filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { code } }
  }
}
"""

QUERY_DAY = date(2020, 6, 1)


def every_code(client, filter: dict | None = None) -> tuple[list[str], set[int]]:
    """Every code the filter lets through, page by page, and the totals reported."""
    codes, totals, after = [], set(), None
    while True:
        found = client.data(CODES, filter=filter, first=500, after=after)["codes"]
        codes += [edge["node"]["code"] for edge in found["edges"]]
        totals.add(found["totalCount"])
        if not found["pageInfo"]["hasNextPage"]:
            return codes, totals
        after = found["pageInfo"]["endCursor"]


def active(record) -> bool:
    return record.termination_date is None or record.termination_date >= QUERY_DAY


# Each filter, how the files say which codes it keeps, and how many that is.
FILTERS = {
    "none": (None, lambda record, action: True, 7188),
    "codePrefix": ({"codePrefix": "Q42"}, lambda r, a: r.code.startswith("Q42"), 23),
    "codePrefix lower case": (
        {"codePrefix": "q42"},
        lambda r, a: r.code.startswith("Q42"),
        23,
    ),
    "kind": ({"kind": "MODIFIER"}, lambda r, a: r.kind == "modifier", 369),
    "kind and status": (
        {"kind": "MODIFIER", "status": "ACTIVE"},
        lambda r, a: r.kind == "modifier" and active(r),
        359,
    ),
    "status active": ({"status": "ACTIVE"}, lambda r, a: active(r), 6466),
    "status discontinued": (
        {"status": "DISCONTINUED"},
        lambda r, a: not active(r),
        722,
    ),
    "betos": ({"betos": "o1e"}, lambda r, a: r.betos == "O1E", 910),
    "coverage": ({"coverage": "C"}, lambda r, a: r.coverage == "C", 4100),
    "pricingIndicator": (
        {"pricingIndicator": "13"},
        lambda r, a: "13" in r.pricing_indicators,
        197,
    ),
    "actionCode": ({"actionCode": "A"}, lambda r, a: a == "A", 252),
    "prefix and coverage": (
        {"codePrefix": "E", "coverage": "D"},
        lambda r, a: r.code.startswith("E") and r.coverage == "D",
        None,
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_codes_filter_keeps_the_codes_the_files_say(client, records_in_force, name):
    filter, keeps, count = FILTERS[name]
    expected = sorted(
        code
        for code, (record, action) in records_in_force(QUERY_DAY).items()
        if keeps(record, action)
    )

    codes, totals = every_code(client, filter)

    assert codes == expected
    assert totals == {len(expected)}
    if count is not None:
        assert len(expected) == count


def test_codes_modifiers_in_force_are_the_modifiers_of_the_files(
    client, release_records
):
    # Every modifier any loaded file holds has a version in force by mid-2020.
    modifiers = {
        code
        for records in release_records.values()
        for code, record in records.items()
        if record.kind == "modifier"
    }

    codes, _ = every_code(client, {"kind": "MODIFIER"})

    assert set(codes) == modifiers


def test_codes_first_page_defaults_to_50(client):
    page = None

    found = client.data(CODES, first=page)["codes"]

    assert len(found["edges"]) == 50
    assert found["totalCount"] == 7188
    assert found["pageInfo"]["hasNextPage"] is True
    assert found["pageInfo"]["endCursor"] == found["edges"][-1]["cursor"]


def test_codes_next_page_starts_after_the_end_cursor(client):
    first_page = client.data(CODES, first=20)["codes"]
    cursor = first_page["pageInfo"]["endCursor"]

    second_page = client.data(CODES, first=5, after=cursor)["codes"]
    both = client.data(CODES, first=25)["codes"]

    codes = [e["node"]["code"] for e in first_page["edges"] + second_page["edges"]]
    assert codes == [edge["node"]["code"] for edge in both["edges"]]
    assert second_page["totalCount"] == 7188


def test_codes_an_edge_cursor_continues_from_that_edge(client):
    page = client.data(CODES, first=10)["codes"]
    third = page["edges"][2]

    rest = client.data(CODES, first=3, after=third["cursor"])["codes"]

    assert [e["node"]["code"] for e in rest["edges"]] == [
        e["node"]["code"] for e in page["edges"][3:6]
    ]


def test_codes_last_page_has_no_next_page(client):
    filter = {"codePrefix": "Q42"}

    found = client.data(CODES, filter=filter, first=23)["codes"]

    assert len(found["edges"]) == 23
    assert found["pageInfo"]["hasNextPage"] is False
    assert found["edges"][0]["node"]["code"] == "Q4200"
    assert found["edges"][-1]["node"]["code"] == "Q4226"


def test_codes_after_the_last_cursor_is_an_empty_page(client):
    filter = {"codePrefix": "Q42"}
    last = client.data(CODES, filter=filter, first=23)["codes"]["pageInfo"]

    found = client.data(CODES, filter=filter, after=last["endCursor"])["codes"]

    assert found == {
        "totalCount": 23,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


def test_codes_first_zero_counts_without_nodes(client):
    page = 0

    found = client.data(CODES, first=page)["codes"]

    assert found == {
        "totalCount": 7188,
        "pageInfo": {"hasNextPage": True, "endCursor": None},
        "edges": [],
    }


def test_codes_first_500_is_allowed(client):
    page = 500

    found = client.data(CODES, first=page)["codes"]

    assert len(found["edges"]) == 500


@pytest.mark.parametrize(
    ("first", "after", "message"),
    [
        (501, None, "`first` must be at most 500; got 501"),
        (-1, None, "`first` must not be negative; got -1"),
        (
            10,
            "not-a-cursor",
            "`after` is not a cursor this API issued; "
            "pass an endCursor or edge cursor from an earlier page",
        ),
    ],
)
def test_codes_page_arguments_out_of_range_are_refused(client, first, after, message):
    arguments = {"first": first, "after": after}

    answer = client.execute(CODES, **arguments)

    assert answer["data"] is None
    assert [(e["message"], e["path"]) for e in answer["errors"]] == [
        (message, ["codes"])
    ]


def test_codes_known_at_2019_do_not_hold_codes_added_in_2020(client):
    query = """
    query ($knownAt: String) {
      codes(asOf: "2020-06-01", knownAt: $knownAt,
            filter: {codePrefix: "Q42"}, first: 100) {
        totalCount
        edges { node { code } }
      }
    }
    """

    known_2019 = client.data(query, knownAt="2019")["codes"]
    newest = client.data(query, knownAt=None)["codes"]

    codes_2019 = {edge["node"]["code"] for edge in known_2019["edges"]}
    codes_newest = {edge["node"]["code"] for edge in newest["edges"]}
    assert "Q4212" in codes_newest - codes_2019
    assert known_2019["totalCount"] < newest["totalCount"] == 23
