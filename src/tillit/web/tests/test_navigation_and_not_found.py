"""The current menu item is marked (aria-current), case pages have
breadcrumbs, and a missing page is the Norwegian 404 page in every mode
(issue #14, item 8)."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

pytestmark = pytest.mark.django_db


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def current_items(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]
            if 'aria-current="page"' in part.split(">", 1)[0]
            and "tillit-nav__link" in html]


@pytest.mark.parametrize(("path", "marked"), [
    ("/saksbehandling/", "/saksbehandling/"),
    ("/saksbehandling/mine/", "/saksbehandling/mine/"),
    ("/saksbehandling/soknader/ny/", "/saksbehandling/"),  # a page under Case work
    ("/brukere/", "/brukere/"),
])
def test_the_current_menu_item_is_marked(saksbehandler_sagene, path, marked) -> None:
    html = browser(saksbehandler_sagene).get(path).content.decode()
    nav = html.split('class="tillit-nav"', 1)[1].split("</nav>", 1)[0]
    assert current_items(nav) == [marked]


@pytest.mark.parametrize("debug", [True, False])
def test_missing_pages_give_the_norwegian_page(settings, saksbehandler_sagene, debug) -> None:
    settings.DEBUG = debug
    http = browser(saksbehandler_sagene)
    for path in ["/finnes-ikke/", "/saksbehandling/soknader/999999/"]:
        response = http.get(path)
        assert response.status_code == 404
        text = response.content.decode()
        assert 'lang="nb"' in text and "Fant ikke siden" in text and "Traceback" not in text
    api = http.get("/api/v1/applications/999999")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")


def test_the_application_page_has_breadcrumbs(saksbehandler_sagene, make_client) -> None:
    import datetime as dt

    from tillit.decisions import services
    from tillit.decisions.models import ServiceType

    person = make_client("sagene")
    application = services.do_register_application(
        client=person, service_type=ServiceType.objects.get(code="home-nursing"),
        source="client", received_at=services.now() - dt.timedelta(days=1),
        actor=saksbehandler_sagene)
    html = browser(saksbehandler_sagene).get(
        f"/saksbehandling/soknader/{application.pk}/").content.decode()
    crumbs = html.split('class="tillit-breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/saksbehandling/"' in crumbs
    assert f'href="/saksbehandling/brukere/{person.pk}/"' in crumbs
    assert 'aria-current="page"' in crumbs
