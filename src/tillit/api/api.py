"""The NinjaAPI instance for `/api/v1/` (see the package docstring for how
to add a router)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError
from ninja.operation import Operation

from tillit.access.policy import Policy, policy_of
from tillit.api import errors
from tillit.api.auth import BearerToken, Session
from tillit.web.input_errors import INVALID_VALUES


def policy_first(run: Callable[..., Any]) -> Callable[..., Any]:
    """Decide access before anything else: authenticate (401), then the
    operation's declared role-level policy (403), and only then parse and
    validate input (422) and run. Deny by default: an operation without
    `@policy` refuses every call."""
    operation: Operation | None = getattr(run, "__self__", None)
    if not isinstance(operation, Operation):
        return run

    @functools.wraps(run)
    def checked(request, *args: Any, **kwargs: Any) -> Any:
        error = authenticate(operation.api, request)
        if error is not None:
            return error
        declared = policy_of(operation.view_func)
        if declared is None:
            return operation.api.on_exception(
                request, PermissionDenied("No access policy declared for this operation.")
            )
        if not declared.allows(request.user):
            return operation.api.on_exception(request, PermissionDenied())
        problem = device_time_problem(request)
        if problem is not None:
            return operation.api.create_response(request, problem, status=400)
        return run(request, *args, **kwargs)

    return checked


# Every operation authenticates the same way (no operation sets its own
# `auth`); the policy layer runs these itself, before ninja's own run of them,
# so that 401 comes before 403 and both before 422.
AUTHENTICATION = [BearerToken(), Session()]


def authenticate(api: NinjaAPI, request: Any) -> Any:
    """None when one of the API's authentications accepts the request, else
    the error answer: 401, or 403 for a session write without its CSRF token."""
    for callback in AUTHENTICATION:
        try:
            if callback(request):
                return None
        except Exception as exc:  # as ninja does: CSRF failures and the like
            return api.on_exception(request, exc)
    return api.on_exception(request, AuthenticationError())


def device_time_problem(request: Any) -> dict[str, object] | None:
    """The error body for an `X-Device-Time` header that is no time with an
    offset in the years 2000-2099 (pages ignore such a header; the API says so)."""
    from tillit.audit.services import DEVICE_TIME_HEADER, parse_device_time

    try:
        parse_device_time(request.headers.get(DEVICE_TIME_HEADER, ""))
    except ValueError:
        return errors.error_body(str(INVALID_VALUES), {DEVICE_TIME_HEADER: [
            "Oppgi enhetens tid som ISO 8601 med tidssone, mellom år 2000 og 2099."]})
    return None


class TillitAPI(NinjaAPI):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # before super(), which adds the default router
        self.tillit_routers: list[tuple[str, Router]] = []
        super().__init__(*args, **kwargs)

    def add_router(self, prefix: str, router: Router | str, **kwargs: Any) -> None:
        if isinstance(router, str):
            router = import_string(router)
        assert isinstance(router, Router)
        super().add_router(prefix, router, **kwargs)
        self.tillit_routers.append((prefix, router))

    def operations(self) -> Iterator[tuple[str, Operation]]:
        """(path, operation) for every operation of every router we added
        (routers hold no routers of their own here); `operation.view_func`
        is the function as written, with its `@policy`."""
        for prefix, router in self.tillit_routers:
            for path, path_view in router.path_operations.items():
                for operation in path_view.operations:
                    yield prefix + path, operation

    def operation_policy(self, operation: Operation) -> Policy | None:
        return policy_of(operation.view_func)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        policies = {}
        for _path, operation in self.operations():
            declared = self.operation_policy(operation)
            policies[self.get_openapi_operation_id(operation)] = declared
        for methods in schema.get("paths", {}).values():
            for spec in methods.values():
                declared = policies.get(spec.get("operationId"))
                if declared is not None:
                    spec["x-tillit-policy"] = declared.as_openapi()
        return schema


api = TillitAPI(
    title="tillit",
    version="1",
    description="Trust-based home care: clients, decisions, day lists, visit reports.",
    urls_namespace="api-v1",
    docs_url=None,  # Swagger UI loads scripts from a CDN, which our CSP refuses
    auth=AUTHENTICATION,
)
api.add_decorator(policy_first, mode="view")
errors.install(api)

api.add_router("", "tillit.clients.api.router")
api.add_router("", "tillit.audit.api.router")
api.add_router("", "tillit.access.api.router")
api.add_router("", "tillit.decisions.api.router")
api.add_router("", "tillit.daylist.api.router")
api.add_router("", "tillit.staffing.api.router")
api.add_router("", "tillit.insight.api.router")
api.add_router("", "tillit.routines.api.router")
api.add_router("", "tillit.training.api.router")
api.add_router("", "tillit.inquiries.api.router")
api.add_router("", "tillit.projects.api.router")
api.add_router("", "tillit.devices.api.router")
api.add_router("", "tillit.workwear.api.router")
api.add_router("", "tillit.planning.api.router")
