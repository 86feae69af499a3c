"""Request bodies over max_body_bytes are refused with 413 before anyone parses them."""

import json

LIMIT = 2048  # STRICT.max_body_bytes
JSON_HEADERS = {"content-type": "application/json"}


def body_of(size: int) -> bytes:
    """A valid GraphQL request of exactly `size` bytes, padded with JSON whitespace."""
    body = json.dumps({"query": "{ releases { label } }"}).encode()
    return body + b" " * (size - len(body))


def test_body_at_the_limit_is_answered(strict):
    body = body_of(LIMIT)

    response = strict.request("POST", content=body, headers=JSON_HEADERS)

    assert response.status_code == 200
    assert len(response.json()["data"]["releases"]) == 4


def test_body_one_byte_over_the_limit_is_refused_with_413(strict, sql_statements):
    body = body_of(LIMIT + 1)

    response = strict.request("POST", content=body, headers=JSON_HEADERS)

    assert response.status_code == 413
    assert response.json() == {
        "errors": [{"message": "request body is over 2048 bytes"}]
    }
    assert sql_statements == []


def test_body_over_the_limit_is_refused_before_it_is_parsed(strict):
    small_garbage = b"x" * 100
    large_garbage = b"x" * (LIMIT + 1)

    small = strict.request("POST", content=small_garbage, headers=JSON_HEADERS)
    large = strict.request("POST", content=large_garbage, headers=JSON_HEADERS)

    assert small.status_code == 400
    assert large.status_code == 413


def test_streamed_body_is_cut_off_at_the_limit(strict):
    chunk = b" " * 512
    sent = []

    async def chunks():
        yield json.dumps({"query": "{ releases { label } }"}).encode()
        for _ in range(100):
            sent.append(len(chunk))
            yield chunk

    response = strict.request("POST", content=chunks(), headers=JSON_HEADERS)

    assert response.status_code == 413
    assert len(sent) == 4
