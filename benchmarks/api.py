"""Benchmark of the API over the four annual CMS releases, against a bare floor.

    .venv/bin/python benchmarks/api.py [--backend sqlite|postgresql]

Loads the four annual ZIPs with `hcpcs load` into a throwaway database, serves
it with `hcpcs serve` and the floor (benchmarks/floor.py) with uvicorn on
loopback, and times each case with one sequential httpx client.

The cases run twice: first against a server that keeps no answer, so every
answer is computed (the targets are judged there), then against `hcpcs serve`
as shipped, where a repeated costly query is answered from the answers kept
since the last load.
"""

import argparse
import subprocess
import time
from datetime import date

import cases
import servers
from cms import YEARS, annual_zip
from databases import scratch_database
from report import HEADER, machine, row, verdict
from timing import Figures

from db.sources import read_source

AS_OF = date(2020, 6, 1)
DIFF = (date(2017, 6, 1), date(2020, 6, 1))


def load_releases(database: str) -> float:
    """Seconds `hcpcs load` takes for the four annual ZIPs."""
    command = [str(servers.BIN / "hcpcs"), "load", "--database", database]
    started = time.perf_counter()
    subprocess.run(
        command + [str(annual_zip(y)) for y in YEARS],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def run_cases(
    api: cases.GraphQLClient, floor: servers.Server, codes: list[str], args
) -> dict[str, Figures]:
    """Every case once, in a fixed order, the lookup against the floor."""
    found: dict[str, Figures] = {}
    found["lookup"], found["floor"] = cases.lookup_against_floor(
        api, floor, codes, AS_OF
    )
    for key, case in (
        ("page", cases.page(api, AS_OF, args.rounds)),
        ("search", cases.search(api, args.word, AS_OF, args.repeats)),
        ("history", cases.history(api, codes[: args.histories], AS_OF, *DIFF)),
        ("changes", cases.release_changes(api, "2019", "2020", args.repeats // 10)),
    ):
        found[key] = cases.run(case)
    return found


def run_kept_cases(api: cases.GraphQLClient, args) -> dict[str, Figures]:
    """The repeated costly cases against the server as shipped."""
    api.query(cases.LOOKUP, code="A0021", asOf=AS_OF.isoformat())
    return {
        "page": cases.run(cases.page(api, AS_OF, args.rounds)),
        "search": cases.run(cases.search(api, args.word, AS_OF, args.repeats)),
        "changes": cases.run(
            cases.release_changes(api, "2019", "2020", args.repeats // 10)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=3, help="walks over all pages")
    parser.add_argument("--repeats", type=int, default=300, help="searches")
    parser.add_argument("--histories", type=int, default=1000, help="codes")
    parser.add_argument("--word", default="injection", help="the word searched")
    args = parser.parse_args()

    codes = cases.shuffled([r.code for r in read_source(annual_zip(2020)).records])
    with scratch_database(args.backend) as database:
        load_seconds = load_releases(database)
        with (
            servers.api(database, servers.COMPUTING) as server,
            servers.floor(database) as floor,
        ):
            api = cases.GraphQLClient(server.url, server.cpu_seconds)
            started = time.perf_counter()
            api.query(cases.LOOKUP, code=codes[0], asOf=AS_OF.isoformat())
            first = time.perf_counter() - started
            found = run_cases(api, floor, codes, args)
            rss, peak = server.memory_mb(), server.memory_mb("VmHWM")
        with servers.api(database) as server:
            api = cases.GraphQLClient(server.url, server.cpu_seconds)
            kept = run_kept_cases(api, args)
            kept_rss = server.memory_mb()

    print(f"Machine: {machine()}; backend {args.backend}")
    print(f"`hcpcs load` of the four annual ZIPs: {load_seconds:.1f} s")
    print(f"First request after start: {first * 1000:.0f} ms")
    print()
    print(HEADER)
    lookup, floor_figures = found["lookup"], found["floor"]
    share = lookup.rps / floor_figures.rps
    print(row(lookup, floor_figures, f">= 50% of floor: {verdict(share >= 0.5)}"))
    print(row(floor_figures))
    page = found["page"]
    print(row(page, target=f"median < 40 ms: {verdict(page.median_ms < 40)}"))
    search = found["search"]
    print(row(search, target=f"median < 10 ms: {verdict(search.median_ms < 10)}"))
    print(row(found["history"]))
    changes = found["changes"]
    target = f"median < 300 ms: {verdict(changes.median_ms < 300)}"
    print(row(changes, target=target))
    first_walk = changes.latencies[0] * 1000
    first_row = f"| the first of those walks (builds the list) | {first_walk:.2f} |"
    print(first_row + " |" * 5)
    print(
        f"| server RSS after the run | {rss:.0f} MB (peak {peak:.0f} MB) "
        + " |" * 5
        + f" < 250 MB: {verdict(rss < 250)} |"
    )
    print()
    print("As shipped: the same repeated queries, answered from the kept answers")
    print("(medians of repeats; a first computation, timed above, is not among them)")
    print()
    print(HEADER)
    for key in ("page", "search", "changes"):
        print(row(kept[key]))
    print(f"| server RSS after the run | {kept_rss:.0f} MB" + " |" * 6)


if __name__ == "__main__":
    main()
