"""CMS's code tables from the HCPCS record layout, for decoding indicators."""

from dataclasses import dataclass

from db.codebook_appendix import BETOS_DESCRIPTIONS, TYPE_OF_SERVICE_DESCRIPTIONS

# Written from the 2017, 2018 and 2019 record layouts, whose code tables are the
# same in all three (only whitespace differs). Wrapped lines are joined; case
# slips are fixed ("e.G." to "e.g.", "part a" to "part A", "rvu's" to "RVU's",
# "Abo" to "ABO") and a missing space after one comma is put back.

PRICING = "pricing"
MULTIPLE_PRICING = "multiple_pricing"
COVERAGE = "coverage"
LAB_CERTIFICATION = "lab_certification"
MOG_PAYMENT_POLICY = "mog_payment_policy"
ACTION = "action"
BETOS = "betos"
TYPE_OF_SERVICE = "type_of_service"
ASC = "asc"


@dataclass(frozen=True)
class Decoded:
    """An indicator's code with its meaning, or known=False if CMS lists none."""

    code: str
    description: str | None
    known: bool
    group: str | None = None


# The layout splits this heading over two underlined lines.
_DMEPOS = (
    "Durable Medical Equipment, Prosthetics, Orthotics, Supplies And Surgical Dressings"
)

# Groups are the headings the layout puts over the codes. "Linked To The
# Physician Fee Schedule" sits under a wider heading, "Physician Fee Schedule
# And Non-Physician Practitioners", which no code is listed under directly.
_PRICING: dict[str | None, dict[str, str]] = {
    None: {
        "00": (
            "Service not separately priced by part B (e.g., services not covered, "
            "bundled, used by part A only, etc.)"
        ),
    },
    "Linked To The Physician Fee Schedule": {
        "11": "Price established using national RVU's",
        "12": "Price established using national anesthesia base units",
        "13": (
            "Price established by carriers (e.g., not otherwise classified, individual "
            "determination, carrier discretion)"
        ),
    },
    "Clinical Lab Fee Schedule": {
        "21": "Price subject to national limitation amount",
        "22": (
            "Price established by carriers (e.g., gap-fills, carrier established "
            "panels)"
        ),
    },
    _DMEPOS: {
        "31": "Frequently serviced DME (price subject to floors and ceilings)",
        "32": (
            "Inexpensive & routinely purchased DME (price subject to floors and "
            "ceilings)"
        ),
        "33": "Oxygen and oxygen equipment (price subject to floors and ceilings)",
        "34": "DME supplies (price subject to floors and ceilings)",
        "35": "Surgical dressings (price subject to floors and ceilings)",
        "36": "Capped rental DME (price subject to floors and ceilings)",
        "37": (
            "Ostomy, tracheostomy and urological supplies (price subject to floors and "
            "ceilings)"
        ),
        "38": (
            "Orthotics, prosthetics, prosthetic devices & vision services (price "
            "subject to floors and ceilings)"
        ),
        "39": "Parenteral and Enteral Nutrition",
        "45": "Customized DME items",
        "46": (
            "Carrier priced (e.g., not otherwise classified, individual determination, "
            "carrier discretion, gap-filled amounts)"
        ),
    },
    "Other": {
        "51": "Drugs",
        "52": "Reasonable charge",
        "53": "Statute",
        "54": "Vaccinations",
        "55": "Splints and Casts (effec 10/1/2014)",
        "56": "IOL's inserted in a physician's office (eff 10/1/2014)",
        "57": "Other carrier priced",
        "99": "Value not established",
    },
}

_MULTIPLE_PRICING = {
    "9": (
        "Not applicable as HCPCS not priced separately by part B (pricing indicator is "
        "00) or value is not established (pricing indicator is '99')"
    ),
    "A": "Not applicable as HCPCS priced under one methodology",
    "B": (
        "Professional component of HCPCS priced using RVU's, while technical component "
        "and global service priced by Medicare part B carriers"
    ),
    "C": (
        "Physician interpretation of clinical lab service is priced under physician "
        "fee schedule using RVU's, while pricing of lab service is paid under clinical "
        "lab fee schedule"
    ),
    "D": (
        "Service performed by physician is priced under physician fee schedule using "
        "RVU's, while service performed by clinical psychologist is priced under "
        "clinical psychologist fee schedule (not applicable as of January 1, 1998)"
    ),
    "E": (
        "Service performed by physician is priced under physician fee schedule using "
        "RVU's, service performed by clinical psychologist is priced under clinical "
        "psychologist's fee schedule and service performed by clinical social worker "
        "is priced under clinical social worker fee schedule (not applicable as of "
        "January 1, 1998)"
    ),
    "F": (
        "Service performed by physician is priced under physician fee schedule by "
        "carriers, service performed by clinical psychologist is priced under clinical "
        "psychologist's fee schedule and service performed by clinical social worker "
        "is priced under clinical social worker fee schedule (not applicable as of "
        "January 1, 1998)"
    ),
    "G": (
        "Clinical lab service priced under reasonable charge when service is submitted "
        "on claim with blood products, while service is priced under clinical lab fee "
        "schedule when there are no blood products on claim."
    ),
}

_COVERAGE = {
    "C": "Carrier judgment",
    "D": "Special coverage instructions apply",
    "I": "Not payable by Medicare",
    "M": "Non-covered by Medicare",
    "S": "Non-covered by Medicare statute",
}

# A subcategory's group is its general category: a laboratory certified for
# 100 may perform the tests of 110, 120 and the rest.
_LAB_CERTIFICATION: dict[str | None, dict[str, str]] = {
    None: {
        "010": "Histocompatibility testing",
        "100": "Microbiology",
        "200": "Diagnostic immunology",
        "300": "Chemistry",
        "400": "Hematology",
        "500": "Immunohematology",
        "600": "Pathology",
        "800": "Radiobioassay",
        "900": "Clinical cytogenetics",
    },
    "Microbiology": {
        "110": "Bacteriology",
        "115": "Mycobacteriology",
        "120": "Mycology",
        "130": "Parasitology",
        "140": "Virology",
        "150": "Other microbiology",
    },
    "Diagnostic immunology": {
        "210": "Syphilis serology",
        "220": "General immunology",
    },
    "Chemistry": {
        "310": "Routine chemistry",
        "320": "Urinalysis",
        "330": "Endocrinology",
        "340": "Toxicology",
        "350": "Other chemistry",
    },
    "Immunohematology": {
        "510": "ABO group & RH type",
        "520": "Antibody detection (transfusion)",
        "530": "Antibody detection (nontransfusion)",
        "540": "Antibody identification",
        "550": "Compatibility testing",
        "560": "Other immunohematology",
    },
    "Pathology": {
        "610": "Histopathology",
        "620": "Oral pathology",
        "630": "Cytology",
    },
}

_MOG_PAYMENT_POLICY = {
    "1": "ASC covered procedure",
    "2": "Bundled service/no separate payment",
    "3": "Excluded from ASC list",
    "4": "Invalid code/90 day grace period",
    "6": "Separate payment when furnished in an ASC",
    "7": "ASC restricted coverage procedure",
    "9": "ASC payment not applicable",
}

_ACTION = {
    "A": "Add procedure or modifier code",
    "B": (
        "Change in both administrative data field and long description of procedure or "
        "modifier code"
    ),
    "C": "Change in long description of procedure or modifier code",
    "D": "Discontinue procedure or modifier code",
    "F": "Change in administrative data field of procedure or modifier code",
    "N": "No maintenance for this code",
    "P": (
        "Payment change (MOG, pricing indicator codes, anesthesia base units, "
        "Ambulatory Surgical Centers)"
    ),
    "R": "Re-activate discontinued/deleted procedure or modifier code",
    "S": "Change in short description of procedure code",
    "T": "Miscellaneous change (BETOS, type of service)",
}

# A blank ASC payment group means not approved for an ambulatory surgical center.
_ASC = {"YY": "Approved to be performed in an ambulatory surgical center"}


def _plain(descriptions: dict[str, str]) -> dict[str, Decoded]:
    return {code: Decoded(code, text, True) for code, text in descriptions.items()}


def _grouped(groups: dict[str | None, dict[str, str]]) -> dict[str, Decoded]:
    """Flatten a table written by heading; code order is the layout's order here."""
    decoded = [
        Decoded(code, text, True, group)
        for group, descriptions in groups.items()
        for code, text in descriptions.items()
    ]
    return {entry.code: entry for entry in sorted(decoded, key=lambda e: e.code)}


_TABLES: dict[str, dict[str, Decoded]] = {
    PRICING: _grouped(_PRICING),
    MULTIPLE_PRICING: _plain(_MULTIPLE_PRICING),
    COVERAGE: _plain(_COVERAGE),
    LAB_CERTIFICATION: _grouped(_LAB_CERTIFICATION),
    MOG_PAYMENT_POLICY: _plain(_MOG_PAYMENT_POLICY),
    ACTION: _plain(_ACTION),
    BETOS: _plain(BETOS_DESCRIPTIONS),
    TYPE_OF_SERVICE: _plain(TYPE_OF_SERVICE_DESCRIPTIONS),
    ASC: _plain(_ASC),
}
TABLES = tuple(_TABLES)


def _table(name: str) -> dict[str, Decoded]:
    try:
        return _TABLES[name]
    except KeyError:
        raise ValueError(f"no code table {name!r}; there are {TABLES}") from None


def decode(table: str, code: str | None) -> Decoded | None:
    """The meaning of `code` in `table`: None for no code, known=False if unlisted."""
    listed = _table(table)
    code = (code or "").strip().upper()
    if not code:
        return None

    return listed.get(code) or Decoded(code, None, False)


def entries(table: str) -> tuple[Decoded, ...]:
    """Every code of `table`, in the order the record layout lists them."""
    return tuple(_table(table).values())


# Record fields holding coded indicators, and the CMS table that decodes each.
FIELD_TABLES = {
    "pricing_indicators": PRICING,
    "multiple_pricing_indicator": MULTIPLE_PRICING,
    "coverage": COVERAGE,
    "lab_certifications": LAB_CERTIFICATION,
    "mog_payment_policy": MOG_PAYMENT_POLICY,
    "betos": BETOS,
    "types_of_service": TYPE_OF_SERVICE,
    "asc_payment_group": ASC,
}
