"""Reading one release back out of the store, and taking it out again."""

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from db.models import ProcessingNote, Release, Revision, Statement
from db.records import Record
from db.revisions import revision_content


def stored_records(engine: Engine, label: str) -> dict[str, dict]:
    """Code -> what the store says release `label` stated for it."""
    query = (
        select(Statement, Revision)
        .join(Revision, Revision.id == Statement.revision_id)
        .join(Release, Release.id == Statement.release_id)
        .where(Release.label == label)
    )
    with Session(engine) as session:
        rows = session.execute(query).all()
    return {
        row.Statement.code: {
            "sequence_number": row.Statement.sequence_number,
            "action_code": row.Statement.action_code,
            "line": row.Statement.line,
            **revision_content(row.Revision),
        }
        for row in rows
    }


def stored_notes(engine: Engine, label: str) -> dict[str, str]:
    """Number -> text of the processing notes release `label` gave."""
    query = (
        select(ProcessingNote.number, ProcessingNote.text)
        .join(Release, Release.id == ProcessingNote.release_id)
        .where(Release.label == label)
    )
    with engine.connect() as conn:
        return dict(conn.execute(query).all())


def as_stored(records: list[Record]) -> dict[str, dict]:
    """The same shape as stored_records, straight from what a reader parsed."""
    return {
        record.code: {
            "sequence_number": record.sequence_number,
            "action_code": record.action_code,
            "line": record.line,
            **record.content(),
        }
        for record in records
    }


def remove_release(engine: Engine, label: str) -> None:
    """Delete a release with its statements, notes and now unstated revisions."""
    release_ids = select(Release.id).where(Release.label == label)
    with engine.begin() as conn:
        conn.execute(delete(Statement).where(Statement.release_id.in_(release_ids)))
        conn.execute(
            delete(ProcessingNote).where(ProcessingNote.release_id.in_(release_ids))
        )
        conn.execute(delete(Release).where(Release.label == label))
        conn.execute(
            delete(Revision).where(Revision.id.not_in(select(Statement.revision_id)))
        )
