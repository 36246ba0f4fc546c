"""`tillit serve`: the app behind gunicorn on 127.0.0.1 (or TILLIT_BIND)."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve tillit with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("TILLIT_WORKERS", "2")))

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        host = os.environ.get("TILLIT_BIND", "127.0.0.1")
        bind = f"{host}:{options['port']}"
        self.stdout.write(f"Serving tillit on http://{bind}/ (Ctrl-C stops)")
        if not os.environ.get("TILLIT_NO_WORKER"):
            from tillit.planning.worker import start_background_worker

            start_background_worker()  # runs queued plans; stops with the server
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "tillit.wsgi:application",
            "--bind", bind, "--workers", str(options["workers"]),
            "--access-logfile", "-", "--timeout", "120",
        ]
        os.execv(sys.executable, argv)
