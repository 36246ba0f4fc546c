from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.devices.models import Device, DeviceRequest, DeviceType


def _visit_choices(visits: list) -> list[tuple[str, str]]:
    return [("", _("None"))] + [
        (str(v.pk), f"{v.decision.service_type}: {v.get_slot_display()} – {v.tasks[:60]}")
        for v in visits]


class RequestForm(forms.Form):
    device_type = forms.ModelChoiceField(label=_("Device"), queryset=DeviceType.objects.all())
    reason = forms.CharField(label=_("Why it is needed"), widget=forms.Textarea(attrs={"rows": 3}))
    replaces_visit = forms.ChoiceField(label=_("May replace the visit"), required=False)

    def __init__(self, *args: Any, visits: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visits = {str(v.pk): v for v in visits}
        self.fields["replaces_visit"].choices = _visit_choices(visits)

    def clean_replaces_visit(self) -> Any:
        return self.visits.get(self.cleaned_data["replaces_visit"] or "")


class LendForm(forms.Form):
    device = forms.ModelChoiceField(label=_("Device from stock"),
                                    queryset=Device.objects.none())
    request = forms.ModelChoiceField(label=_("Answers the request"), required=False,
                                     queryset=DeviceRequest.objects.none())
    replaces_visit = forms.ChoiceField(label=_("Replaces the visit"), required=False)

    def __init__(self, *args: Any, visits: list, requests: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["device"].queryset = Device.objects.filter(
            state=Device.State.IN_STOCK).select_related("device_type")
        self.fields["request"].queryset = requests
        self.visits = {str(v.pk): v for v in visits}
        self.fields["replaces_visit"].choices = _visit_choices(visits)

    def clean_replaces_visit(self) -> Any:
        return self.visits.get(self.cleaned_data["replaces_visit"] or "")


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Why it is rejected"), max_length=300)
