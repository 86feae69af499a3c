"""Plausible quarterly releases derived from the real ones, at measured rates.

Rates come from the real annual diffs (2017->2018->2019->2020): how many codes
a year are added, discontinued and changed, which fields a change touches and
how many at once, and how long a discontinued code stays in the file. Each
quarter applies a quarter of a year's rates to the release before it.
"""

import random
import statistics
import string
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from db.changes import COMPARED_FIELDS, field_changes
from db.records import PROCEDURE, Record

# Fields a change may touch besides the action effective date; the code's
# added date is CMS's record of history and is left alone.
CHANGEABLE = tuple(
    f for f in COMPARED_FIELDS if f not in ("action_effective_date", "added_date")
)
SHORT_DESCRIPTION_WIDTH = 28


@dataclass
class Rates:
    """What a year of real releases did, averaged over the years measured."""

    added: float
    discontinued: float
    changed: float
    # Share of changes that start a new version rather than restate one.
    new_version: float
    fields_per_change: Counter
    changed_fields: Counter
    change_actions: Counter
    # Years a discontinued code stays in the file before it drops out.
    years_kept: int

    def describe(self) -> str:
        fields = ", ".join(f"{n} {c}" for n, c in self.changed_fields.most_common(5))
        return (
            f"a year: {self.added:.0f} added, {self.discontinued:.0f} discontinued, "
            f"{self.changed:.0f} changed ({self.new_version:.0%} as a new version); "
            f"fields changed: {fields}; discontinued codes drop from the file "
            f"after {self.years_kept} years"
        )


def measure_rates(releases: list[tuple[date, list[Record]]]) -> Rates:
    """Rates from consecutive annual releases, (effective date, records) each."""
    added = discontinued = changed = new_version = 0
    per_change: Counter = Counter()
    fields: Counter = Counter()
    actions: Counter = Counter()
    kept: list[int] = []
    for (_, earlier), (day, later) in zip(releases, releases[1:], strict=False):
        before = {r.code: r for r in earlier}
        after = {r.code: r for r in later}
        added += sum(code not in before for code in after)
        for code, old in before.items():
            new = after.get(code)
            if new is None:
                if old.termination_date:
                    kept.append(day.year - old.termination_date.year)
                continue
            if new.termination_date and not old.termination_date:
                discontinued += 1
                continue
            changes = field_changes(old.content(), new.content())
            if not changes:
                continue
            changed += 1
            names = [c.field for c in changes if c.field in CHANGEABLE]
            new_version += any(c.field == "action_effective_date" for c in changes)
            per_change[len(names)] += 1
            fields.update(names)
            actions[new.action_code] += 1
    years = len(releases) - 1
    return Rates(
        added=added / years,
        discontinued=discontinued / years,
        changed=changed / years,
        new_version=new_version / max(changed, 1),
        fields_per_change=per_change,
        changed_fields=fields,
        change_actions=actions,
        years_kept=int(statistics.median(kept)) if kept else 5,
    )


class QuarterlyReleases:
    """Releases a quarter apart, each derived from the one before."""

    def __init__(self, newest: list[Record], rates: Rates, seed: int = 2017):
        self.rates = rates
        self.random = random.Random(seed)
        self.records = {r.code: replace(r) for r in newest}
        self.values = _values_by_field(newest)
        self.used = set(self.records)
        # Models for added codes; CMS adds modifiers too rarely to matter here.
        self.models = [r for r in newest if r.kind == PROCEDURE]

    def following(self, start: date, count: int) -> Iterator[tuple[date, list]]:
        """`count` releases from `start` on, three months apart, with their records."""
        day = start
        for _ in range(count):
            self._quarter(day)
            records = [replace(self.records[code]) for code in sorted(self.records)]
            for number, record in enumerate(records, start=1):
                record.sequence_number = number
            yield day, records
            day = _months_later(day, 3)

    def _quarter(self, day: date) -> None:
        for record in self.records.values():
            record.action_code = "N"
        self._drop(day)
        active = [c for c, r in self.records.items() if r.termination_date is None]
        self.random.shuffle(active)
        discontinued = self._count(self.rates.discontinued)
        changed = self._count(self.rates.changed)
        for code in active[:discontinued]:
            self._discontinue(self.records[code], day)
        for code in active[discontinued : discontinued + changed]:
            self._change(self.records[code], day)
        for _ in range(self._count(self.rates.added)):
            self._add(day)

    def _count(self, per_year: float) -> int:
        """A quarter's share of a yearly rate, varied as real quarters vary."""
        return max(0, round(self.random.gauss(per_year / 4, per_year / 16)))

    def _drop(self, day: date) -> None:
        last_year = day.year - self.rates.years_kept
        for code, record in list(self.records.items()):
            ended = record.termination_date
            if ended and ended.year <= last_year:
                del self.records[code]

    def _discontinue(self, record: Record, day: date) -> None:
        record.termination_date = day - timedelta(days=1)
        record.action_effective_date = day
        record.action_code = "D"

    def _change(self, record: Record, day: date) -> None:
        rates = self.rates
        how_many = _pick(self.random, rates.fields_per_change)
        names: set[str] = set()
        while len(names) < how_many:
            names.add(_pick(self.random, rates.changed_fields))
        for name in sorted(names):
            setattr(record, name, self._new_value(record, name, day))
        if self.random.random() < rates.new_version:
            record.action_effective_date = day
        record.action_code = _pick(self.random, rates.change_actions)

    def _new_value(self, record: Record, name: str, day: date):
        if name == "long_description":
            word = self.random.choice(self.values["word"])
            return f"{record.long_description}, {word}"
        if name == "short_description":
            word = self.random.choice(self.values["word"])
            return f"{word} {record.short_description}"[:SHORT_DESCRIPTION_WIDTH]
        if name.endswith("_date"):
            return day
        return self.random.choice(self.values[name])

    def _add(self, day: date) -> None:
        model = self.random.choice(self.models)
        code = self._unused_code(model.code[0])
        self.records[code] = replace(
            model,
            code=code,
            added_date=day,
            action_effective_date=day,
            termination_date=None,
            action_code="A",
        )

    def _unused_code(self, letter: str) -> str:
        while True:
            code = letter + "".join(self.random.choices(string.digits, k=4))
            if code not in self.used:
                self.used.add(code)
                return code


def _values_by_field(records: list[Record]) -> dict[str, list]:
    """Each changeable field's values as the real records hold them."""
    values: dict[str, list] = {
        name: [getattr(r, name) for r in records] for name in CHANGEABLE
    }
    values["word"] = sorted(
        {w for r in records for w in r.long_description.lower().split() if w.isalpha()}
    )
    return values


def _pick(generator: random.Random, counts: Counter):
    items = list(counts)
    return generator.choices(items, weights=[counts[i] for i in items])[0]


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)
