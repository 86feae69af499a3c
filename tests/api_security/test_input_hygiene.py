"""Hostile text in arguments is matched literally, reaches no SQL, changes nothing."""

from datetime import date

import pytest
from sqlalchemy import Engine

from db.catalog import build_catalog
from db.queries import known_position

QUERY_DAY = date(2020, 6, 1)

SEARCH = """
query ($text: String!) {
  search(text: $text, asOf: "2020-06-01", first: 500) {
    totalCount edges { node { code } }
  }
}
"""
CODE = 'query ($code: String!) { code(code: $code, asOf: "2020-06-01") { code } }'
PREFIX = """
query ($prefix: String!) {
  codes(filter: {codePrefix: $prefix}, asOf: "2020-06-01", first: 0) { totalCount }
}
"""
KNOWN_AT = "query ($label: String!) { codes(knownAt: $label, first: 0) { totalCount } }"
CHANGES = """
query ($label: String!) { releaseChanges(from: $label, to: "2020") { totalCount } }
"""

HOSTILE = [
    "'",
    '"',
    "%",
    "_",
    "\\",
    "100%",
    "o'",
    "'; DROP TABLE revision; --",
    '" OR 1=1 --',
    "%' OR '1'='1",
    "\\'; SELECT pg_sleep(5); --",
    "Q42_2",
    "Q4%",
    "ünïcödé 💉 ĳ",
    "nul\x00byte",
    "a" * 10_000,
]
# Strings that would appear in SQL text if arguments were pasted into it.
SQL_MARKERS = ["DROP TABLE", "1=1", "pg_sleep", "💉", "a" * 100]


@pytest.fixture(scope="module")
def descriptions(loaded_engine: Engine) -> dict[str, str]:
    """Each code in force on QUERY_DAY and its descriptions, lower case, by code."""
    with loaded_engine.connect() as conn:
        catalog = build_catalog(conn, known_position(conn, None))
    return {
        version.content["code"]: (
            f"{version.content['long_description']} "
            f"{version.content['short_description']}"
        ).lower()
        for version in catalog.all_in_force(QUERY_DAY)
    }


def holding_every_word(descriptions: dict[str, str], text: str) -> list[str]:
    words = text.lower().split()
    return [
        code for code, found in descriptions.items() if all(w in found for w in words)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100%", ["S9433", "SF"]),
        ("o'", ["L2350"]),
        ("_", []),
        ("\\", []),
        ("a" * 10_000, []),
    ],
    ids=["percent", "quote", "underscore", "backslash", "10k-chars"],
)
def test_search_matches_special_characters_literally(
    client, descriptions, text, expected
):
    independent = holding_every_word(descriptions, text)

    found = client.data(SEARCH, text=text)["search"]

    assert independent == expected
    assert found["totalCount"] == len(expected)
    assert [edge["node"]["code"] for edge in found["edges"]] == expected


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_search_with_hostile_text_finds_what_the_descriptions_hold(
    client, descriptions, text
):
    independent = holding_every_word(descriptions, text)

    found = client.data(SEARCH, text=text)["search"]

    assert found["totalCount"] == len(independent)
    assert [edge["node"]["code"] for edge in found["edges"]] == independent[:500]


def test_search_for_a_lone_percent_sign_is_not_a_wildcard(client, descriptions):
    found = client.data(SEARCH, text="%")["search"]

    assert found["totalCount"] == 69
    assert found["totalCount"] < len(descriptions)


@pytest.mark.parametrize("code", HOSTILE, ids=range(len(HOSTILE)))
def test_code_lookup_with_hostile_text_is_null(client, code):
    data = client.data(CODE, code=code)

    assert data == {"code": None}


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("Q42", 23), ("q42", 23), ("Q42_", 0), ("Q4%", 0), ("'", 0), ("a" * 10_000, 0)],
)
def test_code_prefix_is_matched_literally(client, prefix, expected):
    data = client.data(PREFIX, prefix=prefix)

    assert data == {"codes": {"totalCount": expected}}


@pytest.mark.parametrize("label", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_release_labels_are_refused_as_not_loaded(client, label):
    known_at = client.execute(KNOWN_AT, label=label)
    changes = client.execute(CHANGES, label=label)

    expected = f"release {label!r} is not loaded (loaded: 2017, 2018, 2019, 2020)"
    assert [e["message"] for e in known_at["errors"]] == [expected]
    assert [e["message"] for e in changes["errors"]] == [expected]


def test_hostile_dates_are_refused_as_not_dates(client):
    query = 'query ($day: Date!) { code(code: "Q4212", asOf: $day) { code } }'

    answer = client.execute(query, day="2020-06-01'; DROP TABLE release; --")

    assert answer["data"] is None
    assert len(answer["errors"]) == 1
    assert (
        '"2020-06-01\'; DROP TABLE release; --" is not a date in the form YYYY-MM-DD'
        in answer["errors"][0]["message"]
    )


def test_hostile_text_never_reaches_sql_and_changes_nothing(
    client, loaded_engine, snapshot, sql_statements
):
    before = snapshot(loaded_engine)
    sent_before = len(sql_statements)

    answers = []
    for text in HOSTILE:
        answers.append(client.execute(SEARCH, text=text))
        answers.append(client.execute(CODE, code=text))
        answers.append(client.execute(PREFIX, prefix=text))
        answers.append(client.execute(KNOWN_AT, label=text))
        answers.append(client.execute(CHANGES, label=text))
    statements = sql_statements[sent_before:]

    assert snapshot(loaded_engine) == before
    assert len(before["release"]) == 4
    assert statements, "the requests read the store"
    assert [s for s in statements if any(m in s for m in SQL_MARKERS)] == []
    internal = [
        error
        for answer in answers
        for error in answer.get("errors", [])
        if "requestId" in error.get("extensions", {})
    ]
    assert internal == []
