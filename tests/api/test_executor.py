"""Plain leaf fields answered the short way give graphql-core's own answers."""

from types import MappingProxyType

import pytest
import strawberry
from graphql.execution import Executor
from sqlalchemy import Engine
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api import executor
from api.context import RequestContext
from api.direct import call_resolvers_directly
from api.executor import PlainLeafExecutor
from api.schema import create_schema
from db.catalog import CatalogCache
from db.settings import Settings

DECODED = "{ code description }"
PAGE = f"""query ($after: String) {{
  codes(asOf: "2020-06-01", first: 100, after: $after) {{
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{
      code kind status longDescription shortDescription addedDate
      actionEffectiveDate terminationDate validFrom validTo statute
      anesthesiaBaseUnits cimReferences mcmReferences mogPaymentGroup
      action {DECODED} pricingIndicators {{ code description group }}
      multiplePricingIndicator {DECODED} coverage {DECODED} betos {DECODED}
      typesOfService {DECODED} labCertifications {DECODED}
      ascPaymentGroup {DECODED} mogPaymentPolicy {DECODED}
      processingNote {{ number text }} lastUpdated {{ label }}
      history {{ validFrom validTo revisions {{ release {{ label }} superseded }} }}
      __typename
    }} }}
  }}
}}"""


def _run(schema, engine: Engine, query: str, **variables):
    context = RequestContext(engine, CatalogCache(), "test")
    try:
        return schema.execute_sync(
            query, variable_values=variables, context_value=context
        )
    finally:
        context.close()


def _without_short_way(schema):
    schema.execution_context_class = StrawberryGraphQLCoreExecutionContext
    return schema


def test_pages_of_real_codes_answer_alike_with_and_without_the_short_way(
    loaded_engine,
):
    settings = Settings(answer_cache_mb=0)
    short = create_schema(settings)
    general = _without_short_way(create_schema(settings))

    pages, after = [], None
    for _ in range(5):
        answer = _run(short, loaded_engine, PAGE, after=after)
        assert answer.errors is None
        assert answer.data == _run(general, loaded_engine, PAGE, after=after).data
        pages.append(answer.data["codes"])
        after = answer.data["codes"]["pageInfo"]["endCursor"]

    nodes = {edge["node"]["code"]: edge["node"] for p in pages for edge in p["edges"]}
    assert len(nodes) == 500
    assert nodes["A0021"]["shortDescription"] == "Outside state ambulance serv"
    assert nodes["A0021"]["kind"] == "PROCEDURE"
    assert nodes["A4490"]["cimReferences"] == ["60-9"]
    assert nodes["A4490"]["mcmReferences"] == ["2079", "2100"]
    assert nodes["A4466"]["terminationDate"] == "2016-12-31"
    assert nodes["A4466"]["status"] == "DISCONTINUED"
    assert nodes["A4466"]["__typename"] == "Code"


def test_plain_leaves_skip_the_general_path(loaded_engine, monkeypatch):
    general_fields = []
    general = Executor.execute_field

    def counted(self, parent_type, source, field_details_list, path, position):
        general_fields.append(f"{parent_type.name}.{path.key}")
        return general(self, parent_type, source, field_details_list, path, position)

    monkeypatch.setattr(Executor, "execute_field", counted)
    schema = create_schema(Settings(answer_cache_mb=0))

    answer = _run(
        schema,
        loaded_engine,
        """{ code(code: "Q4212", asOf: "2020-06-01") {
              code shortDescription kind coverage { code description } } }""",
    )

    assert answer.errors is None
    assert answer.data["code"] == {
        "code": "Q4212",
        "shortDescription": "Allogen, per cc",
        "kind": "PROCEDURE",
        "coverage": {"code": "C", "description": "Carrier judgment"},
    }
    assert general_fields == ["Query.code", "Code.coverage"]


@strawberry.type
class Faulty:
    """Leaves whose values only the general path may answer."""

    tags: list[str]
    maybe: list[str | None]
    once: list[str]
    mapping: list[str]
    octets: list[int]
    returned: str

    @strawberry.field
    def name(self) -> str:
        return None  # type: ignore[return-value]

    @strawberry.field
    def count(self) -> int:
        return "many"  # type: ignore[return-value]

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError("no such value")

    @strawberry.field
    def fine(self) -> str:
        return "fine"


@strawberry.type
class FaultyQuery:
    @strawberry.field
    def faulty(self) -> Faulty | None:
        return Faulty(
            tags=["a", None],  # type: ignore[list-item]
            maybe=["b", None],
            # A generator ending in a null: one pass uses it up.
            once=(tag for tag in ["c", None]),  # type: ignore[arg-type]
            mapping=MappingProxyType({"d": 1}),  # type: ignore[arg-type]
            octets=bytearray(b"AB"),  # type: ignore[arg-type]
            returned=ValueError("an error returned, not raised"),  # type: ignore[arg-type]
        )


def _faulty_schema(short_way: bool) -> strawberry.Schema:
    schema = strawberry.Schema(
        query=FaultyQuery,
        execution_context_class=PlainLeafExecutor if short_way else None,
    )
    if short_way:
        call_resolvers_directly(schema)
    return schema


@pytest.mark.parametrize(
    ("selection", "data"),
    [
        ("name", {"faulty": None}),
        ("count", {"faulty": None}),
        ("tags", {"faulty": None}),
        ("broken fine", {"faulty": {"broken": None, "fine": "fine"}}),
        ("maybe fine", {"faulty": {"maybe": ["b", None], "fine": "fine"}}),
        ("once", {"faulty": None}),
        ("mapping", {"faulty": None}),
        ("octets", {"faulty": None}),
        ("returned", {"faulty": None}),
    ],
)
def test_values_the_short_way_cannot_take_are_reported_as_graphql_core_reports_them(
    selection, data, monkeypatch
):
    query = f"{{ faulty {{ {selection} }} }}"
    tried = []
    short_way = executor._short_way

    def spied(leaf, source):
        tried.append(leaf.name)
        return short_way(leaf, source)

    monkeypatch.setattr(executor, "_short_way", spied)
    short = _faulty_schema(short_way=True).execute_sync(query)
    monkeypatch.setattr(executor, "_short_way", short_way)
    general = _faulty_schema(short_way=False).execute_sync(query)

    assert tried == selection.split()
    assert short.data == general.data == data
    assert [(e.message, e.path) for e in short.errors or []] == [
        (e.message, e.path) for e in general.errors or []
    ]
