"""Forms of needs-based staffing. The what-if form (percentages, on the
pages) and the API's query form (fractions, as the contract states them)
both give a `StaffingParams`; bounds match the core's checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.core import staffing as core
from tillit.staffing.models import Situation

D = core.DEFAULTS


def _percent(value: float) -> Decimal:
    return Decimal(format(Decimal(str(round(value * 100, 2))).normalize(), "f"))


class WhatIfForm(forms.Form):
    """Read from GET: the page works without JavaScript."""

    date = forms.DateField(label=_("Date"), required=False,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    share = forms.DecimalField(
        label=_("Direct care share (%)"), min_value=Decimal("1"), max_value=Decimal("100"),
        decimal_places=2, required=False,
        help_text=_("Oslo's fixed expectation is 53 %; in practice nearer 60 % (SV, 2014)."),
    )
    buffer = forms.DecimalField(
        label=_("Absence buffer (%)"), min_value=Decimal("0"), max_value=Decimal("100"),
        decimal_places=2, required=False,
        help_text=_("tillit's assumption: the sources give no figure."),
    )
    hours = forms.DecimalField(
        label=_("Hours in one FTE a week"), min_value=Decimal("1"), max_value=Decimal("60"),
        decimal_places=2, required=False, help_text=_("Oslo municipality: 37.5 hours."),
    )
    norm = forms.IntegerField(
        label=_("Caseload norm (clients per nurse)"), min_value=1, max_value=200, required=False,
        help_text=_("BOB today: 25 clients per nurse (SV, 2014)."),
    )

    @classmethod
    def initial_values(cls) -> dict[str, object]:
        return {"share": _percent(D.direct_care_share), "buffer": _percent(D.absence_buffer),
                "hours": Decimal(str(D.fte_hours_per_week)), "norm": D.caseload_norm}

    def day(self) -> dt.date:
        value = self.cleaned_data.get("date") if self.is_valid() else None
        return value or timezone.localdate()

    def params(self) -> core.StaffingParams:
        if not self.is_valid():
            return D
        data = self.cleaned_data
        return core.StaffingParams(
            direct_care_share=float(data["share"]) / 100 if data.get("share") is not None
            else D.direct_care_share,
            absence_buffer=float(data["buffer"]) / 100 if data.get("buffer") is not None
            else D.absence_buffer,
            fte_hours_per_week=float(data["hours"]) if data.get("hours") is not None
            else D.fte_hours_per_week,
            caseload_norm=data["norm"] if data.get("norm") is not None else D.caseload_norm,
        )

    def changed(self) -> bool:
        return self.params() != D


class StaffingQueryForm(forms.Form):
    """The API's query: the contract's fractions."""

    district = forms.SlugField(max_length=50, required=False)
    date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    direct_care_share = forms.FloatField(min_value=0.01, max_value=1, required=False)
    absence_buffer = forms.FloatField(min_value=0, max_value=1, required=False)
    fte_hours_per_week = forms.FloatField(min_value=1, max_value=60, required=False)
    caseload_norm = forms.IntegerField(min_value=1, max_value=200, required=False)

    def params(self) -> core.StaffingParams:
        data = self.cleaned_data
        values = {name: data[name] for name in (
            "direct_care_share", "absence_buffer", "fte_hours_per_week", "caseload_norm",
        ) if data.get(name) is not None}
        return D.with_changes(**values)


class CareSituationForm(forms.Form):
    situation = forms.ChoiceField(label=_("Care situation"), choices=Situation.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ResponsibleForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Responsible nurse"), queryset=None,
                                      empty_label=_("Choose…"))

    def __init__(self, *args: object, employees=None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["employee"].label_from_instance = (
            lambda e: f"{e.full_name} ({e.get_competence_display()}, {e.team})"
        )
