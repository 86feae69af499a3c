"""Throwaway databases for a benchmark run: a SQLite file or a PostgreSQL database."""

import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text

# How long a cut-short CREATE DATABASE is waited for before its DROP.
CREATE_WAIT_SECONDS = 60

POSTGRES_SERVER = os.environ.get(
    "HCPCS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
)


@contextmanager
def scratch_database(backend: str, keep: Path | None = None) -> Iterator[str]:
    """The URL of an empty database on `backend`, removed when the block ends.

    With `keep`, a SQLite database is made at that path and left there, for
    profiling the store the run built.
    """
    if keep is not None:
        yield f"sqlite:///{keep.resolve()}"
        return
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="hcpcs-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    name = f"hcpcs_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        _drop(admin, [name])
        admin.dispose()


def _drop(admin: Engine, names: list[str]) -> None:
    """Drop the databases `names`, once any CREATE of them cut short has ended.

    Ctrl-C stops the client waiting for a CREATE DATABASE, not the server
    making it: a DROP sent at once would find nothing and leave the database.
    """
    if not names:
        return
    with admin.connect() as conn:
        deadline = time.monotonic() + CREATE_WAIT_SECONDS
        while time.monotonic() < deadline and _being_created(conn, names):
            time.sleep(0.1)
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _being_created(conn, names: list[str]) -> bool:
    running = conn.execute(
        text(
            "SELECT query FROM pg_stat_activity"
            " WHERE state = 'active' AND pid <> pg_backend_pid()"
        )
    ).scalars()
    return any(
        f'CREATE DATABASE "{name}"' in query for query in running for name in names
    )


@contextmanager
def copies() -> Iterator[Callable[[str], str]]:
    """A function copying a database as it is now, returning the copy's URL.

    The copies are removed when the block ends. A PostgreSQL database is
    copied as a template, which takes no other connections to it: those are
    ended first (the project's engines ping before use, and reconnect).
    """
    made: list[str] = []
    databases: list[str] = []
    admin = create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with tempfile.TemporaryDirectory(prefix="hcpcs-bench-copies-") as folder:

        def copy(url: str) -> str:
            if url.startswith("sqlite"):
                target = Path(folder) / f"copy-{len(made)}.db"
                source = sqlite3.connect(make_url(url).database)
                with closing(source), closing(sqlite3.connect(target)) as copied:
                    source.backup(copied)
                made.append(str(target))
                return f"sqlite:///{target}"
            source_name = make_url(url).database
            name = f"hcpcs_bench_{uuid.uuid4().hex[:12]}"
            databases.append(name)
            with admin.connect() as conn:
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": source_name},
                )
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source_name}"'))
            return f"{POSTGRES_SERVER}/{name}"

        try:
            yield copy
        finally:
            _drop(admin, databases)
            admin.dispose()
