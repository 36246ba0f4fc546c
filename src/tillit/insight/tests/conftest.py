"""A small demo city with the insight aggregates, built once per module."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo city at scale 0.02 (its builder refreshes the aggregates),
    shared by the module's tests and removed after them."""
    from tillit.conftest import module_demo_city

    with module_demo_city(django_db_blocker, scale=0.02, seed=11, today=TODAY) as summary:
        yield summary
