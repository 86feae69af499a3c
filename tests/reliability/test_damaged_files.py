"""Damaged release files load exactly as the reader reads them, or store nothing."""

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from tests.reliability.loading import (
    FUZZ,
    Store,
    baseline_store,
    try_load,
    write_release,
    zipped,
)
from tests.reliability.mutations import awkward_bytes, damaged
from tests.reliability.oracle import LOADED, REFUSED, expected_load
from tests.reliability.release_slice import MEMBER_2019, slice_2019
from tests.reliability.stored import as_stored, stored_records

SLICE = slice_2019()
ZIPPED = zipped(SLICE.data(), MEMBER_2019)
# None writes the text as a TXT file; a name writes it into a ZIP under that name.
CONTAINERS = st.sampled_from([None, MEMBER_2019])


@pytest.fixture(scope="module")
def store(databases, tmp_path_factory) -> Store:
    return baseline_store(databases, tmp_path_factory)


@FUZZ
@given(data=damaged(SLICE.lines()), member=CONTAINERS)
def test_damaged_release_loads_as_read_or_is_refused_naming_file_and_line(
    store, tmp_path, snapshot, data, member
):
    path = write_release(tmp_path, data, member)
    outcome, expected = expected_load(data, path, member)
    if outcome == LOADED:
        expected = as_stored(expected)
    if member is None and data == SLICE.data():
        outcome = REFUSED
        expected = f"{path}: this file is already loaded as release 2019"

    result = try_load(store, path)

    event(result[0])
    assert result == (outcome, expected)
    assert snapshot(store.engine) == store.before


def refusal_of_a_cut(path, data: bytes) -> str | None:
    """What the reader must say of a file cut off at its end, if anything."""
    number = data.count(b"\n") + 1
    last = data.rsplit(b"\n", 1)[-1]
    if last.endswith(b"\r") or not last.strip():
        return None
    if len(last) < 11:
        return f"{path}: line {number}: line is not an HCPCS record"
    if last[10:11] in (b"3", b"7") and len(last) < 293:
        return (
            f"{path}: line {number}: record is cut short at column {len(last)}; "
            "a first line runs to column 293 at least"
        )
    return None


@FUZZ
# From the end of the first record's first line to one byte short of the whole.
@given(cut=st.integers(len(b"".join(SLICE.lines()[:9])), len(SLICE.data()) - 1))
def test_cut_off_release_stores_the_records_before_the_cut_or_nothing(
    store, tmp_path, snapshot, cut
):
    data = SLICE.data()[:cut]
    path = write_release(tmp_path, data, None)
    refusal = refusal_of_a_cut(path, data)
    baseline = stored_records(store.engine, "2019")
    codes = [SLICE.code(index) for index in range(len(SLICE.records))]

    kind, result = try_load(store, path)

    event(kind)
    if refusal or kind == REFUSED:
        assert (kind, result) == (REFUSED, refusal)
    else:
        *whole, last = codes[: len(result)]
        cut_short = result[last]["long_description"]
        assert result == {
            **{code: baseline[code] for code in whole},
            last: {**baseline[last], "long_description": cut_short},
        }
        assert baseline[last]["long_description"].startswith(cut_short)
    assert snapshot(store.engine) == store.before


@FUZZ
@given(
    at=st.integers(0, len(ZIPPED)),
    new=awkward_bytes,
    how=st.sampled_from(["overwritten", "inserted", "cut off"]),
)
def test_damaged_zip_is_refused_naming_the_file_or_loads_every_record(
    store, tmp_path, snapshot, at, new, how
):
    damage = {
        "overwritten": ZIPPED[:at] + new + ZIPPED[at + len(new) :],
        "inserted": ZIPPED[:at] + new + ZIPPED[at:],
        "cut off": ZIPPED[:at],
    }
    path = tmp_path / "damaged.zip"
    path.write_bytes(damage[how])

    kind, result = try_load(store, path)

    event(kind)
    if kind == LOADED:
        assert result == stored_records(store.engine, "2019")
    else:
        assert result.startswith((f"{path}: ", f"{path}!"))
    assert snapshot(store.engine) == store.before
