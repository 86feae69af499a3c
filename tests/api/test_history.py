"""History: CMS's 2019 errors and their 2020 corrections as revisions of one version."""

import pytest

REVISION_FIELDS = """
    superseded
    release { label }
    statedIn { label }
    action { code description }
    pricingIndicators { code description }
    multiplePricingIndicator { code description }
    coverage { code description }
    crossReferences { code }
    terminationDate
"""

HISTORY = f"""
query ($code: String!, $knownAt: String) {{
  code(code: $code, asOf: "2020-06-01", knownAt: $knownAt) {{
    statedIn {{ label }}
    history {{
      validFrom validTo
      statedIn {{ label }}
      revisions {{ {REVISION_FIELDS} }}
    }}
  }}
}}
"""

NO_SEPARATE_PRICE = (
    "Service not separately priced by part B (e.g., services not covered, "
    "bundled, used by part A only, etc.)"
)
NOT_PRICED_SEPARATELY = (
    "Not applicable as HCPCS not priced separately by part B (pricing indicator is "
    "00) or value is not established (pricing indicator is '99')"
)
ONE_METHODOLOGY = "Not applicable as HCPCS priced under one methodology"
ADD = {"code": "A", "description": "Add procedure or modifier code"}
DISCONTINUE = {"code": "D", "description": "Discontinue procedure or modifier code"}
NO_MAINTENANCE = {"code": "N", "description": "No maintenance for this code"}
SPECIAL_COVERAGE = {"code": "D", "description": "Special coverage instructions apply"}
CARRIER_JUDGMENT = {"code": "C", "description": "Carrier judgment"}
STATUTE = [{"code": "53", "description": "Statute"}]


def revision(release, superseded, action, pricing, multiple, coverage, refs, ended):
    return {
        "superseded": superseded,
        "release": {"label": release},
        "statedIn": [{"label": release}],
        "action": action,
        "pricingIndicators": pricing,
        "multiplePricingIndicator": multiple,
        "coverage": coverage,
        "crossReferences": [{"code": code} for code in refs],
        "terminationDate": ended,
    }


def enteral_revisions(refs_2019, refs_2020, action_2019, ended):
    """B4105 and Q9994: the 2019 file said 00/9/D, the 2020 file 39/A/C."""
    stated_2019 = revision(
        "2019",
        True,
        action_2019,
        [{"code": "00", "description": NO_SEPARATE_PRICE}],
        {"code": "9", "description": NOT_PRICED_SEPARATELY},
        SPECIAL_COVERAGE,
        refs_2019,
        ended,
    )
    corrected_2020 = revision(
        "2020",
        False,
        NO_MAINTENANCE,
        [{"code": "39", "description": "Parenteral and Enteral Nutrition"}],
        {"code": "A", "description": ONE_METHODOLOGY},
        CARRIER_JUDGMENT,
        refs_2020,
        ended,
    )
    return [stated_2019, corrected_2020]


CORRECTED = {
    "B4105": enteral_revisions(["Q9994"], ["Q9994"], ADD, None),
    "Q9994": enteral_revisions(["B4105"], [], DISCONTINUE, "2018-12-31"),
    "C9468": [
        revision(
            "2019",
            True,
            DISCONTINUE,
            STATUTE,
            {"code": "A", "description": ONE_METHODOLOGY},
            SPECIAL_COVERAGE,
            ["J7023"],
            "2018-12-31",
        ),
        revision(
            "2020",
            False,
            NO_MAINTENANCE,
            STATUTE,
            {"code": "A", "description": ONE_METHODOLOGY},
            SPECIAL_COVERAGE,
            ["J7203"],
            "2018-12-31",
        ),
    ],
}


@pytest.mark.parametrize("code", CORRECTED)
def test_history_keeps_the_2019_statement_and_its_2020_correction(client, code):
    expected_revisions = CORRECTED[code]

    found = client.data(HISTORY, code=code)["code"]

    assert found["history"] == [
        {
            "validFrom": "2019-01-01",
            "validTo": None,
            "statedIn": [{"label": "2019"}, {"label": "2020"}],
            "revisions": expected_revisions,
        }
    ]
    assert found["statedIn"] == [{"label": "2019"}, {"label": "2020"}]


@pytest.mark.parametrize("code", CORRECTED)
def test_history_known_at_2019_has_only_the_2019_statement(client, code):
    stated_2019 = {**CORRECTED[code][0], "superseded": False}

    found = client.data(HISTORY, code=code, knownAt="2019")["code"]

    assert found["history"] == [
        {
            "validFrom": "2019-01-01",
            "validTo": None,
            "statedIn": [{"label": "2019"}],
            "revisions": [stated_2019],
        }
    ]


CURRENT = """
query ($code: String!, $knownAt: String) {
  code(code: $code, asOf: "2019-06-01", knownAt: $knownAt) {
    action { code }
    pricingIndicators { code }
    multiplePricingIndicator { code }
    coverage { code }
    statedIn { label }
    lastUpdated { label }
  }
}
"""


def test_code_known_at_2019_is_the_2019_statement(client):
    known_at = "2019"

    found = client.data(CURRENT, code="B4105", knownAt=known_at)["code"]

    assert found == {
        "action": {"code": "A"},
        "pricingIndicators": [{"code": "00"}],
        "multiplePricingIndicator": {"code": "9"},
        "coverage": {"code": "D"},
        "statedIn": [{"label": "2019"}],
        "lastUpdated": {"label": "2019"},
    }


def test_code_known_at_newest_is_the_2020_correction(client):
    known_at = None

    found = client.data(CURRENT, code="B4105", knownAt=known_at)["code"]

    assert found == {
        "action": {"code": "N"},
        "pricingIndicators": [{"code": "39"}],
        "multiplePricingIndicator": {"code": "A"},
        "coverage": {"code": "C"},
        "statedIn": [{"label": "2019"}, {"label": "2020"}],
        "lastUpdated": {"label": "2020"},
    }


def test_history_known_at_2018_does_not_know_a_2019_code(client):
    known_at = "2018"

    answer = client.execute(HISTORY, code="B4105", knownAt=known_at)

    assert answer == {"data": {"code": None}}


def test_history_of_a_restated_version_lists_every_release(client):
    # E2351 kept one content from 2014-04-01 through the 2017 and 2018 files,
    # and a new version from 2019-01-01 in the 2019 and 2020 files.
    query = """
    query {
      code(code: "E2351", asOf: "2020-06-01") {
        history {
          validFrom validTo
          pricingIndicators { code }
          revisions { superseded statedIn { label } }
        }
      }
    }
    """

    history = client.data(query)["code"]["history"]

    assert history == [
        {
            "validFrom": "2014-04-01",
            "validTo": "2018-12-31",
            "pricingIndicators": [{"code": "36"}],
            "revisions": [
                {
                    "superseded": False,
                    "statedIn": [{"label": "2017"}, {"label": "2018"}],
                }
            ],
        },
        {
            "validFrom": "2019-01-01",
            "validTo": None,
            "pricingIndicators": [{"code": "32"}],
            "revisions": [
                {
                    "superseded": False,
                    "statedIn": [{"label": "2019"}, {"label": "2020"}],
                }
            ],
        },
    ]


CROSS_REFERENCES = """
query ($code: String!, $asOf: Date, $knownAt: String) {
  code(code: $code, asOf: $asOf, knownAt: $knownAt) {
    status
    crossReferences {
      code
      target {
        code status addedDate actionEffectiveDate terminationDate
        shortDescription
        pricingIndicators { code }
        coverage { code }
        action { code }
        asOf
      }
    }
  }
}
"""


def test_cross_reference_of_a_discontinued_code_resolves_its_successor(client):
    # The 2020 file ends C9408 on 2019-12-31 and names A9590, added 2020-01-01.
    query_day = "2020-06-01"

    found = client.data(CROSS_REFERENCES, code="C9408", asOf=query_day)["code"]

    assert found == {
        "status": "DISCONTINUED",
        "crossReferences": [
            {
                "code": "A9590",
                "target": {
                    "code": "A9590",
                    "status": "ACTIVE",
                    "addedDate": "2020-01-01",
                    "actionEffectiveDate": "2020-01-01",
                    "terminationDate": None,
                    "shortDescription": "Iodine i-131 iobenguane 1mci",
                    "pricingIndicators": [{"code": "51"}],
                    "coverage": {"code": "C"},
                    "action": {"code": "A"},
                    "asOf": "2020-06-01",
                },
            }
        ],
    }


def test_cross_reference_corrected_in_2020_resolves_the_real_code(client):
    # The 2019 file pointed C9468 at J7023, which does not exist; 2020 says J7203.
    query_day = "2020-06-01"

    found = client.data(CROSS_REFERENCES, code="C9468", asOf=query_day)["code"]

    assert found == {
        "status": "DISCONTINUED",
        "crossReferences": [
            {
                "code": "J7203",
                "target": {
                    "code": "J7203",
                    "status": "ACTIVE",
                    "addedDate": "2019-01-01",
                    "actionEffectiveDate": "2019-01-01",
                    "terminationDate": None,
                    "shortDescription": "Factor ix recomb gly rebinyn",
                    "pricingIndicators": [{"code": "51"}],
                    "coverage": {"code": "D"},
                    "action": {"code": "N"},
                    "asOf": "2020-06-01",
                },
            }
        ],
    }


def test_cross_reference_to_a_code_that_never_existed_has_no_target(client):
    known_at = "2019"

    found = client.data(
        CROSS_REFERENCES, code="C9468", asOf="2019-06-01", knownAt=known_at
    )["code"]

    assert found["crossReferences"] == [{"code": "J7023", "target": None}]


def test_cross_reference_target_of_a_discontinued_code_is_itself_discontinued(
    client,
):
    # B4105 points at Q9994, which ended 2018-12-31.
    query_day = "2020-06-01"

    found = client.data(CROSS_REFERENCES, code="B4105", asOf=query_day)["code"]

    target = found["crossReferences"][0]["target"]
    assert found["crossReferences"][0]["code"] == "Q9994"
    assert target["status"] == "DISCONTINUED"
    assert target["terminationDate"] == "2018-12-31"


DIFF = """
query ($code: String!, $from: Date!, $to: Date!) {
  code(code: $code, asOf: $to) {
    diff(from: $from, to: $to) {
      field before after beforeValues afterValues
      beforeDecoded { code description }
      afterDecoded { code description }
    }
  }
}
"""


def test_diff_between_two_days_lists_each_changed_field(client):
    # A5512 is CHANGED from 2018 to 2019: a new version from 2019-01-01 adds an
    # MCM reference and moves coverage from C to D.
    days = {"from": "2018-06-01", "to": "2019-06-01"}

    changes = client.data(DIFF, code="A5512", **days)["code"]["diff"]

    assert changes == [
        {
            "field": "mcmReferences",
            "before": None,
            "after": "2134",
            "beforeValues": [],
            "afterValues": ["2134"],
            "beforeDecoded": [],
            "afterDecoded": [],
        },
        {
            "field": "coverage",
            "before": "C",
            "after": "D",
            "beforeValues": ["C"],
            "afterValues": ["D"],
            "beforeDecoded": [{"code": "C", "description": "Carrier judgment"}],
            "afterDecoded": [
                {"code": "D", "description": "Special coverage instructions apply"}
            ],
        },
        {
            "field": "actionEffectiveDate",
            "before": "2010-01-01",
            "after": "2019-01-01",
            "beforeValues": ["2010-01-01"],
            "afterValues": ["2019-01-01"],
            "beforeDecoded": [],
            "afterDecoded": [],
        },
    ]


def test_diff_of_a_pricing_change_decodes_both_indicators(client):
    days = {"from": "2018-06-01", "to": "2019-06-01"}

    changes = client.data(DIFF, code="E2351", **days)["code"]["diff"]

    assert [change["field"] for change in changes] == [
        "pricingIndicators",
        "actionEffectiveDate",
    ]
    assert changes[0]["beforeDecoded"] == [
        {
            "code": "36",
            "description": "Capped rental DME (price subject to floors and ceilings)",
        }
    ]
    assert changes[0]["afterDecoded"] == [
        {
            "code": "32",
            "description": "Inexpensive & routinely purchased DME "
            "(price subject to floors and ceilings)",
        }
    ]


def test_diff_within_one_version_is_empty(client):
    days = {"from": "2019-01-01", "to": "2019-12-31"}

    changes = client.data(DIFF, code="A5512", **days)["code"]["diff"]

    assert changes == []


def test_diff_from_before_the_code_existed_lists_its_values_as_new(client):
    days = {"from": "2019-06-01", "to": "2020-06-01"}

    changes = client.data(DIFF, code="Q4212", **days)["code"]["diff"]

    by_field = {change["field"]: change for change in changes}
    assert by_field["longDescription"]["before"] is None
    assert by_field["longDescription"]["after"] == "Allogen, per cc"
    assert by_field["pricingIndicators"]["afterValues"] == ["51"]
    assert by_field["addedDate"]["after"] == "2019-10-01"
