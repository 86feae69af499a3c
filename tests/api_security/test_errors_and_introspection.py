"""Unexpected errors are masked and logged once with the request id; introspection."""

import logging

import pytest

from api.errors import MASKED_MESSAGE
from db.settings import Settings

SECRET = "secret SQL SELECT * FROM revision WHERE code = 'Q4212'"
QUERY = '{ releases { label } code(code: "Q4212", asOf: "2020-06-01") { code } }'


@pytest.fixture
def failing_lookup(monkeypatch):
    """Makes every code() lookup fail the way a broken dependency would."""

    def broken(code: str) -> str:
        raise RuntimeError(SECRET)

    monkeypatch.setattr("api.schema.normalize_code", broken)


def test_unexpected_error_is_masked_with_the_request_id(serve, failing_lookup):
    client = serve(Settings(debug=False))

    response = client.post(QUERY)

    request_id = response.headers["x-request-id"]
    answer = response.json()
    assert len(request_id) == 16
    assert answer["data"]["code"] is None
    assert len(answer["data"]["releases"]) == 4
    assert answer["errors"] == [
        {
            "message": MASKED_MESSAGE,
            "locations": [{"line": 1, "column": 22}],
            "path": ["code"],
            "extensions": {"requestId": request_id},
        }
    ]
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def test_unexpected_error_is_logged_once_at_error_with_the_request_id(
    serve, failing_lookup, caplog
):
    client = serve(Settings(debug=False))

    with caplog.at_level(logging.DEBUG):
        response = client.post(QUERY)

    request_id = response.headers["x-request-id"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [(r.name, r.levelname) for r in errors] == [("hcpcs.api", "ERROR")]
    assert request_id in errors[0].getMessage()
    assert SECRET in errors[0].getMessage()
    assert errors[0].exc_info[0] is RuntimeError


def test_debug_shows_the_unexpected_error_to_the_client(serve, failing_lookup):
    client = serve(Settings(debug=True))

    answer = client.execute(QUERY)

    assert [error["message"] for error in answer["errors"]] == [SECRET]


def test_client_mistakes_are_shown_unmasked_and_not_logged_as_errors(client, caplog):
    query = '{ releaseChanges(from: "1999", to: "2020") { totalCount } }'

    with caplog.at_level(logging.DEBUG):
        answer = client.execute(query)

    assert answer["errors"] == [
        {
            "message": "release '1999' is not loaded (loaded: 2017, 2018, 2019, 2020)",
            "locations": [{"line": 1, "column": 3}],
            "path": ["releaseChanges"],
        }
    ]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


INTROSPECTIONS = [
    "{ __schema { queryType { name } } }",
    '{ __type(name: "Code") { name } }',
]


@pytest.mark.parametrize("query", INTROSPECTIONS, ids=["__schema", "__type"])
def test_introspection_can_be_turned_off(serve, query, sql_statements):
    client = serve(Settings(introspection=False))

    answer = client.execute(query)

    assert answer["data"] is None
    assert answer["errors"][0]["message"].startswith(
        "GraphQL introspection has been disabled, but the requested query "
        "contained the field '__"
    )
    assert sql_statements == []


@pytest.mark.parametrize("query", INTROSPECTIONS, ids=["__schema", "__type"])
def test_introspection_is_on_by_default(client, query):
    data = client.data(query)

    assert data in (
        {"__schema": {"queryType": {"name": "Query"}}},
        {"__type": {"name": "Code"}},
    )


def test_typename_is_answered_without_introspection(serve):
    client = serve(Settings(introspection=False))

    data = client.data('{ release(label: "2020") { __typename label } }')

    assert data == {"release": {"__typename": "Release", "label": "2020"}}
