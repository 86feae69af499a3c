"""The API only reads: no mutations, and /graphql answers GET and POST only."""

import pytest

from api.schema import create_schema
from db.settings import Settings


def test_schema_has_no_mutation_or_subscription_type():
    schema = create_schema(Settings())

    graphql_schema = schema._schema

    assert graphql_schema.mutation_type is None
    assert graphql_schema.subscription_type is None
    assert "type Mutation" not in schema.as_str()


def test_introspection_reports_no_mutation_type(client):
    query = "{ __schema { mutationType { name } subscriptionType { name } } }"

    data = client.data(query)

    assert data == {"__schema": {"mutationType": None, "subscriptionType": None}}


@pytest.mark.parametrize("operation", ["mutation", "subscription"])
def test_operations_other_than_query_are_refused(client, sql_statements, operation):
    query = f"{operation} {{ releases {{ label }} }}"

    answer = client.execute(query)

    assert answer["data"] is None
    assert [error["message"] for error in answer["errors"]] == [
        f"The {operation} operation is not supported by the schema."
    ]
    assert sql_statements == []


def test_mutation_over_get_is_refused(client, sql_statements):
    response = client.request(
        "GET", params={"query": "mutation { releases { label } }"}
    )

    assert response.status_code == 400
    assert response.text == "mutations are not allowed when using GET"
    assert sql_statements == []


def test_query_over_get_is_answered(client):
    response = client.request(
        "GET", params={"query": '{ release(label: "2018") { label } }'}
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"release": {"label": "2018"}}}


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
def test_methods_other_than_get_and_post_are_refused(client, sql_statements, method):
    response = client.request(method, json={"query": "{ releases { label } }"})

    assert response.status_code == 405
    assert sql_statements == []
