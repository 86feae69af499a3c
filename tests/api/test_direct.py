"""Argument-free fields are resolved by their methods, without strawberry's wrapper."""

from api.direct import call_resolvers_directly
from api.schema import create_schema
from db.settings import Settings


def _resolver_module(schema, type_name: str, field: str) -> str:
    return schema._schema.get_type(type_name).fields[field].resolve.__module__


def test_plain_fields_are_called_directly_and_the_rest_keep_strawberrys_wrapper():
    schema = create_schema(Settings())
    direct = {
        ("Code", "longDescription"),  # a method of self only
        ("Code", "processingNote"),
        ("Code", "statedIn"),  # a method of self and info
        ("CodeVersion", "revisions"),
        ("CodeRevision", "release"),
        ("CrossReference", "target"),
    }
    wrapped = {
        ("Code", "diff"),  # takes GraphQL arguments
        ("Query", "code"),
        ("Query", "codes"),
    }
    for type_name, field in direct:
        assert _resolver_module(schema, type_name, field) == "api.direct", field
    for type_name, field in wrapped:
        assert _resolver_module(schema, type_name, field) != "api.direct", field
    # Applying it again finds the same fields; fields without a method
    # (Indicator.code) are left to strawberry's attribute lookup.
    direct_now = [
        field
        for named in schema._schema.type_map.values()
        for field in getattr(named, "fields", {}).values()
        if getattr(field, "resolve", None) and field.resolve.__module__ == "api.direct"
    ]
    assert call_resolvers_directly(schema) == len(direct_now) > 80
    assert _resolver_module(schema, "Indicator", "code") != "api.direct"


def test_direct_fields_answer_as_before_on_real_data(client):
    answer = client.data(
        """{ code(code: "Q4212", asOf: "2020-06-01") {
              longDescription statedIn { label }
              history { validFrom revisions { release { label } superseded } }
              crossReferences { code } } }"""
    )["code"]
    assert answer["longDescription"] == "Allogen, per cc"
    assert [r["label"] for r in answer["statedIn"]] == ["2020"]
    assert answer["crossReferences"] == []
    assert answer["history"] == [
        {
            "validFrom": "2019-10-01",
            "revisions": [{"release": {"label": "2020"}, "superseded": False}],
        }
    ]
