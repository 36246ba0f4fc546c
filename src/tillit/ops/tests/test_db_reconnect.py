"""A database connection kept between requests (`TILLIT_DB_CONN_MAX_AGE`)
that the server closed meanwhile, as PostgreSQL does to every connection when
it restarts, is opened anew by the next request instead of failing it
(issue #18; `bench/pg_restart.py` restarts PostgreSQL under load). PostgreSQL
only: SQLite has no server to restart."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection, connections

pytestmark = pytest.mark.django_db


def _kept_connection(**overrides: object):
    """A second connection to the test database with the project's settings
    and a lifetime of 60 s, as the server keeps one per worker."""
    settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": 60, **overrides}
    return type(connections["default"])(settings_dict, alias="kept")


def _backend_pid(kept) -> int:
    with kept.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _server_closes(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.parametrize("health_checks", ["project", False])
def test_a_connection_the_server_closed_is_opened_anew_by_the_next_request(health_checks):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server that can close a connection (PostgreSQL)")
    overrides = {} if health_checks == "project" else {"CONN_HEALTH_CHECKS": False}
    kept = _kept_connection(**overrides)
    try:
        first = _backend_pid(kept)
        _server_closes(first)
        # The end of one request and the start of the next (what
        # django.db.close_old_connections does for each connection).
        kept.close_if_unusable_or_obsolete()
        kept.close_if_unusable_or_obsolete()
        if health_checks == "project":
            assert _backend_pid(kept) != first  # a new connection, no error
        else:  # the contrast: without health checks the request fails
            with pytest.raises(OperationalError):
                _backend_pid(kept)
    finally:
        kept.close()
