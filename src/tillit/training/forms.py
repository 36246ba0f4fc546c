from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.training.models import Course


class CompletionForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"),
                                    queryset=Course.objects.filter(is_active=True))
    completed_on = forms.DateField(label=_("Completed on"),
                                   widget=forms.DateInput(attrs={"type": "date"},
                                                          format="%Y-%m-%d"))
