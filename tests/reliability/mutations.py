"""Hypothesis strategies that damage a release text the ways real files get damaged."""

from hypothesis import strategies as st

# Bytes that trip readers up: line ends, NUL, form feed and other breaks that
# str.splitlines knows, cp1252's undefined 0x81, no-break space, curly quote,
# superscript two (a digit to str.isdigit, not to int), JSON's escapes.
AWKWARD_BYTES = b'\r\n\x00\x0c\x0b\x1c\x81\x8d\xa0\x92\xb2\xb9\xe9\xff"\\\t '

awkward_bytes = st.one_of(
    st.binary(min_size=1, max_size=6),
    st.lists(st.sampled_from(AWKWARD_BYTES), min_size=1, max_size=6).map(bytes),
)
cp1252_bytes = st.lists(st.integers(0x80, 0xFF), min_size=1, max_size=4).map(bytes)
LINE_ENDS = (b"\r\n", b"\n", b"\r")


def _join(lines: list[bytes]) -> bytes:
    return b"".join(lines)


def _split(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


@st.composite
def truncated(draw, lines: list[bytes]) -> list[bytes]:
    data = _join(lines)
    return _split(data[: draw(st.integers(0, len(data)))])


@st.composite
def bytes_inserted(draw, lines: list[bytes]) -> list[bytes]:
    data = _join(lines)
    at = draw(st.integers(0, len(data)))
    return _split(data[:at] + draw(awkward_bytes) + data[at:])


@st.composite
def bytes_replaced(draw, lines: list[bytes]) -> list[bytes]:
    data = _join(lines)
    new = draw(st.one_of(awkward_bytes, cp1252_bytes))
    at = draw(st.integers(0, max(0, len(data) - len(new))))
    return _split(data[:at] + new + data[at + len(new) :])


@st.composite
def bytes_overwritten(draw, lines: list[bytes]) -> list[bytes]:
    """A few bytes of one line overwritten in place, every column kept where it was."""
    lines = list(lines)
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index].rstrip(b"\r\n")
    new = draw(st.one_of(awkward_bytes, cp1252_bytes))
    at = draw(st.integers(0, max(0, len(line) - len(new))))
    lines[index] = line[:at] + new + lines[index][at + len(new) :]
    return lines


@st.composite
def columns_shifted(draw, lines: list[bytes]) -> list[bytes]:
    """Spaces added or removed inside one line, moving every column after them."""
    lines = list(lines)
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    column = draw(st.integers(0, len(line)))
    shift = draw(st.sampled_from((-3, -2, -1, 1, 2, 3)))
    if shift > 0:
        lines[index] = line[:column] + b" " * shift + line[column:]
    else:
        lines[index] = line[:column] + line[column - shift :]
    return lines


@st.composite
def date_overwritten(draw, lines: list[bytes]) -> list[bytes]:
    """Eight characters written over one of a line's date columns."""
    lines = list(lines)
    index = draw(st.integers(0, len(lines) - 1))
    start = draw(st.sampled_from((233, 245, 269, 277, 285))) - 1
    value = draw(st.binary(min_size=8, max_size=8) | st.from_regex(rb"\A\d{8}\Z"))
    lines[index] = lines[index][:start] + value + lines[index][start + 8 :]
    return lines


@st.composite
def line_copied(draw, lines: list[bytes]) -> list[bytes]:
    """One line written twice: a second first line makes a code appear twice."""
    lines = list(lines)
    line = draw(st.sampled_from(lines))
    lines.insert(draw(st.integers(0, len(lines))), line)
    return lines


@st.composite
def line_moved(draw, lines: list[bytes]) -> list[bytes]:
    """One line moved elsewhere: a continuation line may lose its first line."""
    lines = list(lines)
    line = lines.pop(draw(st.integers(0, len(lines) - 1)))
    lines.insert(draw(st.integers(0, len(lines))), line)
    return lines


@st.composite
def line_ends_mixed(draw, lines: list[bytes]) -> list[bytes]:
    ends = st.sampled_from(LINE_ENDS)
    return [line.rstrip(b"\r\n") + draw(ends) for line in lines]


DAMAGES = (
    truncated,
    bytes_inserted,
    bytes_replaced,
    bytes_overwritten,
    columns_shifted,
    date_overwritten,
    line_copied,
    line_moved,
    line_ends_mixed,
)


@st.composite
def damaged(draw, lines: list[bytes]) -> bytes:
    """A text after one to three damages of any kind, in any order."""
    for _ in range(draw(st.integers(1, 3))):
        if lines:
            damage = draw(st.sampled_from(DAMAGES))
            lines = draw(damage(lines))
    return _join(lines)
