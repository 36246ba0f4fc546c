"""Domain operations of the purchaser office. Every write is a verb-named
function wrapped in `transaction.atomic`: bad input raises a field-keyed
`ValidationError` (Norwegian in the UI) and nothing is saved half-way.

`now()` is the clock every rule here reads; tests patch it
(`monkeypatch.setattr(services, "now", lambda: ...)`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core import careblocks, dates, deadlines, equal_help, filetypes, iplos
from tillit.decisions.models import (
    SLOT_WINDOWS,
    Application,
    ApplicationEvent,
    Assessment,
    CareBlock,
    CaseAttachment,
    CaseNote,
    Decision,
    DecisionVisit,
    IplosDefinition,
    Reassessment,
    ServiceType,
    Slot,
)
from tillit.organisation.models import COMPETENCE_ORDER, Provider


def now() -> dt.datetime:
    """The clock. Patch this in tests."""
    return timezone.now()


def today() -> dt.date:
    return timezone.localtime(now()).date()


def care_block_rule() -> careblocks.Rule:
    """The city's rule, from `settings.TILLIT_CARE_BLOCK_RULE` (a dict of
    thresholds, see `tillit.core.careblocks`); the defaults otherwise."""
    return careblocks.Rule.from_mapping(getattr(settings, "TILLIT_CARE_BLOCK_RULE", None))


LATE_REGISTRATION_DAYS = 365


def _needs_reason(errors: dict[str, list[str]], field: str, message: str,
                  reason: str) -> None:
    """An unusual date passes only with a reason (`date_reason`); without one
    both the date and the reason field say why."""
    if not (reason or "").strip():
        errors[field] = [message]
        errors["date_reason"] = [_("Give the reason for this date to confirm it.")]


def warn_days() -> int:
    return int(getattr(settings, "TILLIT_DEADLINE_WARN_DAYS", deadlines.DEFAULT_WARN_DAYS))


# -- which purchaser office decides ------------------------------------------

def office_may_decide(user: Any, service_type: ServiceType, client: Any) -> bool:
    """A city-wide case handler (district None) decides the service types the
    central office handles; a district case handler those the district office
    handles, for clients in the district."""
    if getattr(user, "role", None) != "case_handler":
        return False
    if user.district_id is None:
        return service_type.office in {ServiceType.Office.BOTH, ServiceType.Office.CENTRAL}
    return (
        service_type.office in {ServiceType.Office.BOTH, ServiceType.Office.DISTRICT}
        and client.district_id == user.district_id
    )


def _check_office(actor: Any, service_type: ServiceType, client: Any) -> None:
    if actor is not None and not office_may_decide(actor, service_type, client):
        raise ValidationError({"service_type": [_(
            "Your purchaser office does not decide this service for this client."
        )]})


# -- applications -------------------------------------------------------------

def _event(application: Application, status: str, actor: Any, note: str = "",
           at: dt.datetime | None = None) -> ApplicationEvent:
    last = application.events.order_by("-version").values_list("version", flat=True).first()
    return ApplicationEvent.objects.create(
        application=application, version=(last or 0) + 1, status=status, at=at or now(),
        actor=actor if getattr(actor, "pk", None) else None, note=note[:300],
    )


@transaction.atomic
def do_register_application(
    *, client: Any, service_type: ServiceType, source: str, received_at: dt.datetime,
    urgency: str = Application.Urgency.NORMAL, description: str = "", applicant_name: str = "",
    actor: Any = None, date_reason: str = "",
) -> Application:
    errors: dict[str, list[str]] = {}
    if not dates.is_sensible(received_at):
        errors["received_at"] = [_("Give a received time after the year 2000.")]
    elif received_at > now():
        errors["received_at"] = [_("The received time cannot be in the future.")]
    elif received_at < now() - dt.timedelta(days=LATE_REGISTRATION_DAYS):
        _needs_reason(errors, "received_at", _(
            "The application was received more than a year ago. Check the date, or give "
            "the reason to confirm it."), date_reason)
    if source != Application.Source.CLIENT and not applicant_name.strip():
        errors["applicant_name"] = [_("Give the name of whoever applied on the client's behalf.")]
    if errors:
        raise ValidationError(errors)
    application = Application(
        client=client, service_type=service_type, source=source, received_at=received_at,
        urgency=urgency, description=description, applicant_name=applicant_name,
        created_by=actor if getattr(actor, "pk", None) else None,
        date_reason=date_reason.strip() if "received_at" not in errors else "",
    )
    application.full_clean()
    application.save()
    _event(application, Application.Status.RECEIVED, actor, _("Application registered"))
    return application


def current_decision(client: Any, service_type: ServiceType) -> Decision | None:
    """The client's decision in force (or decided to start) for this service:
    a new application for it is better handled as a change of that decision."""
    return Decision.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today()), client=client,
        service_type=service_type, status=Decision.Status.ACTIVE,
    ).order_by("valid_from").first()


@transaction.atomic
def do_withdraw_application(application: Application, *, actor: Any, note: str,
                            confirmed: bool) -> Application:
    """Close an open application as withdrawn: the reason is required, and the
    case handler must confirm (the case is then closed for good)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise ValidationError({"status": [_("Only an open application can be withdrawn.")]})
    errors: dict[str, list[str]] = {}
    if not note.strip():
        errors["note"] = [_("Say why the application is withdrawn.")]
    if not confirmed:
        errors["confirm"] = [_("Confirm the withdrawal: the case is then closed.")]
    if errors:
        raise ValidationError(errors)
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    _event(application, application.status, actor, note or _("Withdrawn"))
    return application


@transaction.atomic
def do_send_interim_reply(
    application: Application, *, expected_on: dt.date, reason: str, actor: Any
) -> Application:
    """Forvaltningsloven § 11 a: tell the applicant why the case takes longer
    and when to expect a decision."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    errors: dict[str, list[str]] = {}
    if not application.is_open:
        errors["status"] = [_("The case is already closed.")]
    if not reason.strip():
        errors["interim_reason"] = [_("Say why the case takes longer.")]
    if expected_on <= today():
        errors["interim_expected_on"] = [_("The expected decision date must be in the future.")]
    if errors:
        raise ValidationError(errors)
    application.interim_sent_on = today()
    application.interim_expected_on = expected_on
    application.interim_reason = reason.strip()
    application.save(update_fields=["interim_sent_on", "interim_expected_on", "interim_reason"])
    _event(application, application.status, actor, _("Interim reply sent"))
    return application


def case_time(application: Application, on: dt.date | None = None) -> deadlines.CaseTime:
    decided = timezone.localtime(application.decided_at).date() if application.decided_at else None
    return deadlines.case_time(
        received=timezone.localtime(application.received_at).date(),
        today=on or today(),
        decided=decided,
        interim_sent=application.interim_sent_on,
        target_days=application.service_type.target_days,
        warn_days=warn_days(),
    )


def with_case_times(applications: Iterable[Application]) -> list[tuple[Application, Any]]:
    day = today()
    return [(a, case_time(a, day)) for a in applications]


def overdue(applications: QuerySet[Application]) -> list[tuple[Application, Any]]:
    """Open cases with a deadline passed, or warned (due within warn days),
    worst first."""
    rows = [
        (a, ct) for a, ct in with_case_times(
            applications.filter(status__in=[Application.Status.RECEIVED,
                                            Application.Status.ASSESSED])
            .select_related("client", "service_type", "client__district")
        )
        if ct.worst in {deadlines.OVERDUE, deadlines.WARNING}
    ]
    rank = {deadlines.OVERDUE: 0, deadlines.WARNING: 1}
    rows.sort(key=lambda r: (rank[r[1].worst], r[0].received_at))
    return rows


# -- assessments ----------------------------------------------------------------

def compute_block(scores: Mapping[str, int]) -> careblocks.Result:
    return careblocks.compute(scores, care_block_rule())


@transaction.atomic
def do_record_assessment(
    *, client: Any, scores: Mapping[str, object], assessed_on: dt.date, assessor: Any = None,
    assessor_name: str = "", application: Application | None = None, block: str | None = None,
    override_reason: str = "", note: str = "", definition: IplosDefinition | None = None,
) -> Assessment:
    definition = definition or IplosDefinition.current()
    try:
        clean = iplos.validate_scores(definition.definition.codes(), scores)
    except iplos.ScoreError as exc:
        raise ValidationError({f"score_{k}": v for k, v in exc.errors.items()}) from exc
    errors: dict[str, list[str]] = {}
    if assessed_on > today():
        errors["assessed_on"] = [_("The assessment date cannot be in the future.")]
    if application is not None and application.client_id != client.pk:
        errors["application"] = [_("The application belongs to another client.")]
    if application is not None and not application.is_open:
        errors["application"] = [_("The application is already closed.")]
    if application is not None and assessed_on < timezone.localtime(
        application.received_at).date():
        errors["assessed_on"] = [_(
            "The assessment cannot be dated before the application was received (%(day)s)."
        ) % {"day": timezone.localtime(application.received_at).date().strftime("%d.%m.%Y")}]
    result = compute_block(clean)
    chosen = block or result.block
    if chosen not in CareBlock.values:
        errors["block"] = [_("Choose light, medium or extensive.")]
    if chosen != result.block and not override_reason.strip():
        errors["override_reason"] = [_(
            "Give a reason when you choose another care block than the computed one."
        )]
    if errors:
        raise ValidationError(errors)
    name = assessor_name or (assessor.get_full_name() or assessor.username if assessor else "")
    assessment = Assessment(
        client=client, application=application, definition=definition, assessed_on=assessed_on,
        assessor=assessor if getattr(assessor, "pk", None) else None, assessor_name=name,
        scores=clean, computed_block=result.block, rule_result=result.as_dict(), block=chosen,
        override_reason=override_reason.strip() if chosen != result.block else "", note=note,
    )
    assessment.full_clean()
    assessment.save()
    if application is not None and application.status == Application.Status.RECEIVED:
        application.status = Application.Status.ASSESSED
        application.save(update_fields=["status"])
        _event(application, application.status, assessor, _("Assessment recorded"))
    return assessment


def override_counts() -> dict[str, int]:
    """City-wide: how many assessments chose another block than computed."""
    data = Assessment.objects.aggregate(
        total=Count("pk"),
        overridden=Count("pk", filter=~Q(block=F("computed_block"))),
    )
    return {"total": data["total"], "overridden": data["overridden"]}


# -- decisions ------------------------------------------------------------------

VISIT_FIELDS = ("slot", "weekdays", "minutes", "competence", "skills", "staff_count",
                "two_person_reason", "tasks", "task_codes", "window_start", "window_end",
                "after", "after_min_minutes", "after_max_minutes")


def task_names() -> dict[str, str]:
    """The task-code catalogue: the IPLOS variables' codes and names in the
    definition in use."""
    definition = IplosDefinition.current()
    return _task_names(definition.pk, definition.version)


@functools.lru_cache(maxsize=4)
def _task_names(_pk: int, version: str) -> dict[str, str]:
    definition = IplosDefinition.objects.get(version=version).definition
    return {v.code: v.name for v in definition.variables}


@dataclass
class VisitSpec:
    slot: str
    weekdays: list[int]
    minutes: int
    competence: str
    tasks: str
    skills: list[str]
    staff_count: int = 1
    two_person_reason: str = ""
    task_codes: list[str] | None = None
    window_start: dt.time | None = None
    window_end: dt.time | None = None
    after: int | None = None  # index of an earlier visit in the same list
    after_min_minutes: int | None = None
    after_max_minutes: int | None = None


def _visit_objects(visits: Sequence[Mapping[str, Any]]) -> tuple[list[DecisionVisit],
                                                                    dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    objects: list[DecisionVisit] = []
    for i, raw in enumerate(visits):
        data = dict(raw)
        prefix = f"visits.{i}."
        slot = data.get("slot")
        if slot not in Slot.values:
            errors[prefix + "slot"] = [_("Choose morning, midday, evening or night.")]
            slot = Slot.MORNING
        default_start, default_end = SLOT_WINDOWS[slot]
        if data.get("competence") not in COMPETENCE_ORDER:
            errors[prefix + "competence"] = [_("Choose assistant, health worker or nurse.")]
        weekdays = data.get("weekdays") or []
        try:
            weekdays = sorted({int(d) for d in weekdays})
        except (TypeError, ValueError):
            weekdays = []
        minutes = data.get("minutes")
        try:
            minutes = int(minutes) if minutes not in (None, "") else None
        except (TypeError, ValueError):
            minutes = None
        if minutes is None:
            errors[prefix + "minutes"] = [_("Give the guiding minutes for the visit.")]
        unknown = [c for c in (data.get("task_codes") or []) if c and c not in task_names()]
        if unknown:
            errors[prefix + "task_codes"] = [_(
                "Unknown task codes: %(codes)s. Use the IPLOS variables' codes.") % {
                "codes": ", ".join(unknown)}]
        visit = DecisionVisit(
            order=i, slot=slot, weekdays=weekdays, minutes=minutes or 0,
            competence=data.get("competence") or "",
            skills=[s for s in (data.get("skills") or []) if s],
            staff_count=int(data.get("staff_count") or 1),
            two_person_reason=(data.get("two_person_reason") or "").strip(),
            tasks=(data.get("tasks") or "").strip(),
            task_codes=[c for c in (data.get("task_codes") or []) if c],
            window_start=data.get("window_start") or default_start,
            window_end=data.get("window_end") or default_end,
            after_min_minutes=data.get("after_min_minutes"),
            after_max_minutes=data.get("after_max_minutes"),
        )
        after = data.get("after")
        if after not in (None, ""):
            try:
                after = int(after)
            except (TypeError, ValueError):
                after = -1
            if not 0 <= after < i:
                errors[prefix + "after"] = [_("A visit can only follow an earlier visit.")]
            visit._after_index = after  # type: ignore[attr-defined]
            if visit.after_min_minutes is None or visit.after_max_minutes is None:
                errors[prefix + "after_min_minutes"] = [_(
                    "A visit that follows another needs a gap: at least and at most minutes."
                )]
        try:
            visit.full_clean(exclude=["decision", "after"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field == "staff_count":
                    messages = [_("A visit has one or two carers.")]
                if field == "minutes" and minutes is not None:
                    messages = [_("Guiding minutes must be between 1 and 480 (one shift).")]
                if field == "tasks":
                    messages = [_("Say what the visit is for.")]
                errors.setdefault(prefix + field, []).extend(
                    m for m in messages if m not in errors.get(prefix + field, [])
                )
        objects.append(visit)
    return objects, errors


def _overlapping(client: Any, service_type: ServiceType, valid_from: dt.date,
                 valid_to: dt.date | None, exclude_series: Any = None) -> QuerySet[Decision]:
    qs = Decision.objects.filter(client=client, service_type=service_type,
                                 status=Decision.Status.ACTIVE)
    if valid_to is not None:
        qs = qs.filter(valid_from__lte=valid_to)
    qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if exclude_series is not None:
        qs = qs.exclude(series=exclude_series)
    return qs


# How far from today a decision (or a new version) may start.
START_PAST = dt.timedelta(days=2 * 366)
START_FUTURE = dt.timedelta(days=366)


def _start_errors(day: dt.date, field: str) -> dict[str, list[str]]:
    """A start date within two years back and one year ahead (year 1 or
    9999 is a typing error, not a decision)."""
    first, last = today() - START_PAST, today() + START_FUTURE
    if first <= day <= last:
        return {}
    return {field: [_("Choose a start date between %(first)s and %(last)s.") % {
        "first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")}]}


@transaction.atomic
def do_decide(
    *, client: Any, service_type: ServiceType, care_block: str, provider: Provider,
    valid_from: dt.date, visits: Sequence[Mapping[str, Any]], actor: Any = None,
    valid_to: dt.date | None = None, review_on: dt.date | None = None,
    weekly_minutes: int | None = None, tolerance_percent: int = 15, justification: str = "",
    application: Application | None = None, assessment: Assessment | None = None,
    previous: Decision | None = None, change: str = Decision.Change.NEW,
    outcome: str = Decision.Outcome.GRANTED, date_reason: str = "",
) -> Decision:
    """Make a decision, or a new version of `previous` (which then becomes
    superseded and ends the day before the new one starts).

    `outcome` is granted, partial (partly granted: the justification says
    what is not granted and why) or refused. A refusal grants no visits and
    no hours, is in force from the day it is made and is never active."""
    _check_office(actor, service_type, client)
    if application is not None:
        application = Application.objects.select_for_update().get(pk=application.pk)
    errors: dict[str, list[str]] = {}
    refused = outcome == Decision.Outcome.REFUSED
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = [_("Choose granted, partly granted or refused.")]
    if refused:
        if visits:
            errors["visits"] = [_("A refusal grants no visits: remove them.")]
        if weekly_minutes:
            errors["weekly_minutes"] = [_("A refusal grants no hours.")]
        if previous is not None:
            errors["outcome"] = [_("A change of a decision cannot be a refusal: end the "
                                   "decision instead.")]
        valid_from, valid_to, review_on, weekly_minutes = today(), None, None, 0
    if care_block not in CareBlock.values and not (refused and not care_block):
        # Older decisions may lack it; a new one states it (a refusal may not).
        errors["care_block"] = [_("Choose light, medium or extensive.")]
    out_of_range = _start_errors(valid_from, "valid_from")
    for name, day in (("valid_to", valid_to), ("review_on", review_on)):
        if day is not None and not dates.is_sensible(day):
            out_of_range[name] = [_("Choose a date between 2000 and 2099.")]
    if out_of_range:  # before any date arithmetic
        raise ValidationError({**errors, **out_of_range})
    if not refused and valid_from < today():
        _needs_reason(errors, "valid_from", _(
            "The decision would start in the past. Check the date, or give the reason to "
            "confirm it."), date_reason)
    if not refused and review_on is not None and review_on < today():
        errors["review_on"] = [_("The review date has already passed: choose a later date.")]
    if service_type.has_visits and not visits and not refused:
        errors["visits"] = [_("The visit pattern has no visits: add at least one visit.")]
    visit_objects, visit_errors = _visit_objects(visits)
    errors.update(visit_errors)
    planned = sum(v.minutes * len(v.weekdays) for v in visit_objects)
    if weekly_minutes is None:
        weekly_minutes = planned
    decided_at = now()
    name = (actor.get_full_name() or actor.username) if getattr(actor, "pk", None) else ""
    decision = Decision(
        client=client, service_type=service_type, care_block=care_block, provider=provider,
        valid_from=valid_from, valid_to=valid_to, review_on=review_on,
        weekly_minutes=weekly_minutes, tolerance_percent=tolerance_percent,
        justification=justification, application=application, assessment=assessment,
        decided_at=decided_at, decided_by=actor if getattr(actor, "pk", None) else None,
        decided_by_name=name, change=change, outcome=outcome,
        date_reason=(date_reason or "").strip() if not refused and valid_from < today() else "",
        status=Decision.Status.REFUSED if refused else Decision.Status.ACTIVE,
    )
    # The decision's own rules (Decision.clean and its fields); below, only
    # the rules that span objects: visits, provider, application, versions.
    try:
        decision.full_clean(exclude=["previous", "series", "version"], validate_unique=False,
                            validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field not in errors and not (field == "weekly_minutes" and visit_errors):
                errors[field] = messages
    if not 0 <= tolerance_percent <= 50:
        errors["tolerance_percent"] = [_("The tolerance must be between 0 and 50 %.")]
    elif planned and weekly_minutes and abs(planned - weekly_minutes) > (
        weekly_minutes * tolerance_percent / 100
    ):
        errors["weekly_minutes"] = [_(
            "The visits add up to %(planned)s minutes a week, outside the frame of "
            "%(frame)s minutes ± %(tol)s %%."
        ) % {"planned": planned, "frame": weekly_minutes, "tol": tolerance_percent}]
    if not refused and provider.kind == Provider.Kind.PRIVATE and client.district_id and not (
        provider.districts.filter(pk=client.district_id).exists()
    ):
        errors["provider"] = [_("This provider does not serve the client's district.")]
    if assessment is not None and assessment.client_id != client.pk:
        errors["assessment"] = [_("The assessment belongs to another client.")]
    if application is not None and (application.client_id != client.pk
                                    or application.service_type_id != service_type.pk):
        errors["application"] = [_("The application is for another client or service.")]
    if application is not None and not application.is_open:
        errors["application"] = [_("The application is already closed.")]
    if previous is not None:
        previous = Decision.objects.select_for_update().get(pk=previous.pk)
        if previous.status != Decision.Status.ACTIVE:
            errors["previous"] = [_("Only the active version of a decision can be changed.")]
        elif valid_from <= previous.valid_from:
            errors["valid_from"] = [_("A new version must start after the current one started.")]
    if not refused and "valid_to" not in errors and "valid_from" not in errors and _overlapping(
        client, service_type, valid_from, valid_to, previous.series if previous else None
    ).exists():
        errors["valid_from"] = [_(
            "The client already has an active decision for this service in this period."
        )]
    if errors:
        raise ValidationError(errors)

    if previous is not None:
        decision.series = previous.series
        decision.version = previous.version + 1
        decision.previous = previous
        previous.status = Decision.Status.SUPERSEDED
        if previous.valid_to is None or previous.valid_to >= valid_from:
            previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["status", "valid_to"])
    decision.full_clean(exclude=["previous"])
    decision.save()
    for visit in visit_objects:
        visit.decision = decision
    DecisionVisit.objects.bulk_create(visit_objects)
    links = []
    for visit in visit_objects:
        index = getattr(visit, "_after_index", None)
        if index is not None:
            visit.after = visit_objects[index]
            links.append(visit)
    if links:
        DecisionVisit.objects.bulk_update(links, ["after"])
    if application is not None:
        application.status = Application.Status.DECIDED
        application.decided_at = decided_at
        application.save(update_fields=["status", "decided_at"])
        _event(application, application.status, actor, _("Decision made"), at=decided_at)
    return decision


def visit_specs(decision: Decision) -> list[dict[str, Any]]:
    """A decision's visits as the mappings `do_decide` takes (to copy into a
    new version)."""
    visits = list(decision.visits.all())
    index = {v.pk: i for i, v in enumerate(visits)}
    return [
        {
            "slot": v.slot, "weekdays": list(v.weekdays), "minutes": v.minutes,
            "competence": v.competence, "skills": list(v.skills), "staff_count": v.staff_count,
            "two_person_reason": v.two_person_reason, "tasks": v.tasks,
            "task_codes": list(v.task_codes), "window_start": v.window_start,
            "window_end": v.window_end, "after": index.get(v.after_id),
            "after_min_minutes": v.after_min_minutes, "after_max_minutes": v.after_max_minutes,
        }
        for v in visits
    ]


@transaction.atomic
def do_end_decision(decision: Decision, *, last_day: dt.date, actor: Any = None) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.ACTIVE:
        raise ValidationError({"status": [_("Only an active decision can be ended.")]})
    if last_day < decision.valid_from:
        raise ValidationError({"valid_to": [_("The decision cannot end before it starts.")]})
    decision.valid_to = last_day
    decision.status = Decision.Status.ENDED
    decision.save(update_fields=["valid_to", "status"])
    return decision


# -- reassessment ---------------------------------------------------------------

@transaction.atomic
def do_open_reassessment(
    decision: Decision, *, source: str, reason: str = "", evidence: Mapping[str, Any] | None = None,
    actor: Any = None,
) -> Reassessment:
    """Reopen an active decision. `source="visit_reports"` is the hook the
    visit-report issue calls with its revision proposal in `evidence`."""
    errors: dict[str, list[str]] = {}
    if source not in Reassessment.Source.values:
        errors["source"] = [_("Unknown reason for reassessment.")]
    if decision.status != Decision.Status.ACTIVE:
        errors["decision"] = [_("Only an active decision can be reassessed.")]
    elif decision.reassessments.filter(closed_at__isnull=True).exists():
        errors["decision"] = [_("This decision already has an open reassessment.")]
    if source == Reassessment.Source.REQUEST and not reason.strip():
        errors["reason"] = [_("Say who asked and why.")]
    if errors:
        raise ValidationError(errors)
    return Reassessment.objects.create(
        decision=decision, source=source, reason=reason.strip(), evidence=dict(evidence or {}),
        opened_at=now(), opened_by=actor if getattr(actor, "pk", None) else None,
    )


def open_due_reviews(on: dt.date | None = None) -> int:
    """Open a reassessment for every active decision whose review date has
    come and that has none open. Returns how many were opened."""
    day = on or today()
    due = Decision.objects.active_on(day).filter(review_on__lte=day).exclude(
        reassessments__closed_at__isnull=True, reassessments__isnull=False
    )
    count = 0
    for decision in due:
        do_open_reassessment(decision, source=Reassessment.Source.REVIEW_DATE,
                             reason=_("Review date %(day)s reached") % {"day": decision.review_on})
        count += 1
    return count


@transaction.atomic
def do_close_reassessment(
    reassessment: Reassessment, *, outcome: str, actor: Any = None,
    valid_from: dt.date | None = None, changes: Mapping[str, Any] | None = None,
) -> Reassessment:
    """Record the outcome. `increased`/`reduced` make a new decision version
    from `changes` (the `do_decide` arguments that differ: visits,
    weekly_minutes, care_block, ...), and the weekly frame must really move
    that way; `unchanged` keeps the decision and moves its review date if
    given; `ended` ends it the day before `valid_from`."""
    reassessment = Reassessment.objects.select_for_update().get(pk=reassessment.pk)
    decision = reassessment.decision
    if not reassessment.is_open:
        raise ValidationError({"outcome": [_("This reassessment is already closed.")]})
    if outcome not in Reassessment.Outcome.values:
        raise ValidationError({"outcome": [_("Choose increased, unchanged, reduced or ended.")]})
    if valid_from is not None and (problem := _start_errors(valid_from, "valid_from")):
        raise ValidationError(problem)
    start = valid_from or today()
    changes = dict(changes or {})
    new_decision = None
    if outcome in {Reassessment.Outcome.INCREASED, Reassessment.Outcome.REDUCED}:
        kwargs: dict[str, Any] = {
            "client": decision.client, "service_type": decision.service_type,
            "care_block": decision.care_block, "provider": decision.provider,
            "valid_to": decision.valid_to, "review_on": None,
            "tolerance_percent": decision.tolerance_percent,
            "justification": decision.justification, "assessment": decision.assessment,
            "visits": visit_specs(decision), "weekly_minutes": None,
        }
        kwargs.update(changes)
        if "visits" in changes and "weekly_minutes" not in changes:
            kwargs["weekly_minutes"] = None
        planned = kwargs["weekly_minutes"]
        if planned is None:
            planned = sum(int(v.get("minutes") or 0) * len(v.get("weekdays") or [])
                          for v in kwargs["visits"])
        if outcome == Reassessment.Outcome.INCREASED and planned <= decision.weekly_minutes:
            raise ValidationError({"weekly_minutes": [_(
                "An increase needs a larger weekly frame than now (%(now)s minutes)."
            ) % {"now": decision.weekly_minutes}]})
        if outcome == Reassessment.Outcome.REDUCED and planned >= decision.weekly_minutes:
            raise ValidationError({"weekly_minutes": [_(
                "A reduction needs a smaller weekly frame than now (%(now)s minutes)."
            ) % {"now": decision.weekly_minutes}]})
        new_decision = do_decide(actor=actor, valid_from=start, previous=decision,
                                 change=outcome, **kwargs)
    elif outcome == Reassessment.Outcome.ENDED:
        do_end_decision(decision, last_day=max(decision.valid_from, start - dt.timedelta(days=1)),
                        actor=actor)
    elif changes.get("review_on"):
        Decision.objects.filter(pk=decision.pk).update(review_on=changes["review_on"])
    reassessment.outcome = outcome
    reassessment.closed_at = now()
    reassessment.new_decision = new_decision
    reassessment.save(update_fields=["outcome", "closed_at", "new_decision"])
    return reassessment


# -- statistics -----------------------------------------------------------------

SMALL_COUNT = 5  # aggregates hide counts of persons under this


@dataclass(frozen=True)
class OutcomeRow:
    service: str
    counts: dict[str, int | None]  # outcome → persons (None: fewer than 5, hidden)
    total: int | None

    @property
    def cells(self) -> list[int | None]:
        """The counts in the order of `Decision.Outcome`."""
        return [self.counts[o] for o in Decision.Outcome.values]


def outcome_counts(since: dt.date | None = None) -> list[OutcomeRow]:
    """City-wide: first decisions on applications per service and outcome
    (granted, partly granted, refused), each counted like the others; counts
    under 5 are hidden."""
    qs = Decision.objects.filter(version=1, application__isnull=False)
    if since is not None:
        qs = qs.filter(decided_at__date__gte=since)
    found: dict[str, dict[str, int]] = {}
    for row in qs.values("service_type__name", "service_type__order", "outcome").annotate(
        n=Count("client", distinct=True)
    ).order_by("service_type__order", "service_type__name"):
        found.setdefault(row["service_type__name"], {})[row["outcome"]] = row["n"]

    def shown(n: int) -> int | None:
        return n if n >= SMALL_COUNT else None

    return [
        OutcomeRow(service=name, counts={o: shown(by.get(o, 0)) if by.get(o, 0) else 0
                                         for o in Decision.Outcome.values},
                   total=shown(sum(by.values())))
        for name, by in found.items()
    ]


# -- equal help -----------------------------------------------------------------

MIN_PROFILE_DECISIONS = 5  # enough decisions with the same IPLOS profile to compare with


@dataclass(frozen=True)
class EqualHelp:
    care_block: str
    weekly_hours: float
    city: equal_help.Position
    district: equal_help.Position
    district_name: str
    service_name: str = ""
    profile: tuple[int, int] | None = None  # (variables scored 3–5, scored 4–5), if used
    profile_too_few: bool = False  # a profile was known, but too few decisions share it

    @property
    def rows(self) -> list[tuple[str, equal_help.Position]]:
        return [(_("Whole city"), self.city), (self.district_name, self.district)]

    @property
    def compared(self) -> str:
        """What the figures compare with, in words."""
        block = str(dict(CareBlock.choices).get(self.care_block, self.care_block))
        text = _("Active decisions on %(service)s with the care block %(block)s") % {
            "service": self.service_name or _("any service"), "block": block}
        if self.profile is not None:
            text += _(" and the same IPLOS profile (%(needs)s variables scored 3–5, "
                      "%(heavy)s scored 4–5)") % {"needs": self.profile[0],
                                                  "heavy": self.profile[1]}
        elif self.profile_too_few:
            text += _("; too few share this IPLOS profile to compare with those alone")
        return text + "."


def assessment_profile(assessment: Assessment | None) -> tuple[int, int] | None:
    """An assessment's IPLOS profile: how many variables scored 3–5 and 4–5."""
    if assessment is None:
        return None
    result = assessment.rule_result or {}
    if "needs" not in result or "heavy" not in result:
        return None
    return int(result["needs"]), int(result["heavy"])


def equal_help_for(*, care_block: str, weekly_minutes: int, district: Any,
                   exclude: Decision | None = None, on: dt.date | None = None,
                   service_type: ServiceType | None = None,
                   profile: tuple[int, int] | None = None) -> EqualHelp:
    """Where `weekly_minutes` falls among active decisions on the same service
    with the same care block, city-wide and in `district` (figures from < 5
    decisions hidden); with the same IPLOS profile too where at least
    `MIN_PROFILE_DECISIONS` decisions share it."""
    day = on or today()
    qs = Decision.objects.active_on(day).filter(care_block=care_block)
    if service_type is not None:
        qs = qs.filter(service_type=service_type)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    used, too_few = None, False
    if profile is not None:
        same = qs.filter(assessment__rule_result__needs=profile[0],
                         assessment__rule_result__heavy=profile[1])
        if same.count() >= MIN_PROFILE_DECISIONS:
            qs, used = same, profile
        else:
            too_few = True
    rows = list(qs.values_list("weekly_minutes", "client__district_id"))
    hours = weekly_minutes / 60
    city = [m / 60 for m, _d in rows]
    local = [m / 60 for m, d in rows if d == district.pk]
    return EqualHelp(care_block=care_block, weekly_hours=round(hours, 2),
                     city=equal_help.position(hours, city),
                     district=equal_help.position(hours, local), district_name=district.name,
                     service_name=service_type.name if service_type is not None else "",
                     profile=used, profile_too_few=too_few)


# -- case work: assignment, notes and attachments -------------------------------

def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if getattr(user, "pk", None) else ""


def may_assign(user: Any) -> bool:
    """Case handlers and district managers assign cases (within their scope:
    the case is fetched through `visible_to(user)`)."""
    import rules

    return rules.test_rule("decisions.assign", user)


def assignable_handlers(client: Any) -> list[Any]:
    """Active case handlers who may see `client` (its district's office, or
    the central office), by name."""
    from tillit.access.scopes import visible_clients
    from tillit.accounts.models import Role, User

    candidates = User.objects.filter(role=Role.CASE_HANDLER, is_active=True).filter(
        Q(district__isnull=True) | Q(district_id=client.district_id)
    ).order_by("last_name", "first_name", "username")
    return [u for u in candidates if visible_clients(u).filter(pk=client.pk).exists()]


@transaction.atomic
def do_assign_case(case: Application | Reassessment, *, handler: Any | None,
                   actor: Any) -> Application | Reassessment:
    """Give an open application or reassessment to a named case handler
    (`handler=None`: nobody). The actor is a case handler or a district
    manager who sees the case; the handler must be an active case handler
    who sees the client. Logged in the application's history."""
    from django.core.exceptions import PermissionDenied

    from tillit.access.scopes import get_visible_or_404

    if not may_assign(actor):
        raise PermissionDenied
    model = type(case)
    case = get_visible_or_404(actor, model.objects.select_for_update(), pk=case.pk)
    client = case.client if isinstance(case, Application) else case.decision.client
    if not case.is_open:
        raise ValidationError({"handler": [_("Only an open case can be assigned.")]})
    if handler is not None and handler.pk not in {u.pk for u in assignable_handlers(client)}:
        raise ValidationError({"handler": [_(
            "Choose a case handler who handles this client's cases.")]})
    if (case.handler_id or None) == (getattr(handler, "pk", None)):
        return case
    case.handler = handler
    case.save(update_fields=["handler"])
    if isinstance(case, Application):
        note = (_("Assigned to %(name)s") % {"name": _name(handler)} if handler is not None
                else _("Assignment removed"))
        _event(case, case.status, actor, note)
    return case


@transaction.atomic
def do_add_case_note(application: Application, *, text: str, actor: Any,
                     synthetic: bool = False, at: dt.datetime | None = None) -> CaseNote:
    note = CaseNote(application=application, client_id=application.client_id,
                    text=(text or "").strip(), written_at=at or now(),
                    author=actor if getattr(actor, "pk", None) else None,
                    author_name=_name(actor), synthetic=synthetic)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def do_attach_document(application: Application, *, kind: str, title: str, filename: str,
                       data: bytes, actor: Any, synthetic: bool = False) -> CaseAttachment:
    """Keep a document on the case. Its type is read from its first bytes
    (PDF, PNG, JPEG or GIF), whatever its name or the browser says."""
    import hashlib

    errors: dict[str, list[str]] = {}
    if not data:
        errors["file"] = [_("Choose a file.")]
    elif len(data) > CaseAttachment.MAX_BYTES:
        errors["file"] = [_("The file is too large: at most %(mb)s MB.") % {
            "mb": CaseAttachment.MAX_BYTES // (1024 * 1024)}]
    sniffed = filetypes.sniff(data[:16]) if data else None
    if data and sniffed is None and "file" not in errors:
        errors["file"] = [_("Only PDF files and images (PNG, JPEG, GIF) can be attached.")]
    content_type, extension = sniffed or ("", "bin")
    attachment = CaseAttachment(
        application=application, client_id=application.client_id, kind=kind,
        title=(title or "").strip(), filename=filetypes.safe_filename(filename, extension),
        content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        content=data, uploaded_at=now(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        uploaded_by_name=_name(actor), synthetic=synthetic)
    try:  # the computed fields are right by construction
        attachment.full_clean(exclude=["content_type", "content", "size", "sha256", "filename"])
    except ValidationError as exc:
        for field, problems in exc.message_dict.items():
            errors.setdefault(field, []).extend(problems)
    if errors:
        raise ValidationError(errors)
    attachment.save()
    return attachment
