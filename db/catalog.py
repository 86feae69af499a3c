"""Every code's history as known at one release, held in memory between loads."""

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy import Connection, func, select

from db.models import Release
from db.queries import release_statements, revisions_by_id, stated_revisions
from db.temporal import StatedRevision, Version, build_history, in_force

# Catalogs kept per process: the newest release's, and a few earlier ones that
# `knownAt` queries asked for.
CACHE_SIZE = 4
# Answers derived from one catalog (codes in force on a day, changes between two
# releases) kept with it; they are valid for as long as the catalog is.
DERIVED_SIZE = 16

T = TypeVar("T")


@dataclass
class Catalog:
    """All codes' versions as known at `position`, codes in sorted order."""

    position: int
    histories: dict[str, list[Version]]
    _derived: OrderedDict = field(
        default_factory=OrderedDict, repr=False, compare=False
    )
    _lock: threading.Lock = field(
        default_factory=threading.Lock, repr=False, compare=False
    )

    def history(self, code: str) -> list[Version]:
        return self.histories.get(code, [])

    def in_force(self, code: str, day: date) -> Version | None:
        return in_force(self.history(code), day)

    def all_in_force(self, day: date) -> list[Version]:
        """The version in force on `day` of every code that has one, by code.

        The list is shared between requests: callers must not change it.
        """
        return self.derived(("in force", day), lambda: self._all_in_force(day))

    def _all_in_force(self, day: date) -> list[Version]:
        found = (in_force(history, day) for history in self.histories.values())
        return [version for version in found if version is not None]

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, once per `key` while the value stays among the recent ones."""
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                return self._derived[key]
        value = compute()
        with self._lock:
            self._derived[key] = value
            while len(self._derived) > DERIVED_SIZE:
                self._derived.popitem(last=False)
        return value


def build_catalog(conn: Connection, position: int) -> Catalog:
    # The cyclic collector would walk the growing catalog again and again while
    # it is built (one object per statement); none of it is garbage yet.
    enabled = gc.isenabled()
    gc.disable()
    try:
        stated = stated_revisions(conn, None, position)
        catalog = Catalog(
            position,
            {code: build_history(code, stated[code]) for code in sorted(stated)},
        )
    finally:
        if enabled:
            gc.enable()
    # The catalog lives until the next load and holds no reference cycles, so
    # the collector need never walk it again: each full collection would
    # otherwise visit its hundreds of thousands of objects in the middle of
    # some request. Freed by reference counting when dropped, as before.
    gc.freeze()
    return catalog


# Built once: every request runs it, and building it cost as much as running it.
_GENERATION = select(func.count(Release.id), func.coalesce(func.max(Release.id), 0))


def store_generation(conn: Connection) -> tuple[int, int]:
    """Changes whenever a release is loaded; history is append-only."""
    count, newest = conn.execute(_GENERATION).one()
    return count, newest


class CatalogCache:
    """Catalogs by (store generation, position); a load makes all of them stale.

    It also keeps other values read from one generation of the store (the
    release rows, a release's processing notes): releases are never changed
    once loaded, so such a value stays true until the generation moves on.
    """

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._entries: OrderedDict[tuple, Catalog] = OrderedDict()
        self._lock = threading.Lock()
        self._generation: tuple | None = None
        self._shared: dict[Hashable, object] = {}

    def shared(self, generation: tuple, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, once per `key` and store generation."""
        with self._lock:
            if generation == self._generation and key in self._shared:
                return self._shared[key]
        value = compute()
        with self._lock:
            if generation != self._generation:
                self._generation = generation
                self._shared = {}
            self._shared[key] = value
        return value

    def get(self, conn: Connection, generation: tuple, position: int) -> Catalog:
        key = (generation, position)
        with self._lock:
            catalog = self._entries.get(key)
            if catalog is not None:
                self._entries.move_to_end(key)
                return catalog
            older = list(self._entries.items())
        catalog = _extended(conn, older, generation, position)
        if catalog is None:
            catalog = build_catalog(conn, position)
        with self._lock:
            self._entries = OrderedDict(
                (k, v) for k, v in self._entries.items() if k[0] == generation
            )
            self._entries[key] = catalog
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return catalog


def _extended(
    conn: Connection,
    older: list[tuple[tuple, Catalog]],
    generation: tuple,
    position: int,
) -> Catalog | None:
    """The newest catalog of the previous generation plus the release just loaded.

    Only when that release is the one load between the two generations and
    ranks last, so every earlier release keeps its position: the common case of
    a quarterly load. None otherwise, and the catalog is built afresh.
    """
    count, newest_id = generation
    if position != count:
        return None
    for ((earlier_count, earlier_newest), earlier_position), catalog in older:
        if earlier_count != count - 1 or earlier_position != earlier_count:
            continue
        added = conn.execute(
            select(Release.id).where(Release.position == position)
        ).scalar_one_or_none()
        if added is None or added != newest_id or added <= earlier_newest:
            return None
        return extend_catalog(conn, catalog, added)
    return None


def extend_catalog(conn: Connection, catalog: Catalog, release_id: int) -> Catalog:
    """`catalog` with what release `release_id` (ranked just after it) stated.

    Codes the release does not state keep their history objects; each code it
    states gets its revisions copied, the new statement added, and its history
    grouped again. The catalog given is left as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        stated = release_statements(conn, release_id, catalog.position + 1)
        known = {
            revision.id
            for code in stated
            for version in catalog.history(code)
            for revision in version.revisions
        }
        asked = {i for pairs in stated.values() for i, _ in pairs}
        new = revisions_by_id(conn, sorted(asked - known))
        histories = dict(catalog.histories)
        for code, pairs in stated.items():
            revisions = {
                revision.id: StatedRevision(
                    revision.id,
                    revision.content,
                    revision.content_hash,
                    list(revision.statements),
                )
                for version in catalog.history(code)
                for revision in version.revisions
            }
            for revision_id, statement in pairs:
                revision = revisions.get(revision_id) or new[revision_id]
                revisions[revision_id] = revision
                revision.statements.append(statement)
            histories[code] = build_history(code, list(revisions.values()))
        extended = Catalog(catalog.position + 1, dict(sorted(histories.items())))
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return extended
