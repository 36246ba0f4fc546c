"""Forms for publishing routines and answering them. Field errors are shown
in bokmål (Django's own messages are translated; ours are in the app's
locale)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.decisions.models import ServiceType
from tillit.organisation.models import Agency, District
from tillit.routines.models import Kind, Status
from tillit.routines.services import Member

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VersionFields(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("The routine"), widget=forms.Textarea(attrs={"rows": 10}),
                           required=False)
    document = forms.FileField(label=_("Attached document (optional, at most 5 MB)"),
                               required=False)
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    respond_by = forms.DateField(
        label=_("Acknowledge and implement by"), widget=DATE,
        help_text=_("Districts and units are reminded a week before."))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("effective_from"), data.get("respond_by")
        if start and end and end < start:
            self.add_error("respond_by", _("The deadline cannot be before the effective date."))
        if not (data.get("text") or "").strip() and not data.get("document"):
            self.add_error("text", _("Write the routine or attach a document."))
        return data


class PublishForm(VersionFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    agency = forms.ModelChoiceField(label=_("Owning agency"), queryset=Agency.objects.none(),
                                    required=False)
    service_types = forms.ModelMultipleChoiceField(
        label=_("Services it concerns"), queryset=ServiceType.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple)
    working_group = forms.CharField(
        label=_("Working group"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One member a line: name; district or agency; role in the group."))

    field_order = ["title", "agency", "kind", "text", "document", "effective_from",
                   "respond_by", "service_types", "working_group"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.valid_on(timezone.localdate())

    def clean_working_group(self) -> list[Member]:
        members = []
        for n, line in enumerate(self.cleaned_data["working_group"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            name, where, role = (parts + ["", "", ""])[:3]
            if not name:
                raise forms.ValidationError(_("Line %(n)s has no name.") % {"n": n})
            district = agency = None
            if where:
                district = District.objects.filter(Q(name__iexact=where) | Q(slug=where)).first()
                if district is None:
                    agency = Agency.objects.filter(name__iexact=where).first()
                if district is None and agency is None:
                    raise forms.ValidationError(
                        _("Line %(n)s: no district or agency is called %(where)s.")
                        % {"n": n, "where": where})
            members.append(Member(name=name, district=district, agency=agency, role=role))
        return members


class VersionForm(VersionFields):
    change_note = forms.CharField(label=_("What changed"), max_length=300)

    field_order = ["change_note", "kind", "text", "document", "effective_from", "respond_by"]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Implementation"), choices=Status.choices)
    deviation_reason = forms.CharField(
        label=_("Reason for the deviation"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == Status.DEVIATION and not (data.get("deviation_reason") or "").strip():
            self.add_error("deviation_reason", _("Give the reason for the deviation."))
        return data
