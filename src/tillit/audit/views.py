"""The client's right to know who read their data: page and CSV export."""

from __future__ import annotations

import csv
import datetime as dt

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.access.policy import policy
from tillit.access.scopes import visible_clients
from tillit.accounts.models import Role
from tillit.audit.models import AccessRecord, Interface, What
from tillit.audit.services import read_access_log, record_access
from tillit.core import dates
from tillit.web.exports import neutralise

CSV_COLUMNS = [
    "server_time", "device_time", "username", "name", "role", "district", "what", "interface",
    "operation",
]


def role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


@policy("access.view_access_log", object_rule="access.view_client_access_log")
def client_access_log(request: HttpRequest, client_id: int) -> HttpResponse:
    client, operations = read_access_log(
        request.user, client_id, what=What.ACCESS_LOG, interface=Interface.PAGE, request=request
    )
    rows = [
        {"op": op, "role": role_label(op.actor_role)} for op in operations
    ]
    return render(request, "audit/client_access_log.html", {"client": client, "rows": rows})


@policy("access.view_access_log", object_rule="access.view_client_access_log")
def client_access_log_csv(request: HttpRequest, client_id: int) -> HttpResponse:
    client, operations = read_access_log(
        request.user, client_id, what=What.EXPORT, interface=Interface.EXPORT, request=request
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="tilgangslogg-{client.pk}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for op in operations:
        writer.writerow([
            op.server_time.isoformat(),
            op.device_time.isoformat() if op.device_time else "",
            neutralise(op.actor_username), neutralise(op.actor_name), op.actor_role,
            op.actor_district, op.what, op.interface, op.pk,
        ])
    return response


MAX_EXPORT_DAYS = 366


@policy("access.export_district_access_log")
def district_access_log_csv(request: HttpRequest) -> HttpResponse:
    """The auditor's export: every read of the district's clients in a
    period (`fra`, `til`: dates, default the last 30 days). Clients appear
    by id only; the export is itself logged."""
    user = request.user
    today = timezone.localdate()
    try:
        first = dt.date.fromisoformat(request.GET.get("fra", "")) if request.GET.get("fra") \
            else today - dt.timedelta(days=30)
        last = dt.date.fromisoformat(request.GET.get("til", "")) if request.GET.get("til") \
            else today
    except ValueError:
        return HttpResponse(_("Dates are written YYYY-MM-DD."), status=400,
                            content_type="text/plain; charset=utf-8")
    if not (dates.is_sensible(first) and dates.is_sensible(last)):
        return HttpResponse(_("Choose dates between 2000 and 2099."), status=400,
                            content_type="text/plain; charset=utf-8")
    if last < first or (last - first).days > MAX_EXPORT_DAYS:
        return HttpResponse(_("Choose a period of at most a year."), status=400,
                            content_type="text/plain; charset=utf-8")
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    records = (
        AccessRecord.objects.filter(
            client_id__in=visible_clients(user).values("pk"),
            server_time__gte=start, server_time__lt=end,
        )
        .select_related("operation")
        .order_by("server_time", "id")
    )
    client_ids = set(records.values_list("client_id", flat=True))
    record_access(actor=user, clients=client_ids, what=What.EXPORT, interface=Interface.EXPORT,
                  request=request)

    def rows():
        buffer = _Echo()
        writer = csv.writer(buffer)
        yield writer.writerow([*CSV_COLUMNS, "client"])
        for record in records.iterator(chunk_size=2000):
            op = record.operation
            yield writer.writerow([
                op.server_time.isoformat(),
                op.device_time.isoformat() if op.device_time else "",
                neutralise(op.actor_username), neutralise(op.actor_name), op.actor_role,
                op.actor_district, op.what, op.interface, op.pk, record.client_id,
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    district = user.district.slug if user.district_id else "by"
    response["Content-Disposition"] = (
        f'attachment; filename="tilgangslogg-{district}-{first:%Y%m%d}-{last:%Y%m%d}.csv"'
    )
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value
