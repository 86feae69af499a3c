"""search(): words in descriptions, any case; an exact code first."""

from datetime import date

import pytest

SEARCH = """
query ($text: String!, $first: Int, $after: String) {
  search(text: $text, asOf: "2020-06-01", first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { code shortDescription } }
  }
}
"""

QUERY_DAY = date(2020, 6, 1)


def described_with(in_force: dict, *words: str) -> list[str]:
    """Codes whose long or short description holds every word, by code."""
    return sorted(
        code
        for code, (record, _) in in_force.items()
        if all(
            word in f"{record.long_description} {record.short_description}".lower()
            for word in words
        )
    )


def every_code(client, text: str) -> list[str]:
    codes, after = [], None
    while True:
        found = client.data(SEARCH, text=text, first=500, after=after)["search"]
        codes += [edge["node"]["code"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            return codes
        after = found["pageInfo"]["endCursor"]


@pytest.mark.parametrize("text", ["allogen", "ALLOGEN", "AlloGen"])
def test_search_finds_every_code_holding_the_word_in_any_case(
    client, records_in_force, text
):
    expected = described_with(records_in_force(QUERY_DAY), "allogen")

    found = client.data(SEARCH, text=text)["search"]

    assert expected == ["Q4212", "S2102", "S2140", "S2142", "S2150"]
    assert found["totalCount"] == 5
    assert [edge["node"]["code"] for edge in found["edges"]] == expected


def test_search_wheelchair_matches_the_files_count(client, records_in_force):
    expected = described_with(records_in_force(QUERY_DAY), "wheelchair")

    codes = every_code(client, "WheelChair")

    assert len(expected) == 317
    assert codes == expected


def test_search_with_several_words_needs_all_of_them(client, records_in_force):
    expected = described_with(records_in_force(QUERY_DAY), "power", "wheelchair")

    codes = every_code(client, "  power   WHEELCHAIR ")

    assert len(expected) == 140
    assert codes == expected


def test_search_exact_code_ranks_first(client):
    text = "Q4212"

    found = client.data(SEARCH, text=text)["search"]

    assert found["totalCount"] == 1
    assert found["edges"][0]["node"] == {
        "code": "Q4212",
        "shortDescription": "Allogen, per cc",
    }


def test_search_exact_code_ranks_before_codes_that_mention_it(client):
    # G0295's description names G0329; by code order it would come first.
    text = "g0329"

    found = client.data(SEARCH, text=text)["search"]

    assert [edge["node"]["code"] for edge in found["edges"]] == ["G0329", "G0295"]


def test_search_exact_modifier_ranks_first(client):
    text = " a1 "

    found = client.data(SEARCH, text=text)["search"]

    assert found["edges"][0]["node"]["code"] == "A1"


def test_search_without_a_match_is_an_empty_page(client):
    text = "xylophone"

    found = client.data(SEARCH, text=text)["search"]

    assert found == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


def test_search_of_blank_text_is_refused(client):
    text = "   "

    answer = client.execute(SEARCH, text=text)

    assert answer["data"] is None
    assert answer["errors"][0]["message"] == "`text` must hold at least one word"
    assert answer["errors"][0]["path"] == ["search"]
