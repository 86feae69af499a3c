"""The HTTP application: health check, GraphiQL for browsers, GraphQL over GET."""


def test_app_healthz_reports_ok(client):
    path = "/healthz"

    response = client.get(path)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_app_graphql_serves_graphiql_to_browsers(client):
    headers = {"Accept": "text/html"}

    response = client.get("/graphql", headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


def test_app_graphql_answers_a_query_over_get(client):
    params = {"query": "{ releases { label effectiveDate codeCount } }"}

    response = client.get("/graphql", params=params)

    assert response.status_code == 200
    assert response.json() == {
        "data": {
            "releases": [
                {"label": "2017", "effectiveDate": "2017-01-01", "codeCount": 6498},
                {"label": "2018", "effectiveDate": "2018-01-01", "codeCount": 6559},
                {"label": "2019", "effectiveDate": "2019-01-01", "codeCount": 6800},
                {"label": "2020", "effectiveDate": "2020-01-01", "codeCount": 7079},
            ]
        }
    }


def test_app_release_by_label_names_its_source_file(client):
    query = """
    { release(label: "2019") { label sourceFile sha256 }
      missing: release(label: "2021") { label } }
    """

    data = client.data(query)

    assert data["release"]["sourceFile"] == (
        "2019-Alpha-Numeric-HCPCS-File.zip!HCPC2019_CONTR_ANWEB.txt"
    )
    assert len(data["release"]["sha256"]) == 64
    assert data["missing"] is None


def test_app_every_response_carries_a_request_id(client):
    first = client.get("/healthz")

    second = client.get("/healthz")

    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2


def test_root_redirects_to_graphiql(client):
    response = client.request("GET", "/")

    assert response.status_code in (302, 307)
    assert response.headers["location"] == "/graphql"
