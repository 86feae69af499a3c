"""The `hcpcs` command line: load releases, list them, serve the API."""

import atexit
import contextlib
import logging
import signal
import tempfile
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from db.changes import ChangeKind
from db.load import LoadError, LoadSummary, load_release
from db.queries import releases as loaded_releases
from db.records import parse_iso_day
from db.session import make_engine, migrate
from db.settings import get_settings
from db.sources import ReleaseSource, SourceError, infer_release, read_source

app = typer.Typer(
    help="History of HCPCS Level II codes, release by release.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# Lines stay whole when piped, so scripts and logs can grep them.
out = Console(soft_wrap=True, markup=False, highlight=False)
err = Console(stderr=True, soft_wrap=True)

DatabaseOption = typer.Option(
    None,
    "--database",
    envvar="HCPCS_DATABASE_URL",
    help="SQLAlchemy URL of the database (default: sqlite:///hcpcs.db).",
    show_default=False,
)


def fail(message: str) -> None:
    """Print one clear line and exit non-zero."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(1)


def open_database(url: str | None):
    """An engine for `url`, migrated to the newest schema."""
    url = url or get_settings().database_url
    if url.rstrip("/") in ("sqlite:", "sqlite:/") or ":memory:" in url:
        fail(f"database {url} is in memory and would vanish; name a file or server")
    try:
        migrate(url)
    except DBAPIError as error:
        fail(f"cannot open database {url}: {error.orig}")
    except (SQLAlchemyError, ValueError, ImportError) as error:
        # A URL of an unknown kind, or for a driver that is not installed.
        fail(f"cannot open database {url}: {error}")
    engine = make_engine(url)
    # Closing the pool on exit lets SQLite fold its WAL back into the file.
    atexit.register(engine.dispose)
    return engine


@app.callback()
def main(
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Log what loads change and what serving does."
    ),
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def load(
    paths: list[Path] = typer.Argument(..., help="Release ZIPs, TXTs or spreadsheets."),
    label: str | None = typer.Option(
        None, help="Release label, e.g. 2020-04; needed when the name does not say."
    ),
    release_date: str | None = typer.Option(
        None, help="Release effective date, YYYY-MM-DD; needed with --label."
    ),
    database: str | None = DatabaseOption,
) -> None:
    """Load CMS release files; each file is one release, loaded in one transaction."""
    if bool(label) != bool(release_date):
        fail("give both --label and --release-date, or neither")
    if label and len(paths) > 1:
        fail("--label and --release-date name one release: load one file at a time")
    effective = _parse_date(release_date) if release_date else None

    # Read every file before storing any, so bad input stores nothing.
    planned: list[tuple[ReleaseSource, str, date]] = []
    for path in paths:
        try:
            source = read_source(path)
        except SourceError as error:
            fail(str(error))
        planned.append((source, *_release_of(path, label, effective)))

    engine = open_database(database)
    for source, release_label, day in planned:
        summary = _load_with_progress(engine, source, release_label, day)
        _print_summary(summary)


def _parse_date(value: str) -> date:
    try:
        return parse_iso_day(value)
    except ValueError:
        fail(f"--release-date {value!r} is not a date in the form YYYY-MM-DD")


def _release_of(path: Path, label: str | None, day: date | None) -> tuple[str, date]:
    if label and day:
        return label, day
    inferred = infer_release(path.name)
    if inferred is None:
        fail(
            f"{path}: the file name does not say which release this is; "
            "give --label and --release-date YYYY-MM-DD"
        )
    return inferred


def _load_with_progress(engine, source: ReleaseSource, label: str, day: date):
    columns = (
        TextColumn(f"release {label}"),
        BarColumn(),
        MofNCompleteColumn(),
    )
    with Progress(
        *columns, console=err, transient=True, disable=not err.is_terminal
    ) as progress:
        task = progress.add_task("load", total=len(source.records))
        try:
            return load_release(
                engine, source, label, day, lambda n: progress.advance(task, n)
            )
        except LoadError as error:
            progress.stop()
            fail(str(error))
        except DBAPIError as error:
            progress.stop()
            fail(f"release {label} was not stored: {error.orig}")


def _print_summary(summary: LoadSummary) -> None:
    if summary.already_loaded:
        out.print(
            f"release {summary.label} from {summary.source_file} "
            "was already loaded; nothing changed"
        )
        return
    out.print(
        f"release {summary.label} ({summary.effective_date}) "
        f"from {summary.source_file}: {summary.codes_read} codes read, "
        f"{summary.versions_added} versions and "
        f"{summary.revisions_added} revisions added"
    )
    against = summary.compared_with or "no earlier release"
    counts = ", ".join(
        f"{summary.changes.get(kind, 0)} {kind.value.lower().replace('_', ' ')}"
        for kind in ChangeKind
    )
    out.print(f"  against {against}: {counts}")


@app.command()
def releases(database: str | None = DatabaseOption) -> None:
    """List the loaded releases, oldest first."""
    engine = open_database(database)
    with engine.connect() as conn:
        rows = loaded_releases(conn)
    if not rows:
        out.print("no releases loaded; run `hcpcs load PATH...`")
        return
    table = Table("label", "effective date", "codes", "loaded at")
    table.add_column("source file", overflow="fold")
    for row in rows:
        table.add_row(
            row.label,
            str(row.effective_date),
            str(row.code_count),
            row.loaded_at.strftime("%Y-%m-%d %H:%M:%S"),
            row.source_file,
        )
    out.print(table)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    database: str | None = DatabaseOption,
) -> None:
    """Serve the GraphQL API; with no releases loaded, serve the built-in sample."""
    import uvicorn

    from api.app import create_app
    from db.sample import load_sample

    url = database or get_settings().database_url
    engine = open_database(url)
    with engine.connect() as conn:
        labels = ", ".join(row.label for row in loaded_releases(conn))
    with contextlib.ExitStack() as stack:
        if labels:
            out.print(f"Serving releases {labels} from {url}.")
        else:
            # The sample gets a database of its own, so real loads never mix
            # with it; it is removed when the server stops.
            folder = stack.enter_context(
                tempfile.TemporaryDirectory(prefix="hcpcs-sample-")
            )
            sample_path = Path(folder) / "sample.db"
            engine = open_database(f"sqlite:///{sample_path}")
            stack.callback(engine.dispose)
            labels = ", ".join(s.label for s in load_sample(engine))
            out.print(
                f"No releases are loaded in {url}: serving the built-in sample "
                f"(releases {labels}) from {sample_path}, until the server stops.\n"
                "Load real CMS files with `hcpcs load PATH...`; "
                "`hcpcs serve` then serves them."
            )
        out.print(f"GraphQL API and GraphiQL at http://{host}:{port}/graphql")
        # uvicorn shuts down gracefully on SIGTERM, then raises the signal
        # again; with its default action the process would end on the spot,
        # before the sample's folder is removed.
        stack.callback(signal.signal, signal.SIGTERM, signal.getsignal(signal.SIGTERM))
        signal.signal(signal.SIGTERM, _exit_quietly)
        uvicorn.run(create_app(engine), host=host, port=port, log_level="info")


def _exit_quietly(_signal: int, _frame) -> None:
    raise SystemExit(0)


@app.command()
def schema(
    output: Path | None = typer.Option(None, help="Write here instead of stdout."),
) -> None:
    """Print the GraphQL schema (SDL), as committed in schema.graphql."""
    from api.schema import schema as graphql_schema

    sdl = graphql_schema.as_str() + "\n"
    if output is None:
        out.print(sdl, markup=False, highlight=False, end="")
    else:
        try:
            output.write_text(sdl)
        except OSError as error:
            fail(f"cannot write {output}: {error.strerror}")


# show, history and changes register themselves on `app`; they use this module's
# options and helpers, so they are imported once those exist.
from cli import audit  # noqa: E402, F401
