"""Load test: `hcpcs serve` over the four annual releases, under concurrent clients.

Run from the repository root (takes about 70 s with the defaults):

    .venv/bin/python benchmarks/loadtest.py [--duration 60] [--concurrency 32]
        [--requests 1000000] [--cms-dir ../shared/data/cms]

It loads the 2017-2020 annual ZIPs into a temporary SQLite file with
`hcpcs load`, starts `hcpcs serve` on a free loopback port, warms it up, then
runs a mix of real queries (code lookups, filtered pages, search, history,
release changes) from `--concurrency` clients until `--duration` seconds or
`--requests` requests have passed. It reports requests/s, p50/p99 latency,
errors, and the server's resident memory after warm-up and at the end; the
exit status is 1 when any request failed or memory grew by more than 10%.
"""

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2017, 2018, 2019, 2020)
LABELS = [str(year) for year in YEARS]
DAYS = ["2017-06-01", "2018-06-01", "2019-06-01", "2020-06-01"]
# Allowed growth of the server's memory between warm-up and the end.
MAX_GROWTH = 0.10

LOOKUP = """
query ($code: String!, $day: Date, $knownAt: String) {
  code(code: $code, asOf: $day, knownAt: $knownAt) {
    code shortDescription status terminationDate
    pricingIndicators { code description } coverage { code description }
    betos { code description } processingNote { number text }
  }
}
"""
HISTORY = """
query ($code: String!) {
  code(code: $code, asOf: "2020-06-01") {
    code
    history {
      validFrom validTo statedIn { label }
      revisions { release { label } superseded action { code description } }
    }
    diff(from: "2017-06-01", to: "2020-06-01") { field before after }
  }
}
"""
PAGE = """
query ($filter: CodeFilter, $day: Date, $after: String) {
  codes(filter: $filter, asOf: $day, first: 20, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { code shortDescription status coverage { code } } }
  }
}
"""
SEARCH = """
query ($text: String!) {
  search(text: $text, asOf: "2020-06-01", first: 20) {
    totalCount edges { node { code shortDescription } }
  }
}
"""
CHANGES = """
query ($from: String!, $to: String!, $kind: ChangeKind, $after: String) {
  releaseChanges(from: $from, to: $to, kind: $kind, first: 20, after: $after) {
    totalCount pageInfo { endCursor }
    edges { node { code kind action { code } changes { field before after } } }
  }
}
"""
ALL_CODES = """
query ($after: String) {
  codes(asOf: "2020-06-01", first: 500, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { code } }
  }
}
"""
FILTERS = [
    {"kind": "MODIFIER"},
    {"codePrefix": "A4"},
    {"codePrefix": "J"},
    {"status": "DISCONTINUED"},
    {"coverage": "C"},
    {"betos": "D1A"},
    {"pricingIndicator": "51"},
    {"actionCode": "A"},
]
WORDS = ["wheelchair", "injection", "catheter", "allogen", "oxygen", "per 10 mg"]
KINDS = [None, "ADDED", "DISCONTINUED", "CHANGED", "DROPPED_FROM_FILE"]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def every_latency(self) -> list[float]:
        return [seconds for kind in self.latencies.values() for seconds in kind]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of process `pid` in KiB, as Linux reports it."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def hcpcs() -> str:
    return str(Path(sys.executable).parent / "hcpcs")


def load_releases(cms_dir: Path, url: str) -> None:
    zips = [str(cms_dir / f"{year}-Alpha-Numeric-HCPCS-File.zip") for year in YEARS]
    subprocess.run(
        [hcpcs(), "load", "--database", url, *zips],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_server(url: str, port: int, log: Path) -> subprocess.Popen:
    command = [hcpcs(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        return subprocess.Popen(
            [*command, "--database", url], stdout=output, stderr=subprocess.STDOUT
        )


async def wait_until_healthy(http: httpx.AsyncClient, server: subprocess.Popen):
    for _ in range(600):
        if server.poll() is not None:
            raise RuntimeError(f"hcpcs serve exited with status {server.returncode}")
        try:
            if (await http.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError("hcpcs serve did not answer /healthz within 60 s")


async def graphql(http: httpx.AsyncClient, query: str, **variables) -> dict:
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables}
    )
    response.raise_for_status()
    answer = response.json()
    if answer.get("errors"):
        raise RuntimeError(answer["errors"][0]["message"])
    return answer["data"]


async def every_code(http: httpx.AsyncClient) -> list[str]:
    codes, after = [], None
    while True:
        page = (await graphql(http, ALL_CODES, after=after))["codes"]
        codes += [edge["node"]["code"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return codes
        after = page["pageInfo"]["endCursor"]


def next_request(rng: random.Random, codes: list[str]) -> tuple[str, str, dict]:
    """One query of the mix: its kind, text and variables."""
    roll = rng.random()
    code = rng.choice(codes)
    if roll < 0.35:
        return "lookup", LOOKUP, {"code": code, "day": rng.choice(DAYS)}
    if roll < 0.40:
        known_at = rng.choice(LABELS)
        day = rng.choice(DAYS)
        return "lookup", LOOKUP, {"code": code, "day": day, "knownAt": known_at}
    if roll < 0.55:
        return "history", HISTORY, {"code": code}
    if roll < 0.70:
        page_filter = rng.choice(FILTERS)
        return "page", PAGE, {"filter": page_filter, "day": rng.choice(DAYS)}
    if roll < 0.85:
        return "search", SEARCH, {"text": rng.choice(WORDS)}
    earlier = rng.randrange(len(LABELS) - 1)
    return (
        "releaseChanges",
        CHANGES,
        {"from": LABELS[earlier], "to": LABELS[earlier + 1], "kind": rng.choice(KINDS)},
    )


async def warm_up(http: httpx.AsyncClient, codes: list[str]) -> None:
    """Runs every kind of query once, so that catalogs are built before measuring."""
    for label in LABELS:
        await graphql(http, LOOKUP, code=codes[0], knownAt=label)
    await graphql(http, HISTORY, code=codes[0])
    for page_filter in FILTERS:
        await graphql(http, PAGE, filter=page_filter)
    await graphql(http, SEARCH, text=WORDS[0])
    for earlier, later in zip(LABELS, LABELS[1:], strict=False):
        await graphql(http, CHANGES, **{"from": earlier, "to": later})


async def client(
    http: httpx.AsyncClient,
    codes: list[str],
    seed: int,
    deadline: float,
    budget: list[int],
    tally: Tally,
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        kind, query, variables = next_request(rng, codes)
        started = time.perf_counter()
        try:
            await graphql(http, query, **variables)
        except Exception as error:  # every failure counts, whatever its kind
            tally.errors.append(f"{kind}: {type(error).__name__}: {error}")
        tally.add(kind, time.perf_counter() - started)


def percentiles(values: list[float]) -> str:
    """p50 and p99 of `values` (seconds), in milliseconds."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {cuts[49] * 1000:7.1f} ms, p99 {cuts[98] * 1000:7.1f} ms"


async def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="hcpcs-loadtest-") as workdir:
        return await measure(args, Path(workdir))


async def measure(args: argparse.Namespace, workdir: Path) -> int:
    url = f"sqlite:///{workdir / 'hcpcs.db'}"
    print(f"loading {', '.join(LABELS)} into {workdir / 'hcpcs.db'} ...")
    load_releases(args.cms_dir, url)

    port = free_port()
    server = start_server(url, port, workdir / "serve.log")
    limits = httpx.Limits(max_connections=args.concurrency)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=120
        ) as http:
            await wait_until_healthy(http, server)
            codes = await every_code(http)
            await warm_up(http, codes)
            rss_start = rss_kib(server.pid)
            print(
                f"serving {len(codes)} codes on 127.0.0.1:{port}; "
                f"{args.concurrency} clients for {args.duration} s ..."
            )

            tally = Tally()
            budget = [args.requests]
            started = time.monotonic()
            deadline = started + args.duration
            await asyncio.gather(
                *(
                    client(http, codes, seed, deadline, budget, tally)
                    for seed in range(args.concurrency)
                )
            )
            elapsed = time.monotonic() - started
            rss_end = rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    return report(tally, elapsed, rss_start, rss_end)


def report(tally: Tally, elapsed: float, rss_start: int, rss_end: int) -> int:
    every = tally.every_latency()
    growth = (rss_end - rss_start) / rss_start
    print(
        f"requests      {len(every)} in {elapsed:.1f} s: {len(every) / elapsed:.1f}/s"
    )
    print(f"latency       {percentiles(every)}")
    for kind, latencies in sorted(tally.latencies.items()):
        if len(latencies) > 1:
            print(f"  {kind:<15} {percentiles(latencies)} ({len(latencies)} requests)")
    print(f"errors        {len(tally.errors)}")
    for error in sorted(set(tally.errors))[:10]:
        print(f"  {error}")
    print(
        f"server RSS    {rss_start / 1024:.1f} MiB after warm-up, "
        f"{rss_end / 1024:.1f} MiB at the end ({growth:+.1%})"
    )
    return 0 if not tally.errors and growth <= MAX_GROWTH else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1_000_000, help="at most")
    parser.add_argument(
        "--cms-dir", type=Path, default=ROOT.parent / "shared" / "data" / "cms"
    )
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
