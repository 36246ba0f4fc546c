"""Refuses every view that has not declared an access policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver

from tillit.access.admin_guard import is_person_level_admin_url
from tillit.access.policy import ADMIN, API_OPERATIONS, Policy, policy_of, url_policy


def declared_policy(request: HttpRequest, view_func: Callable[..., Any]) -> Policy | None:
    match = request.resolver_match
    if match is not None and match.app_name == "admin":
        return ADMIN
    return policy_of(view_func) or url_policy(match.view_name if match else None)


def refuse(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The project's 403 page (an answer, not an error to log with a traceback)."""
    handler = get_resolver().resolve_error_handler(403)
    return handler(request, PermissionDenied(reason))


def not_found(request: HttpRequest) -> HttpResponse:
    """The project's 404 page without the exception's text, in every mode
    (DEBUG's technical page would tell an existing id from a missing one)."""
    handler = get_resolver().resolve_error_handler(404)
    return handler(request, Http404())


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        declared = declared_policy(request, view_func)
        if declared is None:
            return refuse(request, "No access policy declared for this view.")
        if declared is API_OPERATIONS or declared.is_public:
            return None
        user = request.user
        if not user.is_authenticated:
            if declared is ADMIN:
                return None  # the admin site shows its own login
            return redirect_to_login(request.get_full_path())
        if not declared.allows(user):
            return refuse(request)
        if declared is ADMIN and is_person_level_admin_url(request.resolver_match.url_name):
            return refuse(request)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = request.resolver_match
        if isinstance(exception, Http404) and match is not None and match.app_name == "admin":
            return not_found(request)
        return None
