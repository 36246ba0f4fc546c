"""Sessions end after 30 minutes idle and 12 hours in all (ASVS 3.3.1, 3.3.2)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from tillit.accounts import session_limits
from tillit.conftest import PASSWORD

pytestmark = pytest.mark.django_db
PAGE = "/brukere/"


class FakeClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(session_limits.time, "time", fake)
    return fake


def logged_in(user) -> HttpClient:
    browser = HttpClient(REMOTE_ADDR="10.0.3.1")
    browser.post("/logg-inn/", {"username": user.username, "password": PASSWORD})
    assert browser.session["_auth_user_id"] == str(user.pk)
    return browser


def test_the_limits_are_thirty_minutes_idle_and_twelve_hours_in_all() -> None:
    assert settings.TILLIT_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.TILLIT_SESSION_ABSOLUTE_SECONDS == 12 * 3600
    # The session store forgets an idle session by itself as well.
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_used_within_thirty_minutes_lives_on(leder_sagene, clock) -> None:
    browser = logged_in(leder_sagene)
    for _ in range(4):
        clock.advance(29 * 60)
        assert browser.get(PAGE).status_code == 200


def test_thirty_one_idle_minutes_end_the_session(leder_sagene, clock) -> None:
    browser = logged_in(leder_sagene)
    assert browser.get(PAGE).status_code == 200
    clock.advance(31 * 60)
    response = browser.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/logg-inn/")
    assert "_auth_user_id" not in browser.session
    # The session is gone, not just hidden: going back does not revive it.
    clock.advance(-31 * 60)
    assert browser.get(PAGE).status_code == 302


def test_a_busy_session_still_ends_after_twelve_hours(leder_sagene, clock) -> None:
    browser = logged_in(leder_sagene)
    for _ in range(11 * 4):  # a request every 15 minutes for 11 hours
        clock.advance(15 * 60)
        assert browser.get(PAGE).status_code == 200
    for _ in range(4):  # ... and up to 12 hours
        clock.advance(15 * 60)
        browser.get(PAGE)
    clock.advance(60)
    response = browser.get(PAGE)
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session


def test_the_api_answers_an_ended_session_with_401(leder_sagene, clock) -> None:
    browser = logged_in(leder_sagene)
    assert browser.get("/api/v1/service-types").status_code == 200
    clock.advance(31 * 60)
    assert browser.get("/api/v1/service-types").status_code == 401


def test_a_new_login_starts_new_clocks(leder_sagene, clock) -> None:
    browser = logged_in(leder_sagene)
    clock.advance(13 * 3600)
    assert browser.get(PAGE).status_code == 302
    browser.post("/logg-inn/", {"username": leder_sagene.username, "password": PASSWORD})
    assert browser.get(PAGE).status_code == 200


def test_the_last_seen_time_is_written_at_most_once_a_minute(leder_sagene, clock) -> None:
    browser = logged_in(leder_sagene)
    seen = browser.session[session_limits.SEEN_KEY]
    clock.advance(20)
    browser.get(PAGE)
    assert browser.session[session_limits.SEEN_KEY] == seen
    clock.advance(60)
    browser.get(PAGE)
    assert browser.session[session_limits.SEEN_KEY] > seen
