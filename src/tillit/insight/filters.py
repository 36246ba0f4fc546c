"""The filters of the insight pages, as enums (the API states them)."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext_lazy as _

from tillit.decisions.reference import SERVICE_TYPES
from tillit.insight.models import ALL_SERVICES

SERVICE_CODES: tuple[str, ...] = (ALL_SERVICES, *(row[0] for row in SERVICE_TYPES))
ServiceCode = Literal["all", "home-nursing", "practical-assistance", "bpa", "safety-alarm"]
ProviderKind = Literal["all", "municipal", "private"]
CareBlockFilter = Literal["all", "light", "medium", "extensive", "none"]
PROVIDER_KINDS: tuple[str, ...] = ("all", "municipal", "private")
CARE_BLOCKS: tuple[str, ...] = ("all", "light", "medium", "extensive", "none")

SERVICE_LABELS = {ALL_SERVICES: _("all services"), **{row[0]: row[1] for row in SERVICE_TYPES}}
PROVIDER_LABELS = {"all": _("all providers"), "municipal": _("municipal"),
                   "private": _("private")}
BLOCK_LABELS = {"all": _("all care blocks"), "light": _("light support needs"),
                "medium": _("medium support needs"), "extensive": _("extensive support needs"),
                "none": _("care block not stated"), "": _("care block not stated")}
PROFILE_LABELS = {"0-2": _("0–2 needs"), "3-5": _("3–5 needs"), "6-8": _("6–8 needs"),
                  "9+": _("9 or more needs"), "": _("not assessed")}


def clean(value: str | None, allowed: tuple[str, ...], default: str) -> str:
    return value if value in allowed else default
