"""schema.graphql is the schema the code builds; regenerate it when this fails."""

from pathlib import Path

from api.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_file_is_up_to_date():
    exported = schema.as_str() + "\n"

    committed = SCHEMA_FILE.read_text()

    assert committed == exported, (
        "schema.graphql is stale: run `hcpcs schema --output schema.graphql`"
    )
