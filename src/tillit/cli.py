"""The `tillit` command line.

Planning commands (`plan`, `check-plan`) run on the pure core and never start
Django; everything else is a Django management command run through here.
"""

from __future__ import annotations

import os
import sys

PURE_COMMANDS = {"plan", "check-plan"}

USAGE = """usage: tillit COMMAND [ARGS]

commands:
  demo [--scale F] [--seed N] [--no-serve] [--port P]   build the demo city and serve it
  serve [--port P]                                       serve the app (and run a task worker)
  worker [--batch]                                       run queued background tasks (plans)
  plan INSTANCE.json [--time-limit S] [-o PLAN.json]     plan one day (planning-format.md)
  check-plan INSTANCE.json PLAN.json                     check a plan and recompute its cost
  token USERNAME                                         print a new API bearer token
  backup [PATH]                                          a consistent, checked copy of the SQLite database
  restore PATH [--force]                                 replace the SQLite database with a backup
  manage ARGS...                                         any Django management command
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command in PURE_COMMANDS:
        from tillit.core.planner import cli as planner_cli

        if command == "plan":
            return planner_cli.plan_command(rest)
        return planner_cli.check_command(rest)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tillit.settings")
    from django.core.management import execute_from_command_line

    if command == "manage":
        execute_from_command_line(["tillit", *rest])
        return 0
    execute_from_command_line(["tillit", command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
