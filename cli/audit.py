"""Commands for auditors and scripts: a code in force, its history, release changes."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import typer
from rich.markup import escape
from sqlalchemy import Connection, select

from cli.change_output import print_changes, write_csv, write_json_lines
from cli.code_log import code_log, print_log
from cli.main import DatabaseOption, app, fail, open_database, out
from cli.record_view import record_table
from db.catalog import build_catalog
from db.changes import ChangeKind
from db.models import ProcessingNote, Release
from db.queries import UnknownRelease, histories, known_position, release_by_label
from db.queries import releases as loaded_releases
from db.records import normalize_code, parse_iso_day
from db.release_changes import changes_between
from db.temporal import Version, in_force

FORMATS = ("table", "csv", "json")

CodeArgument = typer.Argument(..., help="An HCPCS code, e.g. Q4212 or A1.")
KnownAtOption = typer.Option(
    None,
    "--known-at",
    help="Only what releases up to this label had stated; default all.",
    show_default=False,
)


@app.command()
def show(
    code: str = CodeArgument,
    as_of: str | None = typer.Option(
        None, "--as-of", help="The day to look at, YYYY-MM-DD; default today."
    ),
    known_at: str | None = KnownAtOption,
    database: str | None = DatabaseOption,
) -> None:
    """Show the record in force on a day, indicators decoded, with its proof."""
    day = date.today() if as_of is None else _parse_day(as_of)
    code = normalize_code(code)

    with open_database(database).connect() as conn:
        position, label = _known_at(conn, known_at)
        history = _history(conn, code, position, label)
        version = in_force(history, day)
        if version is None:
            _fail(_nothing_in_force(code, day, label, history))
        note = _note_text(conn, version)

    out.print(record_table(version, day, label, note))


@app.command()
def history(
    code: str = CodeArgument,
    known_at: str | None = KnownAtOption,
    database: str | None = DatabaseOption,
) -> None:
    """Show every version and revision of a code, newest first, with what changed.

    Like `git log -p` for one code: an entry for each release that stated
    something new for it (a new version, a correction of a version, an earlier
    revision restated) or left it out of its file, with the fields that differ
    from what the previous release stated.
    """
    code = normalize_code(code)

    with open_database(database).connect() as conn:
        position, label = _known_at(conn, known_at)
        versions = _history(conn, code, position, label)
        releases = [r for r in loaded_releases(conn) if r.position <= position]

    revisions = sum(len(version.revisions) for version in versions)
    out.print(
        f"{code}: {_plural(len(versions), 'version')}, "
        f"{_plural(revisions, 'revision')}, as known at {label}; newest first",
        highlight=False,
    )
    print_log(code_log(versions, releases), out)


@app.command()
def changes(
    earlier: str = typer.Argument(..., metavar="FROM", help="The earlier release."),
    later: str = typer.Argument(..., metavar="TO", help="The later release."),
    kind: list[str] | None = typer.Option(
        None,
        "--kind",
        help="Only changes of this kind: ADDED, DISCONTINUED, CHANGED or "
        "DROPPED_FROM_FILE; repeat for several.",
        show_default=False,
    ),
    output_format: str = typer.Option(
        "table", "--format", help="table, csv or json (JSON Lines)."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """List every code whose state differs between two releases, field by field.

    csv: one row per changed field, columns
    code,kind,field,before,after,action,before_decoded,after_decoded; a code
    with no changed field (DROPPED_FROM_FILE) gets one row with an empty field.
    Lists are joined with ', ', dates are YYYY-MM-DD, decoded indicators are
    'code — meaning \\[group]' joined with '; '.

    json: JSON Lines, one object per code, by code:
    {"code": "B4105", "kind": "CHANGED", "action": "N", "changes": [
    {"field": "pricing_indicators", "before": ["00"], "after": ["39"],
    "before_decoded": [{"code": "00", "description": "...", "group": null,
    "known": true}], "after_decoded": [...]}]}.
    "action" is the action code of TO's record, null when TO's file lacks the
    code; "before" and "after" are a string, integer, list of strings,
    YYYY-MM-DD date or null; "*_decoded" lists are empty for fields that are
    not indicators; "changes" is empty for a code dropped from file.
    """
    kinds = _parse_kinds(kind or [])
    output_format = output_format.lower()
    if output_format not in FORMATS:
        _fail(f"--format {output_format!r} is not one of {', '.join(FORMATS)}")

    with open_database(database).connect() as conn:
        first = _release(conn, earlier)
        last = _release(conn, later)
        if first.position > last.position:
            _fail(
                f"release {earlier!r} is later than release {later!r}; "
                "FROM names the earlier release"
            )
        catalog = build_catalog(conn, last.position)

    found = (c for c in changes_between(catalog, earlier, later) if c.kind in kinds)
    with _stdout_reader_may_leave():
        if output_format == "csv":
            write_csv(found, sys.stdout)
        elif output_format == "json":
            write_json_lines(found, sys.stdout)
        else:
            print_changes(found, later, out)


def _fail(message: str) -> None:
    fail(escape(message))


def _parse_day(value: str) -> date:
    try:
        return parse_iso_day(value)
    except ValueError:
        _fail(f"--as-of {value!r} is not a date in the form YYYY-MM-DD")


def _parse_kinds(values: list[str]) -> set[ChangeKind]:
    if not values:
        return set(ChangeKind)
    names = ", ".join(ChangeKind)
    kinds = set()
    for value in values:
        try:
            kinds.add(ChangeKind(value.upper()))
        except ValueError:
            _fail(f"--kind {value!r} is not one of {names}")
    return kinds


def _release(conn: Connection, label: str):
    try:
        return release_by_label(conn, label)
    except UnknownRelease as error:
        labels = ", ".join(row.label for row in loaded_releases(conn))
        _fail(f"{error}; loaded: {labels or 'none (run `hcpcs load PATH...`)'}")


def _known_at(conn: Connection, label: str | None) -> tuple[int, str]:
    """The position and label `--known-at` names, or the newest release's."""
    if label is not None:
        return _release(conn, label).position, label
    position = known_position(conn, None)
    if position == 0:
        _fail("no releases loaded; run `hcpcs load PATH...`")
    newest = conn.execute(select(Release.label).where(Release.position == position))
    return position, newest.scalar_one()


def _history(conn: Connection, code: str, position: int, label: str) -> list:
    versions = histories(conn, [code], position)[code]
    if not versions:
        _fail(f"code {code} is not in any release up to {label}")
    return versions


def _nothing_in_force(code: str, day: date, label: str, history: list) -> str:
    starts = [v.action_effective_date for v in history if v.action_effective_date]
    since = (
        f"its first version starts {min(starts)}"
        if starts
        else ("none of its versions has an action effective date")
    )
    return f"{code} has no version in force on {day} as known at {label}; {since}"


def _note_text(conn: Connection, version: Version) -> str | None:
    """The processing note's text in the newest release that stated the version."""
    number = version.content["processing_note"]
    if number is None:
        return None
    query = (
        select(ProcessingNote.text)
        .join(Release, Release.id == ProcessingNote.release_id)
        .where(Release.label == version.stated_in[-1].release_label)
        .where(ProcessingNote.number == number)
    )
    return conn.execute(query).scalar_one_or_none()


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@contextmanager
def _stdout_reader_may_leave() -> Iterator[None]:
    """Stop quietly when the reader of stdout goes away, as `| head` does."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would flush again at exit and report the broken pipe there.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(1) from None
