from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tillit.accounts.models import Role, User
from tillit.core import fnr
from tillit.organisation.models import District, Team


class BreakGlassForm(forms.Form):
    national_id = forms.CharField(label=_("National identity number"), max_length=11)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, min_length=10)

    def clean_national_id(self) -> str:
        value = self.cleaned_data["national_id"]
        try:
            return fnr.normalise(value)
        except fnr.FnrError:
            raise forms.ValidationError(_("Enter a valid national identity number.")) from None


class FollowUpForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


SCOPE_CHOICES = [("record", _("the whole record")), ("kind", _("every item of a kind"))]


class BlockForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Employee"), queryset=User.objects.filter(is_active=True), required=False,
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices], required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.all(), required=False,
    )
    scope = forms.ChoiceField(label=_("What"), choices=SCOPE_CHOICES)
    item_type = forms.ModelChoiceField(
        label=_("Kind of item"), queryset=ContentType.objects.none(), required=False,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, required=False)
    valid_to = forms.DateTimeField(label=_("Valid to"), required=False)

    def __init__(self, *args: object, client, item_types: list[ContentType], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["item_type"].queryset = ContentType.objects.filter(
            pk__in=[ct.pk for ct in item_types]
        )
        self.fields["team"].queryset = Team.objects.filter(district_id=client.district_id)
        # People who could ever see the client: the district's and the city-wide.
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(role="")
            .filter(Q(district_id=client.district_id) | Q(district__isnull=True))
            .order_by("username")
        )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        targets = [bool(data.get("user")), bool(data.get("team")), bool(data.get("role"))]
        if sum(targets) != 1:
            raise forms.ValidationError(_("Name exactly one: an employee, a team or a role."))
        if data.get("scope") == "kind" and not data.get("item_type"):
            self.add_error("item_type", _("Choose the kind of item."))
        return data
