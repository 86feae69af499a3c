"""Fixtures: the API over the four real annual releases, under chosen settings."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from api.app import create_app
from db.load import LoadSummary, load_release
from db.settings import Settings
from db.sources import infer_release, read_source
from tests.api_client import ApiClient

CMS_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "cms"

# Tight limits, so that queries just under and just over each stay small.
STRICT = Settings(
    max_depth=7, max_aliases=3, max_tokens=60, max_cost=100, max_body_bytes=2048
)


@pytest.fixture
def serve(loaded_engine: Engine) -> Callable[[Settings], ApiClient]:
    """Makes a client of a new app over the loaded store, with the given settings."""
    return lambda settings: ApiClient(create_app(loaded_engine, settings))


@pytest.fixture
def serve_engine() -> Callable[[Engine], ApiClient]:
    """Makes a client of a new app with default settings over any store."""
    return lambda engine: ApiClient(create_app(engine, Settings()))


@pytest.fixture
def load_year() -> Callable[[Engine, int], LoadSummary]:
    """Loads one annual release ZIP of the real CMS files into a store."""

    def load(engine: Engine, year: int) -> LoadSummary:
        path = CMS_DIR / f"{year}-Alpha-Numeric-HCPCS-File.zip"
        label, day = infer_release(path.name)
        return load_release(engine, read_source(path), label, day)

    return load


@pytest.fixture(scope="session")
def client(loaded_engine: Engine) -> ApiClient:
    """The API with default settings; its catalog stays warm between tests."""
    return ApiClient(create_app(loaded_engine, Settings()))


@pytest.fixture(scope="session")
def strict(loaded_engine: Engine) -> ApiClient:
    """The API with the STRICT limits; its catalog stays warm between tests."""
    return ApiClient(create_app(loaded_engine, STRICT))


@pytest.fixture
def sql_statements(loaded_engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement sent to the loaded store while the test runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(loaded_engine, "before_cursor_execute", record)
    yield sent
    event.remove(loaded_engine, "before_cursor_execute", record)
