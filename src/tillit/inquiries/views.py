"""Intake pages: open inquiries, the overdue list per district, register,
one inquiry (take on, forward, answer), and requests between districts and
agencies with the contact points."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tillit.access.policy import policy
from tillit.access.scopes import visible_clients
from tillit.audit.models import Interface
from tillit.inquiries import services
from tillit.inquiries.forms import AnswerForm, InquiryForm, RequestForm, UpdateForm
from tillit.inquiries.models import ContactPoint, Status

READ = "inquiries.read"
REGISTER = "inquiries.register"
REQUESTS = "inquiries.requests"


def _errors(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@policy(READ)
def inquiry_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    rows = services.list_inquiries(request.user, interface=Interface.PAGE, request=request,
                                   status=status)
    return render(request, "inquiries/list.html", {
        "rows": rows, "status": status, "statuses": Status.choices, "today": services.today(),
        "may_register": request.user.role in services.REGISTERING_ROLES})


@policy(READ)
def overdue(request: HttpRequest) -> HttpResponse:
    rows = services.list_inquiries(request.user, interface=Interface.PAGE, request=request,
                                   overdue_only=True)
    return render(request, "inquiries/overdue.html", {
        "groups": services.overdue_by_district(rows), "today": services.today()})


@policy(REGISTER)
def inquiry_new(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None, clients=visible_clients(request.user),
                       initial={"received_on": services.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = services.do_register_inquiry(
                user=request.user, client=data["national_id"], sender=data["sender"],
                sender_name=data["sender_name"], channel=data["channel"], topic=data["topic"],
                summary=data["summary"], text=data["text"], received_on=data["received_on"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The inquiry is registered and sent to %(unit)s.")
                             % {"unit": inquiry.unit})
            return redirect("inquiries:detail", inquiry.pk)
    return render(request, "inquiries/form.html", {"form": form})


@policy(READ, object_rule="access.view_client")
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = services.read_inquiry(request.user, pk, interface=Interface.PAGE, request=request)
    form = None
    if request.user.role in services.REGISTERING_ROLES:
        form = UpdateForm(request.POST or None, district_id=inquiry.district_id, initial={
            "status": inquiry.status, "unit": inquiry.unit_id, "answer": inquiry.answer})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.do_update_inquiry(user=request.user, inquiry=inquiry,
                                           status=data["status"], answer=data["answer"],
                                           unit=data["unit"])
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("The inquiry is updated."))
                return redirect("inquiries:detail", inquiry.pk)
    return render(request, "inquiries/detail.html", {
        "inquiry": inquiry, "form": form, "today": services.today()})


@policy(REQUESTS)
def requests(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    points = ContactPoint.objects.select_related("agency", "district", "responsible")
    if query:
        points = points.filter(Q(topic__icontains=query) | Q(agency__name__icontains=query)
                               | Q(district__name__icontains=query))
    form = RequestForm(request.POST or None, initial={"contact_point": request.GET.get("to")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_send_request(user=request.user, contact_point=data["contact_point"],
                                     subject=data["subject"], text=data["text"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The request is sent."))
            return redirect("inquiries:requests")
    mine = services.requests_for(request.user)
    return render(request, "inquiries/requests.html", {
        "points": points, "query": query, "form": form, "today": services.today(),
        "sent": mine.filter(sender=request.user),
        "incoming": [r for r in mine.exclude(sender=request.user)
                     if services.may_answer_request(request.user, r)]})


@policy(REQUESTS)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(services.requests_for(request.user), pk=pk)
    may_answer = services.may_answer_request(request.user, req)
    form = AnswerForm(request.POST or None) if may_answer else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.do_answer_request(user=request.user, req=req,
                                       answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The answer is sent."))
            return redirect("inquiries:request", req.pk)
    return render(request, "inquiries/request_detail.html", {
        "req": req, "form": form, "today": services.today()})
