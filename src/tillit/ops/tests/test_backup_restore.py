"""`tillit backup` / `tillit restore` on SQLite: a restored backup holds the
same rows, byte for byte (counts and SHA-256 per table)."""

from __future__ import annotations

import sqlite3
import stat
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tillit.clients.models import Client
from tillit.ops.sqlite_backup import (
    BackupError,
    backup_file,
    check_backup,
    connect,
    fingerprint,
    in_use,
    restore_file,
)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite",
                               reason="the backup command is for SQLite; PostgreSQL uses pg_dump")


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_holds_every_row(personas, make_client, tmp_path, capsys) -> None:
    for _ in range(5):
        make_client("sagene", given_name="Åse Øydis", practical_notes="Ærlig talt; 'DROP TABLE'")
    backup = tmp_path / "backups" / "tillit.sqlite3"
    call_command("backup", str(backup))
    assert "integrity ok" in capsys.readouterr().out
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    connection.ensure_connection()
    live = fingerprint(connection.connection)
    assert check_backup(backup) == live
    assert live["clients_client"].rows == Client.objects.count() >= 5

    target = tmp_path / "restored.sqlite3"
    call_command("restore", str(backup), "--to", str(target))
    restored = connect(target)
    try:
        assert fingerprint(restored) == live
        assert restored.execute("SELECT given_name FROM clients_client WHERE given_name "
                                "LIKE 'Åse%'").fetchone() == ("Åse Øydis",)
    finally:
        restored.close()


@on_sqlite
@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path) -> None:
    existing = tmp_path / "there.sqlite3"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"keep me"


def make_database(path, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
    conn.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, note TEXT)")
    conn.executemany("INSERT INTO visit (note) VALUES (?)", [(f"besøk {n}",) for n in range(rows)])
    conn.commit()
    conn.close()


def test_restore_refuses_to_replace_data_without_force(tmp_path) -> None:
    backup, target = tmp_path / "backup.sqlite3", tmp_path / "live.sqlite3"
    make_database(backup, 3)
    make_database(target, 7)
    with pytest.raises(BackupError, match="--force"):
        restore_file(backup, target)
    conn = connect(target)
    assert conn.execute("SELECT count(*) FROM visit").fetchone() == (7,)
    conn.close()


def test_restore_refuses_a_database_in_use_and_says_so(tmp_path) -> None:
    backup, target = tmp_path / "backup.sqlite3", tmp_path / "live.sqlite3"
    make_database(backup, 3)
    make_database(target, 7)
    server = sqlite3.connect(target)
    server.execute("PRAGMA journal_mode=WAL")
    server.execute("INSERT INTO visit (note) VALUES ('pågår')")  # an open write transaction
    try:
        assert in_use(target)
        with pytest.raises(BackupError, match="in use"):
            restore_file(backup, target)
    finally:
        server.rollback()
        server.close()


def test_forced_restore_keeps_the_replaced_database(tmp_path) -> None:
    backup, target = tmp_path / "backup.sqlite3", tmp_path / "live.sqlite3"
    make_database(backup, 3)
    make_database(target, 7)
    kept = restore_file(backup, target, force=True)
    assert kept is not None and kept.name.startswith("live.sqlite3.before-restore-")
    conn, old = connect(target), connect(kept)
    try:
        assert conn.execute("SELECT count(*) FROM visit").fetchone() == (3,)
        assert old.execute("SELECT count(*) FROM visit").fetchone() == (7,)
    finally:
        conn.close()
        old.close()


def test_a_damaged_or_foreign_backup_is_refused_and_nothing_changes(tmp_path) -> None:
    target = tmp_path / "live.sqlite3"
    make_database(target, 7)
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    with pytest.raises(BackupError, match="not an SQLite database"):
        restore_file(text, target, force=True)

    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="not a tillit database"):
        restore_file(foreign, target, force=True)

    damaged = tmp_path / "damaged.sqlite3"
    make_database(damaged, 2000)
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[3 * page: 5 * page] = b"\xff" * (2 * page)  # overwrite two pages of the table
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        restore_file(damaged, target, force=True)

    conn = connect(target)
    assert conn.execute("SELECT count(*) FROM visit").fetchone() == (7,)
    conn.close()


def test_a_backup_taken_during_writes_is_one_consistent_moment(tmp_path) -> None:
    """A writer adds a visit and its report in one transaction, again and
    again; every backup taken meanwhile holds as many visits as reports."""
    live = tmp_path / "live.sqlite3"
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE visit (id INTEGER PRIMARY KEY, note TEXT)")
    conn.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, visit INTEGER, text TEXT)")
    conn.commit()
    conn.close()
    stop = threading.Event()

    def write() -> None:
        writer = sqlite3.connect(live, timeout=30)
        n = 0
        while not stop.is_set():
            with writer:
                cursor = writer.execute("INSERT INTO visit (note) VALUES (?)", (f"v{n}" * 50,))
                writer.execute("INSERT INTO report (visit, text) VALUES (?, ?)",
                               (cursor.lastrowid, "rapport " * 40))
            n += 1
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        for n in range(8):
            copy = backup_file(live, tmp_path / f"copy{n}.sqlite3")
            tables = check_backup(copy)
            assert tables["visit"].rows == tables["report"].rows
    finally:
        stop.set()
        thread.join()
    assert tables["visit"].rows > 0


@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL only")
@pytest.mark.django_db
def test_on_postgresql_the_commands_point_to_pg_dump(tmp_path) -> None:
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup", str(tmp_path / "x.sqlite3"))
    with pytest.raises(CommandError, match="pg_restore"):
        call_command("restore", str(tmp_path / "x.sqlite3"))
