"""Fixtures: fresh databases on the backend under test, and the real CMS files."""

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from db.load import load_release
from db.session import make_engine, migrate
from db.sources import infer_release, read_source

CMS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "cms"
ANNUAL_YEARS = (2017, 2018, 2019, 2020)

# HCPCS_TEST_BACKEND=postgresql runs the suite against the server at
# HCPCS_TEST_POSTGRES_URL, one fresh database per fixture use.
BACKEND = os.environ.get("HCPCS_TEST_BACKEND", "sqlite")
POSTGRES_URL = os.environ.get(
    "HCPCS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432"
)


def annual_zip(year: int) -> Path:
    return CMS_DIR / f"{year}-Alpha-Numeric-HCPCS-File.zip"


def load_path(engine: Engine, path: Path, label=None, day=None):
    """Load one release file as the command line would, inferring its label."""
    if label is None:
        label, day = infer_release(path.name)
    return load_release(engine, read_source(path), label, day)


class Databases:
    """Creates empty, migrated databases and drops them at the end."""

    def __init__(self, root: Path):
        self.root = root
        self.created: list[str] = []
        self.engines: list[Engine] = []

    def new_url(self) -> str:
        name = f"hcpcs_test_{uuid.uuid4().hex[:12]}"
        if BACKEND == "postgresql":
            with _admin().connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.created.append(name)
            return f"{POSTGRES_URL}/{name}"
        return f"sqlite:///{self.root / name}.db"

    def new(self) -> tuple[str, Engine]:
        url = self.new_url()
        migrate(url)
        engine = make_engine(url)
        self.engines.append(engine)
        return url, engine

    def drop_all(self) -> None:
        for engine in self.engines:
            engine.dispose()
        if self.created:
            with _admin().connect() as conn:
                for name in self.created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _admin() -> Engine:
    return create_engine(f"{POSTGRES_URL}/postgres", isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> Iterator[Databases]:
    registry = Databases(tmp_path_factory.mktemp("databases"))
    yield registry
    registry.drop_all()


@pytest.fixture
def fresh_database(databases) -> tuple[str, Engine]:
    """An empty database at the newest schema: (url, engine)."""
    return databases.new()


@pytest.fixture
def engine(fresh_database) -> Engine:
    return fresh_database[1]


@pytest.fixture(scope="session")
def loaded_database(databases) -> tuple[str, Engine]:
    """A database holding the four real annual releases; tests only read it."""
    url, engine = databases.new()
    for year in ANNUAL_YEARS:
        load_path(engine, annual_zip(year))
    return url, engine


@pytest.fixture(scope="session")
def loaded_engine(loaded_database) -> Engine:
    return loaded_database[1]


def database_snapshot(engine: Engine) -> dict[str, list]:
    """Everything the store holds, without ids or load times, in a stable order."""
    queries = {
        "release": "SELECT label, effective_date, source_file, sha256, code_count,"
        " position FROM release ORDER BY label",
        "revision": "SELECT * FROM revision ORDER BY content_hash",
        "statement": "SELECT rel.label, rev.content_hash, s.code, s.sequence_number,"
        " s.action_code, s.line FROM statement s"
        " JOIN release rel ON rel.id = s.release_id"
        " JOIN revision rev ON rev.id = s.revision_id"
        " ORDER BY rel.label, s.code",
        "processingnote": "SELECT rel.label, n.number, n.text FROM processingnote n"
        " JOIN release rel ON rel.id = n.release_id ORDER BY rel.label, n.number",
    }
    with engine.connect() as conn:
        snapshot = {}
        for table, query in queries.items():
            rows = conn.execute(text(query)).mappings().all()
            snapshot[table] = [
                {k: v for k, v in row.items() if k != "id"} for row in rows
            ]
    return snapshot


@pytest.fixture
def snapshot() -> Callable[[Engine], dict[str, list]]:
    return database_snapshot
