"""Forms of the purchaser office. They parse input; the rules live in
`services`, whose field-keyed errors `apply_errors` puts back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Client
from tillit.core import fnr, iplos
from tillit.decisions.models import (
    WEEKDAYS,
    Application,
    AttachmentKind,
    CareBlock,
    CaseAttachment,
    Decision,
    IplosDefinition,
    Reassessment,
    ServiceType,
    Slot,
)
from tillit.organisation.models import Competence, Provider

SKILLS = [
    ("insulin", _("insulin")),
    ("wound_care", _("wound care")),
    ("catheter", _("catheter")),
    ("medication", _("medication")),
    ("stoma", _("stoma care")),
    ("palliative_care", _("palliative care")),
]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

class ApplicationForm(forms.Form):
    national_id = forms.CharField(
        label=_("Client's national identity number"), max_length=20,
        help_text=_("Fødselsnummer or D-number, 11 digits."),
    )
    service_type = forms.ModelChoiceField(
        label=_("Requested service"), queryset=ServiceType.objects.all(), empty_label=None
    )
    source = forms.ChoiceField(label=_("Applied by"), choices=Application.Source.choices)
    applicant_name = forms.CharField(
        label=_("Name of the applicant"), required=False, max_length=200,
        help_text=_("When a relative, the hospital or the GP applies."),
    )
    received_at = forms.DateTimeField(
        label=_("Received"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Application.Urgency.choices)
    description = forms.CharField(label=_("What is applied for"), widget=forms.Textarea(
        attrs={"rows": 3}), required=False, max_length=5000)  # as the API
    date_reason = forms.CharField(
        label=_("Reason for an unusual date"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the application was received more than a year ago."),
    )

    def __init__(self, *args: Any, clients: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clients = clients

    def clean_national_id(self) -> Client:
        raw = self.cleaned_data["national_id"]
        try:
            number = fnr.normalise(raw)
        except fnr.FnrError:
            number = "".join(ch for ch in str(raw) if ch.isdigit())
        if not fnr.is_valid(number):
            raise ValidationError(_(
                "This is not a valid national identity number: check the 11 digits."))
        client = self.clients.filter(national_id=number).first()
        if client is None:
            raise ValidationError(_("No client with this national identity number in your area: "
                                    "register the person first."))
        return client

class AssessmentForm(forms.Form):
    """One radio field per IPLOS variable, built from the definition in use."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    block = forms.ChoiceField(
        label=_("Care block"), required=False,
        choices=[("", _("As computed from the scores")), *CareBlock.choices],
    )
    override_reason = forms.CharField(
        label=_("Reason for another care block"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args: Any, definition: IplosDefinition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.variables = definition.definition.variables
        fields = {}
        for var in self.variables:
            fields[f"score_{var.code}"] = forms.TypedChoiceField(
                label=var.name, coerce=int, help_text=var.description,
                widget=forms.RadioSelect,
                choices=[(s, f"{s} – {var.levels.get(s, '')}") for s in iplos.VALID_SCORES],
                error_messages={
                    "required": _("Give a score 1–5, or 9 (not relevant)."),
                    "invalid_choice": _(
                        "The score %(value)s is outside the scale: use 1–5, or 9 (not relevant)."
                    ),
                },
            )
        # Scores first, then the rest.
        self.fields = {**fields, **self.fields}

    def score_fields(self) -> list[forms.BoundField]:
        return [self[f"score_{v.code}"] for v in self.variables]

    def scores(self) -> dict[str, int]:
        return {v.code: self.cleaned_data[f"score_{v.code}"] for v in self.variables}

def provider_choices(client: Client) -> Any:
    return Provider.objects.filter(
        Q(pk=client.provider_id) | Q(districts=client.district_id)
    ).distinct().order_by("kind", "name")

class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Decision.Outcome.choices, initial=Decision.Outcome.GRANTED,
        widget=forms.RadioSelect, required=False,
        help_text=_("Partly granted: say in the justification what is not granted and why. "
                    "Refused: no visits; the justification says why."),
    )
    care_block = forms.ChoiceField(label=_("Care block"), choices=CareBlock.choices,
                                   required=False)
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none(),
                                      empty_label=None)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), widget=DATE, required=False,
                               help_text=_("Empty: until further notice."))
    review_on = forms.DateField(label=_("Next review"), widget=DATE, required=False)
    weekly_minutes = forms.IntegerField(
        label=_("Weekly frame (minutes)"), required=False, min_value=0, max_value=7 * 24 * 60,
        help_text=_("Empty: the sum of the visits below."),
    )
    tolerance_percent = forms.IntegerField(
        label=_("Tolerance (%)"), initial=15, min_value=0, max_value=50,
        help_text=_("Within this the team may adjust the visits itself, without a new decision."),
    )
    justification = forms.CharField(label=_("Justification"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    date_reason = forms.CharField(
        label=_("Reason for an unusual date"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the decision starts before today."),
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = provider_choices(client)
        self.fields["provider"].initial = client.provider_id

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["outcome"] = data.get("outcome") or Decision.Outcome.GRANTED
        if data.get("outcome") != Decision.Outcome.REFUSED and not data.get("care_block"):
            self.add_error("care_block", _("Choose light, medium or extensive."))
        return data

class VisitForm(forms.Form):
    # Initial values match what an untouched form posts, so empty extra forms
    # count as unchanged and are skipped.
    slot = forms.ChoiceField(label=_("Time of day"), choices=Slot.choices, initial=Slot.MORNING)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.IntegerField(
        label=_("Guiding minutes"), required=False,
        help_text=_("A frame for the carer, not a stopwatch."),
    )
    competence = forms.ChoiceField(label=_("Competence"), choices=Competence.choices,
                                   initial=Competence.HEALTH_WORKER)
    skills = forms.MultipleChoiceField(label=_("Skills"), choices=SKILLS, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    staff_count = forms.TypedChoiceField(
        label=_("Carers"), coerce=int, choices=[(1, _("one")), (2, _("two"))], initial=1
    )
    two_person_reason = forms.CharField(label=_("Reason for two carers"), required=False,
                                        max_length=300)
    tasks = forms.CharField(label=_("What the visit is for"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    task_codes = forms.CharField(label=_("Task codes"), required=False,
                                 help_text=_("IPLOS variable codes, separated by commas."))
    after = forms.TypedChoiceField(
        label=_("Follows visit no."), required=False, coerce=int, empty_value=None,
        choices=[("", "–")] + [(i, str(i + 1)) for i in range(9)],
    )
    after_min_minutes = forms.IntegerField(label=_("At least minutes after"), required=False,
                                           min_value=0, max_value=24 * 60)
    after_max_minutes = forms.IntegerField(label=_("At most minutes after"), required=False,
                                           min_value=0, max_value=24 * 60)

    def spec(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("DELETE", None)
        data["task_codes"] = [c.strip() for c in (data.get("task_codes") or "").split(",")
                              if c.strip()]
        return data

class BaseVisitFormSet(forms.BaseFormSet):
    def specs(self) -> tuple[list[dict[str, Any]], list[VisitForm]]:
        """The filled-in visits, and the forms they came from (same order)."""
        forms_used = [f for f in self.forms if f.has_changed() and not (
            self.can_delete and f.cleaned_data.get("DELETE"))]
        return [f.spec() for f in forms_used], forms_used

VisitFormSet = forms.formset_factory(VisitForm, formset=BaseVisitFormSet, extra=2, max_num=9,
                                     can_delete=True)

def visit_initial(decision: Decision) -> list[dict[str, Any]]:
    visits = list(decision.visits.all())
    index = {v.pk: i for i, v in enumerate(visits)}
    return [{
        "slot": v.slot, "weekdays": v.weekdays, "minutes": v.minutes,
        "competence": v.competence, "skills": v.skills, "staff_count": v.staff_count,
        "two_person_reason": v.two_person_reason, "tasks": v.tasks,
        "task_codes": ", ".join(v.task_codes), "after": index.get(v.after_id),
        "after_min_minutes": v.after_min_minutes, "after_max_minutes": v.after_max_minutes,
    } for v in visits]

class InterimReplyForm(forms.Form):
    interim_expected_on = forms.DateField(label=_("Decision expected by"), widget=DATE)
    interim_reason = forms.CharField(label=_("Why the case takes longer"),
                                     widget=forms.Textarea(attrs={"rows": 3}), required=False)

class OpenReassessmentForm(forms.Form):
    source = forms.ChoiceField(label=_("Reason for reassessment"), choices=[
        (Reassessment.Source.REQUEST, Reassessment.Source.REQUEST.label),
        (Reassessment.Source.REVIEW_DATE, Reassessment.Source.REVIEW_DATE.label),
    ])
    reason = forms.CharField(label=_("Details"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

class CloseReassessmentForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Reassessment.Outcome.choices,
                                widget=forms.RadioSelect)
    valid_from = forms.DateField(label=_("Change from"), widget=DATE, required=False,
                                 help_text=_("Empty: today."))
    care_block = forms.ChoiceField(label=_("Care block"), choices=CareBlock.choices,
                                   required=False)
    weekly_minutes = forms.IntegerField(label=_("Weekly frame (minutes)"), required=False,
                                        min_value=0, max_value=7 * 24 * 60,
                                        help_text=_("Empty: the sum of the visits below."))
    review_on = forms.DateField(label=_("Next review"), widget=DATE, required=False)

class CaseNoteForm(forms.Form):
    text = forms.CharField(label=_("New note"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Epikrise fra Ullevål 3. mars."))
    file = forms.FileField(
        label=_("File"), help_text=_("PDF or an image (PNG, JPEG), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg,"
                                                         "image/gif"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > CaseAttachment.MAX_BYTES:
            raise ValidationError(_("The file is too large: at most %(mb)s MB."),
                                  params={"mb": CaseAttachment.MAX_BYTES // (1024 * 1024)})
        return upload


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Case handler"), queryset=None, required=False,
                                     empty_label=_("Nobody (not assigned)"))

    def __init__(self, *args: Any, handlers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tillit.accounts.models import User

        field = self.fields["handler"]
        field.queryset = User.objects.filter(pk__in=[u.pk for u in handlers]).order_by(
            "last_name", "first_name", "username")
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()


def apply_errors(exc: ValidationError, form: forms.Form,
                 visit_forms: list[VisitForm] | None = None,
                 formset: forms.BaseFormSet | None = None) -> None:
    """Put a service's field-keyed errors on the matching form fields."""
    for key, messages in exc.message_dict.items():
        if key.startswith("visits.") and visit_forms is not None:
            _visits, index, field = key.split(".", 2)
            target = visit_forms[int(index)]
            for message in messages:
                target.add_error(field if field in target.fields else None, message)
            continue
        if key == "visits" and formset is not None:
            formset._non_form_errors = formset.error_class(  # noqa: SLF001
                [*formset.non_form_errors(), *messages])
            continue
        name = key
        if key.startswith("score_") and key not in form.fields:
            name = None
        if name not in form.fields:
            name = None
        for message in messages:
            form.add_error(name, message)
