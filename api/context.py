"""Per-request state: one read transaction and what it reads through the caches."""

import logging
from collections.abc import Callable, Hashable
from functools import cached_property
from typing import TypeVar

from sqlalchemy import Connection, Engine, select

from api.errors import UnknownReleaseLabel, UserError
from db.catalog import Catalog, CatalogCache, store_generation
from db.models import ProcessingNote, Release

log = logging.getLogger("hcpcs.api")

# Each distinct `knownAt` in one request may cost a catalog build.
MAX_KNOWN_AT = 3

T = TypeVar("T")


class RequestContext:
    """What resolvers of one request share; the connection opens on first use."""

    def __init__(self, engine: Engine, catalogs: CatalogCache, request_id: str):
        self.engine = engine
        self.catalogs = catalogs
        self.request_id = request_id
        self._conn: Connection | None = None
        self._positions: set[int] = set()
        # Set by api.answers.KeptAnswers: a kept answer's JSON, or the key and
        # cost of an answer just computed.
        self.kept_answer: bytes | None = None
        self.answer: tuple | None = None

    @property
    def conn(self) -> Connection:
        """One transaction per request, so every answer sees one state of the store."""
        if self._conn is None:
            conn = self.engine.connect()
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            conn.begin()
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.rollback()
            self._conn.close()
            self._conn = None

    @cached_property
    def generation(self) -> tuple[int, int]:
        return store_generation(self.conn)

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per `key` and store generation, for every request."""
        return self.catalogs.shared(self.generation, key, compute)

    @cached_property
    def releases(self) -> list:
        """Loaded releases, oldest first; read once per store generation."""
        return self.shared(
            "releases",
            lambda: self.conn.execute(select(Release).order_by(Release.position)).all(),
        )

    @cached_property
    def releases_by_label(self) -> dict:
        return self.shared(
            "releases by label",
            lambda: {row.label: row for row in self.releases},
        )

    def release(self, label: str):
        row = self.releases_by_label.get(label)
        if row is None:
            raise UnknownReleaseLabel(label, [r.label for r in self.releases])
        return row

    def position(self, known_at: str | None) -> int:
        """The position `knownAt` names, or the newest release's."""
        if known_at is None:
            return self.releases[-1].position if self.releases else 0
        return self.release(known_at).position

    def catalog(self, known_at: str | None = None) -> Catalog:
        position = self.position(known_at)
        self._positions.add(position)
        if len(self._positions) > MAX_KNOWN_AT:
            raise UserError(
                f"a request may look at most {MAX_KNOWN_AT} releases' states "
                "(`knownAt` values, the newest included); send separate requests"
            )
        return self.catalogs.get(self.conn, self.generation, position)

    def processing_note(self, label: str, number: str) -> str | None:
        """The text release `label` gives for processing note `number`, if any."""
        texts = self.shared(
            ("processing notes", label),
            lambda: self._processing_notes(label),
        )
        return texts.get(number)

    def _processing_notes(self, label: str) -> dict[str, str]:
        """Every note text of one release (a few hundred), by note number."""
        rows = self.conn.execute(
            select(ProcessingNote.number, ProcessingNote.text)
            .join(Release, Release.id == ProcessingNote.release_id)
            .where(Release.label == label)
        ).all()
        return {row.number: row.text for row in rows}
