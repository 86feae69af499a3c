"""The code timeline page: one code's history as HTML, at /codes/{code}."""

import json
import logging
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from api.context import RequestContext
from api.errors import UnknownReleaseLabel
from api.time_axis import build_axis
from api.timeline_steps import steps
from db.catalog import CatalogCache
from db.queries import histories
from db.records import could_be_code, normalize_code
from db.temporal import in_force

log = logging.getLogger("hcpcs.api")

# Found by path: under pytest, tests/api can shadow the package for importlib.
templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _graphiql_link(code: str, day: date | None, known_at: str | None) -> str:
    """GraphiQL opened on a query of this code's history."""
    # JSON strings are GraphQL strings, escapes included.
    arguments = f"code: {json.dumps(code)}"
    if day:
        arguments += f', asOf: "{day.isoformat()}"'
    if known_at:
        arguments += f", knownAt: {json.dumps(known_at)}"
    query = (
        f"{{\n  code({arguments}) {{\n    code shortDescription status\n"
        "    history {\n      validFrom validTo\n"
        "      revisions { release { label } superseded action { code description } }\n"
        "    }\n  }\n}\n"
    )
    return "/graphql?" + urlencode({"q": query})


def _page(template: str, status: int = 200, **values) -> HTMLResponse:
    html = templates.get_template(template).render(**values)
    return HTMLResponse(html, status_code=status)


def _message(status: int, title: str, message: str, known_at=None) -> HTMLResponse:
    return _page(
        "message.html", status, title=title, message=message, known_at=known_at
    )


class TimelinePages:
    """Reads one code's history in one transaction and renders it."""

    def __init__(self, engine, catalogs: CatalogCache):
        self.engine = engine
        self.catalogs = catalogs

    def lookup(self, request: Request) -> Response:
        """The look-up form's target: send the browser to the code's page."""
        code = normalize_code(request.query_params.get("code", ""))
        known_at = request.query_params.get("knownAt") or None
        if not code:
            return _message(
                200, "Look up a code", "Type an HCPCS code, e.g. Q4212 or A1."
            )
        target = f"/codes/{quote(code, safe='')}"
        if known_at:
            target += "?" + urlencode({"knownAt": known_at})
        return RedirectResponse(target, status_code=303)

    def code(self, request: Request) -> Response:
        code = normalize_code(request.path_params["code"])
        known_at = request.query_params.get("knownAt") or None
        request_id = request.scope.get("state", {}).get("request_id", "-")
        context = RequestContext(self.engine, self.catalogs, request_id)
        try:
            return self._render(context, code, known_at)
        except UnknownReleaseLabel as error:
            return _message(400, "Unknown release", str(error))
        finally:
            context.close()

    def _render(self, context: RequestContext, code: str, known_at: str | None):
        position = context.position(known_at)
        # No store holds what cannot be a code (PostgreSQL would refuse a NUL).
        history = (
            histories(context.conn, [code], position)[code]
            if could_be_code(code)
            else []
        )
        known = [r for r in context.releases if r.position <= position]
        if not history:
            return _not_found(code, known_at, [r.label for r in known])

        today = date.today()
        in_force_now = in_force(history, today)
        headline = in_force_now or history[-1]
        axis = build_axis(history, [(r.label, r.effective_date) for r in known])
        log.debug("timeline of %s as known at %s", code, known[-1].label)
        return _page(
            "timeline.html",
            code=code,
            kind=headline.content["kind"],
            headline=headline.content,
            in_force_now=in_force_now,
            status_now=in_force_now.status_on(today) if in_force_now else None,
            today=today,
            known_at=known_at,
            known_label=known[-1].label,
            release_labels=[r.label for r in context.releases],
            axis=axis,
            steps=steps(history),
            graphiql=_graphiql_link(code, headline.action_effective_date, known_at),
        )


def _not_found(code: str, known_at: str | None, labels: list[str]) -> HTMLResponse:
    if not labels:
        said = "No releases are loaded, so no code is known yet."
    else:
        said = (
            f"No release from {labels[0]} to {labels[-1]} states a code {code}. "
            "HCPCS Level II codes are five characters for a procedure (Q4212) "
            "or two for a modifier (A1)."
        )
    return _message(404, f"No code {code}", said, known_at)


def routes(engine, catalogs: CatalogCache) -> list[Route]:
    pages = TimelinePages(engine, catalogs)
    return [
        Route("/codes", pages.lookup, methods=["GET"]),
        Route("/codes/{code}", pages.code, methods=["GET"]),
    ]
