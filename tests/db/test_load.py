import threading
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from db.changes import ChangeKind
from db.load import LoadError, load_release
from db.models import Release, Revision, Statement
from db.queries import histories, in_force_select, known_position
from db.records import MODIFIER, PROCEDURE
from db.sources import read_source
from tests.conftest import annual_zip, load_path

ANNUAL_YEARS = (2017, 2018, 2019, 2020)
ADDED = ChangeKind.ADDED
DISCONTINUED = ChangeKind.DISCONTINUED
CHANGED = ChangeKind.CHANGED
DROPPED = ChangeKind.DROPPED_FROM_FILE

# Counted on CMS's files (../shared/data/cms/README.md).
CODES = {"2017": 6498, "2018": 6559, "2019": 6800, "2020": 7079}
KINDS = {
    "2017": {PROCEDURE: 6155, MODIFIER: 343},
    "2018": {PROCEDURE: 6205, MODIFIER: 354},
    "2019": {PROCEDURE: 6440, MODIFIER: 360},
    "2020": {PROCEDURE: 6710, MODIFIER: 369},
}
ACTION_CODES = {
    "2017": {"N": 5902, "A": 278, "D": 147, "C": 124, "P": 38, "T": 4, "S": 2,
             "B": 1, "F": 1, "R": 1},
    "2018": {"N": 6232, "A": 152, "P": 64, "C": 50, "D": 40, "S": 19, "F": 2},
    "2019": {"N": 6372, "A": 228, "C": 94, "P": 47, "D": 49, "S": 8, "B": 1, "F": 1},
    "2020": {"N": 6648, "A": 250, "D": 99, "C": 70, "P": 10, "S": 2},
}  # fmt: skip

G0480 = (
    "Drug test(s), definitive, utilizing (1) drug identification methods able to "
    "identify individual drugs and distinguish between structural isomers (but not "
    "necessarily stereoisomers), including, but not limited to gc/ms (any type, "
    "single or tandem) and lc/ms (any type, single or tandem and excluding "
    "immunoassays (e.g., ia, eia, elisa, emit, fpia) and enzymatic methods (e.g., "
    "alcohol dehydrogenase)), (2) stable isotope or other universally recognized "
    "internal standards in all samples (e.g., to control for matrix effects, "
    "interferences and variations in signal strength), and (3) method or "
    "drug-specific calibration and matrix-matched quality control material (e.g., "
    "to control for instrument variations and mass spectral drift); qualitative or "
    "quantitative, all sources, includes specimen validity testing, per day; 1-7 "
    "drug class(es), including metabolite(s) if performed"
)

AA = "Anesthesia services performed personally by anesthesiologist"

# The codes the 2019 release got wrong and the 2020 release restated with the
# same action effective date: field -> (2019 statement, 2020 statement).
RESTATED = {
    "B4105": {
        "pricing_indicators": (["00"], ["39"]),
        "multiple_pricing_indicator": ("9", "A"),
        "coverage": ("D", "C"),
        "processing_note": ("0217", None),
    },
    "Q9994": {
        "pricing_indicators": (["00"], ["39"]),
        "multiple_pricing_indicator": ("9", "A"),
        "cross_references": (["B4105"], []),
        "coverage": ("D", "C"),
        "processing_note": ("0217", None),
    },
    "C9468": {
        "cross_references": (["J7023"], ["J7203"]),
    },
}
SHORT_DESCRIPTIONS = {
    "B4105": "Enzyme cartridge enteral nut",
    "Q9994": "Enzyme cartridge enteral nut",
    "C9468": "Inj, factor ix, rebinyn",
}


@pytest.fixture(scope="module")
def loaded_in_order(databases):
    """The four annual releases loaded oldest first: (engine, summary by label).

    Tests may load into it only what must change nothing.
    """
    _, engine = databases.new()
    summaries = [load_path(engine, annual_zip(year)) for year in ANNUAL_YEARS]
    return engine, {summary.label: summary for summary in summaries}


def per_release(engine, column) -> dict[str, Counter]:
    """How many statements of each release have each value of `column`."""
    query = (
        select(Release.label, column, func.count())
        .select_from(Statement)
        .join(Release, Release.id == Statement.release_id)
        .join(Revision, Revision.id == Statement.revision_id)
        .group_by(Release.label, column)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    counts: dict[str, Counter] = {}
    for label, value, count in rows:
        counts.setdefault(label, Counter())[value] = count
    return counts


def history(engine, code: str, known_at: str | None = None):
    with engine.connect() as conn:
        position = known_position(conn, known_at)
        return histories(conn, [code], position)[code]


def test_load_states_every_code_of_each_release(loaded_engine):
    with loaded_engine.connect() as conn:
        releases = conn.execute(
            select(Release.label, Release.code_count, Release.position).order_by(
                Release.position
            )
        ).all()

    statements = per_release(loaded_engine, Statement.code)

    assert [tuple(row) for row in releases] == [
        ("2017", 6498, 1),
        ("2018", 6559, 2),
        ("2019", 6800, 3),
        ("2020", 7079, 4),
    ]
    assert {label: counts.total() for label, counts in statements.items()} == CODES


def test_load_stores_each_codes_kind(loaded_engine):
    kinds = per_release(loaded_engine, Revision.kind)

    assert kinds == KINDS


def test_load_keeps_each_statements_action_code(loaded_engine):
    action_codes = per_release(loaded_engine, Statement.action_code)

    assert action_codes == ACTION_CODES


def test_load_joins_continuation_lines_into_the_long_description(loaded_engine):
    versions = history(loaded_engine, "G0480")

    assert [v.action_effective_date for v in versions] == [
        date(2016, 1, 1),
        date(2017, 1, 1),
    ]
    assert versions[-1].content["long_description"] == G0480
    assert versions[-1].content["short_description"] == "Drug test def 1-7 classes"


def test_load_stores_modifiers_as_two_character_codes(loaded_engine):
    with loaded_engine.connect() as conn:
        rows = conn.execute(
            select(Revision.code, Revision.kind, Revision.long_description)
            .where(Revision.code.in_(["A1", "AA"]))
            .order_by(Revision.code)
        ).all()
        lengths = conn.execute(
            select(Revision.kind, func.length(Revision.code)).distinct()
        ).all()

    assert [tuple(row) for row in rows] == [
        ("A1", MODIFIER, "Dressing for one wound"),
        (
            "AA",
            MODIFIER,
            "Anesthesia services performed personally by anesthesiologist",
        ),
    ]
    assert sorted(lengths) == [(MODIFIER, 2), (PROCEDURE, 5)]


@pytest.mark.parametrize("code", sorted(RESTATED))
def test_load_keeps_a_restated_version_as_two_revisions(loaded_engine, code):
    with loaded_engine.connect() as conn:
        stored = conn.execute(
            select(Revision.action_effective_date).where(Revision.code == code)
        ).scalars()

    (version,) = history(loaded_engine, code)
    first, second = version.revisions

    assert sorted(stored) == [date(2019, 1, 1), date(2019, 1, 1)]
    assert version.action_effective_date == date(2019, 1, 1)
    assert [s.release_label for s in first.statements] == ["2019"]
    assert [s.release_label for s in second.statements] == ["2020"]
    assert version.current is second
    assert [s.release_label for s in version.stated_in] == ["2019", "2020"]


@pytest.mark.parametrize("code", sorted(RESTATED))
def test_load_keeps_each_statement_of_a_restated_version(loaded_engine, code):
    (version,) = history(loaded_engine, code)
    stated_2019, stated_2020 = (r.content for r in version.revisions)

    differences = {
        name: (value, stated_2020[name])
        for name, value in stated_2019.items()
        if value != stated_2020[name]
    }

    assert differences == RESTATED[code]
    assert stated_2019["short_description"] == SHORT_DESCRIPTIONS[code]
    assert stated_2020["short_description"] == SHORT_DESCRIPTIONS[code]
    assert stated_2020["action_effective_date"] == date(2019, 1, 1)


@pytest.mark.parametrize("code", sorted(RESTATED))
def test_load_keeps_what_2019_stated_known_at_2019(loaded_engine, code):
    (version,) = history(loaded_engine, code, known_at="2019")

    (revision,) = version.revisions

    assert [s.release_label for s in revision.statements] == ["2019"]
    assert {name: revision.content[name] for name in RESTATED[code]} == {
        name: values[0] for name, values in RESTATED[code].items()
    }


@pytest.mark.parametrize(
    ("known_at", "pricing", "coverage"),
    [("2019", '["00"]', "D"), ("2020", '["39"]', "C")],
)
def test_in_force_select_gives_the_revision_known_at_a_release(
    loaded_engine, known_at, pricing, coverage
):
    with loaded_engine.connect() as conn:
        position = known_position(conn, known_at)
        query = in_force_select(date(2019, 6, 1), position).subquery()
        row = conn.execute(select(query).where(query.c.code == "B4105")).one()

    assert (row.pricing_indicators, row.coverage) == (pricing, coverage)
    assert row.action_effective_date == date(2019, 1, 1)


def test_load_in_any_order_gives_the_same_store(engine, loaded_engine, snapshot):
    for year in (2020, 2018, 2017, 2019):
        load_path(engine, annual_zip(year))

    loaded = snapshot(engine)

    assert loaded == snapshot(loaded_engine)
    assert [(r["label"], r["position"]) for r in loaded["release"]] == [
        ("2017", 1),
        ("2018", 2),
        ("2019", 3),
        ("2020", 4),
    ]


def test_load_of_a_loaded_release_changes_nothing(loaded_in_order, snapshot):
    engine, _ = loaded_in_order
    before = snapshot(engine)

    summary = load_path(engine, annual_zip(2017))

    assert summary.already_loaded
    assert (summary.versions_added, summary.revisions_added) == (0, 0)
    assert summary.changes == Counter()
    assert snapshot(engine) == before


def test_load_refuses_another_file_under_a_loaded_label(loaded_in_order, snapshot):
    engine, _ = loaded_in_order
    before = snapshot(engine)

    with pytest.raises(LoadError) as error:
        load_path(engine, annual_zip(2018), "2017", date(2017, 1, 1))

    assert str(error.value) == (
        "release 2017 is already loaded from another file "
        "(2017-Alpha-Numeric-HCPCS-File.zip!HCPC17_CONTR_ANWEB.txt); "
        "a release label names one file"
    )
    assert snapshot(engine) == before


def test_load_refuses_a_loaded_file_under_another_label(loaded_in_order, snapshot):
    engine, _ = loaded_in_order
    before = snapshot(engine)

    with pytest.raises(LoadError) as error:
        load_path(engine, annual_zip(2017), "2017-04", date(2017, 4, 1))

    assert str(error.value) == (
        f"{annual_zip(2017)}: this file is already loaded as release 2017"
    )
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("label", "versions", "revisions", "compared_with", "changes"),
    [
        ("2017", 6498, 0, None, {ADDED: 6498}),
        ("2018", 333, 20, "2017",
         {ADDED: 168, DISCONTINUED: 29, CHANGED: 156, DROPPED: 107}),
        ("2019", 448, 7, "2018",
         {ADDED: 244, DISCONTINUED: 33, CHANGED: 180, DROPPED: 3}),
        ("2020", 565, 4, "2019", {ADDED: 279, DISCONTINUED: 89, CHANGED: 204}),
    ],
)  # fmt: skip
def test_load_summary_counts_changes_against_the_previous_release(
    loaded_in_order, label, versions, revisions, compared_with, changes
):
    summary = loaded_in_order[1][label]

    assert not summary.already_loaded
    assert summary.codes_read == CODES[label]
    assert (summary.versions_added, summary.revisions_added) == (versions, revisions)
    assert summary.compared_with == compared_with
    assert summary.changes == changes


def test_load_keeps_the_history_of_a_code_dropped_from_later_files(loaded_engine):
    # C1204 ended in 2013; the 2017 file still lists it, the 2018 file no longer.
    (version,) = history(loaded_engine, "C1204")

    with loaded_engine.connect() as conn:
        position = known_position(conn, None)
        query = in_force_select(date(2020, 6, 1), position).subquery()
        in_force = conn.execute(
            select(query.c.termination_date).where(query.c.code == "C1204")
        ).all()

    assert version.action_effective_date == date(2014, 1, 1)
    assert version.termination_date == date(2013, 12, 31)
    assert [(s.release_label, s.action_code) for s in version.stated_in] == [
        ("2017", "N")
    ]
    assert version.status_on(date(2020, 6, 1)) == "DISCONTINUED"
    assert [tuple(row) for row in in_force] == [(date(2013, 12, 31),)]


def test_load_ends_each_version_the_day_before_the_next(loaded_engine):
    versions = history(loaded_engine, "G8649")

    spans = [(v.action_effective_date, v.valid_to) for v in versions]

    assert spans == [
        (date(2017, 1, 1), date(2018, 12, 31)),
        (date(2019, 1, 1), date(2019, 12, 31)),
        (date(2020, 1, 1), None),
    ]
    assert [[s.action_code for s in v.stated_in] for v in versions] == [
        ["C", "N"],
        ["C"],
        ["D"],
    ]


def test_load_keeps_the_termination_date_of_a_discontinued_code(loaded_engine):
    versions = history(loaded_engine, "G8649")

    last = versions[-1]

    assert last.termination_date == date(2019, 12, 31)
    assert versions[-2].status_on(date(2019, 12, 31)) == "ACTIVE"
    assert last.status_on(date(2020, 1, 1)) == "DISCONTINUED"


def test_load_adds_a_later_termination_date_as_a_revision(loaded_engine):
    # The 2018 release restated G0364's 2005 version with a termination date,
    # which is also the day before the version that follows.
    first, second = history(loaded_engine, "G0364")

    assert (first.action_effective_date, first.valid_to) == (
        date(2005, 1, 1),
        date(2017, 12, 31),
    )
    assert first.termination_date == date(2017, 12, 31)
    assert [r.content["termination_date"] for r in first.revisions] == [
        None,
        date(2017, 12, 31),
    ]
    assert [(s.release_label, s.action_code) for s in first.stated_in] == [
        ("2017", "N"),
        ("2018", "D"),
    ]
    assert second.action_effective_date == date(2018, 1, 1)


def test_a_load_leaves_the_planner_statistics_to_find_a_codes_statements(
    loaded_engine,
):
    # The statement table has no index of its own on revision_id: a lookup
    # joining through it is fast only when the planner knows the table is
    # large and the release table small, from statistics the load refreshed.
    lookup = (
        "SELECT r.coverage, s.action_code FROM revision r"
        " JOIN statement s ON s.revision_id = r.id"
        " JOIN release rel ON rel.id = s.release_id"
        " WHERE r.code = 'B4105' AND r.action_effective_date <= '2020-06-01'"
        " ORDER BY r.action_effective_date DESC, rel.position DESC LIMIT 1"
    )
    with loaded_engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            plan = [
                row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {lookup}")
            ]
            scans = [step for step in plan if step.startswith("SCAN s")]
            analyzed = conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'statement'"
            ).scalar_one()
        else:
            plan = [row[0] for row in conn.exec_driver_sql(f"EXPLAIN {lookup}")]
            scans = [step for step in plan if "Seq Scan on statement" in step]
            analyzed = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stats WHERE tablename = 'statement'"
            ).scalar_one()
        found = conn.exec_driver_sql(lookup).one()

    assert analyzed >= 2
    assert scans == [], plan
    # The 2020 release restated the 2019 version, coverage D corrected to C.
    assert (found.coverage, found.action_code) == ("C", "N")


def test_loads_at_the_same_time_are_stored_one_after_the_other(engine):
    # SQLite's writers queue for the write lock; PostgreSQL's take turns on
    # an advisory lock. Either way neither load sees the other half done.
    load_path(engine, annual_zip(2017))
    sources = {year: read_source(annual_zip(year)) for year in (2018, 2019)}
    start = threading.Barrier(len(sources))
    summaries: dict[int, object] = {}

    def load(year: int) -> None:
        start.wait()
        summaries[year] = load_release(
            engine, sources[year], str(year), date(year, 1, 1)
        )

    threads = [threading.Thread(target=load, args=(year,)) for year in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with engine.connect() as conn:
        ranked = conn.execute(
            select(Release.label, Release.position).order_by(Release.position)
        ).all()
        stated = conn.execute(select(func.count()).select_from(Statement)).scalar_one()
    assert sorted(summaries) == [2018, 2019]
    assert [tuple(row) for row in ranked] == [("2017", 1), ("2018", 2), ("2019", 3)]
    assert stated == CODES["2017"] + CODES["2018"] + CODES["2019"]
