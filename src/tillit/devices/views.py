"""Device pages: the central stock with open requests and services due, one
client's devices (loans, installations, the visit a device replaces,
requests), and the device service's actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.access.scopes import get_visible_or_404, has_person_scope
from tillit.audit.models import Interface
from tillit.devices import services
from tillit.devices.forms import LendForm, RejectForm, RequestForm
from tillit.devices.models import DeviceRequest, Loan

OBJECT = "access.view_client"


def _errors(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@policy("devices.stock")
def overview(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"stock": services.stock(), "today": services.today()}
    if has_person_scope(request.user):
        context["requests"] = services.open_requests(request.user, interface=Interface.PAGE,
                                                     request=request)
        context["due"] = services.service_due(request.user, interface=Interface.PAGE,
                                              request=request)
    return render(request, "devices/overview.html", context)


@policy("devices.client", object_rule=OBJECT)
def client_devices(request: HttpRequest, client_id: int) -> HttpResponse:
    data = services.read_client_devices(request.user, client_id, interface=Interface.PAGE,
                                        request=request)
    visits = services.client_visits(data.client, request.user)
    user = request.user
    request_form = lend_form = None
    if user.role in services.REQUESTING_ROLES:
        request_form = RequestForm(visits=visits, prefix="r")
        if request.method == "POST" and "r-reason" in request.POST:
            request_form = RequestForm(request.POST, visits=visits, prefix="r")
            if request_form.is_valid():
                try:
                    services.do_request_device(user=user, client=data.client,
                                               **request_form.cleaned_data)
                except ValidationError as exc:
                    _errors(request_form, exc)
                else:
                    messages.success(request, _("The request is sent to the device service."))
                    return redirect("devices:client", data.client.pk)
    if services.is_device_service(user):
        open_requests = DeviceRequest.objects.filter(client=data.client,
                                                     status=DeviceRequest.Status.REQUESTED)
        lend_form = LendForm(visits=visits, requests=open_requests, prefix="l")
        if request.method == "POST" and "l-device" in request.POST:
            lend_form = LendForm(request.POST, visits=visits, requests=open_requests, prefix="l")
            if lend_form.is_valid():
                try:
                    services.do_lend_device(user=user, client=data.client,
                                            **lend_form.cleaned_data)
                except ValidationError as exc:
                    _errors(lend_form, exc)
                else:
                    messages.success(request, _("The device is lent."))
                    return redirect("devices:client", data.client.pk)
    return render(request, "devices/client.html", {
        "client": data.client, "loans": data.loans, "requests": data.requests,
        "request_form": request_form, "lend_form": lend_form, "today": services.today(),
        "device_service": services.is_device_service(user), "reject_form": RejectForm()})


def _loan(request: HttpRequest, pk: int) -> Loan:
    return get_visible_or_404(request.user, Loan.objects.select_related("device"), pk=pk)


@require_POST
@policy("devices.handle")
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk)
    try:
        services.do_return_device(user=request.user, loan=loan)
        messages.success(request, _("The device is returned to stock."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("devices:client", loan.client_id)


@require_POST
@policy("devices.handle")
def loan_service(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan(request, pk)
    try:
        services.do_record_service(user=request.user, loan=loan)
        messages.success(request, _("The service is recorded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("devices:client", loan.client_id)


@require_POST
@policy("devices.handle")
def request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_visible_or_404(request.user, DeviceRequest.objects.all(), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the request is rejected."))
    else:
        try:
            services.do_reject_request(user=request.user, request=req, **form.cleaned_data)
            messages.success(request, _("The request is rejected."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("devices:client", req.client_id)
