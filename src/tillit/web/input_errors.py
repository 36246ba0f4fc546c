"""Norwegian field messages for the schema errors django-ninja reports
(pydantic's error types), so the API's 422 answers are as readable as the
forms' errors. Unknown types keep pydantic's own message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _values(expected: object) -> str:
    return str(expected).replace("'", "").replace(" or ", " " + _("or") + " ")


def message_of(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "literal_error" or kind == "enum":
        return _("Choose one of: %(values)s.") % {"values": _values(ctx.get("expected", ""))}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("The value must be at least %(limit)s.") % {
            "limit": ctx.get("ge", ctx.get("gt", ""))}
    if kind in {"less_than_equal", "less_than"}:
        return _("The value must be at most %(limit)s.") % {
            "limit": ctx.get("le", ctx.get("lt", ""))}
    if kind == "too_short":
        return _("Give at least %(n)s.") % {"n": ctx.get("min_length", 1)}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length", "")}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Give a whole number.")
    if kind.startswith("date") and "time" not in kind:
        return _("Give a date as YYYY-MM-DD.")
    if kind.startswith("datetime"):
        return _("Give a time as YYYY-MM-DDTHH:MM.")
    if kind.startswith("time"):
        return _("Give a time of day as HH:MM.")
    if kind in {"string_type", "list_type", "dict_type", "bool_parsing", "bool_type"}:
        return _("The value has the wrong type.")
    return str(error.get("msg", ""))


# The `detail` of the API's error answers (`tillit.api.errors`). They live
# here, beside the field messages, so that the web app's makemessages finds
# them: `tillit.api` is no app and has no catalogue of its own.
INVALID_VALUES = gettext_lazy("The request has invalid values.")
UNREADABLE_BODY = gettext_lazy("The body of the request cannot be read.")
TOO_LARGE = gettext_lazy("The request is too large.")
NOT_SIGNED_IN = gettext_lazy("Sign in or send a valid access token.")
CSRF_FAILED = gettext_lazy(
    "The CSRF check failed: send the CSRF token with changes made with a browser session.")
NO_ACCESS = gettext_lazy("You do not have access to this.")
NOT_FOUND = gettext_lazy("Not found, or you do not have access to it.")
