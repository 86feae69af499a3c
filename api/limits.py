"""Limits on what one query may ask: depth, aliases, tokens and cost."""

from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    VariableNode,
)
from graphql.language import Lexer
from strawberry.extensions import SchemaExtension

from api.pagination import DEFAULT_PAGE

# Root fields answering a page of nodes; the page size is their `first`.
CONNECTION_FIELDS = {"codes", "search", "releaseChanges"}


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_cost: int


@dataclass
class Measure:
    depth: int = 0
    aliases: int = 0
    cost: int = 0


def count_tokens(query: str) -> int:
    lexer = Lexer(Source(query))
    count = 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


def measure(document: DocumentNode, variables: dict | None) -> Measure:
    """Depth, aliases and cost of every operation in `document`, fragments expanded."""
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    result = Measure()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walker = _Walker(fragments, variables or {}, result)
            walker.walk(definition.selection_set, depth=1, multiplier=1, seen=())
    return result


class _Walker:
    def __init__(self, fragments: dict, variables: dict, result: Measure):
        self.fragments = fragments
        self.variables = variables
        self.result = result

    def walk(
        self,
        selections: SelectionSetNode | None,
        depth: int,
        multiplier: int,
        seen: tuple[str, ...],
    ) -> None:
        for field, field_seen in self._fields(selections, seen):
            self.result.depth = max(self.result.depth, depth)
            if field.alias is not None:
                self.result.aliases += 1
            nodes = multiplier
            if field.name.value in CONNECTION_FIELDS:
                nodes = multiplier * self._page_size(field)
                self.result.cost += nodes
            elif depth == 1:
                self.result.cost += 1
            if field.selection_set is not None:
                self.walk(field.selection_set, depth + 1, nodes, field_seen)

    def _fields(
        self, selections: SelectionSetNode | None, seen: tuple[str, ...]
    ) -> Iterator[tuple[FieldNode, tuple[str, ...]]]:
        """Fields of a selection set, inline and named fragments flattened."""
        if selections is None:
            return
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                yield selection, seen
            elif isinstance(selection, InlineFragmentNode):
                yield from self._fields(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    yield from self._fields(fragment.selection_set, (*seen, name))

    def _page_size(self, field: FieldNode) -> int:
        for argument in field.arguments:
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 0)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                if isinstance(given, int):
                    return max(given, 0)
        return DEFAULT_PAGE


def violations(found: Measure, limits: Limits) -> list[str]:
    checks = (
        ("depth", found.depth, limits.max_depth),
        ("aliases", found.aliases, limits.max_aliases),
        ("cost", found.cost, limits.max_cost),
    )
    return [
        f"query {name} is {value}; the limit is {limit} ({value - limit} over)"
        for name, value, limit in checks
        if value > limit
    ]


class QueryLimits(SchemaExtension):
    """Refuses a query over a limit before it runs, saying which and by how much."""

    def __init__(self, limits: Limits):
        self.limits = limits

    def on_parse(self):
        # The parser stops at the limit, so a huge document costs little.
        self.execution_context.parse_options["max_tokens"] = self.limits.max_tokens
        yield
        for error in self.execution_context.pre_execution_errors or []:
            if "Parsing aborted" in error.message:
                count = count_tokens(self.execution_context.query or "")
                over = count - self.limits.max_tokens
                error.message = (
                    f"query tokens is {count}; the limit is "
                    f"{self.limits.max_tokens} ({over} over)"
                )

    def on_validate(self):
        context = self.execution_context
        if context.graphql_document is not None and not context.pre_execution_errors:
            found = measure(context.graphql_document, context.variables)
            problems = violations(found, self.limits)
            if problems:
                context.pre_execution_errors = [GraphQLError(p) for p in problems]
        yield
