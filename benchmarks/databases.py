"""Throwaway databases for a benchmark run: a SQLite file or a PostgreSQL database."""

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

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
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
