"""Backup and restore of the embedded SQLite database.

A backup is made with SQLite's online backup API: a consistent copy of one
moment, taken while the server keeps serving (readers and writers wait for
the copy's read lock at most; nothing half-written gets in). Every copy is
checked with `PRAGMA integrity_check` before it counts, and is written
owner-readable only (it holds health data).

A restore checks the backup first, refuses to replace a database that holds
data unless forced, keeps the replaced database beside it
(`NAME.before-restore-TIMESTAMP`), and copies the backup in through the same
backup API, so a process still connected sees the old or the new database,
never a mix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path


class BackupError(Exception):
    """A backup or restore that must not go ahead; the message says why."""


@dataclass(frozen=True)
class TableFingerprint:
    rows: int
    sha256: str


def connect(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(str(path), timeout=30)


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """`PRAGMA integrity_check`'s findings; empty when the database is sound."""
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if rows == ["ok"] else rows


def user_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def fingerprint(conn: sqlite3.Connection) -> dict[str, TableFingerprint]:
    """Row count and a SHA-256 over every row, per table (in rowid order)."""
    result = {}
    for table in user_tables(conn):
        digest = hashlib.sha256()
        count = 0
        quoted = quote_name(table)
        # quote() gives each value as an SQL literal, whatever type converters
        # the connection has (Django's convert dates and decimals).
        columns = ", ".join(
            f"quote({quote_name(column[1])})"
            for column in conn.execute(f"PRAGMA table_info({quoted})")
        )
        for row in conn.execute(f"SELECT {columns} FROM {quoted} ORDER BY rowid"):  # noqa: S608
            digest.update(repr(row).encode())
            count += 1
        result[table] = TableFingerprint(rows=count, sha256=digest.hexdigest())
    return result


def backup_connection(source: sqlite3.Connection, destination: Path) -> Path:
    """Copy an open database to `destination` (a new file) and check the copy."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already; a backup never overwrites a file.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    # Owner-only from the first byte: the copy holds health data.
    os.close(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    try:
        target = sqlite3.connect(str(partial))
        try:
            source.backup(target)  # one step: a consistent snapshot
            problems = integrity_problems(target)
            target.execute("PRAGMA journal_mode=DELETE")  # a single, self-contained file
        finally:
            target.close()
        if problems:
            raise BackupError("The copy failed its integrity check: " + "; ".join(problems[:5]))
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def backup_file(database: Path, destination: Path) -> Path:
    if not Path(database).exists():
        raise BackupError(f"There is no database at {database}.")
    source = connect(database)
    try:
        return backup_connection(source, destination)
    finally:
        source.close()


def check_backup(path: Path) -> dict[str, TableFingerprint]:
    """The backup's fingerprint, or BackupError if it is not a sound tillit database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} is not an SQLite database.")
    conn = connect(path, read_only=True)
    try:
        problems = integrity_problems(conn)
        if problems:
            raise BackupError(f"{path} failed its integrity check: " + "; ".join(problems[:5]))
        tables = user_tables(conn)
        if "django_migrations" not in tables:
            raise BackupError(f"{path} is not a tillit database (no django_migrations table).")
        return fingerprint(conn)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    finally:
        conn.close()


def holds_data(path: Path) -> bool:
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return False
    conn = connect(path, read_only=True)
    try:
        return bool(user_tables(conn))
    except sqlite3.DatabaseError:
        return True  # unreadable but there: treat as data, never overwrite silently
    finally:
        conn.close()


def in_use(path: Path) -> bool:
    """Whether another process has the database open (its WAL file is there,
    or a write lock cannot be had at once)."""
    path = Path(path)
    if Path(f"{path}-wal").exists() and Path(f"{path}-wal").stat().st_size > 0:
        return True
    if not path.exists():
        return False
    conn = sqlite3.connect(str(path), timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def restore_file(backup: Path, target: Path, *, force: bool = False,
                 now: dt.datetime | None = None) -> Path | None:
    """Replace `target` with `backup`. Returns where the replaced database was
    kept (None when there was none)."""
    expected = check_backup(backup)
    target = Path(target)
    kept = None
    if holds_data(target):
        if not force:
            busy = " and is in use (is the server running?)" if in_use(target) else ""
            raise BackupError(
                f"{target} holds data{busy}. Stop the server and add --force to replace it; "
                "the replaced database is kept beside it."
            )
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
        kept = backup_file(target, target.with_name(f"{target.name}.before-restore-{stamp}"))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = connect(backup, read_only=True)
    destination = connect(target)
    try:
        source.backup(destination)
        destination.commit()
        restored = fingerprint(destination)
        problems = integrity_problems(destination)
    finally:
        source.close()
        destination.close()
    if problems or restored != expected:
        raise BackupError(
            f"{target} does not match the backup after restoring; the replaced database is "
            f"at {kept}." if kept else f"{target} does not match the backup after restoring."
        )
    os.chmod(target, 0o600)
    return kept
