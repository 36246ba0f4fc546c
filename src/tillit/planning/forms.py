"""Forms of the planner's board (field errors in Norwegian through gettext)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import Competence, Employee
from tillit.planning.models import Absence, Visit


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
    place = forms.CharField(label=_("Place on the route"), required=False, max_length=40)
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


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class FromTimeForm(forms.Form):
    """Re-plan the rest of the shift from a time (now, by default)."""

    from_time = forms.TimeField(label=_("From"), widget=_TimeInput(),
                                error_messages={"required": _("Give the time to re-plan from."),
                                                "invalid": _("Write the time as HH:MM.")})


class MarkIllForm(FromTimeForm):
    employee = _EmployeeChoice(queryset=Employee.objects.none(), label=_("Carer"),
                               error_messages={"required": _("Choose the carer who is ill."),
                                               "invalid_choice": _("Choose a carer on this shift.")})
    replan = forms.BooleanField(label=_("Re-plan the rest of the shift now"), required=False,
                                initial=True)

    def __init__(self, *args: Any, employees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees


class AddVisitForm(forms.Form):
    """A one-off visit added to the shift (re-planning gives it a carer)."""

    client = forms.ModelChoiceField(
        queryset=Visit.objects.none(), label=_("Client"),
        error_messages={"required": _("Choose the client."),
                        "invalid_choice": _("Choose a client of this team.")})
    window_start = forms.TimeField(label=_("Earliest start"), widget=_TimeInput(),
                                   error_messages={"required": _("Give the earliest start."),
                                                   "invalid": _("Write the time as HH:MM.")})
    window_end = forms.TimeField(label=_("Latest start"), widget=_TimeInput(),
                                 error_messages={"required": _("Give the latest start."),
                                                 "invalid": _("Write the time as HH:MM.")})
    minutes = forms.IntegerField(label=_("Guiding minutes"), min_value=1, max_value=480,
                                 error_messages={
                                     "required": _("Give the visit's minutes."),
                                     "invalid": _("Write a whole number of minutes."),
                                     "min_value": _("A visit lasts at least 1 minute."),
                                     "max_value": _("A visit lasts at most 480 minutes.")})
    competence = forms.ChoiceField(label=_("Competence"), choices=Competence.choices,
                                   error_messages={"required": _("Choose the competence."),
                                                   "invalid_choice": _("Choose a competence.")})
    staff_count = forms.TypedChoiceField(
        label=_("Carers"), coerce=int, choices=[(1, _("one")), (2, _("two"))], initial=1,
        error_messages={"invalid_choice": _("A visit has one or two carers.")})
    tasks = forms.CharField(label=_("What the visit is for"), required=False, max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The latest start cannot be before the earliest."))
        return data


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AbsenceForm(forms.Form):
    """A holiday, course or sick leave for a carer of the team (whole days)."""

    employee = _EmployeeChoice(queryset=Employee.objects.none(), label=_("Carer"),
                               error_messages={"required": _("Choose the carer."),
                                               "invalid_choice": _("Choose a carer of this team.")})
    kind = forms.ChoiceField(label=_("Kind"), choices=Absence.Kind.choices,
                             error_messages={"required": _("Choose the kind of absence."),
                                             "invalid_choice": _("Choose the kind of absence.")})
    first_day = forms.DateField(label=_("First day"), widget=_DateInput(),
                                error_messages={"required": _("Give the first day."),
                                                "invalid": _("Write the date as DD.MM.YYYY.")})
    last_day = forms.DateField(label=_("Last day"), widget=_DateInput(),
                               error_messages={"required": _("Give the last day."),
                                               "invalid": _("Write the date as DD.MM.YYYY.")})
    note = forms.CharField(label=_("Note"), required=False, max_length=300,
                           error_messages={"max_length": _("Keep the note under 300 characters.")})

    def __init__(self, *args: Any, employees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        names = [field] if field else []
        if isinstance(error, dict):
            names = list(error)
        for name in names:  # tie each message to its field for screen readers
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"})
