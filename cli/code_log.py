"""One code's history release by release, like `git log -p`: what each one stated."""

from dataclasses import dataclass
from enum import StrEnum

from rich.console import Console
from rich.text import Text

from cli.change_output import fields_table
from cli.record_view import labels, validity
from cli.values import action_meaning
from db.changes import FieldChange, field_changes
from db.temporal import StatedRevision, StatementOf, Version


class Event(StrEnum):
    FIRST_STATED = "first stated"
    NEW_VERSION = "new version"
    CORRECTION = "correction"
    RESTATED = "restated"
    DROPPED_FROM_FILE = "dropped from file"


@dataclass(frozen=True)
class LogEntry:
    """A release that stated something new for a code, or left it out of its file."""

    release: object  # a release row: label, effective_date, position
    event: Event
    version: Version | None = None
    revision: StatedRevision | None = None
    statement: StatementOf | None = None
    # Against the revision the previous release stating the code stated.
    changes: tuple[FieldChange, ...] = ()


def code_log(history: list[Version], releases: list) -> list[LogEntry]:
    """Entries for each release, oldest first, where the code's statement changed.

    `releases` are the loaded releases up to the one the history is known at,
    oldest first; a release restating the previous revision adds no entry.
    """
    stated = {
        statement.release_position: (version, revision, statement)
        for version in history
        for revision in version.revisions
        for statement in revision.statements
    }
    entries: list[LogEntry] = []
    previous: StatedRevision | None = None
    in_file = False
    for release in releases:
        found = stated.get(release.position)
        if found is None:
            if in_file:
                entries.append(LogEntry(release, Event.DROPPED_FROM_FILE))
            in_file = False
            continue

        version, revision, statement = found
        if revision is previous and in_file:
            continue
        before = previous.content if previous else None
        entries.append(
            LogEntry(
                release,
                _event(version, revision, previous, release.position),
                version,
                revision,
                statement,
                tuple(field_changes(before, revision.content)),
            )
        )
        previous, in_file = revision, True
    return entries


def _event(
    version: Version,
    revision: StatedRevision,
    previous: StatedRevision | None,
    position: int,
) -> Event:
    if previous is None:
        return Event.FIRST_STATED
    if revision.first_stated < position:
        return Event.RESTATED
    if revision is version.revisions[0]:
        return Event.NEW_VERSION
    # A later revision of a version an earlier release stated: CMS corrected it.
    return Event.CORRECTION


def print_log(entries: list[LogEntry], console: Console) -> None:
    """Each entry, newest first: a heading, the revision's proof, the fields."""
    for entry in reversed(entries):
        release = entry.release
        console.print(
            Text(f"\nrelease {release.label} ({release.effective_date}): ", "bold")
            + Text(_headline(entry))
        )
        if entry.event is Event.DROPPED_FROM_FILE:
            continue

        console.print(Text(_proof(entry)))
        if entry.changes:
            console.print(fields_table(entry.changes))
        else:
            console.print("  no field differs from what the previous release stated")


def _headline(entry: LogEntry) -> str:
    if entry.event is Event.DROPPED_FROM_FILE:
        return "dropped from file; its history is unchanged"
    name = str(entry.version.action_effective_date or "without action effective date")
    if entry.event is Event.FIRST_STATED:
        return f"first statement of the code, version {name}"
    if entry.event is Event.NEW_VERSION:
        return f"new version {name}"
    if entry.event is Event.CORRECTION:
        return f"correction of version {name}"
    first = entry.revision.statements[0].release_label
    return f"restates version {name} as release {first} stated it"


def _proof(entry: LogEntry) -> str:
    version, revision = entry.version, entry.revision
    index = version.revisions.index(revision) + 1
    standing = "current" if revision is version.current else "superseded"
    span = validity(version)
    return (
        f"  revision {index} of {len(version.revisions)} ({standing}), "
        f"stated in {labels(revision.statements)}\n"
        f"  {'valid ' + span if version.action_effective_date else span}\n"
        f"  action {action_meaning(entry.statement.action_code)}"
    )
