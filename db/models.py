"""Tables of the temporal store: releases, revisions and the statements linking them."""

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Release(SQLModel, table=True):
    """One file set CMS published, as it was loaded."""

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=40, unique=True)
    effective_date: date
    source_file: str = Field(max_length=255)
    sha256: str = Field(max_length=64, unique=True)
    loaded_at: datetime
    code_count: int
    # Rank of the release among all loaded ones by (effective date, label),
    # renumbered on every load so that "known at" is a simple comparison.
    position: int = Field(index=True)


class Revision(SQLModel, table=True):
    """One distinct content of a version (code + action effective date)."""

    __table_args__ = (
        UniqueConstraint("content_hash", name="uq_revision_content_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=5, index=True)
    kind: str = Field(max_length=10)
    action_effective_date: date | None = Field(default=None, index=True)
    long_description: str = Field(sa_column=Column(Text, nullable=False))
    short_description: str = Field(max_length=40)
    # Repeating fields hold a JSON list of codes, in CMS's order, blanks dropped.
    pricing_indicators: str = Field(max_length=40)
    multiple_pricing_indicator: str | None = Field(default=None, max_length=1)
    cim_references: str = Field(max_length=60)
    mcm_references: str = Field(max_length=60)
    statute: str | None = Field(default=None, max_length=10)
    lab_certifications: str = Field(max_length=80)
    cross_references: str = Field(max_length=60)
    coverage: str | None = Field(default=None, max_length=1)
    asc_payment_group: str | None = Field(default=None, max_length=2)
    asc_effective_date: date | None = None
    mog_payment_group: str | None = Field(default=None, max_length=3)
    mog_payment_policy: str | None = Field(default=None, max_length=1)
    mog_effective_date: date | None = None
    processing_note: str | None = Field(default=None, max_length=4)
    betos: str | None = Field(default=None, max_length=3)
    types_of_service: str = Field(max_length=40)
    anesthesia_base_units: int | None = None
    added_date: date | None = None
    termination_date: date | None = None
    content_hash: str = Field(max_length=64)


class Statement(SQLModel, table=True):
    """A release stating a revision: the record as it stood in that release's file."""

    __table_args__ = (
        UniqueConstraint("release_id", "revision_id", name="uq_statement"),
        UniqueConstraint("release_id", "code", name="uq_statement_code"),
    )

    # No index of its own on any column: each load's statements would land all
    # over it. The unique constraints lead with release_id and serve lookups.
    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id")
    revision_id: int = Field(foreign_key="revision.id")
    code: str = Field(max_length=5)
    sequence_number: int | None = None
    action_code: str | None = Field(default=None, max_length=1)
    line: int | None = None


class ProcessingNote(SQLModel, table=True):
    """A processing note's text as one release's proc_notes file gave it."""

    __table_args__ = (
        UniqueConstraint("release_id", "number", name="uq_processing_note"),
    )

    id: int | None = Field(default=None, primary_key=True)
    release_id: int = Field(foreign_key="release.id", index=True)
    number: str = Field(max_length=4)
    text: str = Field(sa_column=Column(Text, nullable=False))
