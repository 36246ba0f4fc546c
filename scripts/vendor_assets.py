"""Copy the front-end assets tillit needs from node_modules into static files.

Run by `make assets` after `npm ci` (package.json + package-lock.json pin the
versions). Nothing in the result is fetched from the internet at run time:

- Punkt (Oslo kommune's design system): the compiled CSS, the Oslo Sans fonts
  it loads with relative URLs, its icons and the Oslo logo. The compiled CSS
  points four icons at Oslo's CDN (punkt-cdn.oslo.kommune.no); those URLs are
  rewritten to the local copies in `punkt/icons/`.
- htmx, for pages where interaction helps.
- axe-core, injected by the browser tests to check accessibility.

Each package's licence is copied beside its files. The licence banner comments
(`/*! ... */`) at the top of the JavaScript files are kept as they are: axe-core's
licence (MPL-2.0) requires its notice in every copy. The test
`src/tillit/web/tests/test_vendored_assets.py` checks that no http(s) URL is
left outside such comments (apart from a short, explicit list of names that are
never fetched, such as the SVG namespace).

The output directory is generated, never edited by hand, and not committed
(see .gitignore). Usage: python scripts/vendor_assets.py [--node-modules DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
OUT = ROOT / "src" / "tillit" / "web" / "static" / "vendor"

PUNKT_CSS = "@oslokommune/punkt-css"
PUNKT_ASSETS = "@oslokommune/punkt-assets"

# Punkt's compiled CSS loads these from its CDN; they become ../icons/NAME.svg.
CDN_ICON = re.compile(
    r"""url\((?P<q>["']?)https://punkt-cdn\.oslo\.kommune\.no/[^/"')]+/icons/"""
    r"""(?P<name>[a-z0-9-]+\.svg)(?P=q)\)"""
)
CSS_URL = re.compile(r"""url\((?P<q>["']?)(?P<url>[^"')]+)(?P=q)\)""")
ANY_WEB_URL = re.compile(r"https?://", re.IGNORECASE)


class VendorError(RuntimeError):
    pass


def package_dir(node_modules: Path, name: str) -> Path:
    path = node_modules / name
    if not (path / "package.json").is_file():
        raise VendorError(f"{name} is not installed in {node_modules}: run `npm ci` first.")
    return path


def installed_version(node_modules: Path, name: str) -> str:
    return json.loads((package_dir(node_modules, name) / "package.json").read_text("utf-8"))[
        "version"
    ]


def check_lock(node_modules: Path) -> dict[str, str]:
    """The installed packages must be the ones package-lock.json pins."""
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    versions = {}
    for name in json.loads((ROOT / "package.json").read_text("utf-8"))["dependencies"]:
        pinned = lock["packages"][f"node_modules/{name}"]["version"]
        installed = installed_version(node_modules, name)
        if installed != pinned:
            raise VendorError(
                f"{name} {installed} is installed but package-lock.json pins {pinned}: run `npm ci`."
            )
        versions[name] = installed
    return versions


def copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def localise_punkt_css(css: str, icons_dir: Path) -> tuple[str, list[str]]:
    """Point the CDN icon URLs at the local icons; return the new CSS and the icons used."""
    used: list[str] = []

    def local(match: re.Match[str]) -> str:
        name = match.group("name")
        if not (icons_dir / name).is_file():
            raise VendorError(f"Punkt's CSS uses the icon {name}, which punkt-assets lacks.")
        used.append(name)
        return f'url("../icons/{name}")'

    css = CDN_ICON.sub(local, css)
    if ANY_WEB_URL.search(css):
        left = sorted(set(re.findall(r"https?://[^\s\"')]+", css)))
        raise VendorError(f"Punkt's CSS still loads from the internet: {', '.join(left)}")
    return css, sorted(set(used))


def vendor_punkt(node_modules: Path, out: Path) -> None:
    css_pkg = package_dir(node_modules, PUNKT_CSS)
    assets_pkg = package_dir(node_modules, PUNKT_ASSETS)
    assets = assets_pkg / "dist"
    target = out / "punkt"

    css, _icons = localise_punkt_css(
        (css_pkg / "dist" / "css" / "pkt.min.css").read_text("utf-8"), assets / "icons"
    )
    (target / "css").mkdir(parents=True, exist_ok=True)
    (target / "css" / "pkt.min.css").write_text(css, "utf-8")

    # Every relative URL in the CSS (fonts, icons) must resolve inside the copy.
    for folder in ("fonts", "icons"):
        shutil.copytree(assets / folder, target / folder, dirs_exist_ok=True)
    for logo in ("oslologo.svg", "favicon.ico", "32x32-favicon.png", "apple-touch-icon.png"):
        copy(assets / "logos" / logo, target / "logos" / logo)
    for url in CSS_URL.findall(css):
        ref = url[1]
        if ref.startswith(("data:", "#")):
            continue
        if not (target / "css" / ref).resolve().is_file():
            raise VendorError(f"pkt.min.css refers to {ref}, which is not in the copy.")

    copy(css_pkg / "LICENSE", target / "LICENSE-punkt-css.txt")
    copy(assets_pkg / "LICENSE", target / "LICENSE-punkt-assets.txt")


def vendor_htmx(node_modules: Path, out: Path) -> None:
    pkg = package_dir(node_modules, "htmx.org")
    copy(pkg / "dist" / "htmx.min.js", out / "htmx" / "htmx.min.js")
    copy(pkg / "LICENSE", out / "htmx" / "LICENSE.txt")


def vendor_axe(node_modules: Path, out: Path) -> None:
    pkg = package_dir(node_modules, "axe-core")
    copy(pkg / "axe.min.js", out / "axe" / "axe.min.js")
    copy(pkg / "LICENSE", out / "axe" / "LICENSE.txt")
    copy(pkg / "LICENSE-3RD-PARTY.txt", out / "axe" / "LICENSE-3RD-PARTY.txt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, default=NODE_MODULES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        versions = check_lock(args.node_modules)
        if args.out.exists():
            shutil.rmtree(args.out)
        args.out.mkdir(parents=True)
        vendor_punkt(args.node_modules, args.out)
        vendor_htmx(args.node_modules, args.out)
        vendor_axe(args.node_modules, args.out)
        (args.out / "versions.json").write_text(
            json.dumps(versions, indent=2, sort_keys=True) + "\n", "utf-8"
        )
    except VendorError as exc:
        print(f"vendor_assets: {exc}", file=sys.stderr)
        return 1
    print(f"vendor_assets: copied {', '.join(f'{k} {v}' for k, v in sorted(versions.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
