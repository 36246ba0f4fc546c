"""The navigation each role sees. Entries point only at pages that exist."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Start"), "start", frozenset(Role.values)),
]


def register(item: NavItem) -> None:
    """Apps add their pages to the navigation when they are loaded."""
    if all(existing.url_name != item.url_name for existing in NAV_ITEMS):
        NAV_ITEMS.append(item)


def navigation_for(user, path: str | None = None) -> list[dict[str, object]]:
    """The user's menu; with `path`, the item for the page shown is marked
    `current`: the one whose address is the longest start of the path (a
    case page under /saksbehandling/ marks the case work item)."""
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles and not (user.is_superuser and item.url_name == "start"):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "name": item.url_name, "current": False})
    if path is not None:
        matches = [i for i in items if path == i["url"] or (
            i["url"] != "/" and path.startswith(str(i["url"])))]
        if matches:
            max(matches, key=lambda i: len(str(i["url"])))["current"] = True
    return items
