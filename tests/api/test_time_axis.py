"""Where versions sit on a code's time axis, on real histories."""

from datetime import date

import pytest

from api.time_axis import Mark, build_axis
from db.queries import histories, known_position, releases


@pytest.fixture(scope="module")
def axis_of(loaded_engine):
    with loaded_engine.connect() as conn:
        known = [(r.label, r.effective_date) for r in releases(conn)]
        found = histories(conn, ["C9447", "Q9994", "A5513"], known_position(conn, None))
    return lambda code: build_axis(found[code], known)


def spans(axis) -> list[tuple]:
    return [
        (s.start, s.last_day, s.state, s.number, s.left, s.width) for s in axis.segments
    ]


def test_axis_places_versions_by_their_dates(axis_of):
    axis = axis_of("C9447")

    assert (axis.start, axis.end) == (date(2015, 1, 1), date(2021, 1, 1))
    assert spans(axis) == [
        (date(2015, 1, 1), date(2017, 12, 31), "active", 1, 0.0, 50.0),
        (date(2018, 1, 1), date(2018, 9, 30), "active", 2, 50.0, 12.454),
        (date(2018, 10, 1), date(2019, 9, 30), "active", 3, 62.454, 16.652),
        (date(2019, 10, 1), None, "ended", 4, 79.106, 20.894),
    ]
    assert axis.terminations == [Mark(79.106, "last day 2019-09-30")]


def test_axis_starts_at_a_termination_before_the_first_version(axis_of):
    axis = axis_of("Q9994")

    assert axis.start == date(2018, 1, 1)
    assert spans(axis) == [(date(2019, 1, 1), None, "ended", 1, 33.303, 66.697)]
    assert axis.terminations == [Mark(33.303, "last day 2018-12-31")]
    assert [m.label for m in axis.years] == ["2018", "2019", "2020"]


def test_axis_leaves_out_a_version_without_action_effective_date(axis_of):
    axis = axis_of("A5513")

    assert [(s.number, s.state, s.last_day) for s in axis.segments] == [
        (1, "active", date(2018, 12, 31)),
        (2, "open", None),
    ]
    assert [m.label for m in axis.releases] == ["2017", "2018", "2019", "2020"]


def test_axis_hides_release_labels_that_would_overlap(loaded_engine):
    with loaded_engine.connect() as conn:
        history = histories(conn, ["C9447"], known_position(conn, None))["C9447"]
    quarterly = [("2020", date(2020, 1, 1)), ("2020-04", date(2020, 4, 1))]

    axis = build_axis(history, quarterly)

    assert [(m.label, m.shown) for m in axis.releases] == [
        ("2020", True),
        ("2020-04", False),
    ]
