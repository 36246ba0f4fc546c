"""One intake for inquiries (henvendelser) from clients and relatives, and
for requests between districts and agencies.

- `Inquiry`: about one client; registered once, routed to the responsible
  unit (the district purchaser office for applications and decisions, the
  client's home care unit otherwise), with a response deadline and status;
  person-level, so it is read through `Inquiry.objects.visible_to(user)`.
- `ContactPoint`: who answers requests on a topic for an agency or district.
- `Request`: an employee's request to a contact point, tracked to its answer.
  Requests carry no person data.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.access.querysets import PersonScopedQuerySet


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")


OPEN = (Status.RECEIVED, Status.IN_PROGRESS)


class Topic(models.TextChoices):
    APPLICATION = "application", _("application or decision")
    VISITS = "visits", _("visits and times")
    CARE = "care", _("the care given")
    COMPLAINT = "complaint", _("complaint")
    DEVICES = "devices", _("assistive devices")
    OTHER = "other", _("other")


# Working days are not modelled: calendar days to the answer, by topic.
RESPONSE_DAYS = {Topic.COMPLAINT: 21, Topic.APPLICATION: 14}
DEFAULT_RESPONSE_DAYS = 7


class Sender(models.TextChoices):
    CLIENT = "client", _("the client")
    RELATIVE = "relative", _("a relative")
    OTHER = "other", _("someone else (guardian, GP, neighbour)")


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    LETTER = "letter", _("letter")
    IN_PERSON = "in_person", _("in person")
    DIGITAL = "digital", _("digital form")


class InquiryQuerySet(PersonScopedQuerySet):
    client_field = "client"

    def open(self) -> InquiryQuerySet:
        return self.filter(status__in=OPEN)

    def overdue(self, day: dt.date) -> InquiryQuerySet:
        return self.open().filter(due_on__lt=day)


class Inquiry(models.Model):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="inquiries", verbose_name=_("client"))
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("district"))
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("responsible unit"))
    team = models.ForeignKey("organisation.Team", on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("client's team"))
    sender = models.CharField(_("from"), max_length=10, choices=Sender.choices)
    sender_name = models.CharField(_("sender's name"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    summary = models.CharField(_("summary"), max_length=200)
    text = models.TextField(_("the inquiry"), blank=True)
    received_on = models.DateField(_("received"))
    due_on = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.RECEIVED)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["district", "status", "due_on"])]

    def __str__(self) -> str:
        return self.summary

    def clean(self) -> None:
        if self.due_on and self.received_on and self.due_on < self.received_on:
            raise ValidationError({"due_on": _("The deadline cannot be before the inquiry.")})
        if self.status == Status.ANSWERED and not self.answer.strip():
            raise ValidationError({"answer": _("Write the answer that was given.")})

    def is_overdue(self, day: dt.date) -> bool:
        return self.status in OPEN and self.due_on < day


class ContactPoint(models.Model):
    agency = models.ForeignKey("organisation.Agency", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="contact_points",
                               verbose_name=_("agency"))
    district = models.ForeignKey("organisation.District", on_delete=models.CASCADE, null=True,
                                 blank=True, related_name="contact_points",
                                 verbose_name=_("district"))
    topic = models.CharField(_("topic"), max_length=150)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="contact_points",
                                    verbose_name=_("answered by"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    answer_days = models.PositiveSmallIntegerField(_("answers within (days)"), default=5)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["agency__name", "district__number", "topic"]
        constraints = [models.CheckConstraint(
            condition=models.Q(agency__isnull=False) | models.Q(district__isnull=False),
            name="contact_point_has_owner")]

    def __str__(self) -> str:
        return f"{self.agency or self.district}: {self.topic}"


class Request(models.Model):
    contact_point = models.ForeignKey(ContactPoint, on_delete=models.PROTECT,
                                      related_name="requests", verbose_name=_("contact point"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("from"))
    sender_district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("request"))
    sent_on = models.DateField(_("sent"))
    due_on = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.RECEIVED)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def is_overdue(self, day: dt.date) -> bool:
        return self.status in OPEN and self.due_on < day
