"""Pages for city-wide routines: the list, one routine with its versions and
every district's answer, publishing and revising, answering, the compliance
overview with due reminders, and the attached document."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.routines import services
from tillit.routines.forms import AnswerForm, PublishForm, VersionForm
from tillit.routines.models import Acknowledgement, Kind, Routine, RoutineVersion

READ = "routines.read"
PUBLISH = "routines.publish"
ANSWER = "routines.answer"


def _may_publish(request: HttpRequest) -> bool:
    import rules

    return rules.test_rule(PUBLISH, request.user)


def _own_district_answers(user, routine_ids: list[int]) -> dict[int, Acknowledgement]:
    if not user.district_id:
        return {}
    rows = services.current_acknowledgements().filter(
        district_id=user.district_id, unit__isnull=True, version__routine_id__in=routine_ids)
    return {a.version.routine_id: a for a in rows}


@policy(READ)
def routine_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    routines = Routine.objects.prefetch_related("versions", "service_types").select_related(
        "agency")
    if kind in Kind.values:
        routines = routines.filter(versions__kind=kind).distinct()
    rows = []
    for routine in routines:
        current = routine.current
        if current is not None and (not kind or current.kind == kind):
            rows.append((routine, current))
    answers = _own_district_answers(request.user, [r.pk for r, _v in rows])
    due = []
    if request.user.district_id:
        due = services.due_reminders(district=request.user.district)
    return render(request, "routines/list.html", {
        "rows": [(r, v, answers.get(r.pk)) for r, v in rows], "kinds": Kind.choices,
        "kind": kind, "may_publish": _may_publish(request), "due": due,
        "today": services.today(),
    })


@policy(READ)
def routine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routine = get_object_or_404(Routine.objects.select_related("agency"), pk=pk)
    current = routine.current
    acks = list(services.current_acknowledgements().filter(version__routine=routine))
    forms = {a.pk: AnswerForm(initial={"status": a.status,
                                       "deviation_reason": a.deviation_reason},
                              prefix=f"a{a.pk}")
             for a in acks if services.may_answer(request.user, a)}
    return render(request, "routines/detail.html", {
        "routine": routine, "current": current,
        "versions": routine.versions.select_related("published_by"),
        "members": routine.working_group.select_related("district", "agency"),
        "rows": [(a, forms.get(a.pk)) for a in acks], "may_publish": _may_publish(request),
        "today": services.today(), "acknowledged": sum(a.is_acknowledged for a in acks),
        "total": len(acks),
    })


@policy(PUBLISH)
def routine_new(request: HttpRequest) -> HttpResponse:
    form = PublishForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            routine = services.do_publish_routine(
                user=request.user, title=data["title"], kind=data["kind"], text=data["text"],
                effective_from=data["effective_from"], respond_by=data["respond_by"],
                agency=data["agency"], service_types=data["service_types"],
                working_group=data["working_group"], document=data["document"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The routine is published. Every district and unit is "
                                        "asked to acknowledge it."))
            return redirect("routines:detail", routine.pk)
    return render(request, "routines/form.html", {
        "form": form, "heading": _("Publish a city-wide routine"), "routine": None})


@policy(PUBLISH)
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    routine = get_object_or_404(Routine, pk=pk)
    current = routine.current
    initial = {"kind": current.kind, "text": current.text} if current else {}
    form = VersionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_publish_version(
                user=request.user, routine=routine, kind=data["kind"], text=data["text"],
                effective_from=data["effective_from"], respond_by=data["respond_by"],
                change_note=data["change_note"], document=data["document"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The new version is published. Acknowledgement starts "
                                        "over in every district and unit."))
            return redirect("routines:detail", routine.pk)
    return render(request, "routines/form.html", {
        "form": form, "heading": _("New version of %(title)s") % {"title": routine.title},
        "routine": routine})


@require_POST
@policy(ANSWER)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    ack = get_object_or_404(Acknowledgement.objects.select_related("version__routine"), pk=pk,
                            district_id=request.user.district_id)
    if not services.may_answer(request.user, ack):
        raise PermissionDenied
    form = AnswerForm(request.POST, prefix=f"a{ack.pk}")
    if form.is_valid():
        try:
            services.do_report_implementation(
                user=request.user, acknowledgement=ack, status=form.cleaned_data["status"],
                reason=form.cleaned_data["deviation_reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your answer for %(who)s is saved.")
                             % {"who": ack.unit or ack.district})
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("routines:detail", ack.version.routine_id)


@policy(READ)
def compliance(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", Kind.MANDATORY)
    kind = kind if kind in Kind.values else ""
    return render(request, "routines/compliance.html", {
        "rows": services.compliance_by_district(kind=kind or None), "kind": kind,
        "kinds": Kind.choices, "due": services.due_reminders(), "today": services.today(),
        "reminder_days": services.REMINDER_DAYS,
    })


@policy(READ)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(RoutineVersion, pk=pk)
    if not version.document_name:
        return render(request, "404.html", status=404)
    response = HttpResponse(bytes(version.document), content_type=version.document_type)
    response["Content-Disposition"] = f'attachment; filename="{_safe(version.document_name)}"'
    return response


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._- " else "_" for c in name)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
