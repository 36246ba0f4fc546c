"""API fuzzing with schemathesis against /api/v1/openapi.json (issue #18).

Every operation gets a bounded number of generated requests (valid and
invalid), sent as several roles with bearer tokens: no answer may be a 500,
and every answer must match the schema (status code declared, body valid).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tillit.accounts.models import Role
from tillit.accounts.tokens import do_issue_token

EXAMPLES_PER_OPERATION = 5
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
ROLES = {
    "saksbehandler": (Role.CASE_HANDLER, None),
    "leder.sagene": (Role.DISTRICT_MANAGER, "sagene"),
    "pleier.sagene": (Role.CARER, "sagene"),
}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The raw WSGI handler closes the database connection after each request,
    which would end the test's transaction; Django's own test client stops
    that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(make_user, make_client) -> dict[str, str]:
    for _ in range(2):
        make_client("sagene")
    make_client("alna")
    issued = {}
    for username, (role, district) in ROLES.items():
        user = make_user(username, role, district)
        issued[username] = do_issue_token(user)[1]
    return issued


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck), database=None)
def test_no_500_and_no_answer_outside_the_schema(case, tokens) -> None:
    for token in tokens.values():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=CHECKS)
