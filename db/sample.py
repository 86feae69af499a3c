"""The small sample history that `hcpcs serve` loads into an empty database."""

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from db.load import LoadSummary, load_release
from db.sources import read_source

log = logging.getLogger("hcpcs.db.sample")

SAMPLE_DIR = Path(__file__).parent / "sample"


@dataclass(frozen=True)
class SampleRelease:
    label: str
    effective_date: date
    path: Path


# Oldest first; db/sample/README says what each release shows.
SAMPLE_RELEASES = (
    SampleRelease("2019", date(2019, 1, 1), SAMPLE_DIR / "sample-2019.txt"),
    SampleRelease("2020", date(2020, 1, 1), SAMPLE_DIR / "sample-2020.txt"),
    SampleRelease("2021", date(2021, 1, 1), SAMPLE_DIR / "sample-2021.txt"),
    SampleRelease("2026", date(2026, 1, 1), SAMPLE_DIR / "sample-2026.txt"),
)


def load_sample(engine: Engine) -> list[LoadSummary]:
    """Load the sample releases in order; releases already loaded are skipped."""
    summaries = [
        load_release(
            engine, read_source(release.path), release.label, release.effective_date
        )
        for release in SAMPLE_RELEASES
    ]
    log.info("sample history ready: %d releases", len(summaries))
    return summaries
