"""Growth: twenty years of quarterly releases, loaded one after another.

    .venv/bin/python benchmarks/growth.py [--backend sqlite|postgresql]

Derives ~76 quarterly releases after 2020 from the four real annual ones
(benchmarks/synthetic.py), writes each as a fixed-width TXT in a temporary
folder, loads the real four and then each TXT in turn, timing every load.
The store is copied as it stands at 4 and at 20 releases; at the end, the
API's queries are measured on the three stores (4, 20 and 80 releases) side
by side, in turns, so that each ratio to 4 releases comes from one stretch
of the machine's time.
"""

import argparse
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from datetime import date
from multiprocessing import get_context
from pathlib import Path

import cases
import servers
from cms import YEARS, annual_zip
from databases import copies, scratch_database
from fixed_width_writer import release_text
from report import machine, verdict
from sqlalchemy import Engine, text
from synthetic import QuarterlyReleases, measure_rates
from timing import Figures

from db.load import load_release
from db.session import make_engine, migrate
from db.sources import read_source

CHECKPOINTS = (4, 20, 80)
MONTHS = {1: "JAN", 4: "APR", 7: "JUL", 10: "OCT"}
AS_OF = date(2020, 6, 1)
DIFF = (date(2017, 6, 1), date(2020, 6, 1))


_engines: dict[str, Engine] = {}


def load_timed(database: str, path: Path, label: str, day: date) -> tuple:
    """Read and store one release file: (codes, read seconds, store seconds).

    It runs in a worker process of its own, as `hcpcs load` would, so that the
    generator's records in this process do not weigh on the load's memory.
    """
    if database not in _engines:
        _engines[database] = make_engine(database)
    engine = _engines[database]
    started = time.perf_counter()
    source = read_source(path)
    read = time.perf_counter() - started
    load_release(engine, source, label, day)
    return len(source.records), read, time.perf_counter() - started - read


def measure_side_by_side(stores: dict[int, str], codes: list[str], args) -> dict:
    """The API's cases on each store, by releases loaded, taking turns.

    One server per store, each started afresh; every case runs on all of them
    in alternating turns, so that a slow spell of the machine weighs on each
    store alike. Every answer is computed: kept answers would hide how the
    work grows.
    """
    measured: dict[int, dict] = {n: {} for n in stores}
    with ExitStack() as stack:
        clients = {}
        for n, database in stores.items():
            server = stack.enter_context(servers.api(database, servers.COMPUTING))
            api = cases.GraphQLClient(server.url, server.cpu_seconds)
            started = time.perf_counter()
            api.query(cases.LOOKUP, code=codes[0], asOf=AS_OF.isoformat())
            measured[n]["first"] = (time.perf_counter() - started) * 1000
            clients[n] = (api, server)
        makers = {
            "lookup": lambda api: cases.lookup(api, codes[: args.lookups], AS_OF),
            "page": lambda api: cases.page(api, AS_OF, 1),
            "search": lambda api: cases.search(api, "injection", AS_OF, args.searches),
            "history": lambda api: cases.history(
                api, codes[: args.histories], AS_OF, *DIFF
            ),
            "changes": lambda api: cases.release_changes(
                api, "2019", "2020", args.changes
            ),
        }
        for key, make in makers.items():
            compared = [make(api) for api, _ in clients.values()]
            found = cases.side_by_side(compared, args.turns)
            for n, figures in zip(clients, found, strict=True):
                measured[n][key] = figures
        for n, (_, server) in clients.items():
            measured[n]["rss"] = server.memory_mb()
    return measured


def stored(engine: Engine) -> str:
    with engine.connect() as conn:
        revisions = conn.execute(text("SELECT count(*) FROM revision")).scalar()
        statements = conn.execute(text("SELECT count(*) FROM statement")).scalar()
    return f"{revisions} revisions, {statements} statements"


class Growth:
    """Loads releases one by one, keeping a copy of the store at each checkpoint."""

    def __init__(self, database: str, codes: list[str], copy: Callable[[str], str]):
        self.database = database
        self.engine = make_engine(database)
        self.loader = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
        self.codes = codes
        self.copy = copy
        self.loads: list[tuple[str, int, float, float]] = []
        # The store as it stood at each checkpoint, by releases loaded.
        self.stores: dict[int, str] = {}
        # A server that stays up across the loads, as in production, from the
        # first load on (over an empty store it would serve the sample): the
        # first request after each load brings its catalog up to date.
        self.serving: cases.GraphQLClient | None = None
        self.first_after_load: list[float | None] = []

    def load(self, path: Path, label: str, day: date) -> None:
        loading = self.loader.submit(load_timed, self.database, path, label, day)
        count, read, store = loading.result()
        self.loads.append((label, count, read, store))
        first = None
        if self.serving is not None:
            started = time.perf_counter()
            self.serving.query(cases.LOOKUP, code=self.codes[0], asOf=AS_OF.isoformat())
            first = time.perf_counter() - started
        self.first_after_load.append(first)
        said = f"loaded {label}: {count} codes, read {read:.2f} s, stored {store:.2f} s"
        if first is not None:
            said += f"; first request after it {first * 1000:.0f} ms"
        print(said)
        if len(self.loads) in CHECKPOINTS[:-1]:
            self.stores[len(self.loads)] = self.copy(self.database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--quarters",
        type=int,
        default=76,
        help="quarterly releases after the real four",
    )
    parser.add_argument("--lookups", type=int, default=2000, help="codes looked up")
    parser.add_argument("--searches", type=int, default=100, help="searches")
    parser.add_argument("--histories", type=int, default=300, help="codes' histories")
    parser.add_argument(
        "--changes", type=int, default=16, help="walks over all pages of releaseChanges"
    )
    parser.add_argument(
        "--turns", type=int, default=8, help="turns the stores take in each case"
    )
    parser.add_argument(
        "--keep", type=Path, help="build the store in this new SQLite file and keep it"
    )
    args = parser.parse_args()

    real = [(date(year, 1, 1), annual_zip(year)) for year in YEARS]
    sources = [(day, read_source(path).records) for day, path in real]
    rates = measure_rates(sources)
    print(f"Machine: {machine()}; backend {args.backend}")
    print(f"Rates measured on the real annual releases: {rates.describe()}")
    codes = cases.shuffled([r.code for r in sources[-1][1]])

    with (
        tempfile.TemporaryDirectory(prefix="hcpcs-growth-") as folder,
        scratch_database(args.backend, args.keep) as database,
        copies() as copy,
    ):
        migrate(database)
        growth = Growth(database, codes, copy)
        first_day, first_path = real[0]
        growth.load(first_path, str(first_day.year), first_day)
        with servers.api(database, servers.COMPUTING) as staying:
            growth.serving = cases.GraphQLClient(staying.url)
            growth.serving.query(cases.LOOKUP, code=codes[0], asOf=AS_OF.isoformat())
            for day, path in real[1:]:
                growth.load(path, str(day.year), day)
            generator = QuarterlyReleases(sources[-1][1], rates)
            quarters = generator.following(date(2020, 4, 1), args.quarters)
            for day, records in quarters:
                name = f"HCPC{day.year}_{MONTHS[day.month]}_ANWEB.txt"
                path = Path(folder) / name
                path.write_text(release_text(records), encoding="cp1252", newline="")
                growth.load(path, f"{day.year}-{day.month:02d}", day)
            print(f"Stored after {len(growth.loads)} releases: {stored(growth.engine)}")
            growth.engine.dispose()
            growth.loader.shutdown()
        growth.stores[len(growth.loads)] = database
        measured = measure_side_by_side(growth.stores, codes, args)

    _print_loads(growth.loads, growth.first_after_load)
    _print_queries(measured)


def _print_loads(
    loads: list[tuple[str, int, float, float]], first_after: list[float]
) -> None:
    print()
    print(
        "| releases loaded | codes in the file | read s | stored s | load s "
        "| first request after it, s (the server stayed up) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    shown = {1, 2, 3, 4, 5, 10, 20, 40, 60, 79, len(loads)}
    for number, (label, count, read, store) in enumerate(loads, start=1):
        if number in shown:
            print(
                f"| {number} ({label}) | {count} | {read:.2f} | {store:.2f} "
                f"| {read + store:.2f} | {_seconds(first_after[number - 1])} |"
            )
    quarterly = [read + store for _, _, read, store in loads[4:]]
    if quarterly:
        worst = max(quarterly)
        print(
            f"Slowest quarterly load: {worst:.2f} s; "
            f"target under 1 s: {verdict(worst < 1)}"
        )


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _print_queries(measured: dict[int, dict]) -> None:
    base = measured[4]
    points = sorted(measured)
    print()
    heads = " | ".join(f"{n} releases" for n in points)
    print(
        f"| case: median ms (server CPU ms) | {heads} "
        "| worst vs 4: median (CPU) | target <= 1.5x |"
    )
    print("| --- |" + " ---: |" * len(points) + " ---: | --- |")
    for key in ("lookup", "page", "search", "history", "changes"):
        figures: list[Figures] = [measured[n][key] for n in points]
        worst = max(f.median_ms for f in figures) / base[key].median_ms
        worst_cpu = max(f.cpu_ms for f in figures) / base[key].cpu_ms
        cells = " | ".join(f"{f.median_ms:.2f} ({f.cpu_ms:.2f})" for f in figures)
        met = verdict(worst <= 1.5)
        print(
            f"| {figures[0].name} | {cells} | {worst:.2f}x ({worst_cpu:.2f}x) | {met} |"
        )
    walks = " | ".join(
        f"{measured[n]['changes'].latencies[0] * 1000:.2f}" for n in points
    )
    print(f"| releaseChanges, the first walk (builds the list) | {walks} | | |")
    for key, name in (
        ("first", "first request after the server started, ms"),
        ("rss", "server RSS after the run, MB"),
    ):
        cells = " | ".join(f"{measured[n][key]:.0f}" for n in points)
        print(f"| {name} | {cells} | | |")


if __name__ == "__main__":
    main()
