"""Where a code's versions sit on a time axis, as percentages of its width."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from api.timeline_steps import anchor
from db.temporal import Version

# At most this many year labels; longer spans label every few years.
MAX_YEAR_LABELS = 12
# Release labels closer than this (percent of the axis) to the last one shown
# would overlap it; they keep their tick and lose their label.
MIN_LABEL_GAP = 5.0


@dataclass(frozen=True)
class Segment:
    """A span of the axis: a version in use, or the time after its termination."""

    left: float
    width: float
    state: str  # "active", "open" (no end yet) or "ended" (out of use)
    start: date
    last_day: date | None  # None when it runs on past the axis
    anchor: str
    number: int | None  # the version's place in the history; None on a tail


@dataclass(frozen=True)
class Mark:
    """A labelled point on the axis: a termination, a year, or a release."""

    left: float
    label: str
    shown: bool = True


@dataclass(frozen=True)
class Axis:
    start: date
    end: date
    segments: list[Segment]
    terminations: list[Mark]
    years: list[Mark]
    releases: list[Mark]


@dataclass(frozen=True)
class _Placed:
    number: int
    version: Version
    anchor: str
    following: date | None


def _bounds(dated: list[Version], newest_release: date | None) -> tuple[date, date]:
    """Whole years from the earliest date shown to past the latest and the release."""
    days = [v.action_effective_date for v in dated]
    days += [v.termination_date for v in dated if v.termination_date]
    days += [v.valid_to for v in dated if v.valid_to]
    first = min(days)
    last = max([*days, newest_release or first])
    return date(first.year, 1, 1), date(last.year + 1, 1, 1)


def _segments(placed: _Placed, end: date, at: Callable[[date], float]) -> list:
    version = placed.version
    begins = version.action_effective_date
    following = placed.following or end

    def segment(start: date, stop: date, state: str, number=None) -> Segment:
        """The span from `start` up to the day before `stop`."""
        runs_on = placed.following is None and stop == end
        last_day = None if runs_on else stop - timedelta(days=1)
        width = round(at(stop) - at(start), 3)
        return Segment(at(start), width, state, start, last_day, placed.anchor, number)

    ended = version.termination_date
    if ended is not None and ended < begins:
        # A discontinuation record: the code was already out of use.
        return [segment(begins, following, "ended", placed.number)]
    if version.valid_to is None:
        state = "active" if placed.following else "open"
        return [segment(begins, following, state, placed.number)]
    stops = version.valid_to + timedelta(days=1)
    found = [segment(begins, stops, "active", placed.number)]
    if stops < following:
        found.append(segment(stops, following, "ended"))
    return found


def build_axis(history: list[Version], releases: list[tuple[str, date]]) -> Axis | None:
    """The axis of the dated versions; None when no version has a date.

    `releases` are (label, effective date) of the releases known, oldest first.
    """
    numbered = [
        (number, version)
        for number, version in enumerate(history, 1)
        if version.action_effective_date is not None
    ]
    if not numbered:
        return None
    following = [version.action_effective_date for _, version in numbered[1:]]
    placed = [
        _Placed(number, version, anchor(version), later)
        for (number, version), later in zip(numbered, [*following, None], strict=True)
    ]
    start, end = _bounds(
        [p.version for p in placed], releases[-1][1] if releases else None
    )
    span = (end - start).days

    def at(day: date) -> float:
        return round(100 * (day - start).days / span, 3)

    segments = [s for p in placed for s in _segments(p, end, at)]
    terminations = sorted(
        {
            Mark(at(ended + timedelta(days=1)), f"last day {ended.isoformat()}")
            for ended in (p.version.termination_date for p in placed)
            if ended
        },
        key=lambda mark: mark.left,
    )
    every = -(-(end.year - start.year) // MAX_YEAR_LABELS)
    years = [
        Mark(at(date(y, 1, 1)), str(y)) for y in range(start.year, end.year, every)
    ]
    known = [(at(day), label) for label, day in releases if start <= day < end]
    return Axis(start, end, segments, terminations, years, _spaced(known))


def _spaced(points: list[tuple[float, str]]) -> list[Mark]:
    marks = []
    last_shown = None
    for left, label in points:
        shown = last_shown is None or left - last_shown >= MIN_LABEL_GAP
        marks.append(Mark(left, label, shown))
        if shown:
            last_shown = left
    return marks
