"""The code timeline page at /codes/{code}, over the four real annual releases."""

import re
from html import unescape

import pytest


def text_of(html: str) -> str:
    """The words of the page's main part as a reader sees them, without tags."""
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.DOTALL)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_timeline_shows_the_2019_statement_and_the_2020_correction(client):
    response = client.get("/codes/B4105")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    text = text_of(response.text)
    assert "B4105 Enzyme cartridge enteral nut" in text
    assert "1. Version from 2019-01-01, open" in text
    assert (
        "superseded release 2019 , effective 2019-01-01: action A "
        "Add procedure or modifier code" in text
    )
    assert (
        "correction current release 2020 , effective 2020-01-01: action N "
        "No maintenance for this code" in text
    )
    assert (
        "Pricing indicators 00 Service not separately priced by part B "
        "(e.g., services not covered, bundled, used by part A only, etc.) "
        "39 Parenteral and Enteral Nutrition" in text
    )
    assert "Coverage D Special coverage instructions apply C Carrier judgment" in text
    assert "Processing note 0217 none" in text


def test_timeline_marks_a_termination_and_what_followed(client):
    response = client.get("/codes/C9447")

    text = text_of(response.text)
    assert "last day 2019-09-30" in text
    assert "4. Version from 2019-10-01: discontinued" in text
    assert "Termination date 2019-09-30, the last day of use" in text
    assert (
        "Changed from version 1 Field Before After ASC payment group "
        "YY Approved to be performed in an ambulatory surgical center none" in text
    )
    assert 'class="seg ended" href="#v-2019-10-01"' in response.text


def test_timeline_as_known_at_2019_has_no_correction(client):
    response = client.get("/codes/B4105?knownAt=2019")

    text = text_of(response.text)
    assert "History as known at release 2019 ." in text
    assert "correction" not in text
    assert "release 2020" not in text
    assert "Pricing indicators 00 Service not separately priced" in text


def test_timeline_marks_changed_words_of_a_description(client):
    response = client.get("/codes/A5513")

    assert "durometer <mark>(or</mark> higher)" in response.text
    assert "durometer <mark>or</mark> higher)" in response.text


def test_timeline_lists_a_statement_without_action_effective_date_last(client):
    response = client.get("/codes/A5513")

    text = text_of(response.text)
    assert "3. Version without an action effective date" in text
    assert "is kept as history but is never in force" in text


def test_timeline_of_unknown_code_is_404_with_a_message(client):
    response = client.get("/codes/ZZ999")

    assert response.status_code == 404
    assert "No release from 2017 to 2020 states a code ZZ999." in text_of(response.text)


def test_timeline_escapes_what_the_path_says(client):
    response = client.get("/codes/%3Cimg%20src=x%3E")

    assert response.status_code == 404
    assert "<img" not in response.text
    assert "No code &lt;IMG SRC=X&gt;" in response.text


@pytest.mark.parametrize("path", ["/codes/%00", "/codes/A%0012", "/codes/" + "Q" * 400])
def test_timeline_of_what_cannot_be_a_code_is_404_on_every_backend(client, path):
    # PostgreSQL refuses a NUL in a query parameter; no code holds one.
    response = client.get(path)

    assert response.status_code == 404
    assert "HCPCS Level II codes are five characters" in text_of(response.text)


def test_timeline_with_unknown_release_is_400_naming_the_loaded_ones(client):
    response = client.get("/codes/B4105?knownAt=1999")

    assert response.status_code == 400
    assert "release '1999' is not loaded (loaded: 2017, 2018, 2019, 2020)" in text_of(
        response.text
    )


def test_code_lookup_redirects_to_the_code_page(client):
    response = client.get(
        "/codes", params={"code": " q9994 ", "knownAt": "2019"}, follow_redirects=False
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/codes/Q9994?knownAt=2019"
