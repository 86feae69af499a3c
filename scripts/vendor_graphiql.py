"""Puts the npm files strawberry's GraphiQL page loads under api/static/graphiql.

Browsers on machines without internet access cannot reach the CDN the page
names, so setup fetches the same package versions with `npm pack` from the
npm registry and checks each file against the page's integrity hash. Run
again, it fetches only what is missing or differs.
"""

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

from api.graphiql import ASSET_DIR, Asset, cdn_assets


def matches(data: bytes, integrity: str) -> bool:
    """True when `data` has the subresource integrity hash `integrity`."""
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm, data).digest()
    return base64.b64encode(digest).decode() == expected


def is_current(asset: Asset) -> bool:
    path = asset.local_path
    return path.is_file() and matches(path.read_bytes(), asset.integrity)


def pack(spec: str, into: Path) -> Path:
    """The tarball `npm pack` fetches for `spec`, written under `into`."""
    done = subprocess.run(
        ["npm", "pack", "--json", "--pack-destination", str(into), spec],
        check=True,
        capture_output=True,
        text=True,
    )
    return into / json.loads(done.stdout)[0]["filename"]


def extract(tarball: Path, asset: Asset) -> bytes:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(f"package/{asset.path}")
        if member is None:
            raise SystemExit(f"{tarball.name} has no file package/{asset.path}")
        return member.read()


def vendor(assets: list[Asset]) -> int:
    """Fetch and check every asset not yet in place; returns how many were written."""
    missing = [asset for asset in assets if not is_current(asset)]
    if not missing:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tarballs = {
            spec: pack(spec, Path(tmp)) for spec in sorted({a.spec for a in missing})
        }
        for asset in missing:
            data = extract(tarballs[asset.spec], asset)
            if not matches(data, asset.integrity):
                raise SystemExit(
                    f"{asset.spec}/{asset.path} from npm does not match the "
                    f"page's integrity hash {asset.integrity}"
                )
            asset.local_path.parent.mkdir(parents=True, exist_ok=True)
            asset.local_path.write_bytes(data)
    return len(missing)


def main() -> None:
    assets = cdn_assets(get_graphql_ide_html("graphiql"))
    if not assets:
        raise SystemExit("strawberry's GraphiQL page names no CDN files to vendor")
    try:
        written = vendor(assets)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or error
        raise SystemExit(
            f"could not fetch GraphiQL's files with npm: {detail}"
        ) from None
    print(
        f"GraphiQL: {len(assets)} files in {ASSET_DIR} "
        f"({written} fetched from the npm registry)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
