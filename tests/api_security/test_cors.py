"""Browsers may call the API only from the origins Settings.cors_origins names."""

import pytest

from db.settings import Settings

QUERY = {"query": '{ release(label: "2020") { label } }'}
ALLOWED = "https://codes.example.org"
OTHER = "https://attacker.example.com"


def preflight(client, origin: str):
    return client.request(
        "OPTIONS",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )


@pytest.fixture
def open_to_one_origin(serve):
    return serve(Settings(cors_origins=[ALLOWED]))


def test_no_origin_is_allowed_by_default(client):
    response = client.request("POST", json=QUERY, headers={"origin": OTHER})
    refused_preflight = preflight(client, OTHER)

    assert response.status_code == 200
    assert response.json() == {"data": {"release": {"label": "2020"}}}
    assert "access-control-allow-origin" not in response.headers
    assert refused_preflight.status_code == 405
    assert "access-control-allow-origin" not in refused_preflight.headers


def test_a_named_origin_is_allowed(open_to_one_origin):
    response = open_to_one_origin.request(
        "POST", json=QUERY, headers={"origin": ALLOWED}
    )
    allowed_preflight = preflight(open_to_one_origin, ALLOWED)

    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["access-control-expose-headers"] == "x-request-id"
    assert allowed_preflight.status_code == 200
    assert allowed_preflight.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in allowed_preflight.headers["access-control-allow-methods"]


def test_an_origin_not_named_is_not_allowed(open_to_one_origin):
    response = open_to_one_origin.request("POST", json=QUERY, headers={"origin": OTHER})
    refused_preflight = preflight(open_to_one_origin, OTHER)

    assert "access-control-allow-origin" not in response.headers
    assert refused_preflight.status_code == 400
    assert "access-control-allow-origin" not in refused_preflight.headers
