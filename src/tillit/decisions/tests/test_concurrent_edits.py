"""Parallel edits of the same decision: one success and one clear conflict in
every round, never a silent overwrite or a second active version (issue #18).

Each side runs in its own thread with its own database connection. On
PostgreSQL the threads use the test database directly. SQLite's test database
lives in memory with a shared cache, whose table locks do not behave like a
file's, so there the data is copied to a file database (the backup API) and
the race runs in a child process against that file, with the production
settings' WAL mode and immediate transactions.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tillit.decisions.models import Decision
from tillit.decisions.tests.cases import build_case
from tillit.ops.races import race
from tillit.ops.sqlite_backup import backup_connection

SRC = Path(__file__).resolve().parents[3]
ROUNDS = 25
pytestmark = pytest.mark.django_db(transaction=True)


def assert_one_winner_per_round(result: dict, decision: Decision) -> None:
    assert result["rounds"] == ROUNDS, result["outcomes"][-3:]
    assert result["clean_rounds"] == ROUNDS, [o for o in result["outcomes"]
                                              if o != ["conflict:previous", "ok"]][:5]


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite runs the race in a child")
def test_parallel_new_versions_on_postgresql(saksbehandler_sagene, make_client) -> None:
    case = build_case(make_client("sagene"), saksbehandler_sagene)
    decision = case["decision"]
    result = race(decision.pk, saksbehandler_sagene.pk, ROUNDS)
    assert_one_winner_per_round(result.__dict__, decision)
    versions = Decision.objects.filter(series=decision.series).order_by("version")
    assert list(versions.values_list("version", flat=True)) == list(range(1, ROUNDS + 2))
    assert versions.filter(status="active").count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the PostgreSQL test runs in-process")
def test_parallel_new_versions_on_a_sqlite_file(saksbehandler_sagene, make_client,
                                                tmp_path) -> None:
    case = build_case(make_client("sagene"), saksbehandler_sagene)
    decision = case["decision"]
    connection.ensure_connection()
    backup_connection(connection.connection, tmp_path / "tillit.sqlite3")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TILLIT_PROFILE"}}
    env.update(DJANGO_SETTINGS_MODULE="tillit.settings", PYTHONPATH=str(SRC),
               TILLIT_VAR_DIR=str(tmp_path))
    child = subprocess.run(
        [sys.executable, "-m", "tillit.ops.races", "decision", str(decision.pk),
         str(saksbehandler_sagene.pk), str(ROUNDS)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert_one_winner_per_round(result, decision)
    db = sqlite3.connect(tmp_path / "tillit.sqlite3")
    try:  # Django keeps a UUID as 32 hex digits on SQLite
        rows = db.execute("SELECT version, status FROM decisions_decision WHERE series = ? "
                          "ORDER BY version", (decision.series.hex,)).fetchall()
    finally:
        db.close()
    assert [version for version, _status in rows] == list(range(1, ROUNDS + 2))
    assert [status for _version, status in rows].count("active") == 1
