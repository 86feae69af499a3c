"""The GraphQL schema: the root Query and what it is built with."""

import logging
import threading
from collections import OrderedDict
from datetime import date
from typing import Annotated

import strawberry
from graphql import DocumentNode, GraphQLError
from strawberry.extensions import DisableIntrospection, MaskErrors, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from api.answers import AnswerCache, KeptAnswers
from api.changes import Change, ChangeKind, release_changes
from api.direct import call_resolvers_directly
from api.errors import MASKED_MESSAGE, UserError
from api.executor import PlainLeafExecutor
from api.limits import Limits, QueryLimits
from api.pagination import Connection, paginate
from api.scalars import Date
from api.types import Code, CodeKind, CodeStatus, Release, code_in_force
from db.catalog import Catalog
from db.records import normalize_code
from db.settings import Settings
from db.temporal import Version

log = logging.getLogger("hcpcs.api")

# Each word is one pass over the codes in force.
MAX_SEARCH_WORDS = 12

# Distinct query texts whose parsed, validated document is kept for reuse.
CHECKED_QUERIES = 256


@strawberry.input(description="Conditions a code in force must meet; all must hold.")
class CodeFilter:
    code_prefix: str | None = strawberry.field(
        default=None, description="Codes starting with this, e.g. 'Q42'."
    )
    kind: CodeKind | None = strawberry.field(
        default=None, description="Procedures or modifiers only."
    )
    status: CodeStatus | None = strawberry.field(
        default=None, description="Status on the `asOf` day."
    )
    betos: str | None = strawberry.field(default=None, description="A BETOS code.")
    coverage: str | None = strawberry.field(
        default=None, description="A coverage code, e.g. 'C'."
    )
    pricing_indicator: str | None = strawberry.field(
        default=None, description="One of the code's pricing indicators, e.g. '13'."
    )
    action_code: str | None = strawberry.field(
        default=None, description="The action code of the stating release, e.g. 'A'."
    )

    def matches(self, version: Version, day: date) -> bool:
        content = version.content
        action_code = version.current.last_stated.action_code
        checks = (
            (self.code_prefix, lambda v: content["code"].startswith(normalize_code(v))),
            (self.kind, lambda v: content["kind"] == v.value),
            (self.status, lambda v: _status(version, day) == v),
            (self.betos, lambda v: content["betos"] == normalize_code(v)),
            (self.coverage, lambda v: content["coverage"] == normalize_code(v)),
            (
                self.pricing_indicator,
                lambda v: v.strip() in content["pricing_indicators"],
            ),
            (self.action_code, lambda v: action_code == normalize_code(v)),
        )
        return all(check(value) for value, check in checks if value is not None)


def _status(version: Version, day: date) -> CodeStatus:
    ended = version.termination_date
    if ended is not None and ended < day:
        return CodeStatus.DISCONTINUED
    return CodeStatus.ACTIVE


def _searched_text(version: Version) -> str:
    content = version.content
    return f"{content['long_description']} {content['short_description']}".lower()


def _described_in_force(catalog: Catalog, day: date) -> list[tuple[Version, str]]:
    """Codes in force on `day` with the text search looks in, kept per catalog."""
    return catalog.derived(
        ("searched text in force", day),
        lambda: [(v, _searched_text(v)) for v in catalog.all_in_force(day)],
    )


AsOf = Annotated[
    date | None,
    strawberry.argument(description="The day to look at; default today."),
]
KnownAt = Annotated[
    str | None,
    strawberry.argument(
        description="Only what releases up to this label had stated; default all."
    ),
]
First = Annotated[
    int | None,
    strawberry.argument(description="Page size; default 50, at most 500."),
]
After = Annotated[
    str | None,
    strawberry.argument(description="The cursor after which the page starts."),
]


@strawberry.type(description="What HCPCS Level II codes meant, on any day, with proof.")
class Query:
    @strawberry.field(
        description="The code's version in force on `asOf`, as known at `knownAt`; "
        "null when the code has no version in force that day."
    )
    def code(
        self,
        info: Info,
        code: Annotated[
            str,
            strawberry.argument(
                description="The code in any case, padded or not: 'q4212', 'A1'."
            ),
        ],
        as_of: AsOf = None,
        known_at: KnownAt = None,
    ) -> Code | None:
        day = as_of or date.today()
        version = info.context.catalog(known_at).in_force(normalize_code(code), day)
        if version is None:
            return None
        return code_in_force(version, day, known_at)

    @strawberry.field(description="Codes in force on `asOf`, by code, page by page.")
    def codes(
        self,
        info: Info,
        filter: Annotated[
            CodeFilter | None,
            strawberry.argument(description="Conditions on the codes; none: all."),
        ] = None,
        as_of: AsOf = None,
        known_at: KnownAt = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Code]:
        day = as_of or date.today()
        versions = info.context.catalog(known_at).all_in_force(day)
        if filter is not None:
            versions = [v for v in versions if filter.matches(v, day)]
        return paginate(
            versions, first, after, lambda v: code_in_force(v, day, known_at)
        )

    @strawberry.field(
        description="Codes in force on `asOf` whose long or short description holds "
        "every word of `text` (any case); an exact code match comes first."
    )
    def search(
        self,
        info: Info,
        text: Annotated[
            str, strawberry.argument(description="Words to find, in any order.")
        ],
        as_of: AsOf = None,
        known_at: KnownAt = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Code]:
        words = text.lower().split()
        if not words:
            raise UserError("`text` must hold at least one word")
        if len(words) > MAX_SEARCH_WORDS:
            raise UserError(
                f"`text` holds {len(words)} words; search takes at most "
                f"{MAX_SEARCH_WORDS}"
            )
        day = as_of or date.today()
        catalog = info.context.catalog(known_at)
        exact = catalog.in_force(normalize_code(text), day)
        # One pass per word keeps the scan a plain substring test per code.
        described = _described_in_force(catalog, day)
        for word in words:
            described = [(v, searched) for v, searched in described if word in searched]
        found = [v for v, _ in described if v is not exact]
        if exact is not None:
            found.insert(0, exact)
        return paginate(found, first, after, lambda v: code_in_force(v, day, known_at))

    @strawberry.field(description="Every loaded release, oldest first.")
    def releases(self, info: Info) -> list[Release]:
        return [Release.from_row(row) for row in info.context.releases]

    @strawberry.field(description="One loaded release by label; null if not loaded.")
    def release(
        self,
        info: Info,
        label: Annotated[str, strawberry.argument(description="E.g. '2020'.")],
    ) -> Release | None:
        row = info.context.releases_by_label.get(label)
        return Release.from_row(row) if row else None

    @strawberry.field(
        description="Every code whose state differs between two releases, by code."
    )
    def release_changes(
        self,
        info: Info,
        from_: Annotated[
            str, strawberry.argument(name="from", description="The earlier release.")
        ],
        to: Annotated[str, strawberry.argument(description="The later release.")],
        kind: Annotated[
            ChangeKind | None,
            strawberry.argument(description="Only changes of this kind."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Change]:
        context = info.context
        earlier, later = context.release(from_), context.release(to)
        if earlier.position > later.position:
            raise UserError(
                f"release {from_!r} is later than release {to!r}; "
                "`from` names the earlier release"
            )
        catalog = context.catalog()
        # Every page of one comparison asks for the same list; build it once.
        found = catalog.derived(
            ("release changes", from_, to),
            lambda: release_changes(catalog, from_, to),
        )
        if kind is not None:
            found = [change for change in found if change.kind == kind]
        return paginate(found, first, after, lambda change: change)


class CheckedQueries:
    """Query texts that parsed and passed validation, with their documents.

    Clients send the same few query texts with new variables; parsing and
    validating such a text again took half of a single-code lookup's time.
    Texts that failed are not kept, so every error is reported as before.
    """

    def __init__(self, size: int = CHECKED_QUERIES):
        self.size = size
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, query: str | None) -> DocumentNode | None:
        with self._lock:
            document = self._documents.get(query)
            if document is not None:
                self._documents.move_to_end(query)
            return document

    def add(self, query: str, document: DocumentNode) -> None:
        with self._lock:
            self._documents[query] = document
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)


class ReuseCheckedQueries(SchemaExtension):
    """Skips parsing and validation for a query text that passed them before.

    It runs after QueryLimits, which still measures every request's document
    against the limits, since cost depends on the variables.
    """

    def __init__(self, checked: CheckedQueries):
        self.checked = checked
        self.document: DocumentNode | None = None

    def on_parse(self):
        context = self.execution_context
        self.document = self.checked.get(context.query)
        if self.document is not None:
            context.graphql_document = self.document
        yield

    def on_validate(self):
        context = self.execution_context
        if self.document is not None and context.pre_execution_errors is None:
            context.pre_execution_errors = []
        yield
        fresh = self.document is None and context.graphql_document is not None
        if fresh and context.pre_execution_errors == [] and context.query:
            self.checked.add(context.query, context.graphql_document)


class RequestTransaction(SchemaExtension):
    """Ends the request's read transaction once the operation is done."""

    def on_operation(self):
        yield
        context = self.execution_context.context
        if hasattr(context, "close"):
            context.close()


def is_internal(error: GraphQLError) -> bool:
    """True for errors that are not the client's own mistakes."""
    original = error.original_error
    while isinstance(original, GraphQLError):
        original = original.original_error
    return original is not None and not isinstance(original, UserError)


def _request_id(execution_context) -> str:
    return getattr(execution_context.context, "request_id", "-")


class MaskInternalErrors(MaskErrors):
    """Replaces internal errors with a fixed message naming the request id."""

    def __init__(self):
        super().__init__(should_mask_error=is_internal, error_message=MASKED_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"requestId": _request_id(self.execution_context)}
        return masked


class HistorySchema(strawberry.Schema):
    """Logs each internal error once, with its request id; client mistakes at debug.

    `answers` is the schema's cache of costly answers (see api.answers).
    """

    answers: AnswerCache

    def _get_middleware_manager(self, extensions):
        # No extension here wraps field resolvers; an empty manager would
        # still be consulted for each of a page's thousands of fields.
        manager = super()._get_middleware_manager(extensions)
        return manager if manager.middlewares else None

    def process_errors(self, errors, execution_context=None) -> None:
        request_id = _request_id(execution_context) if execution_context else "-"
        for error in errors:
            if is_internal(error):
                log.error(
                    "request %s failed: %s",
                    request_id,
                    error.message,
                    exc_info=error.original_error,
                )
            else:
                log.debug("request %s refused: %s", request_id, error.message)


def create_schema(settings: Settings) -> "HistorySchema":
    """The schema with the limits, introspection and error masking of `settings`."""
    limits = Limits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_cost,
    )
    checked = CheckedQueries()
    answers = AnswerCache(
        settings.answer_cache_mb * 1024 * 1024, settings.answer_cache_min_ms / 1000
    )
    # Factories, not instances: strawberry gives each request its own
    # extensions, so concurrent requests never share an execution context.
    extensions: list = [
        RequestTransaction,
        lambda: QueryLimits(limits),
        lambda: ReuseCheckedQueries(checked),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    if not settings.debug:
        extensions.append(MaskInternalErrors)
    if answers.enabled:
        extensions.append(lambda: KeptAnswers(answers))
    built = HistorySchema(
        query=Query,
        config=StrawberryConfig(scalar_map={date: Date}),
        extensions=extensions,
        execution_context_class=PlainLeafExecutor,
    )
    call_resolvers_directly(built)
    built.answers = answers
    return built


# The schema with default settings: what schema.graphql is exported from.
schema = create_schema(Settings())
