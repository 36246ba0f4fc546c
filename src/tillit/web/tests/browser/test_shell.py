"""The app's shell in a real browser: login, each role's start page, logout,
accessibility (axe), bokmål, a phone's screen and a strict CSP."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from tillit.accounts.models import Role, User
from tillit.web.roles import capabilities_for

pytestmark = pytest.mark.browser

PHONE = (360, 740)

# One login of every kind the demo city creates: (username, role, district name).
DEMO_LOGINS = [
    ("admin", Role.SYSTEM_ADMIN, None),
    ("saksbehandler", Role.CASE_HANDLER, None),
    ("saksbehandler.sagene", Role.CASE_HANDLER, "Sagene"),
    ("leder.grunerlokka", Role.DISTRICT_MANAGER, "Grünerløkka"),
    ("planlegger.st-hanshaugen", Role.PLANNER, "St. Hanshaugen"),
    ("pleier.sondre-nordstrand.1", Role.CARER, "Søndre Nordstrand"),
    ("analytiker", Role.ANALYST, None),
]


def in_bokmal(text) -> str:
    with translation.override("nb"):
        return str(text)


def in_english(text) -> str:
    with translation.override("en"):
        return str(text)


def has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize(("username", "role", "district"), DEMO_LOGINS)
def test_each_role_logs_in_to_its_start_page(
    page_as, axe_check, console_errors, username, role, district
):
    page = page_as(username)

    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page).to_have_title("Start – tillit")
    user = User.objects.get(username=username)
    expect(page.locator("h1")).to_have_text(f"Velkommen, {user.get_full_name() or username}")
    role_label = in_bokmal(Role(role).label)
    assert role_label != in_english(Role(role).label), "the role name is not in bokmål"
    expect(page.locator("#role .tillit-role__name")).to_have_text(capfirst(role_label))
    expect(page.locator("#role .tillit-role__scope")).to_have_text(district or "hele byen")

    capabilities = capabilities_for(role)
    titles = page.locator(".tillit-capability__title")
    expect(titles).to_have_count(len(capabilities))
    expect(titles).to_have_text([in_bokmal(c.title) for c in capabilities])

    start_link = page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Start")
    expect(start_link).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()

    axe_check(page)
    assert console_errors == []


def test_login_page_is_accessible_bokmal_and_local_only(
    page, url, live_server, axe_check, console_errors
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(url("login"))
    page.evaluate("() => document.fonts.ready")

    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator("h1")).to_have_text("Logg inn i tillit")
    expect(page.get_by_label("Brukernavn")).to_be_visible()
    expect(page.get_by_label("Passord")).to_be_visible()
    expect(page.get_by_role("button", name="Logg inn")).to_be_visible()
    expect(page.get_by_role("img", name="Oslo kommune")).to_be_visible()

    # Punkt's styles and Oslo Sans are loaded, from this server only.
    assert "Oslo Sans" in page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert page.evaluate("() => document.fonts.check('300 16px \"Oslo Sans\"')")
    assert page.evaluate(
        "() => [...document.fonts].some(f => f.family.includes('Oslo Sans') && f.status === 'loaded')"
    )
    assert requested and all(u.startswith(live_server.url) for u in requested), requested

    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp

    axe_check(page)
    assert console_errors == []  # CSP violations and failed loads end up here


def test_wrong_password_shows_a_norwegian_error(page, url, demo_user, axe_check):
    demo_user("leder.alna")
    page.goto(url("login"))
    page.get_by_label("Brukernavn").fill("leder.alna")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()

    with translation.override("nb"):
        expected = AuthenticationForm.error_messages["invalid_login"] % {
            "username": User._meta.get_field("username").verbose_name
        }
    assert "passord" in expected and "password" not in expected
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(expected)
    expect(page).to_have_url(url("login"))
    expect(page.get_by_label("Brukernavn")).to_have_value("leder.alna")
    expect(page.get_by_label("Passord")).to_have_value("")
    axe_check(page)


def test_empty_login_marks_the_fields_in_norwegian(page, url, axe_check):
    page.goto(url("login"))
    page.get_by_role("button", name="Logg inn").click()

    username = page.get_by_label("Brukernavn")
    expect(username).to_have_attribute("aria-invalid", "true")
    required = in_bokmal(forms.Field.default_error_messages["required"])
    assert required != in_english(forms.Field.default_error_messages["required"])
    expect(page.locator("#id_username_errors")).to_have_text(required)
    expect(username).to_have_accessible_description(required)
    axe_check(page)


def test_logout_ends_the_session(page_as, url):
    page = page_as("planlegger.bjerke")
    page.get_by_role("button", name="Logg ut").click()

    expect(page).to_have_url(url("login"))
    expect(page.get_by_role("button", name="Logg ut")).to_have_count(0)
    page.goto(url("start"))
    expect(page).to_have_url(url("login") + "?next=/")
    expect(page.locator("h1")).to_have_text("Logg inn i tillit")


def test_login_returns_to_the_page_asked_for(page, url, demo_user, login):
    demo_user("saksbehandler.frogner")
    page.goto(url("start"))
    expect(page).to_have_url(url("login") + "?next=/")
    login(page, "saksbehandler.frogner", "demo")
    expect(page).to_have_url(url("start"))
    expect(page.locator("#role .tillit-role__scope")).to_have_text("Frogner")


def test_a_carer_on_a_phone_needs_no_sideways_scrolling(
    page_as, new_page, url, axe_check, console_errors
):
    anonymous = new_page(viewport=PHONE)
    anonymous.goto(url("login"))
    assert not has_horizontal_scroll(anonymous)
    submit = anonymous.get_by_role("button", name="Logg inn").bounding_box()
    assert submit["x"] >= 0 and submit["x"] + submit["width"] <= PHONE[0]
    assert submit["height"] >= 44  # a target for a thumb
    axe_check(anonymous)

    page = page_as("pleier.gamle-oslo.1", viewport=PHONE)
    assert page.evaluate("() => window.innerWidth") == PHONE[0]
    assert not has_horizontal_scroll(page)
    logout = page.get_by_role("button", name="Logg ut")
    expect(logout).to_be_in_viewport()
    box = logout.bounding_box()
    assert box["x"] + box["width"] <= PHONE[0] and box["height"] >= 44
    expect(page.get_by_role("img", name="Oslo kommune")).to_be_in_viewport()
    expect(page.locator("#role .tillit-role__scope")).to_have_text("Gamle Oslo")
    axe_check(page)
    assert console_errors == []


def test_skip_link_and_visible_focus(page, url):
    page.goto(url("login"))
    skip = page.get_by_role("link", name="Hopp til hovedinnholdet")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    username = page.get_by_label("Brukernavn")
    before = username.evaluate(
        "e => getComputedStyle(e).outlineStyle + getComputedStyle(e).boxShadow + getComputedStyle(e).borderColor"
    )
    username.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(username).to_be_focused()
    after = username.evaluate(
        "e => getComputedStyle(e).outlineStyle + getComputedStyle(e).boxShadow + getComputedStyle(e).borderColor"
    )
    assert after != before, "the focused username field looks the same as unfocused"


@pytest.mark.parametrize(
    ("browser_locale", "lang", "heading"),
    [
        ("nb-NO", "nb", "Logg inn i tillit"),
        ("nn-NO", "nb", "Logg inn i tillit"),  # no nynorsk yet: bokmål, the default
        ("de-DE", "nb", "Logg inn i tillit"),
        ("en-GB", "en", "Log in to tillit"),
    ],
)
def test_bokmal_by_default_english_on_request(new_page, url, browser_locale, lang, heading):
    page = new_page(locale=browser_locale)
    page.goto(url("login"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_text(heading)


def test_htmx_is_local_and_sends_the_csrf_token(page_as, url, console_errors):
    page = page_as("leder.sagene")
    page.wait_for_function("() => typeof window.htmx !== 'undefined'")
    assert page.evaluate("() => htmx.version") == "4.0.1"

    # Logging out is a POST that Django only accepts with a valid CSRF token;
    # htmx sends no form here, so only the header from base.html can carry it.
    with page.expect_response(url("logout")) as response:
        page.evaluate("() => htmx.ajax('POST', '/logg-ut/', {target: '#main'})")
    assert response.value.status == 302
    assert response.value.request.header_value("x-csrftoken")
    page.goto(url("start"))
    expect(page).to_have_url(url("login") + "?next=/")
    assert console_errors == []
