"""Errors as the GraphQL spec shapes them, each saying what was wrong, nothing more."""

import json

import pytest

import api.schema
from api.errors import MASKED_MESSAGE

LOADED = "(loaded: 2017, 2018, 2019, 2020)"

# What must never reach a client: stack traces, source paths, driver text.
INTERNAL_TEXT = ("Traceback", ".py", "sqlalchemy", "psycopg", "sqlite", "SELECT ")


def assert_nothing_internal(answer: dict) -> None:
    text = json.dumps(answer)
    assert not [word for word in INTERNAL_TEXT if word.lower() in text.lower()]
    for error in answer.get("errors", []):
        assert set(error) <= {"message", "locations", "path", "extensions"}


FIELD_ERRORS = {
    "unknown knownAt": (
        '{ code(code: "Q4212", asOf: "2020-06-01", knownAt: "2031") { code } }',
        "release '2031' is not loaded " + LOADED,
        ["code"],
        {"code": None},
    ),
    "unknown releaseChanges from": (
        '{ releaseChanges(from: "2016", to: "2020") { totalCount } }',
        "release '2016' is not loaded " + LOADED,
        ["releaseChanges"],
        None,
    ),
    "unknown releaseChanges to": (
        '{ releaseChanges(from: "2019", to: "2020-04") { totalCount } }',
        "release '2020-04' is not loaded " + LOADED,
        ["releaseChanges"],
        None,
    ),
    "first over 500": (
        '{ search(text: "wheelchair", first: 501) { totalCount } }',
        "`first` must be at most 500; got 501",
        ["search"],
        None,
    ),
    "bad cursor": (
        '{ releaseChanges(from: "2019", to: "2020", after: "b2Zmc2V0Oi01") '
        "{ totalCount } }",
        "`after` is not a cursor this API issued; "
        "pass an endCursor or edge cursor from an earlier page",
        ["releaseChanges"],
        None,
    ),
}


@pytest.mark.parametrize("name", FIELD_ERRORS)
def test_errors_of_arguments_name_the_field_and_say_what_was_wrong(client, name):
    query, message, path, data = FIELD_ERRORS[name]

    answer = client.execute(query)

    assert answer["data"] == data
    assert len(answer["errors"]) == 1
    error = answer["errors"][0]
    assert error["message"] == message
    assert error["path"] == path
    assert error["locations"] == [{"line": 1, "column": 3}]
    assert_nothing_internal(answer)


BAD_DATE = "'2020-13-01' is not a date in the form YYYY-MM-DD"


def test_errors_bad_date_literal_is_refused_before_running(client):
    query = '{ code(code: "Q4212", asOf: "2020-13-01") { code } }'

    answer = client.execute(query)

    assert answer["data"] is None
    [error] = answer["errors"]
    assert BAD_DATE in error["message"]
    assert error["message"].startswith("Expected value of type 'Date'")
    # Refused while validating: a request error, which the spec gives no path.
    assert "path" not in error
    assert error["locations"] == [{"line": 1, "column": 29}]
    assert_nothing_internal(answer)


@pytest.mark.parametrize("value", ["2020-13-01", "2020-02-30", "20200601", "June"])
def test_errors_bad_date_variable_names_the_variable(client, value):
    query = 'query ($day: Date) { code(code: "Q4212", asOf: $day) { code } }'

    answer = client.execute(query, day=value)

    assert answer["data"] is None
    [error] = answer["errors"]
    assert error["message"].startswith("Variable '$day' has invalid value")
    assert f"{value!r} is not a date in the form YYYY-MM-DD" in error["message"]
    assert_nothing_internal(answer)


def test_errors_bad_date_in_diff_is_refused(client):
    query = """
    { code(code: "A5512", asOf: "2020-06-01") {
        diff(from: "2018-02-30", to: "2019-06-01") { field } } }
    """

    answer = client.execute(query)

    assert answer["data"] is None
    assert (
        "'2018-02-30' is not a date in the form YYYY-MM-DD"
        in (answer["errors"][0]["message"])
    )


def test_errors_leave_the_other_fields_answered(client):
    query = """
    {
      bad: code(code: "Q4212", asOf: "2020-06-01", knownAt: "1999") { code }
      good: code(code: "Q4212", asOf: "2020-06-01") { code }
    }
    """

    answer = client.execute(query)

    assert answer["data"] == {"bad": None, "good": {"code": "Q4212"}}
    assert [(e["message"], e["path"]) for e in answer["errors"]] == [
        ("release '1999' is not loaded " + LOADED, ["bad"])
    ]


def test_errors_of_an_unknown_field_are_refused_before_running(client):
    query = '{ code(code: "Q4212") { price } }'

    answer = client.execute(query)

    assert answer["data"] is None
    assert (
        answer["errors"][0]["message"] == "Cannot query field 'price' on type 'Code'."
    )


def test_errors_unexpected_are_masked_with_the_request_id(client, monkeypatch):
    def broken(*args):
        raise RuntimeError("connection to /var/lib/secret.db refused")

    monkeypatch.setattr(api.schema, "code_in_force", broken)

    response = client.request(
        "POST", "/graphql", json={"query": '{ code(code: "Q4212") { code } }'}
    )

    answer = response.json()
    [error] = answer["errors"]
    assert error["message"] == MASKED_MESSAGE
    assert error["path"] == ["code"]
    assert error["extensions"] == {"requestId": response.headers["x-request-id"]}
    assert "secret" not in response.text
    assert_nothing_internal(answer)
