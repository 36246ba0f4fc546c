"""The `tillit` command line names backup and restore and runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tillit.cli import USAGE, main

SRC = Path(__file__).resolve().parents[3]


def test_usage_names_backup_and_restore(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "backup [PATH]" in out and "restore PATH [--force]" in out
    assert out.strip() == USAGE.strip()


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="the SQLite commands")
def test_backup_through_the_command_line(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TILLIT_PROFILE"}}
    env.update(PYTHONPATH=str(SRC), TILLIT_VAR_DIR=str(tmp_path))
    run = [sys.executable, "-c", "import sys; from tillit.cli import main; sys.exit(main())"]
    # a small database with the shape the commands check (migrating the whole
    # schema in a child process would only cost time here)
    with sqlite3.connect(tmp_path / "tillit.sqlite3") as db:
        db.execute("CREATE TABLE django_migrations (id integer PRIMARY KEY, app text)")
        db.execute("INSERT INTO django_migrations (app) VALUES ('ops')")
    done = subprocess.run([*run, "backup", str(tmp_path / "copy.sqlite3")], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    refused = subprocess.run([*run, "restore", str(tmp_path / "copy.sqlite3")], env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "--force" in refused.stderr
