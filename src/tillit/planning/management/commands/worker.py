"""`tillit worker`: run the background tasks (planning runs) queued in the
database, through django-tasks' database worker. `tillit serve` starts one
beside the web server (`--exit-with-parent`, so it stops with it)."""

from __future__ import annotations

import os
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

PARENT_CHECK_SECONDS = 2.0


def _exit_when_orphaned(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)  # the worker finishes its task, then stops

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class Command(BaseCommand):
    help = "Run queued background tasks (planning runs) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds between looks at an empty queue.")
        parser.add_argument("--batch", action="store_true",
                            help="Run what is queued, then exit.")
        parser.add_argument("--exit-with-parent", action="store_true",
                            help="Stop when the process that started this one stops.")

    def handle(self, *args: object, **options: object) -> None:
        if options["exit_with_parent"]:
            _exit_when_orphaned(os.getppid())
        call_command(
            "db_worker", queue_name="*", interval=float(options["interval"]),  # type: ignore[arg-type]
            batch=bool(options["batch"]), reload=False, startup_delay=False,
            verbosity=int(options["verbosity"]),  # type: ignore[call-overload]
        )
