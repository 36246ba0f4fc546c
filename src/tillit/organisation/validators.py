"""Field validators for the organisation's contact data, in Norwegian through i18n."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def phone_digits(value: str) -> str:
    """The eight national digits of a Norwegian phone number written with
    spaces and an optional +47 or 0047 prefix; '' when it is not one."""
    compact = "".join(value.split())
    for prefix in ("+47", "0047"):
        if compact.startswith(prefix) and len(compact) > 8:
            compact = compact[len(prefix):]
            break
    # Eight digits; 0 and 1 begin short and special numbers, never a subscriber's.
    if len(compact) == 8 and compact.isdigit() and compact[0] not in "01":
        return compact
    return ""


def validate_norwegian_phone(value: str) -> None:
    if value and not phone_digits(value):
        raise ValidationError(
            _("Enter a Norwegian phone number: eight digits, not starting with 0 or 1, "
              "optionally after +47."),
            code="invalid_phone",
        )


def tel_uri(value: str) -> str:
    """`tel:+47` and the eight digits for a valid number, '' otherwise."""
    digits = phone_digits(value)
    return f"tel:+47{digits}" if digits else ""


def display_phone(value: str) -> str:
    """'21 00 03 01': the digits in pairs, as Norwegians write them."""
    digits = phone_digits(value)
    if not digits:
        return value
    return " ".join(digits[i:i + 2] for i in range(0, 8, 2))
