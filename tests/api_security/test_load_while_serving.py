"""A release loaded while the API serves: each answer shows one state of the store."""

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine

from api.app import create_app
from api.types import Release
from db.settings import Settings

# Every part of the answer reads the store; Q4212 first appears in the 2020 file.
STATE = """
  releases { label }
  release(label: "2020") { label }
  code(code: "Q4212", asOf: "2020-06-01") { code shortDescription }
  codes(asOf: "2020-06-01", first: 0) { totalCount }
"""
STATE_QUERY = f"{{ {STATE} }}"
QUERY = f"""{{
  {STATE}
  releaseChanges(from: "2017", to: "2018", kind: ADDED, first: 2) {{
    totalCount edges {{ node {{ code }} }}
  }}
}}"""


def labels(data: dict) -> list[str]:
    return [release["label"] for release in data["releases"]]


@pytest.fixture
def server(fresh_database, load_year) -> Iterator[tuple[str, Engine]]:
    """The API served by uvicorn on a loopback port, over 2017-2019: (url, engine)."""
    _, engine = fresh_database
    for year in (2017, 2018, 2019):
        load_year(engine, year)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        create_app(engine, Settings()), log_level="warning", lifespan="off"
    )
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(
        target=uvicorn_server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    while not uvicorn_server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}/graphql", engine
    uvicorn_server.should_exit = True
    thread.join(timeout=10)
    listener.close()


def test_answers_during_a_load_show_the_store_before_or_after_it(server, load_year):
    url, engine = server
    answers: dict[int, list[dict]] = {0: [], 1: []}
    loaded = threading.Event()
    stop = threading.Event()

    def keep_querying(client_id: int) -> None:
        with httpx.Client(timeout=60) as http:
            while not stop.is_set():
                response = http.post(url, json={"query": QUERY})
                answers[client_id].append(response.json()["data"])

    def load_2020() -> None:
        load_year(engine, 2020)
        loaded.set()

    clients = [threading.Thread(target=keep_querying, args=(i,)) for i in answers]
    for client in clients:
        client.start()
    while not all(answers.values()):
        time.sleep(0.01)
    loader = threading.Thread(target=load_2020)
    loader.start()
    loader.join(timeout=120)
    seen_after_load = {i: len(found) for i, found in answers.items()}
    while any(len(answers[i]) < seen_after_load[i] + 2 for i in answers):
        time.sleep(0.01)
    stop.set()
    for client in clients:
        client.join(timeout=60)

    before, after = answers[0][0], answers[0][-1]
    assert loaded.is_set()
    assert labels(before) == ["2017", "2018", "2019"]
    assert before["release"] is None
    assert before["code"] is None
    assert before["codes"] == {"totalCount": 6910}
    assert labels(after) == ["2017", "2018", "2019", "2020"]
    assert after["release"] == {"label": "2020"}
    assert after["code"] == {
        "code": "Q4212",
        "shortDescription": "Allogen, per cc",
    }
    assert after["codes"] == {"totalCount": 7188}
    assert before["releaseChanges"] == after["releaseChanges"]
    for found in answers.values():
        states = [
            0 if answer == before else 1 if answer == after else None
            for answer in found
        ]
        assert None not in states, "an answer mixed the states before and after"
        assert states == sorted(states), "an answer went back to the state before"


def test_a_request_begun_before_a_load_answers_from_the_store_it_began_with(
    fresh_database, load_year, serve_engine, monkeypatch
):
    # 2019 loaded after 2020 ranks before it and moves 2020 one position on,
    # so a read after the load would see positions that the first read did not.
    _, engine = fresh_database
    for year in (2017, 2020):
        load_year(engine, year)
    before = serve_engine(engine).data(STATE_QUERY)
    reached, resume = threading.Event(), threading.Event()
    from_row = Release.from_row.__func__

    def paused(cls, row):
        """Holds the request after its first read until the load is done."""
        if not reached.is_set():
            reached.set()
            resume.wait(timeout=60)
        return from_row(cls, row)

    monkeypatch.setattr(Release, "from_row", classmethod(paused))
    cold = serve_engine(engine)
    answers = []

    request = threading.Thread(target=lambda: answers.append(cold.data(STATE_QUERY)))
    request.start()
    assert reached.wait(timeout=60)
    load_year(engine, 2019)
    resume.set()
    request.join(timeout=60)
    after = cold.data(STATE_QUERY)

    assert labels(before) == ["2017", "2020"]
    assert before["code"] == {"code": "Q4212", "shortDescription": "Allogen, per cc"}
    assert answers == [before]
    assert labels(after) == ["2017", "2019", "2020"]
    assert after["code"] == before["code"]
