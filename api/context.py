"""Per-request state: one read transaction, its catalogs and its DataLoaders."""

import logging
from functools import cached_property

from sqlalchemy import Connection, Engine, select, tuple_
from strawberry.dataloader import DataLoader

from api.errors import UnknownReleaseLabel, UserError
from db.catalog import Catalog, CatalogCache, store_generation
from db.models import ProcessingNote, Release

log = logging.getLogger("hcpcs.api")

# Each distinct `knownAt` in one request may cost a catalog build.
MAX_KNOWN_AT = 3


class RequestContext:
    """What resolvers of one request share; the connection opens on first use."""

    def __init__(self, engine: Engine, catalogs: CatalogCache, request_id: str):
        self.engine = engine
        self.catalogs = catalogs
        self.request_id = request_id
        self._conn: Connection | None = None
        self._positions: set[int] = set()
        self.processing_notes = DataLoader(load_fn=self._load_processing_notes)

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

    @cached_property
    def releases(self) -> list:
        """Loaded releases, oldest first; read once per request."""
        return self.conn.execute(select(Release).order_by(Release.position)).all()

    @cached_property
    def releases_by_label(self) -> dict:
        return {row.label: row for row in self.releases}

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

    async def _load_processing_notes(
        self, keys: list[tuple[str, str]]
    ) -> list[str | None]:
        """Note texts by (release label, note number), in one query per batch."""
        rows = self.conn.execute(
            select(Release.label, ProcessingNote.number, ProcessingNote.text)
            .join(Release, Release.id == ProcessingNote.release_id)
            .where(tuple_(Release.label, ProcessingNote.number).in_(keys))
        ).all()
        texts = {(row.label, row.number): row.text for row in rows}
        return [texts.get(key) for key in keys]
