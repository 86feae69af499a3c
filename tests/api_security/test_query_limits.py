"""Depth, aliases, tokens and cost: at the limit a query runs, past it nothing does."""

from graphql import get_introspection_query

from db.settings import Settings

DEPTH_7 = """
{ code(code: "J0694", asOf: "2020-06-01") {
    crossReferences { target { crossReferences { target {
      history { validFrom } } } } } } }
"""
DEPTH_8 = """
{ code(code: "J0694", asOf: "2020-06-01") {
    crossReferences { target { crossReferences { target {
      history { revisions { code } } } } } } } }
"""


def refusals(answer: dict) -> list[str]:
    assert answer["data"] is None
    return [error["message"] for error in answer["errors"]]


def test_query_at_the_depth_limit_runs(strict, sql_statements):
    data = strict.data(DEPTH_7)

    assert data == {
        "code": {
            "crossReferences": [
                {
                    "target": {
                        "crossReferences": [
                            {"target": {"history": [{"validFrom": "2017-01-01"}]}}
                        ]
                    }
                }
            ]
        }
    }
    assert len(sql_statements) > 0


def test_query_one_level_too_deep_is_refused_before_it_runs(strict, sql_statements):
    answer = strict.execute(DEPTH_8)

    assert refusals(answer) == ["query depth is 8; the limit is 7 (1 over)"]
    assert sql_statements == []


def test_depth_counts_the_fields_of_fragments(strict, sql_statements):
    query = """
    { code(code: "J0694", asOf: "2020-06-01") { ...Chain } }
    fragment Chain on Code { crossReferences { target { ... on Code {
      crossReferences { target { history { revisions { code } } } } } } } }
    """

    answer = strict.execute(query)

    assert refusals(answer) == ["query depth is 8; the limit is 7 (1 over)"]
    assert sql_statements == []


def test_query_with_as_many_aliases_as_the_limit_runs(strict):
    query = """
    { a: releases { label } b: releases { label } c: release(label: "2020") { label } }
    """

    data = strict.data(query)

    labels = [{"label": label} for label in ("2017", "2018", "2019", "2020")]
    assert data == {"a": labels, "b": labels, "c": {"label": "2020"}}


def test_one_alias_too_many_is_refused_before_it_runs(strict, sql_statements):
    query = """
    { a: releases { label } b: releases { label } c: releases { label }
      d: releases { label } }
    """

    answer = strict.execute(query)

    assert refusals(answer) == ["query aliases is 4; the limit is 3 (1 over)"]
    assert sql_statements == []


def test_aliases_in_fragments_count_once_per_spread(strict, sql_statements):
    query = """
    { ...Two ... on Query { ...Two } }
    fragment Two on Query { a: releases { label } b: releases { label } }
    """

    answer = strict.execute(query)

    assert refusals(answer) == ["query aliases is 4; the limit is 3 (1 over)"]
    assert sql_statements == []


def test_query_of_as_many_tokens_as_the_limit_runs(strict):
    query = "{ releases { " + "label " * 55 + "} }"

    data = strict.data(query)

    assert [release["label"] for release in data["releases"]] == [
        "2017",
        "2018",
        "2019",
        "2020",
    ]


def test_one_token_too_many_is_refused_before_it_runs(strict, sql_statements):
    query = "{ releases { " + "label " * 56 + "} }"

    answer = strict.execute(query)

    assert refusals(answer) == ["query tokens is 61; the limit is 60 (1 over)"]
    assert sql_statements == []


def test_comments_count_as_tokens(strict, sql_statements):
    query = "{ releases { label } }\n" + "# padding\n" * 55

    answer = strict.execute(query)

    assert refusals(answer) == ["query tokens is 61; the limit is 60 (1 over)"]
    assert sql_statements == []


def test_a_syntax_error_past_the_token_limit_still_names_the_limit(strict):
    query = "{ releases { " + "label " * 56 + "} } \u0001"

    answer = strict.execute(query)

    assert refusals(answer) == ["query tokens is 61; the limit is 60 (1 over)"]


def test_nesting_too_deep_to_parse_is_refused_as_such(client, sql_statements):
    query = "{" + "a {" * 500 + "a" + "}" * 501

    answer = client.execute(query)

    assert refusals(answer) == [
        "Syntax Error: Document is nested too deeply. Parsing aborted."
    ]
    assert sql_statements == []


def test_graphiql_introspection_query_runs_under_default_limits(serve):
    client = serve(Settings())
    query = get_introspection_query(descriptions=True)

    data = client.data(query)

    assert data["__schema"]["queryType"]["name"] == "Query"
