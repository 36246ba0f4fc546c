"""Forms of care plans, changes within the frame and team proposals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.daylist.models import FrameChange, RevisionProposal


class CarePlanForm(forms.Form):
    text = forms.CharField(
        label=_("Care plan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the client needs and wants, and how we help. Saving makes a new version."),
        error_messages={"required": _("Write the care plan.")},
    )


class VisitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return (f"{obj.date:%d.%m.} {obj.window_start:%H:%M}–{obj.window_end:%H:%M}, "
                f"{obj.minutes} min")


class FrameChangeForm(forms.Form):
    visit = VisitChoice(queryset=None, label=_("Visit"),
                        error_messages={"required": _("Choose the visit."),
                                        "invalid_choice": _("Choose one of the visits.")})
    kind = forms.ChoiceField(choices=FrameChange.Kind.choices, label=_("Change"))
    minutes = forms.IntegerField(label=_("New guiding minutes"), required=False, min_value=1,
                                 max_value=480)
    window_start = forms.TimeField(label=_("New earliest start"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"}))
    window_end = forms.TimeField(label=_("New latest start"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             error_messages={"required": _("Say why the visit is changed.")})

    def __init__(self, *args: Any, visits: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits.model.objects.filter(
            pk__in=[v.pk for v in visits])


class TeamProposalForm(forms.Form):
    form = forms.CharField(widget=forms.HiddenInput, initial="proposal")
    decision = forms.ModelChoiceField(queryset=None, label=_("Decision"),
                                      error_messages={"required": _("Choose the decision.")})
    direction = forms.ChoiceField(choices=RevisionProposal.Direction.choices, label=_("Propose"))
    reason = forms.CharField(label=_("Why the frame does not fit"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Say why the frame does not fit.")})

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
