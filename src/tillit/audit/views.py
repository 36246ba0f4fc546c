"""The client's right to know who read their data: page and CSV export."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tillit.access.policy import policy
from tillit.access.scopes import visible_client_or_404
from tillit.accounts.models import Role
from tillit.audit.models import Interface, What
from tillit.audit.services import access_log_for, record_access

CSV_COLUMNS = [
    "server_time", "device_time", "username", "name", "role", "district", "what", "interface",
    "operation",
]


def role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


@policy("access.view_access_log", object_rule="access.view_client_access_log")
def client_access_log(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    operations = access_log_for(client)
    record_access(
        actor=request.user, clients=[client], what=What.ACCESS_LOG, interface=Interface.PAGE,
        request=request,
    )
    rows = [
        {"op": op, "role": role_label(op.actor_role)} for op in operations
    ]
    return render(request, "audit/client_access_log.html", {"client": client, "rows": rows})


@policy("access.view_access_log", object_rule="access.view_client_access_log")
def client_access_log_csv(request: HttpRequest, client_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    operations = access_log_for(client)
    record_access(
        actor=request.user, clients=[client], what=What.EXPORT, interface=Interface.EXPORT,
        request=request,
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
            op.actor_username, _safe(op.actor_name), op.actor_role, op.actor_district,
            op.what, op.interface, op.pk,
        ])
    return response


def _safe(value: str) -> str:
    """No spreadsheet formulas from a cell."""
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value
