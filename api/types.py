"""GraphQL types of codes, versions, revisions and releases, built from the store."""

from datetime import date, datetime
from enum import Enum
from typing import Annotated, NamedTuple

import strawberry
from strawberry.types import Info

from api.changes import FieldChange, version_diff
from api.indicators import Indicator, indicator, indicators
from db import codebook
from db.temporal import StatedRevision, StatementOf, Version


@strawberry.enum(description="Whether a code names a procedure or a modifier.")
class CodeKind(Enum):
    PROCEDURE = strawberry.enum_value(
        "procedure", description="A five-character procedure, supply or service code."
    )
    MODIFIER = strawberry.enum_value(
        "modifier", description="A two-character modifier of a procedure code."
    )


@strawberry.enum(description="Whether a code may be used on the day asked about.")
class CodeStatus(Enum):
    ACTIVE = strawberry.enum_value(
        "ACTIVE", description="No termination date, or one not yet passed."
    )
    DISCONTINUED = strawberry.enum_value(
        "DISCONTINUED",
        description="The termination date (the last day of use) has passed.",
    )


@strawberry.type(description="One file set CMS published, as it was loaded.")
class Release:
    label: str = strawberry.field(description="For example '2020' or '2020-04'.")
    effective_date: date = strawberry.field(description="The day the release applies.")
    source_file: str = strawberry.field(
        description="The file it was loaded from; 'archive.zip!member' for a ZIP."
    )
    sha256: str = strawberry.field(description="SHA-256 of the loaded file.")
    loaded_at: datetime = strawberry.field(description="When it was loaded (UTC).")
    code_count: int = strawberry.field(description="Codes the release's file holds.")

    @classmethod
    def from_row(cls, row) -> "Release":
        return cls(
            label=row.label,
            effective_date=row.effective_date,
            source_file=row.source_file,
            sha256=row.sha256,
            loaded_at=row.loaded_at,
            code_count=row.code_count,
        )


def release_named(info: Info, label: str) -> Release:
    """The loaded release `label`, made once per store generation."""
    context = info.context
    return context.shared(
        ("release", label), lambda: Release.from_row(context.release(label))
    )


@strawberry.type(description="A processing note of the HCPCS manual's appendix.")
class ProcessingNote:
    number: str = strawberry.field(description="The note number, e.g. '0217'.")
    text: str | None = strawberry.field(
        description="The note as the stating release's proc_notes file gives it; "
        "null if that file has no such note."
    )


class RecordState(NamedTuple):
    """What every code-like type is built from; one per code, version, revision."""

    content: dict
    statements: list[StatementOf]
    action_code: str | None
    status_day: date | None
    as_of: date | None
    known_at: str | None


@strawberry.type(description="A code named in another code's cross reference field.")
class CrossReference:
    code: str = strawberry.field(description="The referenced code as CMS wrote it.")
    _as_of: strawberry.Private[date | None]
    _known_at: strawberry.Private[str | None]

    @strawberry.field(
        description="The referenced code in force on the same day, when it exists."
    )
    def target(
        self, info: Info
    ) -> Annotated["Code", strawberry.lazy("api.types")] | None:
        if self._as_of is None:
            return None
        catalog = info.context.catalog(self._known_at)
        version = catalog.in_force(self.code, self._as_of)
        if version is None:
            return None
        return code_in_force(version, self._as_of, self._known_at)


@strawberry.interface(
    description="A code's values as CMS stated them, with indicators decoded."
)
class CodeRecord:
    _state: strawberry.Private[RecordState]

    def _value(self, name: str):
        return self._state.content[name]

    @strawberry.field(description="The HCPCS code, e.g. 'Q4212' or 'A1'.")
    def code(self) -> str:
        return self._value("code")

    @strawberry.field(description="Procedure or modifier.")
    def kind(self) -> CodeKind:
        return CodeKind(self._value("kind"))

    @strawberry.field(
        description="ACTIVE, or DISCONTINUED once the termination date has passed."
    )
    def status(self) -> CodeStatus:
        ended = self._value("termination_date")
        day = self._state.status_day
        if ended is not None and day is not None and ended < day:
            return CodeStatus.DISCONTINUED
        return CodeStatus.ACTIVE

    @strawberry.field(description="The full description, continuation lines joined.")
    def long_description(self) -> str:
        return self._value("long_description")

    @strawberry.field(description="The description of 28 characters or fewer.")
    def short_description(self) -> str:
        return self._value("short_description")

    @strawberry.field(description="The day CMS added the code to HCPCS.")
    def added_date(self) -> date | None:
        return self._value("added_date")

    @strawberry.field(description="The day from which this record's action applies.")
    def action_effective_date(self) -> date | None:
        return self._value("action_effective_date")

    @strawberry.field(description="The last day the code may be used; null if none.")
    def termination_date(self) -> date | None:
        return self._value("termination_date")

    @strawberry.field(
        description="CMS's action code for this record in the release that stated it."
    )
    def action(self) -> Indicator | None:
        return indicator(codebook.ACTION, self._state.action_code)

    @strawberry.field(description="Up to four pricing indicators, in CMS's order.")
    def pricing_indicators(self) -> list[Indicator]:
        return indicators(codebook.PRICING, self._value("pricing_indicators"))

    @strawberry.field(
        description="How a code priced under several methodologies is priced."
    )
    def multiple_pricing_indicator(self) -> Indicator | None:
        return indicator(
            codebook.MULTIPLE_PRICING, self._value("multiple_pricing_indicator")
        )

    @strawberry.field(description="Medicare coverage status.")
    def coverage(self) -> Indicator | None:
        return indicator(codebook.COVERAGE, self._value("coverage"))

    @strawberry.field(description="Berenson-Eggers type of service (BETOS).")
    def betos(self) -> Indicator | None:
        return indicator(codebook.BETOS, self._value("betos"))

    @strawberry.field(description="Up to five CMS types of service, in CMS's order.")
    def types_of_service(self) -> list[Indicator]:
        return indicators(codebook.TYPE_OF_SERVICE, self._value("types_of_service"))

    @strawberry.field(description="Laboratory certification categories, up to eight.")
    def lab_certifications(self) -> list[Indicator]:
        return indicators(codebook.LAB_CERTIFICATION, self._value("lab_certifications"))

    @strawberry.field(description="YY when the code may be performed in an ASC.")
    def asc_payment_group(self) -> Indicator | None:
        return indicator(codebook.ASC, self._value("asc_payment_group"))

    @strawberry.field(description="The day the ASC payment group took effect.")
    def asc_payment_group_effective_date(self) -> date | None:
        return self._value("asc_effective_date")

    @strawberry.field(description="Medicare outpatient group (MOG) payment group.")
    def mog_payment_group(self) -> str | None:
        return self._value("mog_payment_group")

    @strawberry.field(description="MOG payment policy indicator.")
    def mog_payment_policy(self) -> Indicator | None:
        return indicator(codebook.MOG_PAYMENT_POLICY, self._value("mog_payment_policy"))

    @strawberry.field(description="The day the MOG payment group took effect.")
    def mog_effective_date(self) -> date | None:
        return self._value("mog_effective_date")

    @strawberry.field(
        description="The processing note, with its text from the stating release."
    )
    def processing_note(self, info: Info) -> ProcessingNote | None:
        number = self._value("processing_note")
        if number is None:
            return None
        newest = self._state.statements[-1].release_label
        text = info.context.processing_note(newest, number)
        return ProcessingNote(number=number, text=text)

    @strawberry.field(description="Anesthesia base units; 0 or null when none apply.")
    def anesthesia_base_units(self) -> int | None:
        return self._value("anesthesia_base_units")

    @strawberry.field(description="Statute number on coverage or non-coverage.")
    def statute(self) -> str | None:
        return self._value("statute")

    @strawberry.field(description="Coverage Issues Manual reference sections.")
    def cim_references(self) -> list[str]:
        return self._value("cim_references")

    @strawberry.field(description="Medicare Carriers Manual reference sections.")
    def mcm_references(self) -> list[str]:
        return self._value("mcm_references")

    @strawberry.field(
        description="Codes this one points to (often a discontinued code's successor)."
    )
    def cross_references(self) -> list[CrossReference]:
        return [
            CrossReference(
                code=code, _as_of=self._state.as_of, _known_at=self._state.known_at
            )
            for code in self._value("cross_references")
        ]

    @strawberry.field(
        description="Releases that stated this, oldest first: for a code or a "
        "version, every release that stated the version (in any revision); for a "
        "revision, the releases that stated exactly these values."
    )
    def stated_in(self, info: Info) -> list[Release]:
        return [release_named(info, s.release_label) for s in self._state.statements]

    @strawberry.field(description="The newest of `statedIn`.")
    def last_updated(self, info: Info) -> Release:
        return release_named(info, self._state.statements[-1].release_label)


@strawberry.type(
    description="One statement of a version: its values and the release that made it."
)
class CodeRevision(CodeRecord):
    @strawberry.field(description="The first release that stated these values.")
    def release(self, info: Info) -> Release:
        return release_named(info, self._state.statements[0].release_label)

    @strawberry.field(
        description="True when a later statement of the same version differs: "
        "CMS restated this version with other values."
    )
    def superseded(self) -> bool:
        return self._superseded

    _superseded: strawberry.Private[bool]


@strawberry.type(description="A code's state from one action effective date on.")
class CodeVersion(CodeRecord):
    _version: strawberry.Private[Version]

    @strawberry.field(description="The first day of this version.")
    def valid_from(self) -> date | None:
        return self._version.action_effective_date

    @strawberry.field(
        description="The last day of this version: the day before the next version "
        "starts, or the termination date; null while open."
    )
    def valid_to(self) -> date | None:
        return self._version.valid_to

    @strawberry.field(description="Every statement of this version, oldest first.")
    def revisions(self) -> list[CodeRevision]:
        current = self._version.current
        return [
            revision_of(revision, self._version, self._state.known_at, current)
            for revision in self._version.revisions
        ]


@strawberry.type(description="A code as in force on a day, as known at a release.")
class Code(CodeRecord):
    _version: strawberry.Private[Version]

    @strawberry.field(description="The first day of the version in force.")
    def valid_from(self) -> date | None:
        return self._version.action_effective_date

    @strawberry.field(
        description="The last day of the version in force; null while open."
    )
    def valid_to(self) -> date | None:
        return self._version.valid_to

    @strawberry.field(description="The day this code was looked up for.")
    def as_of(self) -> date:
        return self._state.as_of

    @strawberry.field(description="Every version of the code, oldest first.")
    def history(self, info: Info) -> list[CodeVersion]:
        catalog = info.context.catalog(self._state.known_at)
        return [
            version_of(version, self._state.known_at)
            for version in catalog.history(self._value("code"))
        ]

    @strawberry.field(
        description="Field-by-field changes between the versions in force on two days."
    )
    def diff(
        self,
        info: Info,
        from_: Annotated[
            date, strawberry.argument(name="from", description="The earlier day.")
        ],
        to: Annotated[date, strawberry.argument(description="The later day.")],
    ) -> list[FieldChange]:
        catalog = info.context.catalog(self._state.known_at)
        history = catalog.history(self._value("code"))
        return version_diff(history, from_, to)


def code_in_force(version: Version, day: date, known_at: str | None) -> Code:
    current = version.current
    state = RecordState(
        content=current.content,
        statements=version.stated_in,
        action_code=current.last_stated.action_code,
        status_day=day,
        as_of=day,
        known_at=known_at,
    )
    return Code(_state=state, _version=version)


def version_of(version: Version, known_at: str | None) -> CodeVersion:
    current = version.current
    state = RecordState(
        content=current.content,
        statements=version.stated_in,
        action_code=current.last_stated.action_code,
        status_day=version.action_effective_date,
        as_of=version.action_effective_date,
        known_at=known_at,
    )
    return CodeVersion(_state=state, _version=version)


def revision_of(
    revision: StatedRevision,
    version: Version,
    known_at: str | None,
    current: StatedRevision,
) -> CodeRevision:
    state = RecordState(
        content=revision.content,
        statements=revision.statements,
        action_code=revision.statements[0].action_code,
        status_day=version.action_effective_date,
        as_of=version.action_effective_date,
        known_at=known_at,
    )
    return CodeRevision(_state=state, _superseded=revision is not current)
