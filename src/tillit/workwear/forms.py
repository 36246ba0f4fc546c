from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.workwear.models import SIZES, Base, GarmentType, LaundryRun

SIZE_CHOICES = [(s, s) for s in SIZES]


class IssueForm(forms.Form):
    employee = forms.ChoiceField(label=_("Employee"))
    garment = forms.ModelChoiceField(label=_("Garment"), queryset=GarmentType.objects.all())
    size = forms.ChoiceField(label=_("Size"), choices=SIZE_CHOICES)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10, initial=1)

    def __init__(self, *args: Any, staff: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {str(e.pk): e for e in staff}
        self.fields["employee"].choices = [(str(e.pk), str(e)) for e in staff]

    def clean_employee(self) -> Any:
        return self.staff[self.cleaned_data["employee"]]


class OrderForm(forms.Form):
    garment = forms.ModelChoiceField(label=_("Garment"), queryset=GarmentType.objects.all())
    size = forms.ChoiceField(label=_("Size"), choices=SIZE_CHOICES)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=500)


class RunForm(forms.Form):
    base = forms.ModelChoiceField(label=_("Base"), queryset=Base.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=LaundryRun.Kind.choices)
    bags = forms.IntegerField(label=_("Bags"), min_value=0, max_value=500)
    missing_items = forms.IntegerField(label=_("Items missing"), min_value=0, max_value=500,
                                       initial=0)

    def __init__(self, *args: Any, district_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = Base.objects.filter(district_id=district_id)
