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


def timed(name: str, units: Iterable[Callable[[], int]]) -> Figures:
    """Run each unit once, in order; a unit returns how many requests it made."""
    latencies: list[float] = []
    requests = 0
    started = time.perf_counter()
    for unit in units:
        begun = time.perf_counter()
        requests += unit()
        latencies.append(time.perf_counter() - begun)
    return Figures(name, latencies, requests, time.perf_counter() - started)
