"""Background tasks (Django's tasks API, the `django-tasks` backport with its
database backend: `tillit worker` runs them, and `tillit serve` starts a
worker beside the web server)."""

from __future__ import annotations

from django_tasks import task

from tillit.planning.runner import run_plan


@task()
def plan_shift(plan_id: int) -> str:
    """Plan one queued `Plan`; returns its final status."""
    return run_plan(plan_id).status
