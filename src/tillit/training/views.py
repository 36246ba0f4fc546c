"""Training pages: competence overview (coverage per team and district, the
district's gaps), the course catalogue with onboarding programmes, one
employee's courses with the form to record a completion, a carer's own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tillit.access.policy import policy
from tillit.training import services
from tillit.training.forms import CompletionForm
from tillit.training.models import Course, OnboardingProgramme


@policy("training.coverage")
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    day = services.today()
    context: dict[str, object] = {"districts": services.coverage_by_district(day), "today": day}
    if user.district_id:
        staff = services.employees_visible_to(user, day).filter(team__isnull=False)
        context["teams"] = services.coverage_by_team(user.district, day)
        context["gaps"] = services.gaps(staff.select_related("team").order_by(
            "team__name", "family_name"), day)
    return render(request, "training/overview.html", context)


@policy("training.read")
def courses(request: HttpRequest) -> HttpResponse:
    return render(request, "training/courses.html", {
        "courses": Course.objects.filter(is_active=True),
        "programmes": OnboardingProgramme.objects.prefetch_related("courses"),
    })


@policy("training.staff")
def employee(request: HttpRequest, pk: int) -> HttpResponse:
    person = services.visible_employee_or_404(request.user, pk)
    form = CompletionForm(request.POST or None, initial={"completed_on": services.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.do_record_completion(user=request.user, employee=person,
                                          course=form.cleaned_data["course"],
                                          completed_on=form.cleaned_data["completed_on"])
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The completion is recorded."))
            return redirect("training:employee", person.pk)
    person.refresh_from_db()
    return render(request, "training/employee.html", {
        "person": person, "rows": services.status_for([person])[person.pk], "form": form})


@policy("training.own")
def mine(request: HttpRequest) -> HttpResponse:
    person = services.employees_visible_to(request.user).first()
    rows = services.status_for([person])[person.pk] if person else []
    return render(request, "training/mine.html", {"person": person, "rows": rows})
