"""Browser test harness: Playwright for Python driving Debian's Chromium.

Tests in this folder are marked `browser` (by the collection hook below; a
`pytestmark = pytest.mark.browser` line in the module says so too) and run
in the normal pytest run against pytest-django's `live_server` (which
serves static files through Django's staticfiles finders, so the vendored
Punkt, htmx and axe files from `make assets` are served locally).

Fixtures (function scope unless noted):

- `browser` (module): headless Chromium from /usr/bin/chromium. Playwright
  gives each launch a fresh, temporary user-data dir; each test gets its own
  browser context (cookies, storage), so tests never share a session. Module
  scope, because Django's ORM guard is lifted only while Playwright runs.
- `page`: an anonymous page (bokmål browser, 1280×800) in a new context.
- `new_page(*, viewport=(w, h), locale="nb-NO") -> Page`: more pages, each in
  its own context (e.g. a phone at 360×740, or an English browser).
- `page_as(username, *, password=None, viewport=None, locale="nb-NO") -> Page`:
  creates the demo user when missing (see `demo_user`), logs in through the
  real login form and returns the page, on the start page.
- `login(page, username, password)`: fills and submits the login form.
- `demo_user(username, *, password="demo") -> User`: a user named like the
  demo logins (`admin`, `saksbehandler`, `saksbehandler.<d>`, `leder.<d>`,
  `planlegger.<d>`, `pleier.<d>.<n>`, `analytiker`), with the matching role
  and district, made with the project's `make_user` persona factory
  (src/tillit/conftest.py; carers and planners get an Employee in the
  district's home care team) when missing; its password is set to `password`.
  The project's `city` fixture gives Oslo and its 15 districts, and the
  personas there (`leder_sagene`, ...) work with `page_as` by username.
- `axe_check(page, *, impacts=("serious", "critical"), disable=()) -> list`:
  runs the local axe-core on the page and fails the test on violations of
  those impacts, listing them; returns all violations.
- `console_errors` -> list[str]: console errors and uncaught exceptions of
  every page opened by the fixtures above (CSP violations and failed loads
  show up here).
- `url(path_or_name, *args) -> str`: an absolute live-server URL for a path
  or a URL name.

On failure, a screenshot and the HTML of every open page are written to
`test-results/<test>/` (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.servers.basehttp import ThreadedWSGIServer
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# -- one request at a time on the live server -----------------------------------
#
# On SQLite the test database lives in memory and the live server's request
# threads share the test's one connection (pytest-django passes it to them).
# Two requests at once (a phone sending a visit report while the page loads
# its next part) then meet on that connection and one fails with "database
# table is locked", which no user of a real database would see. The live
# server answers one request at a time: browsers keep several connections
# open (HTTP keep-alive), so the lock is taken per request, around Django,
# not per connection.
_ONE_REQUEST = threading.Lock()
_set_app = ThreadedWSGIServer.set_app


def _set_serial_app(server: ThreadedWSGIServer, application: Callable) -> None:
    def one_at_a_time(environ: dict, start_response: Callable) -> object:
        with _ONE_REQUEST:
            return application(environ, start_response)

    _set_app(server, one_at_a_time)


ThreadedWSGIServer.set_app = _set_serial_app  # type: ignore[method-assign]


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_DIR = Path(__file__).resolve().parents[5]
RESULTS_DIR = PROJECT_DIR / "test-results"
AXE_SCRIPT = "vendor/axe/axe.min.js"
DESKTOP = (1280, 800)
DEFAULT_PASSWORD = "demo"


# -- failure artefacts ---------------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (`-m "not browser"` skips them)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _failed(node: pytest.Item) -> bool:
    return any(
        getattr(getattr(node, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )


def _results_folder(node: pytest.Item) -> Path:
    return RESULTS_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "_", node.nodeid)[-180:]


def _save_artefacts(node: pytest.Item, pages: list[Page]) -> None:
    folder = _results_folder(node)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for n, page in enumerate(pages, 1):
        if page.is_closed():
            continue
        try:
            page.screenshot(path=str(folder / f"page{n}.png"), full_page=True)
            (folder / f"page{n}.html").write_text(page.content(), "utf-8")
            (folder / f"page{n}.url.txt").write_text(page.url + "\n", "utf-8")
        except Exception as exc:  # a crashed page must not hide the test's own failure
            (folder / f"page{n}.error.txt").write_text(repr(exc) + "\n", "utf-8")


# -- the browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            "Browser tests need Debian's Chromium at /usr/bin/chromium: "
            "`apt-get install chromium` (or `make browser`)."
        )
    # Playwright's sync API keeps an asyncio loop running in this thread while it
    # is started, and Django refuses ORM calls from a thread with a running loop.
    # The test code here is plain synchronous code, so the guard is lifted for
    # exactly as long as Playwright runs (one test module), then restored.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def url(live_server) -> Callable[..., str]:
    def absolute(path_or_name: str, *args: object) -> str:
        if path_or_name.startswith("/"):
            return live_server.url + path_or_name
        try:
            return live_server.url + reverse(path_or_name, args=args)
        except NoReverseMatch:
            raise ValueError(f"{path_or_name!r} is neither a path nor a URL name") from None

    return absolute


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser: Browser, live_server, console_errors: list[str]
) -> Iterator[Callable[..., Page]]:
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def open_page(*, viewport: tuple[int, int] = DESKTOP, locale: str = "nb-NO") -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport={"width": viewport[0], "height": viewport[1]},
            is_mobile=viewport[0] < 600,
            has_touch=viewport[0] < 600,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                console_errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None
            ),
        )
        page.on("pageerror", lambda exc: console_errors.append(f"{page.url}: {exc}"))
        pages.append(page)
        return page

    yield open_page

    if _failed(request.node):
        _save_artefacts(request.node, pages)
    elif _results_folder(request.node).exists():  # left from an earlier failed run
        shutil.rmtree(_results_folder(request.node))
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


# -- demo users ----------------------------------------------------------------------


def role_and_district_slug(username: str) -> tuple[str, str | None]:
    """The role and district slug a demo login's name stands for."""
    from tillit.accounts.models import Role

    city_wide = {
        "admin": Role.SYSTEM_ADMIN,
        "saksbehandler": Role.CASE_HANDLER,
        "analytiker": Role.ANALYST,
    }
    if username in city_wide:
        return city_wide[username], None
    kinds = {
        "saksbehandler": Role.CASE_HANDLER,
        "leder": Role.DISTRICT_MANAGER,
        "planlegger": Role.PLANNER,
        "pleier": Role.CARER,
    }
    parts = username.split(".")
    if parts[0] in kinds and (len(parts) == 2 or (parts[0] == "pleier" and len(parts) == 3)):
        return kinds[parts[0]], parts[1]
    raise ValueError(f"{username!r} is not named like a demo login")


@pytest.fixture
def demo_user(make_user: Callable[..., object]) -> Callable[..., object]:
    from tillit.accounts.models import Role, User

    def make(username: str, *, password: str = DEFAULT_PASSWORD) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            role, slug = role_and_district_slug(username)
            admin = role == Role.SYSTEM_ADMIN
            user = make_user(username, role, slug, is_staff=admin, is_superuser=admin)
        user.set_password(password)
        user.save(update_fields=["password"])
        return user

    return make


def login(page: Page, username: str, password: str) -> None:
    """Log in through the real form (the page must be on the login page)."""
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form.tillit-form button[type=submit]").click()


@pytest.fixture(name="login")
def login_fixture() -> Callable[[Page, str, str], None]:
    return login


@pytest.fixture
def page_as(
    new_page: Callable[..., Page], demo_user: Callable[..., object], url: Callable[..., str]
) -> Callable[..., Page]:
    def open_as(
        username: str,
        *,
        password: str | None = None,
        viewport: tuple[int, int] | None = None,
        locale: str = "nb-NO",
    ) -> Page:
        password = password or DEFAULT_PASSWORD
        demo_user(username, password=password)
        page = new_page(viewport=viewport or DESKTOP, locale=locale)
        page.goto(url("login"))
        login(page, username, password)
        if page.url != url("start"):
            raise AssertionError(
                f"logging in as {username} ended on {page.url}, not the start page"
            )
        return page

    return open_as


# -- accessibility -------------------------------------------------------------------


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)]")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def axe_check(live_server) -> Callable[..., list[dict]]:
    def check(
        page: Page,
        *,
        impacts: tuple[str, ...] = ("serious", "critical"),
        disable: tuple[str, ...] = (),
    ) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            if finders.find(AXE_SCRIPT) is None:
                pytest.fail(f"{AXE_SCRIPT} is not in the static files: run `make assets`.")
            # The local copy from `make assets`, served like any static file (CSP 'self').
            page.add_script_tag(url=live_server.url + static(AXE_SCRIPT))
        options = {
            "resultTypes": ["violations"],
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            },
            "rules": {rule: {"enabled": False} for rule in disable},
        }
        result = page.evaluate("async (options) => await axe.run(document, options)", options)
        violations = result["violations"]
        failing = [v for v in violations if v["impact"] in impacts]
        if failing:
            pytest.fail(
                f"axe found {len(failing)} {'/'.join(impacts)} violation(s) on {page.url}:\n"
                + format_violations(failing),
                pytrace=False,
            )
        return violations

    return check
