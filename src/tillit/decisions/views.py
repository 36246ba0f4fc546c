"""Pages of the purchaser office: work list, application → assessment →
decision, decision with history and letter (HTML and PDF), interim reply,
overdue list and reassessment.

Every page declares its policy (`tillit.access.policy`); rows come through
`visible_to(user)`, so other districts' records answer 404; every read of
person-level data is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access.policy import policy
from tillit.access.scopes import get_visible_or_404, visible_client_or_404, visible_clients
from tillit.audit.models import Interface, What
from tillit.audit.services import record_access
from tillit.decisions import forms as f
from tillit.decisions import letters, reads, services, worklists
from tillit.decisions.models import (
    Application,
    Assessment,
    CareBlock,
    Decision,
    IplosDefinition,
    Reassessment,
    ServiceType,
)
from tillit.web import exports

READ = "decisions.read"
HANDLE = "decisions.handle"
OBJECT = "access.view_client"
ASSIGN = "decisions.assign"


def _log(request: HttpRequest, clients: Any, what: str) -> None:
    record_access(actor=request.user, clients=clients, what=what, interface=Interface.PAGE,
                  request=request)


def _office_filter(user: Any, applications: Any) -> Any:
    """The cases this case handler's office handles (by service type)."""
    if user.district_id is None:
        return applications.filter(service_type__office__in=[ServiceType.Office.BOTH,
                                                             ServiceType.Office.CENTRAL])
    return applications.filter(service_type__office__in=[ServiceType.Office.BOTH,
                                                         ServiceType.Office.DISTRICT])


def _work_list(request: HttpRequest, *, mine: bool) -> HttpResponse:
    """Open applications and reassessments as sortable, paginated tables
    with filters (district, service, status, deadline, case handler)."""
    user = request.user
    defaults = {"status": worklists.OPEN} | ({"handler": worklists.MINE} if mine else {})
    params = worklists.with_defaults(request.GET, **defaults)
    office = _office_filter(user, Application.objects.all())
    found = worklists.ApplicationFilter(params, queryset=worklists.application_rows(user, office),
                                        request=request)
    table = worklists.show_page(
        request, worklists.ApplicationTable(found.qs.order_by("-urgency", "received_at", "pk")),
        lambda a: a.client_id)
    open_reassessments = worklists.ReassessmentFilter(
        params, queryset=worklists.open_reassessment_rows(user), request=request)
    reassessment_table = worklists.show_page(
        request, worklists.ReassessmentTable(open_reassessments.qs.order_by("opened_at", "pk"),
                                             prefix="r-"),
        lambda r: r.decision.client_id)
    open_apps = office.filter(pk__in=Application.objects.visible_to(user).values("pk")).filter(
        status__in=[Application.Status.RECEIVED, Application.Status.ASSESSED]
    ).select_related("service_type").only(
        "pk", "received_at", "decided_at", "interim_sent_on", "service_type__target_days")
    states = [ct.worst for _a, ct in services.with_case_times(open_apps)]
    day = services.today()
    reviews_due = Decision.objects.visible_to(user).active_on(day).filter(
        review_on__lte=day + dt.timedelta(days=14)).count()
    keep = [(k, request.GET[k]) for k in ("sortering", "r-sortering") if request.GET.get(k)]
    return render(request, "decisions/worklist.html", {
        "mine": mine, "filter": found, "keep": keep, "table": table,
        "reassessment_table": reassessment_table, "open_count": len(states),
        "listed_count": table.paginator.count,
        "reviews_due": reviews_due, "overrides": services.override_counts(),
        "overdue_count": states.count("overdue"), "warning_count": states.count("warning"),
    })


@policy(HANDLE)
def worklist(request: HttpRequest) -> HttpResponse:
    return _work_list(request, mine=False)


@policy(HANDLE)
def my_cases(request: HttpRequest) -> HttpResponse:
    """Mine saker: the open cases assigned to me."""
    return _work_list(request, mine=True)


STATE_NAMES = {"met": "innfridd", "pending": "i rute", "warning": "nærmer seg",
               "overdue": "overskredet", "not_needed": "ikke nødvendig"}


@policy(HANDLE)
def worklist_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The open cases as CSV or Excel, through the one export helper:
    bokmål headers and values, Europe/Oslo times."""
    if fmt not in exports.FORMATS:
        raise Http404
    user = request.user
    rows = reads.read_open_cases(user, _office_filter(user, Application.objects.all()),
                                 interface=Interface.EXPORT, request=request)
    with translation.override("nb"):
        table = exports.Table(
            ["Bruker", "Bydel", "Tjeneste", "Mottatt", "Hastegrad", "Status", "Frist",
             "Fristen gjelder til"],
            [[a.client.full_name, a.client.district.name, a.service_type.name, a.received_at,
              str(a.get_urgency_display()), str(a.get_status_display()),
              STATE_NAMES.get(ct.worst, ct.worst),
              (ct.target or ct.interim).due if (ct.target or ct.interim) else None]
             for a, ct in services.with_case_times(rows)],
            title="Åpne saker",
            notes=[f"Uttrekk {timezone.localtime(services.now()):%d.%m.%Y %H:%M}"],
        )
    return exports.export_response(table, f"apne-saker-{services.today():%Y-%m-%d}", fmt)


@policy(HANDLE)
def overdue(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = services.overdue(_office_filter(user, Application.objects.visible_to(user)))
    table = worklists.show_page(request, worklists.OverdueTable(worklists.overdue_rows(rows)),
                                lambda row: row["client_id"])
    return render(request, "decisions/overdue.html", {"table": table,
                                                      "today": services.today()})


@policy(HANDLE)
def open_reviews(request: HttpRequest) -> HttpResponse:
    """Decisions in view whose review date has come and that have no open
    reassessment: the list first (GET), then a reassessment for each of the
    listed ones (POST)."""
    day = services.today()
    due = Decision.objects.visible_to(request.user).active_on(day).filter(
        review_on__lte=day).exclude(reassessments__closed_at__isnull=True,
                                    reassessments__isnull=False).select_related(
        "client", "service_type").order_by("review_on", "pk")
    if request.method == "POST":
        listed = {int(v) for v in request.POST.getlist("decision") if v.isdigit()}
        opened = 0
        for decision in due.filter(pk__in=listed):
            services.do_open_reassessment(
                decision, source=Reassessment.Source.REVIEW_DATE, actor=request.user,
                reason=_("Review date %(day)s reached") % {"day": decision.review_on})
            opened += 1
        messages.success(request, _("%(n)s reassessments opened.") % {"n": opened})
        return redirect("decisions:worklist")
    rows = list(due[:500])
    if rows:
        _log(request, [d.client_id for d in rows], What.LIST)
    return render(request, "decisions/open_reviews.html", {"rows": rows, "today": day})


@policy(HANDLE)
def application_new(request: HttpRequest) -> HttpResponse:
    clients = visible_clients(request.user)
    initial: dict[str, Any] = {"received_at": timezone.localtime(services.now()).replace(
        second=0, microsecond=0, tzinfo=None)}
    if request.GET.get("client"):
        client = visible_client_or_404(request.user, request.GET["client"])
        initial["national_id"] = client.national_id
        _log(request, [client.pk], What.RECORD)  # the form shows the full number
    form = f.ApplicationForm(request.POST or None, clients=clients, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = services.current_decision(data["national_id"], data["service_type"])
        if existing is not None and "register_anyway" not in request.POST:
            # Say so at once, and offer changing that decision instead.
            _log(request, [existing.client_id], What.DECISION)
            return render(request, "decisions/application_form.html", {
                "form": form, "existing": existing,
                "reassess_form": f.OpenReassessmentForm(auto_id="reassess_%s", initial={
                    "source": Reassessment.Source.REQUEST,
                    "reason": data["description"] or _("New application for the same service."),
                }),
            })
        received = data["received_at"]
        if timezone.is_naive(received):
            received = timezone.make_aware(received)
        try:
            application = services.do_register_application(
                client=data["national_id"], service_type=data["service_type"],
                source=data["source"], applicant_name=data["applicant_name"],
                received_at=received, urgency=data["urgency"],
                description=data["description"], actor=request.user,
                date_reason=data["date_reason"],
            )
        except ValidationError as exc:
            f.apply_errors(exc, form)
        else:
            messages.success(request, _("Application registered."))
            return redirect("decisions:application", pk=application.pk)
    return render(request, "decisions/application_form.html", {"form": form})


def _application(request: HttpRequest, pk: int) -> Application:
    return get_visible_or_404(
        request.user, Application.objects.select_related("client", "client__district",
                                                         "service_type"), pk=pk)


def _application_page(request: HttpRequest, pk: int, *, status: int = 200,
                      **forms: Any) -> HttpResponse:
    """The application with its history, notes and attachments (one logged
    read), and the forms this user may use on it."""
    user = request.user
    case_file = reads.read_case_file(user, pk, interface=Interface.PAGE, request=request)
    application = case_file.application
    may_assign = services.may_assign(user) and application.is_open
    handle = rules.test_rule(HANDLE, user)
    return render(request, "decisions/application_detail.html", {
        "application": application, "case_time": services.case_time(application),
        "events": application.events.select_related("actor"),
        "assessments": application.assessments.visible_to(user),
        "decisions": application.decisions.visible_to(user),
        "notes": case_file.notes, "attachments": case_file.attachments,
        "interim_form": forms.get("interim_form") or f.InterimReplyForm(),
        "note_form": (forms.get("note_form") or f.CaseNoteForm()) if handle else None,
        "attachment_form": (forms.get("attachment_form") or f.AttachmentForm())
        if handle else None,
        "assign_form": (forms.get("assign_form") or f.AssignForm(
            handlers=services.assignable_handlers(application.client),
            initial={"handler": application.handler_id})) if may_assign else None,
        "may_decide": services.office_may_decide(user, application.service_type,
                                                 application.client),
    }, status=status)


@policy(READ, object_rule=OBJECT)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, pk)


@require_POST
@policy(HANDLE, object_rule=OBJECT)
def interim_reply(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = f.InterimReplyForm(request.POST)
    if form.is_valid():
        try:
            services.do_send_interim_reply(
                application, expected_on=form.cleaned_data["interim_expected_on"],
                reason=form.cleaned_data["interim_reason"], actor=request.user)
        except ValidationError as exc:
            f.apply_errors(exc, form)
        else:
            messages.success(request, _("Interim reply registered. The letter is ready to send."))
            return redirect("decisions:interim_letter", pk=application.pk)
    return _application_page(request, application.pk, status=400, interim_form=form)


@require_POST
@policy(HANDLE, object_rule=OBJECT)
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = f.CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            services.do_add_case_note(application, text=form.cleaned_data["text"],
                                      actor=request.user)
        except ValidationError as exc:
            f.apply_errors(exc, form)
        else:
            messages.success(request, _("Note saved."))
            return redirect(reverse("decisions:application", args=[application.pk]) + "#notater")
    return _application_page(request, application.pk, status=400, note_form=form)


@require_POST
@policy(HANDLE, object_rule=OBJECT)
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = f.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.do_attach_document(
                application, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
                filename=upload.name or "", data=upload.read(), actor=request.user)
        except ValidationError as exc:
            f.apply_errors(exc, form)
        else:
            messages.success(request, _("Attachment saved."))
            return redirect(reverse("decisions:application", args=[application.pk]) + "#vedlegg")
    return _application_page(request, application.pk, status=400, attachment_form=form)


@policy(READ, object_rule=OBJECT)
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment's content: only through this view, under the record's
    access rules and blocks, and logged. Sent as a download, never sniffed
    or run by the browser."""
    attachment = reads.read_attachment(request.user, pk, interface=Interface.PAGE,
                                       request=request)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _assign(request: HttpRequest, case: Application | Reassessment, client: Any) -> None:
    form = f.AssignForm(request.POST, handlers=services.assignable_handlers(client))
    if not form.is_valid():
        for problems in form.errors.values():
            for message in problems:
                messages.error(request, message)
        return
    handler = form.cleaned_data["handler"]
    try:
        services.do_assign_case(case, handler=handler, actor=request.user)
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for message in problems:
                messages.error(request, message)
    else:
        messages.success(request, _("The case is assigned to %(name)s.") % {
            "name": worklists.person_name(handler)} if handler else _("The case is not assigned."))


@require_POST
@policy(ASSIGN, object_rule=OBJECT)
def application_assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    _assign(request, application, application.client)
    return redirect("decisions:application", pk=application.pk)


@require_POST
@policy(ASSIGN, object_rule=OBJECT)
def reassessment_assign(request: HttpRequest, pk: int) -> HttpResponse:
    reassessment = get_visible_or_404(
        request.user, Reassessment.objects.select_related("decision__client"), pk=pk)
    _assign(request, reassessment, reassessment.decision.client)
    if rules.test_rule(HANDLE, request.user):
        return redirect("decisions:reassessment", pk=reassessment.pk)
    return redirect("decisions:decision", pk=reassessment.decision_id)


@require_POST
@policy(HANDLE, object_rule=OBJECT)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        services.do_withdraw_application(application, actor=request.user,
                                         note=request.POST.get("note", "")[:300],
                                         confirmed=request.POST.get("confirm") == "1")
    except ValidationError as exc:
        for problems in exc.message_dict.values():
            for message in problems:
                messages.error(request, message)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("decisions:application", pk=application.pk)


@policy(READ, object_rule=OBJECT)
def interim_letter(request: HttpRequest, pk: int) -> HttpResponse:
    application = reads.read_application(request.user, pk, interface=Interface.PAGE,
                                         request=request)
    if not application.interim_sent_on:
        messages.error(request, _("No interim reply has been registered for this case."))
        return redirect("decisions:application", pk=application.pk)
    return letters.respond(request, "decisions/letter_interim.html",
                           letters.interim_context(application),
                           pdf=request.GET.get("format") == "pdf",
                           filename=f"forelopig-svar-{application.pk}.pdf")


@policy(HANDLE, object_rule=OBJECT)
def assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    definition = IplosDefinition.current()
    form = f.AssessmentForm(request.POST or None, definition=definition,
                            initial={"assessed_on": services.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.do_record_assessment(
                client=application.client, application=application, scores=form.scores(),
                assessed_on=data["assessed_on"], assessor=request.user,
                block=data["block"] or None, override_reason=data["override_reason"],
                note=data["note"], definition=definition,
            )
        except ValidationError as exc:
            f.apply_errors(exc, form)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("decisions:assessment", pk=assessment.pk)
    _log(request, [application.client_id], What.RECORD)
    return render(request, "decisions/assessment_form.html", {
        "form": form, "application": application, "definition": definition,
        "rule": services.care_block_rule(),
    })


@policy(READ, object_rule=OBJECT)
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = reads.read_assessment(request.user, pk, interface=Interface.PAGE,
                                       request=request)
    variables = {v["code"]: v["name"] for v in assessment.scored_variables()}
    drivers = [variables.get(c, c) for c in assessment.rule_result.get("drivers", [])]
    return render(request, "decisions/assessment_detail.html", {
        "assessment": assessment, "rows": assessment.scored_variables(), "drivers": drivers,
        "result": assessment.rule_result, "overrides": services.override_counts(),
    })


def _decision_page(request: HttpRequest, *, client: Any, service_type: ServiceType,
                   application: Application | None, assessment: Assessment | None,
                   previous: Decision | None, initial: dict[str, Any],
                   visit_initial: list[dict[str, Any]]) -> HttpResponse:
    form = f.DecisionForm(request.POST or None, client=client, initial=initial)
    formset = f.VisitFormSet(request.POST or None, prefix="visits", initial=visit_initial)
    preview = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        specs, visit_forms = formset.specs()
        data = form.cleaned_data
        weekly = data["weekly_minutes"]
        if weekly is None:
            weekly = sum((v.get("minutes") or 0) * len(v.get("weekdays") or []) for v in specs)
        if data["care_block"]:
            preview = services.equal_help_for(
                care_block=data["care_block"], weekly_minutes=weekly, district=client.district,
                exclude=previous, service_type=service_type,
                profile=services.assessment_profile(assessment))
        if "decide" in request.POST:
            try:
                decision = services.do_decide(
                    client=client, service_type=service_type, care_block=data["care_block"],
                    provider=data["provider"], valid_from=data["valid_from"],
                    valid_to=data["valid_to"], review_on=data["review_on"],
                    weekly_minutes=data["weekly_minutes"],
                    tolerance_percent=data["tolerance_percent"],
                    justification=data["justification"], visits=specs, actor=request.user,
                    application=application, assessment=assessment, previous=previous,
                    change=Decision.Change.NEW if previous is None else initial.get(
                        "change", Decision.Change.UNCHANGED),
                    outcome=data["outcome"], date_reason=data["date_reason"],
                )
            except ValidationError as exc:
                f.apply_errors(exc, form, visit_forms, formset)
            else:
                messages.success(request, _("Decision made. The letter is ready."))
                return redirect("decisions:decision", pk=decision.pk)
    reference = None
    if preview is None and initial.get("care_block"):
        # Before the hours are known: the block's distribution, without a position.
        reference = services.equal_help_for(
            care_block=initial["care_block"], weekly_minutes=0, district=client.district,
            exclude=previous, service_type=service_type,
            profile=services.assessment_profile(assessment))
    _log(request, [client.pk], What.RECORD)
    return render(request, "decisions/decision_form.html", {
        "reference": reference,
        "form": form, "formset": formset, "client": client, "service_type": service_type,
        "application": application, "assessment": assessment, "previous": previous,
        "preview": preview,
    }, status=400 if request.method == "POST" and "decide" in request.POST else 200)


@policy(HANDLE, object_rule=OBJECT)
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not services.office_may_decide(request.user, application.service_type, application.client):
        messages.error(request, _("Your purchaser office does not decide this service for this "
                                  "client."))
        return redirect("decisions:application", pk=application.pk)
    if not application.is_open:
        messages.error(request, _("The application is already closed."))
        return redirect("decisions:application", pk=application.pk)
    assessment = application.assessments.visible_to(request.user).order_by(
        "-assessed_on", "-pk").first()
    start = services.today() + dt.timedelta(days=1)
    initial = {"valid_from": start, "review_on": start + dt.timedelta(days=180),
               "care_block": assessment.block if assessment else "",
               "provider": application.client.provider_id}
    return _decision_page(request, client=application.client,
                          service_type=application.service_type, application=application,
                          assessment=assessment, previous=None, initial=initial,
                          visit_initial=[])


@policy(READ, object_rule=OBJECT)
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = reads.read_decision(request.user, pk, interface=Interface.PAGE, request=request)
    equal = None
    if decision.care_block:
        equal = services.equal_help_for(service_type=decision.service_type,
                                        profile=services.assessment_profile(decision.assessment),
                                        care_block=decision.care_block,
                                        weekly_minutes=decision.weekly_minutes,
                                        district=decision.client.district, exclude=decision,
                                        on=max(decision.valid_from, services.today())
                                        if decision.status == Decision.Status.ACTIVE
                                        else decision.valid_from)
    history = list(decision.history().visible_to(request.user).select_related("service_type"))
    return render(request, "decisions/decision_detail.html", {
        "decision": decision, "visits": decision.visits.select_related("after"),
        "history": history, "equal": equal,
        "reassessments": Reassessment.objects.visible_to(request.user)
        .filter(decision__series=decision.series).select_related("decision", "new_decision"),
        "open_form": f.OpenReassessmentForm(),
        "is_handler": request.user.role == "case_handler",
    })


@policy(READ, object_rule=OBJECT)
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    decision = reads.read_decision(request.user, pk, interface=Interface.PAGE, request=request)
    try:
        context = letters.decision_context(decision)
    except letters.LetterNotReady as exc:
        messages.error(request, exc.reason)
        return redirect("decisions:decision", pk=decision.pk)
    return letters.respond(request, "decisions/letter_decision.html", context,
                           pdf=request.GET.get("format") == "pdf",
                           filename=f"vedtak-{decision.pk}-v{decision.version}.pdf")


@require_POST
@policy(HANDLE, object_rule=OBJECT)
def reassessment_open(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_visible_or_404(request.user, Decision.objects.all(), pk=pk)
    form = f.OpenReassessmentForm(request.POST)
    if form.is_valid():
        try:
            reassessment = services.do_open_reassessment(
                decision, source=form.cleaned_data["source"],
                reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                for message in messages_:
                    messages.error(request, message)
        else:
            return redirect("decisions:reassessment", pk=reassessment.pk)
    else:
        messages.error(request, _("Choose a reason for the reassessment."))
    return redirect("decisions:decision", pk=decision.pk)


@policy(HANDLE, object_rule=OBJECT)
def reassessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reassessment = reads.read_reassessment(request.user, pk, interface=Interface.PAGE,
                                           request=request)
    decision = reassessment.decision
    form = f.CloseReassessmentForm(request.POST or None, initial={
        "care_block": decision.care_block, "valid_from": services.today() + dt.timedelta(days=1),
    })
    formset = f.VisitFormSet(request.POST or None, prefix="visits",
                             initial=f.visit_initial(decision))
    if request.method == "POST" and reassessment.is_open and form.is_valid():
        data = form.cleaned_data
        outcome = data["outcome"]
        changes: dict[str, Any] = {}
        visit_forms: list[Any] = []
        ok = True
        if outcome in {Reassessment.Outcome.INCREASED, Reassessment.Outcome.REDUCED}:
            ok = formset.is_valid()
            if ok:
                specs, visit_forms = formset.specs()
                changes = {"visits": specs, "weekly_minutes": data["weekly_minutes"],
                           "review_on": data["review_on"]}
                if data["care_block"]:
                    changes["care_block"] = data["care_block"]
        elif outcome == Reassessment.Outcome.UNCHANGED and data["review_on"]:
            changes = {"review_on": data["review_on"]}
        if ok:
            try:
                services.do_close_reassessment(reassessment, outcome=outcome, actor=request.user,
                                               valid_from=data["valid_from"], changes=changes)
            except ValidationError as exc:
                f.apply_errors(exc, form, visit_forms, formset)
            else:
                reassessment.refresh_from_db()
                messages.success(request, _("Reassessment closed: %(outcome)s.") % {
                    "outcome": reassessment.get_outcome_display()})
                target = reassessment.new_decision or decision
                return redirect("decisions:decision", pk=target.pk)
    return render(request, "decisions/reassessment.html", {
        "reassessment": reassessment, "decision": decision, "form": form, "formset": formset,
        "visits": decision.visits.all(),
        "assign_form": f.AssignForm(handlers=services.assignable_handlers(decision.client),
                                    initial={"handler": reassessment.handler_id})
        if reassessment.is_open else None,
    }, status=400 if request.method == "POST" else 200)


@policy(READ, object_rule=OBJECT)
def client_cases(request: HttpRequest, client_id: int) -> HttpResponse:
    cases = reads.read_client_cases(request.user, client_id, interface=Interface.PAGE,
                                    request=request)
    return render(request, "decisions/client_cases.html", {
        "client": cases.client, "applications": cases.applications,
        "decisions": cases.decisions, "assessments": cases.assessments,
    })


@policy("decisions.overrides")
def overrides(request: HttpRequest) -> HttpResponse:
    """City-wide count of care-block overrides: aggregates only."""
    counts = services.override_counts()
    labels = dict(CareBlock.choices)
    by_block = [
        {**row, "computed_label": labels.get(row["computed_block"], ""),
         "block_label": labels.get(row["block"], "")}
        for row in Assessment.objects.values("computed_block", "block")
        .annotate(n=Count("pk")).order_by("computed_block", "block")
    ]
    return render(request, "decisions/overrides.html", {
        "counts": counts, "by_block": [r for r in by_block if r["n"] >= 5],
        "suppressed": any(r["n"] < 5 for r in by_block),
    })


@policy("decisions.statistics")
def statistics(request: HttpRequest) -> HttpResponse:
    """Decisions per service and outcome, city-wide: aggregates only."""
    return render(request, "decisions/statistics.html", {
        "rows": services.outcome_counts(),
        "outcomes": Decision.Outcome.choices,
    })
