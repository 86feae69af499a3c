"""The fixed-width reader on real record lines and on lines made from them."""

import zipfile

import pytest

from db.fixed_width import MAX_CONTINUATIONS, read_records
from db.records import RecordError
from tests.conftest import annual_zip


def g0480_lines() -> list[str]:
    """G0480's first line and its eleven continuation lines in the 2019 TXT."""
    with zipfile.ZipFile(annual_zip(2019)) as release:
        text = release.read("HCPC2019_CONTR_ANWEB.txt").decode("cp1252")
    return [line for line in text.splitlines() if line.startswith("G0480")]


def test_continuation_lines_join_to_the_long_description():
    lines = g0480_lines()

    (record,) = read_records(lines)

    assert len(lines) == 12
    assert record.long_description.startswith(
        "Drug test(s), definitive, utilizing (1) drug identification methods able "
        "to identify individual drugs"
    )
    assert record.long_description.endswith(
        "per day; 1-7 drug class(es), including metabolite(s) if performed"
    )


def test_a_long_description_past_the_continuation_limit_is_refused():
    first, continuation = g0480_lines()[:2]
    lines = [first] + [continuation] * (MAX_CONTINUATIONS + 1)

    with pytest.raises(RecordError) as refused:
        list(read_records(lines))

    assert str(refused.value) == (
        f"long description of G0480 runs past {MAX_CONTINUATIONS} continuation lines"
    )
    assert refused.value.line == MAX_CONTINUATIONS + 2
