"""The benchmarked queries, and running each as a timed case against a server."""

import random
from collections.abc import Callable
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


def lookup(api: GraphQLClient, codes: list[str], day: date) -> Figures:
    on_day = day.isoformat()
    units = (_once(lambda c=c: api.query(LOOKUP, code=c, asOf=on_day)) for c in codes)
    return timed("single-code lookup", units, api.server_cpu)


def lookup_against_floor(
    api: GraphQLClient, floor: Server, codes: list[str], day: date
) -> tuple[Figures, Figures]:
    """Every code looked up on both servers, in alternating batches.

    Alternating keeps a slow spell of the machine from landing on one side only.
    """
    bare_http = httpx.Client(base_url=floor.url, timeout=60)
    on_day = day.isoformat()

    def from_api(code: str) -> None:
        api.query(LOOKUP, code=code, asOf=on_day)

    def from_floor(code: str) -> None:
        bare_http.get(f"/code/{code}", params={"asOf": on_day}).raise_for_status()

    ours = Figures("single-code lookup, every code", [], 0, 0.0, 0.0)
    bare = Figures("floor: the same lookup, bare Starlette + SQL", [], 0, 0.0, 0.0)
    sides = (
        (bare, from_floor, floor.cpu_seconds),
        (ours, from_api, api.server_cpu),
    )
    for start in range(0, len(codes), LOOKUP_BATCH):
        batch = codes[start : start + LOOKUP_BATCH]
        for figures, call, cpu in sides:
            units = (_once(lambda c=c, f=call: f(c)) for c in batch)
            found = timed(figures.name, units, cpu)
            figures.latencies += found.latencies
            figures.requests += found.requests
            figures.wall += found.wall
            figures.server_cpu += found.server_cpu or 0.0
    return ours, bare


def page(api: GraphQLClient, day: date, rounds: int) -> Figures:
    """Every page of 100 codes in force, `rounds` times; one unit is one page."""
    cursors = [None]
    while True:
        found = api.query(PAGE, asOf=day.isoformat(), after=cursors[-1])["codes"]
        if not found["pageInfo"]["hasNextPage"]:
            break
        cursors.append(found["pageInfo"]["endCursor"])
    units = (
        _once(lambda a=after: api.query(PAGE, asOf=day.isoformat(), after=a))
        for _ in range(rounds)
        for after in cursors
    )
    return timed("page of 100 codes with history", units, api.server_cpu)


def search(api: GraphQLClient, word: str, day: date, repeats: int) -> Figures:
    call = _once(lambda: api.query(SEARCH, text=word, asOf=day.isoformat()))
    call()
    units = (call for _ in range(repeats))
    return timed(f"search '{word}', first page", units, api.server_cpu)


def history(
    api: GraphQLClient, codes: list[str], day: date, start: date, end: date
) -> Figures:
    variables = {"asOf": day.isoformat(), "from": start.isoformat()}
    variables["to"] = end.isoformat()
    units = (
        _once(lambda c=c: api.query(CODE_HISTORY, code=c, **variables)) for c in codes
    )
    return timed("history and diff of one code", units, api.server_cpu)


def release_changes(
    api: GraphQLClient, earlier: str, later: str, rounds: int
) -> Figures:
    """All pages of releaseChanges, `rounds` times; one unit is all pages."""
    variables = {"from": earlier, "to": later}

    def all_pages() -> int:
        return api.pages(RELEASE_CHANGES, "releaseChanges", **variables)

    return timed(
        f"releaseChanges {earlier}->{later}, all pages",
        (all_pages for _ in range(rounds)),
        api.server_cpu,
    )
