"""A load killed mid-transaction leaves the whole release or none of it."""

import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.conftest import annual_zip, database_snapshot, load_path
from tests.reliability.release_slice import slice_2019

HCPCS = Path(sys.executable).with_name("hcpcs")
NOTHING = "nothing"
WHOLE = "the whole release"
# When to kill, counted from the moment the load's transaction holds the write
# lock (SQLite) or has written its first row (PostgreSQL), or from its first
# uncommitted pages in SQLite's WAL; and what the kill may leave. A 2019 load
# holds its transaction for about 0.5 s on SQLite and 2 s on PostgreSQL, and
# spills pages to SQLite's WAL shortly before it commits; a kill a second in
# finds SQLite's load committed and PostgreSQL's still running.
KILLS = [
    pytest.param("writing", 0.0, {NOTHING}, id="as-it-starts-writing"),
    pytest.param("writing", 0.25, {NOTHING, WHOLE}, id="a-quarter-second-in"),
    pytest.param("wal", 0.0, {NOTHING, WHOLE}, id="once-pages-reach-the-wal"),
    pytest.param("writing", 1.0, {NOTHING, WHOLE}, id="a-second-in"),
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
    """Whether another process holds a write transaction open on the store."""
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
    # A transaction gets an id only when it first writes.
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND backend_xid IS NOT NULL"
    )
    with engine.connect() as conn:
        return conn.execute(text(query)).scalar_one() > 0


def wal_size(engine: Engine) -> int:
    wal = Path(f"{engine.url.database}-wal")
    return wal.stat().st_size if wal.exists() else 0


def wait_for(condition: Callable[[], bool], load: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if load.poll() is not None or time.monotonic() > deadline:
            load.kill()
            pytest.fail(f"the load ended before the kill: {load.communicate()}")
        time.sleep(0.002)


def kill_load(url: str, engine: Engine, path: Path, moment: str, delay: float):
    """Start `hcpcs load`, wait for `moment` and `delay` seconds, then SIGKILL it."""
    command = [str(HCPCS), "load", str(path), "--database", url]
    load = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for(lambda: writing(engine), load)
    if moment == "wal" and engine.dialect.name == "sqlite":
        locked_at = wal_size(engine)
        wait_for(lambda: wal_size(engine) > locked_at and writing(engine), load)
    time.sleep(delay)
    load.send_signal(signal.SIGKILL)
    load.communicate()


def left_by_kill(state: dict, before: dict, after: dict) -> str:
    if state == before:
        return NOTHING
    if state == after:
        return WHOLE
    return "part of the release"


@pytest.mark.parametrize(("moment", "delay", "outcomes"), KILLS)
def test_killed_load_stores_all_or_nothing_and_the_next_load_succeeds(
    fresh_database, earlier_release, loaded_cleanly, snapshot, moment, delay, outcomes
):
    url, engine = fresh_database
    load_path(engine, earlier_release)
    before = snapshot(engine)
    path = annual_zip(2019)

    kill_load(url, engine, path, moment, delay)
    after_kill = snapshot(engine)
    retried = subprocess.run(
        [str(HCPCS), "load", str(path), "--database", url],
        capture_output=True,
        text=True,
    )

    assert left_by_kill(after_kill, before, loaded_cleanly) in outcomes
    assert retried.returncode == 0, retried.stderr
    assert snapshot(engine) == loaded_cleanly
