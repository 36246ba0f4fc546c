"""Carers reach a client's record only for clients on their own day lists
within the configured margin."""

import datetime as dt

import pytest
from django.utils import timezone

from tillit.access.scopes import visible_clients
from tillit.accounts.models import Role
from tillit.daylist.scope import clients_on_day_lists
from tillit.planning.models import RosterEntry


@pytest.fixture
def carer(make_user):
    return make_user("pleier.sagene.1", Role.CARER, "sagene")


def at(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_own_day_list_within_the_shift_and_margin(carer, make_client, day_list):
    today = timezone.localdate()
    mine, other = make_client(), make_client()
    day_list(carer, [mine])
    margin = dt.timedelta(hours=2)
    assert list(clients_on_day_lists(carer, at(today, 10) - margin, at(today, 10) + margin)) == [mine]
    # 18:00 ± 2 h is after the 07–15 shift's end plus margin? 16:00 > 15:00: outside.
    assert not clients_on_day_lists(carer, at(today, 18) - margin, at(today, 18) + margin).exists()
    assert not clients_on_day_lists(carer, at(today, 3) - margin, at(today, 3) + margin).exists()
    assert other not in visible_clients(carer, at(today, 10))
    assert mine in visible_clients(carer, at(today, 10))
    tomorrow = today + dt.timedelta(days=1)
    assert mine not in visible_clients(carer, at(tomorrow, 10))


def test_the_record_page_follows_the_scope(client, carer, make_client, day_list, make_user):
    mine, other = make_client(), make_client()
    day_list(carer, [mine])
    # A shift around the clock today, so "now" is inside it whenever the test runs.
    RosterEntry.objects.filter(employee=carer.employee).update(start=dt.time(0), end=dt.time(0))
    client.force_login(carer)
    assert client.get(f"/api/v1/clients/{mine.pk}").status_code == 200
    assert client.get(f"/api/v1/clients/{other.pk}").status_code == 404
