"""Argument-free fields are resolved without strawberry's per-field wrapper."""

from api.direct import call_resolvers_directly
from api.schema import create_schema
from db.settings import Settings


def _resolver(schema, type_name: str, field: str):
    return schema._schema.get_type(type_name).fields[field].resolve


def test_plain_fields_are_called_directly_and_the_rest_keep_strawberrys_wrapper():
    schema = create_schema(Settings())
    direct = {
        ("Code", "longDescription"),  # a method of self only
        ("Indicator", "code"),  # an attribute
        ("Code", "kind"),  # an enum
        ("Code", "action"),  # an object
        ("Code", "processingNote"),  # a method of self and info
        ("Code", "statedIn"),
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
        assert _resolver(schema, type_name, field).__module__ == "api.direct", field
    for type_name, field in wrapped:
        assert _resolver(schema, type_name, field).__module__ != "api.direct", field

    direct_now = [
        field
        for named in schema._schema.type_map.values()
        for field in getattr(named, "fields", {}).values()
        if getattr(field, "resolve", None) and field.resolve.__module__ == "api.direct"
    ]
    # Applied again, it finds the same fields.
    assert call_resolvers_directly(schema) == len(direct_now) > 100


def test_direct_fields_answer_as_before_on_real_data(client):
    answer = client.data(
        """{ code(code: "Q4212", asOf: "2020-06-01") {
              longDescription kind statedIn { label }
              coverage { code description }
              history { validFrom revisions { release { label } superseded } }
              crossReferences { code } } }"""
    )["code"]
    assert answer["longDescription"] == "Allogen, per cc"
    assert answer["kind"] == "PROCEDURE"
    assert answer["coverage"] == {
        "code": "C",
        "description": "Carrier judgment",
    }
    assert [r["label"] for r in answer["statedIn"]] == ["2020"]
    assert answer["crossReferences"] == []
    assert answer["history"] == [
        {
            "validFrom": "2019-10-01",
            "revisions": [{"release": {"label": "2020"}, "superseded": False}],
        }
    ]
