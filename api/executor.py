"""An executor that completes plain leaf fields without graphql-core's general path.

A page of 100 codes answers some 2,600 scalar fields. For each, graphql-core
builds a response path and a resolve info, calls the resolver, checks twice
whether the result is awaitable and walks the non-null, list and leaf cases
of value completion, to arrive at what one call of the scalar's coercion gives.
A field whose resolver reads only its source (see api.direct), takes no
arguments and returns a scalar or enum, or a list of them, is answered here by
that call. Any value the short way cannot take as it is (a null, a failed
coercion, an exception) sends the field down the general path, which resolves
it again and reports exactly what graphql-core reports; resolvers of such
fields only read their source, so a second call changes nothing.
"""

from collections.abc import Callable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.direct import source_reader


class _Leaf(NamedTuple):
    """How to answer one leaf field the short way."""

    name: str
    read: Callable[[Any], Any]
    coerce: Callable[[Any], Any]
    nullable: bool
    # A list of leaves: its items' coercion and whether an item may be null.
    many: bool
    items_nullable: bool


# Planned fields that take the general path.
_GENERAL = None

# Plans by schema, then by (parent type, field name, whether arguments are
# given): what a plan depends on. A schema's fields are fixed once it is built.
_SCHEMA_PLANS: "WeakKeyDictionary[GraphQLSchema, dict]" = WeakKeyDictionary()


class PlainLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with the short way for plain leaf fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # By parent type and field group; the group is kept with its plan so
        # that the id it is found by cannot be reused meanwhile.
        self._plans: dict[tuple[str, int], tuple[list, _Leaf | None]] = {}

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: list,
        path: Path,
        position_context: Any,
    ) -> Any:
        key = (parent_type.name, id(field_details_list))
        planned = self._plans.get(key)
        if planned is None or planned[0] is not field_details_list:
            planned = (
                field_details_list,
                self._planned(parent_type, field_details_list),
            )
            self._plans[key] = planned
        leaf = planned[1]
        if leaf is not _GENERAL:
            value = _short_way(leaf, source)
            if value is not Undefined:
                return value
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _planned(
        self, parent_type: GraphQLObjectType, field_details_list
    ) -> _Leaf | None:
        """The field's plan, made once per schema for every request."""
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return _GENERAL
        node = field_details_list[0].node
        key = (parent_type.name, node.name.value, bool(node.arguments))
        plans = _SCHEMA_PLANS.setdefault(self.schema, {})
        if key not in plans:
            plans[key] = self._leaf(parent_type, node)
        return plans[key]

    def _leaf(self, parent_type: GraphQLObjectType, node: FieldNode) -> _Leaf | None:
        field_def = self.schema.get_field(parent_type, node.name.value)
        if field_def is None or field_def.args or node.arguments:
            return _GENERAL
        read = source_reader(field_def.resolve)
        if read is None:
            return _GENERAL
        nullable, inner = _unwrap(field_def.type)
        many = isinstance(inner, GraphQLList)
        items_nullable = True
        if many:
            items_nullable, inner = _unwrap(inner.of_type)
        if not is_leaf_type(inner):
            return _GENERAL
        return _Leaf(
            node.name.value,
            read,
            inner.coerce_output_value,
            nullable,
            many,
            items_nullable,
        )


def _unwrap(graphql_type: GraphQLOutputType) -> tuple[bool, GraphQLOutputType]:
    if isinstance(graphql_type, GraphQLNonNull):
        return False, graphql_type.of_type
    return True, graphql_type


def _short_way(leaf: _Leaf, source: Any) -> Any:
    """The field's answer, or Undefined when only the general path may give it."""
    try:
        value = leaf.read(source)
        if value is None:
            return None if leaf.nullable else Undefined
        if not leaf.many:
            return _coerced(leaf.coerce, value, nullable=False)
        # Lists and tuples only: any other iterable may be used up by one pass
        # or be no list at all to graphql-core (a mapping, a bytearray).
        if not isinstance(value, list | tuple):
            return Undefined
        items = [_coerced(leaf.coerce, item, leaf.items_nullable) for item in value]
    except Exception:
        return Undefined
    if any(item is Undefined for item in items):
        return Undefined
    return items


def _coerced(coerce: Callable[[Any], Any], value: Any, nullable: bool) -> Any:
    if value is None:
        return None if nullable else Undefined
    if isinstance(value, Exception):
        # graphql-core reports a returned exception as the field's error.
        return Undefined
    coerced = coerce(value)
    return Undefined if coerced is None else coerced
