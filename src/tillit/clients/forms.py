"""The form for registering a new person (bruker)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import District, Provider


class RegisterClientForm(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    national_id = forms.CharField(
        label=_("National identity number"), max_length=20,
        help_text=_("Fødselsnummer, D-number or H-number, 11 digits."),
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    postal_code = forms.CharField(label=_("Postal code"), max_length=4, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False,
                                help_text=_("With longitude: the district follows from them."))
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False,
        help_text=_("Choose the district when the coordinates are not known."),
    )
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_relation = forms.CharField(label=_("Relation"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("Contact's phone"), max_length=20, required=False)
    contact_next_of_kin = forms.BooleanField(label=_("Next of kin"), required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["provider"].queryset = Provider.objects.filter(
            districts__in=districts).distinct().order_by("kind", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude" if lon is None else "latitude",
                           _("Give both latitude and longitude, or neither."))
        if lat is None and lon is None and not data.get("district"):
            self.add_error("district", _("Choose the district, or give the coordinates."))
        if data.get("contact_name") and not data.get("contact_relation"):
            self.add_error("contact_relation", _("Say how the contact is related."))
        return data
