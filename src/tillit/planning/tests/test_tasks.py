"""Plans run as background tasks through the django-tasks database backend:
queued on commit, picked up by `tillit worker`."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks.backends.database.models import DBTaskResult

from tillit.planning import services
from tillit.planning.models import Plan, ShiftKind


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_queued_plan(world):
    services.do_generate_day(world.team, world.day, ShiftKind.DAY)
    plan = services.do_queue_plan(world.team, world.day, ShiftKind.DAY, time_limit=1.5)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.QUEUED and plan.task_id
    assert DBTaskResult.objects.filter(pk=plan.task_id).exists()
    call_command("worker", "--batch", verbosity=0)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DONE and plan.is_current, plan.error
    assert plan.progress["phase"] == "done"
    assert DBTaskResult.objects.get(pk=plan.task_id).status == "SUCCEEDED"
