"""Serving the API (`hcpcs serve`) and the floor on loopback, as separate processes."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

BENCHMARKS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
STARTUP_SECONDS = 60


@dataclass
class Server:
    """A server process and the address it answers at."""

    url: str
    process: subprocess.Popen

    def memory_mb(self, field: str = "VmRSS") -> float:
        """Resident memory now (VmRSS) or at its peak (VmHWM), in MB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        raise LookupError(f"{field} is not in /proc/{self.process.pid}/status")

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far, user and system."""
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def serving(
    command: list[str], port: int, ready_path: str, environment: dict | None = None
) -> Iterator[Server]:
    """Run `command` until the block ends; it is ready when `ready_path` answers."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(environment or {})},
    )
    server = Server(f"http://{HOST}:{port}", process)
    try:
        _wait_until_ready(server, ready_path)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_ready(server: Server, path: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with status {server.process.returncode}")
        try:
            if httpx.get(server.url + path).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {server.url} did not answer in {STARTUP_SECONDS} s")


# Settings that make `hcpcs serve` compute every answer: no answer is kept.
COMPUTING = {"HCPCS_ANSWER_CACHE_MB": "0"}


def api(database: str, environment: dict | None = None) -> Iterator[Server]:
    """`hcpcs serve` over `database`, as a user starts it, with `environment` added."""
    port = free_port()
    command = [str(BIN / "hcpcs"), "serve", "--database", database, "--port", str(port)]
    return serving(command, port, "/healthz", environment)


def floor(database: str) -> Iterator[Server]:
    """The bare Starlette lookup of benchmarks/floor.py, served the same way."""
    port = free_port()
    script = str(BENCHMARKS / "floor.py")
    command = [sys.executable, script, "--database", database, "--port", str(port)]
    return serving(command, port, "/code/A1")
