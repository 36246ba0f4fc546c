"""The purchaser office's one read path for person-level records: each
function fetches through `visible_to(user)` (another district's record is the
same 404 as a missing one) and writes the read to the access log, as
`clients.services.read_client_record` does. Views and the API call these and
only parse and render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from tillit.access.scopes import get_visible_or_404, visible_client_or_404
from tillit.audit.models import What
from tillit.audit.services import record_access
from tillit.decisions.models import (
    Application,
    Assessment,
    CaseAttachment,
    CaseNote,
    Decision,
    Reassessment,
)


def _log(user: Any, client_ids: list[int], what: str, interface: str,
         request: HttpRequest | None) -> None:
    record_access(actor=user, clients=client_ids, what=what, interface=interface,
                  request=request)


def read_application(user: Any, pk: int, *, interface: str,
                     request: HttpRequest | None = None) -> Application:
    application = get_visible_or_404(user, Application.objects.select_related(
        "client", "client__district", "service_type", "handler"), pk=pk)
    _log(user, [application.client_id], What.RECORD, interface, request)
    return application


def read_assessment(user: Any, pk: int, *, interface: str,
                    request: HttpRequest | None = None) -> Assessment:
    assessment = get_visible_or_404(user, Assessment.objects.select_related(
        "client", "definition", "application", "application__service_type"), pk=pk)
    _log(user, [assessment.client_id], What.RECORD, interface, request)
    return assessment


def read_decision(user: Any, pk: int, *, interface: str,
                  request: HttpRequest | None = None) -> Decision:
    decision = get_visible_or_404(user, Decision.objects.select_related(
        "client", "client__district", "service_type", "provider", "assessment",
        "application"), pk=pk)
    _log(user, [decision.client_id], What.DECISION, interface, request)
    return decision


def read_reassessment(user: Any, pk: int, *, interface: str,
                      request: HttpRequest | None = None) -> Reassessment:
    reassessment = get_visible_or_404(user, Reassessment.objects.select_related(
        "decision", "decision__client", "decision__service_type", "new_decision", "handler"),
        pk=pk)
    _log(user, [reassessment.decision.client_id], What.DECISION, interface, request)
    return reassessment


def read_open_cases(user: Any, applications: QuerySet[Application], *, interface: str,
                    request: HttpRequest | None = None,
                    limit: int = 5000) -> list[Application]:
    """Open applications among `applications` (already narrowed to the
    user's office) that `user` may see, oldest first; the read is logged."""
    rows = list(applications.filter(pk__in=Application.objects.visible_to(user).values("pk"))
                .filter(status__in=[Application.Status.RECEIVED, Application.Status.ASSESSED])
                .select_related("client", "client__district", "service_type")
                .order_by("received_at", "pk")[:limit])
    if rows:
        _log(user, [a.client_id for a in rows], What.LIST, interface, request)
    return rows


@dataclass(frozen=True)
class ClientCases:
    client: Any
    applications: QuerySet[Application]
    decisions: QuerySet[Decision]
    assessments: QuerySet[Assessment]


def read_client_cases(user: Any, client_id: int, *, interface: str,
                      request: HttpRequest | None = None) -> ClientCases:
    client = visible_client_or_404(user, client_id)
    _log(user, [client.pk], What.RECORD, interface, request)
    return ClientCases(
        client=client,
        applications=Application.objects.visible_to(user).filter(client=client)
        .select_related("service_type"),
        decisions=Decision.objects.visible_to(user).filter(client=client)
        .select_related("service_type").order_by("service_type", "-version"),
        assessments=Assessment.objects.visible_to(user).filter(client=client),
    )


@dataclass(frozen=True)
class CaseFile:
    """An application with its notes and attachments (without their
    content), as `user` may see them."""

    application: Application
    notes: list[CaseNote]
    attachments: list[CaseAttachment]


def read_case_file(user: Any, pk: int, *, interface: str,
                   request: HttpRequest | None = None) -> CaseFile:
    """The application page's read: the application, its notes and its
    attachments' descriptions, fetched through `visible_to` (blocked notes
    and attachments are left out); one logged read."""
    application = read_application(user, pk, interface=interface, request=request)
    notes = list(CaseNote.objects.visible_to(user).filter(application=application)
                 .select_related("author"))
    attachments = list(CaseAttachment.objects.visible_to(user).filter(application=application)
                       .defer("content"))
    return CaseFile(application=application, notes=notes, attachments=attachments)


def read_attachment(user: Any, pk: int, *, interface: str,
                    request: HttpRequest | None = None) -> CaseAttachment:
    """One attachment with its content, under the record's rules and blocks
    (the application's too); the read is logged."""
    attachment = get_visible_or_404(user, CaseAttachment.objects.all(), pk=pk)
    _log(user, [attachment.client_id], What.RECORD, interface, request)
    return attachment


def log_listed(user: Any, client_ids: list[int], *, interface: str,
               request: HttpRequest | None = None) -> None:
    """Log the clients a list page shows (only the rows on the page)."""
    if client_ids:
        _log(user, client_ids, What.LIST, interface, request)
