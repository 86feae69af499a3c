"""The floor: a bare Starlette endpoint answering a code lookup straight from SQL.

Served by uvicorn as `hcpcs serve` is, it shows what the same lookup costs
without GraphQL and the in-memory catalog; benchmarks/api.py compares with it.
"""

import argparse
import json
from datetime import date

import uvicorn
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from db import codebook
from db.records import LIST_FIELDS
from db.session import make_engine

# The revision in force on :day, of the newest release that stated its version.
IN_FORCE = text(
    "SELECT r.*, s.action_code FROM revision r"
    " JOIN statement s ON s.revision_id = r.id"
    " JOIN release rel ON rel.id = s.release_id"
    " WHERE r.code = :code AND r.action_effective_date <= :day"
    " ORDER BY r.action_effective_date DESC, rel.position DESC LIMIT 1"
)
# Indicator columns and the code table that decodes each; lists are JSON text.
DECODED = {
    "action_code": codebook.ACTION,
    "pricing_indicators": codebook.PRICING,
    "multiple_pricing_indicator": codebook.MULTIPLE_PRICING,
    "coverage": codebook.COVERAGE,
    "betos": codebook.BETOS,
    "types_of_service": codebook.TYPE_OF_SERVICE,
    "lab_certifications": codebook.LAB_CERTIFICATION,
    "asc_payment_group": codebook.ASC,
    "mog_payment_policy": codebook.MOG_PAYMENT_POLICY,
}


def _decoded(table: str, codes: list[str | None]) -> list[dict]:
    found = (codebook.decode(table, code) for code in codes)
    return [{"code": d.code, "description": d.description} for d in found if d]


def _answer(row) -> dict:
    """The row as JSON values: lists read, dates as text, indicators decoded."""
    answer = {}
    for name, value in row._mapping.items():
        if name in LIST_FIELDS:
            value = json.loads(value)
        elif isinstance(value, date):
            value = value.isoformat()
        if name in DECODED:
            value = _decoded(DECODED[name], value if name in LIST_FIELDS else [value])
        answer[name] = value
    return answer


def create_floor(engine: Engine) -> Starlette:
    async def lookup(request: Request) -> JSONResponse:
        day = date.fromisoformat(request.query_params.get("asOf", "2020-06-01"))
        with engine.connect() as conn:
            row = conn.execute(
                IN_FORCE, {"code": request.path_params["code"].upper(), "day": day}
            ).first()
        if row is None:
            return JSONResponse({"code": None})
        return JSONResponse({"code": _answer(row)})

    return Starlette(routes=[Route("/code/{code}", lookup)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    app = create_floor(make_engine(args.database))
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
