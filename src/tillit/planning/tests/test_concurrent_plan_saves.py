"""Many rounds of two planners saving the same plan version at once: each
round one save and one conflict, the version up by exactly one (issue #18).
On SQLite the race runs in a child process on a file copy of the test
database (see decisions/tests/test_concurrent_edits.py for why)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tillit.ops.races import race_plan
from tillit.ops.sqlite_backup import backup_connection
from tillit.planning.models import Plan
from tillit.planning.tests.test_plans import plan_day

SRC = Path(__file__).resolve().parents[3]
ROUNDS = 20
pytestmark = pytest.mark.django_db(transaction=True)


def assert_clean(result: dict) -> None:
    assert result["rounds"] == ROUNDS
    assert result["clean_rounds"] == ROUNDS, [o for o in result["outcomes"]
                                              if o != ["conflict", "ok"]][:5]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite runs the race in a child")
def test_parallel_plan_saves_on_postgresql(world) -> None:
    plan = plan_day(world)
    assert_clean(race_plan(plan.pk, ROUNDS).__dict__)
    assert Plan.objects.get(pk=plan.pk).version == plan.version + ROUNDS


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL test runs in-process")
def test_parallel_plan_saves_on_a_sqlite_file(world, tmp_path) -> None:
    plan = plan_day(world)
    connection.ensure_connection()
    backup_connection(connection.connection, tmp_path / "tillit.sqlite3")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TILLIT_PROFILE"}}
    env.update(DJANGO_SETTINGS_MODULE="tillit.settings", PYTHONPATH=str(SRC),
               TILLIT_VAR_DIR=str(tmp_path))
    child = subprocess.run(
        [sys.executable, "-m", "tillit.ops.races", "plan", str(plan.pk), str(ROUNDS)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert_clean(json.loads(child.stdout.strip().splitlines()[-1]))
