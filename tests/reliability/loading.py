"""Loading damaged files into a store that holds the untouched 2019 slice."""

import io
import zipfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, settings
from sqlalchemy import Engine

from db.load import LoadError, load_release
from db.sources import SourceError, read_source
from tests.conftest import database_snapshot
from tests.reliability.oracle import LOADED, REFUSED
from tests.reliability.release_slice import MEMBER_2019, slice_2019
from tests.reliability.stored import remove_release, stored_records

# Every example of a test writes into the same tmp_path and checks the same
# store, which each example leaves as it found it.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
)

DAMAGED_LABEL = "2019-07"
DAMAGED_DAY = date(2019, 7, 1)


class Store:
    """A store holding the untouched slice as release 2019, and how it looked."""

    def __init__(self, engine: Engine, before: dict[str, list]):
        self.engine = engine
        self.before = before

    def __repr__(self) -> str:
        # Hypothesis prints the arguments of a failing example; not the snapshot.
        return f"Store({self.engine.url})"


def baseline_store(databases, tmp_path_factory) -> Store:
    """A new store holding the untouched slice as release 2019."""
    _, engine = databases.new()
    baseline = tmp_path_factory.mktemp("baseline") / MEMBER_2019
    baseline.write_bytes(slice_2019().data())
    load_release(engine, read_source(baseline), "2019", date(2019, 1, 1))
    return Store(engine, database_snapshot(engine))


def zipped(data: bytes, member: str, more: dict[str, bytes] | None = None) -> bytes:
    """A ZIP holding `data` as `member`, and `more`; the same bytes every time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in {member: data, **(more or {})}.items():
            entry = zipfile.ZipInfo(name, date_time=(2019, 1, 1, 0, 0, 0))
            archive.writestr(entry, body, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_release(folder: Path, data: bytes, member: str | None) -> Path:
    """The text as a TXT file, or as the one member of a ZIP when `member` is given."""
    if member is None:
        path = folder / "damaged.txt"
        path.write_bytes(data)
        return path
    path = folder / "damaged.zip"
    path.write_bytes(zipped(data, member))
    return path


def try_load(store: Store, path: Path, read=stored_records) -> tuple[str, object]:
    """(LOADED, what `read` finds in the store) or (REFUSED, the error's message).

    Either way the store is left as the fixture made it.
    """
    try:
        load_release(store.engine, read_source(path), DAMAGED_LABEL, DAMAGED_DAY)
    except (SourceError, LoadError) as error:
        return REFUSED, str(error)
    try:
        return LOADED, read(store.engine, DAMAGED_LABEL)
    finally:
        remove_release(store.engine, DAMAGED_LABEL)
