"""Deny by default: every page and API operation declares its access policy.

Pages:

    from tillit.access.policy import policy

    @policy("access.list_clients")
    def client_list(request): ...

    @policy("access.list_clients", object_rule="access.view_client")
    def client_detail(request, client_id):
        client = visible_client_or_404(request.user, client_id)   # same logic as lists

API operations (django-ninja), with the decorator *below* the route:

    @router.get("/clients/{client_id}", response=ClientOut)
    @policy("access.list_clients", object_rule="access.view_client")
    def get_client(request, client_id: int): ...

`rule` is a role-level rule (user only) from `tillit.access.rules`, checked
before the view runs. `object_rule` (user, client) documents the check the
view makes when it fetches its object through `visible_clients` /
`visible_to(user)`; the enumeration test holds both to their word.

Views that cannot be decorated (e.g. Django's auth views) are declared by
URL name with `declare_url_policy(name, policy)`. The admin site is covered
by `ADMIN`. `tillit.access.middleware.AccessPolicyMiddleware` refuses every
view without a declared policy (403), and the API refuses every operation
without one.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


@dataclass(frozen=True)
class Policy:
    rule: str
    object_rule: str | None = None

    def allows(self, user, obj: object | None = None) -> bool:
        if not rules.test_rule(self.rule, user):
            return False
        if self.object_rule is not None and obj is not None:
            return rules.test_rule(self.object_rule, user, obj)
        return True

    @property
    def is_public(self) -> bool:
        return self.rule == PUBLIC.rule

    def as_openapi(self) -> dict[str, str]:
        value = {"rule": self.rule}
        if self.object_rule:
            value["object_rule"] = self.object_rule
        return value


PUBLIC = Policy("access.public")
AUTHENTICATED = Policy("access.authenticated")
ADMIN = Policy("access.admin_site")
# The REST API's URL patterns: each operation carries its own policy.
API_OPERATIONS = Policy("access.api_operations")

_URL_POLICIES: dict[str, Policy] = {}


def declare_url_policy(url_name: str, declared: Policy) -> None:
    """For views that cannot carry the decorator (library views)."""
    _URL_POLICIES[url_name] = declared


def url_policy(url_name: str | None) -> Policy | None:
    return _URL_POLICIES.get(url_name or "")


def policy_of(view: Callable[..., Any]) -> Policy | None:
    return getattr(view, "tillit_policy", None)


def policy(rule: str, *, object_rule: str | None = None) -> Callable:
    """Declare and enforce a view's or API operation's access rule."""
    declared = Policy(rule, object_rule)
    for name in filter(None, (rule, object_rule)):
        if not rules.rule_exists(name):
            raise LookupError(f"no access rule named {name!r}")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = request.user
            if not declared.allows(user):
                if not declared.is_public and not user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.tillit_policy = declared  # type: ignore[attr-defined]
        # django-ninja reads the signature through this wrapper; resolve
        # string annotations (`from __future__ import annotations`) in the
        # view's own module, not in this one.
        with contextlib.suppress(NameError, TypeError):
            guarded.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return guarded

    return decorate
