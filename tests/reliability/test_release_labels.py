"""A release label the store cannot keep is refused before anything is written."""

from datetime import date

import pytest

from db.load import LoadError, load_release
from db.sources import read_source
from tests.reliability.release_slice import MEMBER_2019, slice_2019


def test_label_longer_than_the_store_keeps_is_refused(engine, tmp_path, snapshot):
    path = tmp_path / MEMBER_2019
    path.write_bytes(slice_2019().data())
    label = "2019-" + "x" * 36
    before = snapshot(engine)

    with pytest.raises(LoadError) as error:
        load_release(engine, read_source(path), label, date(2019, 1, 1))

    assert str(error.value) == (
        f"{path}: release label {label!r} is 41 characters long; a label has at most 40"
    )
    assert snapshot(engine) == before


def test_label_as_long_as_the_store_keeps_is_loaded(engine, tmp_path):
    path = tmp_path / MEMBER_2019
    path.write_bytes(slice_2019().data())
    label = "2019-" + "x" * 35

    summary = load_release(engine, read_source(path), label, date(2019, 1, 1))

    assert (summary.label, summary.codes_read) == (label, 40)
