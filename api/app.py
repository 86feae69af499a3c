"""The Starlette application: GraphQL at /graphql, GraphiQL in browsers, /healthz."""

import logging
import uuid

from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from api.context import RequestContext
from api.schema import schema
from db.catalog import CatalogCache

log = logging.getLogger("hcpcs.api")

REQUEST_ID_HEADER = "x-request-id"


class HistoryGraphQL(GraphQL):
    """Strawberry's ASGI app with this project's per-request context."""

    def __init__(self, engine: Engine, **options):
        super().__init__(schema, **options)
        self.engine = engine
        self.catalogs = CatalogCache()

    async def get_context(self, request, response) -> RequestContext:
        request_id = request.scope.get("state", {}).get("request_id", "-")
        return RequestContext(self.engine, self.catalogs, request_id)


class RequestId:
    """Gives every request an id, sent back in a header and used in logs."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_id)


def create_app(engine: Engine) -> Starlette:
    graphql = HistoryGraphQL(engine)

    async def healthz(request: Request) -> JSONResponse:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check could not reach the database")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
        ],
    )
    app.add_middleware(RequestId)
    return app
