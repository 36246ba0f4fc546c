"""The contract's error shape: `{"detail": ..., "errors": {field: [messages]}}`.

Bad input is never a 500: pydantic validation errors become 422 with field
errors, unparsable bodies 400, missing objects and other districts' objects
the same 404, policy refusals 403, conflicts 409.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}

# Norwegian field messages for pydantic's error types (its own are English);
# `{...}` takes the error's context. Our own types (tillit.api.fields) write
# Norwegian already and keep their message.
MESSAGES = {
    "missing": "Feltet må fylles ut.",
    "int_parsing": "Skriv et heltall.",
    "int_type": "Skriv et heltall.",
    "int_from_float": "Skriv et heltall.",
    "float_parsing": "Skriv et tall.",
    "float_type": "Skriv et tall.",
    "greater_than_equal": "Verdien må være minst {ge}.",
    "greater_than": "Verdien må være større enn {gt}.",
    "less_than_equal": "Verdien kan være høyst {le}.",
    "less_than": "Verdien må være mindre enn {lt}.",
    "date_parsing": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "date_from_datetime_parsing": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "date_from_datetime_inexact": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "date_type": "Skriv datoen som ÅÅÅÅ-MM-DD.",
    "datetime_parsing": "Skriv tidspunktet som ÅÅÅÅ-MM-DDTTT:MM med tidssone (ISO 8601).",
    "datetime_from_date_parsing": "Skriv tidspunktet som ÅÅÅÅ-MM-DDTTT:MM med tidssone (ISO 8601).",
    "datetime_type": "Skriv tidspunktet som ÅÅÅÅ-MM-DDTTT:MM med tidssone (ISO 8601).",
    "time_parsing": "Skriv klokkeslettet som TT:MM.",
    "time_type": "Skriv klokkeslettet som TT:MM.",
    "string_too_long": "Teksten kan ha høyst {max_length} tegn.",
    "string_too_short": "Teksten må ha minst {min_length} tegn.",
    "string_type": "Skriv en tekst.",
    "bool_parsing": "Skriv true eller false.",
    "bool_type": "Skriv true eller false.",
    "list_type": "Skriv en liste.",
    "dict_type": "Skriv et objekt.",
    "model_type": "Skriv et objekt.",
    "model_attributes_type": "Skriv et objekt.",
    "json_invalid": "Forespørselen er ikke gyldig JSON.",
    "literal_error": "Velg en av de tillatte verdiene.",
    "enum": "Velg en av de tillatte verdiene.",
}


def message_of(error: dict) -> str:
    template = MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template


class Conflict(Exception):
    """The request clashes with the current state (409)."""

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, object]:
    return {"detail": detail, "errors": errors or {}}


def field_of(location: object) -> str:
    parts = [str(p) for p in (location or []) if str(p) not in LOCATIONS]
    # ninja nests parameters under the function argument's name; keep the leaf.
    return parts[-1] if parts else "__all__"


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors=None) -> HttpResponse:
        return api.create_response(request, error_body(detail, errors), status=status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(field_of(error.get("loc")), []).append(message_of(error))
        return respond(request, 422, "The request has invalid values.", errors)

    @api.exception_handler(DjangoValidationError)
    def domain_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {f: [str(m) for m in ms] for f, ms in exc.message_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        return respond(request, 422, "The request has invalid values.", errors)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 400, "Forespørselen er for stor.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "Authentication required.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "Not found.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, "You do not have access to this.")

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return respond(request, 409, exc.detail, exc.errors)
