"""A query text that passed parsing and validation once is reused, never trusted."""

from api.app import create_app
from db.settings import Settings
from tests.api.conftest import ApiClient

PAGE = "query Page($first: Int) { codes(first: $first) { totalCount } }"


def test_a_query_text_seen_before_is_still_refused_over_the_cost_limit(loaded_engine):
    client = ApiClient(create_app(loaded_engine, Settings(max_cost=100)))
    client.data(PAGE, first=10)

    answer = client.execute(PAGE, first=200)

    assert answer["errors"][0]["message"] == (
        "query cost is 200; the limit is 100 (100 over)"
    )


def test_an_invalid_query_text_is_refused_each_time_it_is_sent(client):
    query = '{ code(code: "A1") { noSuchField } }'

    answers = [client.execute(query) for _ in range(2)]

    messages = [answer["errors"][0]["message"] for answer in answers]
    assert messages == [
        "Cannot query field 'noSuchField' on type 'Code'.",
        "Cannot query field 'noSuchField' on type 'Code'.",
    ]


def test_a_query_text_seen_before_answers_with_the_new_variables(client):
    query = (
        'query One($code: String!) { code(code: $code, asOf: "2020-06-01") { code } }'
    )

    first = client.data(query, code="A1")
    second = client.data(query, code="B4105")

    assert (first["code"]["code"], second["code"]["code"]) == ("A1", "B4105")
