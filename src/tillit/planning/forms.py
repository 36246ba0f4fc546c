"""Forms of the planner's board (field errors in Norwegian through gettext)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import Employee
from tillit.planning.models import Visit


class _EmployeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        return str(obj)


class MoveForm(forms.Form):
    """Move a visit of the plan to another carer of the shift."""

    visit = forms.ModelChoiceField(queryset=Visit.objects.none(), label=_("Visit"),
                                   error_messages={"invalid_choice": _("Choose a visit of this plan.")})
    to = _EmployeeChoice(queryset=Employee.objects.none(), label=_("Move to"),
                         error_messages={"invalid_choice": _("Choose a carer on this shift.")})
    from_employee = _EmployeeChoice(
        queryset=Employee.objects.none(), label=_("Instead of"), required=False,
        error_messages={"invalid_choice": _("Choose one of the visit's two carers.")})
    lock = forms.BooleanField(label=_("Lock the visit to this carer"), required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, visits: Any, employees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits
        self.fields["to"].queryset = employees
        self.fields["from_employee"].queryset = employees


class LockForm(forms.Form):
    visit = forms.ModelChoiceField(queryset=Visit.objects.none(), label=_("Visit"),
                                   error_messages={"invalid_choice": _("Choose a visit of this plan.")})
    employee = _EmployeeChoice(queryset=Employee.objects.none(), label=_("Carer"), required=False,
                               error_messages={"invalid_choice": _("Choose a carer on this shift.")})

    def __init__(self, *args: Any, visits: Any, employees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits
        self.fields["employee"].queryset = employees
