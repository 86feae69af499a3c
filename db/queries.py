"""Reading the temporal store: releases, histories and the versions in force."""

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, Select, func, select

from db.models import Release, Revision, Statement
from db.revisions import revision_content
from db.temporal import StatedRevision, StatementOf, Version, build_history

# Statement rows fetched at a time when every statement is read.
STATEMENT_BATCH = 20_000
# Ids per IN (...) list; well under SQLite's and PostgreSQL's parameter limits.
ID_BATCH = 500


class UnknownRelease(LookupError):
    """A release label that is not loaded."""

    def __init__(self, label: str):
        super().__init__(f"release {label!r} is not loaded")
        self.label = label


def releases(conn: Connection) -> list:
    """Every loaded release, oldest first."""
    return conn.execute(select(Release).order_by(Release.position)).all()


def release_by_label(conn: Connection, label: str):
    row = conn.execute(select(Release).where(Release.label == label)).first()
    if row is None:
        raise UnknownRelease(label)
    return row


def known_position(conn: Connection, label: str | None) -> int:
    """The position of release `label`, or of the newest release when None."""
    if label is None:
        return conn.execute(
            select(func.coalesce(func.max(Release.position), 0))
        ).scalar_one()
    return release_by_label(conn, label).position


def stated_revisions(
    conn: Connection, codes: list[str] | None, position: int
) -> dict[str, list[StatedRevision]]:
    """Revisions with their statements in releases up to `position`, by code.

    `codes` None reads every code. Statements and revisions are read apart, so
    a revision's content crosses the wire once, not once per release stating it;
    statements first, so every revision they name is there when revisions are
    read (history is append-only).
    """
    known = {
        row.id: (row.label, row.position, row.effective_date)
        for row in conn.execute(
            select(Release.id, Release.label, Release.position, Release.effective_date)
        )
        if row.position <= position
    }
    statements = select(
        Statement.revision_id,
        Statement.release_id,
        Statement.action_code,
        Statement.sequence_number,
    ).where(Statement.release_id.in_(list(known)))
    revisions = select(Revision.__table__).order_by(Revision.code, Revision.id)
    if codes is not None:
        statements = statements.where(Statement.code.in_(codes))
        revisions = revisions.where(Revision.code.in_(codes))

    # Fetched in large batches: row by row, the driver's fetches cost as much
    # as the rest; all at once, the rows of 80 releases took 100 MB more.
    stated: dict[int, list[StatementOf]] = defaultdict(list)
    result = conn.execution_options(yield_per=STATEMENT_BATCH).execute(statements)
    for batch in result.partitions():
        for revision_id, release_id, action_code, sequence_number in batch:
            stated[revision_id].append(
                StatementOf(*known[release_id], action_code, sequence_number)
            )

    by_code: dict[str, list[StatedRevision]] = defaultdict(list)
    for row in conn.execute(revisions):
        statements_of = stated.get(row.id)
        if statements_of is None:
            continue
        revision = StatedRevision(row.id, revision_content(row), row.content_hash)
        revision.statements = statements_of
        by_code[row.code].append(revision)
    return by_code


def release_statements(
    conn: Connection, release_id: int, position: int
) -> dict[str, list[tuple[int, StatementOf]]]:
    """What one release stated, by code: (revision id, its statement) pairs."""
    release = conn.execute(
        select(Release.label, Release.effective_date).where(Release.id == release_id)
    ).one()
    rows = conn.execute(
        select(
            Statement.code,
            Statement.revision_id,
            Statement.action_code,
            Statement.sequence_number,
        ).where(Statement.release_id == release_id)
    ).all()
    stated: dict[str, list[tuple[int, StatementOf]]] = defaultdict(list)
    for code, revision_id, action_code, sequence_number in rows:
        statement = StatementOf(
            release.label,
            position,
            release.effective_date,
            action_code,
            sequence_number,
        )
        stated[code].append((revision_id, statement))
    return stated


def revisions_by_id(conn: Connection, ids: list[int]) -> dict[int, StatedRevision]:
    """Revisions with their content and no statements yet, by id."""
    found: dict[int, StatedRevision] = {}
    for start in range(0, len(ids), ID_BATCH):
        rows = conn.execute(
            select(Revision.__table__).where(
                Revision.id.in_(ids[start : start + ID_BATCH])
            )
        )
        for row in rows:
            found[row.id] = StatedRevision(
                row.id, revision_content(row), row.content_hash
            )
    return found


def histories(
    conn: Connection, codes: list[str], position: int
) -> dict[str, list[Version]]:
    """Each code's versions as known at `position`, oldest first; [] if unknown."""
    stated = stated_revisions(conn, codes, position)
    return {code: build_history(code, stated.get(code, [])) for code in codes}


def in_force_select(day: date, position: int) -> Select:
    """One row per code: the revision in force on `day` as known at `position`.

    The same rule as db.temporal, in SQL so that lists can filter and page:
    the latest action effective date not after `day`, and of that version the
    revision stated by the newest release.
    """
    known = (
        select(
            Statement.revision_id,
            func.max(Release.position).label("last_stated"),
        )
        .join(Release, Release.id == Statement.release_id)
        .where(Release.position <= position)
        .group_by(Statement.revision_id)
        .subquery("known")
    )
    ranked = (
        select(
            Revision,
            func.row_number()
            .over(
                partition_by=Revision.code,
                order_by=(
                    Revision.action_effective_date.desc(),
                    known.c.last_stated.desc(),
                ),
            )
            .label("rank"),
        )
        .join(known, known.c.revision_id == Revision.id)
        .where(Revision.action_effective_date <= day)
        .subquery("ranked")
    )
    return select(ranked).where(ranked.c.rank == 1)
