"""The benchmarked queries, and running each as a timed case against a server."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import httpx
from servers import Server
from timing import Figures, timed

DECODED = "{ code description }"
INDICATORS = f"""
    action {DECODED}
    pricingIndicators {{ code description group }}
    multiplePricingIndicator {DECODED}
    coverage {DECODED}
    betos {DECODED}
    typesOfService {DECODED}
    labCertifications {DECODED}
    ascPaymentGroup {DECODED}
    mogPaymentPolicy {DECODED}
"""
CODE_FIELDS = f"""
    code kind status longDescription shortDescription addedDate
    actionEffectiveDate terminationDate validFrom validTo statute
    anesthesiaBaseUnits cimReferences mcmReferences {INDICATORS}
"""
HISTORY = f"""
    history {{
      validFrom validTo
      revisions {{ release {{ label }} superseded action {DECODED}
                   pricingIndicators {{ code description }} coverage {DECODED} }}
    }}
"""
# A list shows each version's span and who stated it; the decoded values of each
# revision are the single-code history's business.
HISTORY_OUTLINE = """
    history { validFrom validTo revisions { release { label } superseded } }
"""
LOOKUP = f"""query Lookup($code: String!, $asOf: Date) {{
  code(code: $code, asOf: $asOf) {{ {CODE_FIELDS} }}
}}"""
PAGE = f"""query Page($asOf: Date, $after: String) {{
  codes(asOf: $asOf, first: 100, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{ {CODE_FIELDS} {HISTORY_OUTLINE} }} }}
  }}
}}"""
SEARCH = """query Search($text: String!, $asOf: Date) {
  search(text: $text, asOf: $asOf) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { code shortDescription longDescription status } }
  }
}"""
CODE_HISTORY = f"""query History(
  $code: String!, $asOf: Date, $from: Date!, $to: Date!
) {{
  code(code: $code, asOf: $asOf) {{
    code {HISTORY}
    diff(from: $from, to: $to) {{ field before after }}
  }}
}}"""
RELEASE_CHANGES = f"""query Changes($from: String!, $to: String!, $after: String) {{
  releaseChanges(from: $from, to: $to, first: 100, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{
      code kind action {DECODED}
      changes {{ field before after beforeDecoded {DECODED} afterDecoded {DECODED} }}
    }} }}
  }}
}}"""


# Lookups per batch before switching between the API and the floor.
LOOKUP_BATCH = 500


class GraphQLClient:
    """POSTs queries to /graphql over one kept-alive connection."""

    def __init__(self, url: str, server_cpu: Callable[[], float] | None = None):
        self.http = httpx.Client(base_url=url, timeout=60)
        self.server_cpu = server_cpu

    def query(self, document: str, **variables) -> dict:
        body = {"query": document, "variables": variables}
        response = self.http.post("/graphql", json=body)
        response.raise_for_status()
        answer = response.json()
        if answer.get("errors"):
            raise RuntimeError(f"query failed: {answer['errors']}")
        return answer["data"]

    def pages(self, document: str, field: str, **variables) -> int:
        """Follow every page of connection `field`; returns the pages fetched."""
        after, count = None, 0
        while True:
            found = self.query(document, after=after, **variables)[field]
            count += 1
            if not found["pageInfo"]["hasNextPage"]:
                return count
            after = found["pageInfo"]["endCursor"]


def shuffled(codes: list[str], seed: int = 20) -> list[str]:
    order = list(codes)
    random.Random(seed).shuffle(order)
    return order


def _once(call: Callable[[], object]) -> Callable[[], int]:
    def unit() -> int:
        call()
        return 1

    return unit


@dataclass
class Case:
    """A case's timed units (each returns how many requests it made), not yet run."""

    name: str
    units: list[Callable[[], int]]
    server_cpu: Callable[[], float] | None = None


def run(case: Case) -> Figures:
    return timed(case.name, case.units, case.server_cpu)


def side_by_side(compared: list[Case], turns: int) -> list[Figures]:
    """The cases' units in `turns` turns, each case taking a share in every turn.

    Alternating keeps a slow spell of the machine from landing on one side only.
    """
    figures = [Figures(case.name, [], 0, 0.0, 0.0) for case in compared]
    for turn in range(turns):
        for case, found in zip(compared, figures, strict=True):
            share = -(-len(case.units) // turns)
            units = case.units[turn * share : (turn + 1) * share]
            if not units:
                continue
            part = timed(case.name, units, case.server_cpu)
            found.latencies += part.latencies
            found.requests += part.requests
            found.wall += part.wall
            found.server_cpu += part.server_cpu or 0.0
    return figures


def lookup(api: GraphQLClient, codes: list[str], day: date) -> Case:
    on_day = day.isoformat()
    units = [_once(lambda c=c: api.query(LOOKUP, code=c, asOf=on_day)) for c in codes]
    return Case("single-code lookup", units, api.server_cpu)


def lookup_against_floor(
    api: GraphQLClient, floor: Server, codes: list[str], day: date
) -> tuple[Figures, Figures]:
    """Every code looked up on both servers, in alternating batches."""
    bare_http = httpx.Client(base_url=floor.url, timeout=60)
    on_day = day.isoformat()

    def from_floor(code: str) -> None:
        bare_http.get(f"/code/{code}", params={"asOf": on_day}).raise_for_status()

    bare = Case(
        "floor: the same lookup, bare Starlette + SQL",
        [_once(lambda c=c: from_floor(c)) for c in codes],
        floor.cpu_seconds,
    )
    ours = lookup(api, codes, day)
    ours.name = "single-code lookup, every code"
    bare_figures, our_figures = side_by_side(
        [bare, ours], turns=-(-len(codes) // LOOKUP_BATCH)
    )
    return our_figures, bare_figures


def page(api: GraphQLClient, day: date, rounds: int) -> Case:
    """Every page of 100 codes in force, `rounds` times; one unit is one page."""
    cursors = [None]
    while True:
        found = api.query(PAGE, asOf=day.isoformat(), after=cursors[-1])["codes"]
        if not found["pageInfo"]["hasNextPage"]:
            break
        cursors.append(found["pageInfo"]["endCursor"])
    units = [
        _once(lambda a=after: api.query(PAGE, asOf=day.isoformat(), after=a))
        for _ in range(rounds)
        for after in cursors
    ]
    return Case("page of 100 codes with history", units, api.server_cpu)


def search(api: GraphQLClient, word: str, day: date, repeats: int) -> Case:
    call = _once(lambda: api.query(SEARCH, text=word, asOf=day.isoformat()))
    call()
    return Case(f"search '{word}', first page", [call] * repeats, api.server_cpu)


def history(
    api: GraphQLClient, codes: list[str], day: date, start: date, end: date
) -> Case:
    variables = {"asOf": day.isoformat(), "from": start.isoformat()}
    variables["to"] = end.isoformat()
    units = [
        _once(lambda c=c: api.query(CODE_HISTORY, code=c, **variables)) for c in codes
    ]
    return Case("history and diff of one code", units, api.server_cpu)


def release_changes(api: GraphQLClient, earlier: str, later: str, rounds: int) -> Case:
    """All pages of releaseChanges, `rounds` times; one unit is all pages."""
    variables = {"from": earlier, "to": later}

    def all_pages() -> int:
        return api.pages(RELEASE_CHANGES, "releaseChanges", **variables)

    return Case(
        f"releaseChanges {earlier}->{later}, all pages",
        [all_pages] * rounds,
        api.server_cpu,
    )
