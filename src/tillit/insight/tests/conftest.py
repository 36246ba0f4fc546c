"""A small demo city with the insight aggregates, built once per module."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city at scale 0.02 (its builder refreshes the aggregates),
    shared by the module's tests and removed after them."""
    from django.test import override_settings

    from tillit.conftest import FAST_HASHERS
    from tillit.demo.builder import build_demo_city, reset_database

    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            summary = build_demo_city(scale=0.02, seed=11, today=TODAY, plan_now=False)
        yield summary
    finally:  # also when the build fails: the next module starts from nothing
        with django_db_blocker.unblock():
            reset_database()
