import pytest

from db.codebook import (
    ACTION,
    ASC,
    BETOS,
    COVERAGE,
    LAB_CERTIFICATION,
    MOG_PAYMENT_POLICY,
    MULTIPLE_PRICING,
    PRICING,
    TABLES,
    TYPE_OF_SERVICE,
    Decoded,
    decode,
    entries,
)

DMEPOS = (
    "Durable Medical Equipment, Prosthetics, Orthotics, Supplies And Surgical Dressings"
)


def test_decode_pricing_gives_description_and_group():
    decoded = decode(PRICING, "13")

    assert decoded == Decoded(
        code="13",
        description=(
            "Price established by carriers (e.g., not otherwise classified, "
            "individual determination, carrier discretion)"
        ),
        known=True,
        group="Linked To The Physician Fee Schedule",
    )


def test_decode_pricing_00_has_no_group():
    decoded = decode(PRICING, "00")

    assert decoded.group is None
    assert decoded.description == (
        "Service not separately priced by part B (e.g., services not covered, "
        "bundled, used by part A only, etc.)"
    )


def test_pricing_groups_are_the_layout_headings():
    groups = {entry.group for entry in entries(PRICING)}

    assert groups == {
        None,
        "Linked To The Physician Fee Schedule",
        "Clinical Lab Fee Schedule",
        DMEPOS,
        "Other",
    }


@pytest.mark.parametrize(
    ("table", "code", "description"),
    [
        (
            MULTIPLE_PRICING,
            "A",
            "Not applicable as HCPCS priced under one methodology",
        ),
        (COVERAGE, "C", "Carrier judgment"),
        (BETOS, "O1E", "Other drugs"),
        (TYPE_OF_SERVICE, "1", "Medical care"),
        (ACTION, "N", "No maintenance for this code"),
        (MOG_PAYMENT_POLICY, "9", "ASC payment not applicable"),
        (ASC, "YY", "Approved to be performed in an ambulatory surgical center"),
        (BETOS, "I4A", "Imaging/procedure - heart including cardiac catheterization"),
    ],
)
def test_decode_gives_the_layout_description(table, code, description):
    decoded = decode(table, code)

    assert decoded == Decoded(code, description, known=True)


def test_decode_lab_certification_subcategory_is_grouped_under_its_category():
    decoded = decode(LAB_CERTIFICATION, "340")

    assert decoded == Decoded("340", "Toxicology", known=True, group="Chemistry")


@pytest.mark.parametrize(
    ("table", "code"), [(ASC, "20"), (BETOS, "ZZZ"), (ACTION, "X")]
)
def test_decode_unknown_code_is_not_known(table, code):
    decoded = decode(table, code)

    assert decoded == Decoded(code, None, known=False)


@pytest.mark.parametrize("code", [None, "", "   "])
def test_decode_blank_code_gives_none(code):
    assert decode(COVERAGE, code) is None


def test_decode_ignores_padding_and_case():
    decoded = decode(BETOS, " o1e ")

    assert decoded.code == "O1E"
    assert decoded.description == "Other drugs"


def test_decode_unknown_table_raises_value_error():
    with pytest.raises(ValueError, match="no code table 'modifier'"):
        decode("modifier", "A1")


@pytest.mark.parametrize(
    ("table", "size"),
    [
        (PRICING, 25),
        (MULTIPLE_PRICING, 8),
        (COVERAGE, 5),
        (LAB_CERTIFICATION, 31),
        (MOG_PAYMENT_POLICY, 7),
        (ACTION, 10),
        (BETOS, 106),
        (TYPE_OF_SERVICE, 34),
        (ASC, 1),
    ],
)
def test_table_has_the_layout_count_of_codes(table, size):
    assert len(entries(table)) == size


def test_tables_name_every_table():
    assert set(TABLES) == {
        PRICING,
        MULTIPLE_PRICING,
        COVERAGE,
        LAB_CERTIFICATION,
        MOG_PAYMENT_POLICY,
        ACTION,
        BETOS,
        TYPE_OF_SERVICE,
        ASC,
    }


def test_entries_keep_the_layout_order():
    betos = [entry.code for entry in entries(BETOS)]
    types_of_service = [entry.code for entry in entries(TYPE_OF_SERVICE)]

    assert (betos[0], betos[-1]) == ("M1A", "Z2")
    assert "".join(types_of_service[:11]) == "1234567890A"
