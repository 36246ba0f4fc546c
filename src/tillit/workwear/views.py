"""Workwear pages: the comparison between districts with the central stock
(and delivery of orders for the agreement's administrator), and one's own
district: bases and laundry cycles, sizes and issues, orders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.workwear import services
from tillit.workwear.forms import IssueForm, OrderForm, RunForm
from tillit.workwear.models import Base, Issue, Order, SizeProfile, StockLine


def _errors(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@policy("workwear.read")
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "workwear/overview.html", {
        "rows": services.district_comparison(),
        "stock": StockLine.objects.select_related("garment"),
        "orders": Order.objects.filter(status=Order.Status.ORDERED).select_related(
            "district", "garment") if request.user.role == "system_admin" else None,
    })


@require_POST
@policy("workwear.deliver")
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(Order, pk=pk)
    try:
        services.do_deliver_order(user=request.user, order=order)
        messages.success(request, _("The order is delivered."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workwear:overview")


@policy("workwear.district")
def district(request: HttpRequest) -> HttpResponse:
    user = request.user
    staff = services.staff(user.district)
    forms = {
        "issue": IssueForm(staff=staff, prefix="i"),
        "order": OrderForm(prefix="o"),
        "run": RunForm(district_id=user.district_id, prefix="r"),
    }
    action = request.POST.get("action")
    if request.method == "POST" and action in forms:
        form = {"issue": lambda: IssueForm(request.POST, staff=staff, prefix="i"),
                "order": lambda: OrderForm(request.POST, prefix="o"),
                "run": lambda: RunForm(request.POST, district_id=user.district_id,
                                       prefix="r")}[action]()
        forms[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "issue":
                    services.do_set_size(user=user, employee=data["employee"],
                                         garment=data["garment"], size=data["size"])
                    services.do_issue(user=user, **data)
                elif action == "order":
                    services.do_order(user=user, **data)
                else:
                    services.do_record_run(user=user, **data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("workwear:district")
    bases = [(b, *services.schedule(b)) for b in Base.objects.filter(district=user.district)]
    sizes: dict[int, list[SizeProfile]] = {}
    for p in SizeProfile.objects.filter(employee__in=staff).select_related("garment"):
        sizes.setdefault(p.employee_id, []).append(p)
    issues = Issue.objects.filter(employee__district=user.district, returned_on__isnull=True
                                  ).select_related("employee", "garment")[:200]
    return render(request, "workwear/district.html", {
        "district": user.district, "bases": bases, "forms": forms,
        "staff": [(e, sizes.get(e.pk, [])) for e in staff], "issues": issues,
        "orders": Order.objects.filter(district=user.district).select_related("garment")[:50],
        "runs": services.LaundryRun.objects.filter(base__district=user.district)
        .select_related("base")[:20]})


@require_POST
@policy("workwear.district")
def issue_return(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(Issue.objects.select_related("employee"), pk=pk,
                              employee__district_id=request.user.district_id)
    try:
        services.do_return(user=request.user, issue=issue)
        messages.success(request, _("The garment is returned."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workwear:district")
