"""Costly answers are kept until a load, and sent again as they were written."""

from datetime import date

import pytest

from api.answers import ENTRY_OVERHEAD, AnswerCache, answer_key
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


def test_answers_cheaper_than_the_threshold_are_not_kept(loaded_engine):
    # Every answer here takes far less than a minute: none is kept.
    client = ApiClient(create_app(loaded_engine, Settings(answer_cache_min_ms=60_000)))
    answers = client.app.state.answers

    for _ in range(2):
        client.data(PAGE, first=500, asOf="2020-06-01")
        client.data(RELEASES)

    assert (len(answers), answers.hits) == (0, 0)
    # By default an answer is kept once it took 5 ms: pages and searches, not
    # single-code lookups.
    assert Settings().answer_cache_min_ms == 5


def test_the_cache_can_be_turned_off(loaded_engine):
    client = ApiClient(create_app(loaded_engine, Settings(answer_cache_mb=0)))

    client.data(RELEASES)

    assert not client.app.state.answers.enabled
    assert len(client.app.state.answers) == 0


def test_answers_are_dropped_oldest_first_past_the_size_limit():
    # Each entry counts its bytes and ENTRY_OVERHEAD: 8 entries of 100 fit,
    # and an entry may take an eighth of the whole at most.
    limit = 8 * (100 + ENTRY_OVERHEAD)
    cache = AnswerCache(max_bytes=limit, min_seconds=0.01)
    keys = [answer_key((4, 4), "q", None, {"n": n}) for n in range(9)]

    assert not cache.offer(keys[0], b"x" * 100, seconds=0.001)  # too cheap
    assert not cache.offer(keys[0], b"x" * 101, seconds=1)  # over an eighth
    for key in keys[:8]:
        assert cache.offer(key, b"x" * 100, seconds=1)
    cache.get(keys[0])
    cache.offer(keys[8], b"y" * 100, seconds=1)

    assert len(cache) == 8
    assert cache.size_bytes == limit
    assert cache.get(keys[0]) is not None  # used lately, so kept
    assert cache.get(keys[1]) is None


def test_many_small_answers_are_counted_with_their_overhead():
    cache = AnswerCache(max_bytes=1024 * 1024, min_seconds=0)
    long_query = "#" + "x" * 60_000 + "\n{ releases { label } }"

    for n in range(5000):
        cache.offer(answer_key((4, 4), long_query, None, {"n": n}), b"{}", seconds=1)

    # A long query text does not weigh on the key: it is kept as a digest.
    assert len(cache) == 1024 * 1024 // (2 + ENTRY_OVERHEAD)
    assert cache.size_bytes <= 1024 * 1024


def test_a_new_generation_drops_the_older_answers_at_once():
    cache = AnswerCache(max_bytes=1024 * 1024, min_seconds=0)
    for n in range(100):
        cache.offer(answer_key((4, 4), "q", None, {"n": n}), b"old", seconds=1)

    cache.offer(answer_key((5, 5), "q", None, {"n": 0}), b"new", seconds=1)

    assert len(cache) == 1
    assert cache.size_bytes == len(b"new") + ENTRY_OVERHEAD


@pytest.mark.parametrize(
    "variables",
    [
        {"x": 2**64},  # past a 64-bit integer
        {"x": "\ud800"},  # a lone surrogate, as JSON allows
        {"x": float("nan")},
    ],
    ids=["huge integer", "lone surrogate", "NaN"],
)
def test_any_variables_json_can_carry_make_a_key_of_their_own(variables):
    key = answer_key((4, 4), "q", None, variables)

    assert key is not None
    assert key != answer_key((4, 4), "q", None, {"x": None})


def test_unusual_variables_get_the_answer_they_would_get_without_the_cache(
    loaded_engine,
):
    kept = client_keeping_every_answer(loaded_engine)
    plain = ApiClient(create_app(loaded_engine, Settings(answer_cache_mb=0)))
    bodies = [
        b'{"query": "{ releases { label } }",'
        b' "variables": {"x": 18446744073709551616}}',
        b'{"query": "query ($t: String!) { search(text: $t, asOf: \\"2020-06-01\\")'
        b' { totalCount } }", "variables": {"t": "wound \\ud83d"}}',
        # NaN is no date: refused, not answered as a kept null's answer.
        b'{"query": "query ($d: Date) { codes(asOf: $d, first: 0) { totalCount } }",'
        b' "variables": {"d": null}}',
        b'{"query": "query ($d: Date) { codes(asOf: $d, first: 0) { totalCount } }",'
        b' "variables": {"d": NaN}}',
    ]
    headers = {"content-type": "application/json"}

    for body in bodies:
        for _ in range(2):
            ours = kept.request("POST", content=body, headers=headers)
            theirs = plain.request("POST", content=body, headers=headers)
            assert ours.status_code == theirs.status_code == 200
            assert ours.json() == theirs.json(), body
    assert (
        "errors" not in kept.request("POST", content=bodies[0], headers=headers).json()
    )
    nan = kept.request("POST", content=bodies[3], headers=headers).json()
    assert nan["data"] is None and "nan" in nan["errors"][0]["message"].lower()


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
