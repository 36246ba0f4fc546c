"""A worker killed (SIGKILL) in a burst of visit reports loses no report it
acknowledged and doubles none; the phone's queue sent again after the crash
stores the ones that were lost in flight, once each (reports are idempotent
by their client-side `report_id`). Issue #18, crash safety. The reports are
written in a child process (`tillit.ops.crash`) on a file copy of the SQLite
test database, or on the PostgreSQL test database."""

from __future__ import annotations

import random

import pytest

from tillit.accounts.models import Role
from tillit.ops.tests.children import child_env, kill_after, run

# Child processes (Django start-up each) and a short solver run: several
# seconds, so marked slow.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROUNDS = 2


def test_a_killed_report_burst_loses_nothing_acknowledged(make_user, make_client, day_list,
                                                          tmp_path) -> None:
    carer = make_user("pleier.sagene.1", Role.CARER, "sagene")
    visits = [v.pk for v in day_list(carer, [make_client() for _ in range(3)])]
    env = child_env(tmp_path)
    rng = random.Random(18)
    for n in range(ROUNDS):
        seed = f"round-{n}"
        lines = kill_after(env, 8, rng, "reports", carer.pk, seed, *visits)
        acked = {int(line.split()[1]) for line in lines if line.startswith("ack ")}
        sent = 1 + max(int(line.split()[1]) for line in lines if line.startswith("sent "))
        state = run(env, "resend", carer.pk, seed, sent, *visits)
        before = state["before"]
        assert all(before[i] == 1 for i in acked), (acked, before)  # nothing acknowledged lost
        assert max(before) == 1  # no duplicate
        assert state["new"] == sent - sum(before)  # only what was lost in flight
        assert state["after"] == [1] * sent
