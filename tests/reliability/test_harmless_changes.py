"""Line ends, padding and disclaimer bytes change no record, and no line number."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.reliability.loading import (
    FUZZ,
    Store,
    baseline_store,
    try_load,
    write_release,
)
from tests.reliability.mutations import LINE_ENDS, cp1252_bytes
from tests.reliability.release_slice import MEMBER_2019, slice_2019
from tests.reliability.stored import stored_records

SLICE = slice_2019()
# Tabs and blanks to pad with; a first line is read no further than column 320,
# a continuation line no further than column 91.
PADDING = st.text(" \t", max_size=40).map(str.encode)


@pytest.fixture(scope="module")
def store(databases, tmp_path_factory) -> Store:
    return baseline_store(databases, tmp_path_factory)


@st.composite
def restyled(draw) -> bytes:
    """The slice with other line ends, padding and cp1252 bytes in the disclaimer."""
    lines = [line.rstrip(b"\r\n") for line in SLICE.lines()]
    for index, line in enumerate(lines):
        if index < len(SLICE.head):
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(cp1252_bytes) + line[at:]
        elif line[10:11] in (b"4", b"8"):
            lines[index] = line.rstrip(b" ")[: draw(st.integers(91, 320))]
            lines[index] = lines[index].ljust(91) + draw(PADDING)
        else:
            lines[index] = line + draw(PADDING)
    ends = draw(
        st.lists(st.sampled_from(LINE_ENDS), min_size=len(lines), max_size=len(lines))
    )
    text = b"".join(line + end for line, end in zip(lines, ends, strict=True))
    # A CR, then an empty line ending in LF, would read as one CR LF.
    assume(text.count(b"\r\n") == ends.count(b"\r\n"))
    return text


@FUZZ
@given(data=restyled(), member=st.sampled_from([None, MEMBER_2019]))
def test_restyled_release_stores_the_same_records_at_the_same_lines(
    store, tmp_path, data, member
):
    path = write_release(tmp_path, data, member)

    result = try_load(store, path)

    assert result == ("loaded", stored_records(store.engine, "2019"))
