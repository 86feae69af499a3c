"""Malformed requests and abusive arguments get clear refusals, never a bare 500."""

import json

import pytest
from sqlalchemy import create_engine
from starlette.routing import Route

from api.app import create_app
from api.errors import MASKED_MESSAGE
from db.settings import Settings
from tests.api_client import ApiClient

SMALL = Settings(max_body_bytes=2048)


def post_json(client: ApiClient, body: bytes):
    """POST `body` to /graphql as it is, sent as JSON."""
    return client.request(
        "POST", content=body, headers={"content-type": "application/json"}
    )


NOT_AN_OBJECT = "request body must be a JSON object with a `query`"
UNREADABLE = "request body is not valid UTF-8 JSON within the parser's limits"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"null", NOT_AN_OBJECT),
        (b'"x"', NOT_AN_OBJECT),
        (b"5", NOT_AN_OBJECT),
        (b'{"query": "{ releases { label } }\xff"}', UNREADABLE),
        (
            b'{"query": "{ releases { label } }", "variables": {"x": '
            + b"9" * 5000
            + b"}}",
            UNREADABLE,
        ),
        (b'{"variables": {"x": ' + b"[" * 1000 + b"]" * 1000 + b"}}", None),
    ],
)
def test_a_json_body_that_is_no_graphql_request_gets_400(serve, body, message):
    client = serve(Settings())

    response = post_json(client, body)

    assert response.status_code == 400
    assert "x-request-id" in response.headers
    if message is not None:
        assert response.json() == {"errors": [{"message": message}]}


def test_a_deeply_nested_body_is_refused_not_crashed(serve):
    client = serve(Settings())
    nested = b"[" * 20000 + b"]" * 20000
    body = b'{"query": "{ releases { label } }", "variables": {"x": ' + nested + b"}}"

    response = post_json(client, body)

    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": UNREADABLE}]}


def test_a_query_string_over_the_limit_gets_413(serve):
    client = serve(SMALL)

    response = client.request("GET", "/graphql?query=" + "a" * 3000)

    assert response.status_code == 413
    assert response.json() == {
        "errors": [{"message": "query string is over 2048 bytes"}]
    }


def test_search_with_too_many_words_is_refused(serve):
    client = serve(Settings())
    text = " ".join(["e"] * 13)

    answer = client.execute(
        "query($t: String!) { search(text: $t, first: 0) { totalCount } }", t=text
    )

    assert answer["errors"][0]["message"] == (
        "`text` holds 13 words; search takes at most 12"
    )


def test_more_than_three_known_at_releases_in_one_request_are_refused(serve):
    client = serve(Settings())
    query = (
        "{ "
        + " ".join(
            f'k{label}: code(code: "B4105", asOf: "2019-06-01", knownAt: "{label}")'
            " { code }"
            for label in ("2017", "2018", "2019", "2020")
        )
        + " }"
    )

    answer = client.execute(query)

    messages = {error["message"] for error in answer["errors"]}
    assert messages == {
        "a request may look at most 3 releases' states (`knownAt` values, the "
        "newest included); send separate requests"
    }


def test_introspection_aliases_count_against_the_alias_limit(serve):
    client = serve(Settings())
    aliases = " ".join(f"a{i}: types {{ name }}" for i in range(21))

    answer = client.execute(f"{{ __schema {{ {aliases} }} }}")

    assert answer == {
        "data": None,
        "errors": [{"message": "query aliases is 21; the limit is 20 (1 over)"}],
    }


def test_a_page_of_none_still_costs_one(serve):
    client = serve(Settings(max_cost=10))
    pages = " ".join(f"p{i}: codes(first: 0) {{ totalCount }}" for i in range(11))

    answer = client.execute(f"{{ {pages} }}")

    assert answer["errors"][0]["message"] == (
        "query cost is 11; the limit is 10 (1 over)"
    )


def test_healthz_is_unavailable_on_a_database_without_the_store(serve_engine, tmp_path):
    client = serve_engine(create_engine(f"sqlite:///{tmp_path / 'empty.db'}"))

    response = client.request("GET", "/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_week_dates_are_not_dates(serve):
    client = serve(Settings())

    answer = client.execute('{ code(code: "B4105", asOf: "2020-W01-1") { code } }')

    assert (
        "'2020-W01-1' is not a date in the form YYYY-MM-DD"
        in (answer["errors"][0]["message"])
    )


def test_an_unexpected_error_outside_graphql_is_masked_with_the_request_id(
    loaded_engine, caplog
):
    app = create_app(loaded_engine, Settings())
    app.router.routes.append(Route("/boom", _raise_secret))
    client = ApiClient(app)

    response = client.request("GET", "/boom")

    request_id = response.headers["x-request-id"]
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "message": MASKED_MESSAGE,
                "extensions": {"requestId": request_id},
            }
        ]
    }
    assert "secret" not in response.text
    logged = [r for r in caplog.records if r.name == "hcpcs.api"]
    assert [r.getMessage() for r in logged] == [f"request {request_id} failed"]


def _raise_secret(request):
    raise RuntimeError("secret SQL text")


def test_a_lone_surrogate_for_an_operation_name_gets_400(serve):
    client = serve(Settings())
    body = b'{"query": "query A { releases { label } }", "operationName": "\\ud800"}'

    response = post_json(client, body)

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "message": "operationName holds a lone UTF-16 surrogate, "
                "which is no character"
            }
        ]
    }


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_lone_surrogate_echoed_in_an_error_is_written_as_an_escape(serve, method):
    client = serve(Settings())
    query = (
        'query ($k: ChangeKind) { releaseChanges(from: "2019", to: "2020", '
        "kind: $k) { totalCount } }"
    )
    if method == "POST":
        body = (
            b'{"query": '
            + json.dumps(query).encode()
            + b', "variables": {"k": "\\udfff"}}'
        )
        response = post_json(client, body)
    else:
        variables = '{"k": "\\ud800"}'
        response = client.request(
            "GET", "/graphql", params={"query": query, "variables": variables}
        )

    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert "ChangeKind" in error["message"]
    assert "Internal" not in error["message"]


def test_a_surrogate_pair_is_a_character_like_any_other(serve):
    client = serve(Settings())
    # U+1F600 written as its UTF-16 pair: no code's description holds it.
    body = b'{"query": "{ search(text: \\"\\ud83d\\ude00\\") { totalCount } }"}'

    response = post_json(client, body)

    assert response.status_code == 200
    assert response.json() == {"data": {"search": {"totalCount": 0}}}
