"""The carer's scope for `tillit.access.scopes`: the clients on the carer's
own day lists (visits assigned to the carer in a current plan) whose shift
overlaps [start, end]. The access layer passes now ± the configured margin
(`TILLIT_CARER_ACCESS_MARGIN_HOURS`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from tillit.accounts.models import User
from tillit.daylist.shifts import shifts_of


def clients_on_day_lists(user: User, start: dt.datetime, end: dt.datetime) -> QuerySet:
    from tillit.clients.models import Client
    from tillit.organisation.models import Employee

    employee_id = Employee.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    if employee_id is None:
        return Client.objects.none()
    local = timezone.get_default_timezone()
    # A night shift of yesterday may still run today.
    first_day = timezone.localtime(start, local).date() - dt.timedelta(days=1)
    last_day = timezone.localtime(end, local).date()
    ids: set[int] = set()
    for shift, clients in shifts_of(employee_id, first_day, last_day):
        if shift.overlaps(start, end):
            ids.update(clients)
    return Client.objects.filter(pk__in=ids)
