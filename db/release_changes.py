"""Changes between two releases: what each stated for every code, compared."""

from collections.abc import Iterator
from dataclasses import dataclass

from db.catalog import Catalog
from db.changes import ChangeKind, CodeState, FieldChange, classify, field_changes
from db.temporal import StatedRevision, Version


@dataclass(frozen=True)
class ReleaseChange:
    """A code whose stated state differs between two releases."""

    code: str
    kind: ChangeKind
    # The later release's action code; None when the code is not in its file.
    action_code: str | None
    changes: list[FieldChange]


def changes_between(
    catalog: Catalog, earlier: str, later: str
) -> Iterator[ReleaseChange]:
    """Every code whose stated state differs between two releases, by code."""
    for code, history in catalog.histories.items():
        before, _ = stated_by(history, earlier)
        after, action_code = stated_by(history, later)
        kind = classify(_state(before), _state(after))
        if kind is None:
            continue
        # A code dropped from the later file keeps its history: nothing changed.
        fields = (
            []
            if kind is ChangeKind.DROPPED_FROM_FILE
            else field_changes(before.content if before else None, after.content)
        )
        yield ReleaseChange(code, kind, action_code, fields)


def stated_by(
    history: list[Version], label: str
) -> tuple[StatedRevision | None, str | None]:
    """The revision and action code a release stated for a code, if it did."""
    for version in history:
        for revision in version.revisions:
            for statement in revision.statements:
                if statement.release_label == label:
                    return revision, statement.action_code
    return None, None


def _state(revision: StatedRevision | None) -> CodeState | None:
    if revision is None:
        return None
    return CodeState(revision.content_hash, revision.content["termination_date"])
