"""Child processes on the test database, for the crash-safety tests
(issue #18): on SQLite a file copy of the test database, on PostgreSQL the
test database itself (the test commits its data: `transaction=True`)."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
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


def kill_after(env: dict[str, str], acks: int, rng: random.Random, *args: object,
               wait: float = 120.0) -> list[str]:
    """Start `python -m tillit.ops.crash ARGS`, read its lines until `acks`
    acknowledgements, then SIGKILL it (mid-way through the next write, a
    random few lines later); the lines it printed before it died. A child
    that stops answering fails the test after `wait` seconds instead of
    holding it up (its stderr goes to a file, so a full pipe cannot stall it)."""
    extra = rng.randrange(3)
    lines: list[str] = []
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen([sys.executable, "-m", "tillit.ops.crash", *map(str, args)],
                                 env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
        received: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            assert child.stdout is not None
            for line in child.stdout:
                received.put(line.strip())
            received.put(None)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        deadline = time.monotonic() + wait
        try:
            while sum(1 for x in lines if x.startswith("ack ")) < acks + extra:
                line = received.get(timeout=max(0.0, deadline - time.monotonic()))
                if line is None:
                    errors.seek(0)
                    raise AssertionError(f"ended early: {errors.read()[-2000:]}")
                lines.append(line)
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            # what it printed before it died, up to the reader's end mark
            while (line := received.get(timeout=30)) is not None:
                lines.append(line)
        except queue.Empty:
            errors.seek(0)
            raise AssertionError(f"no answer within {wait:g} s: {errors.read()[-2000:]}") from None
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert child.returncode == -signal.SIGKILL, child.returncode
    return lines
