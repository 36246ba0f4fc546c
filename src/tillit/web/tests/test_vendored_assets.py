"""The vendored front-end assets exist and load nothing from the internet.

`make assets` (run by `make test` and `make demo`) installs the npm packages
pinned in package-lock.json and copies them with scripts/vendor_assets.py.

The rule for the vendored CSS and JavaScript: no http:// or https:// URL,
with two explicit exceptions that are never fetched:

1. Licence banner comments (`/*! ... */`). axe-core's licence (MPL-2.0) asks
   for its notice, URL included, in every copy, so such comments are kept and
   only URLs inside them are allowed.
2. A fixed list of strings in code that are names or texts, not addresses the
   code loads: XML namespace names, and in axe-core (which only the browser
   tests inject) the base of the help links in its results, the link in one
   error message and core-js's licence metadata. A new URL in any file, e.g.
   after an upgrade, fails this test until someone has looked at it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"
VENDOR = STATIC / "vendor"
PROJECT = Path(__file__).resolve().parents[4]

REQUIRED = [
    "punkt/css/pkt.min.css",
    "punkt/fonts/OsloSans-Regular.woff2",
    "punkt/fonts/OsloSans-Medium.woff2",
    "punkt/fonts/OsloSans-Bold.woff2",
    "punkt/icons/check-medium.svg",
    "punkt/icons/chevron-thin-down.svg",
    "punkt/icons/minus-sign.svg",
    "punkt/icons/new-window-small.svg",
    "punkt/logos/oslologo.svg",
    "punkt/LICENSE-punkt-css.txt",
    "punkt/LICENSE-punkt-assets.txt",
    "htmx/htmx.min.js",
    "htmx/LICENSE.txt",
    "axe/axe.min.js",
    "axe/LICENSE.txt",
    "versions.json",
]

XML_NAMESPACES = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
}
NOT_FETCHED: dict[str, set[str]] = {
    "axe/axe.min.js": {
        "https://dequeuniversity.com/rules/",
        "https://github.com/dequelabs/axe-core/blob/master/doc/context.md",
        "https://github.com/zloirock/core-js",
    },
}
# core-js's licence URL carries its version; allow it by prefix only in axe.
NOT_FETCHED_PREFIX = {"axe/axe.min.js": ("https://github.com/zloirock/core-js/blob/v",)}

URL = re.compile(r"""https?://[^\s"'`()<>\\]*""", re.IGNORECASE)
BANNER = re.compile(r"/\*!.*?\*/", re.DOTALL)


def vendored(pattern: str) -> list[Path]:
    return sorted(VENDOR.glob(pattern))


def require_vendor() -> None:
    if not (VENDOR / "versions.json").is_file():
        pytest.fail(f"{VENDOR} is missing: run `make assets` (npm ci + scripts/vendor_assets.py).")


def urls_outside_banners(text: str) -> list[str]:
    return URL.findall(BANNER.sub("", text))


def test_vendored_files_exist() -> None:
    require_vendor()
    missing = [name for name in REQUIRED if not (VENDOR / name).is_file()]
    assert not missing, f"missing vendored files (run `make assets`): {missing}"


def test_vendored_versions_match_the_lock() -> None:
    require_vendor()
    lock = json.loads((PROJECT / "package-lock.json").read_text("utf-8"))
    copied = json.loads((VENDOR / "versions.json").read_text("utf-8"))
    for name, version in copied.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    wanted = set(json.loads((PROJECT / "package.json").read_text("utf-8"))["dependencies"])
    assert set(copied) == wanted


def test_vendored_css_loads_nothing_from_the_internet() -> None:
    require_vendor()
    sheets = vendored("**/*.css")
    assert sheets
    for sheet in sheets:
        found = urls_outside_banners(sheet.read_text("utf-8"))
        assert not found, f"{sheet.relative_to(VENDOR)} has web URLs: {sorted(set(found))}"


def test_punkt_icons_point_at_local_copies() -> None:
    require_vendor()
    css_dir = VENDOR / "punkt" / "css"
    css = (css_dir / "pkt.min.css").read_text("utf-8")
    refs = re.findall(r"""url\(["']?([^"')]+)["']?\)""", css)
    local = [ref for ref in refs if not ref.startswith(("data:", "#"))]
    assert any(ref.startswith("../icons/") for ref in local)
    assert any(ref.startswith("../fonts/") for ref in local)
    for ref in local:
        assert (css_dir / ref).resolve().is_file(), f"pkt.min.css refers to missing {ref}"


def test_vendored_js_loads_nothing_from_the_internet() -> None:
    require_vendor()
    scripts = vendored("**/*.js")
    assert {p.relative_to(VENDOR).as_posix() for p in scripts} >= {
        "htmx/htmx.min.js",
        "axe/axe.min.js",
    }
    for script in scripts:
        name = script.relative_to(VENDOR).as_posix()
        allowed = XML_NAMESPACES | NOT_FETCHED.get(name, set())
        prefixes = NOT_FETCHED_PREFIX.get(name, ())
        found = {
            url
            for url in urls_outside_banners(script.read_text("utf-8"))
            if url not in allowed and not url.startswith(prefixes)
        }
        assert not found, f"{name} has web URLs outside licence comments: {sorted(found)}"


def test_the_url_check_can_fail() -> None:
    """The checks above would catch a CDN URL in code, but not in a banner."""
    assert urls_outside_banners("a{background:url(https://cdn.example/x.svg)}") == [
        "https://cdn.example/x.svg"
    ]
    assert urls_outside_banners("/*! see https://example.org/licence */var a=1;") == []
