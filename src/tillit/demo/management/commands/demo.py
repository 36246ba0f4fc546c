"""`tillit demo`: migrate, build the demo city, print the logins, serve."""

from __future__ import annotations

import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from tillit.demo.builder import build_demo_city


class Command(BaseCommand):
    help = "Migrate, (re)create the deterministic demo city, print the demo logins and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.05,
                            help="1.0 is Oslo-sized (about 15 000 clients); default 0.05")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-serve", action="store_true", help="build only, do not serve")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: object, **options: object) -> None:
        scale = float(options["scale"])  # type: ignore[arg-type]
        seed = int(options["seed"])  # type: ignore[arg-type]
        call_command("migrate", interactive=False, verbosity=0)
        started = time.monotonic()
        last_line = [""]

        def progress(stage: str, done: int, total: int) -> None:
            line = f"  {stage}: {done}/{total}" if total > 1 else f"  {stage}"
            if sys.stderr.isatty():
                sys.stderr.write("\r" + line.ljust(60))
                if done >= total:
                    sys.stderr.write("\n")
            elif done >= total and line != last_line[0]:
                sys.stderr.write(line + "\n")
            last_line[0] = line
            sys.stderr.flush()

        self.stderr.write(f"Building the demo city (scale {scale}, seed {seed}) …")
        summary = build_demo_city(scale=scale, seed=seed, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Demo city built in {elapsed:.1f} s: "
            + ", ".join(f"{n} {what}" for what, n in summary.counts.items())
        )
        self.stdout.write("")
        self.stdout.write("Demo logins (password: the value of TILLIT_DEMO_PASSWORD, default 'demo'):")
        for username, role in summary.logins:
            self.stdout.write(f"  {username:40} {role}")
        if not options["no_serve"]:
            call_command("serve", port=options["port"])
