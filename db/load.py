"""Loading one release into the temporal store, in one transaction."""

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Engine,
    Row,
    bindparam,
    func,
    insert,
    select,
    tuple_,
    update,
)

from db.changes import ChangeKind, CodeState, classify
from db.models import ProcessingNote, Release, Revision, Statement
from db.records import Record
from db.revisions import revision_row
from db.session import WRITES
from db.sources import ReleaseSource

log = logging.getLogger("hcpcs.db.load")

# Labels name releases in URLs, queries and logs: one plain word each.
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# Rows per IN (...) list; well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 500

# The advisory lock loads take turns on in PostgreSQL ("HCPC" in ASCII).
LOAD_LOCK = 0x48435043

# Index entries SQLite's ANALYZE samples per index after each load.
ANALYSIS_ROWS = 1000

Progress = Callable[[int], None]
# What a release stated: code -> (revision id, state).
StatedBefore = dict[str, tuple[int, CodeState]]


class LoadError(ValueError):
    """A release that cannot be loaded as asked; nothing was written."""


@dataclass
class LoadSummary:
    label: str
    effective_date: date
    source_file: str
    codes_read: int
    already_loaded: bool = False
    versions_added: int = 0
    revisions_added: int = 0
    compared_with: str | None = None
    changes: Counter = field(default_factory=Counter)


def load_release(
    engine: Engine,
    source: ReleaseSource,
    label: str,
    effective_date: date,
    progress: Progress | None = None,
) -> LoadSummary:
    """Store `source` as release `label`; a second load of the same file is a no-op."""
    summary = LoadSummary(
        label, effective_date, source.source_file, len(source.records)
    )
    limit = Release.__table__.columns["label"].type.length
    if len(label) > limit:
        raise LoadError(
            f"{source.path}: release label {label!r} is {len(label)} characters "
            f"long; a label has at most {limit}"
        )
    if not LABEL.match(label):
        raise LoadError(
            f"{source.path}: release label {label!r} may hold only letters, "
            "digits, '.', '_' and '-', starting with a letter or digit"
        )
    with engine.connect().execution_options(**{WRITES: True}) as conn, conn.begin():
        _take_turn(conn)
        if _already_loaded(conn, source, label):
            summary.already_loaded = True
            return summary

        release_id = conn.execute(
            insert(Release).returning(Release.id),
            {
                "label": label,
                "effective_date": effective_date,
                "source_file": source.source_file,
                "sha256": source.sha256,
                "loaded_at": datetime.now(UTC),
                "code_count": len(source.records),
                "position": 0,
            },
        ).scalar_one()
        previous = _previous_release(conn, release_id, effective_date, label)
        before = release_states(conn, previous.id) if previous else {}
        digests = [record.content_hash() for record in source.records]
        # Most records restate what the release before stated.
        revision_ids = _store_revisions(
            conn,
            source.records,
            digests,
            {state.content_hash: id_ for id_, state in before.values()},
            summary,
        )
        _store_statements(conn, release_id, source.records, revision_ids, progress)
        _store_notes(conn, release_id, source.processing_notes)
        _renumber_releases(conn)
        _refresh_statistics(conn)
        stated = {
            record.code: CodeState(digest, record.termination_date)
            for record, digest in zip(source.records, digests, strict=True)
        }
        _count_changes(previous, before, stated, summary)

    log.info(
        "loaded release %s from %s: %d codes, %d versions and %d revisions added",
        label,
        source.source_file,
        summary.codes_read,
        summary.versions_added,
        summary.revisions_added,
    )
    return summary


def _take_turn(conn: Connection) -> None:
    """Wait until no other load is running; held until this one commits.

    Two loads at once would each rank the releases without seeing the other's
    and insert the same new revisions. SQLite's writers queue already (BEGIN
    IMMEDIATE); on PostgreSQL a transaction-level advisory lock queues them.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(LOAD_LOCK)))


def _already_loaded(conn: Connection, source: ReleaseSource, label: str) -> bool:
    """True for the same file under the same label; refuses any other clash."""
    rows = conn.execute(
        select(Release.label, Release.sha256, Release.source_file).where(
            (Release.label == label) | (Release.sha256 == source.sha256)
        )
    ).all()
    for row in rows:
        if row.label == label and row.sha256 == source.sha256:
            return True
        if row.label == label:
            raise LoadError(
                f"release {label} is already loaded from another file "
                f"({row.source_file}); a release label names one file"
            )
        raise LoadError(
            f"{source.path}: this file is already loaded as release {row.label}"
        )
    return False


def _among(conn: Connection, column, values: list) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL against one array parameter, unnested.

    There an IN of 500 separate parameters (and `= ANY(array)` alike) ran as a
    scan of every revision, 130 ms a lookup and growing with the store; the
    unnested array is looked up through a hash, under 5 ms.
    """
    if conn.dialect.name == "postgresql":
        listed = bindparam(None, values, type_=ARRAY(column.type))
        return column.in_(select(func.unnest(listed)))
    return column.in_(values)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _store_revisions(
    conn: Connection,
    records: list[Record],
    digests: list[str],
    known: dict[str, int],
    summary: LoadSummary,
) -> list[int]:
    """Insert the revisions not yet stored; return each record's revision id.

    `digests` are the records' content hashes. `known` maps content hashes
    already stored to their revision ids; hashes not in it are looked up
    before anything is inserted, and only the records left are made rows.
    """
    known = dict(known)
    unknown = {
        digest: record
        for record, digest in zip(records, digests, strict=True)
        if digest not in known
    }
    for chunk in _chunks(list(unknown)):
        known.update(
            conn.execute(
                select(Revision.content_hash, Revision.id).where(
                    _among(conn, Revision.content_hash, chunk)
                )
            ).all()
        )

    new_rows = [
        revision_row(record)
        for digest, record in unknown.items()
        if digest not in known
    ]
    existing_versions = _existing_versions(conn, new_rows)
    for chunk in _chunks(new_rows):
        inserted = conn.execute(
            insert(Revision).returning(Revision.content_hash, Revision.id), chunk
        ).all()
        known.update(inserted)

    for row in new_rows:
        if (row["code"], row["action_effective_date"]) in existing_versions:
            summary.revisions_added += 1
        else:
            summary.versions_added += 1
    return [known[digest] for digest in digests]


def _existing_versions(conn: Connection, rows: list[dict]) -> set[tuple]:
    """Which (code, action effective date) pairs among `rows` are already stored."""
    keys = list({(row["code"], row["action_effective_date"]) for row in rows})
    found: set[tuple] = set()
    for chunk in _chunks(keys):
        found.update(
            conn.execute(
                select(Revision.code, Revision.action_effective_date)
                .where(tuple_(Revision.code, Revision.action_effective_date).in_(chunk))
                .distinct()
            ).all()
        )
    return {tuple(key) for key in found}


def _store_statements(
    conn: Connection,
    release_id: int,
    records: list[Record],
    revision_ids: list[int],
    progress: Progress | None,
) -> None:
    rows = [
        {
            "release_id": release_id,
            "revision_id": revision_id,
            "code": record.code,
            "sequence_number": record.sequence_number,
            "action_code": record.action_code,
            "line": record.line,
        }
        for record, revision_id in zip(records, revision_ids, strict=True)
    ]
    for chunk in _chunks(rows):
        conn.execute(insert(Statement), chunk)
        if progress:
            progress(len(chunk))


def _store_notes(conn: Connection, release_id: int, notes: dict[str, str]) -> None:
    rows = [
        {"release_id": release_id, "number": number, "text": text}
        for number, text in notes.items()
    ]
    if rows:
        conn.execute(insert(ProcessingNote), rows)


def _renumber_releases(conn: Connection) -> None:
    """Rank releases by (effective date, label), whatever order they were loaded in."""
    ordered = conn.execute(
        select(Release.id, Release.position).order_by(
            Release.effective_date, Release.label
        )
    ).all()
    # Only rows whose rank moved are written: a release added after the others,
    # as most are, costs one update however many releases are loaded.
    for position, (release_id, current) in enumerate(ordered, start=1):
        if current != position:
            conn.execute(
                update(Release)
                .where(Release.id == release_id)
                .values(position=position)
            )


def _refresh_statistics(conn: Connection) -> None:
    """Let the query planner know the size and shape of what was loaded.

    Without statistics, SQLite and PostgreSQL alike read a code's statements
    by scanning the whole table rather than through the unique constraints
    (PostgreSQL's autovacuum gets to a new table only later). Both are told
    to sample: a few milliseconds at any size.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_ROWS}")
        conn.exec_driver_sql("ANALYZE")
    else:
        conn.exec_driver_sql("ANALYZE statement (release_id, revision_id, code)")
        conn.exec_driver_sql("ANALYZE revision (code, action_effective_date)")
        conn.exec_driver_sql("ANALYZE release")


def _previous_release(
    conn: Connection, release_id: int, effective_date: date, label: str
) -> Row | None:
    """The release ranked just before (effective_date, label), as renumbering ranks."""
    rank = tuple_(Release.effective_date, Release.label)
    return conn.execute(
        select(Release.id, Release.label)
        .where(Release.id != release_id, rank < tuple_(effective_date, label))
        .order_by(Release.effective_date.desc(), Release.label.desc())
        .limit(1)
    ).first()


def _count_changes(
    previous: Row | None,
    before: StatedBefore,
    stated: dict[str, CodeState],
    summary: LoadSummary,
) -> None:
    """Count what changed against the release before, by change kind.

    `before` is what that release stated, `stated` what the new one states.
    """
    if previous is None:
        summary.changes[ChangeKind.ADDED] = summary.codes_read
        return
    summary.compared_with = previous.label
    for code in before.keys() | stated.keys():
        earlier = before.get(code)
        kind = classify(earlier[1] if earlier else None, stated.get(code))
        if kind:
            summary.changes[kind] += 1


def release_states(conn: Connection, release_id: int) -> StatedBefore:
    """Code -> (revision id, state) a release stated, for every code in it."""
    rows = conn.execute(
        select(
            Revision.code, Revision.id, Revision.content_hash, Revision.termination_date
        )
        .join(Statement, Statement.revision_id == Revision.id)
        .where(Statement.release_id == release_id)
    ).all()
    return {code: (id_, CodeState(digest, ended)) for code, id_, digest, ended in rows}
