"""The start page shows only what exists: every card of every role is a
link to a page that role can open (issue #14, "no surprises")."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient
from django.urls import resolve

from tillit.access.policy import policy_of
from tillit.web.navigation import navigation_for
from tillit.web.roles import CAPABILITIES, capabilities_for

pytestmark = pytest.mark.django_db

CARD_LINK = re.compile(r'<a class="pkt-linkcard[^"]*tillit-capability__link" href="([^"]+)"')


def test_every_card_on_every_roles_start_page_opens(personas) -> None:
    assert {u.role for u in personas.values()} == set(CAPABILITIES)  # every role is tried
    for username, user in personas.items():
        http = HttpClient()
        http.force_login(user)
        start = http.get("/")
        assert start.status_code == 200, username
        links = CARD_LINK.findall(start.content.decode())
        assert len(links) == len(capabilities_for(user.role)) > 0, (username, links)
        for link in links:
            page = http.get(link, follow=True)  # staffing's home goes to the district
            assert page.status_code == 200, (username, link, page.status_code)


def test_every_menu_item_of_every_role_is_a_page_the_role_may_open(personas) -> None:
    """The menu beside the cards: each entry's view lets the role in (its
    declared policy; the start page only asks for a login)."""
    checked = 0
    for username, user in personas.items():
        for item in navigation_for(user):
            if item["name"] == "start":
                continue
            declared = policy_of(resolve(str(item["url"])).func)
            assert declared is not None and declared.allows(user), (username, item["name"])
            checked += 1
    assert checked > 30


def test_the_admin_index_lists_configuration_but_no_person_level_model(admin_user) -> None:
    http = HttpClient()
    http.force_login(admin_user)
    index = http.get("/admin/").content.decode()
    assert 'href="/admin/organisation/district/"' in index
    assert 'href="/admin/accounts/user/"' in index
    assert 'href="/admin/clients/' not in index
