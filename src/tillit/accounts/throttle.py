"""Login throttling per address, across usernames.

django-axes locks a username from one address after repeated failures. That
leaves one wrong password for each of many usernames from one address
unthrottled; this backend adds a limit per address, counted over every
username: `TILLIT_LOGIN_ADDRESS_LIMIT` failures within the cool-off period
(`AXES_COOLOFF_TIME`) lock the address for every login until the period
has passed. It sits right after axes in AUTHENTICATION_BACKENDS and answers
with axes's lockout response.
"""

from __future__ import annotations

import datetime as dt
import logging

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger("tillit.security")


def address_limit() -> int:
    return int(getattr(settings, "TILLIT_LOGIN_ADDRESS_LIMIT", 30))


def cooloff() -> dt.timedelta:
    return dt.timedelta(hours=float(getattr(settings, "AXES_COOLOFF_TIME", 0.25)))


def failures_from(address: str, *, now: dt.datetime | None = None) -> int:
    """Failed logins from one address, over all usernames, within the cool-off."""
    since = (now or timezone.now()) - cooloff()
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"]
    return int(total or 0)


class AddressThrottleBackend:
    """Refuses every login from an address over the limit (no user is
    authenticated here; the next backends never run). No `get_user`: this
    backend never holds a session (and `force_login` passes it by)."""

    def authenticate(self, request: HttpRequest | None, **credentials: object) -> None:
        if request is None or not getattr(settings, "AXES_ENABLED", True):
            return None
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        if address and failures_from(address) >= address_limit():
            logger.warning("login refused: address %s over the limit across usernames", address)
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            raise PermissionDenied("Too many failed logins from this address.")
        return None
