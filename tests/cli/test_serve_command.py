"""`hcpcs serve` over a store with no releases serves the sample, then removes it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

HCPCS = Path(sys.executable).with_name("hcpcs")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sample_code(base: str, server: subprocess.Popen) -> dict:
    query = '{ code(code: "Q4212", asOf: "2020-06-01") { code shortDescription } }'
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"hcpcs serve exited {server.returncode}")
        try:
            answer = httpx.post(f"{base}/graphql", json={"query": query}, timeout=5)
            return answer.json()["data"]["code"]
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("hcpcs serve did not answer within 60 s")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_sample_database_is_removed_when_the_server_stops(tmp_path, stop):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    empty = tmp_path / "empty.db"
    port = _free_port()
    server = subprocess.Popen(
        [str(HCPCS), "serve", "--port", str(port), "--database", f"sqlite:///{empty}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    try:
        code = _sample_code(f"http://127.0.0.1:{port}", server)
        serving = [path.name for path in temporary.iterdir()]
        server.send_signal(stop)
        status = server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert code == {"code": "Q4212", "shortDescription": "Allogen, per cc"}
    assert len(serving) == 1 and serving[0].startswith("hcpcs-sample-")
    assert status == 0
    assert list(temporary.iterdir()) == []
