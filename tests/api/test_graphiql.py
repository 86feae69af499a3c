"""The GraphiQL page: an example query, and its files served by this API."""

import base64
import hashlib
import json
import re

from strawberry.http.ides import get_graphql_ide_html

from api.graphiql import EXAMPLE_QUERY, cdn_assets, graphiql_html

HTML = {"accept": "text/html"}


def test_graphiql_opens_with_the_example_query(client):
    response = client.get("/graphql", headers=HTML)

    assert response.status_code == 200
    found = re.search(r"const EXAMPLE_QUERY = (\".*?\");\n", response.text)
    assert json.loads(found[1]) == EXAMPLE_QUERY
    assert "<title>HCPCS history · GraphiQL</title>" in response.text


def test_graphiql_loads_every_file_from_this_server(client):
    assets = cdn_assets(get_graphql_ide_html("graphiql"))

    page = client.get("/graphql", headers=HTML).text

    assert len(assets) == 7
    assert "unpkg.com" not in page
    for asset in assets:
        url = f"/static/graphiql/{asset.spec}/{asset.path}"
        assert f'"{url}"' in page
        served = client.get(url)
        assert served.status_code == 200, url
        algorithm, _, expected = asset.integrity.partition("-")
        digest = hashlib.new(algorithm, served.content).digest()
        assert base64.b64encode(digest).decode() == expected, url


def test_graphiql_files_follow_the_root_path():
    page = graphiql_html(root_path="/hcpcs")

    assert 'src="/hcpcs/static/graphiql/react@' in page


def test_example_query_answers_b4105_with_its_correction(client):
    data = client.data(EXAMPLE_QUERY)

    assert data["q4212"]["shortDescription"] == "Allogen, per cc"
    revisions = data["b4105"]["history"][0]["revisions"]
    assert [(r["release"]["label"], r["superseded"]) for r in revisions] == [
        ("2019", True),
        ("2020", False),
    ]
    assert [r["coverage"]["code"] for r in revisions] == ["D", "C"]
