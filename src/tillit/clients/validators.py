"""Field validators for client data, in Norwegian through i18n."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.core import fnr


def validate_national_id(value: object) -> None:
    try:
        fnr.parse(value, today=timezone.localdate())
    except fnr.FnrError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
