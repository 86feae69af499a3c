"""What a person sees: GraphiQL and code pages of `hcpcs serve`, in headless Chromium.

The screenshots stay in artifacts/browser/<backend>/ for a person to look at.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.graphiql import EXAMPLE_QUERY

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # the `browser` fixture skips, or fails in CI
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Not imported from conftest: tests/api has a conftest module of the same name.
BACKEND = os.environ.get("HCPCS_TEST_BACKEND", "sqlite")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser" / BACKEND
QUERY = '{ code(code: "Q4212", asOf: "2020-06-01") { code shortDescription } }'
EDITOR_TEXT = "document.querySelector('.graphiql-query-editor .CodeMirror')"


def _missing_browser() -> str | None:
    if sync_playwright is None:
        return "Playwright is not installed: pip install -e '.[test]'"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing: scripts/chromium.sh installs Debian's chromium"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium, headless; skipped without it, except in CI."""
    missing = _missing_browser()
    if missing and os.environ.get("CI"):
        pytest.fail(missing)
    if missing:
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"hcpcs serve exited {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"hcpcs serve did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def server(loaded_database, tmp_path_factory) -> Iterator[str]:
    """`hcpcs serve` over the four annual releases, on a free local port."""
    url, _ = loaded_database
    hcpcs = Path(sys.executable).with_name("hcpcs")
    command = str(hcpcs) if hcpcs.is_file() else shutil.which("hcpcs")
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [command, "serve", "--host", "127.0.0.1", "--port", str(port)]
            + ["--database", url],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def page(browser, server) -> Iterator["Page"]:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    yield tab
    tab.close()


def screenshot(page: "Page", name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def test_graphiql_runs_a_typed_query_without_leaving_the_server(page, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server}/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.wait_for()
    example = page.evaluate(f"{EDITOR_TEXT}.CodeMirror.getValue()")
    screenshot(page, "graphiql-example.png", full_page=False)

    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(QUERY)
    page.keyboard.press("Escape")
    typed = page.evaluate(f"{EDITOR_TEXT}.CodeMirror.getValue()")
    page.locator('button[aria-label^="Prettify query"]').click()
    page.locator(".graphiql-execute-button").click()
    result = page.locator(".graphiql-response")
    expect(result).to_contain_text('"shortDescription": "Allogen, per cc"')
    shot = screenshot(page, "graphiql.png", full_page=False)

    assert example == EXAMPLE_QUERY
    assert typed == QUERY
    assert '"code": "Q4212"' in result.inner_text()
    assert [url for url in requested if not url.startswith(server)] == []
    assert shot.stat().st_size > 10_000


def test_code_page_shows_b4105_as_stated_in_2019_and_corrected_in_2020(page, server):
    page.goto(f"{server}/codes/B4105")
    stated = page.locator(".revision.superseded")
    correction = page.locator(".revision", has=page.locator(".badge.correction"))
    rows = correction.locator("tbody tr")
    shot = screenshot(page, "timeline-B4105.png")

    expect(page.locator("h1")).to_contain_text("B4105")
    expect(page.locator(".step h2")).to_have_text(["1. Version from 2019-01-01, open"])
    expect(stated).to_contain_text(
        "release 2019, effective 2019-01-01: action A Add procedure or modifier code"
    )
    expect(correction).to_contain_text("release 2020, effective 2020-01-01")
    expect(correction.locator(".badge")).to_have_text(["correction", "current"])
    expect(rows.locator("th")).to_have_text(
        [
            "Pricing indicators",
            "Multiple pricing indicator",
            "Coverage",
            "Processing note",
        ]
    )
    expect(rows.nth(0).locator("td.before")).to_have_text(
        "00 Service not separately priced by part B (e.g., services not covered, "
        "bundled, used by part A only, etc.)"
    )
    expect(rows.nth(0).locator("td.after")).to_have_text(
        "39 Parenteral and Enteral Nutrition"
    )
    expect(rows.nth(2).locator("td")).to_have_text(
        ["D Special coverage instructions apply", "C Carrier judgment"]
    )
    assert shot.stat().st_size > 10_000


def test_code_page_shows_q9994_already_terminated(page, server):
    page.goto(f"{server}/codes/Q9994")
    shot = screenshot(page, "timeline-Q9994.png")

    expect(page.locator(".axis .termination")).to_have_text("last day 2018-12-31")
    expect(page.locator(".axis .seg")).to_have_count(1)
    expect(page.locator(".axis .seg.ended")).to_have_text("1")
    expect(page.locator(".step h2")).to_have_text(
        ["1. Version from 2019-01-01: discontinued"]
    )
    expect(page.locator(".ended-note")).to_contain_text(
        "Termination date 2018-12-31, the last day of use"
    )
    expect(page.locator(".revision.superseded")).to_contain_text(
        "release 2019, effective 2019-01-01: action D"
    )
    assert shot.stat().st_size > 10_000


def test_code_page_links_a_cross_reference_to_its_page(page, server):
    page.goto(f"{server}/codes/Q9994")

    page.locator(".revision td.before a", has_text="B4105").click()

    expect(page).to_have_url(f"{server}/codes/B4105")
    expect(page).to_have_title("B4105 Enzyme cartridge enteral nut · HCPCS history")
