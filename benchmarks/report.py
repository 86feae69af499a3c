"""Printing figures as a Markdown table, with the machine they were measured on."""

import os
import platform
from datetime import date

from timing import Figures


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}"
    )


def row(figures: Figures, floor: Figures | None = None, target: str = "") -> str:
    versus = f"{figures.rps / floor.rps:.0%}" if floor else ""
    return (
        f"| {figures.name} | {figures.median_ms:.2f} | {figures.p99_ms:.2f} "
        f"| {figures.rps:.0f} | {versus} | {target} |"
    )


HEADER = (
    "| case | median ms | p99 ms | requests/s | of floor's requests/s | target |\n"
    "| --- | ---: | ---: | ---: | ---: | --- |"
)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"
