"""temporal store

Revision ID: 0001
Revises:
Create Date: 2026-12-03 15:45:37.443781
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column(
            "source_file", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False
        ),
        sa.Column(
            "sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("loaded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("code_count", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
        sa.UniqueConstraint("sha256"),
    )
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_release_position"), ["position"], unique=False
        )

    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("action_effective_date", sa.Date(), nullable=True),
        sa.Column("long_description", sa.Text(), nullable=False),
        sa.Column(
            "short_description",
            sqlmodel.sql.sqltypes.AutoString(length=40),
            nullable=False,
        ),
        sa.Column(
            "pricing_indicators",
            sqlmodel.sql.sqltypes.AutoString(length=40),
            nullable=False,
        ),
        sa.Column(
            "multiple_pricing_indicator",
            sqlmodel.sql.sqltypes.AutoString(length=1),
            nullable=True,
        ),
        sa.Column(
            "cim_references",
            sqlmodel.sql.sqltypes.AutoString(length=60),
            nullable=False,
        ),
        sa.Column(
            "mcm_references",
            sqlmodel.sql.sqltypes.AutoString(length=60),
            nullable=False,
        ),
        sa.Column(
            "statute", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True
        ),
        sa.Column(
            "lab_certifications",
            sqlmodel.sql.sqltypes.AutoString(length=80),
            nullable=False,
        ),
        sa.Column(
            "cross_references",
            sqlmodel.sql.sqltypes.AutoString(length=60),
            nullable=False,
        ),
        sa.Column(
            "coverage", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True
        ),
        sa.Column(
            "asc_payment_group",
            sqlmodel.sql.sqltypes.AutoString(length=2),
            nullable=True,
        ),
        sa.Column("asc_effective_date", sa.Date(), nullable=True),
        sa.Column(
            "mog_payment_group",
            sqlmodel.sql.sqltypes.AutoString(length=3),
            nullable=True,
        ),
        sa.Column(
            "mog_payment_policy",
            sqlmodel.sql.sqltypes.AutoString(length=1),
            nullable=True,
        ),
        sa.Column("mog_effective_date", sa.Date(), nullable=True),
        sa.Column(
            "processing_note", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True
        ),
        sa.Column("betos", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
        sa.Column(
            "types_of_service",
            sqlmodel.sql.sqltypes.AutoString(length=40),
            nullable=False,
        ),
        sa.Column("anesthesia_base_units", sa.Integer(), nullable=True),
        sa.Column("added_date", sa.Date(), nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column(
            "content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash", name="uq_revision_content_hash"),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revision_action_effective_date"),
            ["action_effective_date"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_revision_code"), ["code"], unique=False)

    op.create_table(
        "processingnote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("release_id", "number", name="uq_processing_note"),
    )
    with op.batch_alter_table("processingnote", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processingnote_release_id"), ["release_id"], unique=False
        )

    op.create_table(
        "statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("sequence_number", sa.Integer(), nullable=True),
        sa.Column(
            "action_code", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True
        ),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["release.id"],
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revision.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("release_id", "code", name="uq_statement_code"),
        sa.UniqueConstraint("release_id", "revision_id", name="uq_statement"),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_statement_release_id"), ["release_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_statement_revision_id"), ["revision_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_revision_id"))
        batch_op.drop_index(batch_op.f("ix_statement_release_id"))
        batch_op.drop_index(batch_op.f("ix_statement_code"))

    op.drop_table("statement")
    with op.batch_alter_table("processingnote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processingnote_release_id"))

    op.drop_table("processingnote")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_code"))
        batch_op.drop_index(batch_op.f("ix_revision_action_effective_date"))

    op.drop_table("revision")
    with op.batch_alter_table("release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_release_position"))

    op.drop_table("release")
