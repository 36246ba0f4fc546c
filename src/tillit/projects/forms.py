from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import Agency, District, Unit
from tillit.projects.models import Kind, Meeting, Project, Status

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["kind", "title", "goal", "district", "agency", "units", "contact_name",
                  "contact_email", "starts_on", "ends_on", "status", "results"]
        widgets = {"starts_on": DATE, "ends_on": DATE,
                   "goal": forms.Textarea(attrs={"rows": 3}),
                   "results": forms.Textarea(attrs={"rows": 4}),
                   "units": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.select_related("district", "agency")
        if user.district_id:
            self.fields["district"].queryset = District.objects.filter(pk=user.district_id)
            units = units.filter(district_id=user.district_id)
        self.fields["units"].queryset = units

    def _post_clean(self) -> None:
        """Model validation runs in the service (registered_by is not set yet)."""


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on", "organisations", "employees", "users", "summary", "agreed"]
        widgets = {"held_on": DATE, "summary": forms.Textarea(attrs={"rows": 3}),
                   "agreed": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        """Model validation runs in the service."""


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    upload = forms.FileField(label=_("Document (at most 5 MB)"))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All")), *Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *Status.choices])
    district = forms.ModelChoiceField(label=_("District"), required=False,
                                      queryset=District.objects.all(), empty_label=_("All"))
    agency = forms.ModelChoiceField(label=_("Agency"), required=False,
                                    queryset=Agency.objects.all(), empty_label=_("All"))
