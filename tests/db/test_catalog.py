"""The in-memory catalog after a load: extended by the new release, or rebuilt."""

import pytest

import db.catalog
from db.catalog import CatalogCache, build_catalog, store_generation
from tests.conftest import annual_zip, load_path


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """The positions of catalogs built from every statement, as they are built."""
    built: list[int] = []

    def counted(conn, position):
        built.append(position)
        return build_catalog(conn, position)

    monkeypatch.setattr(db.catalog, "build_catalog", counted)
    return built


def newest_catalog(engine, cache: CatalogCache):
    with engine.connect() as conn:
        generation = store_generation(conn)
        return cache.get(conn, generation, generation[0])


def fresh_catalog(engine, position: int):
    with engine.connect() as conn:
        return build_catalog(conn, position)


def test_a_release_loaded_last_extends_the_catalog_as_a_rebuild_would(engine, builds):
    cache = CatalogCache()
    for year in (2017, 2018, 2019):
        load_path(engine, annual_zip(year))
    before = newest_catalog(engine, cache)
    histories_before = dict(before.histories)

    load_path(engine, annual_zip(2020))
    extended = newest_catalog(engine, cache)

    assert builds == [3]  # the 2020 catalog was not built from scratch
    assert extended.position == 4
    assert extended.histories == fresh_catalog(engine, 4).histories
    assert list(extended.histories) == sorted(extended.histories)
    # The catalog extended is left as it was.
    assert before.histories == histories_before == fresh_catalog(engine, 3).histories
    # Real-data facts through the extended catalog: Q4212 arrived with 2020;
    # B4105 is one version restated with other values in 2020.
    assert [v.action_effective_date.isoformat() for v in extended.history("Q4212")] == [
        "2019-10-01"
    ]
    [b4105] = [
        v for v in extended.history("B4105") if v.action_effective_date.year == 2019
    ]
    assert [[s.release_label for s in r.statements] for r in b4105.revisions] == [
        ["2019"],
        ["2020"],
    ]


def test_a_release_ranked_before_others_rebuilds_the_catalog(engine, builds):
    cache = CatalogCache()
    for year in (2017, 2018, 2020):
        load_path(engine, annual_zip(year))
    newest_catalog(engine, cache)

    load_path(engine, annual_zip(2019))  # ranks third of four: positions move
    rebuilt = newest_catalog(engine, cache)

    assert builds == [3, 4]
    assert rebuilt.histories == fresh_catalog(engine, 4).histories
