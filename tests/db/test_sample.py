from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from db.changes import ChangeKind
from db.models import Revision
from db.queries import histories, known_position, releases
from db.sample import SAMPLE_RELEASES, load_sample
from db.temporal import Version, in_force


@pytest.fixture
def sample(engine) -> Engine:
    load_sample(engine)
    return engine


def history(engine: Engine, code: str, known_at: str | None = None) -> list[Version]:
    with engine.connect() as conn:
        position = known_position(conn, known_at)
        return histories(conn, [code], position)[code]


def statements(version: Version) -> list[tuple[str, str | None]]:
    return [(s.release_label, s.action_code) for s in version.stated_in]


def test_sample_releases_are_packaged_files_oldest_first():
    days = [release.effective_date for release in SAMPLE_RELEASES]

    assert [release.label for release in SAMPLE_RELEASES] == [
        "2019",
        "2020",
        "2021",
        "2026",
    ]
    assert days == sorted(days)
    assert all(release.path.is_file() for release in SAMPLE_RELEASES)


def test_load_sample_loads_four_releases_in_order(engine):
    summaries = load_sample(engine)

    assert [(s.label, s.codes_read) for s in summaries] == [
        ("2019", 24),
        ("2020", 28),
        ("2021", 29),
        ("2026", 27),
    ]
    assert [s.compared_with for s in summaries] == [None, "2019", "2020", "2021"]
    assert [dict(s.changes) for s in summaries] == [
        {ChangeKind.ADDED: 24},
        {ChangeKind.ADDED: 4, ChangeKind.CHANGED: 3, ChangeKind.DISCONTINUED: 2},
        {ChangeKind.ADDED: 1, ChangeKind.CHANGED: 1},
        {
            ChangeKind.ADDED: 1,
            ChangeKind.CHANGED: 1,
            ChangeKind.DISCONTINUED: 1,
            ChangeKind.DROPPED_FROM_FILE: 3,
        },
    ]
    with engine.connect() as conn:
        loaded = [(r.label, r.effective_date, r.position) for r in releases(conn)]
    assert loaded == [
        ("2019", date(2019, 1, 1), 1),
        ("2020", date(2020, 1, 1), 2),
        ("2021", date(2021, 1, 1), 3),
        ("2026", date(2026, 1, 1), 4),
    ]


def test_load_sample_holds_thirty_codes_of_both_kinds(sample):
    query = select(Revision.kind, func.count(func.distinct(Revision.code))).group_by(
        Revision.kind
    )

    with sample.connect() as conn:
        counts = dict(conn.execute(query).all())

    assert counts == {"modifier": 8, "procedure": 22}


def test_load_sample_twice_changes_nothing(sample, snapshot):
    before = snapshot(sample)

    summaries = load_sample(sample)

    assert [s.already_loaded for s in summaries] == [True, True, True, True]
    assert snapshot(sample) == before


def test_sample_q4212_in_force_in_2026_has_the_published_values(sample):
    versions = history(sample, "Q4212")

    version = in_force(versions, date(2026, 6, 1))

    assert version.action_effective_date == date(2026, 1, 1)
    assert statements(version) == [("2026", "N")]
    content = version.content
    assert content["long_description"] == "Allogen, per cc"
    assert content["short_description"] == "Allogen, per cc"
    assert content["pricing_indicators"] == ["13"]
    assert content["multiple_pricing_indicator"] == "A"
    assert content["coverage"] == "C"
    assert content["betos"] == "O1E"
    assert content["types_of_service"] == ["1"]
    assert content["anesthesia_base_units"] == 0
    assert content["added_date"] == date(2019, 10, 1)
    assert content["termination_date"] is None


def test_sample_q4212_was_added_in_2019_10_with_drug_pricing(sample):
    versions = history(sample, "Q4212")

    added = in_force(versions, date(2020, 6, 1))

    assert [v.action_effective_date for v in versions] == [
        date(2019, 10, 1),
        date(2026, 1, 1),
    ]
    assert statements(added) == [("2020", "A"), ("2021", "N")]
    assert added.content["pricing_indicators"] == ["51"]
    assert added.valid_to == date(2025, 12, 31)
    assert in_force(versions, date(2019, 9, 30)) is None


def test_sample_q4212_known_at_2021_keeps_drug_pricing_in_2026(sample):
    versions = history(sample, "Q4212", known_at="2021")

    version = in_force(versions, date(2026, 6, 1))

    assert version.action_effective_date == date(2019, 10, 1)
    assert version.content["pricing_indicators"] == ["51"]


def test_sample_b4105_correction_is_two_revisions_of_one_version(sample):
    (version,) = history(sample, "B4105")

    first, corrected = version.revisions

    assert version.action_effective_date == date(2019, 1, 1)
    assert [s.release_label for s in first.statements] == ["2019"]
    assert [s.release_label for s in corrected.statements] == ["2020", "2021", "2026"]
    assert (
        first.content["pricing_indicators"],
        first.content["coverage"],
        first.content["processing_note"],
    ) == (["00"], "D", "0217")
    assert (
        corrected.content["pricing_indicators"],
        corrected.content["coverage"],
        corrected.content["processing_note"],
    ) == (["39"], "C", None)
    assert version.current is corrected


def test_sample_b4105_known_at_2019_is_the_uncorrected_record(sample):
    (version,) = history(sample, "B4105", known_at="2019")

    assert len(version.revisions) == 1
    assert version.content["coverage"] == "D"


def test_sample_c9408_is_discontinued_with_a_cross_reference(sample):
    versions = history(sample, "C9408")

    ended = in_force(versions, date(2020, 6, 1))

    assert [v.action_effective_date for v in versions] == [
        date(2019, 1, 1),
        date(2020, 1, 1),
    ]
    assert statements(versions[0]) == [("2019", "A")]
    assert versions[0].valid_to == date(2019, 12, 31)
    assert statements(ended) == [("2020", "D"), ("2021", "N")]
    assert ended.termination_date == date(2019, 12, 31)
    assert ended.content["cross_references"] == ["A9590"]
    assert versions[0].status_on(date(2019, 6, 1)) == "ACTIVE"
    assert ended.status_on(date(2026, 6, 1)) == "DISCONTINUED"


def test_sample_c9408_replacement_a9590_is_added_in_2020(sample):
    (version,) = history(sample, "A9590")

    assert version.action_effective_date == date(2020, 1, 1)
    assert statements(version) == [("2020", "A"), ("2021", "N"), ("2026", "N")]
    assert version.content["long_description"] == "Iobenguane i-131, per millicurie"


def test_sample_c9040_first_appears_already_discontinued(sample):
    (version,) = history(sample, "C9040")

    assert statements(version) == [("2020", "D"), ("2021", "N")]
    assert version.content["added_date"] == date(2019, 4, 1)
    assert version.action_effective_date == date(2019, 10, 1)
    assert version.termination_date == date(2019, 9, 30)
    assert version.content["cross_references"] == ["J3031"]
    assert history(sample, "J3031")[0].content["added_date"] == date(2019, 10, 1)


def test_sample_modifier_gd_is_discontinued_then_dropped(sample):
    versions = history(sample, "GD")

    assert [statements(v) for v in versions] == [
        [("2019", "N")],
        [("2020", "D"), ("2021", "N")],
    ]
    assert versions[-1].content["kind"] == "modifier"
    assert versions[-1].termination_date == date(2019, 12, 31)


def test_sample_g2012_discontinued_between_releases(sample):
    versions = history(sample, "G2012")

    active = in_force(versions, date(2024, 6, 1))
    ended = in_force(versions, date(2025, 6, 1))

    assert statements(active) == [("2019", "A"), ("2020", "N"), ("2021", "N")]
    assert active.valid_to == date(2024, 12, 31)
    assert active.status_on(date(2024, 6, 1)) == "ACTIVE"
    assert statements(ended) == [("2026", "N")]
    assert ended.action_effective_date == date(2025, 1, 1)
    assert ended.termination_date == date(2024, 12, 31)
    assert ended.content["cross_references"] == ["98016"]
    assert ended.status_on(date(2025, 6, 1)) == "DISCONTINUED"


def test_sample_b4185_long_description_change(sample):
    before, after = history(sample, "B4185")

    assert statements(after) == [("2020", "C"), ("2021", "N"), ("2026", "N")]
    assert after.action_effective_date == date(2020, 1, 1)
    assert before.content["long_description"] == (
        "Parenteral nutrition solution, lipids, per 10 grams"
    )
    assert after.content["long_description"] == (
        "Parenteral nutrition solution, lipids, not otherwise specified, per 10 grams"
    )
    assert after.content["short_description"] == before.content["short_description"]
    assert after.content["processing_note"] == "0126"


def test_sample_j1746_short_description_change(sample):
    before, after = history(sample, "J1746")

    assert statements(before) == [("2019", "A")]
    assert statements(after) == [("2020", "S"), ("2021", "N"), ("2026", "N")]
    assert before.content["short_description"] == "Ibalizumab-uiyk inj 10mg"
    assert after.content["short_description"] == "Inj ibalizumab-uiyk 10 mg"
    assert after.content["long_description"] == before.content["long_description"]


def test_sample_g0476_pricing_change(sample):
    before, after = history(sample, "G0476")

    assert statements(after) == [("2021", "P"), ("2026", "N")]
    assert after.action_effective_date == date(2021, 1, 1)
    assert before.content["pricing_indicators"] == ["13"]
    assert after.content["pricing_indicators"] == ["21"]
    assert after.content["lab_certifications"] == ["140"]


def test_sample_g2211_is_added_in_2021(sample):
    (version,) = history(sample, "G2211")

    assert statements(version) == [("2021", "A"), ("2026", "N")]
    assert version.action_effective_date == date(2021, 1, 1)
    assert history(sample, "G2211", known_at="2020") == []


def test_sample_modifier_ga_joins_its_long_description_lines(sample):
    (version,) = history(sample, "GA")

    assert version.content["kind"] == "modifier"
    assert version.content["long_description"] == (
        "Waiver of liability notice issued to the patient as the payer's policy "
        "requires, for this individual case, before an item or service that may "
        "not be covered is furnished"
    )
    assert version.content["short_description"] == "Waiver of liability on file"
    assert statements(version) == [
        ("2019", "N"),
        ("2020", "N"),
        ("2021", "N"),
        ("2026", "N"),
    ]


def test_sample_modifier_jz_first_appears_in_2026(sample):
    (version,) = history(sample, "JZ")

    assert statements(version) == [("2026", "N")]
    assert version.content["added_date"] == date(2022, 7, 1)


def test_sample_carries_lab_certifications_and_processing_notes(sample):
    lab = in_force(history(sample, "G0306"), date(2026, 6, 1))
    noted = in_force(history(sample, "G0101"), date(2026, 6, 1))

    assert lab.content["lab_certifications"] == ["400"]
    assert lab.content["types_of_service"] == ["5"]
    assert noted.content["processing_note"] == "0064"
