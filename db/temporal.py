"""A code's versions and revisions, as known at a release, and which one is in force."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any, NamedTuple


# A named tuple: a catalog holds one per code per release stated (660,000 at
# 80 releases), and a tuple is the smallest and quickest such object to make.
class StatementOf(NamedTuple):
    """One release stating a revision, with what that release's record added."""

    release_label: str
    release_position: int
    release_effective_date: date
    action_code: str | None
    sequence_number: int | None


@dataclass
class StatedRevision:
    """A revision with its content and the releases that stated it, oldest first."""

    id: int
    content: dict[str, Any]
    content_hash: str
    statements: list[StatementOf] = field(default_factory=list)

    @property
    def first_stated(self) -> int:
        return self.statements[0].release_position

    @property
    def last_stated(self) -> StatementOf:
        return self.statements[-1]


@dataclass
class Version:
    """A code's state from one action effective date on."""

    code: str
    action_effective_date: date | None
    revisions: list[StatedRevision]
    valid_to: date | None = None

    # Cached: a version's revisions are fixed once its history is built, and
    # every field of every answer reads the current revision.
    @cached_property
    def current(self) -> StatedRevision:
        """The revision the newest release stated."""
        return max(self.revisions, key=lambda r: r.last_stated.release_position)

    @property
    def content(self) -> dict[str, Any]:
        return self.current.content

    @property
    def termination_date(self) -> date | None:
        return self.content["termination_date"]

    @cached_property
    def stated_in(self) -> list[StatementOf]:
        """Every statement of this version, oldest release first."""
        statements = [s for r in self.revisions for s in r.statements]
        return sorted(statements, key=lambda s: s.release_position)

    def status_on(self, day: date) -> str:
        ended = self.termination_date is not None and self.termination_date < day
        return "DISCONTINUED" if ended else "ACTIVE"


def build_history(code: str, revisions: list[StatedRevision]) -> list[Version]:
    """Group a code's stated revisions into versions, oldest first, with validity."""
    by_date: dict[date, list[StatedRevision]] = {}
    for revision in revisions:
        if not revision.statements:
            continue
        revision.statements.sort(key=lambda s: s.release_position)
        day = revision.content["action_effective_date"]
        by_date.setdefault(day, []).append(revision)

    # A record without an action effective date (some spreadsheets leave the
    # cell empty) is kept as history but sorts last and is never in force.
    dated = sorted(by_date.items(), key=lambda item: (item[0] is None, item[0]))
    versions = [
        Version(code, day, sorted(group, key=lambda r: r.first_stated))
        for day, group in dated
    ]
    for version, following in zip(versions, versions[1:], strict=False):
        if following.action_effective_date is not None:
            version.valid_to = following.action_effective_date - timedelta(days=1)
    for version in versions:
        if version.action_effective_date is None:
            continue
        # A discontinuation record ends the code before its own effective date;
        # only a termination inside the version's span shortens it.
        ended = version.termination_date
        if ended is None or ended < version.action_effective_date:
            continue
        if version.valid_to is None or ended < version.valid_to:
            version.valid_to = ended
    return versions


def in_force(history: list[Version], day: date) -> Version | None:
    """The version whose action effective date is the latest not after `day`."""
    candidates = [
        v
        for v in history
        if v.action_effective_date is not None and v.action_effective_date <= day
    ]
    return candidates[-1] if candidates else None
