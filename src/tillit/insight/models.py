"""Insight's own data: population by age, the daily aggregates the pages
read, and the trust pilot (which districts or teams run the trust model
from when, and short client satisfaction surveys).

No model the pages read holds person-level data. `ServiceSnapshot` is one cell of
the city on one day (district × service × care block × IPLOS profile ×
provider kind) with the number of distinct clients and the sorted weekly
minutes of their decisions, without any link to who they are.
`SurveyResponse` is anonymous: it names a district and optionally a team.
The exception is the trust pilot's refresh state (`PilotClientDay`,
`PilotClientMonth`): client and employee ids (no names, no health data)
so that a day's refresh can update the month's distinct carers per client;
no page or API reads it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import District, Team

ALL_SERVICES = "all"


class AgeBand(models.TextChoices):
    UNDER_67 = "0-66", _("0–66 years")
    FROM_67 = "67-79", _("67–79 years")
    FROM_80 = "80+", _("80 years and over")


class DistrictPopulation(models.Model):
    """Inhabitants of a district in one age band on 1 January of `year`."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    age_band = models.CharField(_("age band"), max_length=6, choices=AgeBand.choices)
    persons = models.PositiveIntegerField(_("inhabitants"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("population by age")
        verbose_name_plural = _("population by age")
        constraints = [models.UniqueConstraint(fields=["district", "year", "age_band"],
                                               name="district_population_unique")]

    def __str__(self) -> str:
        return f"{self.district} {self.year} {self.age_band}: {self.persons}"


class ServiceSnapshot(models.Model):
    """One aggregate cell of active decisions on `day`. `service` is a
    service type code, or `all` (every service, a client's minutes summed)."""

    day = models.DateField(db_index=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=50)
    care_block = models.CharField(max_length=10, blank=True)
    profile = models.CharField(max_length=5, blank=True)
    provider_kind = models.CharField(max_length=20)
    clients = models.PositiveIntegerField()
    clients_67 = models.PositiveIntegerField()  # 67 years or older on `day`
    clients_80 = models.PositiveIntegerField()  # 80 years or older
    over_kostra = models.PositiveIntegerField()  # more than 35.5 hours a week
    minutes = models.JSONField(default=list)  # each client's weekly minutes, sorted

    class Meta:
        indexes = [models.Index(fields=["day", "service"])]

    def __str__(self) -> str:
        return f"{self.day} {self.district_id} {self.service} {self.care_block}"


class CaseMonth(models.Model):
    """Applications decided in one month, per district and service (or
    `all`): cases, distinct clients, decided within the deadline, and each
    case's processing days, sorted."""

    month = models.DateField(db_index=True)  # the first day of the month
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=50)
    cases = models.PositiveIntegerField()
    persons = models.PositiveIntegerField()
    within_deadline = models.PositiveIntegerField()
    days = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "district", "service"],
                                               name="case_month_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_id} {self.service}"


class AssessmentNeeds(models.Model):
    """How many IPLOS variables an assessment scored 3–5 (personal help),
    copied once from its `rule_result` (assessments are never edited), so a
    day's refresh reads no JSON."""

    assessment = models.OneToOneField("decisions.Assessment", on_delete=models.CASCADE,
                                      primary_key=True, related_name="+")
    needs = models.PositiveSmallIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.needs}"


class AggregateRefresh(models.Model):
    """When a day's aggregates were last computed, and how long it took."""

    day = models.DateField(unique=True)
    refreshed_at = models.DateTimeField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} ({self.seconds:.2f} s)"


class PilotSite(models.Model):
    """A district, or one team in it, running the trust model from a date."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("team"),
                             help_text=_("Empty: the whole district."))
    starts_on = models.DateField(_("trust model from"))
    ends_on = models.DateField(_("trust model until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trust pilot site")
        verbose_name_plural = _("trust pilot sites")
        ordering = ["district__number", "starts_on"]

    def __str__(self) -> str:
        return f"{self.team or self.district} {self.starts_on}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [_("The pilot cannot end before it starts.")]
        if self.team_id and self.district_id and self.team.district_id != self.district_id:
            errors["team"] = [_("The team must belong to the district.")]
        if errors:
            raise ValidationError(errors)


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class SurveyResponse(models.Model):
    """One client's short satisfaction survey, recorded without naming the
    client. Scores 1 (not at all) to 5 (completely)."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("district"))
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("team"))
    answered_on = models.DateField(_("answered on"))
    same_carers = models.PositiveSmallIntegerField(
        _("I mostly meet the same carers"), validators=SCORE)
    enough_time = models.PositiveSmallIntegerField(
        _("The carers have enough time for me"), validators=SCORE)
    say_in_help = models.PositiveSmallIntegerField(
        _("I have a say in how I am helped"), validators=SCORE)
    overall = models.PositiveSmallIntegerField(
        _("Overall, I am satisfied with the help"), validators=SCORE)
    synthetic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-answered_on"]
        indexes = [models.Index(fields=["district", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.district} {self.answered_on}"

    def clean(self) -> None:
        super().clean()
        if self.team_id and self.district_id and self.team.district_id != self.district_id:
            raise ValidationError({"team": [_("The team must belong to the district.")]})


SCORE_FIELDS = ("same_carers", "enough_time", "say_in_help", "overall")


class PilotDay(models.Model):
    """One team's day for the trust pilot's comparison, counted from that
    day's raw rows (no identities): visit reports and how many were "time
    fitted", planned visit minutes (scheduled visits' minutes × carers),
    rostered minutes, sick employee days (`Absence` of kind sick, an
    employee counted in their own team), revision proposals raised and
    decided that day (by direction), and satisfaction survey answers (a row
    without a team holds a district's answers or proposals that name no
    team).

    Person counts (`clients`, `reported_clients`, `employees`) count each
    person in one team a day (the team with most of their rows), so a day's
    teams add up to distinct persons and the largest day of a period is a
    lower bound of the period's distinct persons. `proposal_repeats` counts
    proposals whose client had one of the same kind in the 366 days before,
    so proposals minus repeats is a lower bound of distinct clients for a
    period of up to 366 days."""

    day = models.DateField(db_index=True)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, related_name="+")
    reports = models.PositiveIntegerField(default=0)  # done visits with a time answer
    fitted = models.PositiveIntegerField(default=0)
    reported_clients = models.PositiveIntegerField(default=0)
    clients = models.PositiveIntegerField(default=0)  # with a scheduled visit
    planned_minutes = models.PositiveIntegerField(default=0)
    rostered_minutes = models.PositiveIntegerField(default=0)
    employees = models.PositiveIntegerField(default=0)  # on the roster (employee days)
    sick_days = models.PositiveIntegerField(default=0)
    # "raised_increase", "accepted_reduce", … → proposals that day
    proposals = models.JSONField(default=dict)
    proposal_repeats = models.JSONField(default=dict)
    answers = models.PositiveIntegerField(default=0)
    score_sums = models.JSONField(default=dict)  # survey question → sum of scores

    class Meta:
        indexes = [models.Index(fields=["day", "district"])]

    def __str__(self) -> str:
        return f"{self.day} {self.district_id} {self.team_id}"


class PilotMonth(models.Model):
    """One team's month: each client's number of distinct carers (visit
    reports, else the current plans' assignments), which cannot be added up
    over days. A client counts in one team a month (the team with most of
    their planned visits)."""

    month = models.DateField(db_index=True)  # the first day of the month
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    carers = models.JSONField(default=list)  # sorted, one number per client

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "team"],
                                               name="pilot_month_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.team_id}"


class PilotClientDay(models.Model):
    """What each client's day adds to the month's `PilotMonth`, one row a
    day: `parts` maps a client id to [their scheduled visits per team
    ({team id: visits}), the sorted ids of the distinct carers of the day's
    done visit reports, those of the current plans' assignments]. Kept so
    that a day's refresh can take the day's old part out of
    `PilotClientMonth` and put the new one in, without reading the rest of
    the month. Internal state of the refresh (ids only, no names or health
    data); no page or API reads it. Stored as JSON text (`pilot_clients`
    encodes and decodes it): a JSON column would have PostgreSQL parse and
    convert half a megabyte a day that only this code reads."""

    day = models.DateField(unique=True)
    parts = models.TextField(default="{}")

    def __str__(self) -> str:
        return f"{self.day}"


class PilotClientMonth(models.Model):
    """The sum of a month's `PilotClientDay` rows, one row a month: `sums`
    maps a client id to [scheduled visits per team, {carer id: days with a
    done report}, {carer id: days on a current plan}, the team the client
    counts in (most scheduled visits, ties to the lowest id; null without
    one), distinct carers (reported, else planned)], from which `PilotMonth`
    is assembled. Internal state of the refresh, JSON text like
    `PilotClientDay.parts`."""

    month = models.DateField(unique=True)  # the first day of the month
    sums = models.TextField(default="{}")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
