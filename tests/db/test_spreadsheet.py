import io
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from db.fixed_width import read_records
from db.records import MODIFIER, PROCEDURE, Record, RecordError
from db.spreadsheet import read_spreadsheet

CMS = Path(__file__).resolve().parents[3] / "shared" / "data" / "cms"

# Codes whose 2019 spreadsheet row leaves the action effective date empty.
UNDATED_2019 = """
A0130 A0180 A0190 A0200 A0210 A4580 A4590 A4635 A4640 C1883 E0500 E0565 G0118
L0810 L0820 L0830 L1080 L1310 L2250 L2260 L2270 L2280 L2300 L2310 L2335 L2340
L2350 L2360 L2375 L2380 L2385 L2390 L2395 L2520 L2530 L2540 L2550 L5632 L5636
L5638 L5640 L5642 L5643 L5644 L5647 L5649 L5651 L5652 L5653 L5654 L5655 L5656
L5658 L5670 L5672 L5680 L5682 L5684 L5686 L5688 L5690 L5692 L5694 L5696 L5697
L5698 L5710 L5712 L5714 L5716 L5718 L5722 L5724 L5726 L5728 L5780 L5850 L5910
L5940 L5950 L5960 L6615 L6623 L6625 L6628 L6629 L6630 L6632 L6635 L6637 L6641
L6642 L6645 L6650 L6655 L6660 L6665 L6670 L6672 L6680 L6682 L6684 L6686 L6689
L6690 L6691 V2102 V2109 V2209 V2210 V2219 V2303 V2314 V2502 V2522
""".split()

# What each spreadsheet says where it disagrees with the TXT of its release,
# after formatting (spaces, numbers for text, padding) is read away.
SPREADSHEET_ONLY = {
    "2017": {
        ("L5638", "action_effective_date"): date(1986, 1, 1),
        ("L5640", "action_effective_date"): date(1986, 1, 1),
        ("L5643", "action_effective_date"): date(1988, 1, 1),
    },
    "2018": {},
    "2019": {
        **{(code, "action_effective_date"): None for code in UNDATED_2019},
        ("E0210", "types_of_service"): ["A", "L", "P", "R"],
        ("E0776", "types_of_service"): ["A", "E", "P", "R"],
    },
    "2020": {},
}
MEMBERS = {
    "2017": ("HCPC17_CONTR_ANWEB.xlsx", "HCPC17_CONTR_ANWEB.txt"),
    "2018": ("HCPC2018_CONTR_ANWEB_disc.xlsx", "HCPC2018_CONTR_ANWEB_disc.txt"),
    "2019": ("HCPC2019_CONTR_ANWEB.xlsx", "HCPC2019_CONTR_ANWEB.txt"),
    "2020": ("HCPC2020_ANWEB_w_disclaimer.xls", "HCPC2020_ANWEB_w_disclaimer.txt"),
}


def read_release(year: str) -> tuple[dict[str, Record], dict[str, Record]]:
    """The records of a release's spreadsheet and of its TXT, by code."""
    spreadsheet, text = MEMBERS[year]
    with zipfile.ZipFile(CMS / f"{year}-Alpha-Numeric-HCPCS-File.zip") as release:
        rows = list(read_spreadsheet(release.read(spreadsheet), spreadsheet))
        lines = release.read(text).decode("cp1252").splitlines(keepends=True)
    assert len({r.code for r in rows}) == len(rows)
    return {r.code: r for r in rows}, {r.code: r for r in read_records(lines)}


@pytest.mark.parametrize("year", sorted(MEMBERS))
def test_read_spreadsheet_states_the_txt_but_listed_cells(year):
    spreadsheet, txt = read_release(year)

    differences = {
        (code, field): value
        for code in sorted(txt.keys() & spreadsheet.keys())
        for field, value in spreadsheet[code].content().items()
        if value != txt[code].content()[field]
    }

    assert spreadsheet.keys() == txt.keys()
    assert differences == SPREADSHEET_ONLY[year]


def test_read_spreadsheet_numbers_records_by_sheet_row():
    records, _ = read_release("2019")

    assert (records["A1"].line, records["A1"].kind) == (9, MODIFIER)
    assert (records["A0130"].line, records["A0130"].kind) == (375, PROCEDURE)
    assert records["G0504"].line == 2256


def test_read_spreadsheet_joins_continuation_rows():
    records, _ = read_release("2019")

    assert records["G0503"].long_description.endswith(
        "other treatment goals and are prepared for discharge from active treatment"
    )


HEADER = [
    "HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION", "PRICE1",
    "PRICE2", "LABCERT1", "XREF1", "PROCNOTE", "TOS1", "ANEST_BU", "ACT_EFF_DT",
    "ADD DT", "TERM DT", "ACTION CD",
]  # fmt: skip
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"


def _cell(reference: str, value: object) -> str:
    if isinstance(value, date):
        serial = (value - date(1899, 12, 30)).days
        return f'<c r="{reference}" s="1"><v>{serial}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = f'<t xml:space="preserve">{escape(value)}</t>'
    return f'<c r="{reference}" t="inlineStr"><is>{text}</is></c>'


def workbook(rows: list[list]) -> bytes:
    """A one-sheet XLSX of `rows`; a date cell gets a date format, as Excel's would."""
    sheet = "".join(
        f'<row r="{r}">'
        + "".join(_cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row) if v != "")
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{PACKAGE}/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="r1" Type="{RELATIONSHIPS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<sheets><sheet name="A" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}/relationships">'
        f'<Relationship Id="r1" Type="{RELATIONSHIPS}/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="r2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
        "</Relationships>",
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>",
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>'
        f"{sheet}</sheetData></worksheet>",
    }
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return data.getvalue()


def test_read_spreadsheet_reads_number_cells_as_the_txt_text():
    data = workbook([
        ["Disclaimer: \xa0not a record"], [],
        HEADER,
        ["J0001", 10, 3, "Injection,  one", "Inj one", 0, 11.0, 10, 100, 217,
         1, 5.0, 20190101.0, date(2018, 1, 1), "", "N"],
    ])  # fmt: skip

    (record,) = read_spreadsheet(data, "sample.xlsx")

    assert record.line == 4
    assert record.long_description == "Injection, one"
    assert record.pricing_indicators == ["00", "11"]
    assert record.lab_certifications == ["010"]
    assert record.cross_references == ["00100"]
    assert record.processing_note == "0217"
    assert record.types_of_service == ["1"]
    assert record.anesthesia_base_units == 5
    assert record.action_effective_date == date(2019, 1, 1)
    assert record.added_date == date(2018, 1, 1)


def test_read_spreadsheet_tells_kind_by_code_length_without_record_id():
    header = [h for h in HEADER if h != "RECID"]
    data = workbook([header, ["   A1", 10, "Dressing for one wound"], ["A0021"]])

    records = list(read_spreadsheet(data, "sample.xlsx"))

    assert [(r.code, r.kind) for r in records] == [
        ("A1", MODIFIER),
        ("A0021", PROCEDURE),
    ]


def test_read_spreadsheet_rejects_a_bad_date_with_its_row_number():
    row = ["J0001", 10, 3, "Injection"] + [""] * 8 + ["2019-13-01"]
    data = workbook([["Note"], HEADER, row])

    with pytest.raises(RecordError, match="action effective date") as error:
        list(read_spreadsheet(data, "sample.xlsx"))

    assert error.value.line == 3


def test_read_spreadsheet_rejects_a_file_that_is_no_spreadsheet():
    with pytest.raises(RecordError, match="sample.xlsx"):
        list(read_spreadsheet(b"HCPC LONG DESCRIPTION", "sample.xlsx"))
