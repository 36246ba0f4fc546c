"""The carer's side of a visit: reports, care plans, changes within the frame
and the revision proposals that reports raise.

- `VisitReport`: after a visit the carer reports only whether it was done
  and whether the time fitted ("fitted", "more", "less"), or why it was not
  done. No start or stop times exist anywhere. `report_id` is made on the
  phone, so sending again is harmless; a later report with a new id corrects
  an earlier one and both are kept. Device time and server time are stored.
- `CarePlan`: the client's care plan (tiltaksplan), written by carers and
  nurses; every change is a new version, never an edit in place.
- `FrameChange`: the team's own change to a client's visits inside the
  decision's weekly frame and tolerance (Copenhagen's trust model).
- `RevisionProposal`: a proposal to the purchaser office to reassess a
  decision, up or down, with its evidence; accepted (opens a reassessment
  with `source=visit_reports`) or dismissed with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.access.querysets import PersonScopedQuerySet


class TimeFit(models.TextChoices):
    FITTED = "fitted", _("time fitted")
    MORE = "more", _("needed more time")
    LESS = "less", _("needed less time")


class NotDoneReason(models.TextChoices):
    NOT_HOME = "not_home", _("not at home")
    DECLINED = "declined", _("declined the help")
    HOSPITAL = "hospital", _("in hospital")
    OTHER = "other", _("other")


class ClientScoped(PersonScopedQuerySet):
    client_field = "client"


class VisitReport(models.Model):
    report_id = models.UUIDField(_("report id"), unique=True)
    visit = models.ForeignKey(
        "planning.Visit", on_delete=models.PROTECT, related_name="reports", verbose_name=_("visit")
    )
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    carer = models.ForeignKey(
        "organisation.Employee", on_delete=models.PROTECT, related_name="visit_reports",
        verbose_name=_("carer"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done = models.BooleanField(_("done"))
    time_fit = models.CharField(_("time"), max_length=10, choices=TimeFit.choices, blank=True)
    reason = models.CharField(
        _("reason not done"), max_length=10, choices=NotDoneReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True, max_length=1000)
    device_time = models.DateTimeField(_("time on the phone"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    objects = ClientScoped.as_manager()

    class Meta:
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")
        ordering = ["visit", "received_at", "pk"]
        indexes = [
            models.Index(fields=["visit", "received_at"]),
            models.Index(fields=["decision", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}: {'done' if self.done else 'not done'} {self.time_fit}"

    def as_contract(self) -> dict[str, object]:
        return {
            "done": self.done,
            "time_fit": self.time_fit or None,
            "reason": self.reason or None,
            "note": self.note,
        }


class CarePlan(models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="care_plans"
    )
    version = models.PositiveIntegerField()
    text = models.TextField(_("care plan"), max_length=5000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_by_name = models.CharField(_("written by"), max_length=200)
    written_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = ClientScoped.as_manager()

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="care_plan_version")
        ]

    def __str__(self) -> str:
        return f"{self.client} v{self.version}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ValueError("A care plan version is never changed: write a new version.")
        super().save(*args, **kwargs)


class FrameChange(models.Model):
    class Kind(models.TextChoices):
        MORE_TIME = "more_time", _("more time for a visit")
        LESS_TIME = "less_time", _("less time for a visit")
        MOVED = "moved", _("visit moved at the client's wish")
        DROPPED = "dropped", _("visit dropped at the client's wish")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey("decisions.Decision", on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey("planning.Visit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    minutes_before = models.PositiveSmallIntegerField()
    minutes_after = models.PositiveSmallIntegerField()
    window_before = models.JSONField(default=list)
    window_after = models.JSONField(default=list)
    week_minutes_after = models.PositiveIntegerField()
    reason = models.CharField(_("reason"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ClientScoped.as_manager()

    class Meta:
        verbose_name = _("change within the frame")
        verbose_name_plural = _("changes within the frame")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.kind}"


class ProposalQuerySet(PersonScopedQuerySet):
    client_field = "decision__client"


class RevisionProposal(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", _("increase")
        REDUCE = "reduce", _("reduce")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted: reassessment opened")
        DISMISSED = "dismissed", _("dismissed")

    class Source(models.TextChoices):
        REPORTS = "reports", _("the rule on visit reports")
        TEAM = "team", _("the team, outside the frame")

    decision = models.ForeignKey(
        "decisions.Decision", on_delete=models.PROTECT, related_name="revision_proposals"
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    source = models.CharField(_("raised by"), max_length=10, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    evidence = models.JSONField(_("evidence"), default=dict)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissing"), blank=True)
    reassessment = models.ForeignKey(
        "decisions.Reassessment", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision proposal")
        verbose_name_plural = _("revision proposals")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "direction"], condition=Q(status="open"),
                name="one_open_proposal_per_decision_direction",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.direction} ({self.status})"
