"""Printing figures as a Markdown table, with the machine they were measured on."""

import os
import platform
from datetime import date
from pathlib import Path

from timing import Figures


def machine() -> str:
    """Today's date, the core count and the CPU model, for the report's heading."""
    cpu = platform.processor() or platform.machine()
    info = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (info.read_text().splitlines() if info.exists() else [])
        if line.startswith("model name")
    ]
    cpu = models[0] if models else cpu
    return (
        f"{date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}"
    )


def row(figures: Figures, floor: Figures | None = None, target: str = "") -> str:
    versus = f"{figures.rps / floor.rps:.0%}" if floor else ""
    cpu = "" if figures.cpu_ms is None else f"{figures.cpu_ms:.2f}"
    return (
        f"| {figures.name} | {figures.median_ms:.2f} | {figures.p99_ms:.2f} "
        f"| {cpu} | {figures.rps:.0f} | {versus} | {target} |"
    )


HEADER = (
    "| case | median ms | p99 ms | server CPU ms | requests/s "
    "| of floor's requests/s | target |\n"
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
)


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"
