"""The purchaser office's records: applications, IPLOS assessments, care
blocks, decisions with their weekly visit pattern, and reassessments.

Decisions are never edited in place. A change creates a new version in the
same `series`; the old version becomes `superseded` and keeps its text.
The planner reads active decisions' `DecisionVisit` rows: each is one visit
on each of its `weekdays`, with a start window, guiding minutes, competence,
skills, staff count and an optional `after` gap to another visit of the
same decision (see `tillit/core/planner/spec/planning-format.md`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.access.querysets import PersonScopedQuerySet
from tillit.core import careblocks, iplos
from tillit.organisation.models import Competence
from tillit.organisation.validity import Validity, ValidityQuerySet

MAX_VISIT_MINUTES = 480  # one shift


class CareBlock(models.TextChoices):
    LIGHT = careblocks.LIGHT, _("light support needs")
    MEDIUM = careblocks.MEDIUM, _("medium support needs")
    EXTENSIVE = careblocks.EXTENSIVE, _("extensive support needs")


class IplosDefinition(models.Model):
    """One version of the IPLOS variable set, loaded from the JSON shipped in
    `tillit/decisions/data/`. Assessments point at the version they used."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    data = models.JSONField(_("definition"))
    active = models.BooleanField(_("in use"), default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("IPLOS definition")
        verbose_name_plural = _("IPLOS definitions")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return self.version

    @cached_property
    def definition(self) -> iplos.Definition:
        return iplos.Definition.from_dict(self.data)

    @classmethod
    def current(cls) -> IplosDefinition:
        """The definition in use. A read only: reference data is loaded one
        way, after every migrate and flush (`DecisionsConfig`'s post_migrate)."""
        found = cls.objects.filter(active=True).order_by("-loaded_at", "-pk").first()
        if found is None:
            raise cls.DoesNotExist(
                "No IPLOS definition is loaded: run `tillit migrate`, which loads the "
                "reference data."
            )
        return found


class ServiceType(models.Model):
    """A kind of help the purchaser office decides, kept as data."""

    class Office(models.TextChoices):
        BOTH = "both", _("district or central purchaser office")
        CENTRAL = "central", _("central purchaser office only")
        DISTRICT = "district", _("district purchaser office only")

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    letter_text = models.TextField(_("text in the decision letter"), blank=True)
    office = models.CharField(
        _("decided by"), max_length=10, choices=Office.choices, default=Office.BOTH
    )
    target_days = models.PositiveSmallIntegerField(
        _("target processing time (days)"),
        null=True,
        blank=True,
        help_text=_("The city's own target, shorter than the legal one month. Empty: none."),
    )
    has_visits = models.BooleanField(_("delivered as visits"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ApplicationQuerySet(PersonScopedQuerySet):
    client_field = "client"


class EventQuerySet(PersonScopedQuerySet):
    client_field = "application__client"


class VisitQuerySet(PersonScopedQuerySet):
    client_field = "decision__client"


class Application(models.Model):
    class Source(models.TextChoices):
        CLIENT = "client", _("the client")
        RELATIVE = "relative", _("a relative")
        HOSPITAL = "hospital", _("the hospital (patient ready for discharge)")
        GP = "gp", _("the GP")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        URGENT = "urgent", _("urgent")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSESSED = "assessed", _("assessed")
        DECIDED = "decided", _("decided")
        WITHDRAWN = "withdrawn", _("withdrawn")

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("client"),
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("requested service"),
    )
    source = models.CharField(_("applied by"), max_length=10, choices=Source.choices)
    applicant_name = models.CharField(
        _("name of the applicant"), max_length=200, blank=True,
        help_text=_("When someone other than the client applies."),
    )
    received_at = models.DateTimeField(_("received"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("what is applied for"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    interim_sent_on = models.DateField(_("interim reply sent"), null=True, blank=True)
    interim_expected_on = models.DateField(_("decision expected by"), null=True, blank=True)
    interim_reason = models.TextField(_("why the case takes longer"), blank=True)
    date_reason = models.TextField(
        _("reason for the unusual date"), blank=True,
        help_text=_("Given when the application was received more than a year ago."),
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Invented demo data, not a real person's case.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("case handler"),
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.service_type} – {self.client}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.RECEIVED, self.Status.ASSESSED}


class ApplicationEvent(models.Model):
    """One version of an application's status: the full history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    version = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=12, choices=Application.Status.choices)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["application", "version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "version"], name="application_event_v")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.version}: {self.status}"


class Assessment(models.Model):
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="assessments"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    definition = models.ForeignKey(IplosDefinition, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    assessor_name = models.CharField(_("assessor"), max_length=200, blank=True)
    scores = models.JSONField(_("scores"), help_text=_("IPLOS variable code → 1–5 or 9."))
    computed_block = models.CharField(
        _("computed care block"), max_length=10, choices=CareBlock.choices
    )
    rule_result = models.JSONField(_("how the care block was computed"), default=dict)
    block = models.CharField(_("care block"), max_length=10, choices=CareBlock.choices)
    override_reason = models.TextField(_("reason for another care block"), blank=True)
    note = models.TextField(_("note"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} {self.assessed_on}"

    @property
    def overridden(self) -> bool:
        return self.block != self.computed_block

    def clean(self) -> None:
        super().clean()
        if self.definition_id:
            try:
                self.scores = iplos.validate_scores(self.definition.definition.codes(), self.scores)
            except iplos.ScoreError as exc:
                raise ValidationError({f"score_{k}": v for k, v in exc.errors.items()}) from exc
        if self.block and self.computed_block and self.block != self.computed_block and not (
            self.override_reason or ""
        ).strip():
            raise ValidationError({"override_reason": _(
                "Give a reason when you choose another care block than the computed one."
            )})

    def scored_variables(self) -> list[dict[str, object]]:
        """Each variable with its score and the meaning of that score."""
        rows = []
        for var in self.definition.definition.variables:
            score = self.scores.get(var.code)
            rows.append({
                "code": var.code, "name": var.name, "group": var.group, "score": score,
                "meaning": var.levels.get(score, "") if score is not None else "",
                "need": score is not None and iplos.needs_personal_help(score),
            })
        return rows


class DecisionQuerySet(PersonScopedQuerySet, ValidityQuerySet):
    client_field = "client"

    def active_on(self, day: dt.date) -> DecisionQuerySet:
        return self.valid_on(day).filter(status=Decision.Status.ACTIVE)


class Decision(Validity):
    """A decision is valid from `valid_from` to `valid_to` (inclusive; empty:
    until further notice), the shared validity type of `tillit.organisation`;
    unlike organisation data its start has no default."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUPERSEDED = "superseded", _("replaced by a newer version")
        ENDED = "ended", _("ended")
        REFUSED = "refused", _("refused: no help granted")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        PARTIAL = "partial", _("partly granted")
        REFUSED = "refused", _("refused")

    class Change(models.TextChoices):
        NEW = "new", _("new decision")
        INCREASED = "increased", _("increased")
        UNCHANGED = "unchanged", _("unchanged")
        REDUCED = "reduced", _("reduced")
        ENDED = "ended", _("ended")

    series = models.UUIDField(default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(default=1)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="decisions"
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="decisions",
        verbose_name=_("service"),
    )
    care_block = models.CharField(
        _("care block"), max_length=10, choices=CareBlock.choices, blank=True,
        help_text=_("Empty: not stated (older decisions made without an assessment)."),
    )
    provider = models.ForeignKey(
        "organisation.Provider", on_delete=models.PROTECT, related_name="decisions",
        verbose_name=_("provider"),
    )
    valid_from = models.DateField(_("valid from"))
    review_on = models.DateField(_("next review"), null=True, blank=True)
    weekly_minutes = models.PositiveIntegerField(
        _("weekly frame (minutes)"),
        validators=[MaxValueValidator(7 * 24 * 60)],
    )
    tolerance_percent = models.PositiveSmallIntegerField(
        _("tolerance (%)"), default=15, validators=[MaxValueValidator(50)],
        help_text=_("Within this the team may adjust the visits itself, without a new decision."),
    )
    justification = models.TextField(_("justification"), blank=True)
    date_reason = models.TextField(
        _("reason for the unusual date"), blank=True,
        help_text=_("Given when the decision starts before the day it is made."),
    )
    change = models.CharField(
        _("change"), max_length=10, choices=Change.choices, default=Change.NEW
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.GRANTED,
        help_text=_("Granted, partly granted or refused: every outcome gets a letter "
                    "with the right to appeal."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_by_name = models.CharField(_("decided by"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="decision_series_version"),
        ]
        indexes = [
            models.Index(fields=["status", "care_block"]),
            models.Index(fields=["client", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} – {self.client} (v{self.version})"

    @property
    def weekly_hours(self) -> float:
        return round(self.weekly_minutes / 60, 2)

    def clean(self) -> None:
        # Not Validity.clean: the decision's own words for the same rule.
        models.Model.clean(self)
        errors: dict[str, list[str]] = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = [_("The decision cannot end before it starts.")]
        if self.review_on and self.valid_from and self.review_on < self.valid_from:
            errors["review_on"] = [_("The review date cannot be before the decision starts.")]
        if not (self.justification or "").strip():
            errors["justification"] = [_(
                "Give the individual reasons for the decision: the letter cannot be sent "
                "without them (forvaltningsloven § 25)."
            )]
        if self.weekly_minutes is not None and self.weekly_minutes <= 0 and (
            self.status == self.Status.ACTIVE
        ):
            errors["weekly_minutes"] = [_("The weekly frame must be more than 0 minutes.")]
        refused = self.outcome == self.Outcome.REFUSED
        if refused != (self.status == self.Status.REFUSED):
            errors["outcome"] = [_("A refusal, and only a refusal, has the status refused.")]
        if refused and self.weekly_minutes:
            errors["weekly_minutes"] = [_("A refusal grants no hours.")]
        if errors:
            raise ValidationError(errors)

    @property
    def is_refusal(self) -> bool:
        return self.outcome == self.Outcome.REFUSED

    def history(self) -> models.QuerySet[Decision]:
        return Decision.objects.filter(series=self.series).order_by("-version")

    def planned_weekly_minutes(self) -> int:
        return sum(v.minutes * len(v.weekdays) for v in self.visits.all())


class Slot(models.TextChoices):
    MORNING = "morning", _("morning")
    MIDDAY = "midday", _("midday")
    EVENING = "evening", _("evening")
    NIGHT = "night", _("night")


# Default start windows per slot (the planner's window bounds a visit's start).
SLOT_WINDOWS: dict[str, tuple[dt.time, dt.time]] = {
    Slot.MORNING: (dt.time(7, 30), dt.time(10, 30)),
    Slot.MIDDAY: (dt.time(11, 0), dt.time(14, 0)),
    Slot.EVENING: (dt.time(15, 30), dt.time(20, 0)),
    Slot.NIGHT: (dt.time(22, 0), dt.time(23, 30)),
}

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday")),
]


class DecisionVisit(models.Model):
    """One visit in the weekly pattern: on each of `weekdays`, in `slot`."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="visits")
    order = models.PositiveSmallIntegerField(default=0)
    slot = models.CharField(_("time of day"), max_length=10, choices=Slot.choices)
    weekdays = models.JSONField(_("weekdays"), blank=True, help_text=_("0 = Monday … 6 = Sunday."))
    window_start = models.TimeField(_("earliest start"))
    window_end = models.TimeField(_("latest start"))
    minutes = models.PositiveSmallIntegerField(
        _("guiding minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VISIT_MINUTES)],
        help_text=_("A frame for the carer, not a stopwatch."),
    )
    competence = models.CharField(_("competence"), max_length=20, choices=Competence.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    staff_count = models.PositiveSmallIntegerField(
        _("carers"), default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    two_person_reason = models.CharField(_("reason for two carers"), max_length=300, blank=True)
    tasks = models.TextField(_("what the visit is for"))
    task_codes = models.JSONField(_("task codes"), default=list, blank=True)
    after = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("after visit"),
    )
    after_min_minutes = models.PositiveSmallIntegerField(_("at least minutes after"), null=True,
                                                         blank=True)
    after_max_minutes = models.PositiveSmallIntegerField(_("at most minutes after"), null=True,
                                                         blank=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit in the decision")
        verbose_name_plural = _("visits in the decision")
        ordering = ["decision", "order"]

    def __str__(self) -> str:
        return f"{self.get_slot_display()} {self.minutes} min"

    def weekday_names(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in sorted(self.weekdays)]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if not isinstance(self.weekdays, list) or not self.weekdays or not all(
            isinstance(d, int) and 0 <= d <= 6 for d in self.weekdays
        ):
            errors["weekdays"] = [_("Choose at least one weekday for the visit.")]
        if self.minutes is not None and not 1 <= self.minutes <= MAX_VISIT_MINUTES:
            errors["minutes"] = [_("Guiding minutes must be between 1 and 480 (one shift).")]
        if self.staff_count == 2 and not (self.two_person_reason or "").strip():
            errors["two_person_reason"] = [_("Give the reason why the visit needs two carers.")]
        if self.window_start and self.window_end and self.window_end < self.window_start:
            errors["window_end"] = [_("The latest start cannot be before the earliest start.")]
        if not isinstance(self.skills, list) or not all(isinstance(s, str) for s in self.skills):
            errors["skills"] = [_("Skills are a list of names.")]
        if self.after_id or self.after_min_minutes is not None:
            lo, hi = self.after_min_minutes, self.after_max_minutes
            if lo is None or hi is None or hi < lo:
                errors["after_min_minutes"] = [_(
                    "A visit that follows another needs a gap: at least and at most minutes."
                )]
        if errors:
            raise ValidationError(errors)


class Reassessment(models.Model):
    """A decision reopened because needs may have changed."""

    class Source(models.TextChoices):
        REVIEW_DATE = "review_date", _("review date reached")
        VISIT_REPORTS = "visit_reports", _("revision proposal from visit reports")
        REQUEST = "request", _("request from the client, relatives or carers")

    class Outcome(models.TextChoices):
        INCREASED = "increased", _("increased")
        UNCHANGED = "unchanged", _("unchanged")
        REDUCED = "reduced", _("reduced")
        ENDED = "ended", _("ended")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="reassessments")
    source = models.CharField(_("reason for reassessment"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("details"), blank=True)
    evidence = models.JSONField(
        _("evidence"), default=dict, blank=True,
        help_text=_("For proposals from visit reports: the reports that led to it."),
    )
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    new_decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("case handler"),
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = VisitQuerySet.as_manager()  # the client is decision__client, as for visits

    class Meta:
        verbose_name = _("reassessment")
        verbose_name_plural = _("reassessments")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.decision} ({self.get_source_display()})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseFileQuerySet(PersonScopedQuerySet):
    """Notes and attachments are reached through their application: a block
    of the application (or of every application) hides them too."""

    client_field = "application__client"


class CaseNote(models.Model):
    """A case handler's note on an application (a phone call, a meeting)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes",
                                    verbose_name=_("application"))
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("client"))
    text = models.TextField(_("note"), max_length=5000)
    written_at = models.DateTimeField(_("written"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("written by"))
    author_name = models.CharField(_("written by"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.written_at:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        if not (self.text or "").strip():
            raise ValidationError({"text": _("Write the note.")})


class AttachmentKind(models.TextChoices):
    GP_STATEMENT = "gp_statement", _("statement from the GP")
    DISCHARGE_SUMMARY = "discharge_summary", _("discharge summary")
    SPECIALIST_STATEMENT = "specialist_statement", _("statement from a specialist")
    APPLICANT_LETTER = "applicant_letter", _("letter from the applicant")
    OTHER = "other", _("other document")


class CaseAttachment(models.Model):
    """A document on an application (GP statement, discharge summary). The
    content is kept in the database, never as public media: it is served
    only through the case pages' download view, under the record's access
    rules, blocks and read log."""

    MAX_BYTES = 10 * 1024 * 1024

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments", verbose_name=_("application"))
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("client"))
    kind = models.CharField(_("kind of document"), max_length=24, choices=AttachmentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(_("content"))
    uploaded_at = models.DateTimeField(_("uploaded"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_by_name = models.CharField(_("uploaded by"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
