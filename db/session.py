"""Engines and sessions for the configured database, SQLite or PostgreSQL."""

import logging
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect

from db.settings import get_settings

log = logging.getLogger("hcpcs.db")

# Execution option marking a connection that will write (see make_engine).
WRITES = "hcpcs_writes"

# SQLite page cache of a connection that writes, in KiB (allocated as used).
WRITE_CACHE_KIB = 64 * 1024

ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, foreign keys and real transactions."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            # The driver would only open transactions before writes; reads of
            # one request must share one snapshot too, so SQLAlchemy says BEGIN.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # A writer takes the write lock up front, so it waits for another
            # writer instead of failing when it first writes.
            immediate = conn.get_execution_options().get(WRITES, False)
            if immediate:
                # A load adds rows all over the statement table's indexes;
                # with SQLite's default 2 MB page cache it rereads their pages
                # from the file again and again once the store has grown.
                conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    return make_engine(url or get_settings().database_url)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision` through Alembic."""
    command.upgrade(alembic_config(url), revision)


def is_migrated(engine: Engine) -> bool:
    return inspect(engine).has_table("release")
