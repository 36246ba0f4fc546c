"""`/api/v1/clients/{id}/access-log`: who read a client's data (the
client's right to know)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tillit.access.policy import policy
from tillit.audit.models import Interface, What
from tillit.audit.services import read_access_log
from tillit.clients.api import ERRORS

router = Router(tags=["audit"])


class AccessLogEntry(Schema):
    when: dt.datetime
    device_time: dt.datetime | None
    who: str
    name: str
    role: str
    district: str
    what: str
    interface: str


class AccessLog(Schema):
    client: int
    items: list[AccessLogEntry]


@router.get("/clients/{client_id}/access-log", response={200: AccessLog, **ERRORS})
@policy("access.view_access_log", object_rule="access.view_client_access_log")
def client_access_log(request: HttpRequest, client_id: int):
    client, operations = read_access_log(
        request.user, client_id, what=What.ACCESS_LOG, interface=Interface.API, request=request
    )
    return Status(200, {
        "client": client.pk,
        "items": [
            {
                "when": op.server_time, "device_time": op.device_time,
                "who": op.actor_username, "name": op.actor_name, "role": op.actor_role,
                "district": op.actor_district, "what": op.what, "interface": op.interface,
            }
            for op in operations
        ],
    })
