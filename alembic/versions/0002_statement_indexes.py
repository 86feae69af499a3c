"""statement table without its single-column indexes

Each load inserts some 10,000 statements. Indexes on code and on revision id
take them at positions spread over the whole index, so that every load
rewrote most of their pages and cost more as history grew; the one on release
id repeated the leading column of both unique constraints. Lookups by code
are served by (release_id, code), reads of a release by either constraint.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 08:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DROPPED = {
    "ix_statement_code": ["code"],
    "ix_statement_release_id": ["release_id"],
    "ix_statement_revision_id": ["revision_id"],
}


def upgrade() -> None:
    with op.batch_alter_table("statement", schema=None) as batch_op:
        for name in DROPPED:
            batch_op.drop_index(name)
    # Without statistics, a join through revision_id is planned as a scan of
    # every statement; each load refreshes them, this gives a store its first.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA analysis_limit=1000")
    op.execute("ANALYZE")


def downgrade() -> None:
    with op.batch_alter_table("statement", schema=None) as batch_op:
        for name, columns in DROPPED.items():
            batch_op.create_index(name, columns, unique=False)
