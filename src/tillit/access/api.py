"""`/api/v1/clients/{id}/break-glass`: emergency access from the phone."""

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from tillit.access import services
from tillit.access.policy import policy
from tillit.audit.models import Interface
from tillit.clients.api import ERRORS
from tillit.clients.models import Client

router = Router(tags=["access"])


class BreakGlassIn(Schema):
    reason: str = Field(..., min_length=10, max_length=2000)


class BreakGlassOut(Schema):
    id: int
    client: int
    expires_at: dt.datetime


@router.post("/clients/{client_id}/break-glass", response={201: BreakGlassOut, **ERRORS})
@policy("access.break_glass", object_rule="access.break_glass_client")
def break_glass(request: HttpRequest, client_id: int, payload: BreakGlassIn):
    """Self-authorised, time-limited, logged and followed up by the district
    manager. Only for clients of the caller's own district: any other id
    answers the same 404 as one that does not exist."""
    client = Client.objects.filter(pk=client_id, district_id=request.user.district_id).first()
    if client is None:
        raise Http404
    grant = services.do_break_glass(
        user=request.user, client=client, reason=payload.reason, interface=Interface.API,
        request=request,
    )
    return Status(201, {"id": grant.pk, "client": client.pk, "expires_at": grant.expires_at})
