"""`tillit restore PATH [--force]`: replace the SQLite database with a backup."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from tillit.ops.sqlite_backup import BackupError, restore_file

POSTGRESQL_HINT = (
    "The database is PostgreSQL: restore it with pg_restore (or point-in-time recovery "
    "from the WAL archive), as the README's 'Backup and restore' describes."
)


class Command(BaseCommand):
    help = "Restore the SQLite database from a backup made by `tillit backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup file")
        parser.add_argument("--force", action="store_true",
                            help="replace a database that holds data (it is kept beside it)")
        parser.add_argument("--to", dest="target",
                            help="restore into this file instead of the configured database")

    def handle(self, *args: object, **options: object) -> None:
        database = settings.DATABASES["default"]
        if options["target"]:
            target = Path(str(options["target"]))
        elif database["ENGINE"] == "django.db.backends.sqlite3":
            target = Path(str(database["NAME"]))
        else:
            raise CommandError(POSTGRESQL_HINT)
        connections.close_all()
        try:
            kept = restore_file(Path(str(options["path"])), target, force=bool(options["force"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {options['path']} to {target}; integrity and checksums ok.")
        if kept:
            self.stdout.write(f"The replaced database is kept at {kept}.")
