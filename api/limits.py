"""Limits on what one query may ask: depth, aliases, tokens and cost."""

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

# How deep an introspection query may nest without counting against max_depth;
# GraphiQL's schema query nests 15 levels.
INTROSPECTION_DEPTH = 16

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

    def add(self, other: "Measure") -> None:
        """Adds a sibling selection's measure to this one."""
        self.depth = max(self.depth, other.depth)
        self.aliases += other.aliases
        self.cost += other.cost


def count_tokens(query: str) -> int:
    """Tokens of `query` as the parser counts them, comments included."""
    lexer = Lexer(Source(query))
    start = lexer.token
    try:
        while lexer.advance().kind != TokenKind.EOF:
            pass
    except GraphQLError:
        # A syntax error past the limit: the tokens before it are over it already.
        pass
    count = 0
    token = start.next
    while token is not None and token.kind != TokenKind.EOF:
        count += 1
        token = token.next
    return count


def measure(document: DocumentNode, variables: dict | None) -> Measure:
    """Depth, aliases and cost of every operation in `document`, fragments expanded."""
    walker = _Walker(document, variables or {})
    result = Measure()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            result.add(walker.selections(definition.selection_set, root=True))
    return result


class _Walker:
    """Measures selection sets; a fragment is measured once however often spread.

    Costs below the root are per node of the enclosing page, so that a page of
    N multiplies what its nodes ask by N.
    """

    def __init__(self, document: DocumentNode, variables: dict):
        self.fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.variables = {**_variable_defaults(document), **variables}
        self.measured: dict[tuple[str, bool], Measure] = {}
        self.open: set[str] = set()

    def selections(self, selection_set: SelectionSetNode | None, root: bool) -> Measure:
        found = Measure()
        if selection_set is None:
            return found
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.add(self.field(selection, root))
            elif isinstance(selection, InlineFragmentNode):
                found.add(self.selections(selection.selection_set, root))
            elif isinstance(selection, FragmentSpreadNode):
                found.add(self.fragment(selection.name.value, root))
        return found

    def field(self, field: FieldNode, root: bool) -> Measure:
        below = self.selections(field.selection_set, root=False)
        aliases = below.aliases + (field.alias is not None)
        if field.name.value.startswith("__"):
            # Introspection reads the schema, not the store. GraphiQL's own query
            # nests deeper than any query of codes needs, so its depth counts only
            # past INTROSPECTION_DEPTH; its aliases count as any others.
            depth = 1 if below.depth < INTROSPECTION_DEPTH else below.depth + 1
            return Measure(depth, aliases, int(root))
        if field.name.value in CONNECTION_FIELDS:
            # A page costs at least 1: even `first: 0` builds the whole list.
            size = max(self._page_size(field), 1)
            cost = size + size * below.cost
        else:
            cost = int(root) + below.cost
        return Measure(below.depth + 1, aliases, cost)

    def fragment(self, name: str, root: bool) -> Measure:
        key = (name, root)
        if key in self.measured:
            return self.measured[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            # Unknown or cyclic: validation refuses the document after this.
            return Measure()
        self.open.add(name)
        found = self.selections(fragment.selection_set, root)
        self.open.discard(name)
        self.measured[key] = found
        return found

    def _page_size(self, field: FieldNode) -> int:
        for argument in field.arguments or ():
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


def _variable_defaults(document: DocumentNode) -> dict[str, int]:
    """Integer defaults of the operations' variables; the largest if names clash."""
    defaults: dict[str, int] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        for variable in definition.variable_definitions or ():
            value = variable.default_value
            if isinstance(value, IntValueNode):
                name = variable.variable.name.value
                defaults[name] = max(int(value.value), defaults.get(name, 0))
    return defaults


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
        over_tokens = f"more than {self.limits.max_tokens} tokens"
        for error in self.execution_context.pre_execution_errors or []:
            if over_tokens in error.message:
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
