"""A worker killed (SIGKILL) while it saves a plan leaves the plan whole:
either the version before with its assignments, or the new one with its
own, never a plan without its assignments or with a version nobody saw
acknowledged (issue #18, crash safety). The saves run in a child process
(`tillit.ops.crash`) on a file copy of the SQLite test database, or on the
PostgreSQL test database."""

from __future__ import annotations

import random

import pytest

from tillit.ops.tests.children import child_env, kill_after, run
from tillit.planning.tests.test_plans import plan_day

# Child processes (Django start-up each) and a short solver run: several
# seconds, so marked slow.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROUNDS = 2


def test_a_killed_plan_save_leaves_a_whole_plan(world, tmp_path) -> None:
    plan = plan_day(world)
    env = child_env(tmp_path)
    rng = random.Random(18)
    version = plan.version
    for _round in range(ROUNDS):
        lines = kill_after(env, 3, rng, "plan-saves", plan.pk)
        acked = [int(line.split()[1]) for line in lines if line.startswith("ack ")]
        assert acked[0] == version + 1 and acked == list(range(acked[0], acked[-1] + 1))
        state = run(env, "check-plan", plan.pk)
        assert state["whole"], state
        # The kill may land after a commit and before its line was written.
        assert state["version"] in {acked[-1], acked[-1] + 1}, (state, acked[-1])
        version = state["version"]
