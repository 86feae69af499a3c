"""The Starlette app: GraphQL and GraphiQL at /graphql, code pages, /healthz."""

import contextlib
import json
import logging
import uuid
from dataclasses import dataclass

import orjson
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from api import timeline
from api.context import RequestContext
from api.errors import MASKED_MESSAGE
from api.graphiql import ASSET_DIR, ASSET_PATH, graphiql_html, warn_if_not_vendored
from api.schema import create_schema
from db.catalog import CatalogCache
from db.settings import Settings, get_settings

log = logging.getLogger("hcpcs.api")

REQUEST_ID_HEADER = "x-request-id"


class HistoryGraphQL(GraphQL):
    """Strawberry's ASGI app with this project's per-request context.

    Costly answers are kept in an AnswerCache and sent again as they were
    written; the hooks below carry an answer's key from execution to the
    moment its JSON is written.
    """

    def __init__(self, engine: Engine, settings: Settings):
        super().__init__(create_schema(settings))
        self.engine = engine
        self.catalogs = CatalogCache()

    def warm(self) -> None:
        """Build the newest catalog now, so that no request waits for it.

        A store that cannot be read is left for requests (and /healthz) to
        report; the server starts all the same.
        """
        context = RequestContext(self.engine, self.catalogs, "startup")
        try:
            context.catalog()
        except SQLAlchemyError as error:
            log.warning("the catalog could not be built at startup: %s", error)
        finally:
            with contextlib.suppress(SQLAlchemyError):
                context.close()

    async def get_context(self, request, response) -> RequestContext:
        request_id = request.scope.get("state", {}).get("request_id", "-")
        return RequestContext(self.engine, self.catalogs, request_id)

    async def execute_single(self, **kwargs) -> ExecutionResult:
        result = await super().execute_single(**kwargs)
        context: RequestContext = kwargs["context"]
        if context.kept_answer is not None:
            return _KeptAnswer(data=None, errors=None, body=context.kept_answer)
        if context.answer is not None and not result.errors:
            result.answer = context.answer
        return result

    async def process_result(self, request, result: ExecutionResult):
        if isinstance(result, _KeptAnswer):
            return _Written(result.body)
        processed = await super().process_result(request, result)
        answer = getattr(result, "answer", None)
        return _Answer(processed, answer) if answer else processed

    def encode_json(self, data: object) -> bytes:
        if isinstance(data, _Written):
            return data.body
        # A page of 100 codes is some 120 kB of JSON: orjson writes it in a
        # tenth of the standard library's time. It refuses text that is no
        # Unicode (a lone surrogate echoed from a request's variables), which
        # the standard library writes as an escape.
        try:
            body = orjson.dumps(data)
        except TypeError:
            body = json.dumps(data).encode()
        if isinstance(data, _Answer):
            key, seconds = data.answer
            self.schema.answers.offer(key, body, seconds)
        return body

    async def render_graphql_ide(self, request) -> HTMLResponse:
        return HTMLResponse(graphiql_html(request.scope.get("root_path", "")))


@dataclass
class _KeptAnswer(ExecutionResult):
    """An answer found in the cache, as the JSON it was sent as."""

    body: bytes = b""


@dataclass(frozen=True)
class _Written:
    body: bytes


class _Answer(dict):
    """A processed answer that may be kept: (key, seconds it took)."""

    def __init__(self, processed: dict, answer: tuple):
        super().__init__(processed)
        self.answer = answer


class BodyLimit:
    """Refuses oversized requests (413) and JSON bodies that are no object (400).

    Both are answered before the GraphQL layer reads anything.
    """

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.limit:
            await _refuse(send, 413, f"query string is over {self.limit} bytes")
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await _refuse(send, 413, f"request body is over {self.limit} bytes")
                return
        problem = _json_problem(scope, bytes(body))
        if problem:
            await _refuse(send, 400, problem)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _json_problem(scope: Scope, body: bytes) -> str | None:
    """Why a JSON request body cannot be a GraphQL request, if it cannot."""
    headers = dict(scope.get("headers", []))
    if scope.get("method") != "POST" or b"json" not in headers.get(
        b"content-type", b""
    ):
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return "request body is not valid UTF-8 JSON within the parser's limits"
    if not isinstance(parsed, dict):
        return "request body must be a JSON object with a `query`"
    name = parsed.get("operationName")
    if isinstance(name, str) and not _is_unicode(name):
        # Strawberry would name it in a plain-text 400 that cannot be written.
        return "operationName holds a lone UTF-16 surrogate, which is no character"
    return None


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


async def _refuse(send: Send, status: int, message: str) -> None:
    response = JSONResponse({"errors": [{"message": message}]}, status_code=status)
    await response({"type": "http"}, None, send)


class RequestId:
    """Gives every request an id, sent back in a header and used in logs, and
    answers an unexpected error with the masked message and that id."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("request %s failed", request_id)
            if started:
                raise
            masked = {
                "message": MASKED_MESSAGE,
                "extensions": {"requestId": request_id},
            }
            response = JSONResponse({"errors": [masked]}, status_code=500)
            await response(scope, receive, send_with_id)


def create_app(engine: Engine, settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    graphql = HistoryGraphQL(engine, settings)
    warn_if_not_vendored()

    async def healthz(request: Request) -> JSONResponse:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM release"))
        except Exception:
            log.exception("health check could not reach the database")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    middleware = [Middleware(RequestId)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["content-type"],
                expose_headers=[REQUEST_ID_HEADER],
            )
        )
    middleware.append(Middleware(BodyLimit, limit=settings.max_body_bytes))

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette):
        # Servers that run the ASGI lifespan (uvicorn, under `hcpcs serve`)
        # answer their first request from a built catalog.
        graphql.warm()
        yield

    app = Starlette(
        lifespan=lifespan,
        routes=[
            Route("/", lambda request: RedirectResponse("/graphql")),
            Route("/healthz", healthz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Mount(ASSET_PATH, StaticFiles(directory=ASSET_DIR, check_dir=False)),
            *timeline.routes(engine, graphql.catalogs),
        ],
        middleware=middleware,
    )
    app.state.answers = graphql.schema.answers
    return app
