"""Time and memory of loading the four annual CMS releases into a fresh SQLite store.

Run `.venv/bin/python benchmarks/ingest.py [--repeat N]`. Every measurement is
a fresh process on a fresh temporary database: `hcpcs load` of the four ZIPs
as a user runs it, the same load instrumented per release, and `hcpcs load`
of a release that is already loaded.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CMS_DIR = ROOT.parent / "shared" / "data" / "cms"
YEARS = (2017, 2018, 2019, 2020)
ZIPS = [CMS_DIR / f"{year}-Alpha-Numeric-HCPCS-File.zip" for year in YEARS]

# What `hcpcs` runs: the console script is `cli.main:app`.
HCPCS = [sys.executable, "-c", "from cli.main import app; app()"]

TARGET_SECONDS = 3.0
TARGET_MB = 300
TARGET_RELOAD_SECONDS = 0.5


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    stdout: str


def run(argv: list[str]) -> Run:
    """Run `argv` in a fresh process; its wall and CPU time and its own peak RSS."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=err, text=True)
        # wait4 gives this child's own rusage, not the maximum over all children.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            sys.exit(f"{' '.join(argv)} failed:\n{err.read()}")
        cpu = usage.ru_utime + usage.ru_stime
        return Run(seconds, cpu, usage.ru_maxrss / 1024, out.read())


def instrumented(url: str) -> None:
    """Load the four releases as `hcpcs load` does, timing each step; print JSON."""
    start = time.perf_counter()
    # The project's imports are part of what a fresh `hcpcs load` pays for.
    from db.load import load_release
    from db.session import make_engine, migrate
    from db.sources import infer_release, read_source

    migrate(url)
    engine = make_engine(url)
    figures: dict = {"startup": time.perf_counter() - start, "releases": {}}

    # Like the command: read every file first, then store them one by one.
    sources = []
    for path in ZIPS:
        began = time.perf_counter()
        sources.append(read_source(path))
        figures["releases"][path.name] = {"read": time.perf_counter() - began}
    for path, source in zip(ZIPS, sources, strict=True):
        began = time.perf_counter()
        load_release(engine, source, *infer_release(path.name))
        figures["releases"][path.name]["store"] = time.perf_counter() - began
    figures["total"] = time.perf_counter() - start
    figures["cpu"] = time.process_time()

    began = time.perf_counter()
    source = read_source(ZIPS[-1])
    read = time.perf_counter() - began
    summary = load_release(engine, source, *infer_release(ZIPS[-1].name))
    figures["reload"] = {
        "read": read,
        "check": time.perf_counter() - began - read,
        "no_op": summary.already_loaded,
    }
    print(json.dumps(figures))


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def row(name: str, value: str, note: str = "") -> None:
    print(f"  {name:<10} {value:>9}  {note}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step")
    parser.add_argument("--instrumented", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.instrumented:
        instrumented(args.instrumented)
        return

    loads, reloads, steps = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{directory}/hcpcs.db"
            loads.append(run([*HCPCS, "load", *map(str, ZIPS), "--database", url]))
            reloads.append(run([*HCPCS, "load", str(ZIPS[-1]), "--database", url]))
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{directory}/hcpcs.db"
            child = run([sys.executable, __file__, "--instrumented", url])
            steps.append(json.loads(child.stdout))

    whole = statistics.median(r.seconds for r in loads)
    best = min(r.seconds for r in loads)
    cpu = statistics.median(r.cpu_seconds for r in loads)
    peak = max(r.peak_mb for r in loads)
    met = whole < TARGET_SECONDS and peak < TARGET_MB
    print(f"median of {args.repeat} runs, each a fresh process on a fresh database")
    print(f"\nhcpcs load of the four annual ZIPs: {verdict(met)}")
    row("wall", f"{whole:.2f} s", f"best {best:.2f} s; target < {TARGET_SECONDS} s")
    row("CPU", f"{cpu:.2f} s", "user + system")
    row("peak RSS", f"{peak:.0f} MB", f"target < {TARGET_MB} MB")

    print("\nthe same load, instrumented:")
    startup = statistics.median(s["startup"] for s in steps)
    row("startup", f"{startup:.2f} s", "imports, migration")
    for path in ZIPS:
        read = statistics.median(s["releases"][path.name]["read"] for s in steps)
        store = statistics.median(s["releases"][path.name]["store"] for s in steps)
        split = f"read {read:.2f} s, store {store:.2f} s"
        row(path.name[:4], f"{read + store:.2f} s", split)
    total = statistics.median(s["total"] for s in steps)
    cpu = statistics.median(s["cpu"] for s in steps)
    row("total", f"{total:.2f} s", "without the interpreter and the command's imports")
    row("CPU", f"{cpu:.2f} s", "of the process, interpreter start included")

    no_op = all(s["reload"]["no_op"] for s in steps)
    read = statistics.median(s["reload"]["read"] for s in steps)
    check = statistics.median(s["reload"]["check"] for s in steps)
    command = statistics.median(r.seconds for r in reloads)
    met = no_op and read + check < TARGET_RELOAD_SECONDS
    print(f"\nreload of 2020, already loaded (no-op: {no_op}): {verdict(met)}")
    row(
        "in process",
        f"{read + check:.2f} s",
        f"read {read:.2f} s, check {check:.2f} s; target < {TARGET_RELOAD_SECONDS} s",
    )
    row("hcpcs load", f"{command:.2f} s", "the whole command, startup included")


if __name__ == "__main__":
    main()
