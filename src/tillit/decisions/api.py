"""`/api/v1/` for the purchaser office: service types and the IPLOS set,
applications with their deadlines and history, assessments with the care
block and its inputs, decisions with visit patterns and versions, equal-help
figures, letters, interim replies and reassessments.

Every operation declares its policy; rows come through `visible_to(user)`
(other districts' records answer 404); every read of person-level data is
written to the access log. Bad input answers 422 with Norwegian field
messages, `{"detail": ..., "errors": {field: [messages]}}`; visit errors
are keyed `visits.<index>.<field>`. Nothing is saved half-way.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tillit.access.policy import policy
from tillit.access.scopes import get_visible_or_404, visible_client_or_404
from tillit.api.errors import ERRORS, Conflict
from tillit.api.fields import BodyId, LocalTime, QueryId, SensibleDate, SensibleDateTime
from tillit.audit.models import Interface, What
from tillit.audit.services import record_access
from tillit.core import deadlines, filetypes
from tillit.decisions import letters, reads, services
from tillit.decisions.models import (
    Application,
    Assessment,
    AttachmentKind,
    CareBlock,
    CaseNote,
    Decision,
    IplosDefinition,
    Reassessment,
    ServiceType,
    Slot,
)
from tillit.decisions.views import _office_filter
from tillit.organisation.models import Competence, Provider

router = Router(tags=["decisions"])

READ = "decisions.read"
HANDLE = "decisions.handle"
OBJECT = "access.view_client"


def enum_of(choices: type[models.TextChoices], *extra: str) -> Any:
    """The allowed values of `choices` as a `Literal`, so the OpenAPI document
    lists them."""
    return Literal[(*choices.values, *extra)]


SourceValue = enum_of(Application.Source)
UrgencyValue = enum_of(Application.Urgency)
ApplicationStatus = enum_of(Application.Status)
ApplicationFilterStatus = enum_of(Application.Status, "open")
BlockValue = enum_of(CareBlock)
BlockOrEmpty = enum_of(CareBlock, "")
OpenOrOutcome = enum_of(Reassessment.Outcome, "")
DecisionStatus = enum_of(Decision.Status)
ChangeValue = enum_of(Decision.Change)
OutcomeValue = enum_of(Decision.Outcome)
SlotValue = enum_of(Slot)
CompetenceValue = enum_of(Competence)
OfficeValue = enum_of(ServiceType.Office)
ProviderKind = enum_of(Provider.Kind)
ReassessmentSource = enum_of(Reassessment.Source)
ReassessmentOutcome = enum_of(Reassessment.Outcome)
DeadlineState = Literal[deadlines.MET, deadlines.PENDING, deadlines.WARNING, deadlines.OVERDUE,
                        deadlines.NOT_NEEDED]
Weekday = Annotated[int, Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")]




def _log(request: HttpRequest, clients: Any, what: str) -> None:
    record_access(actor=request.user, clients=clients, what=what, interface=Interface.API,
                  request=request)


def _invalid(errors: dict[str, list[str]]) -> ValidationError:
    return ValidationError(errors)


# -- reference data ---------------------------------------------------------------

class ServiceTypeOut(Schema):
    code: str
    name: str
    office: OfficeValue
    target_days: int | None
    has_visits: bool


@router.get("/service-types", response={200: list[ServiceTypeOut], **ERRORS})
@policy(READ)
def list_service_types(request: HttpRequest):
    return list(ServiceType.objects.all())


class VariableOut(Schema):
    code: str
    name: str
    group: str
    description: str
    levels: dict[str, str]


class IplosOut(Schema):
    version: str
    title: str
    scale: list[int]
    not_relevant: int
    variables: list[VariableOut]


@router.get("/iplos", response={200: IplosOut, **ERRORS})
@policy(READ)
def iplos_definition(request: HttpRequest):
    current = IplosDefinition.current()
    d = current.definition
    return {
        "version": d.version, "title": d.title, "scale": [1, 2, 3, 4, 5], "not_relevant": 9,
        "variables": [{"code": v.code, "name": v.name, "group": v.group,
                       "description": v.description,
                       "levels": {str(k): t for k, t in sorted(v.levels.items())}}
                      for v in d.variables],
    }


# -- applications -----------------------------------------------------------------

class DeadlineOut(Schema):
    due: dt.date
    state: DeadlineState
    days_left: int


class CaseTimeOut(Schema):
    received: dt.date
    elapsed_days: int
    decided: dt.date | None
    interim: DeadlineOut
    target: DeadlineOut | None
    worst: DeadlineState


class EventOut(Schema):
    version: int
    status: ApplicationStatus
    at: dt.datetime
    actor: str | None
    note: str


class ApplicationOut(Schema):
    id: int
    client: int
    district: str
    service_type: str
    source: SourceValue
    applicant_name: str
    received_at: dt.datetime
    urgency: UrgencyValue
    description: str
    status: ApplicationStatus
    decided_at: dt.datetime | None
    interim_sent_on: dt.date | None
    interim_expected_on: dt.date | None
    synthetic: bool
    case_time: CaseTimeOut
    history: list[EventOut]


class ApplicationList(Schema):
    items: list[ApplicationOut]


def _case_time(ct: deadlines.CaseTime) -> dict[str, Any]:
    def deadline(d: deadlines.Deadline | None) -> dict[str, Any] | None:
        return None if d is None else {"due": d.due, "state": d.state, "days_left": d.days_left}

    return {"received": ct.received, "elapsed_days": ct.elapsed_days, "decided": ct.decided,
            "interim": deadline(ct.interim), "target": deadline(ct.target), "worst": ct.worst}


def _application_out(a: Application, ct: deadlines.CaseTime | None = None) -> dict[str, Any]:
    return {
        "id": a.pk, "client": a.client_id, "district": a.client.district.slug,
        "service_type": a.service_type.code, "source": a.source,
        "applicant_name": a.applicant_name, "received_at": a.received_at, "urgency": a.urgency,
        "description": a.description, "status": a.status, "decided_at": a.decided_at,
        "interim_sent_on": a.interim_sent_on, "interim_expected_on": a.interim_expected_on,
        "synthetic": a.synthetic, "case_time": _case_time(ct or services.case_time(a)),
        "history": [{"version": e.version, "status": e.status, "at": e.at,
                     "actor": e.actor.username if e.actor else None, "note": e.note}
                    for e in a.events.all()],
    }


class ApplicationIn(Schema):
    client: BodyId
    service_type: str = Field(..., max_length=50, description="Service type code")
    source: SourceValue = Field(..., description="Who applied")
    applicant_name: str = Field("", max_length=200)
    received_at: SensibleDateTime
    urgency: UrgencyValue = "normal"
    description: str = Field("", max_length=5000)
    date_reason: str = Field("", max_length=1000, description=(
        "Confirms a received time more than a year ago"))
    despite_current_decision: bool = Field(False, description=(
        "Register even though the client has a decision for this service (409 otherwise; "
        "a change of the help is a reassessment of that decision)"))


def _service_type(code: str) -> ServiceType:
    found = ServiceType.objects.filter(code=code).first()
    if found is None:
        raise _invalid({"service_type": [_("Unknown service type.")]})
    return found


def _choice(value: str, choices: list[str], field: str) -> None:
    if value not in choices:
        raise _invalid({field: [_("Choose one of: %(values)s.") % {"values": ", ".join(choices)}]})


@router.post("/applications", response={201: ApplicationOut, **ERRORS})
@policy(HANDLE, object_rule=OBJECT)
def create_application(request: HttpRequest, body: ApplicationIn):
    client = visible_client_or_404(request.user, body.client)
    _choice(body.source, Application.Source.values, "source")
    _choice(body.urgency, Application.Urgency.values, "urgency")
    received = body.received_at
    if timezone.is_naive(received):
        received = timezone.make_aware(received)
    service_type = _service_type(body.service_type)
    existing = services.current_decision(client, service_type)
    if existing is not None and not body.despite_current_decision:
        message = _("The client already has decision %(id)s for this service: open a "
                    "reassessment of it to change the help.") % {"id": existing.pk}
        raise Conflict(message, {"service_type": [message]})
    application = services.do_register_application(
        client=client, service_type=service_type, source=body.source,
        applicant_name=body.applicant_name, received_at=received, urgency=body.urgency,
        description=body.description, actor=request.user, date_reason=body.date_reason,
    )
    _log(request, [client.pk], What.RECORD)
    return Status(201, _application_out(application))


class ApplicationFilter(Schema):
    status: ApplicationFilterStatus | None = Field(
        None, description="open: received or assessed")
    overdue: bool = Field(False, description="Only open cases with a deadline passed or near")
    client: QueryId | None = None
    limit: int = Field(100, ge=1, le=1000)


@router.get("/applications", response={200: ApplicationList, **ERRORS})
@policy(READ)
def list_applications(request: HttpRequest, filters: Query[ApplicationFilter]):
    qs = Application.objects.visible_to(request.user).select_related(
        "client", "client__district", "service_type").prefetch_related("events__actor")
    if request.user.role == "case_handler":
        qs = _office_filter(request.user, qs)
    if filters.client is not None:
        qs = qs.filter(client_id=filters.client)
    if filters.status == "open":
        qs = qs.filter(status__in=[Application.Status.RECEIVED, Application.Status.ASSESSED])
    elif filters.status:
        _choice(filters.status, [*Application.Status.values, "open"], "status")
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        rows = services.overdue(qs)[: filters.limit]
    else:
        rows = services.with_case_times(qs.order_by("-received_at")[: filters.limit])
    items = [_application_out(a, ct) for a, ct in rows]
    if items:
        _log(request, [i["client"] for i in items], What.LIST)
    return {"items": items}


def _application(request: HttpRequest, pk: int) -> Application:
    return get_visible_or_404(request.user, Application.objects.select_related(
        "client", "client__district", "service_type"), pk=pk)


@router.get("/applications/{application_id}", response={200: ApplicationOut, **ERRORS})
@policy(READ, object_rule=OBJECT)
def get_application(request: HttpRequest, application_id: int):
    application = reads.read_application(request.user, application_id,
                                         interface=Interface.API, request=request)
    return _application_out(application)


AttachmentKindValue = enum_of(AttachmentKind)
AttachmentType = Literal[filetypes.ACCEPTED_TYPES]  # type: ignore[valid-type]


class NoteOut(Schema):
    id: int
    text: str
    written_at: dt.datetime
    author_name: str


class AttachmentOut(Schema):
    id: int
    kind: AttachmentKindValue
    title: str
    content_type: AttachmentType
    size: int
    uploaded_at: dt.datetime
    download: str = Field(..., description="The page that serves the file (a signed-in "
                                           "session, the same rules and read log).")


class CaseFileOut(Schema):
    notes: list[NoteOut]
    attachments: list[AttachmentOut]


def _note_out(n: CaseNote) -> dict[str, Any]:
    return {"id": n.pk, "text": n.text, "written_at": n.written_at,
            "author_name": n.author_name}


@router.get("/applications/{application_id}/case-file", response={200: CaseFileOut, **ERRORS})
@policy(READ, object_rule=OBJECT)
def get_case_file(request: HttpRequest, application_id: int):
    """The application's notes and its attachments' descriptions (blocked
    ones left out); the read is logged."""
    case_file = reads.read_case_file(request.user, application_id, interface=Interface.API,
                                     request=request)
    return {"notes": [_note_out(n) for n in case_file.notes], "attachments": [
        {"id": a.pk, "kind": a.kind, "title": a.title, "content_type": a.content_type,
         "size": a.size, "uploaded_at": a.uploaded_at,
         "download": reverse("decisions:attachment", args=[a.pk])}
        for a in case_file.attachments]}


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


@router.post("/applications/{application_id}/notes", response={201: NoteOut, **ERRORS})
@policy(HANDLE, object_rule=OBJECT)
def add_note(request: HttpRequest, application_id: int, body: NoteIn):
    application = _application(request, application_id)
    note = services.do_add_case_note(application, text=body.text, actor=request.user)
    _log(request, [application.client_id], What.RECORD)
    return Status(201, _note_out(note))


class InterimIn(Schema):
    expected_on: SensibleDate
    reason: str = Field(..., max_length=2000)


@router.post("/applications/{application_id}/interim-reply",
             response={200: ApplicationOut, **ERRORS})
@policy(HANDLE, object_rule=OBJECT)
def send_interim_reply(request: HttpRequest, application_id: int, body: InterimIn):
    application = _application(request, application_id)
    application = services.do_send_interim_reply(
        application, expected_on=body.expected_on, reason=body.reason, actor=request.user)
    _log(request, [application.client_id], What.RECORD)
    return _application_out(_application(request, application.pk))


@router.get("/applications/{application_id}/interim-reply.pdf", response={200: None, **ERRORS})
@policy(READ, object_rule=OBJECT)
def interim_letter_pdf(request: HttpRequest, application_id: int):
    application = reads.read_application(request.user, application_id,
                                         interface=Interface.API, request=request)
    if not application.interim_sent_on:
        raise _invalid({"interim_sent_on": [
            _("No interim reply has been registered for this case.")]})
    return letters.respond(request, "decisions/letter_interim.html",
                           letters.interim_context(application), pdf=True,
                           filename=f"forelopig-svar-{application.pk}.pdf")


# -- assessments ------------------------------------------------------------------

class AssessmentIn(Schema):
    client: BodyId
    application: BodyId | None = None
    assessed_on: SensibleDate
    scores: dict[str, Any] = Field(..., description="IPLOS variable code → 1–5 or 9")
    block: BlockValue | None = Field(None, description="Empty: the computed care block")
    override_reason: str = Field("", max_length=2000)
    note: str = Field("", max_length=2000)


class AssessmentOut(Schema):
    id: int
    client: int
    application: int | None
    definition: str
    assessed_on: dt.date
    assessor: str
    scores: dict[str, int]
    computed_block: BlockValue
    block: BlockValue
    overridden: bool
    override_reason: str
    rule_result: dict[str, Any]


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {"id": a.pk, "client": a.client_id, "application": a.application_id,
            "definition": a.definition.version, "assessed_on": a.assessed_on,
            "assessor": a.assessor_name, "scores": a.scores, "computed_block": a.computed_block,
            "block": a.block, "overridden": a.overridden, "override_reason": a.override_reason,
            "rule_result": a.rule_result}


@router.post("/assessments", response={201: AssessmentOut, **ERRORS})
@policy(HANDLE, object_rule=OBJECT)
def create_assessment(request: HttpRequest, body: AssessmentIn):
    client = visible_client_or_404(request.user, body.client)
    application = _application(request, body.application) if body.application else None
    assessment = services.do_record_assessment(
        client=client, application=application, scores=body.scores,
        assessed_on=body.assessed_on, assessor=request.user, block=body.block or None,
        override_reason=body.override_reason, note=body.note,
    )
    _log(request, [client.pk], What.RECORD)
    return Status(201, _assessment_out(assessment))


@router.get("/assessments/{assessment_id}", response={200: AssessmentOut, **ERRORS})
@policy(READ, object_rule=OBJECT)
def get_assessment(request: HttpRequest, assessment_id: int):
    assessment = reads.read_assessment(request.user, assessment_id, interface=Interface.API,
                                       request=request)
    out = _assessment_out(assessment)
    if out["application"] and not Application.objects.visible_to(request.user).filter(
            pk=out["application"]).exists():
        out["application"] = None  # a blocked application is not named
    return out


# -- decisions --------------------------------------------------------------------

class VisitIn(Schema):
    slot: SlotValue
    weekdays: list[Weekday]
    minutes: int = Field(..., ge=1, le=480, description="Guiding minutes")
    competence: CompetenceValue
    tasks: str = Field(..., max_length=2000)
    skills: list[str] = []
    staff_count: int = Field(1, ge=1, le=2)
    two_person_reason: str = Field("", max_length=300)
    task_codes: list[str] = []
    window_start: LocalTime | None = None
    window_end: LocalTime | None = None
    after: int | None = Field(None, description="Index of an earlier visit in this list")
    after_min_minutes: int | None = Field(None, ge=0, le=1440)
    after_max_minutes: int | None = Field(None, ge=0, le=1440)


class VisitOut(Schema):
    id: int
    slot: SlotValue
    weekdays: list[Weekday]
    window: list[str]
    minutes: int
    competence: CompetenceValue
    skills: list[str]
    staff_count: int
    two_person_reason: str
    tasks: str
    task_codes: list[str]
    after: dict[str, int] | None


class DecisionIn(Schema):
    client: BodyId
    service_type: str = Field(..., max_length=50)
    application: BodyId | None = None
    assessment: BodyId | None = None
    outcome: OutcomeValue = Field(
        "granted", description="A refusal has no visits and no hours; partial: the "
        "justification says what is not granted")
    care_block: BlockOrEmpty = Field(..., description="Empty only for a refusal")
    provider: BodyId | None = Field(None, description="Empty: the client's provider")
    valid_from: SensibleDate
    valid_to: SensibleDate | None = None
    review_on: SensibleDate | None = None
    weekly_minutes: int | None = Field(None, ge=0, le=7 * 24 * 60)
    tolerance_percent: int = Field(15, ge=0, le=50)
    justification: str = Field("", max_length=5000)
    date_reason: str = Field("", max_length=1000, description=(
        "Confirms a decision that starts before the day it is made"))
    visits: list[VisitIn] = []


class VersionOut(Schema):
    id: int
    version: int
    change: ChangeValue
    status: DecisionStatus
    valid_from: dt.date
    valid_to: dt.date | None
    weekly_minutes: int


class DecisionOut(Schema):
    id: int
    series: str
    version: int
    client: int
    district: str
    application: int | None
    assessment: int | None
    service_type: str
    care_block: BlockOrEmpty
    provider: int
    provider_kind: ProviderKind
    valid_from: dt.date
    valid_to: dt.date | None
    review_on: dt.date | None
    weekly_minutes: int
    tolerance_percent: int
    justification: str
    change: ChangeValue
    outcome: OutcomeValue
    status: DecisionStatus
    decided_at: dt.datetime
    decided_by: str
    synthetic: bool
    visits: list[VisitOut]
    history: list[VersionOut]


class DecisionList(Schema):
    items: list[DecisionOut]


def _decision_out(d: Decision, with_history: bool = True) -> dict[str, Any]:
    visits = list(d.visits.all())
    return {
        "id": d.pk, "series": str(d.series), "version": d.version, "client": d.client_id,
        "district": d.client.district.slug, "application": d.application_id,
        "assessment": d.assessment_id, "service_type": d.service_type.code,
        "care_block": d.care_block, "provider": d.provider_id,
        "provider_kind": d.provider.kind, "valid_from": d.valid_from, "valid_to": d.valid_to,
        "review_on": d.review_on, "weekly_minutes": d.weekly_minutes,
        "tolerance_percent": d.tolerance_percent, "justification": d.justification,
        "change": d.change, "outcome": d.outcome, "status": d.status,
        "decided_at": d.decided_at,
        "decided_by": d.decided_by_name, "synthetic": d.synthetic,
        "visits": [{
            "id": v.pk, "slot": v.slot, "weekdays": v.weekdays,
            "window": [v.window_start.strftime("%H:%M"), v.window_end.strftime("%H:%M")],
            "minutes": v.minutes, "competence": v.competence, "skills": v.skills,
            "staff_count": v.staff_count, "two_person_reason": v.two_person_reason,
            "tasks": v.tasks, "task_codes": v.task_codes,
            "after": None if v.after_id is None else {
                "visit": v.after_id, "min_minutes": v.after_min_minutes,
                "max_minutes": v.after_max_minutes},
        } for v in visits],
        "history": [{"id": h.pk, "version": h.version, "change": h.change, "status": h.status,
                     "valid_from": h.valid_from, "valid_to": h.valid_to,
                     "weekly_minutes": h.weekly_minutes} for h in d.history()]
        if with_history else [],
    }


def _shown(user: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Decisions as answered to `user`: the id of an application or
    assessment blocked for the user is left out (null), and so are blocked
    versions in the history."""
    def visible(model: Any, ids: set[int]) -> set[int]:
        return set(model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))

    applications = visible(Application, {i["application"] for i in items if i["application"]})
    assessments = visible(Assessment, {i["assessment"] for i in items if i["assessment"]})
    versions = visible(Decision, {h["id"] for i in items for h in i["history"]})
    for item in items:
        if item["application"] not in applications:
            item["application"] = None
        if item["assessment"] not in assessments:
            item["assessment"] = None
        item["history"] = [h for h in item["history"] if h["id"] in versions]
    return items


def _decisions() -> Any:
    return Decision.objects.select_related("client", "client__district", "service_type",
                                           "provider")


@router.post("/decisions", response={201: DecisionOut, **ERRORS})
@policy(HANDLE, object_rule=OBJECT)
def create_decision(request: HttpRequest, body: DecisionIn):
    client = visible_client_or_404(request.user, body.client)
    application = _application(request, body.application) if body.application else None
    assessment = get_visible_or_404(request.user, Assessment.objects.all(),
                                    pk=body.assessment) if body.assessment else None
    if body.provider is None:
        provider = client.provider
    else:
        provider = Provider.objects.filter(pk=body.provider).first()
        if provider is None:
            raise _invalid({"provider": [_("Unknown provider.")]})
    decision = services.do_decide(
        client=client, service_type=_service_type(body.service_type),
        care_block=body.care_block, provider=provider, valid_from=body.valid_from,
        valid_to=body.valid_to, review_on=body.review_on, weekly_minutes=body.weekly_minutes,
        tolerance_percent=body.tolerance_percent, justification=body.justification,
        visits=[v.dict() for v in body.visits], actor=request.user, application=application,
        assessment=assessment, outcome=body.outcome, date_reason=body.date_reason,
    )
    _log(request, [client.pk], What.DECISION)
    return Status(201, _shown(request.user, [_decision_out(_decisions().get(pk=decision.pk))])[0])


class DecisionFilter(Schema):
    client: QueryId | None = None
    status: DecisionStatus | None = None
    active_on: SensibleDate | None = Field(None, description="Only decisions in force that day")
    limit: int = Field(100, ge=1, le=1000)


@router.get("/decisions", response={200: DecisionList, **ERRORS})
@policy(READ)
def list_decisions(request: HttpRequest, filters: Query[DecisionFilter]):
    qs = _decisions().visible_to(request.user).prefetch_related("visits")
    if filters.client is not None:
        qs = qs.filter(client_id=filters.client)
    if filters.status:
        _choice(filters.status, Decision.Status.values, "status")
        qs = qs.filter(status=filters.status)
    if filters.active_on:
        qs = qs.active_on(filters.active_on)
    items = _shown(request.user, [_decision_out(d, with_history=False)
                                  for d in qs.order_by("pk")[: filters.limit]])
    if items:
        _log(request, [i["client"] for i in items], What.LIST)
    return {"items": items}


@router.get("/decisions/{decision_id}", response={200: DecisionOut, **ERRORS})
@policy(READ, object_rule=OBJECT)
def get_decision(request: HttpRequest, decision_id: int):
    decision = reads.read_decision(request.user, decision_id, interface=Interface.API,
                                   request=request)
    return _shown(request.user, [_decision_out(decision)])[0]


class PositionOut(Schema):
    suppressed: bool
    count: int | None
    median: float | None
    percentile: float | None
    p25: float | None
    p75: float | None


class EqualHelpOut(Schema):
    care_block: BlockValue
    weekly_hours: float
    city: PositionOut
    district: PositionOut
    district_name: str
    compared: str = Field(..., description="What the figures compare with, in words")


@router.get("/decisions/{decision_id}/equal-help", response={200: EqualHelpOut, **ERRORS})
@policy(READ, object_rule=OBJECT)
def decision_equal_help(request: HttpRequest, decision_id: int):
    decision = reads.read_decision(request.user, decision_id, interface=Interface.API,
                                   request=request)
    if not decision.care_block:
        raise _invalid({"care_block": [_("The decision has no care block to compare.")]})
    eh = services.equal_help_for(service_type=decision.service_type,
                                 profile=services.assessment_profile(decision.assessment),
                                 care_block=decision.care_block,
                                 weekly_minutes=decision.weekly_minutes,
                                 district=decision.client.district, exclude=decision)
    return {"care_block": eh.care_block, "weekly_hours": eh.weekly_hours,
            "city": eh.city.__dict__, "district": eh.district.__dict__,
            "district_name": eh.district_name, "compared": eh.compared}


@router.get("/decisions/{decision_id}/letter.pdf", response={200: None, **ERRORS})
@policy(READ, object_rule=OBJECT)
def decision_letter_pdf(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision = reads.read_decision(request.user, decision_id, interface=Interface.API,
                                   request=request)
    try:
        context = letters.decision_context(decision)
    except letters.LetterNotReady as exc:
        return Status(409, {"detail": exc.reason, "errors": {"justification": [exc.reason]}})
    return letters.respond(request, "decisions/letter_decision.html", context, pdf=True,
                           filename=f"vedtak-{decision.pk}-v{decision.version}.pdf")


# -- reassessment -----------------------------------------------------------------

class ReassessmentIn(Schema):
    source: ReassessmentSource
    reason: str = Field("", max_length=2000)
    evidence: dict[str, Any] = {}


class ReassessmentOut(Schema):
    id: int
    decision: int
    source: ReassessmentSource
    reason: str
    evidence: dict[str, Any]
    opened_at: dt.datetime
    outcome: OpenOrOutcome
    closed_at: dt.datetime | None
    new_decision: int | None


def _reassessment_out(r: Reassessment, user: Any = None) -> dict[str, Any]:
    new_decision = r.new_decision_id
    if new_decision and user is not None and not Decision.objects.visible_to(user).filter(
            pk=new_decision).exists():
        new_decision = None  # a blocked new version is not named
    return {"id": r.pk, "decision": r.decision_id, "source": r.source, "reason": r.reason,
            "evidence": r.evidence, "opened_at": r.opened_at, "outcome": r.outcome,
            "closed_at": r.closed_at, "new_decision": new_decision}


@router.post("/decisions/{decision_id}/reassessments", response={201: ReassessmentOut, **ERRORS})
@policy(HANDLE, object_rule=OBJECT)
def open_reassessment(request: HttpRequest, decision_id: int, body: ReassessmentIn):
    decision = get_visible_or_404(request.user, _decisions(), pk=decision_id)
    r = services.do_open_reassessment(decision, source=body.source, reason=body.reason,
                                      evidence=body.evidence, actor=request.user)
    _log(request, [decision.client_id], What.DECISION)
    return Status(201, _reassessment_out(r))


class ChangesIn(Schema):
    care_block: BlockValue | None = None
    weekly_minutes: int | None = Field(None, ge=0, le=7 * 24 * 60)
    review_on: SensibleDate | None = None
    visits: list[VisitIn] | None = None


class CloseIn(Schema):
    outcome: ReassessmentOutcome
    valid_from: SensibleDate | None = None
    changes: ChangesIn = ChangesIn()


@router.post("/reassessments/{reassessment_id}/close", response={200: ReassessmentOut, **ERRORS})
@policy(HANDLE, object_rule=OBJECT)
def close_reassessment(request: HttpRequest, reassessment_id: int, body: CloseIn):
    r = get_visible_or_404(request.user, Reassessment.objects.select_related("decision"),
                           pk=reassessment_id)
    changes: dict[str, Any] = {k: v for k, v in body.changes.dict().items() if v is not None}
    if "visits" in changes:
        changes["visits"] = [dict(v) for v in changes["visits"]]
    r = services.do_close_reassessment(r, outcome=body.outcome, actor=request.user,
                                       valid_from=body.valid_from, changes=changes)
    _log(request, [r.decision.client_id], What.DECISION)
    return _reassessment_out(r, request.user)
