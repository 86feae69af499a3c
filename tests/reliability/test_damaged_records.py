"""One kind of damage at a time: the exact refusal, or exactly the data written."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.fixed_width import LAYOUT
from tests.reliability.loading import (
    FUZZ,
    Store,
    baseline_store,
    try_load,
    write_release,
)
from tests.reliability.release_slice import slice_2019
from tests.reliability.stored import stored_records

SLICE = slice_2019()
RECORDS = st.integers(0, len(SLICE.records) - 1)
BOUNDARIES = st.integers(0, len(SLICE.records))
# Start column and name of each date of a first line, from CMS's record layout.
DATES = {
    233: "ASC payment group effective date",
    245: "MOG effective date",
    269: "code added date",
    277: "action effective date",
    285: "termination date",
}
DATE_FIELDS = {
    233: "asc_effective_date",
    245: "mog_effective_date",
    269: "added_date",
    277: "action_effective_date",
    285: "termination_date",
}
# Eight characters with at least one that is not an ASCII digit; "²" and its
# like pass str.isdigit but not int.
NOT_DIGITS = st.builds(
    lambda digits, other, at: digits[:at] + other + digits[at + 1 :],
    st.text("0123456789", min_size=8, max_size=8),
    st.sampled_from("/-.Ol²³¹½"),
    st.integers(0, 7),
)


def impossible_day(parts: tuple[int, int, int]) -> bool:
    try:
        date(*parts)
    except ValueError:
        return True
    return False


IMPOSSIBLE_DAYS = (
    st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
    .filter(impossible_day)
    .map(lambda p: f"{p[0]:04d}{p[1]:02d}{p[2]:02d}")
)


@pytest.fixture(scope="module")
def store(databases, tmp_path_factory) -> Store:
    return baseline_store(databases, tmp_path_factory)


def overwritten(index: int, column: int, value: bytes) -> bytes:
    """The slice with `value` written over record `index`'s first line at `column`."""
    records = [list(record) for record in SLICE.records]
    line = records[index][0]
    at = column - 1
    records[index][0] = line[:at] + value + line[at + len(value) :]
    return SLICE.replaced(records).data()


def with_date(index: int, column: int, value: str) -> bytes:
    """The slice with `value` written over one date of record `index`'s first line."""
    return overwritten(index, column, value.encode("cp1252"))


@FUZZ
@given(index=RECORDS, column=st.sampled_from(sorted(DATES)), value=NOT_DIGITS)
def test_a_date_that_is_not_digits_is_refused_at_its_line(
    store, tmp_path, snapshot, index, column, value
):
    path = write_release(tmp_path, with_date(index, column, value), None)

    result = try_load(store, path)

    assert result == (
        "refused",
        f"{path}: line {SLICE.first_line(index)}: "
        f"{DATES[column]} {value.strip()!r} is not a YYYYMMDD date",
    )
    assert snapshot(store.engine) == store.before


@FUZZ
@given(index=RECORDS, column=st.sampled_from(sorted(DATES)), value=IMPOSSIBLE_DAYS)
def test_a_date_that_is_no_day_is_refused_at_its_line(
    store, tmp_path, snapshot, index, column, value
):
    path = write_release(tmp_path, with_date(index, column, value), None)

    result = try_load(store, path)

    assert result == (
        "refused",
        f"{path}: line {SLICE.first_line(index)}: "
        f"{DATES[column]} {value!r} is not a real date",
    )
    assert snapshot(store.engine) == store.before


@FUZZ
@given(
    index=RECORDS,
    column=st.sampled_from(sorted(DATES)),
    day=st.dates(date(1900, 1, 1), date(2099, 12, 31)),
)
def test_a_real_date_is_stored_as_written(store, tmp_path, index, column, day):
    path = write_release(tmp_path, with_date(index, column, f"{day:%Y%m%d}"), None)
    expected = stored_records(store.engine, "2019")
    expected[SLICE.code(index)][DATE_FIELDS[column]] = day

    result = try_load(store, path)

    assert result == ("loaded", expected)


@FUZZ
@given(index=RECORDS, boundary=BOUNDARIES)
def test_a_code_written_twice_is_refused_naming_both_lines(
    store, tmp_path, snapshot, index, boundary
):
    records = list(SLICE.records)
    records.insert(boundary, records[index])
    twice = SLICE.replaced(records)
    original = index + 1 if boundary <= index else index
    first, second = sorted((twice.first_line(original), twice.first_line(boundary)))
    path = write_release(tmp_path, twice.data(), None)

    result = try_load(store, path)

    assert result == (
        "refused",
        f"{path}: line {second}: code {SLICE.code(index)} appears twice "
        f"(first at line {first})",
    )
    assert snapshot(store.engine) == store.before


CONTINUED = [i for i, record in enumerate(SLICE.records) if len(record) > 1]


@FUZZ
@given(index=st.sampled_from(CONTINUED), boundary=RECORDS)
def test_a_continuation_line_away_from_its_first_line_is_refused_at_its_line(
    store, tmp_path, snapshot, index, boundary
):
    records = [list(record) for record in SLICE.records]
    continuation = records[index].pop()
    # Any place between records but its own: the one right after record `index`.
    place = boundary + (boundary > index)
    records.insert(place, [continuation])
    moved = SLICE.replaced(records)
    path = write_release(tmp_path, moved.data(), None)

    result = try_load(store, path)

    assert result == (
        "refused",
        f"{path}: line {moved.first_line(place)}: "
        f"continuation line for {SLICE.code(index)} has no first line before it",
    )
    assert snapshot(store.engine) == store.before


# Text fields the store keeps as they are read (lists go in as JSON, which
# writes a NUL as an escape): PostgreSQL refuses a NUL in any of them.
TEXT_FIELDS = [
    "long_description",
    "short_description",
    "multiple_pricing_indicator",
    "statute",
    "coverage",
    "asc_payment_group",
    "mog_payment_group",
    "mog_payment_policy",
    "processing_note",
    "betos",
    "action_code",
]


@FUZZ
@given(index=RECORDS, name=st.sampled_from(TEXT_FIELDS))
def test_a_nul_in_a_text_field_is_refused_at_its_line_on_every_backend(
    store, tmp_path, snapshot, index, name
):
    path = write_release(
        tmp_path, overwritten(index, LAYOUT[name].start, b"\x00"), None
    )

    result = try_load(store, path)

    assert result == (
        "refused",
        f"{path}: line {SLICE.first_line(index)}: "
        f"{name.replace('_', ' ')} holds a NUL character",
    )
    assert snapshot(store.engine) == store.before
