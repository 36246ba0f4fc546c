"""`/api/v1/inquiries…` and `/api/v1/requests…`: the intake. Inquiries are
person-level: rows through `visible_to(user)` (others' answer 404), every
read logged. Requests and contact points carry no person data."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from tillit.access.policy import policy
from tillit.access.scopes import visible_client_or_404
from tillit.audit.models import Interface
from tillit.inquiries import services
from tillit.inquiries.models import ContactPoint, Inquiry
from tillit.organisation.models import Unit

router = Router(tags=["inquiries"])

StatusLiteral = Literal["received", "in_progress", "answered"]
TopicLiteral = Literal["application", "visits", "care", "complaint", "devices", "other"]
SenderLiteral = Literal["client", "relative", "other"]
ChannelLiteral = Literal["phone", "email", "letter", "in_person", "digital"]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
          422: ErrorOut}


class InquiryOut(Schema):
    id: int
    client_id: int
    district: str
    unit: str
    team: str | None
    sender: SenderLiteral
    sender_name: str
    channel: ChannelLiteral
    topic: TopicLiteral
    summary: str
    text: str
    received_on: dt.date
    due_on: dt.date
    status: StatusLiteral
    overdue: bool
    answer: str
    answered_on: dt.date | None


class InquiryIn(Schema):
    client_id: int
    sender: SenderLiteral
    sender_name: str = ""
    channel: ChannelLiteral
    topic: TopicLiteral
    summary: str
    text: str = ""
    received_on: dt.date | None = None


class InquiryUpdateIn(Schema):
    status: StatusLiteral
    answer: str = ""
    unit_id: int | None = None


class ContactPointOut(Schema):
    id: int
    owner: str
    topic: str
    contact: str
    email: str
    phone: str
    answer_days: int


class RequestIn(Schema):
    contact_point_id: int
    subject: str
    text: str


class RequestAnswerIn(Schema):
    answer: str


class RequestOut(Schema):
    id: int
    contact_point_id: int
    subject: str
    text: str
    sent_on: dt.date
    due_on: dt.date
    status: StatusLiteral
    overdue: bool
    answer: str
    answered_on: dt.date | None


def _inquiry(i: Inquiry) -> dict:
    return {"id": i.pk, "client_id": i.client_id, "district": i.district.slug,
            "unit": i.unit.name, "team": i.team.name if i.team else None, "sender": i.sender,
            "sender_name": i.sender_name, "channel": i.channel, "topic": i.topic,
            "summary": i.summary, "text": i.text, "received_on": i.received_on,
            "due_on": i.due_on, "status": i.status, "overdue": i.is_overdue(services.today()),
            "answer": i.answer, "answered_on": i.answered_on}


def _request(r) -> dict:
    return {"id": r.pk, "contact_point_id": r.contact_point_id, "subject": r.subject,
            "text": r.text, "sent_on": r.sent_on, "due_on": r.due_on, "status": r.status,
            "overdue": r.is_overdue(services.today()), "answer": r.answer,
            "answered_on": r.answered_on}


@router.get("/inquiries", response={200: list[InquiryOut], **ERRORS})
@policy("inquiries.read")
def list_inquiries(request: HttpRequest,
                   status: Literal["open", "received", "in_progress", "answered", "all"] = "open",
                   overdue: bool = False):
    rows = services.list_inquiries(request.user, interface=Interface.API, request=request,
                                   status=status, overdue_only=overdue)
    return [_inquiry(i) for i in rows]


@router.get("/inquiries/{inquiry_id}", response={200: InquiryOut, **ERRORS})
@policy("inquiries.read", object_rule="access.view_client")
def get_inquiry(request: HttpRequest, inquiry_id: int):
    return _inquiry(services.read_inquiry(request.user, inquiry_id, interface=Interface.API,
                                          request=request))


@router.post("/inquiries", response={201: InquiryOut, **ERRORS})
@policy("inquiries.register", object_rule="access.view_client")
def register_inquiry(request: HttpRequest, payload: InquiryIn):
    client = visible_client_or_404(request.user, payload.client_id)
    inquiry = services.do_register_inquiry(
        user=request.user, client=client, sender=payload.sender, sender_name=payload.sender_name,
        channel=payload.channel, topic=payload.topic, summary=payload.summary,
        text=payload.text, received_on=payload.received_on)
    return Status(201, _inquiry(inquiry))


@router.patch("/inquiries/{inquiry_id}", response={200: InquiryOut, **ERRORS})
@policy("inquiries.register", object_rule="access.view_client")
def update_inquiry(request: HttpRequest, inquiry_id: int, payload: InquiryUpdateIn):
    inquiry = services.read_inquiry(request.user, inquiry_id, interface=Interface.API,
                                    request=request)
    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.filter(pk=payload.unit_id).first()
        if unit is None:
            raise Http404("Not found.")
    inquiry = services.do_update_inquiry(user=request.user, inquiry=inquiry,
                                         status=payload.status, answer=payload.answer, unit=unit)
    return _inquiry(inquiry)


@router.get("/contact-points", response={200: list[ContactPointOut], **ERRORS})
@policy("inquiries.requests")
def contact_points(request: HttpRequest):
    return [{"id": p.pk, "owner": (p.agency.slug if p.agency else p.district.slug),
             "topic": p.topic, "contact": p.responsible.get_full_name() or p.responsible.username,
             "email": p.email, "phone": p.phone, "answer_days": p.answer_days}
            for p in ContactPoint.objects.select_related("agency", "district", "responsible")]


@router.get("/requests", response={200: list[RequestOut], **ERRORS})
@policy("inquiries.requests")
def list_requests(request: HttpRequest):
    return [_request(r) for r in services.requests_for(request.user)]


@router.post("/requests", response={201: RequestOut, **ERRORS})
@policy("inquiries.requests")
def send_request(request: HttpRequest, payload: RequestIn):
    point = get_object_or_404(ContactPoint, pk=payload.contact_point_id)
    req = services.do_send_request(user=request.user, contact_point=point,
                                   subject=payload.subject, text=payload.text)
    return Status(201, _request(req))


@router.post("/requests/{request_id}/answer", response={200: RequestOut, **ERRORS})
@policy("inquiries.requests")
def answer_request(request: HttpRequest, request_id: int, payload: RequestAnswerIn):
    req = get_object_or_404(services.requests_for(request.user), pk=request_id)
    return _request(services.do_answer_request(user=request.user, req=req,
                                               answer=payload.answer))
