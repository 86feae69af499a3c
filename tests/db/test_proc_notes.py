import zipfile
from functools import cache
from pathlib import Path

from db.proc_notes import parse_processing_notes

CMS_FILES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "cms"


@cache
def read_release_notes(year: int) -> str:
    """The processing notes text of one annual release, read out of CMS's ZIP."""
    with zipfile.ZipFile(CMS_FILES / f"{year}-Alpha-Numeric-HCPCS-File.zip") as zip_:
        # Member names change from year to year; this one has kept its pattern.
        (member,) = [n for n in zip_.namelist() if n.startswith("proc_notes_")]
        return zip_.read(member).decode("cp1252")


def test_parse_processing_notes_finds_every_2020_note():
    text = read_release_notes(2020)

    notes = parse_processing_notes(text)

    assert len(notes) == 220
    assert list(notes) == [f"{n:04d}" for n in range(1, 221)]


def test_parse_processing_notes_finds_every_2017_note():
    text = read_release_notes(2017)

    notes = parse_processing_notes(text)

    assert len(notes) == 211
    assert "0212" not in notes


def test_parse_processing_notes_joins_space_indented_lines():
    text = read_release_notes(2017)

    notes = parse_processing_notes(text)

    assert notes["0002"] == (
        "THESE CODES (82585, 82595) PERTAIN TO PERFORMING THE ANALYSIS FOR THE "
        "ANALYTE AS OPPOSED TO ADMINISTRATION OF THE ANALYTE."
    )


def test_parse_processing_notes_drops_margins_between_tabs():
    text = read_release_notes(2020)

    notes = parse_processing_notes(text)

    # 0093 ends in tabs, a margin star and another tab; 0180 pads past its star.
    assert notes["0093"] == (
        '"C" CODES ARE UNIQUE TEMPORARY PRICING CODES THAT WERE INITIALLY '
        "ESTABLISHED BY CMS FOR THE HOSPITAL OUTPATIENT PROSPECTIVE PAYMENT "
        'SYSTEM (OPPS). THE "C" CODES ARE USED ON MEDICARE OPPS CLAIMS BUT MAY '
        "ALSO BE RECOGNIZED ON CLAIMS FROM OTHER PROVIDERS OR BY OTHER PAYMENT "
        "SYSTEMS."
    )
    assert notes["0180"] == "2013 PFS; PUB 100-04, 5-10, 12.027I."


def test_parse_processing_notes_joins_lines_without_margin():
    text = read_release_notes(2020)

    notes = parse_processing_notes(text)

    assert notes["0183"] == (
        "NCD 220.6 POSITRON EMISSION TOMOGRAPHY (PET) SCANS, (EFFECTIVE 4/6/2009) "
        "(REV. 120; ISSUED 5/6/2010; EFFECTIVE DATE: 4/3/2009; "
        "IMPLEMENTATION DATE: 10/30/2009)."
    )
    assert notes["0220"] == "REFER TO THE NCD MANUAL, SECTION 30.3."


def test_parse_processing_notes_of_text_without_notes_is_empty():
    text = "                 PROCESSING NOTES\r\n ________\r\n\r\n"

    notes = parse_processing_notes(text)

    assert notes == {}
