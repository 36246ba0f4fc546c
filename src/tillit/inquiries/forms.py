from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Client
from tillit.core import fnr
from tillit.inquiries.models import Channel, ContactPoint, Sender, Status, Topic
from tillit.organisation.models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InquiryForm(forms.Form):
    national_id = forms.CharField(label=_("Client's national identity number"), max_length=20,
                                  help_text=_("Fødselsnummer or D-number, 11 digits."))
    sender = forms.ChoiceField(label=_("From"), choices=Sender.choices)
    sender_name = forms.CharField(label=_("Sender's name"), max_length=150, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    summary = forms.CharField(label=_("Summary"), max_length=200)
    text = forms.CharField(label=_("The inquiry"), required=False,
                           widget=forms.Textarea(attrs={"rows": 5}))
    received_on = forms.DateField(label=_("Received"), widget=DATE)

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clients = clients

    def clean_national_id(self) -> Client:
        raw = self.cleaned_data["national_id"]
        try:
            number = fnr.normalise(raw)
        except fnr.FnrError:
            number = "".join(ch for ch in str(raw) if ch.isdigit())
        client = self.clients.filter(national_id=number).first()
        if client is None:
            raise ValidationError(_("No client with this national identity number in your area."))
        return client


class UpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    answer = forms.CharField(label=_("Answer given"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(district_id=district_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == Status.ANSWERED and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Write the answer that was given."))
        return data


class RequestForm(forms.Form):
    contact_point = forms.ModelChoiceField(
        label=_("To"), queryset=ContactPoint.objects.select_related("agency", "district"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("No person data: name no client."))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
