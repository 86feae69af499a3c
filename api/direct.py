"""Plain resolvers for the schema's argument-free fields.

Strawberry wraps every resolver it is given: per field and per object it
builds an Info, converts the (absent) arguments and runs the (empty) chain of
field extensions before calling the method. A page of 100 codes resolves some
4,400 fields, and that wrapping cost a third of its time. Fields that take no
GraphQL arguments and have no permission classes or field extensions lose
nothing by being called straight from graphql-core, so they are. Those that
read only their source say so (`source_reader`), for api.executor to answer
without graphql-core's general path.
"""

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info
from strawberry.types.field import StrawberryField


def call_resolvers_directly(schema: strawberry.Schema) -> int:
    """Point plain fields of `schema` at their methods; returns how many."""
    replaced = 0
    for named in schema._schema.type_map.values():
        if not isinstance(named, GraphQLObjectType) or named.name.startswith("__"):
            continue
        for graphql_field in named.fields.values():
            definition = graphql_field.extensions.get(
                GraphQLCoreConverter.DEFINITION_BACKREF
            )
            direct = _direct_resolver(definition)
            if direct is None:
                continue
            graphql_field.resolve = direct
            replaced += 1
    return replaced


def _is_plain(field: StrawberryField) -> bool:
    return not (field.arguments or field.extensions or field.permission_classes)


def _direct_resolver(field: StrawberryField | None) -> Callable | None:
    if not isinstance(field, StrawberryField) or not _is_plain(field):
        return None
    if field.base_resolver is None:
        # An attribute, read the way strawberry reads it.
        read, name = field.default_resolver, field.python_name

        def resolve_attribute(source: Any, _info: GraphQLResolveInfo) -> Any:
            return read(source, name)

        return _reading_source_only(
            resolve_attribute, lambda source: read(source, name)
        )

    resolver = field.base_resolver
    # Only `self` and `info` are passed: any other reserved parameter (root,
    # parent) keeps strawberry's own handling.
    known = {resolver.self_parameter, resolver.info_parameter} - {None}
    reserved = set(resolver.reserved_parameters.values()) - {None}
    if resolver.is_async or resolver.self_parameter is None or reserved != known:
        return None
    method = resolver.wrapped_func
    if resolver.info_parameter is None:

        def resolve(source: Any, _info: GraphQLResolveInfo) -> Any:
            return method(source)

        return _reading_source_only(resolve, method)

    info_name = resolver.info_parameter.name

    def resolve_with_info(source: Any, info: GraphQLResolveInfo) -> Any:
        return method(source, **{info_name: Info(_raw_info=info, _field=field)})

    return resolve_with_info


def _reading_source_only(resolve: Callable, read: Callable[[Any], Any]) -> Callable:
    resolve.read_source = read
    return resolve


def source_reader(resolve: Callable | None) -> Callable[[Any], Any] | None:
    """What `resolve` calls with its source alone, if it needs nothing else."""
    return getattr(resolve, "read_source", None)
