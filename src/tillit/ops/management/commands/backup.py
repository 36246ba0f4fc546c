"""`tillit backup [PATH]`: a consistent, checked copy of the SQLite database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from tillit.ops.sqlite_backup import BackupError, backup_connection, connect, fingerprint

POSTGRESQL_HINT = (
    "The database is PostgreSQL: back it up with pg_dump (and WAL archiving for "
    "point-in-time recovery), as the README's 'Backup and restore' describes."
)


def default_path() -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"tillit-{stamp}.sqlite3"


class Command(BaseCommand):
    help = "Back up the SQLite database to PATH (default var/backups/tillit-TIMESTAMP.sqlite3)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="where to write the backup (a new file)")

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(POSTGRESQL_HINT)
        destination = Path(str(options["path"])) if options["path"] else default_path()
        connection.ensure_connection()
        try:
            backup_connection(connection.connection, destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        copy = connect(destination, read_only=True)
        try:
            tables = fingerprint(copy)
        finally:
            copy.close()
        rows = sum(table.rows for table in tables.values())
        self.stdout.write(
            f"Backed up {len(tables)} tables, {rows} rows, to {destination} "
            f"({destination.stat().st_size} bytes, integrity ok)."
        )
