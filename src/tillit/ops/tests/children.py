"""Child processes on the test database, for the crash-safety tests
(issue #18): on SQLite a file copy of the test database, on PostgreSQL the
test database itself (the test commits its data: `transaction=True`)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from tillit.ops.sqlite_backup import backup_connection

SRC = Path(__file__).resolve().parents[3]


def child_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TILLIT_PROFILE"}}
    env.update(DJANGO_SETTINGS_MODULE="tillit.settings", PYTHONPATH=str(SRC),
               TILLIT_VAR_DIR=str(tmp_path))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup_connection(connection.connection, tmp_path / "tillit.sqlite3")
    else:
        s = connection.settings_dict
        password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
        env["DATABASE_URL"] = (f"postgres://{quote(s['USER'])}{password}@{s['HOST']}:"
                               f"{s['PORT'] or 5432}/{s['NAME']}")
    return env


def run(env: dict[str, str], *args: object) -> dict:
    """Run `python -m tillit.ops.crash ARGS` to its end; its JSON answer."""
    child = subprocess.run([sys.executable, "-m", "tillit.ops.crash", *map(str, args)],
                           env=env, capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr[-2000:]
    return json.loads(child.stdout.strip().splitlines()[-1])


def kill_after(env: dict[str, str], acks: int, rng: random.Random, *args: object) -> list[str]:
    """Start `python -m tillit.ops.crash ARGS`, read its lines until `acks`
    acknowledgements, then SIGKILL it (mid-way through the next write, a
    random few lines later); the lines it printed before it died."""
    child = subprocess.Popen([sys.executable, "-m", "tillit.ops.crash", *map(str, args)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    lines: list[str] = []
    extra = rng.randrange(3)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            lines.append(line.strip())
            if sum(1 for x in lines if x.startswith("ack ")) >= acks + extra:
                break
        if child.poll() is not None:
            raise AssertionError(child.stderr.read()[-2000:] if child.stderr else "ended")
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=30)
        lines += [x.strip() for x in rest.splitlines()]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL, child.returncode
    return lines
