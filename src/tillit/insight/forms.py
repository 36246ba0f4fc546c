"""Forms of the trust pilot (Norwegian field errors come from the models'
validators and the messages here)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.insight.models import SCORE_FIELDS, PilotSite, SurveyResponse
from tillit.insight.pilot import period_errors
from tillit.organisation.models import Team

SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class PeriodForm(forms.Form):
    fra = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    til = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til"):
            if data["til"] < data["fra"]:
                self.add_error("til", _("The period cannot end before it starts."))
            for name, messages in period_errors(data["fra"], data["til"]).items():
                for message in messages:
                    self.add_error("fra" if name == "start" else "til", message)
        return data


class PilotSiteForm(forms.ModelForm):
    class Meta:
        model = PilotSite
        fields = ["team", "starts_on", "ends_on", "note"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}),
                   "ends_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, district, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["team"].queryset = Team.objects.filter(district=district)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = SurveyResponse
        fields = ["team", "answered_on", *SCORE_FIELDS]
        widgets = {"answered_on": forms.DateInput(attrs={"type": "date"}),
                   **{f: forms.RadioSelect(choices=SCORE_CHOICES) for f in SCORE_FIELDS}}

    def __init__(self, *args, district, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["team"].queryset = Team.objects.filter(district=district)
