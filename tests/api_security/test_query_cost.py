"""Cost: a page of N costs N, nested pages multiply, other root fields cost 1."""

import threading

import pytest
from graphql import parse

from api.limits import measure

OVER_BY_ONE = "query cost is 101; the limit is 100 (1 over)"


def cost_of(query: str, variables: dict | None = None) -> int:
    return measure(parse(query), variables).cost


def test_a_page_of_n_costs_n_and_other_root_fields_cost_1():
    query = """
    { codes(first: 40) { totalCount }
      releases { label } release(label: "2020") { label } }
    """

    cost = cost_of(query)

    assert cost == 42


def test_a_page_without_first_costs_the_default_page():
    query = '{ search(text: "wheelchair") { totalCount } }'

    cost = cost_of(query)

    assert cost == 50


def test_nested_pages_multiply():
    query = """
    { codes(first: 3) { edges { node {
        search(text: "a", first: 4) { edges { node {
          releaseChanges(from: "2019", to: "2020", first: 5) { totalCount }
        } } }
    } } } }
    """

    cost = cost_of(query)

    assert cost == 3 + 3 * 4 + 3 * 4 * 5


def test_fields_below_the_root_that_are_not_pages_cost_nothing():
    query = '{ code(code: "B4105") { history { revisions { statedIn { label } } } } }'

    cost = cost_of(query)

    assert cost == 1


def test_a_fragment_spread_many_times_is_measured_without_expanding_each_spread():
    levels = 60
    fragments = " ".join(
        f"fragment F{i} on Code {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    leaf = f"fragment F{levels} on Code {{ a: code }}"
    query = f'{{ code(code: "Q4212") {{ ...F0 }} }} {fragments} {leaf}'
    found = []

    worker = threading.Thread(
        target=lambda: found.append(measure(parse(query), None)), daemon=True
    )
    worker.start()
    worker.join(timeout=5)

    assert found, "measuring took more than 5 seconds"
    assert (found[0].depth, found[0].aliases, found[0].cost) == (2, 2**levels, 1)


def test_a_page_without_arguments_costs_the_default_page(strict, sql_statements):
    query = "{ codes { totalCount } releases { label } }"

    data = strict.data(query)

    assert cost_of(query) == 51
    assert data["codes"] == {"totalCount": 7188}
    assert len(sql_statements) > 0


def test_query_at_the_cost_limit_runs(strict, sql_statements):
    query = '{ codes(asOf: "2020-06-01", first: 99) { totalCount } releases { label } }'

    data = strict.data(query)

    assert data["codes"] == {"totalCount": 7188}
    assert len(data["releases"]) == 4
    assert len(sql_statements) > 0


@pytest.mark.parametrize(
    "query",
    [
        '{ codes(asOf: "2020-06-01", first: 100) { totalCount } releases { label } }',
        '{ a: codes { totalCount } b: search(text: "x") { totalCount }'
        " releases { label } }",
        "{ ...Pages } fragment Pages on Query { codes(first: 101) { totalCount } }",
        '{ ... on Query { search(text: "x", first: 101) { totalCount } } }',
        "{ ...A ...B }"
        " fragment A on Query { a: codes(first: 51) { totalCount } }"
        ' fragment B on Query { b: search(text: "x", first: 50) { totalCount } }',
    ],
    ids=["literal", "default-page", "fragment", "inline-fragment", "two-fragments"],
)
def test_query_one_over_the_cost_limit_is_refused_before_it_runs(
    strict, sql_statements, query
):
    answer = strict.execute(query)

    assert answer == {"data": None, "errors": [{"message": OVER_BY_ONE}]}
    assert sql_statements == []


PAGE_OF_N = 'query ($n: Int) { codes(asOf: "2020-06-01", first: $n) { totalCount } }'


def test_first_given_as_a_variable_is_the_page_size(strict, sql_statements):
    under = strict.execute(PAGE_OF_N, n=100)
    statements_under = len(sql_statements)
    over = strict.execute(PAGE_OF_N, n=101)

    assert under == {"data": {"codes": {"totalCount": 7188}}}
    assert statements_under > 0
    assert over == {"data": None, "errors": [{"message": OVER_BY_ONE}]}
    assert len(sql_statements) == statements_under


def test_a_variable_default_for_first_is_the_page_size(strict, sql_statements):
    query = (
        'query ($n: Int = 101) { codes(asOf: "2020-06-01", first: $n) { totalCount } }'
    )

    by_default = strict.execute(query)
    statements_by_default = len(sql_statements)
    given = strict.execute(query, n=100)

    assert by_default == {"data": None, "errors": [{"message": OVER_BY_ONE}]}
    assert statements_by_default == 0
    assert given == {"data": {"codes": {"totalCount": 7188}}}
