"""Costly answers are kept until a load, and sent again as they were written."""

from datetime import date

import pytest

from api.answers import AnswerCache, answer_key
from api.app import create_app
from db.settings import Settings
from tests.api_client import ApiClient
from tests.conftest import annual_zip, load_path

PAGE = """
query ($first: Int, $asOf: Date) {
  codes(asOf: $asOf, first: $first) {
    totalCount
    edges { node { code shortDescription coverage { code description } } }
  }
}
"""
RELEASES = "{ releases { label codeCount } }"


def client_keeping_every_answer(engine) -> ApiClient:
    return ApiClient(create_app(engine, Settings(answer_cache_min_ms=0)))


def test_a_repeated_page_is_sent_from_the_cache_byte_for_byte(loaded_engine):
    client = client_keeping_every_answer(loaded_engine)
    answers = client.app.state.answers

    first = client.post(PAGE, first=500, asOf="2020-06-01")
    again = client.post(PAGE, asOf="2020-06-01", first=500)  # other order

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert (len(answers), answers.hits) == (1, 1)
    page = again.json()["data"]["codes"]
    assert page["totalCount"] == 7188
    assert page["edges"][0]["node"]["code"] == "A0021"


def test_a_load_makes_every_kept_answer_stale(engine):
    load_path(engine, annual_zip(2019))
    client = client_keeping_every_answer(engine)
    answers = client.app.state.answers
    assert client.data(RELEASES) == {"releases": [{"label": "2019", "codeCount": 6800}]}
    assert client.data(RELEASES)["releases"][0]["label"] == "2019"
    assert answers.hits == 1

    load_path(engine, annual_zip(2020))

    assert client.data(RELEASES) == {
        "releases": [
            {"label": "2019", "codeCount": 6800},
            {"label": "2020", "codeCount": 7079},
        ]
    }
    assert answers.hits == 1
    # The answer of the older store is dropped when the new one is kept.
    assert len(answers) == 1


def test_errors_and_refused_queries_are_never_kept(loaded_engine):
    client = client_keeping_every_answer(loaded_engine)
    answers = client.app.state.answers
    unknown = '{ code(code: "Q4212", knownAt: "1999") { code } }'

    for _ in range(2):
        assert client.execute(unknown)["errors"][0]["message"].startswith(
            "release '1999' is not loaded"
        )
        assert "errors" in client.execute("{ code { code } }")

    assert (len(answers), answers.hits) == (0, 0)


def test_cheap_answers_are_not_kept_by_default(client):
    answers = client.app.state.answers
    lookup = '{ code(code: "Q4212", asOf: "2020-06-01") { code } }'
    # The first request may build the catalog, which is costly and then kept.
    client.data(lookup)
    kept = len(answers)

    for _ in range(3):
        client.data(lookup.replace("Q4212", "A4466"))

    assert len(answers) == kept


def test_the_cache_can_be_turned_off(loaded_engine):
    client = ApiClient(create_app(loaded_engine, Settings(answer_cache_mb=0)))

    client.data(RELEASES)

    assert not client.app.state.answers.enabled
    assert len(client.app.state.answers) == 0


def test_answers_are_dropped_oldest_first_past_the_size_limit():
    cache = AnswerCache(max_bytes=1000, min_seconds=0.01)
    keys = [answer_key((4, 4), "q", None, {"n": n}) for n in range(4)]

    assert not cache.offer(keys[0], b"x" * 100, seconds=0.001)  # too cheap
    assert not cache.offer(keys[0], b"x" * 126, seconds=1)  # over an eighth
    for key in keys:
        assert cache.offer(key, b"x" * 120, seconds=1)
    cache.get(keys[0])
    for n in range(4, 9):
        cache.offer(answer_key((4, 4), "q", None, {"n": n}), b"y" * 120, seconds=1)

    assert cache.size_bytes <= 1000
    assert cache.get(keys[0]) is not None  # used lately, so kept
    assert cache.get(keys[1]) is None


@pytest.mark.parametrize(
    "other",
    [
        lambda: answer_key((5, 5), "q", None, {"a": 1}),  # another generation
        lambda: answer_key((4, 4), "q2", None, {"a": 1}),
        lambda: answer_key((4, 4), "q", "Named", {"a": 1}),
        lambda: answer_key((4, 4), "q", None, {"a": 2}),
    ],
)
def test_a_key_names_the_store_query_and_variables(other):
    key = answer_key((4, 4), "q", None, {"a": 1})

    assert key.today == date.today()
    assert key == answer_key((4, 4), "q", None, {"a": 1})
    assert other() != key
