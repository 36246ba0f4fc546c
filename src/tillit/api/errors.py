"""The contract's error shape: `{"detail": ..., "errors": {field: [messages]}}`.

Bad input is never a 500: pydantic validation errors become 422 with field
errors, unparsable bodies 400, missing objects and other districts' objects
the same 404, policy refusals 403, conflicts 409.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tillit.web import input_errors as texts
from tillit.web.input_errors import message_of as translated_message_of

LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}

# Norwegian messages for the pydantic error types that the forms' shared
# table (`tillit.web.input_errors`) does not name; our own field types
# (tillit.api.fields) write Norwegian already and keep their message.
MORE_MESSAGES = {
    "float_parsing": "Skriv et tall.",
    "float_type": "Skriv et tall.",
    "string_too_short": "Teksten må ha minst {min_length} tegn.",
    "model_type": "Skriv et objekt.",
    "model_attributes_type": "Skriv et objekt.",
    "json_invalid": "Forespørselen er ikke gyldig JSON.",
}


def message_of(error: dict) -> str:
    template = MORE_MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return translated_message_of(error)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template


class ErrorOut(Schema):
    """The one error shape of every operation."""

    detail: str
    errors: dict[str, list[str]]


# Every error status an operation may answer with, for `response={...}`.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class Conflict(Exception):
    """The request clashes with the current state (409)."""

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, object]:
    return {"detail": detail, "errors": errors or {}}


def field_of(location: object) -> str:
    """`visits.0.minutes` for pydantic's ("body", "body", "visits", 0, "minutes"):
    ninja puts the location, then the function argument's name, then the
    path inside the schema."""
    parts = [str(p) for p in (location or [])]
    if parts and parts[0] in LOCATIONS:
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    return ".".join(parts) if parts else "__all__"


def http_error_detail(exc: HttpError) -> str:
    """Bokmål for the errors django-ninja raises itself (an unreadable body,
    a failed CSRF check); our code raises none of its own."""
    if exc.status_code == 400:
        return str(texts.UNREADABLE_BODY)
    if exc.status_code == 403:
        return str(texts.CSRF_FAILED if "CSRF" in str(exc) else texts.NO_ACCESS)
    return str(exc)


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors=None) -> HttpResponse:
        return api.create_response(request, error_body(str(detail), errors), status=status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(field_of(error.get("loc")), []).append(message_of(error))
        return respond(request, 422, texts.INVALID_VALUES, errors)

    @api.exception_handler(DjangoValidationError)
    def domain_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {f: [str(m) for m in ms] for f, ms in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return respond(request, 422, texts.INVALID_VALUES, errors)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 400, texts.TOO_LARGE)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, texts.NOT_SIGNED_IN)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, http_error_detail(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, texts.NOT_FOUND)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, texts.NO_ACCESS)

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return respond(request, 409, exc.detail, exc.errors)
