"""Timing a case's requests: median and p99 latency, requests per second."""

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass
class Figures:
    """One case's latencies (seconds, one per timed unit) and its throughput."""

    name: str
    latencies: list[float]
    requests: int
    wall: float
    # CPU seconds the server spent on the case; unlike wall time, other
    # programs on the machine barely move it.
    server_cpu: float | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000

    @property
    def rps(self) -> float:
        return self.requests / self.wall

    @property
    def cpu_ms(self) -> float | None:
        """Server CPU per timed unit, in ms."""
        if self.server_cpu is None:
            return None
        return self.server_cpu * 1000 / len(self.latencies)


def timed(
    name: str,
    units: Iterable[Callable[[], int]],
    server_cpu: Callable[[], float] | None = None,
) -> Figures:
    """Run each unit once, in order; a unit returns how many requests it made.

    `server_cpu` reads the server's CPU seconds, taken before and after.
    """
    latencies: list[float] = []
    requests = 0
    cpu_before = server_cpu() if server_cpu else 0.0
    started = time.perf_counter()
    for unit in units:
        begun = time.perf_counter()
        requests += unit()
        latencies.append(time.perf_counter() - begun)
    wall = time.perf_counter() - started
    figures = Figures(name, latencies, requests, wall)
    if server_cpu:
        figures.server_cpu = server_cpu() - cpu_before
    return figures
