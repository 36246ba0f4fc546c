"""Writes of day lists: visit reports, care plans, changes within the frame
and revision proposals. Each is one transaction; refusals store nothing."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.api.errors import Conflict
from tillit.core import revision
from tillit.daylist.models import (
    CarePlan,
    FrameChange,
    NotDoneReason,
    RevisionProposal,
    TimeFit,
    VisitReport,
)
from tillit.decisions import services as decision_services
from tillit.decisions.models import Decision
from tillit.planning.models import Assignment, Visit

# -- visit reports ---------------------------------------------------------------


def carer_of(user: Any):
    employee = getattr(user, "employee", None)
    if employee is None:
        raise Http404("Not found.")
    return employee


def unblocked_visits(user: Any, visits: QuerySet) -> QuerySet:
    """`visits` without those a block keeps from the carer: the client's
    whole record, every visit of the client, or the one visit."""
    from django.contrib.contenttypes.models import ContentType

    from tillit.access.models import Block

    blocks = Block.objects.active().applying_to(user)
    kind = ContentType.objects.get_for_model(Visit)
    return (
        visits.exclude(client_id__in=blocks.filter(item_type__isnull=True).values("client_id"))
        .exclude(client_id__in=blocks.filter(item_type=kind, item_id__isnull=True)
                 .values("client_id"))
        .exclude(pk__in=blocks.filter(item_type=kind, item_id__isnull=False).values("item_id"))
    )


def own_visit_or_404(user: Any, visit_id: object) -> Visit:
    """A visit on this carer's list in a current plan, of today or earlier,
    whose client (and the visit itself) is not blocked against the carer;
    any other is 404, the answer for a visit that does not exist (issue #18,
    access matrix). A visit of a later day is not on any list the carer may
    read yet. A late report of a past visit is taken: the phone may have been
    offline past the access margin, and the report must not be lost."""
    try:
        pk = int(str(visit_id))
    except (TypeError, ValueError):
        raise Http404("Not found.") from None
    employee = carer_of(user)
    on_list = Assignment.objects.filter(
        visit_id=pk, employee=employee, plan__is_current=True
    ).exists()
    visit = unblocked_visits(user, Visit.objects.filter(pk=pk)).first() if on_list else None
    if visit is None or visit.date > timezone.localdate():
        raise Http404("Not found.")
    return visit


def _check_fields(done: bool, time_fit: str | None, reason: str | None, note: str) -> None:
    errors: dict[str, list[str]] = {}
    if time_fit is not None and time_fit not in TimeFit.values:
        errors["time_fit"] = [_("Unknown time fit: choose fitted, more or less.")]
    if reason is not None and reason not in NotDoneReason.values:
        errors["reason"] = [_("Unknown reason.")]
    if done and reason:
        errors["reason"] = [_("A visit that was done has no reason for not being done.")]
    if not done and time_fit:
        errors["time_fit"] = [_("A visit that was not done has no time fit.")]
    if not done and not reason:
        errors["reason"] = [_("Choose why the visit was not done.")]
    if len(note) > 1000:
        errors["note"] = [_("The note can be at most 1000 characters.")]
    if errors:
        raise ValidationError(errors)


def _same(report: VisitReport, visit: Visit, done: bool, time_fit: str | None,
          reason: str | None, note: str) -> bool:
    return (report.visit_id == visit.pk and report.done == done
            and (report.time_fit or None) == (time_fit or None)
            and (report.reason or None) == (reason or None) and report.note == note)


def do_report_visit(
    user: Any, visit_id: object, *, report_id: uuid.UUID, done: bool,
    time_fit: str | None = None, reason: str | None = None, note: str = "",
    device_time: dt.datetime | None = None,
) -> tuple[VisitReport, bool]:
    """Store a carer's report; returns (report, created). The same
    `report_id` again answers the stored report when the body is the same
    and is a conflict when it is not. Nothing is stored on a refusal."""
    visit = own_visit_or_404(user, visit_id)
    note = (note or "").strip()
    existing = VisitReport.objects.filter(report_id=report_id).first()
    if existing is not None:
        if _same(existing, visit, done, time_fit, reason, note):
            return existing, False
        raise Conflict(_("This report id was already used for another report."),
                       {"report_id": [_("Already used with a different body.")]})
    _check_fields(done, time_fit, reason, note)
    if not visit.is_active:
        raise Conflict(_("The visit is cancelled and cannot be reported."),
                       {"visit": [_("The visit is cancelled.")]})
    try:
        with transaction.atomic():
            report = VisitReport.objects.create(
                report_id=report_id, visit=visit, client_id=visit.client_id,
                decision_id=visit.decision_id, carer=carer_of(user), reported_by=user,
                done=done, time_fit=time_fit or "", reason=reason or "", note=note,
                device_time=device_time,
            )
            if visit.decision_id and done:
                raise_proposals(visit.decision)
    except IntegrityError:  # the same report_id sent twice at once
        existing = VisitReport.objects.filter(report_id=report_id).first()
        if existing is not None and _same(existing, visit, done, time_fit, reason, note):
            return existing, False
        raise Conflict(_("This report id was already used for another report."),
                       {"report_id": [_("Already used with a different body.")]}) from None
    return report, True


def latest_reports(visit_ids: list[int]) -> dict[int, VisitReport]:
    latest: dict[int, VisitReport] = {}
    for report in VisitReport.objects.filter(visit_id__in=visit_ids).order_by("received_at", "pk"):
        latest[report.visit_id] = report
    return latest


def reporters_by_visit(visit_ids: list[int]) -> dict[int, set[int]]:
    """Reported visit pk -> pks of the carers who reported it: the provider
    planning reads (`tillit.planning.reports`), so that generating a day or
    re-planning keeps every reported visit with its carer."""
    found: dict[int, set[int]] = {}
    rows = VisitReport.objects.filter(visit_id__in=visit_ids).values_list("visit_id", "carer_id")
    for visit_id, carer_id in rows:
        found.setdefault(visit_id, set()).add(carer_id)
    return found


# -- revision proposals ------------------------------------------------------------


def thresholds() -> revision.Thresholds:
    conf = getattr(settings, "TILLIT_REVISION_RULE", {})
    return revision.Thresholds(window=int(conf.get("window", 6)), needed=int(conf.get("needed", 4)))


def rule_input(decision: Decision) -> list[revision.Report]:
    """The decision's visits' latest reports (done, with a time fit) since
    its last closed proposal: a proposal once decided is not raised again on
    the same reports."""
    closed = (
        RevisionProposal.objects.filter(decision=decision)
        .exclude(status=RevisionProposal.Status.OPEN).order_by("-decided_at").first()
    )
    reports = VisitReport.objects.filter(decision=decision).select_related("visit")
    if closed is not None and closed.decided_at:
        reports = reports.filter(received_at__gt=closed.decided_at)
    latest: dict[int, VisitReport] = {}
    for report in reports.order_by("received_at", "pk"):
        latest[report.visit_id] = report
    return [
        revision.Report(day=r.visit.date, time_fit=r.time_fit, note=r.note, visit=str(r.visit_id))
        for r in latest.values() if r.done and r.time_fit
    ]


@transaction.atomic
def raise_proposals(decision: Decision) -> RevisionProposal | None:
    """Run the rule on the decision; raise a proposal or refresh the open one
    in the same direction (never two open in one direction)."""
    if decision.status != Decision.Status.ACTIVE or decision.reassessments.filter(
        closed_at__isnull=True
    ).exists():
        return None  # an open reassessment already looks at the decision
    found = revision.propose(rule_input(decision), thresholds())
    if found is None:
        return None
    open_one = RevisionProposal.objects.select_for_update().filter(
        decision=decision, direction=found.direction, status=RevisionProposal.Status.OPEN
    ).first()
    if open_one is not None:
        open_one.evidence = found.evidence()
        open_one.save(update_fields=["evidence", "updated_at"])
        return open_one
    return RevisionProposal.objects.create(
        decision=decision, direction=found.direction, source=RevisionProposal.Source.REPORTS,
        evidence=found.evidence(),
    )


@transaction.atomic
def do_raise_team_proposal(user: Any, decision: Decision, *, direction: str, reason: str) -> RevisionProposal:
    if direction not in RevisionProposal.Direction.values:
        raise ValidationError({"direction": [_("Choose increase or reduce.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the frame does not fit.")]})
    evidence = {"direction": direction, "notes": [{"day": timezone.localdate().isoformat(),
                                                   "note": reason.strip()}]}
    existing = RevisionProposal.objects.filter(
        decision=decision, direction=direction, status=RevisionProposal.Status.OPEN
    ).first()
    if existing is not None:
        existing.evidence.setdefault("notes", []).extend(evidence["notes"])
        existing.save(update_fields=["evidence", "updated_at"])
        return existing
    return RevisionProposal.objects.create(
        decision=decision, direction=direction, source=RevisionProposal.Source.TEAM,
        evidence=evidence, raised_by=user,
    )


@transaction.atomic
def do_accept_proposal(user: Any, proposal: RevisionProposal) -> RevisionProposal:
    if proposal.status != RevisionProposal.Status.OPEN:
        raise ValidationError({"proposal": [_("This proposal is already decided.")]})
    direction = proposal.get_direction_display()
    reassessment = decision_services.do_open_reassessment(
        proposal.decision, source="visit_reports",
        reason=_("Revision proposal from visit reports: %(direction)s.") % {"direction": direction},
        evidence={"proposal": proposal.pk, **proposal.evidence}, actor=user,
    )
    proposal.status = RevisionProposal.Status.ACCEPTED
    proposal.reassessment = reassessment
    proposal.decided_by, proposal.decided_at = user, timezone.now()
    proposal.save()
    return proposal


@transaction.atomic
def do_dismiss_proposal(user: Any, proposal: RevisionProposal, *, reason: str) -> RevisionProposal:
    if proposal.status != RevisionProposal.Status.OPEN:
        raise ValidationError({"proposal": [_("This proposal is already decided.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason for dismissing the proposal.")]})
    proposal.status = RevisionProposal.Status.DISMISSED
    proposal.dismiss_reason = reason.strip()
    proposal.decided_by, proposal.decided_at = user, timezone.now()
    proposal.save()
    return proposal


# -- care plans ----------------------------------------------------------------------


@transaction.atomic
def do_write_care_plan(user: Any, client: Any, *, text: str) -> CarePlan:
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the care plan.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("The care plan can be at most 5000 characters.")]})
    last = CarePlan.objects.filter(client=client).order_by("-version").first()
    if last is not None and last.text == text:
        raise ValidationError({"text": [_("The care plan is unchanged.")]})
    return CarePlan.objects.create(
        client=client, version=(last.version + 1) if last else 1, text=text, written_by=user,
        written_by_name=user.get_full_name() or user.get_username(),
    )


# -- changes within the frame ----------------------------------------------------------


def week_minutes(decision: Decision, day: dt.date) -> int:
    """Planned minutes of the decision's visits in the ISO week of `day`
    (a two-person visit counts once: the frame is the client's time)."""
    monday = day - dt.timedelta(days=day.weekday())
    planned = Visit.objects.filter(
        decision=decision, date__gte=monday, date__lte=monday + dt.timedelta(days=6),
        status=Visit.Status.SCHEDULED,
    ).aggregate(total=Sum("minutes"))["total"]
    if planned is None:  # no visits generated for that week: the decision's pattern
        return decision.planned_weekly_minutes()
    return int(planned)


@transaction.atomic
def do_change_within_frame(
    user: Any, visit: Visit, *, kind: str, minutes: int | None = None,
    window: tuple[dt.time, dt.time] | None = None, reason: str,
) -> FrameChange:
    """Apply the team's change to the visit (marked as changed by hand, so
    generating the day again keeps it) when the week stays inside the
    decision's frame ± tolerance; otherwise refuse (the team may then raise
    a revision proposal)."""
    errors: dict[str, list[str]] = {}
    if kind not in FrameChange.Kind.values:
        errors["kind"] = [_("Choose a kind of change.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the visit is changed.")]
    if visit.decision_id is None:
        errors["visit"] = [_("Only visits from a decision have a frame.")]
    if not visit.is_active:
        errors["visit"] = [_("The visit is cancelled.")]
    if visit.date < timezone.localdate():
        errors["visit"] = [_("Only today's and coming visits can be changed.")]
    if kind in (FrameChange.Kind.MORE_TIME, FrameChange.Kind.LESS_TIME) and (
        minutes is None or not 1 <= minutes <= 480
    ):
        errors["minutes"] = [_("Give the new guiding minutes (1–480).")]
    if kind == FrameChange.Kind.MORE_TIME and minutes is not None and minutes <= visit.minutes:
        errors["minutes"] = [_("More time means more than %(m)s minutes.") % {"m": visit.minutes}]
    if kind == FrameChange.Kind.LESS_TIME and minutes is not None and minutes >= visit.minutes:
        errors["minutes"] = [_("Less time means fewer than %(m)s minutes.") % {"m": visit.minutes}]
    if kind == FrameChange.Kind.MOVED and (window is None or window[1] < window[0]):
        errors["window_start"] = [_("Give the new window: earliest and latest start.")]
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    decision = visit.decision
    before_minutes = visit.minutes
    before_window = [visit.window_start.strftime("%H:%M"), visit.window_end.strftime("%H:%M")]
    current = week_minutes(decision, visit.date)
    after_minutes = before_minutes
    if kind in (FrameChange.Kind.MORE_TIME, FrameChange.Kind.LESS_TIME):
        after_minutes = int(minutes or before_minutes)
    week_after = current - before_minutes + (0 if kind == FrameChange.Kind.DROPPED else after_minutes)
    bounds = revision.frame(decision.weekly_minutes, decision.tolerance_percent)
    if not bounds.holds(week_after):
        raise ValidationError({"minutes" if kind != FrameChange.Kind.DROPPED else "kind": [_(
            "Outside the frame: the week would have %(after)s minutes, the decision allows "
            "%(low)s–%(high)s. Raise a revision proposal instead."
        ) % {"after": week_after, "low": bounds.low, "high": bounds.high}]})
    if kind == FrameChange.Kind.DROPPED:
        visit.status = Visit.Status.CANCELLED
        visit.status_reason = reason.strip()[:300]
    elif kind == FrameChange.Kind.MOVED and window is not None:
        visit.window_start, visit.window_end = window
    else:
        visit.minutes = after_minutes
    visit.manual = True
    visit.save()
    return FrameChange.objects.create(
        client_id=visit.client_id, decision=decision, visit=visit, kind=kind,
        minutes_before=before_minutes, minutes_after=after_minutes,
        window_before=before_window,
        window_after=[visit.window_start.strftime("%H:%M"), visit.window_end.strftime("%H:%M")],
        week_minutes_after=week_after, reason=reason.strip(), recorded_by=user,
    )
