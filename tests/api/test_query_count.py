"""SQL statements per request: a constant, however many codes a page holds."""

import anyio
import pytest
from sqlalchemy import create_engine, event

from api.app import create_app
from db.catalog import build_catalog
from db.queries import known_position
from tests.api_client import ApiClient

PAGE = """
query ($first: Int!, $after: String) {
  codes(asOf: "2020-06-01", first: $first, after: $after) {
    edges {
      node {
        code longDescription
        action { code description }
        pricingIndicators { code description group }
        multiplePricingIndicator { code description }
        coverage { code description }
        betos { code description }
        typesOfService { code description }
        labCertifications { code description }
        ascPaymentGroup { code description }
        mogPaymentPolicy { code description }
        processingNote { number text }
        statedIn { label effectiveDate }
        lastUpdated { label }
        crossReferences {
          code
          target {
            code
            processingNote { number text }
            statedIn { label }
            history { validFrom }
          }
        }
        history {
          validFrom validTo
          statedIn { label }
          processingNote { number text }
          coverage { code description }
          revisions {
            superseded
            release { label }
            statedIn { label }
            processingNote { number text }
            crossReferences { code target { code } }
          }
        }
      }
    }
  }
}
"""

# Per request once warm: the store generation, nothing else. The releases,
# the catalog and each release's processing notes are read by the first request
# of a store generation that needs them; a catalog build takes the few
# statements that read every release, statement and revision.
WARM_STATEMENTS = 1
MAX_CATALOG_BUILD_STATEMENTS = 3


@pytest.fixture
def statements(loaded_engine):
    """The SQL statements that read data, run while the test does."""
    executed: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        # SQLite's explicit BEGIN (see db.session) controls the transaction and
        # reads nothing; PostgreSQL's driver sends its BEGIN without a statement.
        if not statement.startswith("BEGIN"):
            executed.append(statement)

    event.listen(loaded_engine, "before_cursor_execute", record)
    yield executed
    event.remove(loaded_engine, "before_cursor_execute", record)


@pytest.fixture
def before_a4466(client) -> str:
    """The cursor just before A4466: it has a processing note and points at A4467."""
    page = client.data(
        '{ codes(asOf: "2020-06-01", first: 500) { edges { cursor node { code } } } }'
    )["codes"]["edges"]
    index = next(i for i, edge in enumerate(page) if edge["node"]["code"] == "A4466")
    return page[index - 1]["cursor"]


def page_of(client, first: int, after: str) -> list[dict]:
    nodes = [
        edge["node"]
        for edge in client.data(PAGE, first=first, after=after)["codes"]["edges"]
    ]
    assert len(nodes) == first
    assert any(node["processingNote"] for node in nodes)
    assert any(ref["target"] for node in nodes for ref in node["crossReferences"])
    return nodes


def test_query_count_is_the_same_for_10_and_100_codes(client, before_a4466, statements):
    page_of(client, 1, before_a4466)
    counts = {}

    for first in (10, 100):
        statements.clear()
        page_of(client, first, before_a4466)
        counts[first] = len(statements)

    assert counts == {10: WARM_STATEMENTS, 100: WARM_STATEMENTS}


def test_query_count_with_a_cold_cache_adds_the_catalog_and_what_it_reads_once(
    loaded_engine, new_client, before_a4466, statements
):
    with loaded_engine.connect() as conn:
        newest = known_position(conn, None)
        statements.clear()
        build_catalog(conn, newest)
    build = len(statements)
    counts = {}

    for first in (10, 100):
        cold = new_client()
        statements.clear()
        page_of(cold, first, before_a4466)
        counts[first] = len(statements)
        # Every note these pages show is the 2020 release's: one read.
        note_reads = [s for s in statements if "processingnote" in s.lower()]
        assert len(note_reads) == 1
        statements.clear()
        page_of(cold, first, before_a4466)
        assert len(statements) == WARM_STATEMENTS

    assert build <= MAX_CATALOG_BUILD_STATEMENTS
    # The generation, the releases, the catalog build and the notes.
    cold_statements = WARM_STATEMENTS + 1 + build + 1
    assert counts == {10: cold_statements, 100: cold_statements}


def test_query_count_of_a_page_without_notes_skips_the_note_query(
    new_client, statements
):
    # None of the first ten codes in force has a processing note, so no
    # release's notes are read.
    query = """
    {
      codes(asOf: "2020-06-01", first: 10) {
        edges { node { code processingNote { text } crossReferences { code } } }
      }
    }
    """
    nodes = new_client().data(query)["codes"]["edges"]

    assert not any(edge["node"]["processingNote"] for edge in nodes)
    assert not [s for s in statements if "processingnote" in s.lower()]
    assert statements


async def _run_lifespan(app) -> list[str]:
    """Start and stop `app` as uvicorn does; the message types it answered."""
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    answered: list[str] = []

    async def receive():
        return incoming.pop(0)

    async def send(message):
        answered.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    return answered


def test_a_started_server_has_built_its_catalog_before_the_first_request(
    loaded_engine, statements
):
    app = create_app(loaded_engine)

    answered = anyio.run(_run_lifespan, app)
    statements.clear()
    nodes = ApiClient(app).data(
        '{ codes(asOf: "2020-06-01", first: 100) { edges { node { code } } } }'
    )["codes"]["edges"]

    assert answered == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert len(nodes) == 100
    assert len(statements) == WARM_STATEMENTS


def test_a_server_starts_even_when_its_store_cannot_be_read(tmp_path, caplog):
    unreadable = create_engine(f"sqlite:///{tmp_path}/missing/store.db")
    app = create_app(unreadable)

    answered = anyio.run(_run_lifespan, app)

    assert answered == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert "could not be built at startup" in caplog.text
    assert ApiClient(app).get("/healthz").status_code == 503
