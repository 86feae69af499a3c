"""A load killed mid-transaction leaves the whole release or none of it."""

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.conftest import annual_zip, database_snapshot, load_path
from tests.reliability.release_slice import slice_2019

HCPCS = Path(sys.executable).with_name("hcpcs")
# Seconds between seeing the load's write transaction open and killing it, and
# what the kill may leave: a 2019 load holds its transaction for about 0.3 s on
# SQLite and 1 s on PostgreSQL, so only the first kill is sure to cut it short.
KILLS = [
    (0.0, {"nothing"}),
    (0.1, {"nothing", "the whole release"}),
    (0.3, {"nothing", "the whole release"}),
]


@pytest.fixture(scope="module")
def earlier_release(tmp_path_factory) -> Path:
    """A small release to load first, so a kill has stored rows it could spoil."""
    path = tmp_path_factory.mktemp("earlier") / "HCPC2018_OCT_ANWEB_slice.txt"
    path.write_bytes(slice_2019().data())
    return path


@pytest.fixture(scope="module")
def loaded_cleanly(databases, earlier_release) -> dict[str, list]:
    """The store after the earlier release and 2019, loaded with nothing in the way."""
    _, engine = databases.new()
    load_path(engine, earlier_release)
    load_path(engine, annual_zip(2019))
    return database_snapshot(engine)


def writing(engine: Engine) -> bool:
    """Whether another connection holds a write transaction open on the store."""
    if engine.dialect.name == "sqlite":
        probe = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    with engine.connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                    " current_database() AND backend_xid IS NOT NULL"
                )
            ).scalar_one()
        )


def kill_while_writing(url: str, engine: Engine, path: Path, delay: float) -> None:
    """Start `hcpcs load`, wait for its transaction to write, then SIGKILL it."""
    command = [str(HCPCS), "load", str(path), "--database", url]
    load = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not writing(engine):
        if load.poll() is not None or time.monotonic() > deadline:
            load.kill()
            pytest.fail(f"the load never opened its transaction: {load.stderr.read()}")
        time.sleep(0.005)
    time.sleep(delay)
    load.send_signal(signal.SIGKILL)
    load.wait()
    load.stderr.close()


@pytest.mark.parametrize(("delay", "outcomes"), KILLS)
def test_killed_load_stores_all_or_nothing_and_the_next_load_succeeds(
    fresh_database, earlier_release, loaded_cleanly, snapshot, delay, outcomes
):
    url, engine = fresh_database
    load_path(engine, earlier_release)
    before = snapshot(engine)
    path = annual_zip(2019)

    kill_while_writing(url, engine, path, delay)
    after_kill = snapshot(engine)
    outcome = (
        "nothing"
        if after_kill == before
        else "the whole release"
        if after_kill == loaded_cleanly
        else "part of the release"
    )
    retried = subprocess.run(
        [str(HCPCS), "load", str(path), "--database", url],
        capture_output=True,
        text=True,
    )

    assert outcome in outcomes
    assert retried.returncode == 0, retried.stderr
    assert snapshot(engine) == loaded_cleanly
