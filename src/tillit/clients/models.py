"""Clients (brukere): the people who receive help, their contacts and the
practical notes carers need at the door."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.access.querysets import ClientQuerySet, PersonScopedQuerySet
from tillit.clients.validators import validate_national_id
from tillit.core import districts, fnr, names
from tillit.organisation.models import District, Employee, Provider, Team


class Client(models.Model):
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    national_id = models.CharField(
        _("national identity number"),
        max_length=11,
        unique=True,
        validators=[validate_national_id],
        help_text=_("Fødselsnummer, D-number or H-number, 11 digits."),
    )
    birth_date = models.DateField(_("birth date"), editable=False)
    address = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(59.7), MaxValueValidator(60.2)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(10.4), MaxValueValidator(11.0)]
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="clients", editable=False
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="clients"
    )
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("provider"),
        help_text=_("The municipal unit, or the private provider the client chose."),
    )
    primary_contacts = models.ManyToManyField(
        Employee, through="PrimaryContact", related_name="primary_for", blank=True
    )
    key_information = models.CharField(_("key and entry"), max_length=200, blank=True)
    pets = models.CharField(_("pets"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=100, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    practical_notes = models.TextField(_("other practical notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["district", "family_name"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def masked_national_id(self) -> str:
        return fnr.mask(self.national_id)

    TEXT_FIELDS = ("given_name", "family_name", "address")

    def save(self, *args, **kwargs) -> None:
        for name in self.TEXT_FIELDS:  # one Unicode form, so searches find the name
            setattr(self, name, names.composed(getattr(self, name) or ""))
        parsed = fnr.parse(self.national_id)
        self.national_id = parsed.number
        self.birth_date = parsed.birth_date
        if not self.district_id:
            slug = districts.district_at(self.latitude, self.longitude)
            if slug is None:
                raise ValidationError({"latitude": _("The address lies outside Oslo's districts.")})
            self.district = District.objects.get(slug=slug)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        for name in self.TEXT_FIELDS:
            value = names.composed(getattr(self, name) or "")
            setattr(self, name, value)
            if names.hidden_characters(value):
                errors[name] = _(
                    "Remove the invisible or control characters (%(characters)s)."
                ) % {"characters": ", ".join(names.hidden_characters(value))}
        if self.national_id:
            with contextlib.suppress(fnr.FnrError):  # the field validator reports it
                self.national_id = fnr.normalise(self.national_id)
        if self.latitude is not None and self.longitude is not None:
            slug = districts.district_at(self.latitude, self.longitude)
            district = District.objects.filter(slug=slug).first() if slug else None
            if district is None:
                errors["latitude"] = _("The address lies outside Oslo's districts.")
            else:
                self.district = district
        if (
            self.provider_id
            and self.district_id
            and self.provider.kind == Provider.Kind.PRIVATE
            and not self.provider.districts.filter(pk=self.district_id).exists()
        ):
            errors["provider"] = _("This provider does not serve the client's district.")
        if self.team_id and self.district_id and self.team.district_id != self.district_id:
            errors["team"] = _("The team must belong to the client's district.")
        if errors:
            raise ValidationError(errors)


class PrimaryContact(models.Model):
    """A preferred carer for continuity of care, best first."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="primary_contact_links"
    )
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("primary contact")
        verbose_name_plural = _("primary contacts")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["client", "employee"], name="primary_contact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.employee} ({self.rank})"


class ContactPerson(models.Model):
    """A relative or other contact person (pårørende)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contact_persons")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=100)
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
    )
    is_next_of_kin = models.BooleanField(_("next of kin"), default=False)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"

    def clean(self) -> None:
        super().clean()
        digits = self.phone.replace(" ", "").removeprefix("+47")
        if self.phone and not (digits.isdigit() and len(digits) == 8):
            raise ValidationError({"phone": _("A Norwegian phone number has eight digits.")})
