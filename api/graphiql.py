"""The GraphiQL page: strawberry's, with an example query and assets served locally."""

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

log = logging.getLogger("hcpcs.api")

# Where scripts/vendor_graphiql.py puts the npm files the page loads, and the
# URL path they are served under.
ASSET_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
ASSET_PATH = "/static/graphiql"

CDN = "https://unpkg.com/"
_CDN_ASSET = re.compile(
    r'(?:src|href)="https://unpkg\.com/(?P<spec>(?:@[^/"]+/)?[^@/"]+@[^/"]+)'
    r'/(?P<path>[^"]+)"\s+integrity="(?P<integrity>[^"]+)"'
)
_EXAMPLE_QUERY = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.DOTALL)

EXAMPLE_QUERY = """\
# HCPCS Level II codes, as CMS's releases
# stated them. Run: the button or Ctrl-Enter.
#
# B4105 was added in 2019; the 2020 release
# restated that version with other pricing and
# coverage, a correction. Both are kept: the
# 2019 statement is `superseded`. Add
# knownAt: "2019" to see what 2019 said.
# A code's timeline as a page: /codes/B4105
{
  q4212: code(code: "Q4212", asOf: "2020-06-01") {
    code
    shortDescription
    status
    validFrom
    pricingIndicators { code description }
  }
  b4105: code(code: "B4105", asOf: "2020-06-01") {
    code
    longDescription
    history {
      validFrom
      validTo
      revisions {
        release { label }
        superseded
        action { code description }
        pricingIndicators { code description }
        coverage { code description }
      }
    }
  }
}
"""


@dataclass(frozen=True)
class Asset:
    """One file the page loads from the CDN: npm package spec, path, SRI hash."""

    spec: str
    path: str
    integrity: str

    @property
    def local_path(self) -> Path:
        return ASSET_DIR / self.spec / self.path


def cdn_assets(html: str) -> list[Asset]:
    """The npm files a strawberry IDE page loads from unpkg, with their hashes."""
    return [
        Asset(match["spec"], match["path"], match["integrity"])
        for match in _CDN_ASSET.finditer(html)
    ]


def is_vendored(html: str) -> bool:
    return all(asset.local_path.is_file() for asset in cdn_assets(html))


def graphiql_html(root_path: str = "") -> str:
    """GraphiQL with this API's example query; local assets when they are vendored.

    The browser still checks every file against the page's integrity hashes.
    """
    html = get_graphql_ide_html("graphiql")
    query = json.dumps(EXAMPLE_QUERY).replace("</", "<\\/")
    html = _EXAMPLE_QUERY.sub(lambda _: f"const EXAMPLE_QUERY = {query};", html)
    html = html.replace(
        "<title>Strawberry GraphiQL</title>", "<title>HCPCS history · GraphiQL</title>"
    )
    if is_vendored(html):
        html = html.replace(CDN, f"{root_path}{ASSET_PATH}/")
    return html


def warn_if_not_vendored() -> None:
    """Say once, at start, that browsers will need the CDN for GraphiQL."""
    if not is_vendored(get_graphql_ide_html("graphiql")):
        log.warning(
            "GraphiQL's files are not in %s: the page will load them from %s; "
            "run scripts/setup.sh (it vendors them with npm) to serve them locally",
            ASSET_DIR,
            CDN,
        )
