"""Where the real CMS release files are, read-only, beside the project."""

from pathlib import Path

CMS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "cms"
YEARS = (2017, 2018, 2019, 2020)


def annual_zip(year: int) -> Path:
    return CMS_DIR / f"{year}-Alpha-Numeric-HCPCS-File.zip"
