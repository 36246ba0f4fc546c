"""Session time limits: 30 minutes idle, 12 hours in all (OWASP ASVS 3.3).

Django's own setting only covers the idle limit when the session is saved on
every request (a database write per request). This middleware enforces both
limits itself and writes the session at most once a minute:

* `TILLIT_SESSION_IDLE_SECONDS` (default 1800): a session unused for longer is
  ended.
* `TILLIT_SESSION_ABSOLUTE_SECONDS` (default 43200): a session older than this
  since login is ended, however busy it is.

An ended session is flushed and the request goes on as an anonymous one, so
the access policy answers it like any other anonymous request (the login page,
or 401 from the API). Bearer tokens are not sessions and are not touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

STARTED_KEY = "tillit_session_started"
SEEN_KEY = "tillit_session_seen"
# Refresh the last-seen time (a session write) at most this often.
SEEN_RESOLUTION_SECONDS = 60


def idle_limit() -> int:
    return int(getattr(settings, "TILLIT_SESSION_IDLE_SECONDS", 1800))


def absolute_limit() -> int:
    return int(getattr(settings, "TILLIT_SESSION_ABSOLUTE_SECONDS", 12 * 3600))


@receiver(user_logged_in)
def stamp_session_start(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """A login starts both clocks."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now


def session_expired(session: object, now: int) -> bool:
    started = session.get(STARTED_KEY)  # type: ignore[attr-defined]
    seen = session.get(SEEN_KEY, started)  # type: ignore[attr-defined]
    if started is None:
        return False
    return now - int(started) > absolute_limit() or now - int(seen) > idle_limit()


class SessionLimitsMiddleware:
    """Ends sessions past the idle or the absolute limit (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if STARTED_KEY not in session:
                # A session from before these limits: its clocks start now.
                session[STARTED_KEY] = now
                session[SEEN_KEY] = now
            elif session_expired(session, now):
                logout(request)
            elif now - int(session.get(SEEN_KEY, 0)) >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_KEY] = now
        return self.get_response(request)
