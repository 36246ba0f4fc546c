"""The city's organisation: districts, agencies, units, teams, providers and
employees, with validity periods so history survives reorganisation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.organisation.validators import display_phone, tel_uri, validate_norwegian_phone
from tillit.organisation.validity import Validity


class City(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name


class District(Validity):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts")
    number = models.PositiveSmallIntegerField(_("district number"))
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["city", "number"], name="district_number_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Agency(Validity):
    """A city-level agency (etat), e.g. the central purchaser office or the
    health agency."""

    class Kind(models.TextChoices):
        PURCHASER_OFFICE = "purchaser_office", _("purchaser office")
        HEALTH = "health", _("health agency")
        NURSING_HOMES = "nursing_homes", _("nursing home agency")
        WELFARE = "welfare", _("welfare agency")
        OTHER = "other", _("other")

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    HEALTH = "health", _("health and care")
    PURCHASER = "purchaser", _("purchaser office")
    ADMINISTRATION = "administration", _("administration")
    TECHNICAL = "technical", _("technical services")
    EDUCATION = "education", _("schools and kindergartens")
    FINANCE = "finance", _("finance")
    HR = "hr", _("human resources")


class NamedOverTime:
    """Units and teams keep their names in versions: the name on a given day."""

    def name_on(self, day: dt.date) -> str | None:
        version = self.versions.valid_on(day).first()  # type: ignore[attr-defined]
        return version.name if version else None


class VersionedName(Validity):
    """One period of a unit's or team's name and leader (abstract)."""

    name = models.CharField(_("name"), max_length=150)

    class Meta:
        abstract = True
        ordering = ["valid_from"]


class Unit(NamedOverTime, Validity):
    """An organisational unit inside a district or an agency (home care
    service, district purchaser office, school, ...)."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=150)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    is_purchaser_office = models.BooleanField(_("purchaser office"), default=False)
    leader = models.ForeignKey(
        "Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="led_units"
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["district__number", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=False) | Q(agency__isnull=False),
                name="unit_in_district_or_agency",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.district_id is None and self.agency_id is None:
            raise ValidationError({"district": _("A unit belongs to a district or to an agency.")})


class UnitVersion(VersionedName):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")

    class Meta(VersionedName.Meta):
        verbose_name = _("unit version")
        verbose_name_plural = _("unit versions")


class Team(NamedOverTime, Validity):
    """A home care team (sone) inside a district's home care unit."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="teams")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=150)
    leader = models.ForeignKey(
        "Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="led_teams"
    )
    # How carers reach the team (the day list shows it). Kept on the team,
    # not on its name versions: a number is not history worth keeping.
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[validate_norwegian_phone],
        help_text=_("The number carers call to reach the team, e.g. 40 00 03 01."),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["district__number", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.unit_id and self.district_id and self.unit.district_id != self.district_id:
            raise ValidationError({"unit": _("The unit must belong to the team's district.")})

    @property
    def phone_uri(self) -> str:
        """The `tel:` link of the team's phone; '' when it has none."""
        return tel_uri(self.phone)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)


class TeamVersion(VersionedName):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="versions")

    class Meta(VersionedName.Meta):
        verbose_name = _("team version")
        verbose_name_plural = _("team versions")


class Provider(Validity):
    """Who delivers the help: a municipal unit or a private company the
    client chose (brukervalg)."""

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("municipal")
        PRIVATE = "private", _("private")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("An organisation number has nine digits."))],
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="providers"
    )
    districts = models.ManyToManyField(District, related_name="providers", blank=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.MUNICIPAL and self.unit_id is None:
            raise ValidationError({"unit": _("A municipal provider is a municipal unit.")})
        if self.kind == self.Kind.PRIVATE and self.unit_id is not None:
            raise ValidationError({"unit": _("A private provider is not a municipal unit.")})


class Competence(models.TextChoices):
    """Ordered lowest to highest, as in the planning format."""

    ASSISTANT = "assistant", _("assistant")
    HEALTH_WORKER = "health_worker", _("health worker")
    NURSE = "nurse", _("nurse")


COMPETENCE_ORDER = [c.value for c in Competence]


class Employee(Validity):
    """A person employed by the city or a private provider; the validity
    period is the employment."""

    class ContractType(models.TextChoices):
        PERMANENT = "permanent", _("permanent")
        TEMPORARY = "temporary", _("temporary")
        HOURLY = "hourly", _("hourly")

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")
        OTHER = "other", _("other")
        UNSTATED = "unstated", _("not stated")

    class TravelMode(models.TextChoices):
        WALK = "walk", _("walking")
        BIKE = "bike", _("bicycle")
        CAR = "car", _("car")

    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100)
    competence = models.CharField(
        _("competence level"), max_length=20, choices=Competence.choices, blank=True
    )
    qualifications = models.JSONField(
        _("other qualifications"),
        default=list,
        blank=True,
        help_text=_("Delegated tasks and courses, e.g. insulin, wound_care."),
    )
    fte_percent = models.DecimalField(
        _("FTE percentage"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    is_leader = models.BooleanField(_("leader"), default=False)
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("reports to"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="employees"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="employees"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="employees"
    )
    travel_mode = models.CharField(
        _("travel mode"), max_length=10, choices=TravelMode.choices, default=TravelMode.WALK
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["district", "sector"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.reports_to_id and self.pk and self.reports_to_id == self.pk:
            errors["reports_to"] = _("An employee cannot report to themselves.")
        if self.team_id and self.district_id and self.team.district_id != self.district_id:
            errors["team"] = _("The team must belong to the employee's district.")
        if not isinstance(self.qualifications, list) or not all(
            isinstance(q, str) and q for q in self.qualifications
        ):
            errors["qualifications"] = _("Qualifications are a list of names.")
        if self.sector == Sector.HEALTH and self.team_id and not self.competence:
            errors["competence"] = _("A carer in a team needs a competence level.")
        if errors:
            raise ValidationError(errors)
