"""Damaged processing notes load as parsed, or are refused naming their member."""

import re

import pytest
from hypothesis import event, given

from db.proc_notes import parse_processing_notes
from tests.reliability.loading import FUZZ, Store, baseline_store, try_load, zipped
from tests.reliability.mutations import damaged
from tests.reliability.oracle import LOADED, REFUSED
from tests.reliability.release_slice import (
    MEMBER_2019,
    NOTES_2019,
    notes_2019,
    slice_2019,
)
from tests.reliability.stored import stored_notes

NOTES = notes_2019().splitlines(keepends=True)


@pytest.fixture(scope="module")
def store(databases, tmp_path_factory) -> Store:
    return baseline_store(databases, tmp_path_factory)


def expected_notes(path, notes: bytes) -> tuple[str, object]:
    texts = parse_processing_notes(notes.decode("cp1252", errors="replace"))
    for number, text in texts.items():
        if "\x00" in text:
            return REFUSED, f"{path}!{NOTES_2019}: note {number} holds a NUL character"
    return LOADED, texts


@FUZZ
@given(notes=damaged(NOTES))
def test_damaged_notes_load_as_parsed_or_are_refused_naming_the_member(
    store, tmp_path, snapshot, notes
):
    path = tmp_path / "damaged.zip"
    path.write_bytes(zipped(slice_2019().data(), MEMBER_2019, {NOTES_2019: notes}))
    expected = expected_notes(path, notes)

    result = try_load(store, path, read=stored_notes)

    event(result[0])
    assert result == expected
    assert snapshot(store.engine) == store.before


def test_nul_in_a_note_is_refused_naming_member_and_note(store, tmp_path, snapshot):
    first = re.search(rb"(\d{4})--", notes_2019())
    notes = notes_2019().replace(first.group(0), first.group(0) + b"\x00", 1)
    path = tmp_path / "nul.zip"
    path.write_bytes(zipped(slice_2019().data(), MEMBER_2019, {NOTES_2019: notes}))

    result = try_load(store, path, read=stored_notes)

    assert result == (
        REFUSED,
        f"{path}!{NOTES_2019}: note {first.group(1).decode()} holds a NUL character",
    )
    assert snapshot(store.engine) == store.before


def test_real_notes_load_whole(store, tmp_path):
    path = tmp_path / "notes.zip"
    notes = {NOTES_2019: notes_2019()}
    path.write_bytes(zipped(slice_2019().data(), MEMBER_2019, notes))

    kind, stored = try_load(store, path, read=stored_notes)

    assert (kind, len(stored)) == (LOADED, 218)
