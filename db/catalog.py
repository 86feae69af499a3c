"""Every code's history as known at one release, held in memory between loads."""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, select

from db.models import Release
from db.queries import stated_revisions
from db.temporal import Version, build_history, in_force

# Catalogs kept per process: the newest release's, and a few earlier ones that
# `knownAt` queries asked for.
CACHE_SIZE = 4


@dataclass
class Catalog:
    """All codes' versions as known at `position`, codes in sorted order."""

    position: int
    histories: dict[str, list[Version]]

    def history(self, code: str) -> list[Version]:
        return self.histories.get(code, [])

    def in_force(self, code: str, day: date) -> Version | None:
        return in_force(self.history(code), day)

    def all_in_force(self, day: date) -> list[Version]:
        """The version in force on `day` of every code that has one, by code."""
        found = (in_force(history, day) for history in self.histories.values())
        return [version for version in found if version is not None]


def build_catalog(conn: Connection, position: int) -> Catalog:
    stated = stated_revisions(conn, None, position)
    return Catalog(
        position,
        {code: build_history(code, stated[code]) for code in sorted(stated)},
    )


def store_generation(conn: Connection) -> tuple[int, int]:
    """Changes whenever a release is loaded; history is append-only."""
    count, newest = conn.execute(
        select(func.count(Release.id), func.coalesce(func.max(Release.id), 0))
    ).one()
    return count, newest


class CatalogCache:
    """Catalogs by (store generation, position); a load makes all of them stale."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._entries: OrderedDict[tuple, Catalog] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conn: Connection, generation: tuple, position: int) -> Catalog:
        key = (generation, position)
        with self._lock:
            catalog = self._entries.get(key)
            if catalog is not None:
                self._entries.move_to_end(key)
                return catalog
        catalog = build_catalog(conn, position)
        with self._lock:
            self._entries = OrderedDict(
                (k, v) for k, v in self._entries.items() if k[0] == generation
            )
            self._entries[key] = catalog
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return catalog
