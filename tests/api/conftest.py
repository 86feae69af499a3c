"""Fixtures: the API over the four real annual releases, and what their files say."""

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import pytest
from sqlalchemy import Engine

from api.app import create_app
from db.records import Record
from db.sources import read_source
from tests.api_client import ApiClient
from tests.conftest import CMS_DIR

ANNUAL_LABELS = ("2017", "2018", "2019", "2020")


@pytest.fixture(scope="session")
def client(loaded_engine: Engine) -> ApiClient:
    """The API over the 2017-2020 annual releases; its catalog stays warm."""
    return ApiClient(create_app(loaded_engine))


@pytest.fixture
def new_client(loaded_engine: Engine) -> Callable[[], ApiClient]:
    """Makes clients of new apps, each with an empty catalog cache."""
    return lambda: ApiClient(create_app(loaded_engine))


@pytest.fixture(scope="session")
def release_records() -> dict[str, dict[str, Record]]:
    """Each annual release's records by code, read from the CMS ZIPs."""
    return {
        label: {
            record.code: record
            for record in read_source(
                CMS_DIR / f"{label}-Alpha-Numeric-HCPCS-File.zip"
            ).records
        }
        for label in ANNUAL_LABELS
    }


class InForce(NamedTuple):
    record: Record
    action_code: str | None


@pytest.fixture(scope="session")
def records_in_force(
    release_records,
) -> Callable[[date], dict[str, InForce]]:
    """Each code's record in force on a day, found in the files without the store.

    The record with the latest action effective date not after the day, as the
    newest release stated it, with the action code of the newest release that
    stated that same content.
    """

    def in_force(day: date) -> dict[str, InForce]:
        best: dict[str, tuple[tuple, Record]] = {}
        for position, records in enumerate(release_records.values()):
            for code, record in records.items():
                effective = record.action_effective_date
                if effective is None or effective > day:
                    continue
                rank = (effective, position)
                if code not in best or rank > best[code][0]:
                    best[code] = (rank, record)

        found = {}
        for code, (_, record) in best.items():
            action = None
            for records in release_records.values():
                stated = records.get(code)
                if stated and stated.content_hash() == record.content_hash():
                    action = stated.action_code
            found[code] = InForce(record, action)
        return found

    return in_force
