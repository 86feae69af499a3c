"""code(): one code in force on a day, every field answered from the real files."""

import pytest

RECORD_FIELDS = """
    code kind status longDescription shortDescription
    addedDate actionEffectiveDate terminationDate
    action { code description known }
    pricingIndicators { code description known group }
    multiplePricingIndicator { code description known }
    coverage { code description known }
    betos { code description known }
    typesOfService { code description known }
    labCertifications { code description known }
    ascPaymentGroup { code description known }
    ascPaymentGroupEffectiveDate
    mogPaymentGroup
    mogPaymentPolicy { code description known }
    mogEffectiveDate
    processingNote { number text }
    anesthesiaBaseUnits statute cimReferences mcmReferences
    crossReferences { code }
    statedIn { label effectiveDate codeCount }
    lastUpdated { label effectiveDate }
"""

CODE = f"""
query ($code: String!, $asOf: Date) {{
  code(code: $code, asOf: $asOf) {{
    {RECORD_FIELDS}
    validFrom validTo asOf
  }}
}}
"""

RELEASE_2020 = {"label": "2020", "effectiveDate": "2020-01-01", "codeCount": 7079}


def test_code_q4212_answers_every_field_with_decoded_indicators(client):
    query_day = "2020-06-01"

    found = client.data(CODE, code="Q4212", asOf=query_day)["code"]

    assert found == {
        "code": "Q4212",
        "kind": "PROCEDURE",
        "status": "ACTIVE",
        "longDescription": "Allogen, per cc",
        "shortDescription": "Allogen, per cc",
        "addedDate": "2019-10-01",
        "actionEffectiveDate": "2019-10-01",
        "terminationDate": None,
        "action": {
            "code": "A",
            "description": "Add procedure or modifier code",
            "known": True,
        },
        "pricingIndicators": [
            {"code": "51", "description": "Drugs", "known": True, "group": "Other"}
        ],
        "multiplePricingIndicator": {
            "code": "A",
            "description": "Not applicable as HCPCS priced under one methodology",
            "known": True,
        },
        "coverage": {"code": "C", "description": "Carrier judgment", "known": True},
        "betos": {"code": "O1E", "description": "Other drugs", "known": True},
        "typesOfService": [{"code": "1", "description": "Medical care", "known": True}],
        "labCertifications": [],
        "ascPaymentGroup": None,
        "ascPaymentGroupEffectiveDate": None,
        "mogPaymentGroup": None,
        "mogPaymentPolicy": None,
        "mogEffectiveDate": None,
        "processingNote": None,
        "anesthesiaBaseUnits": 0,
        "statute": None,
        "cimReferences": [],
        "mcmReferences": [],
        "crossReferences": [],
        "statedIn": [RELEASE_2020],
        "lastUpdated": {"label": "2020", "effectiveDate": "2020-01-01"},
        "validFrom": "2019-10-01",
        "validTo": None,
        "asOf": "2020-06-01",
    }


# Every value of the reference page for Q4212 (a third party's rendering of the
# CMS record), with where this API answers it.
REFERENCE_PAGE_VALUES = {
    "HCPCS Code": ("code",),
    "Code Description": ("longDescription",),
    "Short Description": ("shortDescription",),
    "Pricing Indicator Code #1": ("pricingIndicators", 0, "code"),
    "Pricing Indicator Code #1 Description": ("pricingIndicators", 0, "description"),
    "Pricing Indicator Code #1 Description, heading": ("pricingIndicators", 0, "group"),
    "Multiple Pricing Indicator Code": ("multiplePricingIndicator", "code"),
    "Multiple Pricing Indicator Code Description": (
        "multiplePricingIndicator",
        "description",
    ),
    "Coverage Code": ("coverage", "code"),
    "Coverage Code Description": ("coverage", "description"),
    "Berenson-Eggers Type Of Service Code": ("betos", "code"),
    "Berenson-Eggers Type Of Service Code Description": ("betos", "description"),
    "Type Of Service Code #1": ("typesOfService", 0, "code"),
    "Type Of Service Code #1 Description": ("typesOfService", 0, "description"),
    "Anesthesia Base Unit Quantity": ("anesthesiaBaseUnits",),
    "Code Added Date": ("addedDate",),
    "Action Effective Date": ("actionEffectiveDate",),
    "Action Code": ("action", "code"),
    "Action Code Description": ("action", "description"),
    "Status": ("status",),
    "Last Update Date": ("lastUpdated", "label"),
}


@pytest.mark.parametrize("name", REFERENCE_PAGE_VALUES)
def test_code_answers_every_value_of_the_reference_page(client, name):
    path = REFERENCE_PAGE_VALUES[name]

    value = client.data(CODE, code="Q4212", asOf="2020-06-01")["code"]
    for step in path:
        value = value[step]

    assert value is not None and value != ""


def test_code_q4212_as_of_2026_reference_day_is_the_2020_statement(client):
    # The reference page shows CMS's 2026 record; the newest release loaded
    # here is 2020, so the version in force is still the one it stated.
    query_day = "2026-01-01"

    found = client.data(CODE, code="Q4212", asOf=query_day)["code"]

    assert found["actionEffectiveDate"] == "2019-10-01"
    assert found["lastUpdated"]["label"] == "2020"
    assert found["anesthesiaBaseUnits"] == 0


def test_code_of_a_modifier_answers_its_record(client):
    query_day = "2020-06-01"

    found = client.data(CODE, code="A1", asOf=query_day)["code"]

    assert found["code"] == "A1"
    assert found["kind"] == "MODIFIER"
    assert found["longDescription"] == "Dressing for one wound"
    assert found["status"] == "ACTIVE"


@pytest.mark.parametrize("spelling", ["Q4212", "q4212", " Q4212 ", "\tq4212\n"])
def test_code_lookup_ignores_case_and_padding(client, spelling):
    query_day = "2020-06-01"

    found = client.data(CODE, code=spelling, asOf=query_day)["code"]

    assert found["code"] == "Q4212"


@pytest.mark.parametrize("spelling", ["A1", "a1", "   A1"])
def test_code_lookup_of_a_modifier_ignores_case_and_padding(client, spelling):
    query_day = "2020-06-01"

    found = client.data(CODE, code=spelling, asOf=query_day)["code"]

    assert found["code"] == "A1"


def test_code_unknown_is_null_without_errors(client):
    query_day = "2020-06-01"

    answer = client.execute(CODE, code="Z9999", asOf=query_day)

    assert answer == {"data": {"code": None}}


def test_code_before_its_first_version_is_null(client):
    # Q4212's first action effective date is 2019-10-01.
    day_before = "2019-09-30"

    answer = client.execute(CODE, code="Q4212", asOf=day_before)

    assert answer == {"data": {"code": None}}


def test_code_on_its_first_day_is_in_force(client):
    first_day = "2019-10-01"

    found = client.data(CODE, code="Q4212", asOf=first_day)["code"]

    assert found["validFrom"] == "2019-10-01"
    assert found["asOf"] == "2019-10-01"


def test_code_after_termination_is_discontinued(client):
    # C9408 was discontinued by the 2020 release, its last day 2019-12-31, and
    # points to A9590.
    query_day = "2020-06-01"

    found = client.data(CODE, code="C9408", asOf=query_day)["code"]

    assert found["status"] == "DISCONTINUED"
    assert found["terminationDate"] == "2019-12-31"
    assert found["actionEffectiveDate"] == "2020-01-01"
    assert found["action"]["code"] == "D"
    assert found["crossReferences"] == [{"code": "A9590"}]


def test_code_processing_note_text_comes_from_the_stating_release(client):
    query = """
    query {
      code(code: "B4105", asOf: "2019-06-01", knownAt: "2019") {
        processingNote { number text }
        statedIn { label }
      }
    }
    """

    found = client.data(query)["code"]

    assert found == {
        "processingNote": {
            "number": "0217",
            "text": "SEC 30.7.2 OF THE CLAIMS PROCESSING MANUAL.",
        },
        "statedIn": [{"label": "2019"}],
    }
