"""Every part of the schema a frontend developer sees carries a description."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from api.schema import schema


def undescribed(graphql_schema) -> list[str]:
    """Types, fields, arguments and enum values without a description."""
    missing = []
    for name, graphql_type in graphql_schema.type_map.items():
        if name.startswith("__"):
            continue
        if not graphql_type.description:
            missing.append(name)
        fields = getattr(graphql_type, "fields", None) or {}
        if isinstance(
            graphql_type,
            GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType,
        ):
            for field_name, field in fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(graphql_type, GraphQLEnumType):
            for value_name, value in graphql_type.values.items():
                if not value.description:
                    missing.append(f"{name}.{value_name}")
    return missing


def test_every_type_field_argument_and_enum_value_is_described():
    graphql_schema = schema._schema

    missing = undescribed(graphql_schema)

    assert missing == []


def test_enum_values_carry_cms_meanings():
    graphql_schema = schema._schema

    change_kind = graphql_schema.type_map["ChangeKind"]
    status = graphql_schema.type_map["CodeStatus"]

    assert "termination date" in change_kind.values["DISCONTINUED"].description
    assert "termination date" in status.values["DISCONTINUED"].description
